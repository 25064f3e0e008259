/*
 * Saving and restoring operation state [PKCS11 3.2 §5.6]: a digest and a
 * MAC with a parameter (the _GENERAL form) continue in another session.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"

#define PIN(s) (CK_UTF8CHAR_PTR)(s), strlen(s)

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

static CK_OBJECT_HANDLE
hmac_key(CK_SESSION_HANDLE s)
{
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_KEY_TYPE type = CKK_GENERIC_SECRET;
    CK_BBOOL yes = CK_TRUE;
    CK_BBOOL no = CK_FALSE;
    CK_BYTE value[32] = {1, 2, 3, 4, 5};
    CK_ATTRIBUTE t[] = {
        {CKA_CLASS, &cls, sizeof(cls)},   {CKA_KEY_TYPE, &type, sizeof(type)},
        {CKA_TOKEN, &no, sizeof(no)},     {CKA_SIGN, &yes, sizeof(yes)},
        {CKA_VALUE, value, sizeof(value)},
    };
    CK_OBJECT_HANDLE h;

    assert_int_equal(th.f->C_CreateObject(s, t, 5, &h), CKR_OK);
    return h;
}

static void
test_mac_general_state(void **state)
{
    CK_SLOT_ID slot = th_make_token("opstate");
    CK_SESSION_HANDLE a = th_open(slot, 1);
    CK_SESSION_HANDLE b = th_open(slot, 1);
    CK_MAC_GENERAL_PARAMS tag_len = 16;
    CK_MECHANISM m = {CKM_SHA256_HMAC_GENERAL, &tag_len, sizeof(tag_len)};
    CK_BYTE saved[4096];
    CK_ULONG saved_len = sizeof(saved);
    CK_BYTE whole[32];
    CK_BYTE split[32];
    CK_ULONG whole_len = sizeof(whole);
    CK_ULONG split_len = sizeof(split);
    CK_OBJECT_HANDLE key;

    (void)state;
    assert_int_equal(th.f->C_Login(a, CKU_USER, PIN(TH_USER_PIN)), CKR_OK);
    key = hmac_key(a);
    assert_int_equal(th.f->C_SignInit(a, &m, key), CKR_OK);
    assert_int_equal(th.f->C_Sign(a, (CK_BYTE_PTR) "first part second part", 22, whole,
                                  &whole_len),
                     CKR_OK);
    assert_int_equal(whole_len, 16);

    assert_int_equal(th.f->C_SignInit(a, &m, key), CKR_OK);
    assert_int_equal(th.f->C_SignUpdate(a, (CK_BYTE_PTR) "first part", 10), CKR_OK);
    assert_int_equal(th.f->C_GetOperationState(a, NULL, &saved_len), CKR_OK);
    assert_int_equal(th.f->C_GetOperationState(a, saved, &saved_len), CKR_OK);
    assert_int_equal(th.f->C_SetOperationState(b, saved, saved_len, 0, key), CKR_OK);
    assert_int_equal(th.f->C_SignUpdate(b, (CK_BYTE_PTR) " second part", 12), CKR_OK);
    assert_int_equal(th.f->C_SignFinal(b, split, &split_len), CKR_OK);
    assert_int_equal(split_len, 16);
    assert_memory_equal(whole, split, 16);

    /* A damaged state is refused, never trusted. */
    saved[4] ^= 0x7f;
    assert_int_equal(th.f->C_SetOperationState(b, saved, saved_len, 0, key),
                     CKR_SAVED_STATE_INVALID);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_mac_general_state, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
