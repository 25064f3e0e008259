/*
 * Reproducers found by hostile testing: a template attribute whose pValue
 * is NULL while ulValueLen is non-zero. C_CreateObject answers
 * CKR_ATTRIBUTE_VALUE_INVALID; the key-making functions must not read
 * through the NULL pointer either ([PKCS11 3.2] §5.18: C_GenerateKey,
 * C_GenerateKeyPair, C_UnwrapKey and C_DeriveKey return
 * CKR_ATTRIBUTE_VALUE_INVALID for an invalid template value; a crash is
 * never a valid outcome).
 *
 * Each case runs in a child process so that a crash is reported as a
 * failure of that case only.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "harness.h"

#define PIN(s) (CK_UTF8CHAR_PTR)(s), strlen(s)

static CK_BBOOL tr = CK_TRUE;
static CK_BYTE p256[] = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};

typedef CK_RV (*trial_case)(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE aes);

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

static int
rv_ok_for_null_value(CK_RV rv)
{
    return rv == CKR_ATTRIBUTE_VALUE_INVALID || rv == CKR_ARGUMENTS_BAD;
}

/* Run one case in a child with its own C_Initialize; 0 = the expected code,
 * 1 = another code, killed by a signal = crash. */
static void
run_case(trial_case fn)
{
    pid_t pid;
    int status = 0;

    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        CK_SLOT_ID slot;
        CK_SESSION_HANDLE s;
        CK_MECHANISM m = {CKM_AES_KEY_GEN, NULL, 0};
        CK_ULONG len = 16;
        CK_OBJECT_HANDLE aes = CK_INVALID_HANDLE;
        CK_ATTRIBUTE t[] = {
            {CKA_VALUE_LEN, &len, sizeof(len)}, {CKA_WRAP, &tr, 1},      {CKA_UNWRAP, &tr, 1},
            {CKA_EXTRACTABLE, &tr, 1},          {CKA_DERIVE, &tr, 1},    {CKA_ENCRYPT, &tr, 1},
        };
        CK_RV rv;

        /* cmocka's handlers would longjmp back into the runner. */
        signal(SIGSEGV, SIG_DFL);
        signal(SIGBUS, SIG_DFL);
        signal(SIGILL, SIG_DFL);
        signal(SIGFPE, SIG_DFL);
        signal(SIGABRT, SIG_DFL);
        alarm(120);
        slot = th_make_token("trial");
        s = th_open(slot, 1);
        if (th.f->C_Login(s, CKU_USER, PIN(TH_USER_PIN)) != CKR_OK ||
            th.f->C_GenerateKey(s, &m, t, 6, &aes) != CKR_OK) {
            _exit(3);
        }
        rv = fn(s, aes);
        _exit(rv_ok_for_null_value(rv) ? 0 : 1);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (WIFSIGNALED(status)) {
        fail_msg("the module crashed with signal %d", WTERMSIG(status));
    }
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

static CK_RV
gen_key_label(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE aes)
{
    CK_MECHANISM m = {CKM_AES_KEY_GEN, NULL, 0};
    CK_ULONG len = 16;
    CK_OBJECT_HANDLE h;
    CK_ATTRIBUTE t[] = {{CKA_VALUE_LEN, &len, sizeof(len)}, {CKA_LABEL, NULL, 5}};

    (void)aes;
    return th.f->C_GenerateKey(s, &m, t, 2, &h);
}

static CK_RV
gen_key_pair_label(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE aes)
{
    CK_MECHANISM m = {CKM_EC_KEY_PAIR_GEN, NULL, 0};
    CK_OBJECT_HANDLE pub, priv;
    CK_ATTRIBUTE pt[] = {{CKA_EC_PARAMS, p256, sizeof(p256)}, {CKA_LABEL, NULL, 5}};
    CK_ATTRIBUTE vt[] = {{CKA_SIGN, &tr, 1}};

    (void)aes;
    return th.f->C_GenerateKeyPair(s, &m, pt, 2, vt, 1, &pub, &priv);
}

static CK_RV
gen_key_pair_priv_id(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE aes)
{
    CK_MECHANISM m = {CKM_EC_KEY_PAIR_GEN, NULL, 0};
    CK_OBJECT_HANDLE pub, priv;
    CK_ATTRIBUTE pt[] = {{CKA_EC_PARAMS, p256, sizeof(p256)}};
    CK_ATTRIBUTE vt[] = {{CKA_SIGN, &tr, 1}, {CKA_ID, NULL, 3}};

    (void)aes;
    return th.f->C_GenerateKeyPair(s, &m, pt, 1, vt, 2, &pub, &priv);
}

static CK_RV
unwrap_label(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE aes)
{
    CK_MECHANISM m = {CKM_AES_KEY_WRAP, NULL, 0};
    CK_BYTE wrapped[64];
    CK_ULONG wl = sizeof(wrapped);
    CK_OBJECT_CLASS c = CKO_SECRET_KEY;
    CK_KEY_TYPE k = CKK_AES;
    CK_OBJECT_HANDLE h;
    CK_ATTRIBUTE t[] = {
        {CKA_CLASS, &c, sizeof(c)},
        {CKA_KEY_TYPE, &k, sizeof(k)},
        {CKA_LABEL, NULL, 5},
    };

    if (th.f->C_WrapKey(s, &m, aes, aes, wrapped, &wl) != CKR_OK) {
        return CKR_GENERAL_ERROR;
    }
    return th.f->C_UnwrapKey(s, &m, aes, wrapped, wl, t, 3, &h);
}

static CK_RV
derive_label(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE aes)
{
    CK_BYTE data[16] = {0};
    CK_KEY_DERIVATION_STRING_DATA ds = {data, sizeof(data)};
    CK_MECHANISM m = {CKM_AES_ECB_ENCRYPT_DATA, &ds, sizeof(ds)};
    CK_OBJECT_CLASS c = CKO_SECRET_KEY;
    CK_KEY_TYPE k = CKK_AES;
    CK_OBJECT_HANDLE h;
    CK_ATTRIBUTE t[] = {
        {CKA_CLASS, &c, sizeof(c)},
        {CKA_KEY_TYPE, &k, sizeof(k)},
        {CKA_LABEL, NULL, 5},
    };

    return th.f->C_DeriveKey(s, &m, aes, t, 3, &h);
}

/* The reference: C_CreateObject already refuses the same template value. */
static CK_RV
create_label(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE aes)
{
    CK_OBJECT_CLASS c = CKO_DATA;
    CK_OBJECT_HANDLE h;
    CK_ATTRIBUTE t[] = {{CKA_CLASS, &c, sizeof(c)}, {CKA_LABEL, NULL, 5}};

    (void)aes;
    return th.f->C_CreateObject(s, t, 2, &h);
}

static void
test_create_object_null_value(void **state)
{
    (void)state;
    run_case(create_label);
}

static void
test_generate_key_null_value(void **state)
{
    (void)state;
    run_case(gen_key_label);
}

static void
test_generate_key_pair_public_null_value(void **state)
{
    (void)state;
    run_case(gen_key_pair_label);
}

static void
test_generate_key_pair_private_null_value(void **state)
{
    (void)state;
    run_case(gen_key_pair_priv_id);
}

static void
test_unwrap_key_null_value(void **state)
{
    (void)state;
    run_case(unwrap_label);
}

static void
test_derive_key_null_value(void **state)
{
    (void)state;
    run_case(derive_label);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_create_object_null_value, setup, teardown),
        cmocka_unit_test_setup_teardown(test_generate_key_null_value, setup, teardown),
        cmocka_unit_test_setup_teardown(test_generate_key_pair_public_null_value, setup, teardown),
        cmocka_unit_test_setup_teardown(test_generate_key_pair_private_null_value, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_unwrap_key_null_value, setup, teardown),
        cmocka_unit_test_setup_teardown(test_derive_key_null_value, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
