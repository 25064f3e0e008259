/* HMAC and AES-CMAC; see mac.h. */
#include "crypto/ossl/mac.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "crypto/ossl/err.h"
#include "util/check.h"
#include "util/wipe.h"

/* The opaque context is OpenSSL's own: no second allocation per MAC. */
#define TK_MAC_EVP(ctx) ((EVP_MAC_CTX *)(void *)(ctx))

/*
 * tk_ossl_rv() on failure only, as in md.c: a successful EVP_MAC call
 * leaves the error queue as it was, and emptying it is not free.
 */
static inline CK_RV
tk_mac_rv(int ossl_ok, CK_RV on_fail)
{
    return ossl_ok == 1 ? CKR_OK : tk_ossl_rv(ossl_ok, on_fail);
}

/* Fetched once, released on unload (as in md.c). */
static EVP_MAC *tk_mac_hmac;
static EVP_MAC *tk_mac_cmac;
static pthread_once_t tk_mac_once = PTHREAD_ONCE_INIT;
static atomic_int tk_mac_fetched;

static void
tk_mac_fetch_all(void)
{
    tk_mac_hmac = EVP_MAC_fetch(NULL, OSSL_MAC_NAME_HMAC, NULL);
    tk_mac_cmac = EVP_MAC_fetch(NULL, OSSL_MAC_NAME_CMAC, NULL);
    (void)tk_ossl_rv(1, CKR_OK);
    atomic_store(&tk_mac_fetched, 1);
}

/* See tk_md_unload() in md.c for why OpenSSL's state is checked first. */
__attribute__((destructor)) static void
tk_mac_unload(void)
{
    if (!atomic_load(&tk_mac_fetched) || OPENSSL_init_crypto(0, NULL) != 1) {
        return;
    }
    EVP_MAC_free(tk_mac_hmac);
    EVP_MAC_free(tk_mac_cmac);
    tk_mac_hmac = NULL;
    tk_mac_cmac = NULL;
}

/*
 * A context of mac keyed with key; param names the digest or cipher
 * (its OSSL_PARAM key is pkey).
 */
static CK_RV
tk_mac_start(EVP_MAC *mac, const char *pkey, const char *param, const uint8_t *key,
             size_t key_len, tk_ossl_mac_ctx **out)
{
    CK_RV rv = CKR_OK;
    EVP_MAC_CTX *c = NULL;
    OSSL_PARAM params[2];

    TK_CHECK(mac != NULL && param != NULL, CKR_MECHANISM_INVALID);
    params[0] = OSSL_PARAM_construct_utf8_string(pkey, (char *)param, 0);
    params[1] = OSSL_PARAM_construct_end();
    c = EVP_MAC_CTX_new(mac);
    TK_GUARD(tk_mac_rv(c != NULL, CKR_HOST_MEMORY));
    TK_GUARD(tk_mac_rv(EVP_MAC_init(c, key, key_len, params), CKR_FUNCTION_FAILED));
    *out = (tk_ossl_mac_ctx *)(void *)c;
    c = NULL;
out:
    EVP_MAC_CTX_free(c);
    return rv;
}

CK_RV
tk_ossl_hmac_new(tk_md_id md, const uint8_t *key, size_t key_len, tk_ossl_mac_ctx **out)
{
    if (key_len == 0) {
        /* OpenSSL reads a NULL or empty key as "keep the old key". */
        return CKR_KEY_SIZE_RANGE;
    }
    pthread_once(&tk_mac_once, tk_mac_fetch_all);
    return tk_mac_start(tk_mac_hmac, OSSL_MAC_PARAM_DIGEST, tk_ossl_md_name(md), key, key_len,
                        out);
}

CK_RV
tk_ossl_cmac_new(const uint8_t *key, size_t key_len, tk_ossl_mac_ctx **out)
{
    const char *cipher;

    switch (key_len) {
    case 16:
        cipher = "AES-128-CBC";
        break;
    case 24:
        cipher = "AES-192-CBC";
        break;
    case 32:
        cipher = "AES-256-CBC";
        break;
    default:
        return CKR_KEY_SIZE_RANGE;
    }
    pthread_once(&tk_mac_once, tk_mac_fetch_all);
    return tk_mac_start(tk_mac_cmac, OSSL_MAC_PARAM_CIPHER, cipher, key, key_len, out);
}

CK_RV
tk_ossl_mac_dup(const tk_ossl_mac_ctx *src, tk_ossl_mac_ctx **out)
{
    CK_RV rv = CKR_OK;
    /* Reads src only: the providers copy key and state into new memory. */
    EVP_MAC_CTX *c = EVP_MAC_CTX_dup((const EVP_MAC_CTX *)(const void *)src);

    TK_GUARD(tk_mac_rv(c != NULL, CKR_HOST_MEMORY));
    *out = (tk_ossl_mac_ctx *)(void *)c;
out:
    return rv;
}

size_t
tk_ossl_mac_size(const tk_ossl_mac_ctx *ctx)
{
    return EVP_MAC_CTX_get_mac_size((EVP_MAC_CTX *)(void *)ctx);
}

CK_RV
tk_ossl_mac_reset(tk_ossl_mac_ctx *ctx)
{
    /* No key: OpenSSL restarts with the one it holds. */
    return tk_mac_rv(EVP_MAC_init(TK_MAC_EVP(ctx), NULL, 0, NULL), CKR_FUNCTION_FAILED);
}

CK_RV
tk_ossl_mac_update(tk_ossl_mac_ctx *ctx, const uint8_t *in, size_t len)
{
    if (len == 0) {
        return CKR_OK;
    }
    return tk_mac_rv(EVP_MAC_update(TK_MAC_EVP(ctx), in, len), CKR_FUNCTION_FAILED);
}

CK_RV
tk_ossl_mac_final(tk_ossl_mac_ctx *ctx, uint8_t *out)
{
    CK_RV rv = CKR_OK;
    EVP_MAC_CTX *c = TK_MAC_EVP(ctx);
    uint8_t buf[TK_MAC_MAX_SIZE];
    size_t want = EVP_MAC_CTX_get_mac_size(c);
    size_t n = 0;

    TK_CHECK(want > 0 && want <= sizeof(buf), CKR_FUNCTION_FAILED);
    TK_GUARD(tk_mac_rv(EVP_MAC_final(c, buf, &n, sizeof(buf)), CKR_FUNCTION_FAILED));
    TK_CHECK(n == want, CKR_FUNCTION_FAILED);
    memcpy(out, buf, n);
out:
    tk_wipe(buf, sizeof(buf));
    return rv;
}

void
tk_ossl_mac_free(tk_ossl_mac_ctx *ctx)
{
    /* The providers cleanse key and chaining state when freeing. */
    EVP_MAC_CTX_free(TK_MAC_EVP(ctx));
}
