/*
 * Reproducer found by hostile testing: a single-part or update call that
 * fails with CKR_ARGUMENTS_BAD leaves the operation active. [PKCS11 3.2]
 * §5.8: "A call to C_Encrypt always terminates the active encryption
 * operation unless it returns CKR_BUFFER_TOO_SMALL or is a successful call
 * ... to determine the length"; "A call to C_EncryptUpdate which results in
 * an error other than CKR_BUFFER_TOO_SMALL terminates the current encryption
 * operation". §5.12 (digest), §5.13 (sign) and §5.10 (decrypt) say the same
 * of C_Digest / C_DigestUpdate, C_Sign / C_SignUpdate and C_Decrypt. So the
 * next *Init must succeed instead of returning CKR_OPERATION_ACTIVE.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"

#define PIN(s) (CK_UTF8CHAR_PTR)(s), strlen(s)

static CK_BBOOL tr = CK_TRUE;
static CK_SESSION_HANDLE sess;
static CK_OBJECT_HANDLE aes_key;
static CK_OBJECT_HANDLE hmac_key;
static CK_BYTE iv[16];
static CK_BYTE data[32];

static int
setup(void **state)
{
    CK_SLOT_ID slot;
    CK_MECHANISM am = {CKM_AES_KEY_GEN, NULL, 0};
    CK_MECHANISM gm = {CKM_GENERIC_SECRET_KEY_GEN, NULL, 0};
    CK_ULONG len = 32;
    CK_ATTRIBUTE at[] = {
        {CKA_VALUE_LEN, &len, sizeof(len)}, {CKA_ENCRYPT, &tr, 1}, {CKA_DECRYPT, &tr, 1}};
    CK_ATTRIBUTE gt[] = {{CKA_VALUE_LEN, &len, sizeof(len)}, {CKA_SIGN, &tr, 1}};

    (void)state;
    th_setup(NULL);
    slot = th_make_token("opstate");
    sess = th_open(slot, 1);
    if (th.f->C_Login(sess, CKU_USER, PIN(TH_USER_PIN)) != CKR_OK ||
        th.f->C_GenerateKey(sess, &am, at, 3, &aes_key) != CKR_OK ||
        th.f->C_GenerateKey(sess, &gm, gt, 2, &hmac_key) != CKR_OK) {
        return -1;
    }
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
test_sign_arguments_bad_terminates(void **state)
{
    CK_MECHANISM m = {CKM_SHA256_HMAC, NULL, 0};
    CK_BYTE sig[64];
    CK_ULONG sl = sizeof(sig);

    (void)state;
    assert_int_equal(th.f->C_SignInit(sess, &m, hmac_key), CKR_OK);
    assert_int_equal(th.f->C_Sign(sess, NULL, 32, sig, &sl), CKR_ARGUMENTS_BAD);
    assert_int_equal(th.f->C_SignInit(sess, &m, hmac_key), CKR_OK);
    th.f->C_SignInit(sess, NULL, hmac_key);
}

static void
test_sign_update_arguments_bad_terminates(void **state)
{
    CK_MECHANISM m = {CKM_SHA256_HMAC, NULL, 0};

    (void)state;
    assert_int_equal(th.f->C_SignInit(sess, &m, hmac_key), CKR_OK);
    assert_int_equal(th.f->C_SignUpdate(sess, NULL, 32), CKR_ARGUMENTS_BAD);
    assert_int_equal(th.f->C_SignInit(sess, &m, hmac_key), CKR_OK);
    th.f->C_SignInit(sess, NULL, hmac_key);
}

static void
test_encrypt_arguments_bad_terminates(void **state)
{
    CK_MECHANISM m = {CKM_AES_CBC, iv, sizeof(iv)};
    CK_BYTE out[64];

    (void)state;
    assert_int_equal(th.f->C_EncryptInit(sess, &m, aes_key), CKR_OK);
    assert_int_equal(th.f->C_Encrypt(sess, data, 32, out, NULL), CKR_ARGUMENTS_BAD);
    assert_int_equal(th.f->C_EncryptInit(sess, &m, aes_key), CKR_OK);
    th.f->C_EncryptInit(sess, NULL, aes_key);
}

static void
test_encrypt_update_arguments_bad_terminates(void **state)
{
    CK_MECHANISM m = {CKM_AES_CBC, iv, sizeof(iv)};
    CK_BYTE out[64];

    (void)state;
    assert_int_equal(th.f->C_EncryptInit(sess, &m, aes_key), CKR_OK);
    assert_int_equal(th.f->C_EncryptUpdate(sess, data, 16, out, NULL), CKR_ARGUMENTS_BAD);
    assert_int_equal(th.f->C_EncryptInit(sess, &m, aes_key), CKR_OK);
    th.f->C_EncryptInit(sess, NULL, aes_key);
}

static void
test_decrypt_arguments_bad_terminates(void **state)
{
    CK_MECHANISM m = {CKM_AES_CBC, iv, sizeof(iv)};
    CK_BYTE out[64];
    CK_ULONG ol = sizeof(out);

    (void)state;
    assert_int_equal(th.f->C_DecryptInit(sess, &m, aes_key), CKR_OK);
    assert_int_equal(th.f->C_Decrypt(sess, NULL, 32, out, &ol), CKR_ARGUMENTS_BAD);
    assert_int_equal(th.f->C_DecryptInit(sess, &m, aes_key), CKR_OK);
    th.f->C_DecryptInit(sess, NULL, aes_key);
}

static void
test_digest_arguments_bad_terminates(void **state)
{
    CK_MECHANISM m = {CKM_SHA256, NULL, 0};
    CK_BYTE out[64];

    (void)state;
    assert_int_equal(th.f->C_DigestInit(sess, &m), CKR_OK);
    assert_int_equal(th.f->C_Digest(sess, data, 32, out, NULL), CKR_ARGUMENTS_BAD);
    assert_int_equal(th.f->C_DigestInit(sess, &m), CKR_OK);
    th.f->C_DigestInit(sess, NULL);
}

static void
test_digest_update_arguments_bad_terminates(void **state)
{
    CK_MECHANISM m = {CKM_SHA256, NULL, 0};

    (void)state;
    assert_int_equal(th.f->C_DigestInit(sess, &m), CKR_OK);
    assert_int_equal(th.f->C_DigestUpdate(sess, NULL, 32), CKR_ARGUMENTS_BAD);
    assert_int_equal(th.f->C_DigestInit(sess, &m), CKR_OK);
    th.f->C_DigestInit(sess, NULL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sign_arguments_bad_terminates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sign_update_arguments_bad_terminates, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_encrypt_arguments_bad_terminates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_encrypt_update_arguments_bad_terminates, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_decrypt_arguments_bad_terminates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_digest_arguments_bad_terminates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_digest_update_arguments_bad_terminates, setup,
                                        teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
