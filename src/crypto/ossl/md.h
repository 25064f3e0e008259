/*
 * Message digests: SHA-1, SHA-2 [FIPS 180-4] and SHA-3 [FIPS 202].
 *
 * Each algorithm is fetched from OpenSSL once per process and kept; a
 * context is one live hash computation. Callers see only the opaque
 * tk_ossl_md_ctx, never an OpenSSL type.
 */
#ifndef TK_CRYPTO_OSSL_MD_H
#define TK_CRYPTO_OSSL_MD_H

#include <stddef.h>
#include <stdint.h>

#include "trustoken/pkcs11.h"

/* The digests the token knows; the values index internal tables. */
typedef enum {
    TK_MD_SHA1 = 0,
    TK_MD_SHA224,
    TK_MD_SHA256,
    TK_MD_SHA384,
    TK_MD_SHA512,
    TK_MD_SHA512_224,
    TK_MD_SHA512_256,
    TK_MD_SHA3_224,
    TK_MD_SHA3_256,
    TK_MD_SHA3_384,
    TK_MD_SHA3_512,
    TK_MD_COUNT
} tk_md_id;

/* The longest digest of the list above (SHA-512, SHA3-512), in bytes. */
#define TK_MD_MAX_SIZE 64

/* One hash computation; opaque. */
typedef struct tk_ossl_md_ctx tk_ossl_md_ctx;

/* Digest length of id in bytes; 0 for an id outside the list. */
size_t
tk_ossl_md_size(tk_md_id id);

/* OpenSSL's name of id (for MAC parameters); NULL outside the list. */
const char *
tk_ossl_md_name(tk_md_id id);

/*
 * A new context for id, ready to absorb data. *out is set on success only;
 * release it with tk_ossl_md_free(). Returns CKR_OK, CKR_HOST_MEMORY,
 * CKR_MECHANISM_INVALID (id unknown or not offered by the library) or
 * CKR_FUNCTION_FAILED. Thread safe.
 */
CK_RV
tk_ossl_md_new(tk_md_id id, tk_ossl_md_ctx **out);

/* Forget everything absorbed and start again with the same digest. */
CK_RV
tk_ossl_md_reset(tk_ossl_md_ctx *ctx);

/* Absorb len bytes (in may be NULL when len is 0). CKR_FUNCTION_FAILED
 * on a library failure. */
CK_RV
tk_ossl_md_update(tk_ossl_md_ctx *ctx, const uint8_t *in, size_t len);

/*
 * Write the digest (tk_ossl_md_size() bytes) to out. Afterwards the
 * context takes no more data until tk_ossl_md_reset(). CKR_OK or
 * CKR_FUNCTION_FAILED (out then untouched or wiped).
 */
CK_RV
tk_ossl_md_final(tk_ossl_md_ctx *ctx, uint8_t *out);

/* Wipe and free a context; NULL is fine. */
void
tk_ossl_md_free(tk_ossl_md_ctx *ctx);

/* Digest of len bytes at in, in one call; out holds tk_ossl_md_size(id). */
CK_RV
tk_ossl_md_oneshot(tk_md_id id, const uint8_t *in, size_t len, uint8_t *out);

#endif
