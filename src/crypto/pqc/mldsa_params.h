/*
 * ML-DSA parameter set chosen at compile time [FIPS 204 Table 1, 2].
 * mldsa.cmake builds mldsa_sign.c once per set with TK_MLDSA_MODE set to
 * 44, 65 or 87; every size below derives from the constants of that set,
 * and TK_MLDSA_NS() gives each build its own symbol names
 * (tk_mldsa44_keygen, ...).
 */
#ifndef TK_CRYPTO_PQC_MLDSA_PARAMS_H
#define TK_CRYPTO_PQC_MLDSA_PARAMS_H

#include "crypto/pqc/mldsa_poly.h"

#ifndef TK_MLDSA_MODE
#error "TK_MLDSA_MODE must be 44, 65 or 87"
#endif

#if TK_MLDSA_MODE == 44
#define TK_MLDSA_K 4
#define TK_MLDSA_L 4
#define TK_MLDSA_ETA 2
#define TK_MLDSA_TAU 39
#define TK_MLDSA_GAMMA1_BITS 17
#define TK_MLDSA_GAMMA2 ((TK_MLDSA_Q - 1) / 88)
#define TK_MLDSA_OMEGA 80
#define TK_MLDSA_LAMBDA 128
#elif TK_MLDSA_MODE == 65
#define TK_MLDSA_K 6
#define TK_MLDSA_L 5
#define TK_MLDSA_ETA 4
#define TK_MLDSA_TAU 49
#define TK_MLDSA_GAMMA1_BITS 19
#define TK_MLDSA_GAMMA2 ((TK_MLDSA_Q - 1) / 32)
#define TK_MLDSA_OMEGA 55
#define TK_MLDSA_LAMBDA 192
#elif TK_MLDSA_MODE == 87
#define TK_MLDSA_K 8
#define TK_MLDSA_L 7
#define TK_MLDSA_ETA 2
#define TK_MLDSA_TAU 60
#define TK_MLDSA_GAMMA1_BITS 19
#define TK_MLDSA_GAMMA2 ((TK_MLDSA_Q - 1) / 32)
#define TK_MLDSA_OMEGA 75
#define TK_MLDSA_LAMBDA 256
#else
#error "TK_MLDSA_MODE must be 44, 65 or 87"
#endif

#define TK_MLDSA_BETA (TK_MLDSA_TAU * TK_MLDSA_ETA)
#define TK_MLDSA_GAMMA1 (1 << TK_MLDSA_GAMMA1_BITS)
/* Number of high-bit values, (q - 1) / (2 * gamma2): 44 or 16. */
#define TK_MLDSA_W1_MAX ((TK_MLDSA_Q - 1) / (2 * TK_MLDSA_GAMMA2))

/* Field widths in bits [FIPS 204 §7.2]. */
#define TK_MLDSA_ETA_BITS (TK_MLDSA_ETA == 2 ? 3 : 4)
#define TK_MLDSA_Z_BITS (TK_MLDSA_GAMMA1_BITS + 1)
#define TK_MLDSA_W1_BITS (TK_MLDSA_W1_MAX == 44 ? 6 : 4)
#define TK_MLDSA_T1_BITS 10
#define TK_MLDSA_T0_BITS 13

/* Bytes of one packed polynomial: 256 fields of b bits. */
#define TK_MLDSA_POLY_BYTES(b) (32 * (b))

#define TK_MLDSA_CTILDE_BYTES (TK_MLDSA_LAMBDA / 4)
#define TK_MLDSA_W1_PACKED (TK_MLDSA_K * TK_MLDSA_POLY_BYTES(TK_MLDSA_W1_BITS))

#define TK_MLDSA_PK_BYTES (32 + TK_MLDSA_K * TK_MLDSA_POLY_BYTES(TK_MLDSA_T1_BITS))
#define TK_MLDSA_SK_BYTES                                                      \
    (128 + (TK_MLDSA_K + TK_MLDSA_L) * TK_MLDSA_POLY_BYTES(TK_MLDSA_ETA_BITS) + \
     TK_MLDSA_K * TK_MLDSA_POLY_BYTES(TK_MLDSA_T0_BITS))
#define TK_MLDSA_SIG_BYTES                                                  \
    (TK_MLDSA_CTILDE_BYTES + TK_MLDSA_L * TK_MLDSA_POLY_BYTES(TK_MLDSA_Z_BITS) + \
     TK_MLDSA_OMEGA + TK_MLDSA_K)

/* Offsets inside the private key: rho, K, tr, s1, s2, t0. */
#define TK_MLDSA_SK_KEY 32
#define TK_MLDSA_SK_TR 64
#define TK_MLDSA_SK_S1 128
#define TK_MLDSA_SK_S2 (TK_MLDSA_SK_S1 + TK_MLDSA_L * TK_MLDSA_POLY_BYTES(TK_MLDSA_ETA_BITS))
#define TK_MLDSA_SK_T0 (TK_MLDSA_SK_S2 + TK_MLDSA_K * TK_MLDSA_POLY_BYTES(TK_MLDSA_ETA_BITS))

#define TK_MLDSA_NS3(mode, name) tk_mldsa##mode##_##name
#define TK_MLDSA_NS2(mode, name) TK_MLDSA_NS3(mode, name)
#define TK_MLDSA_NS(name) TK_MLDSA_NS2(TK_MLDSA_MODE, name)

#endif
