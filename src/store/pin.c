/*
 * Wrapping the token key under a PIN: Argon2id turns the PIN and a random
 * salt into a key-encryption key, AES-256-GCM wraps the token key under it.
 * A wrong PIN shows as a failed tag. See store.h and docs/STORE.md.
 */
#include <argon2.h>
#include <string.h>

#include "crypto/ossl/aead.h"
#include "crypto/ossl/rand.h"
#include "store/pin_cache.h"
#include "store/store_internal.h"
#include "util/check.h"
#include "util/log.h"
#include "util/wipe.h"

/* Context string: a PIN record can never pass for a sealed object. */
static const char tk_pin_context[] = "TrusToken PIN record v1";

/*
 * Limits on the Argon2id cost. A PIN record read from a damaged or hostile
 * file must not make us allocate terabytes or loop for hours.
 */
#define TK_KDF_MAX_M_KIB (4u * 1024 * 1024) /* 4 GiB */
#define TK_KDF_MAX_T 1000u
#define TK_KDF_MAX_LANES 64u

static int
tk_kdf_params_ok(const tk_kdf_params *kdf)
{
    return kdf->parallelism >= 1 && kdf->parallelism <= TK_KDF_MAX_LANES &&
           kdf->t_cost >= 1 && kdf->t_cost <= TK_KDF_MAX_T &&
           kdf->m_cost_kib >= 8 * kdf->parallelism && kdf->m_cost_kib <= TK_KDF_MAX_M_KIB;
}

/* Derive the 32-byte KEK; the caller wipes it. */
static CK_RV
tk_pin_kek(const tk_kdf_params *kdf, const uint8_t *pin, size_t pin_len,
           const uint8_t salt[TK_PIN_SALT_LEN], uint8_t kek[TK_GCM_KEY_LEN])
{
    int rc = argon2id_hash_raw(kdf->t_cost, kdf->m_cost_kib, kdf->parallelism, pin, pin_len,
                               salt, TK_PIN_SALT_LEN, kek, TK_GCM_KEY_LEN);

    if (rc == ARGON2_OK) {
        return CKR_OK;
    }
    tk_wipe(kek, TK_GCM_KEY_LEN);
    TK_ERROR("store: Argon2id failed: %s", argon2_error_message(rc));
    return rc == ARGON2_MEMORY_ALLOCATION_ERROR ? CKR_HOST_MEMORY : CKR_FUNCTION_FAILED;
}

CK_RV
tk_store_pin_wrap(const tk_kdf_params *kdf, const uint8_t *pin, size_t pin_len,
                  const uint8_t token_key[TK_TOKEN_KEY_LEN], tk_pin_record *out)
{
    CK_RV rv = CKR_OK;
    uint8_t kek[TK_GCM_KEY_LEN];
    tk_pin_record rec;
    uint8_t *w = rec.wrapped;

    memset(&rec, 0, sizeof(rec));
    TK_CHECK(kdf != NULL && token_key != NULL && out != NULL, CKR_ARGUMENTS_BAD);
    TK_CHECK(pin != NULL || pin_len == 0, CKR_ARGUMENTS_BAD);
    TK_CHECK(pin_len <= UINT32_MAX && tk_kdf_params_ok(kdf), CKR_ARGUMENTS_BAD);
    rec.present = 1;
    rec.kdf = *kdf;
    TK_GUARD(tk_ossl_random(rec.salt, sizeof(rec.salt)));
    TK_GUARD(tk_ossl_random(w, TK_GCM_NONCE_LEN));
    TK_GUARD(tk_pin_kek(kdf, pin, pin_len, rec.salt, kek));
    TK_GUARD(tk_ossl_aes256gcm_seal(kek, w, (const uint8_t *)tk_pin_context,
                                    sizeof(tk_pin_context) - 1, token_key, TK_TOKEN_KEY_LEN,
                                    w + TK_GCM_NONCE_LEN,
                                    w + TK_GCM_NONCE_LEN + TK_TOKEN_KEY_LEN));
    *out = rec;
out:
    tk_wipe(kek, sizeof(kek));
    tk_wipe(&rec, sizeof(rec));
    return rv;
}

/* Open rec's wrapped token key with kek; a failed tag is CKR_PIN_INCORRECT. */
static CK_RV
tk_pin_open(const tk_pin_record *rec, const uint8_t kek[TK_GCM_KEY_LEN],
            uint8_t key[TK_TOKEN_KEY_LEN])
{
    const uint8_t *w = rec->wrapped;
    CK_RV rv = tk_ossl_aes256gcm_open(kek, w, (const uint8_t *)tk_pin_context,
                                      sizeof(tk_pin_context) - 1, w + TK_GCM_NONCE_LEN,
                                      TK_TOKEN_KEY_LEN, w + TK_GCM_NONCE_LEN + TK_TOKEN_KEY_LEN,
                                      key);

    return rv == CKR_ENCRYPTED_DATA_INVALID ? CKR_PIN_INCORRECT : rv;
}

/*
 * The fast path: a KEK this process derived before for the same record
 * and PIN. CKR_OK only when it also opens the record as it is now; any
 * other result sends the caller down the slow path, which decides.
 */
static CK_RV
tk_pin_open_cached(const tk_pin_record *rec, const uint8_t tag[TK_PIN_CACHE_TAG_LEN],
                   uint8_t key[TK_TOKEN_KEY_LEN])
{
    uint8_t kek[TK_GCM_KEY_LEN];
    CK_RV rv = CKR_PIN_INCORRECT;

    if (tk_store_pin_cache_find(rec, tag, kek)) {
        rv = tk_pin_open(rec, kek, key);
    }
    if (rv != CKR_OK) {
        tk_wipe(key, TK_TOKEN_KEY_LEN);
    }
    tk_wipe(kek, sizeof(kek));
    return rv;
}

/* The slow path: Argon2id, then the open; a correct PIN's KEK is cached
 * under tag when there is one. */
static CK_RV
tk_pin_open_derived(const tk_pin_record *rec, const uint8_t *pin, size_t pin_len,
                    const uint8_t *tag, uint8_t key[TK_TOKEN_KEY_LEN])
{
    CK_RV rv = CKR_OK;
    uint8_t kek[TK_GCM_KEY_LEN];

    memset(kek, 0, sizeof(kek));
    TK_GUARD(tk_pin_kek(&rec->kdf, pin, pin_len, rec->salt, kek));
    TK_GUARD(tk_pin_open(rec, kek, key));
    if (tag != NULL) {
        tk_store_pin_cache_put(rec, tag, kek);
    }
out:
    tk_wipe(kek, sizeof(kek));
    return rv;
}

CK_RV
tk_store_pin_unwrap_cached(const tk_pin_record *rec, const uint8_t *pin, size_t pin_len,
                           uint8_t token_key[TK_TOKEN_KEY_LEN])
{
    CK_RV rv = CKR_OK;
    uint8_t tag[TK_PIN_CACHE_TAG_LEN];

    memset(tag, 0, sizeof(tag));
    TK_CHECK(rec != NULL && token_key != NULL, CKR_ARGUMENTS_BAD);
    tk_wipe(token_key, TK_TOKEN_KEY_LEN);
    TK_CHECK(pin != NULL || pin_len == 0, CKR_ARGUMENTS_BAD);
    TK_CHECK(rec->present && tk_kdf_params_ok(&rec->kdf), CKR_PIN_INCORRECT);
    TK_CHECK(tk_store_pin_cache_tag(rec, pin, pin_len, tag) == CKR_OK, CKR_PIN_INCORRECT);
    rv = tk_pin_open_cached(rec, tag, token_key);
out:
    tk_wipe(tag, sizeof(tag));
    return rv;
}

CK_RV
tk_store_pin_unwrap(const tk_pin_record *rec, const uint8_t *pin, size_t pin_len,
                    int use_cache, uint8_t token_key[TK_TOKEN_KEY_LEN])
{
    CK_RV rv = CKR_OK;
    uint8_t key[TK_TOKEN_KEY_LEN];
    uint8_t tag[TK_PIN_CACHE_TAG_LEN];
    int tagged = 0;

    memset(key, 0, sizeof(key));
    memset(tag, 0, sizeof(tag));
    TK_CHECK(rec != NULL && token_key != NULL, CKR_ARGUMENTS_BAD);
    tk_wipe(token_key, TK_TOKEN_KEY_LEN);
    TK_CHECK(pin != NULL || pin_len == 0, CKR_ARGUMENTS_BAD);
    TK_CHECK(pin_len <= UINT32_MAX, CKR_ARGUMENTS_BAD);
    TK_CHECK(rec->present, CKR_USER_PIN_NOT_INITIALIZED);
    if (!tk_kdf_params_ok(&rec->kdf)) {
        /* A damaged record, not a wrong PIN: must not count as a failure. */
        TK_ERROR("store: PIN record has an invalid Argon2id cost");
        rv = CKR_DEVICE_ERROR;
        goto out;
    }
    /* Without a tag (cache off or not started) every login is slow. */
    tagged = use_cache && tk_store_pin_cache_tag(rec, pin, pin_len, tag) == CKR_OK;
    if (!tagged || tk_pin_open_cached(rec, tag, key) != CKR_OK) {
        TK_GUARD(tk_pin_open_derived(rec, pin, pin_len, tagged ? tag : NULL, key));
    }
    memcpy(token_key, key, TK_TOKEN_KEY_LEN);
out:
    tk_wipe(key, sizeof(key));
    tk_wipe(tag, sizeof(tag));
    return rv;
}
