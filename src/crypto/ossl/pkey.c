/* Asymmetric keys; see pkey.h and pkey_internal.h. */
#include "crypto/ossl/pkey_internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/x509.h>

#include "crypto/ossl/err.h"
#include "util/check.h"

/*
 * Fetched once: the signature and cipher contexts would otherwise look
 * each digest up in OpenSSL's method store on every init. Never freed,
 * as in md.c: a destructor could run after OpenSSL's own cleanup.
 */
static EVP_MD *tk_pkey_mds[TK_MD_COUNT];
static pthread_once_t tk_pkey_md_once = PTHREAD_ONCE_INIT;

static void
tk_pkey_fetch_mds(void)
{
    for (size_t i = 0; i < TK_MD_COUNT; i++) {
        tk_pkey_mds[i] = EVP_MD_fetch(NULL, tk_ossl_md_name((tk_md_id)i), NULL);
    }
    /* A digest the library does not offer stays NULL; not an error. */
    (void)tk_ossl_rv(1, CKR_OK);
}

const EVP_MD *
tk_ossl_pkey_md(tk_md_id id)
{
    if ((unsigned)id >= TK_MD_COUNT) {
        return NULL;
    }
    pthread_once(&tk_pkey_md_once, tk_pkey_fetch_mds);
    return tk_pkey_mds[id];
}

void
tk_ossl_pkey_free(tk_ossl_pkey *key)
{
    /* The provider clears private big numbers when it frees them. */
    EVP_PKEY_free(TK_PKEY_EVP(key));
}

CK_RV
tk_ossl_pkey_ref(tk_ossl_pkey *key)
{
    return tk_ossl_rv(EVP_PKEY_up_ref(TK_PKEY_EVP(key)), CKR_FUNCTION_FAILED);
}

size_t
tk_ossl_pkey_bits(const tk_ossl_pkey *key)
{
    int bits = EVP_PKEY_get_bits(TK_PKEY_EVP(key));

    return bits > 0 ? (size_t)bits : 0;
}

CK_RV
tk_ossl_pkey_spki(const tk_ossl_pkey *key, uint8_t **der, size_t *len)
{
    CK_RV rv = CKR_OK;
    unsigned char *buf = NULL;
    uint8_t *copy;
    int n;

    n = i2d_PUBKEY(TK_PKEY_EVP(key), &buf);
    TK_GUARD(tk_ossl_rv(n > 0, CKR_FUNCTION_FAILED));
    copy = malloc((size_t)n);
    TK_CHECK(copy != NULL, CKR_HOST_MEMORY);
    memcpy(copy, buf, (size_t)n);
    *der = copy;
    *len = (size_t)n;
out:
    OPENSSL_free(buf);
    return rv;
}
