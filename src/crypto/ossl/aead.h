/*
 * AES-256-GCM with a 96-bit nonce and a 128-bit tag [NIST SP 800-38D].
 *
 * The caller picks the nonce and must never reuse one under the same key;
 * a random 12-byte nonce per message is fine for up to 2^32 messages.
 */
#ifndef TK_CRYPTO_OSSL_AEAD_H
#define TK_CRYPTO_OSSL_AEAD_H

#include <stddef.h>
#include <stdint.h>

#include "trustoken/pkcs11.h"

#define TK_GCM_KEY_LEN 32
#define TK_GCM_NONCE_LEN 12
#define TK_GCM_TAG_LEN 16

/*
 * Encrypt len bytes of pt into ct (len bytes; ct may equal pt) and write
 * the tag, authenticating ad_len bytes of ad as well. ad and pt may be
 * NULL when their length is 0. Returns CKR_OK, CKR_HOST_MEMORY, or
 * CKR_FUNCTION_FAILED (ct and tag are then wiped). Thread safe.
 */
CK_RV
tk_ossl_aes256gcm_seal(const uint8_t key[TK_GCM_KEY_LEN], const uint8_t nonce[TK_GCM_NONCE_LEN],
                       const uint8_t *ad, size_t ad_len, const uint8_t *pt, size_t len,
                       uint8_t *ct, uint8_t tag[TK_GCM_TAG_LEN]);

/*
 * Decrypt len bytes of ct into pt (ct may equal pt) and check the tag over
 * ad and ct. CKR_ENCRYPTED_DATA_INVALID when the tag does not match: pt is
 * then wiped, so no unauthenticated plaintext is released. The tag compare
 * is OpenSSL's constant-time one. Also CKR_HOST_MEMORY or
 * CKR_FUNCTION_FAILED (pt wiped). Thread safe.
 */
CK_RV
tk_ossl_aes256gcm_open(const uint8_t key[TK_GCM_KEY_LEN], const uint8_t nonce[TK_GCM_NONCE_LEN],
                       const uint8_t *ad, size_t ad_len, const uint8_t *ct, size_t len,
                       const uint8_t tag[TK_GCM_TAG_LEN], uint8_t *pt);

#endif
