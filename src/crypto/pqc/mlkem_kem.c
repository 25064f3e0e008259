/*
 * K-PKE and ML-KEM for one parameter set [FIPS 203 §5, §6], compiled once
 * per set with -DTK_MLKEM_K=2/3/4 (see mlkem.cmake). The definitions are
 * named through TK_MLKEM_NS(), so `grep tk_mlkem768_keygen` finds nothing
 * here: look for TK_MLKEM_NS(keygen). Declared in mlkem_kem.h.
 *
 * From the bytes of a key, the matrix A is never stored: each entry is
 * sampled when it is needed, which keeps the stack small and costs nothing
 * extra since every entry is used once per operation. An expanded key
 * (tk_mlkem_ekx/dkx) holds A, t_hat and s_hat instead, for keys used many
 * times. Each operation keeps its secrets in one workspace struct that is
 * wiped on the way out.
 */
#include "crypto/pqc/mlkem_params.h"

#include <string.h>

#include "crypto/pqc/keccak.h"
#include "crypto/pqc/mlkem.h"
#include "crypto/pqc/mlkem_kem.h"
#include "crypto/pqc/mlkem_poly.h"
#include "crypto/pqc/pqc_err.h"
#include "util/wipe.h"

typedef struct {
    tk_mlkem_poly p[TK_MLKEM_K];
} tk_mlkem_pv;

typedef struct {
    tk_mlkem_mulcache c[TK_MLKEM_K];
} tk_mlkem_pvcache;

/* Layout of tk_mlkem_ekx for this set: A_hat[i][j] at a[i * k + j]. */
typedef struct {
    tk_mlkem_poly a[TK_MLKEM_K * TK_MLKEM_K];
    tk_mlkem_poly t[TK_MLKEM_K];
    uint8_t h[32];
} tk_mlkem_ekx_k;

/* Layout of tk_mlkem_dkx for this set. */
typedef struct {
    tk_mlkem_ekx_k e;
    tk_mlkem_poly s[TK_MLKEM_K];
    uint8_t z[32];
} tk_mlkem_dkx_k;

_Static_assert(sizeof(tk_mlkem_ekx_k) <= TK_MLKEM_EKX_BYTES, "tk_mlkem_ekx too small");
_Static_assert(sizeof(tk_mlkem_dkx_k) <= TK_MLKEM_DKX_BYTES, "tk_mlkem_dkx too small");

/* The public key as K-PKE.Encrypt sees it: the bytes of ek, from which A
 * and t are rebuilt, or an expanded key that holds them. */
typedef struct {
    const uint8_t *ek;
    const tk_mlkem_ekx_k *x;
} tk_mlkem_pub;

/* Secrets of K-PKE.KeyGen. */
typedef struct {
    uint8_t g[64];
    tk_mlkem_pv s;
    tk_mlkem_pvcache sc;
    tk_mlkem_poly e;
    tk_mlkem_poly t;
    tk_mlkem_poly a;
    int32_t acc[TK_MLKEM_N];
} tk_mlkem_keygen_ws;

/* Secrets of K-PKE.Encrypt. */
typedef struct {
    tk_mlkem_pv y;
    tk_mlkem_pvcache yc;
    tk_mlkem_poly a;
    tk_mlkem_poly e;
    tk_mlkem_poly u;
    tk_mlkem_poly msg;
    int32_t acc[TK_MLKEM_N];
} tk_mlkem_encrypt_ws;

/* Secrets of K-PKE.Decrypt. */
typedef struct {
    tk_mlkem_poly s;
    tk_mlkem_poly u;
    tk_mlkem_mulcache uc;
    tk_mlkem_poly w;
    int32_t acc[TK_MLKEM_N];
} tk_mlkem_decrypt_ws;

/* Secrets of ML-KEM.Decaps. */
typedef struct {
    uint8_t buf[64]; /* m' || h */
    uint8_t g[64];   /* K' || r' */
    uint8_t kbar[32];
    uint8_t ct2[TK_MLKEM_CTBYTES];
} tk_mlkem_decaps_ws;

/* Compiler barrier on a mask so that the select below stays branch-free. */
static inline uint8_t
tk_mlkem_ct_barrier(uint8_t x)
{
#if defined(__GNUC__)
    __asm__("" : "+r"(x));
#endif
    return x;
}

/* t_hat[i] = sum_j A[i][j] o s_hat[j] + e_hat[i], encoded into ek. */
static void
tk_mlkem_keygen_row(tk_mlkem_keygen_ws *ws, const uint8_t *rho, uint8_t i, uint8_t *out)
{
    memset(ws->acc, 0, sizeof(ws->acc));
    for (unsigned int j = 0; j < TK_MLKEM_K; j++) {
        tk_mlkem_sample_ntt(&ws->a, rho, (uint8_t)j, i);
        tk_mlkem_basemul_acc(ws->acc, &ws->a, &ws->s.p[j], &ws->sc.c[j]);
    }
    tk_mlkem_acc_reduce(&ws->t, ws->acc);
    tk_mlkem_poly_tomont(&ws->t);

    tk_mlkem_sample_cbd(&ws->e, ws->g + 32, (uint8_t)(TK_MLKEM_K + i), TK_MLKEM_ETA1);
    tk_mlkem_ntt(&ws->e);
    tk_mlkem_poly_add(&ws->t, &ws->e);
    tk_mlkem_poly_normalize(&ws->t);
    tk_mlkem_poly_encode(out, &ws->t, 12);
}

/* K-PKE.KeyGen [FIPS 203 Alg. 13] after line 1: g = rho || sigma.
 * ek_PKE goes to ek, dk_PKE to dk. */
static void
tk_mlkem_pke_keygen(const uint8_t g[64], uint8_t *ek, uint8_t *dk)
{
    tk_mlkem_keygen_ws ws;
    const uint8_t *sigma = ws.g + 32;

    memcpy(ws.g, g, 64);

    for (unsigned int i = 0; i < TK_MLKEM_K; i++) {
        tk_mlkem_sample_cbd(&ws.s.p[i], sigma, (uint8_t)i, TK_MLKEM_ETA1);
        tk_mlkem_ntt(&ws.s.p[i]);
        tk_mlkem_mulcache_compute(&ws.sc.c[i], &ws.s.p[i]);
    }
    for (unsigned int i = 0; i < TK_MLKEM_K; i++) {
        tk_mlkem_keygen_row(&ws, ws.g, (uint8_t)i, ek + i * TK_MLKEM_POLYBYTES);
    }
    memcpy(ek + TK_MLKEM_PVBYTES, ws.g, 32);

    for (unsigned int i = 0; i < TK_MLKEM_K; i++) {
        tk_mlkem_poly_normalize(&ws.s.p[i]);
        tk_mlkem_poly_encode(dk + i * TK_MLKEM_POLYBYTES, &ws.s.p[i], 12);
    }
    tk_wipe(&ws, sizeof(ws));
}

/* A_hat^T[i][j] = A_hat[j][i] = SampleNTT(rho || i || j), sampled into the
 * workspace or taken from an expanded key. */
static const tk_mlkem_poly *
tk_mlkem_at_entry(tk_mlkem_encrypt_ws *ws, const tk_mlkem_pub *pk, unsigned int i,
                  unsigned int j)
{
    if (pk->x != NULL) {
        return &pk->x->a[j * TK_MLKEM_K + i];
    }
    tk_mlkem_sample_ntt(&ws->a, pk->ek + TK_MLKEM_PVBYTES, (uint8_t)i, (uint8_t)j);
    return &ws->a;
}

/* t_hat[j], decoded into the workspace or taken from an expanded key. */
static const tk_mlkem_poly *
tk_mlkem_t_entry(tk_mlkem_encrypt_ws *ws, const tk_mlkem_pub *pk, unsigned int j)
{
    if (pk->x != NULL) {
        return &pk->x->t[j];
    }
    tk_mlkem_poly_decode12(&ws->a, pk->ek + j * TK_MLKEM_POLYBYTES);
    return &ws->a;
}

/* u[i] = NTT^-1(sum_j A[j][i] o y_hat[j]) + e1[i], compressed into c1. */
static void
tk_mlkem_encrypt_row(tk_mlkem_encrypt_ws *ws, const tk_mlkem_pub *pk, const uint8_t r[32],
                     uint8_t i, uint8_t *out)
{
    memset(ws->acc, 0, sizeof(ws->acc));
    for (unsigned int j = 0; j < TK_MLKEM_K; j++) {
        const tk_mlkem_poly *a = tk_mlkem_at_entry(ws, pk, i, j);

        tk_mlkem_basemul_acc(ws->acc, a, &ws->y.p[j], &ws->yc.c[j]);
    }
    tk_mlkem_acc_reduce(&ws->u, ws->acc);
    tk_mlkem_invntt_tomont(&ws->u);

    tk_mlkem_sample_cbd(&ws->e, r, (uint8_t)(TK_MLKEM_K + i), TK_MLKEM_ETA2);
    tk_mlkem_poly_add(&ws->u, &ws->e);
    tk_mlkem_poly_normalize(&ws->u);
    tk_mlkem_poly_compress(&ws->u, TK_MLKEM_DU);
    tk_mlkem_poly_encode(out, &ws->u, TK_MLKEM_DU);
}

/* v = NTT^-1(t_hat^T o y_hat) + e2 + Decompress_1(m), compressed into c2. */
static void
tk_mlkem_encrypt_v(tk_mlkem_encrypt_ws *ws, const tk_mlkem_pub *pk, const uint8_t m[32],
                   const uint8_t r[32], uint8_t *out)
{
    memset(ws->acc, 0, sizeof(ws->acc));
    for (unsigned int j = 0; j < TK_MLKEM_K; j++) {
        const tk_mlkem_poly *t = tk_mlkem_t_entry(ws, pk, j);

        tk_mlkem_basemul_acc(ws->acc, t, &ws->y.p[j], &ws->yc.c[j]);
    }
    tk_mlkem_acc_reduce(&ws->u, ws->acc);
    tk_mlkem_invntt_tomont(&ws->u);

    tk_mlkem_sample_cbd(&ws->e, r, (uint8_t)(2 * TK_MLKEM_K), TK_MLKEM_ETA2);
    tk_mlkem_poly_add(&ws->u, &ws->e);
    tk_mlkem_poly_frommsg(&ws->msg, m);
    tk_mlkem_poly_add(&ws->u, &ws->msg);
    tk_mlkem_poly_normalize(&ws->u);
    tk_mlkem_poly_compress(&ws->u, TK_MLKEM_DV);
    tk_mlkem_poly_encode(out, &ws->u, TK_MLKEM_DV);
}

/* K-PKE.Encrypt [FIPS 203 Alg. 14]; ek must have passed the §7.2 check. */
static void
tk_mlkem_pke_encrypt(const tk_mlkem_pub *pk, const uint8_t m[32], const uint8_t r[32],
                     uint8_t *ct)
{
    tk_mlkem_encrypt_ws ws;

    for (unsigned int i = 0; i < TK_MLKEM_K; i++) {
        tk_mlkem_sample_cbd(&ws.y.p[i], r, (uint8_t)i, TK_MLKEM_ETA1);
        tk_mlkem_ntt(&ws.y.p[i]);
        tk_mlkem_mulcache_compute(&ws.yc.c[i], &ws.y.p[i]);
    }
    for (unsigned int i = 0; i < TK_MLKEM_K; i++) {
        tk_mlkem_encrypt_row(&ws, pk, r, (uint8_t)i, ct + i * 32 * TK_MLKEM_DU);
    }
    tk_mlkem_encrypt_v(&ws, pk, m, r, ct + TK_MLKEM_C1BYTES);
    tk_wipe(&ws, sizeof(ws));
}

/* K-PKE.Decrypt [FIPS 203 Alg. 15] with s_hat from the bytes dkpke or,
 * when s is not NULL, already decoded. */
static void
tk_mlkem_pke_decrypt(const uint8_t *dkpke, const tk_mlkem_poly *s, const uint8_t *ct,
                     uint8_t m[32])
{
    tk_mlkem_decrypt_ws ws;

    memset(ws.acc, 0, sizeof(ws.acc));
    for (unsigned int i = 0; i < TK_MLKEM_K; i++) {
        tk_mlkem_poly_decode(&ws.u, ct + i * 32 * TK_MLKEM_DU, TK_MLKEM_DU);
        tk_mlkem_poly_decompress(&ws.u, TK_MLKEM_DU);
        tk_mlkem_ntt(&ws.u);
        tk_mlkem_mulcache_compute(&ws.uc, &ws.u);
        if (s == NULL) {
            tk_mlkem_poly_decode12(&ws.s, dkpke + i * TK_MLKEM_POLYBYTES);
        }
        tk_mlkem_basemul_acc(ws.acc, s != NULL ? &s[i] : &ws.s, &ws.u, &ws.uc);
    }
    tk_mlkem_acc_reduce(&ws.w, ws.acc);
    tk_mlkem_invntt_tomont(&ws.w);

    tk_mlkem_poly_decode(&ws.u, ct + TK_MLKEM_C1BYTES, TK_MLKEM_DV);
    tk_mlkem_poly_decompress(&ws.u, TK_MLKEM_DV);
    tk_mlkem_poly_sub(&ws.u, &ws.w);
    tk_mlkem_poly_tomsg(m, &ws.u);
    tk_wipe(&ws, sizeof(ws));
}

int
TK_MLKEM_NS(check_ek)(const uint8_t *ek)
{
    for (unsigned int i = 0; i < TK_MLKEM_K; i++) {
        if (!tk_mlkem_poly_check12(ek + i * TK_MLKEM_POLYBYTES)) {
            return TK_PQC_EBADKEY;
        }
    }
    return TK_PQC_OK;
}

int
TK_MLKEM_NS(check_dk)(const uint8_t *dk)
{
    const uint8_t *ek = dk + TK_MLKEM_DKPKEBYTES;
    uint8_t h[32];

    /* H(ek) is public, so the result may be branched on. */
    tk_sha3_256(h, ek, TK_MLKEM_EKBYTES);
    if (tk_ct_memcmp(h, ek + TK_MLKEM_EKBYTES, 32) != 0) {
        return TK_PQC_EBADKEY;
    }
    return TK_PQC_OK;
}

int
TK_MLKEM_NS(keygen_expanded)(const uint8_t g[64], const uint8_t z[32], uint8_t *ek, uint8_t *dk)
{
    uint8_t *dk_ek = dk + TK_MLKEM_DKPKEBYTES;

    tk_mlkem_pke_keygen(g, ek, dk);
    memcpy(dk_ek, ek, TK_MLKEM_EKBYTES);
    tk_sha3_256(dk_ek + TK_MLKEM_EKBYTES, ek, TK_MLKEM_EKBYTES);
    memcpy(dk_ek + TK_MLKEM_EKBYTES + 32, z, 32);
    return TK_PQC_OK;
}

int
TK_MLKEM_NS(keygen)(const uint8_t d[32], const uint8_t z[32], uint8_t *ek, uint8_t *dk)
{
    uint8_t seed[33];
    uint8_t g[64];
    int rc;

    /* (rho, sigma) = G(d || k): k separates the parameter sets
     * [FIPS 203 Alg. 13 line 1]. */
    memcpy(seed, d, 32);
    seed[32] = TK_MLKEM_K;
    tk_sha3_512(g, seed, sizeof(seed));
    rc = TK_MLKEM_NS(keygen_expanded)(g, z, ek, dk);
    tk_wipe(seed, sizeof(seed));
    tk_wipe(g, sizeof(g));
    return rc;
}

/* ML-KEM.Encaps_internal [FIPS 203 Alg. 17] given h = H(ek). */
static void
tk_mlkem_encaps_core(const tk_mlkem_pub *pk, const uint8_t h[32], const uint8_t m[32],
                     uint8_t *ct, uint8_t ss[32])
{
    uint8_t buf[64]; /* m || H(ek) */
    uint8_t g[64];   /* K || r */

    memcpy(buf, m, 32);
    memcpy(buf + 32, h, 32);
    tk_sha3_512(g, buf, sizeof(buf));
    tk_mlkem_pke_encrypt(pk, m, g + 32, ct);
    memcpy(ss, g, 32);
    tk_wipe(buf, sizeof(buf));
    tk_wipe(g, sizeof(g));
}

int
TK_MLKEM_NS(encaps)(const uint8_t *ek, const uint8_t m[32], uint8_t *ct, uint8_t ss[32])
{
    tk_mlkem_pub pk = {ek, NULL};
    uint8_t h[32];

    if (TK_MLKEM_NS(check_ek)(ek) != TK_PQC_OK) {
        return TK_PQC_EBADKEY;
    }
    tk_sha3_256(h, ek, TK_MLKEM_EKBYTES);
    tk_mlkem_encaps_core(&pk, h, m, ct, ss);
    return TK_PQC_OK;
}

/* K-bar = J(z || c) = SHAKE256(z || c, 32) [FIPS 203 Alg. 18 line 7]. */
static void
tk_mlkem_reject_key(uint8_t kbar[32], const uint8_t z[32], const uint8_t *ct)
{
    tk_keccak_ctx ctx;

    tk_shake256_init(&ctx);
    tk_keccak_absorb(&ctx, z, 32);
    tk_keccak_absorb(&ctx, ct, TK_MLKEM_CTBYTES);
    tk_keccak_finalize(&ctx);
    tk_keccak_squeeze(&ctx, kbar, 32);
    tk_keccak_wipe(&ctx);
}

/* ML-KEM.Decaps_internal [FIPS 203 Alg. 18] after the §7.3 check; s_hat
 * from dkpke, or already decoded in s. */
static void
tk_mlkem_decaps_core(const tk_mlkem_pub *pk, const uint8_t *dkpke, const tk_mlkem_poly *s,
                     const uint8_t h[32], const uint8_t z[32], const uint8_t *ct,
                     uint8_t ss[32])
{
    tk_mlkem_decaps_ws ws;
    uint8_t mask;

    tk_mlkem_pke_decrypt(dkpke, s, ct, ws.buf);
    memcpy(ws.buf + 32, h, 32);
    tk_sha3_512(ws.g, ws.buf, sizeof(ws.buf));
    tk_mlkem_reject_key(ws.kbar, z, ct);
    tk_mlkem_pke_encrypt(pk, ws.buf, ws.g + 32, ws.ct2);

    /* mask is 0xFF when the re-encryption differs: take K-bar then. */
    mask = tk_mlkem_ct_barrier((uint8_t)-(uint8_t)tk_ct_memcmp(ct, ws.ct2, TK_MLKEM_CTBYTES));
    for (unsigned int i = 0; i < 32; i++) {
        ss[i] = (uint8_t)(ws.g[i] ^ (mask & (ws.g[i] ^ ws.kbar[i])));
    }
    tk_wipe(&ws, sizeof(ws));
}

int
TK_MLKEM_NS(decaps)(const uint8_t *dk, const uint8_t *ct, uint8_t ss[32])
{
    const uint8_t *ek = dk + TK_MLKEM_DKPKEBYTES;
    const uint8_t *h = ek + TK_MLKEM_EKBYTES;
    tk_mlkem_pub pk = {ek, NULL};

    if (TK_MLKEM_NS(check_dk)(dk) != TK_PQC_OK) {
        return TK_PQC_EBADKEY;
    }
    tk_mlkem_decaps_core(&pk, dk, NULL, h, h + 32, ct, ss);
    return TK_PQC_OK;
}

/* A_hat, t_hat and h of an expanded key. ek is decoded with the reduction
 * mod q of ByteDecode_12, as Encrypt does, so that a dk whose embedded ek
 * was never modulus-checked expands to what Decaps would compute. */
static void
tk_mlkem_ekx_fill(tk_mlkem_ekx_k *x, const uint8_t *ek, const uint8_t h[32])
{
    const uint8_t *rho = ek + TK_MLKEM_PVBYTES;

    for (unsigned int i = 0; i < TK_MLKEM_K; i++) {
        for (unsigned int j = 0; j < TK_MLKEM_K; j++) {
            tk_mlkem_sample_ntt(&x->a[i * TK_MLKEM_K + j], rho, (uint8_t)j, (uint8_t)i);
        }
        tk_mlkem_poly_decode12(&x->t[i], ek + i * TK_MLKEM_POLYBYTES);
    }
    memcpy(x->h, h, 32);
}

int
TK_MLKEM_NS(ekx_init)(const uint8_t *ek, void *out)
{
    tk_mlkem_ekx_k *x = out;
    uint8_t h[32];

    if (TK_MLKEM_NS(check_ek)(ek) != TK_PQC_OK) {
        return TK_PQC_EBADKEY;
    }
    tk_sha3_256(h, ek, TK_MLKEM_EKBYTES);
    tk_mlkem_ekx_fill(x, ek, h);
    return TK_PQC_OK;
}

int
TK_MLKEM_NS(encaps_ekx)(const void *in, const uint8_t m[32], uint8_t *ct, uint8_t ss[32])
{
    const tk_mlkem_ekx_k *x = in;
    tk_mlkem_pub pk = {NULL, x};

    tk_mlkem_encaps_core(&pk, x->h, m, ct, ss);
    return TK_PQC_OK;
}

int
TK_MLKEM_NS(dkx_init)(const uint8_t *dk, void *out)
{
    tk_mlkem_dkx_k *x = out;
    const uint8_t *ek = dk + TK_MLKEM_DKPKEBYTES;
    const uint8_t *h = ek + TK_MLKEM_EKBYTES;

    if (TK_MLKEM_NS(check_dk)(dk) != TK_PQC_OK) {
        return TK_PQC_EBADKEY;
    }
    tk_mlkem_ekx_fill(&x->e, ek, h);
    for (unsigned int i = 0; i < TK_MLKEM_K; i++) {
        tk_mlkem_poly_decode12(&x->s[i], dk + i * TK_MLKEM_POLYBYTES);
    }
    memcpy(x->z, h + 32, 32);
    return TK_PQC_OK;
}

int
TK_MLKEM_NS(decaps_dkx)(const void *in, const uint8_t *ct, uint8_t ss[32])
{
    const tk_mlkem_dkx_k *x = in;
    tk_mlkem_pub pk = {NULL, &x->e};

    tk_mlkem_decaps_core(&pk, NULL, x->s, x->e.h, x->z, ct, ss);
    return TK_PQC_OK;
}
