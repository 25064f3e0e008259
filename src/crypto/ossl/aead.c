/* AES-256-GCM; see aead.h. */
#include "crypto/ossl/aead.h"

#include <limits.h>
#include <openssl/evp.h>

#include "crypto/ossl/err.h"
#include "util/check.h"
#include "util/wipe.h"

/* EVP takes int lengths: larger inputs go in pieces of this size. */
#define TK_GCM_CHUNK ((size_t)1 << 30)

/* Start an encryption (enc = 1) or decryption (enc = 0) context. */
static CK_RV
tk_gcm_init(EVP_CIPHER_CTX **ctx, int enc, const uint8_t *key, const uint8_t *nonce)
{
    CK_RV rv = CKR_OK;

    *ctx = EVP_CIPHER_CTX_new();
    TK_GUARD(tk_ossl_rv(*ctx != NULL, CKR_HOST_MEMORY));
    /* A GCM context's default IV length is 12, the only one we use. */
    TK_GUARD(tk_ossl_rv(EVP_CipherInit_ex2(*ctx, EVP_aes_256_gcm(), key, nonce, enc, NULL),
                        CKR_FUNCTION_FAILED));
out:
    return rv;
}

/*
 * Feed len bytes through the context: as associated data when out is
 * NULL, else as text written to out.
 */
static CK_RV
tk_gcm_update(EVP_CIPHER_CTX *ctx, const uint8_t *in, size_t len, uint8_t *out)
{
    CK_RV rv = CKR_OK;

    while (len > 0) {
        size_t n = len < TK_GCM_CHUNK ? len : TK_GCM_CHUNK;
        int got = 0;
        TK_GUARD(tk_ossl_rv(EVP_CipherUpdate(ctx, out, &got, in, (int)n), CKR_FUNCTION_FAILED));
        TK_CHECK(got == (int)n || out == NULL, CKR_FUNCTION_FAILED);
        in += n;
        len -= n;
        if (out != NULL) {
            out += n;
        }
    }
out:
    return rv;
}

CK_RV
tk_ossl_aes256gcm_seal(const uint8_t key[TK_GCM_KEY_LEN], const uint8_t nonce[TK_GCM_NONCE_LEN],
                       const uint8_t *ad, size_t ad_len, const uint8_t *pt, size_t len,
                       uint8_t *ct, uint8_t tag[TK_GCM_TAG_LEN])
{
    CK_RV rv = CKR_OK;
    EVP_CIPHER_CTX *ctx = NULL;
    uint8_t fin[16];
    int got = 0;

    TK_GUARD(tk_gcm_init(&ctx, 1, key, nonce));
    TK_GUARD(tk_gcm_update(ctx, ad, ad_len, NULL));
    TK_GUARD(tk_gcm_update(ctx, pt, len, ct));
    /* GCM is a stream mode: the final call writes nothing. */
    TK_GUARD(tk_ossl_rv(EVP_EncryptFinal_ex(ctx, fin, &got), CKR_FUNCTION_FAILED));
    TK_CHECK(got == 0, CKR_FUNCTION_FAILED);
    TK_GUARD(tk_ossl_rv(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, TK_GCM_TAG_LEN, tag),
                        CKR_FUNCTION_FAILED));
out:
    if (rv != CKR_OK) {
        tk_wipe(ct, ct != NULL ? len : 0);
        tk_wipe(tag, TK_GCM_TAG_LEN);
    }
    EVP_CIPHER_CTX_free(ctx);
    return rv;
}

CK_RV
tk_ossl_aes256gcm_open(const uint8_t key[TK_GCM_KEY_LEN], const uint8_t nonce[TK_GCM_NONCE_LEN],
                       const uint8_t *ad, size_t ad_len, const uint8_t *ct, size_t len,
                       const uint8_t tag[TK_GCM_TAG_LEN], uint8_t *pt)
{
    CK_RV rv = CKR_OK;
    EVP_CIPHER_CTX *ctx = NULL;
    uint8_t tag_copy[TK_GCM_TAG_LEN];
    uint8_t fin[16];
    int got = 0;

    /* The ctrl call takes a non-const pointer. */
    for (size_t i = 0; i < TK_GCM_TAG_LEN; i++) {
        tag_copy[i] = tag[i];
    }
    TK_GUARD(tk_gcm_init(&ctx, 0, key, nonce));
    TK_GUARD(tk_ossl_rv(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, TK_GCM_TAG_LEN, tag_copy),
                        CKR_FUNCTION_FAILED));
    TK_GUARD(tk_gcm_update(ctx, ad, ad_len, NULL));
    TK_GUARD(tk_gcm_update(ctx, ct, len, pt));
    /* A wrong tag is the expected failure here, not an internal error. */
    TK_GUARD(tk_ossl_rv(EVP_DecryptFinal_ex(ctx, fin, &got) == 1 && got == 0,
                        CKR_ENCRYPTED_DATA_INVALID));
out:
    if (rv != CKR_OK) {
        tk_wipe(pt, pt != NULL ? len : 0);
    }
    EVP_CIPHER_CTX_free(ctx);
    return rv;
}
