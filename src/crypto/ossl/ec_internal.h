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

/* Ready signature contexts a shared key keeps for its handles. */
#define TK_EC_POOL 4
enum { TK_EC_CTX_SIGN = 0, TK_EC_CTX_VERIFY = 1, TK_EC_CTX_KINDS = 2 };

/*
 * A key, or a handle on a shared key (tk_ossl_ec_key_share()). A shared
 * key lives while its holder or any handle does (refs); it keeps a small
 * pool of initialised contexts, so that an operation on a cached key
 * skips creating and initialising one (a method store lookup in OpenSSL
 * 3.0). A context serves one handle, and so one thread, at a time.
 */
struct tk_ossl_ec_key {
    tk_ec_curve curve;
    EVP_PKEY *pkey;          /* owned when parent is NULL */
    tk_ossl_ec_key *parent;  /* the shared key of a handle */
    int refs;
    /* This handle's context: an EVP_PKEY_CTX (ECDSA) or EVP_MD_CTX
     * (EdDSA); ctx_kind is TK_EC_CTX_* + 1 when it may go back to the
     * pool, 0 when it must be freed (an EdDSA variant). */
    void *ctx;
    int ctx_kind;
    void *pool[TK_EC_CTX_KINDS][TK_EC_POOL];
};

/* key's context of kind: its own, or one from its shared key's pool;
 * NULL when the caller must make one (and set key->ctx, key->ctx_kind). */
void *
tk_ossl_ec_ctx_take(tk_ossl_ec_key *key, int kind);

/* Give key's context back to the pool, or free it. */
void
tk_ossl_ec_ctx_drop(tk_ossl_ec_key *key);

/* The description of curve, or NULL outside the list. */
const tk_ec_curve_desc *
tk_ossl_ec_desc(tk_ec_curve curve);

/* A new context for making or importing keys of curve's type; NULL on
 * failure (the error queue is the caller's to clear). */
EVP_PKEY_CTX *
tk_ossl_ec_kmgmt_ctx(tk_ec_curve curve);

#endif
