/*
 * Keccak-f[1600], SHA3 and SHAKE [FIPS 202], as used by ML-KEM, ML-DSA and
 * the SHAKE parameter sets of SLH-DSA.
 *
 * The incremental context absorbs any number of times, is finalised once,
 * then squeezes any number of times. No function here branches on the data
 * it hashes; lengths are public.
 */
#ifndef TK_CRYPTO_PQC_KECCAK_H
#define TK_CRYPTO_PQC_KECCAK_H

#include <stddef.h>
#include <stdint.h>

#define TK_SHAKE128_RATE 168
#define TK_SHAKE256_RATE 136
#define TK_SHA3_256_RATE 136
#define TK_SHA3_384_RATE 104
#define TK_SHA3_512_RATE 72
#define TK_SHA3_224_RATE 144

typedef struct {
    uint64_t s[25];
    unsigned int pos;  /* bytes absorbed into, or squeezed from, the block */
    unsigned int rate; /* block size in bytes */
    uint8_t dsep;      /* domain separation byte: 0x06 SHA3, 0x1F SHAKE */
    uint8_t squeezing;
} tk_keccak_ctx;

/* The permutation, 24 rounds, on a state of 25 little-endian lanes. */
void
tk_keccak_f1600(uint64_t s[25]);

/*
 * Four independent permutations in one pass, for callers that hash four
 * blocks at once (SLH-DSA's F and PRF). Interleaved layout: s[i][l] is
 * lane i of state l, so each s[i] is one vector. The result equals
 * tk_keccak_f1600() on each state. Constant time; no memory of its own.
 */
void
tk_keccak_f1600_x4(uint64_t s[25][4]);

/* Start a hash: rate in bytes, dsep 0x06 (SHA3) or 0x1F (SHAKE). */
void
tk_keccak_init(tk_keccak_ctx *c, unsigned int rate, uint8_t dsep);

void
tk_shake128_init(tk_keccak_ctx *c);

void
tk_shake256_init(tk_keccak_ctx *c);

/* Absorb len bytes; only before tk_keccak_finalize(). */
void
tk_keccak_absorb(tk_keccak_ctx *c, const uint8_t *in, size_t len);

/* Pad and switch to squeezing. */
void
tk_keccak_finalize(tk_keccak_ctx *c);

/* Squeeze len bytes; may be called repeatedly after finalize. */
void
tk_keccak_squeeze(tk_keccak_ctx *c, uint8_t *out, size_t len);

/* Squeeze whole blocks straight from the state (nblocks * rate bytes). */
void
tk_keccak_squeezeblocks(tk_keccak_ctx *c, uint8_t *out, size_t nblocks);

/* Wipe the context (it may have absorbed secrets). */
void
tk_keccak_wipe(tk_keccak_ctx *c);

/* One-shot helpers. */
void
tk_sha3_256(uint8_t out[32], const uint8_t *in, size_t len);

void
tk_sha3_512(uint8_t out[64], const uint8_t *in, size_t len);

void
tk_shake128(uint8_t *out, size_t outlen, const uint8_t *in, size_t inlen);

void
tk_shake256(uint8_t *out, size_t outlen, const uint8_t *in, size_t inlen);

#endif
