/*
 * Keys with CKA_ALWAYS_AUTHENTICATE: every operation needs its own
 * CKU_CONTEXT_SPECIFIC login [PKCS11 3.2 §4.10, §5.6].
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"

#define PIN(s) (CK_UTF8CHAR_PTR)(s), strlen(s)

static const CK_BYTE p256[] = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};

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

static void
gen_key(CK_SESSION_HANDLE s, CK_BBOOL always, CK_OBJECT_HANDLE *pub, CK_OBJECT_HANDLE *priv)
{
    CK_MECHANISM m = {CKM_EC_KEY_PAIR_GEN, NULL, 0};
    CK_BBOOL yes = CK_TRUE;
    CK_ATTRIBUTE pt[] = {{CKA_EC_PARAMS, (void *)p256, sizeof(p256)},
                         {CKA_VERIFY, &yes, sizeof(yes)}};
    CK_ATTRIBUTE st[] = {{CKA_SIGN, &yes, sizeof(yes)},
                         {CKA_PRIVATE, &yes, sizeof(yes)},
                         {CKA_ALWAYS_AUTHENTICATE, &always, sizeof(always)}};

    assert_int_equal(th.f->C_GenerateKeyPair(s, &m, pt, 2, st, 3, pub, priv), CKR_OK);
}

static CK_RV
sign(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE key, int context_login)
{
    CK_MECHANISM m = {CKM_ECDSA, NULL, 0};
    CK_BYTE hash[32] = {7};
    CK_BYTE sig[64];
    CK_ULONG len = sizeof(sig);
    CK_RV rv = th.f->C_SignInit(s, &m, key);

    if (rv != CKR_OK) {
        return rv;
    }
    if (context_login) {
        rv = th.f->C_Login(s, CKU_CONTEXT_SPECIFIC, PIN(TH_USER_PIN));
        if (rv != CKR_OK) {
            return rv;
        }
    }
    return th.f->C_Sign(s, hash, sizeof(hash), sig, &len);
}

static void
test_always_authenticate(void **state)
{
    CK_SLOT_ID slot = th_make_token("auth");
    CK_SESSION_HANDLE s = th_open(slot, 1);
    CK_OBJECT_HANDLE pub;
    CK_OBJECT_HANDLE priv;
    CK_OBJECT_HANDLE plain_pub;
    CK_OBJECT_HANDLE plain;
    CK_MECHANISM m = {CKM_ECDSA, NULL, 0};

    (void)state;
    assert_int_equal(th.f->C_Login(s, CKU_USER, PIN(TH_USER_PIN)), CKR_OK);
    gen_key(s, CK_TRUE, &pub, &priv);
    gen_key(s, CK_FALSE, &plain_pub, &plain);

    /* No context login: the operation is refused. */
    assert_int_equal(sign(s, priv, 0), CKR_USER_NOT_LOGGED_IN);
    assert_int_equal(th.f->C_SignFinal(s, NULL, &(CK_ULONG){0}) != CKR_OK, 1);
    /* With it, one signature; the next needs another login. */
    assert_int_equal(th.f->C_SessionCancel(s, CKF_SIGN), CKR_OK);
    assert_int_equal(sign(s, priv, 1), CKR_OK);
    assert_int_equal(sign(s, priv, 0), CKR_USER_NOT_LOGGED_IN);
    assert_int_equal(th.f->C_SessionCancel(s, CKF_SIGN), CKR_OK);
    /* A wrong PIN at the context login is counted and refused. */
    assert_int_equal(th.f->C_SignInit(s, &m, priv), CKR_OK);
    assert_int_equal(th.f->C_Login(s, CKU_CONTEXT_SPECIFIC, PIN("wrong-pin")), CKR_PIN_INCORRECT);
    assert_int_equal(th.f->C_SessionCancel(s, CKF_SIGN), CKR_OK);
    /* Without an operation there is nothing to authenticate. */
    assert_int_equal(th.f->C_Login(s, CKU_CONTEXT_SPECIFIC, PIN(TH_USER_PIN)),
                     CKR_OPERATION_NOT_INITIALIZED);
    /* Ordinary keys need nothing more. */
    assert_int_equal(sign(s, plain, 0), CKR_OK);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_always_authenticate, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
