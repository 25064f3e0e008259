/*
 * Random bytes from the OpenSSL DRBG (seeded by the kernel).
 */
#ifndef TK_CRYPTO_OSSL_RAND_H
#define TK_CRYPTO_OSSL_RAND_H

#include <stddef.h>

#include "trustoken/pkcs11.h"

/* Fill buf with len random bytes; CKR_FUNCTION_FAILED if the DRBG fails.
 * len 0 is fine. Thread safe. */
CK_RV
tk_ossl_random(void *buf, size_t len);

/* Mix caller-supplied bytes into the DRBG (C_SeedRandom); they add
 * to, never replace, the kernel's entropy. */
CK_RV
tk_ossl_seed(const void *buf, size_t len);

#endif
