/*
 * What the backend's asymmetric files share and nothing above
 * src/crypto/ossl may see: the OpenSSL object behind a tk_ossl_pkey and
 * the digest objects their contexts are configured with.
 */
#ifndef TK_CRYPTO_OSSL_PKEY_INTERNAL_H
#define TK_CRYPTO_OSSL_PKEY_INTERNAL_H

#include <openssl/evp.h>

#include "crypto/ossl/md.h"
#include "crypto/ossl/pkey.h"

/* A tk_ossl_pkey is an EVP_PKEY: no second allocation per key. */
#define TK_PKEY_EVP(k) ((EVP_PKEY *)(void *)(k))
#define TK_PKEY_OF(p) ((tk_ossl_pkey *)(void *)(p))

/*
 * The digest id fetched once per process (pthread_once), or NULL when id
 * is out of range or the library does not offer it. The object lives
 * until the process ends. Thread safe.
 */
const EVP_MD *
tk_ossl_pkey_md(tk_md_id id);

#endif
