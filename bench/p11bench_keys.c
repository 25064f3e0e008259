/* Key generation helpers for the workloads; see p11bench.h. */
#include <string.h>

#include "p11bench.h"

static CK_BBOOL bench_true = CK_TRUE;
static CK_BBOOL bench_false = CK_FALSE;

int
bench_has_mech(bench_ctx *ctx, CK_MECHANISM_TYPE m)
{
    CK_MECHANISM_INFO info;

    return ctx->f->C_GetMechanismInfo(ctx->slot, m, &info) == CKR_OK;
}

/* Session keys: they vanish with the main session, nothing persists. */
CK_RV
bench_gen_ec(bench_ctx *ctx, CK_SESSION_HANDLE s, const CK_BYTE *params, CK_ULONG params_len,
             CK_MECHANISM_TYPE mech, CK_OBJECT_HANDLE *pub, CK_OBJECT_HANDLE *priv)
{
    CK_MECHANISM m = {mech, NULL, 0};
    CK_ATTRIBUTE pt[] = {
        {CKA_TOKEN, &bench_false, sizeof(CK_BBOOL)},
        {CKA_VERIFY, &bench_true, sizeof(CK_BBOOL)},
        {CKA_EC_PARAMS, (void *)params, params_len},
    };
    CK_ATTRIBUTE st[] = {
        {CKA_TOKEN, &bench_false, sizeof(CK_BBOOL)},
        {CKA_SIGN, &bench_true, sizeof(CK_BBOOL)},
        {CKA_DERIVE, &bench_true, sizeof(CK_BBOOL)},
        {CKA_PRIVATE, &bench_true, sizeof(CK_BBOOL)},
    };

    return ctx->f->C_GenerateKeyPair(s, &m, pt, 3, st, 4, pub, priv);
}

CK_RV
bench_gen_rsa(bench_ctx *ctx, CK_SESSION_HANDLE s, CK_ULONG bits, CK_OBJECT_HANDLE *pub,
              CK_OBJECT_HANDLE *priv)
{
    CK_MECHANISM m = {CKM_RSA_PKCS_KEY_PAIR_GEN, NULL, 0};
    CK_BYTE e[] = {1, 0, 1};
    CK_ATTRIBUTE pt[] = {
        {CKA_TOKEN, &bench_false, sizeof(CK_BBOOL)},
        {CKA_VERIFY, &bench_true, sizeof(CK_BBOOL)},
        {CKA_ENCRYPT, &bench_true, sizeof(CK_BBOOL)},
        {CKA_MODULUS_BITS, &bits, sizeof(bits)},
        {CKA_PUBLIC_EXPONENT, e, sizeof(e)},
    };
    CK_ATTRIBUTE st[] = {
        {CKA_TOKEN, &bench_false, sizeof(CK_BBOOL)},
        {CKA_SIGN, &bench_true, sizeof(CK_BBOOL)},
        {CKA_DECRYPT, &bench_true, sizeof(CK_BBOOL)},
        {CKA_PRIVATE, &bench_true, sizeof(CK_BBOOL)},
    };

    return ctx->f->C_GenerateKeyPair(s, &m, pt, 5, st, 4, pub, priv);
}

CK_RV
bench_gen_aes(bench_ctx *ctx, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE *key)
{
    CK_MECHANISM m = {CKM_AES_KEY_GEN, NULL, 0};
    CK_ULONG len = 32;
    CK_ATTRIBUTE t[] = {
        {CKA_TOKEN, &bench_false, sizeof(CK_BBOOL)},
        {CKA_ENCRYPT, &bench_true, sizeof(CK_BBOOL)},
        {CKA_DECRYPT, &bench_true, sizeof(CK_BBOOL)},
        {CKA_VALUE_LEN, &len, sizeof(len)},
    };

    return ctx->f->C_GenerateKey(s, &m, t, 4, key);
}

CK_RV
bench_gen_pqc(bench_ctx *ctx, CK_SESSION_HANDLE s, CK_MECHANISM_TYPE mech, CK_ULONG set,
              CK_OBJECT_HANDLE *pub, CK_OBJECT_HANDLE *priv)
{
    CK_MECHANISM m = {mech, NULL, 0};
    int kem = mech == CKM_ML_KEM_KEY_PAIR_GEN;
    CK_ATTRIBUTE pt[] = {
        {CKA_TOKEN, &bench_false, sizeof(CK_BBOOL)},
        {CKA_PARAMETER_SET, &set, sizeof(set)},
        {kem ? CKA_ENCAPSULATE : CKA_VERIFY, &bench_true, sizeof(CK_BBOOL)},
    };
    CK_ATTRIBUTE st[] = {
        {CKA_TOKEN, &bench_false, sizeof(CK_BBOOL)},
        {CKA_PRIVATE, &bench_true, sizeof(CK_BBOOL)},
        {kem ? CKA_DECAPSULATE : CKA_SIGN, &bench_true, sizeof(CK_BBOOL)},
    };

    return ctx->f->C_GenerateKeyPair(s, &m, pt, 3, st, 3, pub, priv);
}
