/*
 * What the elliptic-curve files of the OpenSSL backend share (ec.c,
 * ec_sig.c); never included outside src/crypto/ossl.
 */
#ifndef TK_CRYPTO_OSSL_EC_INTERNAL_H
#define TK_CRYPTO_OSSL_EC_INTERNAL_H

#include <openssl/evp.h>

#include "crypto/ossl/ec.h"

typedef struct {
    const char *keytype; /* OpenSSL's key type name */
    const char *group;   /* OpenSSL's group name; NULL off Weierstrass */
    tk_ec_sizes sizes;
} tk_ec_curve_desc;

struct tk_ossl_ec_key {
    tk_ec_curve curve;
    EVP_PKEY *pkey;
    /* Made on first use and kept, so repeated operations on one key
     * skip the context set-up: ECDSA sign or verify, EdDSA. */
    EVP_PKEY_CTX *pctx;
    EVP_MD_CTX *mctx;
    int pctx_kind; /* 1 sign, 2 verify */
};

/* The description of curve, or NULL outside the list. */
const tk_ec_curve_desc *
tk_ossl_ec_desc(tk_ec_curve curve);

/* A new context for making or importing keys of curve's type; NULL on
 * failure (the error queue is the caller's to clear). */
EVP_PKEY_CTX *
tk_ossl_ec_kmgmt_ctx(tk_ec_curve curve);

#endif
