/* Symmetric ciphers on OpenSSL 3 EVP; see cipher.h. */
#include "crypto/ossl/cipher.h"

#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>

#include "crypto/ossl/cipher_gcm_long.h"
#include "crypto/ossl/err.h"
#include "util/check.h"
#include "util/wipe.h"

/*
 * tk_ossl_rv() empties OpenSSL's error queue, which costs about as much as
 * sealing a 64-byte message; a successful EVP call leaves nothing to
 * empty, so the per-message path hands it only the failures.
 */
static inline CK_RV
tk_cipher_rv(int ossl_ok, CK_RV on_fail)
{
    return ossl_ok == 1 ? CKR_OK : tk_ossl_rv(ossl_ok, on_fail);
}

/* EVP takes int lengths: longer streams go in pieces of this size. */
#define TK_CIPHER_CHUNK ((size_t)1 << 30)

struct tk_cipher {
    EVP_CIPHER_CTX *ctx;
    tk_cipher_mode mode;
    int enc;
    size_t iv_len;  /* the IV length the context is set to (AEAD) */
    size_t tag_len;
    uint8_t key[32]; /* CCM, GCM: see tk_cipher_aead_start() */
    size_t key_len;
    tk_gcm_long *lg; /* GCM: made at the first IV too long for OpenSSL */
    int use_long;    /* GCM: the current message runs on lg */
};

/* Fetched once: a fetch walks the provider store, far too slow to do per
 * operation. Index: mode, then key size 16/24/32 as 0/1/2. */
static EVP_CIPHER *tk_cipher_algs[TK_CIPHER_MODE_COUNT][3];
static EVP_CIPHER *tk_cipher_wrap_algs[2][3];
static pthread_once_t tk_cipher_once = PTHREAD_ONCE_INIT;

static void
tk_cipher_fetch_all(void)
{
    static const char *const names[TK_CIPHER_MODE_COUNT][3] = {
        [TK_CIPHER_AES_ECB] = {"AES-128-ECB", "AES-192-ECB", "AES-256-ECB"},
        [TK_CIPHER_AES_CBC] = {"AES-128-CBC", "AES-192-CBC", "AES-256-CBC"},
        [TK_CIPHER_AES_CTR] = {"AES-128-CTR", "AES-192-CTR", "AES-256-CTR"},
        [TK_CIPHER_AES_GCM] = {"AES-128-GCM", "AES-192-GCM", "AES-256-GCM"},
        [TK_CIPHER_AES_CCM] = {"AES-128-CCM", "AES-192-CCM", "AES-256-CCM"},
        [TK_CIPHER_CHACHA20_POLY1305] = {NULL, NULL, "ChaCha20-Poly1305"},
    };
    static const char *const wrap[2][3] = {
        {"AES-128-WRAP", "AES-192-WRAP", "AES-256-WRAP"},
        {"AES-128-WRAP-PAD", "AES-192-WRAP-PAD", "AES-256-WRAP-PAD"},
    };

    for (int m = 0; m < TK_CIPHER_MODE_COUNT; m++) {
        for (int k = 0; k < 3; k++) {
            if (names[m][k] != NULL) {
                tk_cipher_algs[m][k] = EVP_CIPHER_fetch(NULL, names[m][k], NULL);
            }
        }
    }
    for (int p = 0; p < 2; p++) {
        for (int k = 0; k < 3; k++) {
            tk_cipher_wrap_algs[p][k] = EVP_CIPHER_fetch(NULL, wrap[p][k], NULL);
        }
    }
    /* A failed fetch leaves NULL, reported at use; drop its queue entry. */
    (void)tk_ossl_rv(1, CKR_OK);
}

/* 0, 1, 2 for 16, 24, 32 bytes; -1 otherwise. */
static int
tk_cipher_key_index(size_t key_len)
{
    return key_len == 16 ? 0 : key_len == 24 ? 1 : key_len == 32 ? 2 : -1;
}

static CK_RV
tk_cipher_pick(tk_cipher_mode mode, size_t key_len, const EVP_CIPHER **alg)
{
    int k = tk_cipher_key_index(key_len);

    pthread_once(&tk_cipher_once, tk_cipher_fetch_all);
    if ((unsigned)mode >= TK_CIPHER_MODE_COUNT || k < 0 ||
        (mode == TK_CIPHER_CHACHA20_POLY1305 && key_len != TK_CHACHA_KEY_LEN)) {
        return CKR_KEY_SIZE_RANGE;
    }
    *alg = tk_cipher_algs[mode][k];
    return *alg != NULL ? CKR_OK : CKR_FUNCTION_FAILED;
}

CK_RV
tk_cipher_new(tk_cipher_mode mode, int enc, const uint8_t *key, size_t key_len,
              tk_cipher **out)
{
    CK_RV rv = CKR_OK;
    const EVP_CIPHER *alg = NULL;
    tk_cipher *c = NULL;

    TK_GUARD(tk_cipher_pick(mode, key_len, &alg));
    c = calloc(1, sizeof(*c));
    TK_CHECK(c != NULL, CKR_HOST_MEMORY);
    c->mode = mode;
    c->enc = enc ? 1 : 0;
    c->ctx = EVP_CIPHER_CTX_new();
    TK_GUARD(tk_ossl_rv(c->ctx != NULL, CKR_HOST_MEMORY));
    TK_GUARD(tk_ossl_rv(EVP_CipherInit_ex2(c->ctx, alg, key, NULL, c->enc, NULL),
                        CKR_FUNCTION_FAILED));
    if (mode == TK_CIPHER_AES_ECB || mode == TK_CIPHER_AES_CBC) {
        /* Padding is the mechanism layer's, decided in constant time. */
        TK_GUARD(tk_ossl_rv(EVP_CIPHER_CTX_set_padding(c->ctx, 0), CKR_FUNCTION_FAILED));
    }
    c->iv_len = (size_t)EVP_CIPHER_CTX_get_iv_length(c->ctx);
    if (mode == TK_CIPHER_AES_CCM || mode == TK_CIPHER_AES_GCM) {
        memcpy(c->key, key, key_len);
        c->key_len = key_len;
    }
    *out = c;
    c = NULL;
out:
    tk_cipher_free(c);
    return rv;
}

void
tk_cipher_free(tk_cipher *c)
{
    if (c != NULL) {
        /* EVP_CIPHER_CTX_free cleanses the key schedule. */
        EVP_CIPHER_CTX_free(c->ctx);
        tk_gcm_long_free(c->lg);
        tk_free_secret(c, sizeof(*c));
    }
}

CK_RV
tk_cipher_restart(tk_cipher *c, const uint8_t *iv)
{
    return tk_cipher_rv(EVP_CipherInit_ex2(c->ctx, NULL, NULL, iv, c->enc, NULL),
                      CKR_FUNCTION_FAILED);
}

/* Feed len bytes through the context: associated data when out is NULL. */
static CK_RV
tk_cipher_feed(tk_cipher *c, const uint8_t *in, size_t len, uint8_t *out)
{
    CK_RV rv = CKR_OK;

    while (len > 0) {
        size_t n = len < TK_CIPHER_CHUNK ? len : TK_CIPHER_CHUNK;
        int got = 0;
        TK_GUARD(tk_cipher_rv(EVP_CipherUpdate(c->ctx, out, &got, in, (int)n),
                            CKR_FUNCTION_FAILED));
        TK_CHECK(out == NULL || got == (int)n, CKR_FUNCTION_FAILED);
        in += n;
        len -= n;
        if (out != NULL) {
            out += n;
        }
    }
out:
    return rv;
}

/* CCM takes its text in one call, which also checks the tag. */
static CK_RV
tk_cipher_ccm_text(tk_cipher *c, const uint8_t *in, size_t len, uint8_t *out)
{
    static const uint8_t none[1] = {0};
    uint8_t sink[1];
    int got = 0;
    int ok;

    if (len > INT_MAX) {
        return CKR_DATA_LEN_RANGE;
    }
    /* A NULL input would mean "final" to the provider, even for len 0. */
    ok = EVP_CipherUpdate(c->ctx, len > 0 ? out : sink, &got,
                          len > 0 ? in : none, (int)len);
    if (!c->enc && ok != 1) {
        tk_wipe(out, len);
        return tk_cipher_rv(0, CKR_ENCRYPTED_DATA_INVALID);
    }
    return tk_cipher_rv(ok == 1 && got == (int)len, CKR_FUNCTION_FAILED);
}

CK_RV
tk_cipher_update(tk_cipher *c, const uint8_t *in, size_t len, uint8_t *out)
{
    if (c->mode == TK_CIPHER_AES_CCM) {
        return tk_cipher_ccm_text(c, in, len, out);
    }
    if (c->use_long) {
        return tk_gcm_long_update(c->lg, in, len, out);
    }
    return tk_cipher_feed(c, in, len, out);
}

/* The tag-length and IV-length rules of each AEAD mode. */
static int
tk_cipher_aead_sizes_ok(tk_cipher_mode mode, size_t iv_len, size_t tag_len)
{
    switch (mode) {
    case TK_CIPHER_AES_GCM:
        /* Longer IVs than OpenSSL takes go to cipher_gcm_long.c. */
        return iv_len >= 1 && tag_len >= 1 && tag_len <= 16;
    case TK_CIPHER_AES_CCM:
        return iv_len >= 7 && iv_len <= 13 && tag_len >= 4 && tag_len <= 16 &&
               tag_len % 2 == 0;
    case TK_CIPHER_CHACHA20_POLY1305:
        return iv_len == TK_CHACHA_NONCE_LEN && tag_len == TK_CHACHA_TAG_LEN;
    default:
        return 0;
    }
}

/* Set the IV length when it changes (a parameter round trip otherwise). */
static CK_RV
tk_cipher_set_iv_len(tk_cipher *c, size_t iv_len)
{
    CK_RV rv = CKR_OK;

    if (c->iv_len != iv_len || c->mode == TK_CIPHER_AES_CCM) {
        TK_GUARD(tk_cipher_rv(EVP_CIPHER_CTX_ctrl(c->ctx, EVP_CTRL_AEAD_SET_IVLEN, (int)iv_len,
                                                NULL),
                            CKR_FUNCTION_FAILED));
        c->iv_len = iv_len;
    }
out:
    return rv;
}

/*
 * OpenSSL 3.0's GCM refuses IVs over TK_GCM_MAX_IV_LEN bytes, which
 * [PKCS11 3.2 §6.13] and [SP 800-38D] allow: such a message runs on our
 * own GHASH with AES-ECB, keyed on first use so short IVs pay nothing.
 */
static CK_RV
tk_cipher_gcm_long_start(tk_cipher *c, const uint8_t *iv, size_t iv_len, size_t tag_len,
                         const uint8_t *tag)
{
    CK_RV rv = CKR_OK;
    const EVP_CIPHER *ecb = NULL;

    if (c->lg == NULL) {
        TK_GUARD(tk_cipher_pick(TK_CIPHER_AES_ECB, c->key_len, &ecb));
        TK_GUARD(tk_gcm_long_new(c->enc, ecb, c->key, &c->lg));
    }
    TK_GUARD(tk_gcm_long_start(c->lg, iv, iv_len, tag_len, tag));
out:
    return rv;
}

CK_RV
tk_cipher_aead_start(tk_cipher *c, const uint8_t *iv, size_t iv_len, size_t tag_len,
                     size_t text_len, const uint8_t *tag)
{
    CK_RV rv = CKR_OK;
    uint8_t tag_copy[16];
    int got = 0;

    TK_CHECK(tk_cipher_aead_sizes_ok(c->mode, iv_len, tag_len), CKR_MECHANISM_PARAM_INVALID);
    c->use_long = c->mode == TK_CIPHER_AES_GCM && iv_len > TK_GCM_MAX_IV_LEN;
    if (c->use_long) {
        TK_GUARD(tk_cipher_gcm_long_start(c, iv, iv_len, tag_len, tag));
        goto out;
    }
    TK_GUARD(tk_cipher_set_iv_len(c, iv_len));
    c->tag_len = tag_len;
    /* The ctrl takes a non-const pointer; CCM wants the tag length (and,
     * decrypting, the tag) before the nonce. */
    if (!c->enc) {
        for (size_t i = 0; i < tag_len; i++) {
            tag_copy[i] = tag[i];
        }
    }
    if (c->mode == TK_CIPHER_AES_CCM || !c->enc) {
        TK_GUARD(tk_cipher_rv(EVP_CIPHER_CTX_ctrl(c->ctx, EVP_CTRL_AEAD_SET_TAG, (int)tag_len,
                                                c->enc ? NULL : tag_copy),
                            CKR_FUNCTION_FAILED));
    }
    /* OpenSSL 3.0's CCM produces no tag when the nonce length changed
     * after the key was set: CCM sets its key again with each nonce. */
    TK_GUARD(tk_cipher_rv(EVP_CipherInit_ex2(c->ctx, NULL,
                                           c->mode == TK_CIPHER_AES_CCM ? c->key : NULL, iv,
                                           c->enc, NULL),
                        CKR_FUNCTION_FAILED));
    if (c->mode == TK_CIPHER_AES_CCM) {
        TK_CHECK(text_len <= INT_MAX, CKR_DATA_LEN_RANGE);
        TK_GUARD(tk_cipher_rv(EVP_CipherUpdate(c->ctx, NULL, &got, NULL, (int)text_len),
                            CKR_FUNCTION_FAILED));
    }
out:
    return rv;
}

CK_RV
tk_cipher_aead_aad(tk_cipher *c, const uint8_t *aad, size_t len)
{
    if (len == 0) {
        return CKR_OK;
    }
    if (c->mode == TK_CIPHER_AES_CCM && len > INT_MAX) {
        return CKR_DATA_LEN_RANGE; /* CCM takes its AAD in one call */
    }
    if (c->use_long) {
        return tk_gcm_long_aad(c->lg, aad, len);
    }
    return tk_cipher_feed(c, aad, len, NULL);
}

/*
 * Read the tag of an ended encryption. The parameter is asked for
 * directly: EVP_CIPHER_CTX_ctrl builds the same request behind a switch,
 * which made reading a tag cost a sixth more (callgrind, OpenSSL 3.0).
 */
static CK_RV
tk_cipher_get_tag(tk_cipher *c, uint8_t *tag)
{
    OSSL_PARAM params[2] = {
        OSSL_PARAM_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, tag, c->tag_len),
        OSSL_PARAM_END,
    };

    return tk_cipher_rv(EVP_CIPHER_CTX_get_params(c->ctx, params), CKR_FUNCTION_FAILED);
}

CK_RV
tk_cipher_aead_finish(tk_cipher *c, uint8_t *tag)
{
    CK_RV rv = CKR_OK;
    uint8_t fin[TK_AES_BLOCK];
    int got = 0;

    if (c->use_long) {
        return tk_gcm_long_finish(c->lg, tag);
    }
    if (!c->enc) {
        /* CCM checked its tag in the update. */
        if (c->mode != TK_CIPHER_AES_CCM) {
            TK_GUARD(tk_cipher_rv(EVP_CipherFinal_ex(c->ctx, fin, &got) == 1 && got == 0,
                                CKR_ENCRYPTED_DATA_INVALID));
        }
        goto out;
    }
    TK_GUARD(tk_cipher_rv(EVP_CipherFinal_ex(c->ctx, fin, &got), CKR_FUNCTION_FAILED));
    TK_CHECK(got == 0, CKR_FUNCTION_FAILED);
    TK_GUARD(tk_cipher_get_tag(c, tag));
out:
    return rv;
}

CK_RV
tk_cipher_keywrap(int pad, int enc, const uint8_t *key, size_t key_len, const uint8_t *iv,
                  const uint8_t *in, size_t len, uint8_t *out, size_t *out_len)
{
    CK_RV rv = CKR_OK;
    EVP_CIPHER_CTX *ctx = NULL;
    int k = tk_cipher_key_index(key_len);
    int got = 0;
    int ok;

    pthread_once(&tk_cipher_once, tk_cipher_fetch_all);
    TK_CHECK(k >= 0, CKR_KEY_SIZE_RANGE);
    TK_CHECK(tk_cipher_wrap_algs[pad ? 1 : 0][k] != NULL, CKR_FUNCTION_FAILED);
    TK_CHECK(len <= INT_MAX - 16, enc ? CKR_DATA_LEN_RANGE : CKR_ENCRYPTED_DATA_LEN_RANGE);
    ctx = EVP_CIPHER_CTX_new();
    TK_GUARD(tk_ossl_rv(ctx != NULL, CKR_HOST_MEMORY));
    EVP_CIPHER_CTX_set_flags(ctx, EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
    TK_GUARD(tk_ossl_rv(EVP_CipherInit_ex2(ctx, tk_cipher_wrap_algs[pad ? 1 : 0][k], key, iv,
                                           enc ? 1 : 0, NULL),
                        CKR_FUNCTION_FAILED));
    ok = EVP_CipherUpdate(ctx, out, &got, in, (int)len);
    /* Every unwrap failure (integrity value, padding, length) is one. */
    TK_GUARD(tk_ossl_rv(ok == 1 && got >= 0,
                        enc ? CKR_FUNCTION_FAILED : CKR_ENCRYPTED_DATA_INVALID));
    *out_len = (size_t)got;
out:
    if (rv != CKR_OK && !enc && out != NULL) {
        tk_wipe(out, len >= 8 ? len - 8 : 0);
    }
    EVP_CIPHER_CTX_free(ctx);
    return rv;
}
