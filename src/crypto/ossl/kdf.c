/* HKDF and PBKDF2; see kdf.h. */
#include "crypto/ossl/kdf.h"

#include <pthread.h>
#include <stdatomic.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include "crypto/ossl/err.h"
#include "util/check.h"
#include "util/wipe.h"

/* The most OSSL_PARAM entries one derivation passes, with the end mark. */
#define TK_KDF_MAX_PARAMS 7

/* Fetched once and released on unload, as md.c and mac.c do. */
static EVP_KDF *tk_kdf_hkdf_alg;
static EVP_KDF *tk_kdf_pbkdf2_alg;
static pthread_once_t tk_kdf_once = PTHREAD_ONCE_INIT;
static atomic_int tk_kdf_fetched;

static void
tk_kdf_fetch_all(void)
{
    tk_kdf_hkdf_alg = EVP_KDF_fetch(NULL, OSSL_KDF_NAME_HKDF, NULL);
    tk_kdf_pbkdf2_alg = EVP_KDF_fetch(NULL, OSSL_KDF_NAME_PBKDF2, NULL);
    /* A missing algorithm stays NULL and is reported per call. */
    (void)tk_ossl_rv(1, CKR_OK);
    atomic_store(&tk_kdf_fetched, 1);
}

/* See tk_md_unload() in md.c for why OpenSSL's state is checked first. */
__attribute__((destructor)) static void
tk_kdf_unload(void)
{
    if (!atomic_load(&tk_kdf_fetched) || OPENSSL_init_crypto(0, NULL) != 1) {
        return;
    }
    EVP_KDF_free(tk_kdf_hkdf_alg);
    EVP_KDF_free(tk_kdf_pbkdf2_alg);
    tk_kdf_hkdf_alg = NULL;
    tk_kdf_pbkdf2_alg = NULL;
}

/*
 * OSSL_PARAM takes non-const pointers; the KDFs copy what they are given
 * and never write through them. An empty buffer still needs an address.
 */
static OSSL_PARAM
tk_kdf_octets(const char *name, const uint8_t *p, size_t len)
{
    static uint8_t tk_kdf_empty;

    return OSSL_PARAM_construct_octet_string(name, (void *)(p != NULL ? p : &tk_kdf_empty),
                                             len);
}

/* Run alg with params into out; out is wiped on failure. */
static CK_RV
tk_kdf_run(EVP_KDF *alg, const OSSL_PARAM *params, uint8_t *out, size_t out_len)
{
    CK_RV rv = CKR_OK;
    EVP_KDF_CTX *c = NULL;

    TK_CHECK(alg != NULL, CKR_MECHANISM_INVALID);
    c = EVP_KDF_CTX_new(alg);
    TK_GUARD(tk_ossl_rv(c != NULL, CKR_HOST_MEMORY));
    TK_GUARD(tk_ossl_rv(EVP_KDF_derive(c, out, out_len, params), CKR_FUNCTION_FAILED));
out:
    if (rv != CKR_OK) {
        tk_wipe(out, out_len);
    }
    /* The provider cleanses the key, salt and password it copied. */
    EVP_KDF_CTX_free(c);
    return rv;
}

static int
tk_kdf_hkdf_mode(tk_hkdf_mode mode)
{
    switch (mode) {
    case TK_HKDF_EXTRACT_ONLY:
        return EVP_KDF_HKDF_MODE_EXTRACT_ONLY;
    case TK_HKDF_EXPAND_ONLY:
        return EVP_KDF_HKDF_MODE_EXPAND_ONLY;
    default:
        return EVP_KDF_HKDF_MODE_EXTRACT_AND_EXPAND;
    }
}

/* See kdf.h. */
CK_RV
tk_ossl_hkdf(tk_md_id md, tk_hkdf_mode mode, const uint8_t *key, size_t key_len,
             const uint8_t *salt, size_t salt_len, const uint8_t *info, size_t info_len,
             uint8_t *out, size_t out_len)
{
    CK_RV rv = CKR_OK;
    OSSL_PARAM params[TK_KDF_MAX_PARAMS];
    size_t hlen = tk_ossl_md_size(md);
    int omode = tk_kdf_hkdf_mode(mode);
    size_t k = 0;

    TK_CHECK(hlen != 0, CKR_MECHANISM_INVALID);
    TK_CHECK(key_len > 0 && out_len > 0 && out_len <= 255 * hlen, CKR_ARGUMENTS_BAD);
    TK_CHECK(mode != TK_HKDF_EXTRACT_ONLY || out_len == hlen, CKR_ARGUMENTS_BAD);
    pthread_once(&tk_kdf_once, tk_kdf_fetch_all);
    params[k++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
                                                   (char *)tk_ossl_md_name(md), 0);
    params[k++] = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &omode);
    params[k++] = tk_kdf_octets(OSSL_KDF_PARAM_KEY, key, key_len);
    /* No salt parameter at all gives the zero salt of [RFC 5869 §2.2]. */
    if (salt_len > 0 && mode != TK_HKDF_EXPAND_ONLY) {
        params[k++] = tk_kdf_octets(OSSL_KDF_PARAM_SALT, salt, salt_len);
    }
    if (info_len > 0 && mode != TK_HKDF_EXTRACT_ONLY) {
        params[k++] = tk_kdf_octets(OSSL_KDF_PARAM_INFO, info, info_len);
    }
    params[k] = OSSL_PARAM_construct_end();
    rv = tk_kdf_run(tk_kdf_hkdf_alg, params, out, out_len);
out:
    return rv;
}

/* See kdf.h. */
CK_RV
tk_ossl_pbkdf2(tk_md_id md, const uint8_t *pass, size_t pass_len, const uint8_t *salt,
               size_t salt_len, uint64_t iter, uint8_t *out, size_t out_len)
{
    CK_RV rv = CKR_OK;
    OSSL_PARAM params[TK_KDF_MAX_PARAMS];
    /* 1 turns off the SP 800-132 lower bounds; see kdf.h. */
    int pkcs5 = 1;
    size_t k = 0;

    TK_CHECK(tk_ossl_md_size(md) != 0, CKR_MECHANISM_INVALID);
    TK_CHECK(iter > 0 && out_len > 0, CKR_ARGUMENTS_BAD);
    pthread_once(&tk_kdf_once, tk_kdf_fetch_all);
    params[k++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
                                                   (char *)tk_ossl_md_name(md), 0);
    params[k++] = tk_kdf_octets(OSSL_KDF_PARAM_PASSWORD, pass, pass_len);
    params[k++] = tk_kdf_octets(OSSL_KDF_PARAM_SALT, salt, salt_len);
    params[k++] = OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_ITER, &iter);
    params[k++] = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_PKCS5, &pkcs5);
    params[k] = OSSL_PARAM_construct_end();
    rv = tk_kdf_run(tk_kdf_pbkdf2_alg, params, out, out_len);
out:
    return rv;
}
