/*
 * What C_WrapKey and C_UnwrapKey enforce between keys [PKCS11 3.2 §5.18]:
 * extractability, CKA_WRAP_WITH_TRUSTED, the wrapping key's
 * CKA_WRAP_TEMPLATE and the unwrapping key's CKA_UNWRAP_TEMPLATE.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"

#define PIN(s) (CK_UTF8CHAR_PTR)(s), strlen(s)

static CK_BBOOL yes = CK_TRUE;
static CK_BBOOL no = CK_FALSE;

static int
setup(void **state)
{
    (void)state;
    th_setup(NULL);
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    th_teardown();
    return 0;
}

/* An AES-256 session key with the given extra attributes. */
static CK_OBJECT_HANDLE
aes_key(CK_SESSION_HANDLE s, const CK_ATTRIBUTE *extra, CK_ULONG n, CK_RV *rv)
{
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_KEY_TYPE type = CKK_AES;
    CK_BYTE value[32];
    CK_ATTRIBUTE t[16] = {
        {CKA_CLASS, &cls, sizeof(cls)},   {CKA_KEY_TYPE, &type, sizeof(type)},
        {CKA_TOKEN, &no, sizeof(no)},     {CKA_VALUE, value, sizeof(value)},
        {CKA_PRIVATE, &no, sizeof(no)},
    };
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;

    memset(value, 0x42 + (int)n, sizeof(value));
    memcpy(t + 5, extra, n * sizeof(*extra));
    *rv = th.f->C_CreateObject(s, t, 5 + n, &h);
    return h;
}

static CK_RV
wrap(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE wrapping, CK_OBJECT_HANDLE key, CK_BYTE *out,
     CK_ULONG *len)
{
    CK_MECHANISM m = {CKM_AES_KEY_WRAP_KWP, NULL, 0};

    return th.f->C_WrapKey(s, &m, wrapping, key, out, len);
}

static void
test_wrap_rules(void **state)
{
    CK_SLOT_ID slot = th_make_token("wrap");
    CK_SESSION_HANDLE s = th_open(slot, 1);
    CK_ATTRIBUTE wrapper_attrs[] = {{CKA_WRAP, &yes, 1}, {CKA_UNWRAP, &yes, 1}};
    CK_ATTRIBUTE extractable[] = {{CKA_EXTRACTABLE, &yes, 1}, {CKA_SENSITIVE, &no, 1}};
    CK_ATTRIBUTE stuck[] = {{CKA_EXTRACTABLE, &no, 1}};
    CK_ATTRIBUTE trusted_only[] = {{CKA_EXTRACTABLE, &yes, 1}, {CKA_WRAP_WITH_TRUSTED, &yes, 1}};
    CK_BYTE out[64];
    CK_ULONG len = sizeof(out);
    CK_OBJECT_HANDLE wrapper;
    CK_OBJECT_HANDLE key;
    CK_RV rv;

    (void)state;
    wrapper = aes_key(s, wrapper_attrs, 2, &rv);
    assert_int_equal(rv, CKR_OK);
    key = aes_key(s, extractable, 2, &rv);
    assert_int_equal(rv, CKR_OK);
    assert_int_equal(wrap(s, wrapper, key, out, &len), CKR_OK);
    assert_int_equal(len, 40);

    /* Not extractable: CKR_KEY_UNEXTRACTABLE. */
    key = aes_key(s, stuck, 1, &rv);
    assert_int_equal(rv, CKR_OK);
    len = sizeof(out);
    assert_int_equal(wrap(s, wrapper, key, out, &len), CKR_KEY_UNEXTRACTABLE);

    /* Wrap-with-trusted under an untrusted key: CKR_KEY_NOT_WRAPPABLE. */
    key = aes_key(s, trusted_only, 2, &rv);
    assert_int_equal(rv, CKR_OK);
    len = sizeof(out);
    assert_int_equal(wrap(s, wrapper, key, out, &len), CKR_KEY_NOT_WRAPPABLE);

    /* A key whose CKA_WRAP is false cannot wrap. */
    {
        CK_ATTRIBUTE no_wrap[] = {{CKA_WRAP, &no, 1}};
        CK_OBJECT_HANDLE plain = aes_key(s, no_wrap, 1, &rv);
        assert_int_equal(rv, CKR_OK);
        key = aes_key(s, extractable, 2, &rv);
        assert_int_equal(rv, CKR_OK);
        len = sizeof(out);
        assert_int_equal(wrap(s, plain, key, out, &len), CKR_KEY_FUNCTION_NOT_PERMITTED);
    }
}

static void
test_wrap_and_unwrap_templates(void **state)
{
    CK_SLOT_ID slot = th_make_token("templates");
    CK_SESSION_HANDLE s = th_open(slot, 1);
    CK_BYTE id[] = {0x77};
    CK_ATTRIBUTE need_id[] = {{CKA_ID, id, sizeof(id)}};
    CK_ATTRIBUTE unwrap_adds[] = {{CKA_ENCRYPT, &no, 1}};
    CK_ATTRIBUTE wrapper_attrs[] = {
        {CKA_WRAP, &yes, 1},
        {CKA_UNWRAP, &yes, 1},
        {CKA_WRAP_TEMPLATE, need_id, sizeof(need_id)},
        {CKA_UNWRAP_TEMPLATE, unwrap_adds, sizeof(unwrap_adds)},
    };
    CK_ATTRIBUTE with_id[] = {{CKA_EXTRACTABLE, &yes, 1}, {CKA_ID, id, sizeof(id)}};
    CK_ATTRIBUTE without_id[] = {{CKA_EXTRACTABLE, &yes, 1}};
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_KEY_TYPE type = CKK_AES;
    CK_ATTRIBUTE conflict[] = {{CKA_CLASS, &cls, sizeof(cls)},
                               {CKA_KEY_TYPE, &type, sizeof(type)},
                               {CKA_TOKEN, &no, 1},
                               {CKA_PRIVATE, &no, 1},
                               {CKA_ENCRYPT, &yes, 1}};
    CK_ATTRIBUTE agrees[] = {{CKA_CLASS, &cls, sizeof(cls)},
                             {CKA_KEY_TYPE, &type, sizeof(type)},
                             {CKA_TOKEN, &no, 1},
                             {CKA_PRIVATE, &no, 1}};
    CK_MECHANISM m = {CKM_AES_KEY_WRAP_KWP, NULL, 0};
    CK_BYTE out[64];
    CK_ULONG len = sizeof(out);
    CK_OBJECT_HANDLE wrapper;
    CK_OBJECT_HANDLE key;
    CK_OBJECT_HANDLE back;
    CK_BBOOL enc = CK_TRUE;
    CK_ATTRIBUTE get = {CKA_ENCRYPT, &enc, sizeof(enc)};
    CK_RV rv;

    (void)state;
    wrapper = aes_key(s, wrapper_attrs, 4, &rv);
    assert_int_equal(rv, CKR_OK);
    /* The wrap template asks for CKA_ID 77: a key without it is refused. */
    key = aes_key(s, without_id, 1, &rv);
    assert_int_equal(rv, CKR_OK);
    assert_int_equal(wrap(s, wrapper, key, out, &len), CKR_KEY_HANDLE_INVALID);
    key = aes_key(s, with_id, 2, &rv);
    assert_int_equal(rv, CKR_OK);
    len = sizeof(out);
    assert_int_equal(wrap(s, wrapper, key, out, &len), CKR_OK);

    /* The unwrap template adds CKA_ENCRYPT false: a template asking for
     * true conflicts, one that says nothing gets it. */
    assert_int_equal(th.f->C_UnwrapKey(s, &m, wrapper, out, len, conflict, 5, &back),
                     CKR_TEMPLATE_INCONSISTENT);
    assert_int_equal(th.f->C_UnwrapKey(s, &m, wrapper, out, len, agrees, 4, &back), CKR_OK);
    assert_int_equal(th.f->C_GetAttributeValue(s, back, &get, 1), CKR_OK);
    assert_int_equal(enc, CK_FALSE);
}

static void
test_wrap_with_trusted(void **state)
{
    CK_SLOT_ID slot = th_make_token("trusted");
    CK_SESSION_HANDLE s = th_open(slot, 1);
    CK_ATTRIBUTE trusted_wrapper[] = {{CKA_WRAP, &yes, 1}, {CKA_TRUSTED, &yes, 1}};
    CK_ATTRIBUTE trusted_only[] = {{CKA_EXTRACTABLE, &yes, 1}, {CKA_WRAP_WITH_TRUSTED, &yes, 1}};
    CK_BYTE out[64];
    CK_ULONG len = sizeof(out);
    CK_OBJECT_HANDLE wrapper;
    CK_OBJECT_HANDLE key;
    CK_RV rv;

    (void)state;
    /* Only the SO may mark a key trusted. */
    aes_key(s, trusted_wrapper, 2, &rv);
    assert_int_equal(rv, CKR_ATTRIBUTE_READ_ONLY);
    assert_int_equal(th.f->C_Login(s, CKU_SO, PIN(TH_SO_PIN)), CKR_OK);
    wrapper = aes_key(s, trusted_wrapper, 2, &rv);
    assert_int_equal(rv, CKR_OK);
    assert_int_equal(th.f->C_Logout(s), CKR_OK);
    key = aes_key(s, trusted_only, 2, &rv);
    assert_int_equal(rv, CKR_OK);
    assert_int_equal(wrap(s, wrapper, key, out, &len), CKR_OK);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_wrap_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrap_and_unwrap_templates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrap_with_trusted, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
