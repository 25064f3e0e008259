/*
 * SHA-256 and SHA-512 [FIPS 180-4], and HMAC over them [FIPS 198-1], in
 * portable C for the SHA2 parameter sets of SLH-DSA.
 *
 * A context is a plain struct: copying it with '=' or memcpy() copies the
 * midstate, so a caller can hash a common prefix once and branch from it
 * (SLH-DSA hashes PK.seed padded to one block before every F, H and T).
 * The compression functions are exported for callers that build their own
 * final block from such a midstate.
 *
 * No function branches on or indexes by the data it hashes; only lengths,
 * which are public, drive control flow. A context that absorbed secrets
 * must be cleared with tk_sha256_wipe() / tk_sha512_wipe().
 */
#ifndef TK_CRYPTO_PQC_SHA2_H
#define TK_CRYPTO_PQC_SHA2_H

#include <stddef.h>
#include <stdint.h>

#define TK_SHA256_BLOCK 64
#define TK_SHA256_DIGEST 32
#define TK_SHA512_BLOCK 128
#define TK_SHA512_DIGEST 64

typedef struct {
    uint32_t h[8];
    uint64_t nbytes; /* total bytes absorbed so far */
    uint8_t buf[TK_SHA256_BLOCK];
} tk_sha256_ctx;

typedef struct {
    uint64_t h[8];
    uint64_t nbytes; /* total bytes absorbed; messages stay below 2^64 */
    uint8_t buf[TK_SHA512_BLOCK];
} tk_sha512_ctx;

typedef struct {
    tk_sha256_ctx inner;
    tk_sha256_ctx outer;
} tk_hmac_sha256_ctx;

typedef struct {
    tk_sha512_ctx inner;
    tk_sha512_ctx outer;
} tk_hmac_sha512_ctx;

/* Apply the compression function to h for each of nblocks 64-byte blocks. */
void
tk_sha256_compress(uint32_t h[8], const uint8_t *blocks, size_t nblocks);

/* Apply the compression function to h for each of nblocks 128-byte blocks. */
void
tk_sha512_compress(uint64_t h[8], const uint8_t *blocks, size_t nblocks);

/*
 * Four independent SHA-256 compressions at once, one block each: st[i][l]
 * is word i of lane l's chaining value, blocks[l] lane l's 64-byte block.
 * Uses the compiler's vector extension where there is one (SSE2 on
 * x86-64, NEON on arm64) and four scalar calls elsewhere; same results.
 */
void
tk_sha256_compress_x4(uint32_t st[8][4], const uint8_t *const blocks[4]);

/* Start a SHA-256 hash. */
void
tk_sha256_init(tk_sha256_ctx *c);

/* Absorb len bytes of in (in may be NULL when len is 0). */
void
tk_sha256_update(tk_sha256_ctx *c, const uint8_t *in, size_t len);

/* Pad, write the 32-byte digest to out. The context is left wiped. */
void
tk_sha256_final(tk_sha256_ctx *c, uint8_t out[TK_SHA256_DIGEST]);

/* Clear a context that absorbed secret data. */
void
tk_sha256_wipe(tk_sha256_ctx *c);

/* One-shot SHA-256 of len bytes. */
void
tk_sha256(uint8_t out[TK_SHA256_DIGEST], const uint8_t *in, size_t len);

/* The same four steps for SHA-512. */
void
tk_sha512_init(tk_sha512_ctx *c);

void
tk_sha512_update(tk_sha512_ctx *c, const uint8_t *in, size_t len);

void
tk_sha512_final(tk_sha512_ctx *c, uint8_t out[TK_SHA512_DIGEST]);

void
tk_sha512_wipe(tk_sha512_ctx *c);

void
tk_sha512(uint8_t out[TK_SHA512_DIGEST], const uint8_t *in, size_t len);

/*
 * HMAC [FIPS 198-1]. init takes a key of any length (longer than a block
 * is hashed first); update absorbs message bytes; final writes the full
 * tag and wipes the context. The key's length is public; its bytes are
 * not looked at by any branch.
 */
void
tk_hmac_sha256_init(tk_hmac_sha256_ctx *c, const uint8_t *key, size_t keylen);

void
tk_hmac_sha256_update(tk_hmac_sha256_ctx *c, const uint8_t *in, size_t len);

void
tk_hmac_sha256_final(tk_hmac_sha256_ctx *c, uint8_t out[TK_SHA256_DIGEST]);

void
tk_hmac_sha512_init(tk_hmac_sha512_ctx *c, const uint8_t *key, size_t keylen);

void
tk_hmac_sha512_update(tk_hmac_sha512_ctx *c, const uint8_t *in, size_t len);

void
tk_hmac_sha512_final(tk_hmac_sha512_ctx *c, uint8_t out[TK_SHA512_DIGEST]);

#endif
