/*
 * Return codes shared by the built-in post-quantum algorithms (ML-KEM,
 * ML-DSA, SLH-DSA). Zero is success; every error is negative so that a
 * caller can test "rc < 0" without knowing which algorithm produced it.
 */
#ifndef TK_CRYPTO_PQC_PQC_ERR_H
#define TK_CRYPTO_PQC_PQC_ERR_H

#define TK_PQC_OK 0
#define TK_PQC_EBADKEY (-1)
#define TK_PQC_EPARAM (-2)
#define TK_PQC_EVERIFY (-3)

#endif
