/*
 * Sealing private object blobs under the token key: AES-256-GCM with a
 * fresh random nonce per write, bound to the token serial and the row id.
 * See store_internal.h and docs/STORE.md.
 */
#include <stdlib.h>
#include <string.h>

#include "crypto/ossl/aead.h"
#include "crypto/ossl/rand.h"
#include "store/store_internal.h"
#include "util/check.h"
#include "util/wipe.h"

/* Context string: a sealed object can never pass for a PIN record. */
static const char tk_seal_context[] = "TrusToken sealed object v1";

#define TK_SEAL_CTX_LEN (sizeof(tk_seal_context) - 1)
#define TK_SEAL_AD_LEN (TK_SEAL_CTX_LEN + TK_SERIAL_LEN + 8)

/* ad = context || serial || row id (8 bytes, big endian). */
static void
tk_seal_ad(uint8_t ad[TK_SEAL_AD_LEN], const uint8_t serial[TK_SERIAL_LEN], int64_t id)
{
    uint64_t u = (uint64_t)id;

    memcpy(ad, tk_seal_context, TK_SEAL_CTX_LEN);
    memcpy(ad + TK_SEAL_CTX_LEN, serial, TK_SERIAL_LEN);
    for (int i = 0; i < 8; i++) {
        ad[TK_SEAL_CTX_LEN + TK_SERIAL_LEN + i] = (uint8_t)(u >> (56 - 8 * i));
    }
}

CK_RV
tk_store_seal(const uint8_t key[TK_TOKEN_KEY_LEN], const uint8_t serial[TK_SERIAL_LEN],
              int64_t id, const uint8_t *pt, size_t len, uint8_t **out, size_t *out_len)
{
    CK_RV rv = CKR_OK;
    uint8_t ad[TK_SEAL_AD_LEN];
    uint8_t *buf = NULL;

    TK_CHECK(len <= SIZE_MAX - TK_SEAL_OVERHEAD, CKR_DEVICE_MEMORY);
    buf = malloc(len + TK_SEAL_OVERHEAD);
    TK_CHECK(buf != NULL, CKR_HOST_MEMORY);
    tk_seal_ad(ad, serial, id);
    TK_GUARD(tk_ossl_random(buf, TK_SEAL_NONCE_LEN));
    TK_GUARD(tk_ossl_aes256gcm_seal(key, buf, ad, sizeof(ad), pt, len, buf + TK_SEAL_NONCE_LEN,
                                    buf + TK_SEAL_NONCE_LEN + len));
    *out = buf;
    *out_len = len + TK_SEAL_OVERHEAD;
    buf = NULL;
out:
    free(buf);
    return rv;
}

CK_RV
tk_store_unseal(const uint8_t key[TK_TOKEN_KEY_LEN], const uint8_t serial[TK_SERIAL_LEN],
                int64_t id, const uint8_t *in, size_t in_len, uint8_t **pt, size_t *pt_len)
{
    CK_RV rv = CKR_OK;
    uint8_t ad[TK_SEAL_AD_LEN];
    uint8_t *buf = NULL;
    size_t len = 0;

    /* Public information: the blob's length alone rules it out. */
    TK_CHECK(in != NULL && in_len >= TK_SEAL_OVERHEAD, CKR_ENCRYPTED_DATA_INVALID);
    len = in_len - TK_SEAL_OVERHEAD;
    buf = malloc(len > 0 ? len : 1);
    TK_CHECK(buf != NULL, CKR_HOST_MEMORY);
    tk_seal_ad(ad, serial, id);
    TK_GUARD(tk_ossl_aes256gcm_open(key, in, ad, sizeof(ad), in + TK_SEAL_NONCE_LEN, len,
                                    in + TK_SEAL_NONCE_LEN + len, buf));
    *pt = buf;
    *pt_len = len;
    buf = NULL;
out:
    /* On failure the AEAD already wiped buf. */
    free(buf);
    return rv;
}
