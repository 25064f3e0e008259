/*
 * Symmetric ciphers for the mechanism layer: AES in ECB, CBC, CTR, GCM,
 * CCM and key-wrap modes, and ChaCha20-Poly1305 [RFC 8439].
 *
 * A tk_cipher is one keyed context: the key schedule is computed once by
 * tk_cipher_new() and every message after that only sets its IV, so the
 * per-message path allocates nothing. Padding (CBC-PAD, CTS) is the
 * caller's: ECB and CBC here take whole blocks only. Nothing here keeps
 * a pointer to the caller's buffers.
 *
 * A context is used by one thread at a time; distinct contexts are
 * independent. Thread safe otherwise.
 */
#ifndef TK_CRYPTO_OSSL_CIPHER_H
#define TK_CRYPTO_OSSL_CIPHER_H

#include <stddef.h>
#include <stdint.h>

#include "trustoken/pkcs11.h"

#define TK_AES_BLOCK 16
#define TK_CHACHA_KEY_LEN 32
#define TK_CHACHA_NONCE_LEN 12
#define TK_CHACHA_TAG_LEN 16
/*
 * The longest GCM IV OpenSSL 3.0's GCM accepts, in bytes. Longer IVs take
 * a slower path of our own (cipher_gcm_long.c); the message-based API
 * keeps this as its limit.
 */
#define TK_GCM_MAX_IV_LEN 128

typedef enum {
    TK_CIPHER_AES_ECB = 0,
    TK_CIPHER_AES_CBC,
    TK_CIPHER_AES_CTR,
    TK_CIPHER_AES_GCM,
    TK_CIPHER_AES_CCM,
    TK_CIPHER_CHACHA20_POLY1305,
    TK_CIPHER_MODE_COUNT
} tk_cipher_mode;

typedef struct tk_cipher tk_cipher;

/*
 * A context for mode with key (16, 24 or 32 bytes for AES, 32 for
 * ChaCha20), encrypting when enc is nonzero. The key is copied into the
 * backend's schedule; the caller keeps ownership of its buffer.
 * CKR_KEY_SIZE_RANGE for a wrong key length, CKR_HOST_MEMORY,
 * CKR_FUNCTION_FAILED. Free with tk_cipher_free().
 */
CK_RV
tk_cipher_new(tk_cipher_mode mode, int enc, const uint8_t *key, size_t key_len,
              tk_cipher **out);

/* Wipe and free c; NULL is fine. */
void
tk_cipher_free(tk_cipher *c);

/*
 * ECB, CBC, CTR: start a new stream with iv (TK_AES_BLOCK bytes; NULL for
 * ECB). CTR counts over all 128 bits: the caller refuses input that would
 * carry past its own counter width.
 */
CK_RV
tk_cipher_restart(tk_cipher *c, const uint8_t *iv);

/*
 * Encrypt or decrypt len bytes of in into out (exactly len bytes; in may
 * equal out). ECB and CBC need a multiple of TK_AES_BLOCK. For CCM the
 * whole text goes in one call, after tk_cipher_aead_start(); a CCM
 * decryption checks the tag here and answers CKR_ENCRYPTED_DATA_INVALID
 * with out wiped. Otherwise CKR_OK or CKR_FUNCTION_FAILED.
 */
CK_RV
tk_cipher_update(tk_cipher *c, const uint8_t *in, size_t len, uint8_t *out);

/*
 * AEAD modes: start one message with iv (GCM at least 1 byte, CCM 7..13,
 * ChaCha20-Poly1305 12) and a tag of tag_len bytes (GCM 1..16,
 * CCM 4..16 even, ChaCha20-Poly1305 16). text_len is the length of the
 * text (CCM needs it before the associated data; others ignore it). When
 * decrypting, tag is the expected tag; when encrypting pass NULL.
 * CKR_MECHANISM_PARAM_INVALID for sizes the mode refuses.
 */
CK_RV
tk_cipher_aead_start(tk_cipher *c, const uint8_t *iv, size_t iv_len, size_t tag_len,
                     size_t text_len, const uint8_t *tag);

/* Authenticate len bytes of aad (all of it before any text). */
CK_RV
tk_cipher_aead_aad(tk_cipher *c, const uint8_t *aad, size_t len);

/*
 * End the message. Encrypting: write tag_len bytes of tag. Decrypting: tag
 * is unused; CKR_ENCRYPTED_DATA_INVALID when the tag does not match
 * (compared in constant time by the backend). The caller wipes any
 * plaintext it already holds on failure.
 */
CK_RV
tk_cipher_aead_finish(tk_cipher *c, uint8_t *tag);

/*
 * AES key wrap, one shot: [RFC 3394] (pad == 0) or [RFC 5649] (pad != 0)
 * with key, the alternative initial value iv (8 or 4 bytes) or NULL for
 * the default. Wrapping writes len + 8 bytes (rounded up to 8 for KWP),
 * unwrapping at most len - 8 and sets *out_len. The caller checks the
 * input length rules first. Unwrapping a corrupt input gives
 * CKR_ENCRYPTED_DATA_INVALID with out wiped, whatever the cause.
 */
CK_RV
tk_cipher_keywrap(int pad, int enc, const uint8_t *key, size_t key_len, const uint8_t *iv,
                  const uint8_t *in, size_t len, uint8_t *out, size_t *out_len);

#endif
