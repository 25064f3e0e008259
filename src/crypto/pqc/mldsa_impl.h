/*
 * The per-parameter-set entry points that mldsa_sign.c defines once per
 * build (tk_mldsa44_*, tk_mldsa65_*, tk_mldsa87_*), for the dispatcher in
 * mldsa.c. Internal to src/crypto/pqc; the documented API is mldsa.h,
 * whose functions these implement with the set fixed and lengths known.
 */
#ifndef TK_CRYPTO_PQC_MLDSA_IMPL_H
#define TK_CRYPTO_PQC_MLDSA_IMPL_H

#include <stddef.h>
#include <stdint.h>

#define TK_MLDSA_DECLARE_SET(m)                                                         \
    int tk_mldsa##m##_keygen(const uint8_t xi[32], uint8_t *pk, uint8_t *sk);           \
    int tk_mldsa##m##_check_sk(const uint8_t *sk, const uint8_t *pk);                   \
    int tk_mldsa##m##_pk_from_sk(const uint8_t *sk, uint8_t *pk);                       \
    int tk_mldsa##m##_sign_mu(const uint8_t *sk, const uint8_t mu[64],                  \
                              const uint8_t rnd[32], uint8_t *sig);                     \
    int tk_mldsa##m##_verify_mu(const uint8_t *pk, const uint8_t mu[64], const uint8_t *sig, \
                                size_t siglen);

TK_MLDSA_DECLARE_SET(44)
TK_MLDSA_DECLARE_SET(65)
TK_MLDSA_DECLARE_SET(87)

#endif
