/*
 * Per-parameter-set entry points of ML-KEM, built from mlkem_kem.c once per
 * set under the names tk_mlkem512_*, tk_mlkem768_* and tk_mlkem1024_*.
 * Internal to src/crypto/pqc: callers use mlkem.h, which checks the set and
 * dispatches here. Arguments and results are those of mlkem.h.
 *
 * *_keygen_expanded() is KeyGen from line 2 of [FIPS 203 Alg. 13] on, given
 * g = rho || sigma; *_keygen() computes g = G(d || k) and calls it. Tests
 * use it to replay vectors made for the FIPS 203 draft, whose only
 * difference is g = G(d). Nothing outside tests should call it.
 *
 * The *_ekx and *_dkx functions take the storage of tk_mlkem_ekx and
 * tk_mlkem_dkx (mlkem.h), laid out per set inside mlkem_kem.c.
 */
#ifndef TK_CRYPTO_PQC_MLKEM_KEM_H
#define TK_CRYPTO_PQC_MLKEM_KEM_H

#include <stdint.h>

#define TK_MLKEM_DECLARE_SET(pfx)                                                            \
    int pfx##_keygen(const uint8_t d[32], const uint8_t z[32], uint8_t *ek, uint8_t *dk);    \
    int pfx##_keygen_expanded(const uint8_t g[64], const uint8_t z[32], uint8_t *ek,         \
                              uint8_t *dk);                                                  \
    int pfx##_encaps(const uint8_t *ek, const uint8_t m[32], uint8_t *ct, uint8_t ss[32]);   \
    int pfx##_decaps(const uint8_t *dk, const uint8_t *ct, uint8_t ss[32]);                  \
    int pfx##_check_ek(const uint8_t *ek);                                                   \
    int pfx##_check_dk(const uint8_t *dk);                                                   \
    int pfx##_ekx_init(const uint8_t *ek, void *x);                                          \
    int pfx##_encaps_ekx(const void *x, const uint8_t m[32], uint8_t *ct, uint8_t ss[32]);   \
    int pfx##_dkx_init(const uint8_t *dk, void *x);                                          \
    int pfx##_decaps_dkx(const void *x, const uint8_t *ct, uint8_t ss[32]);

TK_MLKEM_DECLARE_SET(tk_mlkem512)
TK_MLKEM_DECLARE_SET(tk_mlkem768)
TK_MLKEM_DECLARE_SET(tk_mlkem1024)

#endif
