/*
 * Key derivation functions: HKDF [RFC 5869] and PBKDF2 [RFC 8018 §5.2],
 * both over the digests of md.h with HMAC as the PRF.
 *
 * Every call is one-shot: the caller's buffers are read during the call
 * only and nothing is kept afterwards. No type of the backend appears
 * here, so the mechanism layer stays free of it.
 */
#ifndef TK_CRYPTO_OSSL_KDF_H
#define TK_CRYPTO_OSSL_KDF_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/ossl/md.h"
#include "trustoken/pkcs11.h"

/* Which halves of HKDF run. */
typedef enum {
    TK_HKDF_EXTRACT_EXPAND = 0, /* OKM from IKM */
    TK_HKDF_EXTRACT_ONLY,       /* PRK from IKM; out_len is the digest size */
    TK_HKDF_EXPAND_ONLY         /* OKM from a PRK given as key */
} tk_hkdf_mode;

/*
 * HKDF with HMAC over md. key (key_len >= 1) is the IKM, or the PRK in
 * TK_HKDF_EXPAND_ONLY. salt may be NULL when salt_len is 0: extraction
 * then uses HashLen zero bytes, which HMAC cannot tell from an empty salt
 * [RFC 5869 §2.2]. info (NULL when info_len is 0) is ignored when
 * extracting only. out_len is 1 .. 255 * digest size, and exactly the
 * digest size for TK_HKDF_EXTRACT_ONLY.
 *
 * Returns CKR_OK, CKR_ARGUMENTS_BAD (a length outside those ranges),
 * CKR_MECHANISM_INVALID (md not offered by the library), CKR_HOST_MEMORY
 * or CKR_FUNCTION_FAILED; on failure out is wiped. Not constant time in
 * the lengths, which are public. Thread safe.
 */
CK_RV
tk_ossl_hkdf(tk_md_id md, tk_hkdf_mode mode, const uint8_t *key, size_t key_len,
             const uint8_t *salt, size_t salt_len, const uint8_t *info, size_t info_len,
             uint8_t *out, size_t out_len);

/*
 * PBKDF2 with HMAC over md: out_len (>= 1) bytes from the password
 * (pass_len may be 0, pass then NULL), the salt (salt_len may be 0) and
 * iter >= 1 iterations. The short-password and short-salt limits of
 * SP 800-132 are not applied: PKCS #5 sets none, and callers check what
 * their protocol needs.
 *
 * Returns as tk_ossl_hkdf(). Thread safe.
 */
CK_RV
tk_ossl_pbkdf2(tk_md_id md, const uint8_t *pass, size_t pass_len, const uint8_t *salt,
               size_t salt_len, uint64_t iter, uint8_t *out, size_t out_len);

#endif
