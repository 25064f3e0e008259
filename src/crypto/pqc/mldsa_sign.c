/*
 * ML-DSA key generation, signing and verification for the parameter set
 * TK_MLDSA_MODE [FIPS 204 §6, §7]; see mldsa.h for the contract. Built
 * once per set by mldsa.cmake. Public definitions are written as
 * TK_MLDSA_NS(name), which becomes tk_mldsa44_name and so on; their
 * prototypes are in mldsa_impl.h.
 */
#include "crypto/pqc/mldsa_params.h"

#include <string.h>

#include "crypto/pqc/keccak.h"
#include "crypto/pqc/mldsa_impl.h"
#include "crypto/pqc/pqc_err.h"
#include "util/wipe.h"

#define TK_MLDSA_ETA_POLY TK_MLDSA_POLY_BYTES(TK_MLDSA_ETA_BITS)
#define TK_MLDSA_Z_POLY TK_MLDSA_POLY_BYTES(TK_MLDSA_Z_BITS)
#define TK_MLDSA_T0_POLY TK_MLDSA_POLY_BYTES(TK_MLDSA_T0_BITS)
#define TK_MLDSA_T1_POLY TK_MLDSA_POLY_BYTES(TK_MLDSA_T1_BITS)
#define TK_MLDSA_W1_POLY TK_MLDSA_POLY_BYTES(TK_MLDSA_W1_BITS)
#define TK_MLDSA_SIG_Z TK_MLDSA_CTILDE_BYTES
#define TK_MLDSA_SIG_H (TK_MLDSA_SIG_Z + TK_MLDSA_L * TK_MLDSA_Z_POLY)

/* SHAKE256 blocks for one polynomial of the mask y, and the first try
 * at an eta polynomial (enough in all but rare cases). */
#define TK_MLDSA_MASK_BLOCKS ((TK_MLDSA_Z_POLY + TK_SHAKE256_RATE - 1) / TK_SHAKE256_RATE)
#define TK_MLDSA_ETA_BLOCKS 2

typedef struct {
    tk_mldsa_poly v[TK_MLDSA_L];
} tk_mldsa_vecl;

typedef struct {
    tk_mldsa_poly v[TK_MLDSA_K];
} tk_mldsa_veck;

/* A decoded private key [FIPS 204 Alg. 25]. */
typedef struct {
    uint8_t rho[32];
    uint8_t key[32];
    uint8_t tr[64];
    tk_mldsa_vecl s1;
    tk_mldsa_veck s2;
    tk_mldsa_veck t0;
} tk_mldsa_sk_parts;

/* What signing computes once per signature: A, and s1, s2, t0 in NTT
 * form (reduced), plus the per-signature seed rho''. */
typedef struct {
    tk_mldsa_poly a[TK_MLDSA_K][TK_MLDSA_L];
    tk_mldsa_sk_parts sk;
    uint8_t rhopp[64];
} tk_mldsa_sign_key;

/* Working values of one signing attempt; all secret until accepted. */
typedef struct {
    tk_mldsa_vecl y;
    tk_mldsa_vecl z;
    tk_mldsa_veck w1;
    tk_mldsa_veck w0;
    tk_mldsa_veck h;
    tk_mldsa_poly c;
    uint8_t w1packed[TK_MLDSA_W1_PACKED];
    uint8_t ctilde[TK_MLDSA_CTILDE_BYTES];
} tk_mldsa_sign_work;

/* Masks: 1 when x is zero / non-zero, constant time. */
static inline uint32_t
tk_mldsa_ct_is_zero32(int32_t x)
{
    uint32_t u = (uint32_t)x;

    return ((u | (0u - u)) >> 31) ^ 1u;
}

/*
 * (a1, a0) with a = a1 * 2 * gamma2 + a0 [FIPS 204 Alg. 36], for a in
 * [0, q). The division by 2 * gamma2 is a multiply-shift (exhaustively
 * checked against the definition for every a < q) and the wrap-around
 * of the top value to 0 is a mask, so no branch depends on a.
 */
static inline int32_t
tk_mldsa_decompose(int32_t *a0, int32_t a)
{
    int32_t a1 = (a + 127) >> 7;

#if TK_MLDSA_W1_MAX == 16
    a1 = (a1 * 1025 + (1 << 21)) >> 22;
    a1 &= 15;
#else
    a1 = (a1 * 11275 + (1 << 23)) >> 24;
    a1 ^= ((43 - a1) >> 31) & a1;
#endif
    *a0 = a - a1 * 2 * TK_MLDSA_GAMMA2;
    *a0 -= (((TK_MLDSA_Q - 1) / 2 - *a0) >> 31) & TK_MLDSA_Q;
    return a1;
}

/* Replaces a (in [0, q)) by its high bits and stores its low bits. */
static void
tk_mldsa_poly_decompose(tk_mldsa_poly *a1, tk_mldsa_poly *a0)
{
    for (unsigned int j = 0; j < TK_MLDSA_N; j++) {
        a1->c[j] = tk_mldsa_decompose(&a0->c[j], a1->c[j]);
    }
}

/*
 * h = MakeHint(-ct0, w - cs2 + ct0) [FIPS 204 Alg. 39], computed from the
 * low part a0 = r0 + ct0 and the high part a1 = w1: the high bits move
 * exactly when a0 leaves (-gamma2, gamma2], except at a0 = -gamma2 with
 * a1 = 0, where Decompose wraps. Returns the number of ones; constant time.
 */
static uint32_t
tk_mldsa_poly_make_hint(tk_mldsa_poly *h, const tk_mldsa_poly *a0, const tk_mldsa_poly *a1)
{
    uint32_t count = 0;

    for (unsigned int j = 0; j < TK_MLDSA_N; j++) {
        int32_t lo = a0->c[j];
        uint32_t gt = (uint32_t)(TK_MLDSA_GAMMA2 - lo) >> 31;
        uint32_t lt = (uint32_t)(lo + TK_MLDSA_GAMMA2) >> 31;
        uint32_t eq = tk_mldsa_ct_is_zero32(lo + TK_MLDSA_GAMMA2) &
                      (tk_mldsa_ct_is_zero32(a1->c[j]) ^ 1u);
        uint32_t bit = gt | lt | eq;

        h->c[j] = (int32_t)bit;
        count += bit;
    }
    return count;
}

/* UseHint [FIPS 204 Alg. 40]; verification only, all inputs public. */
static int32_t
tk_mldsa_use_hint(int32_t a, int32_t hint)
{
    int32_t a0;
    int32_t a1 = tk_mldsa_decompose(&a0, a);

    if (hint == 0) {
        return a1;
    }
    if (a0 > 0) {
        return a1 == TK_MLDSA_W1_MAX - 1 ? 0 : a1 + 1;
    }
    return a1 == 0 ? TK_MLDSA_W1_MAX - 1 : a1 - 1;
}

/* 1 when some coefficient lies below -eta (the packed field exceeded
 * 2 * eta); fields never decode above eta. Constant time. */
static uint32_t
tk_mldsa_poly_ct_eta_bad(const tk_mldsa_poly *a)
{
    uint32_t bad = 0;

    for (unsigned int j = 0; j < TK_MLDSA_N; j++) {
        bad |= (uint32_t)(a->c[j] + TK_MLDSA_ETA);
    }
    return bad >> 31;
}

/* Coefficients in [-eta, eta] from half-bytes [FIPS 204 Alg. 15]. */
static unsigned int
tk_mldsa_rej_eta(int32_t *c, unsigned int n, const uint8_t *buf, size_t len)
{
    for (size_t i = 0; i < len && n < TK_MLDSA_N; i++) {
        uint32_t nib[2] = { buf[i] & 15u, buf[i] >> 4 };

        for (unsigned int k = 0; k < 2 && n < TK_MLDSA_N; k++) {
#if TK_MLDSA_ETA == 2
            /* b mod 5 without a division instruction: 205 / 1024 ~ 1/5. */
            uint32_t b = nib[k];
            uint32_t take = b < 15;
            int32_t v = 2 - (int32_t)(b - ((205 * b) >> 10) * 5);
#else
            uint32_t take = nib[k] < 9;
            int32_t v = 4 - (int32_t)nib[k];
#endif
            /* Only the decision is public, never the value. */
            TK_MLDSA_PUBLIC(&take, sizeof(take));
            if (take) {
                c[n++] = v;
            }
        }
    }
    return n;
}

/*
 * One polynomial of s1 or s2 [FIPS 204 Alg. 31, 33]. The rejections
 * depend on the secret SHAKE output, but only on bytes that are thrown
 * away: the accepted coefficients are independent of where the rejected
 * ones fell, which is why this sampler is accepted practice.
 */
static void
tk_mldsa_sample_eta(tk_mldsa_poly *a, const uint8_t seed[64], unsigned int nonce)
{
    uint8_t in[66];
    uint8_t buf[TK_MLDSA_ETA_BLOCKS * TK_SHAKE256_RATE];
    tk_keccak_ctx h;
    unsigned int n;

    memcpy(in, seed, 64);
    in[64] = (uint8_t)nonce;
    in[65] = (uint8_t)(nonce >> 8);
    tk_shake256_init(&h);
    tk_keccak_absorb(&h, in, sizeof(in));
    tk_keccak_finalize(&h);
    tk_keccak_squeezeblocks(&h, buf, TK_MLDSA_ETA_BLOCKS);
    n = tk_mldsa_rej_eta(a->c, 0, buf, sizeof(buf));
    while (n < TK_MLDSA_N) {
        tk_keccak_squeezeblocks(&h, buf, 1);
        n = tk_mldsa_rej_eta(a->c, n, buf, TK_SHAKE256_RATE);
    }
    tk_wipe(in, sizeof(in));
    tk_wipe(buf, sizeof(buf));
    tk_keccak_wipe(&h);
}

/* The mask y for counter kappa [FIPS 204 Alg. 34]; kappa + r is encoded
 * in two bytes, as the standard does. */
static void
tk_mldsa_expand_mask(tk_mldsa_vecl *y, const uint8_t rhopp[64], uint16_t kappa)
{
    uint8_t in[66];
    uint8_t buf[TK_MLDSA_MASK_BLOCKS * TK_SHAKE256_RATE];
    tk_keccak_ctx h;

    memcpy(in, rhopp, 64);
    for (unsigned int i = 0; i < TK_MLDSA_L; i++) {
        uint16_t n = (uint16_t)(kappa + i);

        in[64] = (uint8_t)n;
        in[65] = (uint8_t)(n >> 8);
        tk_shake256_init(&h);
        tk_keccak_absorb(&h, in, sizeof(in));
        tk_keccak_finalize(&h);
        tk_keccak_squeezeblocks(&h, buf, TK_MLDSA_MASK_BLOCKS);
        tk_mldsa_unpack_sub(&y->v[i], buf, TK_MLDSA_GAMMA1, TK_MLDSA_Z_BITS);
    }
    tk_wipe(in, sizeof(in));
    tk_wipe(buf, sizeof(buf));
    tk_keccak_wipe(&h);
}

/* Decodes sk [FIPS 204 Alg. 25]; returns 1 when s1 or s2 is out of range,
 * found without branching on the key. */
static uint32_t
tk_mldsa_unpack_sk(tk_mldsa_sk_parts *p, const uint8_t *sk)
{
    uint32_t bad = 0;

    memcpy(p->rho, sk, 32);
    TK_MLDSA_PUBLIC(p->rho, 32);
    memcpy(p->key, sk + TK_MLDSA_SK_KEY, 32);
    memcpy(p->tr, sk + TK_MLDSA_SK_TR, 64);
    for (unsigned int i = 0; i < TK_MLDSA_L; i++) {
        tk_mldsa_unpack_sub(&p->s1.v[i], sk + TK_MLDSA_SK_S1 + i * TK_MLDSA_ETA_POLY,
                            TK_MLDSA_ETA, TK_MLDSA_ETA_BITS);
        bad |= tk_mldsa_poly_ct_eta_bad(&p->s1.v[i]);
    }
    for (unsigned int i = 0; i < TK_MLDSA_K; i++) {
        tk_mldsa_unpack_sub(&p->s2.v[i], sk + TK_MLDSA_SK_S2 + i * TK_MLDSA_ETA_POLY,
                            TK_MLDSA_ETA, TK_MLDSA_ETA_BITS);
        bad |= tk_mldsa_poly_ct_eta_bad(&p->s2.v[i]);
        tk_mldsa_unpack_sub(&p->t0.v[i], sk + TK_MLDSA_SK_T0 + i * TK_MLDSA_T0_POLY,
                            1 << (TK_MLDSA_D - 1), TK_MLDSA_T0_BITS);
    }
    return bad;
}

/* skEncode [FIPS 204 Alg. 24]. */
static void
tk_mldsa_pack_sk(uint8_t *sk, const tk_mldsa_sk_parts *p)
{
    memcpy(sk, p->rho, 32);
    memcpy(sk + TK_MLDSA_SK_KEY, p->key, 32);
    memcpy(sk + TK_MLDSA_SK_TR, p->tr, 64);
    for (unsigned int i = 0; i < TK_MLDSA_L; i++) {
        tk_mldsa_pack_sub(sk + TK_MLDSA_SK_S1 + i * TK_MLDSA_ETA_POLY, &p->s1.v[i],
                          TK_MLDSA_ETA, TK_MLDSA_ETA_BITS);
    }
    for (unsigned int i = 0; i < TK_MLDSA_K; i++) {
        tk_mldsa_pack_sub(sk + TK_MLDSA_SK_S2 + i * TK_MLDSA_ETA_POLY, &p->s2.v[i],
                          TK_MLDSA_ETA, TK_MLDSA_ETA_BITS);
        tk_mldsa_pack_sub(sk + TK_MLDSA_SK_T0 + i * TK_MLDSA_T0_POLY, &p->t0.v[i],
                          1 << (TK_MLDSA_D - 1), TK_MLDSA_T0_BITS);
    }
}

/* pkEncode [FIPS 204 Alg. 22]. */
static void
tk_mldsa_pack_pk(uint8_t *pk, const uint8_t rho[32], const tk_mldsa_veck *t1)
{
    memcpy(pk, rho, 32);
    for (unsigned int i = 0; i < TK_MLDSA_K; i++) {
        tk_mldsa_pack_plain(pk + 32 + i * TK_MLDSA_T1_POLY, &t1->v[i], TK_MLDSA_T1_BITS);
    }
}

/*
 * (t1, t0) = Power2Round(A * s1 + s2) [FIPS 204 Alg. 6 lines 5-6]. A is
 * generated one row at a time: each entry is used once here.
 */
static void
tk_mldsa_compute_t(tk_mldsa_veck *t1, tk_mldsa_veck *t0, const uint8_t rho[32],
                   const tk_mldsa_vecl *s1, const tk_mldsa_veck *s2)
{
    tk_mldsa_vecl s1hat = *s1;
    tk_mldsa_poly row[TK_MLDSA_L];
    tk_mldsa_poly t;

    for (unsigned int j = 0; j < TK_MLDSA_L; j++) {
        tk_mldsa_poly_ntt(&s1hat.v[j]);
    }
    for (unsigned int i = 0; i < TK_MLDSA_K; i++) {
        for (unsigned int j = 0; j < TK_MLDSA_L; j++) {
            tk_mldsa_poly_uniform(&row[j], rho, i, j);
        }
        tk_mldsa_poly_dot(&t, row, s1hat.v, TK_MLDSA_L);
        tk_mldsa_poly_invntt_tomont(&t);
        tk_mldsa_poly_add(&t, &t, &s2->v[i]);
        tk_mldsa_poly_reduce(&t);
        tk_mldsa_poly_caddq(&t);
        tk_mldsa_poly_power2round(&t1->v[i], &t0->v[i], &t);
    }
    tk_wipe(&s1hat, sizeof(s1hat));
    tk_wipe(&t, sizeof(t));
}

/* See mldsa.h, tk_mldsa_keygen(). [FIPS 204 Alg. 6] */
int
TK_MLDSA_NS(keygen)(const uint8_t xi[32], uint8_t *pk, uint8_t *sk)
{
    struct {
        uint8_t in[34];
        uint8_t seed[128];
        tk_mldsa_sk_parts p;
        tk_mldsa_veck t1;
    } w;
    const uint8_t *rhop = w.seed + 32;

    memcpy(w.in, xi, 32);
    w.in[32] = TK_MLDSA_K;
    w.in[33] = TK_MLDSA_L;
    tk_shake256(w.seed, sizeof(w.seed), w.in, sizeof(w.in));
    memcpy(w.p.rho, w.seed, 32);
    TK_MLDSA_PUBLIC(w.p.rho, 32);
    memcpy(w.p.key, w.seed + 96, 32);
    for (unsigned int i = 0; i < TK_MLDSA_L; i++) {
        tk_mldsa_sample_eta(&w.p.s1.v[i], rhop, i);
    }
    for (unsigned int i = 0; i < TK_MLDSA_K; i++) {
        tk_mldsa_sample_eta(&w.p.s2.v[i], rhop, TK_MLDSA_L + i);
    }
    tk_mldsa_compute_t(&w.t1, &w.p.t0, w.p.rho, &w.p.s1, &w.p.s2);
    tk_mldsa_pack_pk(pk, w.p.rho, &w.t1);
    tk_shake256(w.p.tr, sizeof(w.p.tr), pk, TK_MLDSA_PK_BYTES);
    tk_mldsa_pack_sk(sk, &w.p);
    tk_wipe(&w, sizeof(w));
    return TK_PQC_OK;
}

/* See mldsa.h, tk_mldsa_pk_from_sk(). */
int
TK_MLDSA_NS(pk_from_sk)(const uint8_t *sk, uint8_t *pk)
{
    struct {
        tk_mldsa_sk_parts p;
        tk_mldsa_veck t1;
        tk_mldsa_veck t0;
    } w;
    int rc = TK_PQC_OK;
    uint32_t bad = tk_mldsa_unpack_sk(&w.p, sk);

    /* Branches only on the verdict, which the caller learns anyway. */
    TK_MLDSA_PUBLIC(&bad, sizeof(bad));
    if (bad != 0) {
        rc = TK_PQC_EBADKEY;
        goto out;
    }
    tk_mldsa_compute_t(&w.t1, &w.t0, w.p.rho, &w.p.s1, &w.p.s2);
    tk_mldsa_pack_pk(pk, w.p.rho, &w.t1);
out:
    tk_wipe(&w, sizeof(w));
    return rc;
}

/* See mldsa.h, tk_mldsa_check_sk(). Every comparison runs whatever the
 * earlier ones found; only the combined verdict is branched on. */
int
TK_MLDSA_NS(check_sk)(const uint8_t *sk, const uint8_t *pk)
{
    struct {
        tk_mldsa_sk_parts p;
        tk_mldsa_veck t1;
        tk_mldsa_veck t0;
        uint8_t pk[TK_MLDSA_PK_BYTES];
        uint8_t t0packed[TK_MLDSA_K * TK_MLDSA_T0_POLY];
        uint8_t tr[64];
    } w;
    uint32_t bad = tk_mldsa_unpack_sk(&w.p, sk);

    tk_mldsa_compute_t(&w.t1, &w.t0, w.p.rho, &w.p.s1, &w.p.s2);
    tk_mldsa_pack_pk(w.pk, w.p.rho, &w.t1);
    for (unsigned int i = 0; i < TK_MLDSA_K; i++) {
        tk_mldsa_pack_sub(w.t0packed + i * TK_MLDSA_T0_POLY, &w.t0.v[i],
                          1 << (TK_MLDSA_D - 1), TK_MLDSA_T0_BITS);
    }
    bad |= (uint32_t)tk_ct_memcmp(w.t0packed, sk + TK_MLDSA_SK_T0, sizeof(w.t0packed));
    tk_shake256(w.tr, sizeof(w.tr), w.pk, sizeof(w.pk));
    bad |= (uint32_t)tk_ct_memcmp(w.tr, sk + TK_MLDSA_SK_TR, sizeof(w.tr));
    if (pk != NULL) {
        bad |= (uint32_t)tk_ct_memcmp(w.pk, pk, sizeof(w.pk));
    }
    tk_wipe(&w, sizeof(w));
    TK_MLDSA_PUBLIC(&bad, sizeof(bad));
    return bad != 0 ? TK_PQC_EBADKEY : TK_PQC_OK;
}

/*
 * Decodes sk and computes what every attempt reuses: A, the NTT forms of
 * s1, s2, t0, and rho'' = H(K || rnd || mu) [FIPS 204 Alg. 7 lines 1-7].
 * Returns 1 (nothing else done) when s1 or s2 is out of range.
 */
static uint32_t
tk_mldsa_sign_prepare(tk_mldsa_sign_key *k, const uint8_t *sk, const uint8_t mu[64],
                      const uint8_t rnd[32])
{
    tk_keccak_ctx h;
    uint32_t bad = tk_mldsa_unpack_sk(&k->sk, sk);

    TK_MLDSA_PUBLIC(&bad, sizeof(bad));
    if (bad != 0) {
        return 1;
    }
    tk_shake256_init(&h);
    tk_keccak_absorb(&h, k->sk.key, 32);
    tk_keccak_absorb(&h, rnd, 32);
    tk_keccak_absorb(&h, mu, 64);
    tk_keccak_finalize(&h);
    tk_keccak_squeeze(&h, k->rhopp, 64);
    tk_keccak_wipe(&h);

    for (unsigned int i = 0; i < TK_MLDSA_K; i++) {
        for (unsigned int j = 0; j < TK_MLDSA_L; j++) {
            tk_mldsa_poly_uniform(&k->a[i][j], k->sk.rho, i, j);
        }
    }
    /* Reduced after the NTT so that products with c stay in bounds. */
    for (unsigned int j = 0; j < TK_MLDSA_L; j++) {
        tk_mldsa_poly_ntt(&k->sk.s1.v[j]);
        tk_mldsa_poly_reduce(&k->sk.s1.v[j]);
    }
    for (unsigned int i = 0; i < TK_MLDSA_K; i++) {
        tk_mldsa_poly_ntt(&k->sk.s2.v[i]);
        tk_mldsa_poly_reduce(&k->sk.s2.v[i]);
        tk_mldsa_poly_ntt(&k->sk.t0.v[i]);
        tk_mldsa_poly_reduce(&k->sk.t0.v[i]);
    }
    return 0;
}

/* w = A * y, split into w1 (packed) and w0, then c~ = H(mu || w1Encode(w1))
 * [FIPS 204 Alg. 7 lines 12-15]. */
static void
tk_mldsa_sign_commit(tk_mldsa_sign_work *w, const tk_mldsa_sign_key *k, const uint8_t mu[64])
{
    tk_keccak_ctx h;

    for (unsigned int j = 0; j < TK_MLDSA_L; j++) {
        w->z.v[j] = w->y.v[j];
        tk_mldsa_poly_ntt(&w->z.v[j]);
    }
    for (unsigned int i = 0; i < TK_MLDSA_K; i++) {
        tk_mldsa_poly_dot(&w->w1.v[i], k->a[i], w->z.v, TK_MLDSA_L);
        tk_mldsa_poly_invntt_tomont(&w->w1.v[i]);
        tk_mldsa_poly_caddq(&w->w1.v[i]);
        tk_mldsa_poly_decompose(&w->w1.v[i], &w->w0.v[i]);
        tk_mldsa_pack_plain(w->w1packed + i * TK_MLDSA_W1_POLY, &w->w1.v[i],
                            TK_MLDSA_W1_BITS);
    }
    tk_shake256_init(&h);
    tk_keccak_absorb(&h, mu, 64);
    tk_keccak_absorb(&h, w->w1packed, sizeof(w->w1packed));
    tk_keccak_finalize(&h);
    tk_keccak_squeeze(&h, w->ctilde, sizeof(w->ctilde));
    tk_keccak_wipe(&h);
}

/* z = y + c*s1; 1 when ||z|| >= gamma1 - beta [Alg. 7 lines 17, 23]. */
static uint32_t
tk_mldsa_sign_z(tk_mldsa_sign_work *w, const tk_mldsa_sign_key *k)
{
    uint32_t bad = 0;

    for (unsigned int j = 0; j < TK_MLDSA_L; j++) {
        tk_mldsa_poly_pointwise(&w->z.v[j], &w->c, &k->sk.s1.v[j]);
        tk_mldsa_poly_invntt_tomont(&w->z.v[j]);
        tk_mldsa_poly_add(&w->z.v[j], &w->z.v[j], &w->y.v[j]);
        tk_mldsa_poly_reduce(&w->z.v[j]);
        bad |= tk_mldsa_poly_ct_norm_ge(&w->z.v[j], TK_MLDSA_GAMMA1 - TK_MLDSA_BETA);
    }
    return bad;
}

/* r0 = w0 - c*s2 (in w0); 1 when ||r0|| >= gamma2 - beta [lines 18-23]. */
static uint32_t
tk_mldsa_sign_r0(tk_mldsa_sign_work *w, const tk_mldsa_sign_key *k)
{
    uint32_t bad = 0;

    for (unsigned int i = 0; i < TK_MLDSA_K; i++) {
        tk_mldsa_poly_pointwise(&w->h.v[i], &w->c, &k->sk.s2.v[i]);
        tk_mldsa_poly_invntt_tomont(&w->h.v[i]);
        tk_mldsa_poly_sub(&w->w0.v[i], &w->w0.v[i], &w->h.v[i]);
        tk_mldsa_poly_reduce(&w->w0.v[i]);
        bad |= tk_mldsa_poly_ct_norm_ge(&w->w0.v[i], TK_MLDSA_GAMMA2 - TK_MLDSA_BETA);
    }
    return bad;
}

/* h from c*t0 (overwriting it); 1 when ||ct0|| >= gamma2 or h has more
 * than omega ones [lines 25-28]. */
static uint32_t
tk_mldsa_sign_hint(tk_mldsa_sign_work *w, const tk_mldsa_sign_key *k)
{
    uint32_t bad = 0;
    uint32_t count = 0;

    for (unsigned int i = 0; i < TK_MLDSA_K; i++) {
        tk_mldsa_poly_pointwise(&w->h.v[i], &w->c, &k->sk.t0.v[i]);
        tk_mldsa_poly_invntt_tomont(&w->h.v[i]);
        tk_mldsa_poly_reduce(&w->h.v[i]);
        bad |= tk_mldsa_poly_ct_norm_ge(&w->h.v[i], TK_MLDSA_GAMMA2);
        tk_mldsa_poly_add(&w->w0.v[i], &w->w0.v[i], &w->h.v[i]);
        count += tk_mldsa_poly_make_hint(&w->h.v[i], &w->w0.v[i], &w->w1.v[i]);
    }
    return bad | ((uint32_t)(TK_MLDSA_OMEGA - (int32_t)count) >> 31);
}

/*
 * One candidate of the signing loop [FIPS 204 Alg. 7 lines 11-30].
 * Returns 1 when it passes. Every check runs in full and the results are
 * OR-ed, so a rejected candidate shows only that it was rejected, not
 * which bound failed or where.
 */
static uint32_t
tk_mldsa_sign_attempt(tk_mldsa_sign_work *w, const tk_mldsa_sign_key *k, const uint8_t mu[64],
                      uint16_t kappa)
{
    uint32_t bad;
    uint32_t ok;

    tk_mldsa_expand_mask(&w->y, k->rhopp, kappa);
    tk_mldsa_sign_commit(w, k, mu);
    tk_mldsa_poly_challenge(&w->c, w->ctilde, sizeof(w->ctilde), TK_MLDSA_TAU);
    tk_mldsa_poly_ntt(&w->c);
    bad = tk_mldsa_sign_z(w, k);
    bad |= tk_mldsa_sign_r0(w, k);
    bad |= tk_mldsa_sign_hint(w, k);
    ok = bad ^ 1u;
    TK_MLDSA_PUBLIC(&ok, sizeof(ok));
    return ok;
}

/* sigEncode [FIPS 204 Alg. 26, 20]; the hint positions are part of the
 * signature, so branching on them here reveals nothing more. */
static void
tk_mldsa_pack_sig(uint8_t *sig, const tk_mldsa_sign_work *w)
{
    uint8_t *hints = sig + TK_MLDSA_SIG_H;
    unsigned int n = 0;

    memcpy(sig, w->ctilde, sizeof(w->ctilde));
    for (unsigned int j = 0; j < TK_MLDSA_L; j++) {
        tk_mldsa_pack_sub(sig + TK_MLDSA_SIG_Z + j * TK_MLDSA_Z_POLY, &w->z.v[j],
                          TK_MLDSA_GAMMA1, TK_MLDSA_Z_BITS);
    }
    memset(hints, 0, TK_MLDSA_OMEGA + TK_MLDSA_K);
    for (unsigned int i = 0; i < TK_MLDSA_K; i++) {
        for (unsigned int j = 0; j < TK_MLDSA_N; j++) {
            if (w->h.v[i].c[j] != 0) {
                hints[n++] = (uint8_t)j;
            }
        }
        hints[TK_MLDSA_OMEGA + i] = (uint8_t)n;
    }
}

/* See mldsa.h, tk_mldsa_sign_mu(). [FIPS 204 Alg. 7] */
int
TK_MLDSA_NS(sign_mu)(const uint8_t *sk, const uint8_t mu[64], const uint8_t rnd[32],
                     uint8_t *sig)
{
    tk_mldsa_sign_key k;
    tk_mldsa_sign_work w;
    uint16_t kappa = 0;
    int rc = TK_PQC_OK;

    /* Branches on key validity only, which the return value reveals. */
    if (tk_mldsa_sign_prepare(&k, sk, mu, rnd) != 0) {
        tk_wipe(sig, TK_MLDSA_SIG_BYTES);
        rc = TK_PQC_EBADKEY;
        goto out;
    }
    /*
     * The number of iterations is public by design [FIPS 204 §3.6.3]; it
     * is the only thing this branch reveals. kappa wraps after 2^16 / l
     * rejections, which happen with probability far below 2^-1000.
     */
    while (tk_mldsa_sign_attempt(&w, &k, mu, kappa) == 0) {
        kappa = (uint16_t)(kappa + TK_MLDSA_L);
    }
    /* Accepted: z and h are the signature. */
    TK_MLDSA_PUBLIC(&w.h, sizeof(w.h));
    tk_mldsa_pack_sig(sig, &w);
out:
    tk_wipe(&k, sizeof(k));
    tk_wipe(&w, sizeof(w));
    return rc;
}

/*
 * HintBitUnpack [FIPS 204 Alg. 21]: positions strictly increasing within
 * each polynomial, limits non-decreasing and at most omega, unused bytes
 * zero. These checks make the encoding unique (strong unforgeability).
 * Returns 0 or -1.
 */
static int
tk_mldsa_unpack_hints(tk_mldsa_veck *h, const uint8_t *in)
{
    unsigned int idx = 0;

    memset(h, 0, sizeof(*h));
    for (unsigned int i = 0; i < TK_MLDSA_K; i++) {
        unsigned int limit = in[TK_MLDSA_OMEGA + i];

        if (limit < idx || limit > TK_MLDSA_OMEGA) {
            return -1;
        }
        for (unsigned int j = idx; j < limit; j++) {
            if (j > idx && in[j] <= in[j - 1]) {
                return -1;
            }
            h->v[i].c[in[j]] = 1;
        }
        idx = limit;
    }
    for (unsigned int j = idx; j < TK_MLDSA_OMEGA; j++) {
        if (in[j] != 0) {
            return -1;
        }
    }
    return 0;
}

/* Row i of A*z - c*t1*2^d, through UseHint, packed as w1' [FIPS 204
 * Alg. 8 lines 9-10]. zhat and chat are in NTT form. */
static void
tk_mldsa_verify_row(uint8_t *w1packed, const uint8_t *pk, unsigned int i,
                    const tk_mldsa_vecl *zhat, const tk_mldsa_poly *chat,
                    const tk_mldsa_poly *hint)
{
    tk_mldsa_poly row[TK_MLDSA_L];
    tk_mldsa_poly w;
    tk_mldsa_poly t1;

    for (unsigned int j = 0; j < TK_MLDSA_L; j++) {
        tk_mldsa_poly_uniform(&row[j], pk, i, j);
    }
    tk_mldsa_poly_dot(&w, row, zhat->v, TK_MLDSA_L);
    tk_mldsa_unpack_plain(&t1, pk + 32 + i * TK_MLDSA_T1_POLY, TK_MLDSA_T1_BITS);
    tk_mldsa_poly_shiftl(&t1);
    tk_mldsa_poly_ntt(&t1);
    tk_mldsa_poly_pointwise(&t1, chat, &t1);
    tk_mldsa_poly_sub(&w, &w, &t1);
    tk_mldsa_poly_reduce(&w);
    tk_mldsa_poly_invntt_tomont(&w);
    tk_mldsa_poly_caddq(&w);
    for (unsigned int j = 0; j < TK_MLDSA_N; j++) {
        w.c[j] = tk_mldsa_use_hint(w.c[j], hint->c[j]);
    }
    tk_mldsa_pack_plain(w1packed, &w, TK_MLDSA_W1_BITS);
}

/* See mldsa.h, tk_mldsa_verify_mu(). [FIPS 204 Alg. 8] Everything here
 * is public; early exits are fine. */
int
TK_MLDSA_NS(verify_mu)(const uint8_t *pk, const uint8_t mu[64], const uint8_t *sig,
                       size_t siglen)
{
    tk_mldsa_vecl z;
    tk_mldsa_veck h;
    tk_mldsa_poly c;
    uint8_t w1packed[TK_MLDSA_W1_PACKED];
    uint8_t ctilde[TK_MLDSA_CTILDE_BYTES];
    tk_keccak_ctx hc;
    uint32_t bad = 0;

    if (siglen != TK_MLDSA_SIG_BYTES || tk_mldsa_unpack_hints(&h, sig + TK_MLDSA_SIG_H) != 0) {
        return TK_PQC_EVERIFY;
    }
    for (unsigned int j = 0; j < TK_MLDSA_L; j++) {
        tk_mldsa_unpack_sub(&z.v[j], sig + TK_MLDSA_SIG_Z + j * TK_MLDSA_Z_POLY,
                            TK_MLDSA_GAMMA1, TK_MLDSA_Z_BITS);
        bad |= tk_mldsa_poly_ct_norm_ge(&z.v[j], TK_MLDSA_GAMMA1 - TK_MLDSA_BETA);
        tk_mldsa_poly_ntt(&z.v[j]);
    }
    if (bad != 0) {
        return TK_PQC_EVERIFY;
    }
    tk_mldsa_poly_challenge(&c, sig, TK_MLDSA_CTILDE_BYTES, TK_MLDSA_TAU);
    tk_mldsa_poly_ntt(&c);
    for (unsigned int i = 0; i < TK_MLDSA_K; i++) {
        tk_mldsa_verify_row(w1packed + i * TK_MLDSA_W1_POLY, pk, i, &z, &c, &h.v[i]);
    }
    tk_shake256_init(&hc);
    tk_keccak_absorb(&hc, mu, 64);
    tk_keccak_absorb(&hc, w1packed, sizeof(w1packed));
    tk_keccak_finalize(&hc);
    tk_keccak_squeeze(&hc, ctilde, sizeof(ctilde));
    if (tk_ct_memcmp(ctilde, sig, sizeof(ctilde)) != 0) {
        return TK_PQC_EVERIFY;
    }
    return TK_PQC_OK;
}
