/*
 * CKM_EDDSA with CK_EDDSA_PARAMS [PKCS11 3.2 §6.3.14] through the
 * module's function list: Ed25519ctx, Ed25519ph, Ed448 with a context and
 * Ed448ph [RFC 8032 §5]. The RFC's vectors (tests/vectors/rfc8032),
 * imported with C_CreateObject, must sign to the RFC's bytes and verify;
 * the token's own keys must sign and verify in one and in several parts;
 * a wrong context or flag must fail verification.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"
#include "testvec.h"

#define PIN(s) (CK_UTF8CHAR_PTR)(s), strlen(s)

static CK_SESSION_HANDLE tk_s;

static const uint8_t tk_oid_ed25519[] = {0x06, 0x03, 0x2b, 0x65, 0x70};
static const uint8_t tk_oid_ed448[] = {0x06, 0x03, 0x2b, 0x65, 0x71};

typedef struct {
    char inst[16];
    uint8_t sk[57], pk[57], msg[1024], ctx[255], sig[114];
    size_t sk_len, pk_len, msg_len, ctx_len, sig_len;
} tk_vec;

static int
setup(void **state)
{
    CK_SLOT_ID slot;

    (void)state;
    th_setup(NULL);
    slot = th_make_token("eddsa");
    tk_s = th_open(slot, 1);
    assert_int_equal(th.f->C_Login(tk_s, CKU_USER, PIN(TH_USER_PIN)), CKR_OK);
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
tk_read_vec(FILE *f, tk_vec *v)
{
    static char line[4096];
    static char sk[256], pk[256], msg[2100], ctx[600], sig[512];

    while (fgets(line, sizeof(line), f) != NULL) {
        if (line[0] == '#' || line[0] == '\n') {
            continue;
        }
        assert_int_equal(sscanf(line, "%15s %255s %255s %2099s %599s %511s", v->inst, sk, pk,
                                msg, ctx, sig), 6);
        v->sk_len = tk_tv_unhex_dash(sk, v->sk, sizeof(v->sk));
        v->pk_len = tk_tv_unhex_dash(pk, v->pk, sizeof(v->pk));
        v->msg_len = tk_tv_unhex_dash(msg, v->msg, sizeof(v->msg));
        v->ctx_len = tk_tv_unhex_dash(ctx, v->ctx, sizeof(v->ctx));
        v->sig_len = tk_tv_unhex_dash(sig, v->sig, sizeof(v->sig));
        return 1;
    }
    return 0;
}

static CK_OBJECT_HANDLE
tk_import(CK_OBJECT_CLASS cls, int ed448, const uint8_t *value, size_t len)
{
    CK_KEY_TYPE kt = CKK_EC_EDWARDS;
    CK_BBOOL yes = CK_TRUE;
    CK_ATTRIBUTE t[] = {
        {CKA_CLASS, &cls, sizeof(cls)},
        {CKA_KEY_TYPE, &kt, sizeof(kt)},
        {CKA_EC_PARAMS, (void *)(ed448 ? tk_oid_ed448 : tk_oid_ed25519),
         ed448 ? sizeof(tk_oid_ed448) : sizeof(tk_oid_ed25519)},
        {cls == CKO_PRIVATE_KEY ? CKA_VALUE : CKA_EC_POINT, (void *)value, len},
        {cls == CKO_PRIVATE_KEY ? CKA_SIGN : CKA_VERIFY, &yes, sizeof(yes)},
    };
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;

    assert_int_equal(th.f->C_CreateObject(tk_s, t, 5, &h), CKR_OK);
    return h;
}

static CK_RV
tk_sign(CK_MECHANISM *m, CK_OBJECT_HANDLE k, const uint8_t *msg, size_t len, uint8_t *sig,
        CK_ULONG *sig_len)
{
    CK_RV rv = th.f->C_SignInit(tk_s, m, k);

    if (rv != CKR_OK) {
        return rv;
    }
    return th.f->C_Sign(tk_s, (CK_BYTE_PTR)msg, len, sig, sig_len);
}

static CK_RV
tk_verify(CK_MECHANISM *m, CK_OBJECT_HANDLE k, const uint8_t *msg, size_t len,
          const uint8_t *sig, CK_ULONG sig_len)
{
    CK_RV rv = th.f->C_VerifyInit(tk_s, m, k);

    if (rv != CKR_OK) {
        return rv;
    }
    return th.f->C_Verify(tk_s, (CK_BYTE_PTR)msg, len, (CK_BYTE_PTR)sig, sig_len);
}

/* One RFC vector: the token's signature is the RFC's, and verifies; with
 * another context, or the prehash flag flipped, it does not. */
static void
tk_check_vec(const tk_vec *v)
{
    int ed448 = strncmp(v->inst, "Ed448", 5) == 0;
    int pure25519 = strcmp(v->inst, "Ed25519") == 0;
    CK_EDDSA_PARAMS p = {strstr(v->inst, "ph") != NULL, v->ctx_len,
                         v->ctx_len ? (CK_BYTE_PTR)v->ctx : NULL};
    CK_EDDSA_PARAMS wrong = {p.phFlag, 3, (CK_BYTE_PTR) "baz"};
    CK_EDDSA_PARAMS flipped = {!p.phFlag, p.ulContextDataLen, p.pContextData};
    CK_MECHANISM m = {CKM_EDDSA, &p, sizeof(p)};
    CK_MECHANISM mw = {CKM_EDDSA, &wrong, sizeof(wrong)};
    CK_MECHANISM mf = {CKM_EDDSA, &flipped, sizeof(flipped)};
    CK_OBJECT_HANDLE priv = tk_import(CKO_PRIVATE_KEY, ed448, v->sk, v->sk_len);
    CK_OBJECT_HANDLE pub = tk_import(CKO_PUBLIC_KEY, ed448, v->pk, v->pk_len);
    uint8_t sig[114];
    CK_ULONG len = sizeof(sig);

    if (pure25519) {
        /* Pure Ed25519 takes no parameter (OpenSSL signs it). */
        m.pParameter = NULL;
        m.ulParameterLen = 0;
    }
    assert_int_equal(tk_sign(&m, priv, v->msg, v->msg_len, sig, &len), CKR_OK);
    assert_int_equal(len, v->sig_len);
    assert_memory_equal(sig, v->sig, v->sig_len);
    assert_int_equal(tk_verify(&m, pub, v->msg, v->msg_len, sig, len), CKR_OK);
    assert_int_equal(tk_verify(&mw, pub, v->msg, v->msg_len, sig, len), CKR_SIGNATURE_INVALID);
    if (!pure25519 && (ed448 || flipped.phFlag || flipped.ulContextDataLen > 0)) {
        assert_int_equal(tk_verify(&mf, pub, v->msg, v->msg_len, sig, len),
                         CKR_SIGNATURE_INVALID);
    }
    assert_int_equal(th.f->C_DestroyObject(tk_s, priv), CKR_OK);
    assert_int_equal(th.f->C_DestroyObject(tk_s, pub), CKR_OK);
}

static void
test_rfc8032_vectors(void **state)
{
    FILE *f = fopen(TK_TEST_VECTORS "/rfc8032/eddsa.txt", "r");
    tk_vec *v = calloc(1, sizeof(*v));
    int n = 0;

    (void)state;
    assert_non_null(f);
    assert_non_null(v);
    while (tk_read_vec(f, v)) {
        tk_check_vec(v);
        n++;
    }
    fclose(f);
    free(v);
    assert_int_equal(n, 21);
}

static void
tk_generate(int ed448, CK_OBJECT_HANDLE *pub, CK_OBJECT_HANDLE *priv)
{
    CK_MECHANISM m = {CKM_EC_EDWARDS_KEY_PAIR_GEN, NULL, 0};
    CK_BBOOL yes = CK_TRUE;
    CK_ATTRIBUTE pt[] = {
        {CKA_EC_PARAMS, (void *)(ed448 ? tk_oid_ed448 : tk_oid_ed25519),
         ed448 ? sizeof(tk_oid_ed448) : sizeof(tk_oid_ed25519)},
        {CKA_VERIFY, &yes, 1},
    };
    CK_ATTRIBUTE vt[] = {
        {CKA_SIGN, &yes, 1},
    };

    assert_int_equal(th.f->C_GenerateKeyPair(tk_s, &m, pt, 2, vt, 1, pub, priv), CKR_OK);
}

/* A generated key: one-part and multi-part signatures agree (EdDSA is
 * deterministic) and verify; another context does not. */
static void
tk_generated_once(int ed448, CK_BBOOL ph, const char *ctx)
{
    CK_EDDSA_PARAMS p = {ph, strlen(ctx), (CK_BYTE_PTR)ctx};
    CK_EDDSA_PARAMS wrong = {ph, 4, (CK_BYTE_PTR) "nope"};
    CK_MECHANISM m = {CKM_EDDSA, &p, sizeof(p)};
    CK_MECHANISM mw = {CKM_EDDSA, &wrong, sizeof(wrong)};
    CK_OBJECT_HANDLE pub, priv;
    const uint8_t msg[] = "a message signed in three parts";
    uint8_t sig[114], sig2[114];
    CK_ULONG len = sizeof(sig), len2 = sizeof(sig2);

    tk_generate(ed448, &pub, &priv);
    assert_int_equal(tk_sign(&m, priv, msg, sizeof(msg), sig, &len), CKR_OK);
    assert_int_equal(len, ed448 ? 114 : 64);
    assert_int_equal(th.f->C_SignInit(tk_s, &m, priv), CKR_OK);
    assert_int_equal(th.f->C_SignUpdate(tk_s, (CK_BYTE_PTR)msg, 5), CKR_OK);
    assert_int_equal(th.f->C_SignUpdate(tk_s, (CK_BYTE_PTR)msg + 5, 10), CKR_OK);
    assert_int_equal(th.f->C_SignUpdate(tk_s, (CK_BYTE_PTR)msg + 15, sizeof(msg) - 15),
                     CKR_OK);
    assert_int_equal(th.f->C_SignFinal(tk_s, sig2, &len2), CKR_OK);
    assert_int_equal(len2, len);
    assert_memory_equal(sig, sig2, len);
    assert_int_equal(tk_verify(&m, pub, msg, sizeof(msg), sig, len), CKR_OK);
    assert_int_equal(tk_verify(&mw, pub, msg, sizeof(msg), sig, len), CKR_SIGNATURE_INVALID);
    assert_int_equal(tk_verify(&m, pub, msg, sizeof(msg) - 1, sig, len), CKR_SIGNATURE_INVALID);
    assert_int_equal(tk_verify(&m, pub, msg, sizeof(msg), sig, len - 1),
                     CKR_SIGNATURE_LEN_RANGE);
}

static void
test_generated_keys(void **state)
{
    (void)state;
    tk_generated_once(0, CK_FALSE, "ctx");
    tk_generated_once(0, CK_TRUE, "");
    tk_generated_once(0, CK_TRUE, "ctx");
    tk_generated_once(1, CK_FALSE, "");
    tk_generated_once(1, CK_FALSE, "ctx");
    tk_generated_once(1, CK_TRUE, "");
    tk_generated_once(1, CK_TRUE, "ctx");
}

/* Ed25519ctx with an empty context stays refused [RFC 8032 §5.1]. */
static void
test_empty_ed25519ctx_refused(void **state)
{
    CK_EDDSA_PARAMS p = {CK_FALSE, 0, NULL};
    CK_MECHANISM m = {CKM_EDDSA, &p, sizeof(p)};
    CK_OBJECT_HANDLE pub, priv;

    (void)state;
    tk_generate(0, &pub, &priv);
    assert_int_equal(th.f->C_SignInit(tk_s, &m, priv), CKR_MECHANISM_PARAM_INVALID);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc8032_vectors),
        cmocka_unit_test(test_generated_keys),
        cmocka_unit_test(test_empty_ed25519ctx_refused),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
