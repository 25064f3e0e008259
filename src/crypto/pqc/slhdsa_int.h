/*
 * SLH-DSA internals shared by slhdsa*.c; not for use outside this folder.
 *
 * One code base serves all twelve parameter sets: every size comes from a
 * tk_slhdsa_params row [FIPS 205 Table 2], and the hash family (SHA2 or
 * SHAKE) is picked per call from the same row.
 */
#ifndef TK_CRYPTO_PQC_SLHDSA_INT_H
#define TK_CRYPTO_PQC_SLHDSA_INT_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/pqc/slhdsa.h"

/*
 * Values derived from secrets that the signature publishes anyway (R, the
 * FORS public key, each layer's root) are declared public here. In the
 * constant-time test build this tells valgrind that branching on them is
 * fine; everywhere else it compiles to nothing.
 */
#ifdef TK_SLHDSA_CT_TEST
#include <valgrind/memcheck.h>
#define TK_SLHDSA_PUBLIC(p, len) ((void)VALGRIND_MAKE_MEM_DEFINED((p), (len)))
#else
#define TK_SLHDSA_PUBLIC(p, len) ((void)0)
#endif

/* Winternitz parameter: lg_w = 4 for every set, so len2 = 3. */
#define TK_SLHDSA_LGW 4
#define TK_SLHDSA_W 16
#define TK_SLHDSA_LEN2 3
#define TK_SLHDSA_MAX_LEN (2 * TK_SLHDSA_MAX_N + TK_SLHDSA_LEN2)
#define TK_SLHDSA_MAX_K 35
#define TK_SLHDSA_MAX_A 14
#define TK_SLHDSA_MAX_HP 9
#define TK_SLHDSA_MAX_M 49
#define TK_SLHDSA_ADRS_LEN 32

/* Address types [FIPS 205 §4.2]. */
#define TK_SLHDSA_WOTS_HASH 0
#define TK_SLHDSA_WOTS_PK 1
#define TK_SLHDSA_TREE 2
#define TK_SLHDSA_FORS_TREE 3
#define TK_SLHDSA_FORS_ROOTS 4
#define TK_SLHDSA_WOTS_PRF 5
#define TK_SLHDSA_FORS_PRF 6

typedef struct {
    unsigned int n;   /* bytes per hash value */
    unsigned int h;   /* total hypertree height */
    unsigned int d;   /* layers */
    unsigned int hp;  /* height of one XMSS tree, h / d */
    unsigned int a;   /* FORS tree height */
    unsigned int k;   /* FORS trees */
    unsigned int m;   /* H_msg output bytes */
    unsigned int len; /* WOTS+ chains, 2n + 3 */
    int sha2;         /* 1: SHA2 family, 0: SHAKE */
    size_t sig_len;
} tk_slhdsa_params;

/*
 * Per-operation state: the seeds and, for SHA2 sets, the compression
 * state after the block PK.seed || 0^(64-n) (and 0^(128-n) for SHA-512),
 * so that each F, H, T and PRF costs only its own blocks. Holds SK.seed:
 * wipe with tk_slhdsa_ctx_wipe().
 */
typedef struct {
    const tk_slhdsa_params *p;
    int secret; /* holds SK.seed: F inputs are secret chain values too */
    uint8_t pk_seed[TK_SLHDSA_MAX_N];
    uint8_t sk_seed[TK_SLHDSA_MAX_N];
    uint32_t s256[8];
    uint64_t s512[8];
} tk_slhdsa_ctx;

/* The parameter row of set, or NULL for an unknown set. */
const tk_slhdsa_params *
tk_slhdsa_params_get(tk_slhdsa_set set);

/* Fill ctx; sk_seed may be NULL when only verifying. */
void
tk_slhdsa_ctx_init(tk_slhdsa_ctx *ctx, const tk_slhdsa_params *p, const uint8_t *pk_seed,
                   const uint8_t *sk_seed);

void
tk_slhdsa_ctx_wipe(tk_slhdsa_ctx *ctx);

/*
 * The tweakable hashes [FIPS 205 §11.1, §11.2]: n-byte outputs; adrs is
 * the full 32-byte address (compressed here for SHA2 sets). F takes n
 * input bytes, H 2n, T inlen; in and out may overlap exactly.
 */
void
tk_slhdsa_prf(const tk_slhdsa_ctx *ctx, const uint8_t *adrs, uint8_t *out);

void
tk_slhdsa_f(const tk_slhdsa_ctx *ctx, const uint8_t *adrs, const uint8_t *in, uint8_t *out);

/*
 * Four PRF or F calls at once, lane l on adrs[l], in[l], out[l] (SIMD in
 * both families: four-way SHA-256 or four-way Keccak). Bit l of mask marks
 * lane l as wanted; the others are computed and written anyway (they are
 * free), so their in[l] and out[l] must be valid buffers and the caller
 * must ignore that output. in[l] and out[l] may be the same buffer.
 */
void
tk_slhdsa_prf_x4(const tk_slhdsa_ctx *ctx, uint8_t adrs[4][TK_SLHDSA_ADRS_LEN],
                 uint8_t *const out[4], unsigned int mask);

void
tk_slhdsa_f_x4(const tk_slhdsa_ctx *ctx, uint8_t adrs[4][TK_SLHDSA_ADRS_LEN],
               const uint8_t *const in[4], uint8_t *const out[4], unsigned int mask);

void
tk_slhdsa_h(const tk_slhdsa_ctx *ctx, const uint8_t *adrs, const uint8_t *in, uint8_t *out);

void
tk_slhdsa_t(const tk_slhdsa_ctx *ctx, const uint8_t *adrs, const uint8_t *in, size_t inlen,
            uint8_t *out);

/* PRF_msg(SK.prf, opt_rand, M) with M in pieces; n bytes out. */
void
tk_slhdsa_prf_msg(const tk_slhdsa_params *p, const uint8_t *sk_prf, const uint8_t *opt_rand,
                  const uint8_t *const *mparts, const size_t *mlens, size_t nparts,
                  uint8_t *out);

/* H_msg(R, PK.seed, PK.root, M) with M in pieces; m bytes out. */
void
tk_slhdsa_h_msg(const tk_slhdsa_params *p, const uint8_t *r, const uint8_t *pk_seed,
                const uint8_t *pk_root, const uint8_t *const *mparts, const size_t *mlens,
                size_t nparts, uint8_t *out);

/*
 * Trees [FIPS 205 §5-§8]. sign functions write their part of the
 * signature and the n-byte root/public value they imply; verify functions
 * recompute it from a signature part.
 */
void
tk_slhdsa_xmss_root(const tk_slhdsa_ctx *ctx, uint32_t layer, uint64_t tree, uint8_t *root);

void
tk_slhdsa_fors_sign(const tk_slhdsa_ctx *ctx, const uint8_t *md, uint64_t idx_tree,
                    uint32_t idx_leaf, uint8_t *sig, uint8_t *pk_fors);

void
tk_slhdsa_fors_pk_from_sig(const tk_slhdsa_ctx *ctx, const uint8_t *md, uint64_t idx_tree,
                           uint32_t idx_leaf, const uint8_t *sig, uint8_t *pk_fors);

/* Signs msg (n bytes) with the hypertree; writes the top root to root. */
void
tk_slhdsa_ht_sign(const tk_slhdsa_ctx *ctx, const uint8_t *msg, uint64_t idx_tree,
                  uint32_t idx_leaf, uint8_t *sig, uint8_t *root);

/* Recomputes the top root from a hypertree signature of msg. */
void
tk_slhdsa_ht_root_from_sig(const tk_slhdsa_ctx *ctx, const uint8_t *msg, uint64_t idx_tree,
                           uint32_t idx_leaf, const uint8_t *sig, uint8_t *root);

/* Address fields, big-endian, at the offsets of [FIPS 205 §4.2]. */
static inline void
tk_slhdsa_put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static inline uint32_t
tk_slhdsa_get32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static inline void
tk_slhdsa_adrs_set_layer(uint8_t *adrs, uint32_t layer)
{
    tk_slhdsa_put32(adrs, layer);
}

static inline void
tk_slhdsa_adrs_set_tree(uint8_t *adrs, uint64_t tree)
{
    tk_slhdsa_put32(adrs + 4, 0);
    tk_slhdsa_put32(adrs + 8, (uint32_t)(tree >> 32));
    tk_slhdsa_put32(adrs + 12, (uint32_t)tree);
}

static inline void
tk_slhdsa_adrs_set_type(uint8_t *adrs, uint32_t type)
{
    tk_slhdsa_put32(adrs + 16, type);
    for (int i = 20; i < TK_SLHDSA_ADRS_LEN; i++) {
        adrs[i] = 0;
    }
}

static inline void
tk_slhdsa_adrs_set_keypair(uint8_t *adrs, uint32_t kp)
{
    tk_slhdsa_put32(adrs + 20, kp);
}

/* Chain address and tree height share one word. */
static inline void
tk_slhdsa_adrs_set_chain(uint8_t *adrs, uint32_t v)
{
    tk_slhdsa_put32(adrs + 24, v);
}

/* Hash address and tree index share one word. */
static inline void
tk_slhdsa_adrs_set_hash(uint8_t *adrs, uint32_t v)
{
    tk_slhdsa_put32(adrs + 28, v);
}

#endif
