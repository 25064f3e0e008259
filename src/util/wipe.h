/*
 * Secret wiping and constant-time helpers.
 *
 * Every buffer that held a key, PIN, seed, plaintext or shared secret is
 * cleared with tk_wipe() before it is freed or goes out of scope. Plain
 * memset() may be removed by the optimiser when the buffer is dead; the
 * function below cannot be.
 */
#ifndef TK_UTIL_WIPE_H
#define TK_UTIL_WIPE_H

#include <stddef.h>
#include <stdint.h>

/* Overwrite len bytes at p with zeros; p may be NULL when len is 0. */
void
tk_wipe(void *p, size_t len);

/* tk_wipe() then free(); p may be NULL. */
void
tk_free_secret(void *p, size_t len);

/*
 * Constant-time comparison of two equal-length buffers.
 * Returns 0 when equal, 1 otherwise; the time depends only on len.
 */
int
tk_ct_memcmp(const void *a, const void *b, size_t len);

/* 0xFF..FF when x == 0, else 0; constant time. */
static inline uint64_t
tk_ct_is_zero_mask64(uint64_t x)
{
    return ((x | (0 - x)) >> 63) - 1;
}

#endif
