/*
 * AES-GCM for IVs longer than OpenSSL 3.0's GCM accepts (more than
 * TK_GCM_MAX_IV_LEN bytes), built from AES-ECB and our own GHASH
 * [NIST SP 800-38D §7.1]: J0 = GHASH_H(IV || 0^(s+64) || [len(IV)]_64),
 * CTR from inc32(J0), tag = MSB_t(GHASH_H(A, C) ^ AES_K(J0)).
 *
 * Private to src/crypto/ossl: cipher.c keeps one of these per GCM context
 * and sends a message here when its IV is too long for OpenSSL. The
 * interface mirrors tk_cipher_aead_*; the same single-thread rule holds.
 *
 * Constant time: GHASH multiplies bit by bit with masks (no table indexed
 * by secret data), the tag is compared with tk_ct_memcmp(). The IV and
 * the text lengths are public.
 */
#ifndef TK_CRYPTO_OSSL_CIPHER_GCM_LONG_H
#define TK_CRYPTO_OSSL_CIPHER_GCM_LONG_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "trustoken/pkcs11.h"

typedef struct tk_gcm_long tk_gcm_long;

/*
 * A long-IV GCM state for key, encrypting when enc is nonzero; ecb is the
 * AES-ECB cipher for the key's size (cipher.c fetches it once). Computes
 * H = AES_K(0^128) once. The key is not kept outside the EVP schedule.
 * CKR_HOST_MEMORY, CKR_FUNCTION_FAILED. Free with tk_gcm_long_free().
 */
CK_RV
tk_gcm_long_new(int enc, const EVP_CIPHER *ecb, const uint8_t *key, tk_gcm_long **out);

/* Wipe and free g; NULL is fine. */
void
tk_gcm_long_free(tk_gcm_long *g);

/*
 * Start a message with iv (1 .. 2^61 - 1 bytes; a 12-byte IV is used as
 * [SP 800-38D §7.1] says, so any length works) and a tag of tag_len
 * bytes (1..16). Decrypting, tag holds the expected tag (copied);
 * encrypting, pass NULL. CKR_MECHANISM_PARAM_INVALID for bad sizes.
 */
CK_RV
tk_gcm_long_start(tk_gcm_long *g, const uint8_t *iv, size_t iv_len, size_t tag_len,
                  const uint8_t *tag);

/* Authenticate len bytes of aad; only before any text. */
CK_RV
tk_gcm_long_aad(tk_gcm_long *g, const uint8_t *aad, size_t len);

/*
 * Encrypt or decrypt len bytes of in into out (in may equal out).
 * CKR_DATA_LEN_RANGE past the 2^36 - 32 byte limit of a GCM message,
 * else CKR_OK or CKR_FUNCTION_FAILED. Decrypting, the caller holds the
 * plaintext back until tk_gcm_long_finish() accepted the tag.
 */
CK_RV
tk_gcm_long_update(tk_gcm_long *g, const uint8_t *in, size_t len, uint8_t *out);

/*
 * End the message. Encrypting: write tag_len bytes of tag. Decrypting:
 * tag is unused; CKR_ENCRYPTED_DATA_INVALID when the tag does not match
 * (constant-time compare).
 */
CK_RV
tk_gcm_long_finish(tk_gcm_long *g, uint8_t *tag);

#endif
