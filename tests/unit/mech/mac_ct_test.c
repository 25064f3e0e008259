/*
 * Constant-time check of the MAC mechanisms (src/mech/mac.c) under
 * valgrind memcheck: the key is marked undefined, so any branch or table
 * index that depends on it, or on the tag computed from it, is reported
 * as a use of uninitialised memory. Outputs the caller learns anyway (the
 * tag from C_Sign, the verdict of C_Verify) are marked defined before the
 * test looks at them. Without valgrind the test still runs the cases.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <valgrind/memcheck.h>

#include "mech/mech_internal.h"

typedef struct {
    CK_MECHANISM_TYPE mech;
    CK_KEY_TYPE type;
    CK_ULONG key_len;
    CK_ULONG general;  /* tag length for a _GENERAL mechanism, else 0 */
} tk_ct_case;

static const tk_ct_case tk_ct_cases[] = {
    {CKM_SHA256_HMAC, CKK_GENERIC_SECRET, 32, 0},
    {CKM_SHA_1_HMAC, CKK_SHA_1_HMAC, 20, 0},
    {CKM_SHA512_HMAC_GENERAL, CKK_GENERIC_SECRET, 200, 16},
    {CKM_SHA3_256_HMAC, CKK_SHA3_256_HMAC, 32, 0},
    {CKM_AES_CMAC, CKK_AES, 32, 0},
    {CKM_AES_CMAC_GENERAL, CKK_AES, 16, 8},
};

static CK_RV
tk_ct_run(const tk_ct_case *c, tk_op_kind kind, const uint8_t *key, const uint8_t *msg,
          size_t msg_len, uint8_t *tag, CK_ULONG *tag_len)
{
    CK_ATTRIBUTE a = {CKA_VALUE, (void *)key, c->key_len};
    tk_key k = {CKO_SECRET_KEY, c->type, &a, 1, NULL};
    CK_ULONG general = c->general;
    CK_MECHANISM m = {c->mech, c->general ? &general : NULL, c->general ? sizeof(general) : 0};
    tk_op *op = NULL;
    CK_RV rv = tk_mech_op_init(kind, &m, &k, &op);

    if (rv == CKR_OK && kind == TK_OP_SIGN) {
        rv = op->vt->run(op, msg, msg_len, tag, tag_len);
    } else if (rv == CKR_OK) {
        rv = op->vt->verify(op, msg, msg_len, tag, *tag_len);
    }
    tk_op_free(op);
    /* The caller learns the verdict and the tag in any case. */
    VALGRIND_MAKE_MEM_DEFINED(&rv, sizeof(rv));
    return rv;
}

static void
test_sign_and_verify_secret_key(void **state)
{
    uint8_t key[200];
    uint8_t msg[150];
    uint8_t tag[64];
    CK_ULONG n;

    (void)state;
    for (size_t i = 0; i < sizeof(msg); i++) {
        msg[i] = (uint8_t)(i * 13);
    }
    for (size_t t = 0; t < sizeof(tk_ct_cases) / sizeof(tk_ct_cases[0]); t++) {
        const tk_ct_case *c = &tk_ct_cases[t];
        for (size_t i = 0; i < sizeof(key); i++) {
            key[i] = (uint8_t)(i * 7 + t);
        }
        VALGRIND_MAKE_MEM_UNDEFINED(key, sizeof(key));
        n = sizeof(tag);
        assert_int_equal(tk_ct_run(c, TK_OP_SIGN, key, msg, sizeof(msg), tag, &n), CKR_OK);
        VALGRIND_MAKE_MEM_DEFINED(tag, n);
        assert_int_equal(tk_ct_run(c, TK_OP_VERIFY, key, msg, sizeof(msg), tag, &n), CKR_OK);
        tag[n - 1] ^= 0x80;
        assert_int_equal(tk_ct_run(c, TK_OP_VERIFY, key, msg, sizeof(msg), tag, &n),
                         CKR_SIGNATURE_INVALID);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sign_and_verify_secret_key),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
