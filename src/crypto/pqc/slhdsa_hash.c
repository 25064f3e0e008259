/*
 * SLH-DSA parameter rows and the hash functions of both families; see
 * slhdsa_int.h. [FIPS 205 §10, §11]
 */
#include <string.h>

#include "crypto/pqc/keccak.h"
#include "crypto/pqc/sha2.h"
#include "crypto/pqc/slhdsa_int.h"
#include "util/wipe.h"

/* sig_len = n * (1 + k * (1 + a) + h + d * len) [FIPS 205 Table 2]. */
#define TK_SLHDSA_ROW(n, h, d, a, k, m, sha2)                                      \
    {                                                                              \
        (n), (h), (d), (h) / (d), (a), (k), (m), 2 * (n) + TK_SLHDSA_LEN2, (sha2),  \
            (size_t)(n) * (1 + (k) * (1 + (a)) + (h) + (d) * (2 * (n) + TK_SLHDSA_LEN2)) \
    }

/* Indexed by tk_slhdsa_set - 1; columns n, h, d, a, k, m and the family
 * (1 SHA2, 0 SHAKE) as in [FIPS 205 Table 2]. */
static const tk_slhdsa_params tk_slhdsa_rows[12] = {
    TK_SLHDSA_ROW(16, 63, 7, 12, 14, 30, 1),  TK_SLHDSA_ROW(16, 63, 7, 12, 14, 30, 0),
    TK_SLHDSA_ROW(16, 66, 22, 6, 33, 34, 1),  TK_SLHDSA_ROW(16, 66, 22, 6, 33, 34, 0),
    TK_SLHDSA_ROW(24, 63, 7, 14, 17, 39, 1),  TK_SLHDSA_ROW(24, 63, 7, 14, 17, 39, 0),
    TK_SLHDSA_ROW(24, 66, 22, 8, 33, 42, 1),  TK_SLHDSA_ROW(24, 66, 22, 8, 33, 42, 0),
    TK_SLHDSA_ROW(32, 64, 8, 14, 22, 47, 1),  TK_SLHDSA_ROW(32, 64, 8, 14, 22, 47, 0),
    TK_SLHDSA_ROW(32, 68, 17, 9, 35, 49, 1),  TK_SLHDSA_ROW(32, 68, 17, 9, 35, 49, 0),
};

const tk_slhdsa_params *
tk_slhdsa_params_get(tk_slhdsa_set set)
{
    if ((int)set < 1 || (int)set > 12) {
        return NULL;
    }
    return &tk_slhdsa_rows[(int)set - 1];
}

void
tk_slhdsa_ctx_init(tk_slhdsa_ctx *ctx, const tk_slhdsa_params *p, const uint8_t *pk_seed,
                   const uint8_t *sk_seed)
{
    uint8_t blk[TK_SHA512_BLOCK] = {0};
    tk_sha256_ctx c256;
    tk_sha512_ctx c512;

    memset(ctx, 0, sizeof(*ctx));
    ctx->p = p;
    memcpy(ctx->pk_seed, pk_seed, p->n);
    if (sk_seed != NULL) {
        memcpy(ctx->sk_seed, sk_seed, p->n);
        ctx->secret = 1;
    }
    if (!p->sha2) {
        return;
    }

    /* PK.seed padded to a full block is the same prefix in every call
     * [FIPS 205 §11.2], so its compression is done once here. */
    memcpy(blk, pk_seed, p->n);
    tk_sha256_init(&c256);
    tk_sha256_update(&c256, blk, TK_SHA256_BLOCK);
    memcpy(ctx->s256, c256.h, sizeof(ctx->s256));
    if (p->n > 16) {
        tk_sha512_init(&c512);
        tk_sha512_update(&c512, blk, TK_SHA512_BLOCK);
        memcpy(ctx->s512, c512.h, sizeof(ctx->s512));
    }
}

void
tk_slhdsa_ctx_wipe(tk_slhdsa_ctx *ctx)
{
    tk_wipe(ctx, sizeof(*ctx));
}

/* ADRSc = ADRS[3] || ADRS[8:16] || ADRS[19] || ADRS[20:32] [FIPS 205 §11.2]. */
static void
tk_slhdsa_adrs_compress(const uint8_t *adrs, uint8_t *c)
{
    c[0] = adrs[3];
    memcpy(c + 1, adrs + 8, 8);
    c[9] = adrs[19];
    memcpy(c + 10, adrs + 20, 12);
}

#define TK_SLHDSA_ADRSC_LEN 22

/*
 * The final block of SHA-256(PK.seed || 0^(64-n) || ADRSc || in) after
 * the precomputed first block, when ADRSc || in fits it (inlen <= 33).
 */
static void
tk_slhdsa_sha256_last_block(const uint8_t *adrs, const uint8_t *in, size_t inlen, uint8_t *blk)
{
    size_t used = TK_SLHDSA_ADRSC_LEN + inlen;
    uint64_t bits = (uint64_t)(TK_SHA256_BLOCK + used) * 8;

    tk_slhdsa_adrs_compress(adrs, blk);
    memcpy(blk + TK_SLHDSA_ADRSC_LEN, in, inlen);
    blk[used] = 0x80;
    memset(blk + used + 1, 0, TK_SHA256_BLOCK - 8 - used - 1);
    tk_slhdsa_put32(blk + 56, (uint32_t)(bits >> 32));
    tk_slhdsa_put32(blk + 60, (uint32_t)bits);
}

/* Trunc_n of that hash; secret set when in holds key material. */
static void
tk_slhdsa_sha256_one(const tk_slhdsa_ctx *ctx, const uint8_t *adrs, const uint8_t *in,
                     size_t inlen, int secret, uint8_t *out)
{
    uint8_t blk[TK_SHA256_BLOCK];
    uint32_t st[8];

    tk_slhdsa_sha256_last_block(adrs, in, inlen, blk);
    memcpy(st, ctx->s256, sizeof(st));
    tk_sha256_compress(st, blk, 1);
    for (unsigned int i = 0; i < ctx->p->n / 4; i++) {
        tk_slhdsa_put32(out + 4 * i, st[i]);
    }
    if (secret) {
        tk_wipe(blk, sizeof(blk));
        tk_wipe(st, sizeof(st));
    }
}

/* Four of those at once, lane l on adrs[l], in[l] and out[l]. */
static void
tk_slhdsa_sha256_x4(const tk_slhdsa_ctx *ctx, uint8_t adrs[4][TK_SLHDSA_ADRS_LEN],
                    const uint8_t *const in[4], size_t inlen, int secret, uint8_t *const out[4])
{
    uint8_t blk[4][TK_SHA256_BLOCK];
    const uint8_t *const blocks[4] = {blk[0], blk[1], blk[2], blk[3]};
    uint32_t st[8][4];

    for (int l = 0; l < 4; l++) {
        tk_slhdsa_sha256_last_block(adrs[l], in[l], inlen, blk[l]);
    }
    for (int i = 0; i < 8; i++) {
        for (int l = 0; l < 4; l++) {
            st[i][l] = ctx->s256[i];
        }
    }
    tk_sha256_compress_x4(st, blocks);
    for (int l = 0; l < 4; l++) {
        for (unsigned int i = 0; i < ctx->p->n / 4; i++) {
            tk_slhdsa_put32(out[l] + 4 * i, st[i][l]);
        }
    }
    if (secret) {
        tk_wipe(blk, sizeof(blk));
        tk_wipe(st, sizeof(st));
    }
}

/* The same over SHA-512 with a 128-byte prefix block (inlen <= 89). */
static void
tk_slhdsa_sha512_one(const tk_slhdsa_ctx *ctx, const uint8_t *adrs, const uint8_t *in,
                     size_t inlen, uint8_t *out)
{
    uint8_t blk[TK_SHA512_BLOCK];
    uint64_t st[8];
    size_t used = TK_SLHDSA_ADRSC_LEN + inlen;
    uint32_t bits = (uint32_t)(TK_SHA512_BLOCK + used) * 8;

    tk_slhdsa_adrs_compress(adrs, blk);
    memcpy(blk + TK_SLHDSA_ADRSC_LEN, in, inlen);
    blk[used] = 0x80;
    memset(blk + used + 1, 0, TK_SHA512_BLOCK - 4 - used - 1);
    tk_slhdsa_put32(blk + TK_SHA512_BLOCK - 4, bits);
    memcpy(st, ctx->s512, sizeof(st));
    tk_sha512_compress(st, blk, 1);
    for (unsigned int i = 0; i < ctx->p->n / 8; i++) {
        tk_slhdsa_put32(out + 8 * i, (uint32_t)(st[i] >> 32));
        tk_slhdsa_put32(out + 8 * i + 4, (uint32_t)st[i]);
    }
}

/*
 * Keccak lanes are little-endian. On a little-endian host a lane is a
 * plain 8-byte copy, which the compiler turns into one load; the byte
 * loop is the portable fallback (it is 10% of SHAKE signing time).
 */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
static uint64_t
tk_slhdsa_load64le(const uint8_t *p)
{
    uint64_t v;

    memcpy(&v, p, sizeof(v));
    return v;
}

static void
tk_slhdsa_store64le(uint8_t *p, uint64_t v)
{
    memcpy(p, &v, sizeof(v));
}
#else
static uint64_t
tk_slhdsa_load64le(const uint8_t *p)
{
    uint64_t v = 0;

    for (int i = 7; i >= 0; i--) {
        v = (v << 8) | p[i];
    }
    return v;
}

static void
tk_slhdsa_store64le(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}
#endif

/*
 * Trunc_n(SHAKE256(PK.seed || ADRS || in)) when it all fits one rate
 * block (n + 32 + inlen <= 135). Every piece is a whole number of lanes,
 * so the block is built lane by lane and permuted once.
 */
static void
tk_slhdsa_shake_one(const tk_slhdsa_ctx *ctx, const uint8_t *adrs, const uint8_t *in,
                    size_t inlen, int secret, uint8_t *out)
{
    uint64_t s[25] = {0};
    unsigned int n8 = ctx->p->n / 8;
    unsigned int lane = 0;

    for (unsigned int i = 0; i < n8; i++) {
        s[lane++] = tk_slhdsa_load64le(ctx->pk_seed + 8 * i);
    }
    for (unsigned int i = 0; i < TK_SLHDSA_ADRS_LEN / 8; i++) {
        s[lane++] = tk_slhdsa_load64le(adrs + 8 * i);
    }
    for (size_t i = 0; i < inlen / 8; i++) {
        s[lane++] = tk_slhdsa_load64le(in + 8 * i);
    }
    s[lane] ^= 0x1F;
    s[TK_SHAKE256_RATE / 8 - 1] ^= 0x8000000000000000ULL;
    tk_keccak_f1600(s);
    for (unsigned int i = 0; i < n8; i++) {
        tk_slhdsa_store64le(out + 8 * i, s[i]);
    }
    if (secret) {
        tk_wipe(s, sizeof(s));
    }
}

/*
 * Four of those at once through the four-way permutation, lane l on
 * adrs[l], in[l] and out[l]. Every lane is computed and written, as in
 * the SHA2 path: callers point unwanted lanes at scratch buffers, and a
 * lane whose output were skipped would leave such a buffer uninitialised
 * for the next call to read.
 */
static void
tk_slhdsa_shake_x4(const tk_slhdsa_ctx *ctx, uint8_t adrs[4][TK_SLHDSA_ADRS_LEN],
                   const uint8_t *const in[4], size_t inlen, int secret, uint8_t *const out[4])
{
    uint64_t s[25][4] = {{0}};
    unsigned int n8 = ctx->p->n / 8;
    unsigned int lane = 0;

    for (unsigned int i = 0; i < n8; i++, lane++) {
        uint64_t v = tk_slhdsa_load64le(ctx->pk_seed + 8 * i);

        for (int l = 0; l < 4; l++) {
            s[lane][l] = v;
        }
    }
    for (unsigned int i = 0; i < TK_SLHDSA_ADRS_LEN / 8; i++, lane++) {
        for (int l = 0; l < 4; l++) {
            s[lane][l] = tk_slhdsa_load64le(adrs[l] + 8 * i);
        }
    }
    for (size_t i = 0; i < inlen / 8; i++, lane++) {
        for (int l = 0; l < 4; l++) {
            s[lane][l] = tk_slhdsa_load64le(in[l] + 8 * i);
        }
    }
    for (int l = 0; l < 4; l++) {
        s[lane][l] ^= 0x1F;
        s[TK_SHAKE256_RATE / 8 - 1][l] ^= 0x8000000000000000ULL;
    }
    tk_keccak_f1600_x4(s);
    for (int l = 0; l < 4; l++) {
        for (unsigned int i = 0; i < n8; i++) {
            tk_slhdsa_store64le(out[l] + 8 * i, s[i][l]);
        }
    }
    if (secret) {
        tk_wipe(s, sizeof(s));
    }
}

void
tk_slhdsa_prf(const tk_slhdsa_ctx *ctx, const uint8_t *adrs, uint8_t *out)
{
    /* PRF uses SHA-256 even in the SHA-512 sets [FIPS 205 §11.2.2]. Its
     * block holds SK.seed, so the helper wipes it. */
    if (ctx->p->sha2) {
        tk_slhdsa_sha256_one(ctx, adrs, ctx->sk_seed, ctx->p->n, 1, out);
    } else {
        tk_slhdsa_shake_one(ctx, adrs, ctx->sk_seed, ctx->p->n, 1, out);
    }
}

void
tk_slhdsa_f(const tk_slhdsa_ctx *ctx, const uint8_t *adrs, const uint8_t *in, uint8_t *out)
{
    if (ctx->p->sha2) {
        tk_slhdsa_sha256_one(ctx, adrs, in, ctx->p->n, ctx->secret, out);
    } else {
        tk_slhdsa_shake_one(ctx, adrs, in, ctx->p->n, ctx->secret, out);
    }
}

void
tk_slhdsa_prf_x4(const tk_slhdsa_ctx *ctx, uint8_t adrs[4][TK_SLHDSA_ADRS_LEN],
                 uint8_t *const out[4], unsigned int mask)
{
    const uint8_t *const in[4] = {ctx->sk_seed, ctx->sk_seed, ctx->sk_seed, ctx->sk_seed};

    (void)mask; /* every lane is computed; see slhdsa_int.h */
    if (ctx->p->sha2) {
        tk_slhdsa_sha256_x4(ctx, adrs, in, ctx->p->n, 1, out);
        return;
    }
    tk_slhdsa_shake_x4(ctx, adrs, in, ctx->p->n, 1, out);
}

/*
 * When signing, F's inputs are WOTS+ chain values and FORS secrets that
 * may never be published, so its blocks are wiped then (a 2-3% cost);
 * H and T only see public nodes.
 */
void
tk_slhdsa_f_x4(const tk_slhdsa_ctx *ctx, uint8_t adrs[4][TK_SLHDSA_ADRS_LEN],
               const uint8_t *const in[4], uint8_t *const out[4], unsigned int mask)
{
    (void)mask; /* every lane is computed; see slhdsa_int.h */
    if (ctx->p->sha2) {
        tk_slhdsa_sha256_x4(ctx, adrs, in, ctx->p->n, ctx->secret, out);
        return;
    }
    tk_slhdsa_shake_x4(ctx, adrs, in, ctx->p->n, ctx->secret, out);
}

void
tk_slhdsa_h(const tk_slhdsa_ctx *ctx, const uint8_t *adrs, const uint8_t *in, uint8_t *out)
{
    if (!ctx->p->sha2) {
        tk_slhdsa_shake_one(ctx, adrs, in, 2 * (size_t)ctx->p->n, 0, out);
    } else if (ctx->p->n == 16) {
        tk_slhdsa_sha256_one(ctx, adrs, in, 2 * (size_t)ctx->p->n, 0, out);
    } else {
        tk_slhdsa_sha512_one(ctx, adrs, in, 2 * (size_t)ctx->p->n, out);
    }
}

void
tk_slhdsa_t(const tk_slhdsa_ctx *ctx, const uint8_t *adrs, const uint8_t *in, size_t inlen,
            uint8_t *out)
{
    uint8_t adrsc[TK_SLHDSA_ADRSC_LEN];
    uint8_t dig[TK_SHA512_DIGEST];

    if (!ctx->p->sha2) {
        tk_keccak_ctx kc;

        tk_shake256_init(&kc);
        tk_keccak_absorb(&kc, ctx->pk_seed, ctx->p->n);
        tk_keccak_absorb(&kc, adrs, TK_SLHDSA_ADRS_LEN);
        tk_keccak_absorb(&kc, in, inlen);
        tk_keccak_finalize(&kc);
        tk_keccak_squeeze(&kc, out, ctx->p->n);
        return;
    }
    tk_slhdsa_adrs_compress(adrs, adrsc);
    if (ctx->p->n == 16) {
        tk_sha256_ctx c;

        memcpy(c.h, ctx->s256, sizeof(c.h));
        c.nbytes = TK_SHA256_BLOCK;
        tk_sha256_update(&c, adrsc, sizeof(adrsc));
        tk_sha256_update(&c, in, inlen);
        tk_sha256_final(&c, dig);
    } else {
        tk_sha512_ctx c;

        memcpy(c.h, ctx->s512, sizeof(c.h));
        c.nbytes = TK_SHA512_BLOCK;
        tk_sha512_update(&c, adrsc, sizeof(adrsc));
        tk_sha512_update(&c, in, inlen);
        tk_sha512_final(&c, dig);
    }
    memcpy(out, dig, ctx->p->n);
}

/* PRF_msg for SHA2 sets: Trunc_n(HMAC(SK.prf, opt_rand || M)). */
static void
tk_slhdsa_prf_msg_sha2(const tk_slhdsa_params *p, const uint8_t *sk_prf,
                       const uint8_t *opt_rand, const uint8_t *const *mparts,
                       const size_t *mlens, size_t nparts, uint8_t *out)
{
    uint8_t tag[TK_SHA512_DIGEST];

    if (p->n == 16) {
        tk_hmac_sha256_ctx c;

        tk_hmac_sha256_init(&c, sk_prf, p->n);
        tk_hmac_sha256_update(&c, opt_rand, p->n);
        for (size_t i = 0; i < nparts; i++) {
            tk_hmac_sha256_update(&c, mparts[i], mlens[i]);
        }
        tk_hmac_sha256_final(&c, tag);
    } else {
        tk_hmac_sha512_ctx c;

        tk_hmac_sha512_init(&c, sk_prf, p->n);
        tk_hmac_sha512_update(&c, opt_rand, p->n);
        for (size_t i = 0; i < nparts; i++) {
            tk_hmac_sha512_update(&c, mparts[i], mlens[i]);
        }
        tk_hmac_sha512_final(&c, tag);
    }
    memcpy(out, tag, p->n);
    tk_wipe(tag, sizeof(tag));
}

void
tk_slhdsa_prf_msg(const tk_slhdsa_params *p, const uint8_t *sk_prf, const uint8_t *opt_rand,
                  const uint8_t *const *mparts, const size_t *mlens, size_t nparts,
                  uint8_t *out)
{
    tk_keccak_ctx kc;

    if (p->sha2) {
        tk_slhdsa_prf_msg_sha2(p, sk_prf, opt_rand, mparts, mlens, nparts, out);
        return;
    }
    tk_shake256_init(&kc);
    tk_keccak_absorb(&kc, sk_prf, p->n);
    tk_keccak_absorb(&kc, opt_rand, p->n);
    for (size_t i = 0; i < nparts; i++) {
        tk_keccak_absorb(&kc, mparts[i], mlens[i]);
    }
    tk_keccak_finalize(&kc);
    tk_keccak_squeeze(&kc, out, p->n);
    tk_keccak_wipe(&kc);
}

/*
 * H_msg for SHA2 sets: MGF1(R || PK.seed || SHA-x(R || PK.seed || PK.root
 * || M), m) with SHA-256 for n = 16 and SHA-512 otherwise [FIPS 205
 * §11.2.1, §11.2.2]. All inputs are public.
 */
static void
tk_slhdsa_h_msg_sha2(const tk_slhdsa_params *p, const uint8_t *r, const uint8_t *pk_seed,
                     const uint8_t *pk_root, const uint8_t *const *mparts,
                     const size_t *mlens, size_t nparts, uint8_t *out)
{
    uint8_t seed[2 * TK_SLHDSA_MAX_N + TK_SHA512_DIGEST + 4];
    uint8_t blk[TK_SHA512_DIGEST];
    size_t dlen = p->n == 16 ? TK_SHA256_DIGEST : TK_SHA512_DIGEST;
    size_t slen = 2 * (size_t)p->n + dlen;
    tk_sha256_ctx c256;
    tk_sha512_ctx c512;

    memcpy(seed, r, p->n);
    memcpy(seed + p->n, pk_seed, p->n);
    if (p->n == 16) {
        tk_sha256_init(&c256);
        tk_sha256_update(&c256, seed, 2 * (size_t)p->n);
        tk_sha256_update(&c256, pk_root, p->n);
        for (size_t i = 0; i < nparts; i++) {
            tk_sha256_update(&c256, mparts[i], mlens[i]);
        }
        tk_sha256_final(&c256, seed + 2 * p->n);
    } else {
        tk_sha512_init(&c512);
        tk_sha512_update(&c512, seed, 2 * (size_t)p->n);
        tk_sha512_update(&c512, pk_root, p->n);
        for (size_t i = 0; i < nparts; i++) {
            tk_sha512_update(&c512, mparts[i], mlens[i]);
        }
        tk_sha512_final(&c512, seed + 2 * p->n);
    }

    /* MGF1: hash seed || counter (big-endian, 32 bits) until m bytes. */
    for (uint32_t ctr = 0; (size_t)ctr * dlen < p->m; ctr++) {
        size_t off = (size_t)ctr * dlen;
        size_t take = p->m - off < dlen ? p->m - off : dlen;

        tk_slhdsa_put32(seed + slen, ctr);
        if (p->n == 16) {
            tk_sha256(blk, seed, slen + 4);
        } else {
            tk_sha512(blk, seed, slen + 4);
        }
        memcpy(out + off, blk, take);
    }
}

void
tk_slhdsa_h_msg(const tk_slhdsa_params *p, const uint8_t *r, const uint8_t *pk_seed,
                const uint8_t *pk_root, const uint8_t *const *mparts, const size_t *mlens,
                size_t nparts, uint8_t *out)
{
    tk_keccak_ctx kc;

    if (p->sha2) {
        tk_slhdsa_h_msg_sha2(p, r, pk_seed, pk_root, mparts, mlens, nparts, out);
        return;
    }
    tk_shake256_init(&kc);
    tk_keccak_absorb(&kc, r, p->n);
    tk_keccak_absorb(&kc, pk_seed, p->n);
    tk_keccak_absorb(&kc, pk_root, p->n);
    for (size_t i = 0; i < nparts; i++) {
        tk_keccak_absorb(&kc, mparts[i], mlens[i]);
    }
    tk_keccak_finalize(&kc);
    tk_keccak_squeeze(&kc, out, p->m);
}
