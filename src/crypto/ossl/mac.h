/*
 * Message authentication codes: HMAC [FIPS 198-1] over the digests of
 * md.h, and AES-CMAC [NIST SP 800-38B].
 *
 * A context holds its own copy of the key from creation on, so the
 * caller's key buffer may be wiped at once. Contexts are opaque; freeing
 * one wipes the key and the intermediate state.
 */
#ifndef TK_CRYPTO_OSSL_MAC_H
#define TK_CRYPTO_OSSL_MAC_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/ossl/md.h"
#include "trustoken/pkcs11.h"

/* The longest tag of any MAC here (HMAC-SHA-512), in bytes. */
#define TK_MAC_MAX_SIZE TK_MD_MAX_SIZE

/* AES-CMAC's tag: one AES block. */
#define TK_CMAC_SIZE 16

/* One MAC computation; opaque. */
typedef struct tk_ossl_mac_ctx tk_ossl_mac_ctx;

/*
 * HMAC with digest md under key (key_len >= 1 bytes), ready to absorb
 * data. *out is set on success only. Returns CKR_OK, CKR_HOST_MEMORY,
 * CKR_MECHANISM_INVALID (md unknown to the library) or
 * CKR_FUNCTION_FAILED. Thread safe.
 */
CK_RV
tk_ossl_hmac_new(tk_md_id md, const uint8_t *key, size_t key_len, tk_ossl_mac_ctx **out);

/*
 * AES-CMAC under key, which must be 16, 24 or 32 bytes (else
 * CKR_KEY_SIZE_RANGE). Otherwise as tk_ossl_hmac_new().
 */
CK_RV
tk_ossl_cmac_new(const uint8_t *key, size_t key_len, tk_ossl_mac_ctx **out);

/*
 * A copy of src with everything src holds: key and absorbed data. Several
 * threads may copy one context at once as long as none changes it, so a
 * keyed context that never absorbs data can serve as a template. *out is
 * set on success only; CKR_HOST_MEMORY otherwise.
 */
CK_RV
tk_ossl_mac_dup(const tk_ossl_mac_ctx *src, tk_ossl_mac_ctx **out);

/* Full tag length of the context's MAC, in bytes. */
size_t
tk_ossl_mac_size(const tk_ossl_mac_ctx *ctx);

/* Forget everything absorbed and start again under the same key. */
CK_RV
tk_ossl_mac_reset(tk_ossl_mac_ctx *ctx);

/* Absorb len bytes (in may be NULL when len is 0). */
CK_RV
tk_ossl_mac_update(tk_ossl_mac_ctx *ctx, const uint8_t *in, size_t len);

/*
 * Write the full tag (tk_ossl_mac_size() bytes) to out; the context takes
 * no more data afterwards. CKR_OK or CKR_FUNCTION_FAILED (out wiped).
 */
CK_RV
tk_ossl_mac_final(tk_ossl_mac_ctx *ctx, uint8_t *out);

/* Wipe and free a context; NULL is fine. */
void
tk_ossl_mac_free(tk_ossl_mac_ctx *ctx);

#endif
