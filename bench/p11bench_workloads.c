/*
 * The workloads. Each one checks its result in thread_setup (sign then
 * verify, encrypt then decrypt, find exactly one object) before any
 * timing, and an operation counts only when the module returned CKR_OK.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "p11bench.h"

/* DER of the named curves and Edwards curve OIDs. */
static const CK_BYTE bench_p256[] = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce,
                                     0x3d, 0x03, 0x01, 0x07};
static const CK_BYTE bench_ed25519[] = {0x06, 0x03, 0x2b, 0x65, 0x70};

/* ---- key generation ---- */

static CK_RV
bench_keygen_done(bench_thread *t, CK_RV rv, CK_OBJECT_HANDLE a, CK_OBJECT_HANDLE b)
{
    if (rv == CKR_OK && a != CK_INVALID_HANDLE) {
        rv = t->ctx->f->C_DestroyObject(t->s, a);
    }
    if (rv == CKR_OK && b != CK_INVALID_HANDLE) {
        rv = t->ctx->f->C_DestroyObject(t->s, b);
    }
    return rv;
}

static CK_RV
bench_op_keygen_aes(bench_thread *t, void *shared)
{
    CK_OBJECT_HANDLE k = CK_INVALID_HANDLE;

    (void)shared;
    return bench_keygen_done(t, bench_gen_aes(t->ctx, t->s, &k), k, CK_INVALID_HANDLE);
}

static CK_RV
bench_op_keygen_p256(bench_thread *t, void *shared)
{
    CK_OBJECT_HANDLE a = CK_INVALID_HANDLE;
    CK_OBJECT_HANDLE b = CK_INVALID_HANDLE;
    CK_RV rv = bench_gen_ec(t->ctx, t->s, bench_p256, sizeof(bench_p256), CKM_EC_KEY_PAIR_GEN,
                            &a, &b);

    (void)shared;
    return bench_keygen_done(t, rv, a, b);
}

static CK_RV
bench_op_keygen_ed25519(bench_thread *t, void *shared)
{
    CK_OBJECT_HANDLE a = CK_INVALID_HANDLE;
    CK_OBJECT_HANDLE b = CK_INVALID_HANDLE;
    CK_RV rv = bench_gen_ec(t->ctx, t->s, bench_ed25519, sizeof(bench_ed25519),
                            CKM_EC_EDWARDS_KEY_PAIR_GEN, &a, &b);

    (void)shared;
    return bench_keygen_done(t, rv, a, b);
}

static CK_RV
bench_op_keygen_rsa(bench_thread *t, void *shared)
{
    CK_OBJECT_HANDLE a = CK_INVALID_HANDLE;
    CK_OBJECT_HANDLE b = CK_INVALID_HANDLE;

    (void)shared;
    return bench_keygen_done(t, bench_gen_rsa(t->ctx, t->s, 2048, &a, &b), a, b);
}

static CK_RV
bench_op_keygen_mldsa(bench_thread *t, void *shared)
{
    CK_OBJECT_HANDLE a = CK_INVALID_HANDLE;
    CK_OBJECT_HANDLE b = CK_INVALID_HANDLE;
    CK_RV rv = bench_gen_pqc(t->ctx, t->s, CKM_ML_DSA_KEY_PAIR_GEN, CKP_ML_DSA_65, &a, &b);

    (void)shared;
    return bench_keygen_done(t, rv, a, b);
}

static CK_RV
bench_op_keygen_mlkem(bench_thread *t, void *shared)
{
    CK_OBJECT_HANDLE a = CK_INVALID_HANDLE;
    CK_OBJECT_HANDLE b = CK_INVALID_HANDLE;
    CK_RV rv = bench_gen_pqc(t->ctx, t->s, CKM_ML_KEM_KEY_PAIR_GEN, CKP_ML_KEM_768, &a, &b);

    (void)shared;
    return bench_keygen_done(t, rv, a, b);
}

static CK_RV
bench_op_keygen_slhdsa_sha2(bench_thread *t, void *shared)
{
    CK_OBJECT_HANDLE a = CK_INVALID_HANDLE;
    CK_OBJECT_HANDLE b = CK_INVALID_HANDLE;
    CK_RV rv = bench_gen_pqc(t->ctx, t->s, CKM_SLH_DSA_KEY_PAIR_GEN, CKP_SLH_DSA_SHA2_128F, &a,
                             &b);

    (void)shared;
    return bench_keygen_done(t, rv, a, b);
}

static CK_RV
bench_op_keygen_slhdsa_shake(bench_thread *t, void *shared)
{
    CK_OBJECT_HANDLE a = CK_INVALID_HANDLE;
    CK_OBJECT_HANDLE b = CK_INVALID_HANDLE;
    CK_RV rv = bench_gen_pqc(t->ctx, t->s, CKM_SLH_DSA_KEY_PAIR_GEN, CKP_SLH_DSA_SHAKE_128F, &a,
                             &b);

    (void)shared;
    return bench_keygen_done(t, rv, a, b);
}

/* ---- signatures ---- */

/* The longest signature measured: SLH-DSA-*-128f [FIPS 205 Table 2]. */
#define BENCH_SIG_MAX 17088

typedef struct {
    CK_MECHANISM mech;
    CK_OBJECT_HANDLE pub;
    CK_OBJECT_HANDLE priv;
    CK_BYTE data[32];
    CK_BYTE sig[BENCH_SIG_MAX];
    CK_ULONG sig_len;
} bench_sig;

static CK_RV
bench_sig_sign(bench_ctx *ctx, CK_SESSION_HANDLE s, bench_sig *b, CK_BYTE *sig, CK_ULONG *len)
{
    CK_RV rv = ctx->f->C_SignInit(s, &b->mech, b->priv);

    if (rv == CKR_OK) {
        rv = ctx->f->C_Sign(s, b->data, sizeof(b->data), sig, len);
    }
    return rv;
}

static CK_RV
bench_sig_verify(bench_ctx *ctx, CK_SESSION_HANDLE s, bench_sig *b)
{
    CK_RV rv = ctx->f->C_VerifyInit(s, &b->mech, b->pub);

    if (rv == CKR_OK) {
        rv = ctx->f->C_Verify(s, b->data, sizeof(b->data), b->sig, b->sig_len);
    }
    return rv;
}

/* Make a key pair, sign once and check the signature verifies and a
 * changed one does not. */
static CK_RV
bench_sig_setup(bench_ctx *ctx, bench_sig *b)
{
    CK_RV rv;

    memset(b->data, 0x5a, sizeof(b->data));
    b->sig_len = sizeof(b->sig);
    rv = bench_sig_sign(ctx, ctx->main_s, b, b->sig, &b->sig_len);
    if (rv == CKR_OK) {
        rv = bench_sig_verify(ctx, ctx->main_s, b);
    }
    if (rv == CKR_OK) {
        b->sig[0] ^= 1;
        rv = bench_sig_verify(ctx, ctx->main_s, b) == CKR_SIGNATURE_INVALID ? CKR_OK
                                                                            : CKR_GENERAL_ERROR;
        b->sig[0] ^= 1;
    }
    return rv;
}

static CK_RV
bench_setup_sig(bench_ctx *ctx, void **shared, CK_MECHANISM_TYPE sign_mech, int kind)
{
    bench_sig *b = calloc(1, sizeof(*b));
    CK_RV rv;

    if (b == NULL) {
        return CKR_HOST_MEMORY;
    }
    b->mech.mechanism = sign_mech;
    switch (kind) {
    case 0:
        rv = bench_gen_ec(ctx, ctx->main_s, bench_p256, sizeof(bench_p256),
                          CKM_EC_KEY_PAIR_GEN, &b->pub, &b->priv);
        break;
    case 1:
        rv = bench_gen_rsa(ctx, ctx->main_s, 2048, &b->pub, &b->priv);
        break;
    case 2:
        rv = bench_gen_ec(ctx, ctx->main_s, bench_ed25519, sizeof(bench_ed25519),
                          CKM_EC_EDWARDS_KEY_PAIR_GEN, &b->pub, &b->priv);
        break;
    case 3:
        rv = bench_gen_pqc(ctx, ctx->main_s, CKM_ML_DSA_KEY_PAIR_GEN, CKP_ML_DSA_65, &b->pub,
                           &b->priv);
        break;
    default:
        rv = bench_gen_pqc(ctx, ctx->main_s, CKM_SLH_DSA_KEY_PAIR_GEN,
                           kind == 4 ? CKP_SLH_DSA_SHA2_128F : CKP_SLH_DSA_SHAKE_128F, &b->pub,
                           &b->priv);
        break;
    }
    if (rv == CKR_OK) {
        rv = bench_sig_setup(ctx, b);
    }
    *shared = b;
    return rv;
}

static CK_RV
bench_setup_ecdsa(bench_ctx *ctx, void **shared)
{
    return bench_setup_sig(ctx, shared, CKM_ECDSA, 0);
}

static CK_RV
bench_setup_rsa(bench_ctx *ctx, void **shared)
{
    return bench_setup_sig(ctx, shared, CKM_SHA256_RSA_PKCS, 1);
}

static CK_RV
bench_setup_eddsa(bench_ctx *ctx, void **shared)
{
    return bench_setup_sig(ctx, shared, CKM_EDDSA, 2);
}

static CK_RV
bench_setup_mldsa(bench_ctx *ctx, void **shared)
{
    return bench_setup_sig(ctx, shared, CKM_ML_DSA, 3);
}

/* ML-DSA and SLH-DSA without a mechanism parameter sign hedged, with
 * fresh randomness, as OpenSSL 3.5 does by default. */
static CK_RV
bench_setup_slhdsa_sha2(bench_ctx *ctx, void **shared)
{
    return bench_setup_sig(ctx, shared, CKM_SLH_DSA, 4);
}

static CK_RV
bench_setup_slhdsa_shake(bench_ctx *ctx, void **shared)
{
    return bench_setup_sig(ctx, shared, CKM_SLH_DSA, 5);
}

static CK_RV
bench_op_sign(bench_thread *t, void *shared)
{
    CK_BYTE sig[BENCH_SIG_MAX];
    CK_ULONG len = sizeof(sig);

    return bench_sig_sign(t->ctx, t->s, shared, sig, &len);
}

static CK_RV
bench_op_verify(bench_thread *t, void *shared)
{
    return bench_sig_verify(t->ctx, t->s, shared);
}

static void
bench_teardown_free(bench_ctx *ctx, void *shared)
{
    (void)ctx;
    free(shared);
}

/* ---- ML-KEM-768 encapsulation ---- */

/* The ciphertext of ML-KEM-768 [FIPS 203 Table 3]. */
#define BENCH_MLKEM768_CT 1088

typedef struct {
    CK_OBJECT_HANDLE pub;
    CK_OBJECT_HANDLE priv;
    CK_BYTE ct[BENCH_MLKEM768_CT];
    CK_ULONG ct_len;
} bench_kem;

/* The shared secret: a session generic-secret object, readable so the
 * setup can compare both sides once. */
static CK_OBJECT_CLASS bench_kem_class = CKO_SECRET_KEY;
static CK_KEY_TYPE bench_kem_type = CKK_GENERIC_SECRET;
static CK_BBOOL bench_kem_no = CK_FALSE;
static CK_BBOOL bench_kem_yes = CK_TRUE;
static CK_ATTRIBUTE bench_kem_secret[] = {
    {CKA_CLASS, &bench_kem_class, sizeof(bench_kem_class)},
    {CKA_KEY_TYPE, &bench_kem_type, sizeof(bench_kem_type)},
    {CKA_TOKEN, &bench_kem_no, sizeof(CK_BBOOL)},
    {CKA_SENSITIVE, &bench_kem_no, sizeof(CK_BBOOL)},
    {CKA_EXTRACTABLE, &bench_kem_yes, sizeof(CK_BBOOL)},
};
#define BENCH_KEM_SECRET_ATTRS (sizeof(bench_kem_secret) / sizeof(bench_kem_secret[0]))

static CK_RV
bench_kem_encaps(bench_ctx *ctx, CK_SESSION_HANDLE s, bench_kem *k, CK_BYTE *ct,
                 CK_ULONG *ct_len, CK_OBJECT_HANDLE *secret)
{
    CK_MECHANISM m = {CKM_ML_KEM, NULL, 0};

    return ctx->f32->C_EncapsulateKey(s, &m, k->pub, bench_kem_secret, BENCH_KEM_SECRET_ATTRS,
                                      ct, ct_len, secret);
}

static CK_RV
bench_kem_decaps(bench_ctx *ctx, CK_SESSION_HANDLE s, bench_kem *k, CK_OBJECT_HANDLE *secret)
{
    CK_MECHANISM m = {CKM_ML_KEM, NULL, 0};

    return ctx->f32->C_DecapsulateKey(s, &m, k->priv, bench_kem_secret, BENCH_KEM_SECRET_ATTRS,
                                      k->ct, k->ct_len, secret);
}

/* 1 when both secret objects hold the same 32-byte value. */
static int
bench_kem_same(bench_ctx *ctx, CK_OBJECT_HANDLE a, CK_OBJECT_HANDLE b)
{
    CK_BYTE va[64];
    CK_BYTE vb[64];
    CK_ATTRIBUTE ta = {CKA_VALUE, va, sizeof(va)};
    CK_ATTRIBUTE tb = {CKA_VALUE, vb, sizeof(vb)};

    if (ctx->f->C_GetAttributeValue(ctx->main_s, a, &ta, 1) != CKR_OK ||
        ctx->f->C_GetAttributeValue(ctx->main_s, b, &tb, 1) != CKR_OK) {
        return 0;
    }
    return ta.ulValueLen == 32 && tb.ulValueLen == 32 && memcmp(va, vb, 32) == 0;
}

/* Make a key pair and encapsulate once; decapsulation must give the
 * same secret, and a changed ciphertext another one (implicit
 * rejection [FIPS 203 Alg. 18]). */
static CK_RV
bench_setup_mlkem(bench_ctx *ctx, void **shared)
{
    bench_kem *k = calloc(1, sizeof(*k));
    CK_OBJECT_HANDLE sa = CK_INVALID_HANDLE;
    CK_OBJECT_HANDLE sb = CK_INVALID_HANDLE;
    CK_RV rv;

    if (k == NULL) {
        return CKR_HOST_MEMORY;
    }
    *shared = k;
    if (ctx->f32 == NULL) {
        return CKR_FUNCTION_NOT_SUPPORTED;
    }
    rv = bench_gen_pqc(ctx, ctx->main_s, CKM_ML_KEM_KEY_PAIR_GEN, CKP_ML_KEM_768, &k->pub,
                       &k->priv);
    k->ct_len = sizeof(k->ct);
    if (rv == CKR_OK) {
        rv = bench_kem_encaps(ctx, ctx->main_s, k, k->ct, &k->ct_len, &sa);
    }
    if (rv == CKR_OK) {
        rv = bench_kem_decaps(ctx, ctx->main_s, k, &sb);
    }
    if (rv == CKR_OK && (k->ct_len != BENCH_MLKEM768_CT || !bench_kem_same(ctx, sa, sb))) {
        rv = CKR_GENERAL_ERROR;
    }
    if (rv == CKR_OK) {
        ctx->f->C_DestroyObject(ctx->main_s, sb);
        sb = CK_INVALID_HANDLE;
        k->ct[0] ^= 1;
        rv = bench_kem_decaps(ctx, ctx->main_s, k, &sb);
        k->ct[0] ^= 1;
    }
    if (rv == CKR_OK && bench_kem_same(ctx, sa, sb)) {
        rv = CKR_GENERAL_ERROR;
    }
    if (sa != CK_INVALID_HANDLE) {
        ctx->f->C_DestroyObject(ctx->main_s, sa);
    }
    if (sb != CK_INVALID_HANDLE) {
        ctx->f->C_DestroyObject(ctx->main_s, sb);
    }
    return rv;
}

/* Each operation makes the secret object and destroys it, both timed:
 * an application pays for both. */
static CK_RV
bench_op_encaps(bench_thread *t, void *shared)
{
    CK_BYTE ct[BENCH_MLKEM768_CT];
    CK_ULONG ct_len = sizeof(ct);
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
    CK_RV rv = bench_kem_encaps(t->ctx, t->s, shared, ct, &ct_len, &h);

    return bench_keygen_done(t, rv, h, CK_INVALID_HANDLE);
}

static CK_RV
bench_op_decaps(bench_thread *t, void *shared)
{
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
    CK_RV rv = bench_kem_decaps(t->ctx, t->s, shared, &h);

    return bench_keygen_done(t, rv, h, CK_INVALID_HANDLE);
}

/* ---- AES-256-GCM ---- */

typedef struct {
    CK_OBJECT_HANDLE key;
    CK_ULONG size;
} bench_gcm;

typedef struct {
    CK_BYTE iv[12];
    CK_GCM_PARAMS params;
    CK_BYTE *in;
    CK_BYTE *out;
    CK_BYTE *back;
} bench_gcm_thread;

static CK_RV
bench_setup_gcm(bench_ctx *ctx, void **shared, CK_ULONG size)
{
    bench_gcm *g = calloc(1, sizeof(*g));

    if (g == NULL) {
        return CKR_HOST_MEMORY;
    }
    g->size = size;
    *shared = g;
    return bench_gen_aes(ctx, ctx->main_s, &g->key);
}

static CK_RV
bench_setup_gcm64(bench_ctx *ctx, void **shared)
{
    return bench_setup_gcm(ctx, shared, 64);
}

static CK_RV
bench_setup_gcm1k(bench_ctx *ctx, void **shared)
{
    return bench_setup_gcm(ctx, shared, 1024);
}

static CK_RV
bench_setup_gcm1m(bench_ctx *ctx, void **shared)
{
    return bench_setup_gcm(ctx, shared, 1024 * 1024);
}

static CK_RV
bench_gcm_crypt(bench_thread *t, bench_gcm *g, int enc, CK_BYTE *in, CK_ULONG in_len,
                CK_BYTE *out, CK_ULONG *out_len)
{
    bench_gcm_thread *p = t->priv;
    CK_MECHANISM m = {CKM_AES_GCM, &p->params, sizeof(p->params)};
    CK_RV rv = enc ? t->ctx->f->C_EncryptInit(t->s, &m, g->key)
                   : t->ctx->f->C_DecryptInit(t->s, &m, g->key);

    if (rv == CKR_OK) {
        rv = enc ? t->ctx->f->C_Encrypt(t->s, in, in_len, out, out_len)
                 : t->ctx->f->C_Decrypt(t->s, in, in_len, out, out_len);
    }
    return rv;
}

static CK_RV
bench_thread_gcm(bench_thread *t, void *shared)
{
    bench_gcm *g = shared;
    bench_gcm_thread *p = calloc(1, sizeof(*p));
    CK_ULONG len;
    CK_ULONG back_len;
    CK_RV rv;

    if (p == NULL) {
        return CKR_HOST_MEMORY;
    }
    t->priv = p;
    p->in = malloc(g->size);
    p->out = malloc(g->size + 16);
    p->back = malloc(g->size + 16);
    if (p->in == NULL || p->out == NULL || p->back == NULL) {
        return CKR_HOST_MEMORY;
    }
    memset(p->in, 0x33, g->size);
    memset(p->iv, t->index, sizeof(p->iv));
    p->params.pIv = p->iv;
    p->params.ulIvLen = sizeof(p->iv);
    p->params.ulIvBits = 96;
    p->params.ulTagBits = 128;
    len = g->size + 16;
    rv = bench_gcm_crypt(t, g, 1, p->in, g->size, p->out, &len);
    if (rv == CKR_OK) {
        back_len = g->size + 16;
        rv = bench_gcm_crypt(t, g, 0, p->out, len, p->back, &back_len);
    }
    if (rv == CKR_OK && (back_len != g->size || memcmp(p->back, p->in, g->size) != 0)) {
        rv = CKR_GENERAL_ERROR;
    }
    return rv;
}

static CK_RV
bench_op_gcm(bench_thread *t, void *shared)
{
    bench_gcm *g = shared;
    bench_gcm_thread *p = t->priv;
    CK_ULONG len = g->size + 16;

    p->iv[11]++;
    return bench_gcm_crypt(t, g, 1, p->in, g->size, p->out, &len);
}

static void
bench_thread_gcm_done(bench_thread *t, void *shared)
{
    bench_gcm_thread *p = t->priv;

    (void)shared;
    if (p != NULL) {
        free(p->in);
        free(p->out);
        free(p->back);
        free(p);
    }
    t->priv = NULL;
}

/* Message-based: one C_MessageEncryptInit per thread, one call a message. */
typedef struct {
    bench_gcm_thread base;
    CK_GCM_MESSAGE_PARAMS mp;
    CK_BYTE tag[16];
} bench_gcm_msg_thread;

static CK_RV
bench_thread_gcm_msg(bench_thread *t, void *shared)
{
    bench_gcm *g = shared;
    bench_gcm_msg_thread *p = calloc(1, sizeof(*p));
    CK_MECHANISM m = {CKM_AES_GCM, NULL, 0};
    CK_ULONG len = g->size;
    CK_RV rv;

    if (p == NULL) {
        return CKR_HOST_MEMORY;
    }
    t->priv = p;
    if (t->ctx->f3 == NULL) {
        return CKR_FUNCTION_NOT_SUPPORTED;
    }
    p->base.in = malloc(g->size);
    p->base.out = malloc(g->size);
    p->base.back = malloc(g->size);
    if (p->base.in == NULL || p->base.out == NULL || p->base.back == NULL) {
        return CKR_HOST_MEMORY;
    }
    memset(p->base.in, 0x44, g->size);
    memset(p->base.iv, t->index + 1, sizeof(p->base.iv));
    p->mp.pIv = p->base.iv;
    p->mp.ulIvLen = sizeof(p->base.iv);
    p->mp.ulIvFixedBits = 0;
    p->mp.ivGenerator = CKG_NO_GENERATE;
    p->mp.pTag = p->tag;
    p->mp.ulTagBits = 128;
    rv = t->ctx->f3->C_MessageEncryptInit(t->s, &m, g->key);
    if (rv == CKR_OK) {
        rv = t->ctx->f3->C_EncryptMessage(t->s, &p->mp, sizeof(p->mp), NULL, 0, p->base.in,
                                          g->size, p->base.out, &len);
    }
    return rv;
}

static CK_RV
bench_op_gcm_msg(bench_thread *t, void *shared)
{
    bench_gcm *g = shared;
    bench_gcm_msg_thread *p = t->priv;
    CK_ULONG len = g->size;

    p->base.iv[11]++;
    return t->ctx->f3->C_EncryptMessage(t->s, &p->mp, sizeof(p->mp), NULL, 0, p->base.in,
                                        g->size, p->base.out, &len);
}

static void
bench_thread_gcm_msg_done(bench_thread *t, void *shared)
{
    bench_gcm_msg_thread *p = t->priv;

    (void)shared;
    if (p != NULL && t->ctx->f3 != NULL) {
        t->ctx->f3->C_MessageEncryptFinal(t->s);
    }
    if (p != NULL) {
        free(p->base.in);
        free(p->base.out);
        free(p->base.back);
        free(p);
    }
    t->priv = NULL;
}

/* ---- SHA-256 ---- */

typedef struct {
    CK_ULONG size;
} bench_sha;

static CK_RV
bench_setup_sha(void **shared, CK_ULONG size)
{
    bench_sha *b = calloc(1, sizeof(*b));

    if (b == NULL) {
        return CKR_HOST_MEMORY;
    }
    b->size = size;
    *shared = b;
    return CKR_OK;
}

static CK_RV
bench_setup_sha64(bench_ctx *ctx, void **shared)
{
    (void)ctx;
    return bench_setup_sha(shared, 64);
}

static CK_RV
bench_setup_sha1m(bench_ctx *ctx, void **shared)
{
    (void)ctx;
    return bench_setup_sha(shared, 1024 * 1024);
}

static CK_RV
bench_sha_once(bench_thread *t, const CK_BYTE *in, CK_ULONG len, CK_BYTE out[32])
{
    CK_MECHANISM m = {CKM_SHA256, NULL, 0};
    CK_ULONG out_len = 32;
    CK_RV rv = t->ctx->f->C_DigestInit(t->s, &m);

    if (rv == CKR_OK) {
        rv = t->ctx->f->C_Digest(t->s, (CK_BYTE_PTR)in, len, out, &out_len);
    }
    return rv == CKR_OK && out_len != 32 ? CKR_GENERAL_ERROR : rv;
}

static CK_RV
bench_thread_sha(bench_thread *t, void *shared)
{
    static const CK_BYTE abc_sha256[4] = {0xba, 0x78, 0x16, 0xbf};
    bench_sha *b = shared;
    CK_BYTE out[32];
    CK_RV rv;

    t->priv = calloc(1, b->size);
    if (t->priv == NULL) {
        return CKR_HOST_MEMORY;
    }
    rv = bench_sha_once(t, (const CK_BYTE *)"abc", 3, out);
    return rv == CKR_OK && memcmp(out, abc_sha256, 4) != 0 ? CKR_GENERAL_ERROR : rv;
}

static CK_RV
bench_op_sha(bench_thread *t, void *shared)
{
    bench_sha *b = shared;
    CK_BYTE out[32];

    return bench_sha_once(t, t->priv, b->size, out);
}

static void
bench_thread_free_priv(bench_thread *t, void *shared)
{
    (void)shared;
    free(t->priv);
    t->priv = NULL;
}

/* ---- random, sessions ---- */

static CK_RV
bench_op_random(bench_thread *t, void *shared)
{
    CK_BYTE buf[32];

    (void)shared;
    return t->ctx->f->C_GenerateRandom(t->s, buf, sizeof(buf));
}

static CK_RV
bench_op_session(bench_thread *t, void *shared)
{
    CK_SESSION_HANDLE s;
    CK_RV rv = t->ctx->f->C_OpenSession(t->ctx->slot, CKF_SERIAL_SESSION, NULL, NULL, &s);

    (void)shared;
    if (rv == CKR_OK) {
        rv = t->ctx->f->C_CloseSession(s);
    }
    return rv;
}

/* ---- finding one object among many token objects ---- */

typedef struct {
    unsigned long count;
    char label[32];
} bench_find;

/* 1 when the token holds the object labelled bench-obj-<i>. */
static int
bench_has_object(bench_ctx *ctx, unsigned long i)
{
    char label[32];
    CK_ATTRIBUTE probe = {CKA_LABEL, label, 0};
    CK_OBJECT_HANDLE h;
    CK_ULONG n = 0;

    probe.ulValueLen = (CK_ULONG)snprintf(label, sizeof(label), "bench-obj-%lu", i);
    if (ctx->f->C_FindObjectsInit(ctx->main_s, &probe, 1) != CKR_OK) {
        return 0;
    }
    if (ctx->f->C_FindObjects(ctx->main_s, &h, 1, &n) != CKR_OK) {
        n = 0;
    }
    ctx->f->C_FindObjectsFinal(ctx->main_s);
    return n > 0;
}

/* Make token objects bench-obj-0 .. count-1. They are made in order and
 * kept between runs, so a binary search finds where to go on. */
static CK_RV
bench_fill_objects(bench_ctx *ctx, unsigned long count)
{
    CK_OBJECT_CLASS cls = CKO_DATA;
    CK_BBOOL yes = CK_TRUE;
    CK_BBOOL no = CK_FALSE;
    char label[32];
    CK_ATTRIBUTE t[] = {
        {CKA_CLASS, &cls, sizeof(cls)},
        {CKA_TOKEN, &yes, sizeof(yes)},
        {CKA_PRIVATE, &no, sizeof(no)},
        {CKA_LABEL, label, 0},
        {CKA_VALUE, "bench object", 12},
    };
    CK_OBJECT_HANDLE h;
    unsigned long lo = 0;
    unsigned long hi = count;
    CK_RV rv = CKR_OK;

    while (lo < hi) {
        unsigned long mid = lo + (hi - lo) / 2;
        if (bench_has_object(ctx, mid)) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    for (unsigned long i = lo; i < count && rv == CKR_OK; i++) {
        t[3].ulValueLen = (CK_ULONG)snprintf(label, sizeof(label), "bench-obj-%lu", i);
        rv = ctx->f->C_CreateObject(ctx->main_s, t, 5, &h);
        if (rv == CKR_OK && (i + 1) % 1000 == 0) {
            fprintf(stderr, "  %s: %lu token objects\n", ctx->name, i + 1);
        }
    }
    return rv;
}

static CK_RV
bench_setup_find(bench_ctx *ctx, void **shared, unsigned long count)
{
    bench_find *b = calloc(1, sizeof(*b));

    if (b == NULL) {
        return CKR_HOST_MEMORY;
    }
    *shared = b;
    b->count = count;
    snprintf(b->label, sizeof(b->label), "bench-obj-%lu", count / 2);
    return bench_fill_objects(ctx, count);
}

static CK_RV
bench_setup_find1k(bench_ctx *ctx, void **shared)
{
    return bench_setup_find(ctx, shared, 1000);
}

static CK_RV
bench_setup_find10k(bench_ctx *ctx, void **shared)
{
    return bench_setup_find(ctx, shared, ctx->objects);
}

static CK_RV
bench_find_once(bench_thread *t, bench_find *b, CK_ULONG *found)
{
    CK_ATTRIBUTE a = {CKA_LABEL, b->label, strlen(b->label)};
    CK_OBJECT_HANDLE h[2];
    CK_RV rv = t->ctx->f->C_FindObjectsInit(t->s, &a, 1);

    if (rv == CKR_OK) {
        rv = t->ctx->f->C_FindObjects(t->s, h, 2, found);
        CK_RV r2 = t->ctx->f->C_FindObjectsFinal(t->s);
        rv = rv == CKR_OK ? r2 : rv;
    }
    return rv;
}

static CK_RV
bench_thread_find(bench_thread *t, void *shared)
{
    CK_ULONG n = 0;
    CK_RV rv = bench_find_once(t, shared, &n);

    return rv == CKR_OK && n != 1 ? CKR_GENERAL_ERROR : rv;
}

static CK_RV
bench_op_find(bench_thread *t, void *shared)
{
    CK_ULONG n = 0;
    CK_RV rv = bench_find_once(t, shared, &n);

    return rv == CKR_OK && n != 1 ? CKR_GENERAL_ERROR : rv;
}

/* ---- login; re-initialisation with a full token ---- */

static CK_RV
bench_op_login(bench_thread *t, void *shared)
{
    CK_RV rv = t->ctx->f->C_Logout(t->s);

    (void)shared;
    if (rv == CKR_OK) {
        rv = t->ctx->f->C_Login(t->s, CKU_USER, (CK_UTF8CHAR_PTR)t->ctx->pin,
                                strlen(t->ctx->pin));
    }
    return rv;
}

/* C_Initialize, the first session and its first look at the objects
 * (finding one by label), each operation: what an application pays at
 * start-up [issue 5]. C_Finalize runs before the first operation and
 * after each one, outside the measured time. The main session is gone
 * afterwards, so this workload runs last. */
static CK_RV
bench_thread_reinit(bench_thread *t, void *shared)
{
    CK_RV rv = t->ctx->f->C_Finalize(NULL);

    (void)shared;
    /* Later runs find the library finalized by the last operation. */
    return rv == CKR_CRYPTOKI_NOT_INITIALIZED ? CKR_OK : rv;
}

static CK_RV
bench_untimed_finalize(bench_thread *t, void *shared)
{
    (void)shared;
    return t->ctx->f->C_Finalize(NULL);
}

static CK_RV
bench_op_reinit(bench_thread *t, void *shared)
{
    bench_ctx *ctx = t->ctx;
    CK_C_INITIALIZE_ARGS args;
    CK_RV rv;

    (void)shared;
    memset(&args, 0, sizeof(args));
    args.flags = CKF_OS_LOCKING_OK;
    rv = ctx->f->C_Initialize(&args);
    if (rv == CKR_OK) {
        /* Applications find their token by label: a slot ID need not
         * survive C_Finalize (SoftHSMv2 numbers its slots anew). */
        rv = bench_find_token(ctx);
    }
    if (rv == CKR_OK) {
        rv = ctx->f->C_OpenSession(ctx->slot, CKF_SERIAL_SESSION, NULL, NULL, &t->s);
    }
    if (rv == CKR_OK) {
        bench_find first = {1, "bench-obj-0"};
        CK_ULONG n = 0;
        rv = bench_find_once(t, &first, &n);
        rv = rv == CKR_OK && n != 1 ? CKR_GENERAL_ERROR : rv;
    }
    return rv;
}

const bench_workload bench_workloads[] = {
    {"keygen_aes256", "keygen", CKM_AES_KEY_GEN, 0, NULL, NULL, bench_op_keygen_aes, NULL, NULL,
     NULL},
    {"keygen_ec_p256", "keygen", CKM_EC_KEY_PAIR_GEN, 0, NULL, NULL, bench_op_keygen_p256, NULL,
     NULL, NULL},
    {"keygen_rsa2048", "keygen", CKM_RSA_PKCS_KEY_PAIR_GEN, 0, NULL, NULL, bench_op_keygen_rsa,
     NULL, NULL, NULL},
    {"keygen_ed25519", "keygen", CKM_EC_EDWARDS_KEY_PAIR_GEN, 0, NULL, NULL,
     bench_op_keygen_ed25519, NULL, NULL, NULL},
    {"keygen_mldsa65", "keygen", CKM_ML_DSA_KEY_PAIR_GEN, 0, NULL, NULL, bench_op_keygen_mldsa,
     NULL, NULL, NULL},
    {"keygen_mlkem768", "keygen", CKM_ML_KEM_KEY_PAIR_GEN, 0, NULL, NULL, bench_op_keygen_mlkem,
     NULL, NULL, NULL},
    {"keygen_slhdsa_sha2_128f", "keygen", CKM_SLH_DSA_KEY_PAIR_GEN, 0, NULL, NULL,
     bench_op_keygen_slhdsa_sha2, NULL, NULL, NULL},
    {"keygen_slhdsa_shake_128f", "keygen", CKM_SLH_DSA_KEY_PAIR_GEN, 0, NULL, NULL,
     bench_op_keygen_slhdsa_shake, NULL, NULL, NULL},
    {"sign_ecdsa_p256", "sign", CKM_ECDSA, 0, bench_setup_ecdsa, NULL, bench_op_sign, NULL,
     bench_teardown_free, NULL},
    {"verify_ecdsa_p256", "verify", CKM_ECDSA, 0, bench_setup_ecdsa, NULL, bench_op_verify, NULL,
     bench_teardown_free, NULL},
    {"sign_rsa2048_sha256", "sign", CKM_SHA256_RSA_PKCS, 0, bench_setup_rsa, NULL, bench_op_sign,
     NULL, bench_teardown_free, NULL},
    {"verify_rsa2048_sha256", "verify", CKM_SHA256_RSA_PKCS, 0, bench_setup_rsa, NULL,
     bench_op_verify, NULL, bench_teardown_free, NULL},
    {"sign_ed25519", "sign", CKM_EDDSA, 0, bench_setup_eddsa, NULL, bench_op_sign, NULL,
     bench_teardown_free, NULL},
    {"verify_ed25519", "verify", CKM_EDDSA, 0, bench_setup_eddsa, NULL, bench_op_verify, NULL,
     bench_teardown_free, NULL},
    {"sign_mldsa65", "sign", CKM_ML_DSA, 0, bench_setup_mldsa, NULL, bench_op_sign, NULL,
     bench_teardown_free, NULL},
    {"verify_mldsa65", "verify", CKM_ML_DSA, 0, bench_setup_mldsa, NULL, bench_op_verify, NULL,
     bench_teardown_free, NULL},
    {"sign_slhdsa_sha2_128f", "sign", CKM_SLH_DSA, 0, bench_setup_slhdsa_sha2, NULL,
     bench_op_sign, NULL, bench_teardown_free, NULL},
    {"verify_slhdsa_sha2_128f", "verify", CKM_SLH_DSA, 0, bench_setup_slhdsa_sha2, NULL,
     bench_op_verify, NULL, bench_teardown_free, NULL},
    {"sign_slhdsa_shake_128f", "sign", CKM_SLH_DSA, 0, bench_setup_slhdsa_shake, NULL,
     bench_op_sign, NULL, bench_teardown_free, NULL},
    {"verify_slhdsa_shake_128f", "verify", CKM_SLH_DSA, 0, bench_setup_slhdsa_shake, NULL,
     bench_op_verify, NULL, bench_teardown_free, NULL},
    {"encaps_mlkem768", "kem", CKM_ML_KEM, 0, bench_setup_mlkem, NULL, bench_op_encaps, NULL,
     bench_teardown_free, NULL},
    {"decaps_mlkem768", "kem", CKM_ML_KEM, 0, bench_setup_mlkem, NULL, bench_op_decaps, NULL,
     bench_teardown_free, NULL},
    {"aes256gcm_64", "cipher", CKM_AES_GCM, 0, bench_setup_gcm64, bench_thread_gcm, bench_op_gcm,
     bench_thread_gcm_done, bench_teardown_free, NULL},
    {"aes256gcm_1k", "cipher", CKM_AES_GCM, 0, bench_setup_gcm1k, bench_thread_gcm, bench_op_gcm,
     bench_thread_gcm_done, bench_teardown_free, NULL},
    {"aes256gcm_1m", "cipher", CKM_AES_GCM, 0, bench_setup_gcm1m, bench_thread_gcm, bench_op_gcm,
     bench_thread_gcm_done, bench_teardown_free, NULL},
    {"aes256gcm_msg_64", "cipher", CKM_AES_GCM, 0, bench_setup_gcm64, bench_thread_gcm_msg,
     bench_op_gcm_msg, bench_thread_gcm_msg_done, bench_teardown_free, NULL},
    {"aes256gcm_msg_1k", "cipher", CKM_AES_GCM, 0, bench_setup_gcm1k, bench_thread_gcm_msg,
     bench_op_gcm_msg, bench_thread_gcm_msg_done, bench_teardown_free, NULL},
    {"aes256gcm_msg_1m", "cipher", CKM_AES_GCM, 0, bench_setup_gcm1m, bench_thread_gcm_msg,
     bench_op_gcm_msg, bench_thread_gcm_msg_done, bench_teardown_free, NULL},
    {"sha256_64", "digest", CKM_SHA256, 0, bench_setup_sha64, bench_thread_sha, bench_op_sha,
     bench_thread_free_priv, bench_teardown_free, NULL},
    {"sha256_1m", "digest", CKM_SHA256, 0, bench_setup_sha1m, bench_thread_sha, bench_op_sha,
     bench_thread_free_priv, bench_teardown_free, NULL},
    {"random_32", "misc", 0, 0, NULL, NULL, bench_op_random, NULL, NULL, NULL},
    {"session_open_close", "misc", 0, 0, NULL, NULL, bench_op_session, NULL, NULL, NULL},
    {"find_label_1k", "find", 0, 0, bench_setup_find1k, bench_thread_find, bench_op_find, NULL,
     bench_teardown_free, NULL},
    {"find_label_10k", "find", 0, 0, bench_setup_find10k, bench_thread_find, bench_op_find, NULL,
     bench_teardown_free, NULL},
    {"login", "misc", 0, 1, NULL, NULL, bench_op_login, NULL, NULL, NULL},
    {"init_open_find_10k", "misc", 0, 1, NULL, bench_thread_reinit, bench_op_reinit, NULL, NULL,
     bench_untimed_finalize},
};

const unsigned long bench_workload_count = sizeof(bench_workloads) / sizeof(bench_workloads[0]);
