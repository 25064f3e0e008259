/*
 * What ed25519.c and ed448.c share: arithmetic modulo the group order L,
 * on little-endian 64-bit limbs. Every function runs in constant time:
 * loop bounds are the (public) lengths only.
 */
#ifndef TK_CRYPTO_ED_ED_INTERNAL_H
#define TK_CRYPTO_ED_ED_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

/* Limbs of the longest scalar (Ed448: 446 bits) and of the longest value
 * reduced (Ed448: 114-byte hash, or a 7 x 7 limb product). */
#define TK_ED_SC_LIMBS 7
#define TK_ED_WIDE_LIMBS 15

/* w (n limbs) from len <= 8 * n little-endian bytes, zero padded. */
void
tk_ed_sc_load(uint64_t *w, size_t n, const uint8_t *b, size_t len);

/* len little-endian bytes of w (n limbs, len <= 8 * n). */
void
tk_ed_sc_store(uint8_t *b, size_t len, const uint64_t *w, size_t n);

/* out (n limbs) = in (in_n limbs) mod l (n limbs, 2 * l < 2^(64 n)). */
void
tk_ed_sc_reduce(uint64_t *out, const uint64_t *in, size_t in_n, const uint64_t *l, size_t n);

/* out = (a * b + c) mod l; all n limbs, a, c < 2^(64 n). */
void
tk_ed_sc_muladd(uint64_t *out, const uint64_t *a, const uint64_t *b, const uint64_t *c,
                const uint64_t *l, size_t n);

/* 1 when w < l (n limbs each). Constant time. */
int
tk_ed_sc_lt(const uint64_t *w, const uint64_t *l, size_t n);

#endif
