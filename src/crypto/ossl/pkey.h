/*
 * Asymmetric keys held by the backend, whatever their algorithm.
 *
 * A tk_ossl_pkey is one loaded key (public, or private with its public
 * half). Loading costs big-number conversions and precomputation, so a
 * mechanism builds it once per operation init and uses it for every call
 * of that operation. Algorithm files (rsa.h, later ec.h) create keys;
 * this header only holds what every algorithm shares. Callers never see
 * an OpenSSL type.
 *
 * A key is immutable once built: several threads may use one key at the
 * same time, each through its own operation context.
 */
#ifndef TK_CRYPTO_OSSL_PKEY_H
#define TK_CRYPTO_OSSL_PKEY_H

#include <stddef.h>
#include <stdint.h>

#include "trustoken/pkcs11.h"

typedef struct tk_ossl_pkey tk_ossl_pkey;

/* Drop one reference; the last one wipes and frees the key. NULL is
 * fine. */
void
tk_ossl_pkey_free(tk_ossl_pkey *key);

/* Take one more reference to key (each one is freed on its own).
 * CKR_OK or CKR_FUNCTION_FAILED. Thread safe. */
CK_RV
tk_ossl_pkey_ref(tk_ossl_pkey *key);

/* Size of the key in bits (an RSA key's modulus length). */
size_t
tk_ossl_pkey_bits(const tk_ossl_pkey *key);

/*
 * The DER SubjectPublicKeyInfo of key's public half (CKA_PUBLIC_KEY_INFO).
 * *der is malloc()ed and owned by the caller; it holds public data only.
 * CKR_OK, CKR_HOST_MEMORY or CKR_FUNCTION_FAILED; *der untouched on
 * failure.
 */
CK_RV
tk_ossl_pkey_spki(const tk_ossl_pkey *key, uint8_t **der, size_t *len);

#endif
