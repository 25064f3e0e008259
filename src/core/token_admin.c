/*
 * C_GetTokenInfo and C_InitToken.
 */
#include <stdio.h>
#include <string.h>

#include "core/core.h"
#include "core/core_internal.h"
#include "crypto/ossl/rand.h"
#include "util/check.h"
#include "util/log.h"
#include "util/wipe.h"

static void
tk_token_info_common(const tk_lib *lib, CK_TOKEN_INFO *info)
{
    memset(info, 0, sizeof(*info));
    tk_pad(info->manufacturerID, sizeof(info->manufacturerID), "TrusToken");
    tk_pad(info->model, sizeof(info->model), "Soft token");
    tk_pad(info->label, sizeof(info->label), "");
    tk_pad(info->serialNumber, sizeof(info->serialNumber), "");
    /* No clock on the token: utcTime is not meaningful [PKCS11 3.2 §3.2]. */
    tk_pad(info->utcTime, sizeof(info->utcTime), "");
    info->flags = CKF_RNG | CKF_LOGIN_REQUIRED;
    info->ulMaxSessionCount = CK_EFFECTIVELY_INFINITE;
    info->ulMaxRwSessionCount = CK_EFFECTIVELY_INFINITE;
    info->ulMaxPinLen = lib->cfg.pin_max_len;
    info->ulMinPinLen = lib->cfg.pin_min_len;
    info->ulTotalPublicMemory = CK_UNAVAILABLE_INFORMATION;
    info->ulFreePublicMemory = CK_UNAVAILABLE_INFORMATION;
    info->ulTotalPrivateMemory = CK_UNAVAILABLE_INFORMATION;
    info->ulFreePrivateMemory = CK_UNAVAILABLE_INFORMATION;
    info->hardwareVersion.major = 0;
    info->hardwareVersion.minor = 1;
    info->firmwareVersion.major = 0;
    info->firmwareVersion.minor = 1;
}

/* Token info of an opened token; the record is read fresh from the store
 * so PIN counters and flags are true at this moment. */
static CK_RV
tk_token_info_fill(tk_lib *lib, tk_token *tok, CK_TOKEN_INFO *info)
{
    CK_RV rv;

    tk_lock_write(&tok->lock);
    rv = tk_token_refresh_record_inlock(tok);
    if (rv == CKR_OK) {
        memcpy(info->label, tok->rec.label, sizeof(info->label));
        memcpy(info->serialNumber, tok->rec.serial, sizeof(info->serialNumber));
        info->flags = tk_token_flags_inlock(lib, tok);
        info->ulSessionCount = tok->n_sessions;
        info->ulRwSessionCount = tok->n_rw_sessions;
    }
    tk_unlock(&tok->lock);
    return rv;
}

CK_RV
tk_core_get_token_info(CK_SLOT_ID id, CK_TOKEN_INFO *info)
{
    CK_RV rv = CKR_OK;
    tk_lib *lib = tk_lib_enter();
    tk_slot *slot;
    tk_token *tok = NULL;

    if (lib == NULL) {
        return CKR_CRYPTOKI_NOT_INITIALIZED;
    }
    slot = tk_slot_get(lib, id);
    TK_CHECK(slot != NULL, CKR_SLOT_ID_INVALID);
    tk_token_info_common(lib, info);
    if (slot->path[0] == '\0') {
        goto out; /* an uninitialised token */
    }
    TK_GUARD(tk_slot_token(lib, slot, &tok));
    TK_GUARD(tk_token_info_fill(lib, tok, info));
out:
    tk_lib_leave();
    return rv;
}

CK_RV
tk_pin_check_len(const tk_lib *lib, CK_ULONG len)
{
    if (len < lib->cfg.pin_min_len || len > lib->cfg.pin_max_len) {
        return CKR_PIN_LEN_RANGE;
    }
    return CKR_OK;
}

/* A fresh record: label, random serial, SO PIN wrapping key. */
static CK_RV
tk_token_new_record(const tk_lib *lib, const CK_UTF8CHAR *pin, CK_ULONG pin_len,
                    const CK_UTF8CHAR *label, const char *serial, tk_token_record *rec)
{
    CK_RV rv = CKR_OK;
    uint8_t key[TK_TOKEN_KEY_LEN];

    memset(rec, 0, sizeof(*rec));
    memcpy(rec->label, label, TK_LABEL_LEN);
    memcpy(rec->serial, serial, TK_SERIAL_LEN);
    TK_GUARD(tk_ossl_random(key, sizeof(key)));
    TK_GUARD(tk_store_pin_wrap(&lib->cfg.kdf, pin, pin_len, key, &rec->so_pin));
out:
    tk_wipe(key, sizeof(key));
    return rv;
}

static CK_RV
tk_token_new_serial(char serial[TK_SERIAL_LEN + 1])
{
    static const char hex[] = "0123456789abcdef";
    uint8_t raw[TK_SERIAL_LEN / 2];
    CK_RV rv = tk_ossl_random(raw, sizeof(raw));

    for (size_t i = 0; i < sizeof(raw); i++) {
        serial[2 * i] = hex[raw[i] >> 4];
        serial[2 * i + 1] = hex[raw[i] & 15];
    }
    serial[TK_SERIAL_LEN] = '\0';
    return rv;
}

/* C_InitToken on a slot that holds no token yet: make the database. */
static CK_RV
tk_token_init_new(tk_lib *lib, tk_slot *slot, const CK_UTF8CHAR *pin, CK_ULONG pin_len,
                  const CK_UTF8CHAR *label)
{
    CK_RV rv = CKR_OK;
    char serial[TK_SERIAL_LEN + 1];
    char path[PATH_MAX];
    tk_token_record rec;
    tk_token *tok = NULL;
    int n;

    TK_GUARD(tk_token_new_serial(serial));
    n = snprintf(path, sizeof(path), "%s/token-%s.db", lib->cfg.token_dir, serial);
    TK_CHECK(n > 0 && (size_t)n < sizeof(path), CKR_GENERAL_ERROR);
    TK_GUARD(tk_token_new_record(lib, pin, pin_len, label, serial, &rec));
    TK_GUARD(tk_token_create(lib, path, slot->id, &rec, &tok));

    pthread_mutex_lock(&lib->open_mu);
    slot->token = tok;
    tk_srw_wrlock(lib->table);
    memcpy(slot->path, path, (size_t)n + 1);
    tk_srw_wrunlock(lib->table);
    pthread_mutex_unlock(&lib->open_mu);
    /* Keep an uninitialised slot available for the next token. */
    TK_GUARD(tk_slots_scan(lib));
out:
    tk_wipe(&rec, sizeof(rec));
    return rv;
}

/* C_InitToken on an existing token: SO PIN check, then wipe everything. */
static CK_RV
tk_token_reinit(tk_lib *lib, tk_token *tok, const CK_UTF8CHAR *pin, CK_ULONG pin_len,
                const CK_UTF8CHAR *label)
{
    CK_RV rv = CKR_OK;
    tk_token_record rec;
    char serial[TK_SERIAL_LEN];

    memset(&rec, 0, sizeof(rec));
    TK_CHECK(tk_sessions_of_token(lib, tok) == 0, CKR_SESSION_EXISTS);
    TK_GUARD(tk_pin_verify(lib, tok, CKU_SO, pin, pin_len, NULL));

    tk_lock_write(&tok->lock);
    memcpy(serial, tok->rec.serial, sizeof(serial));
    rv = tk_token_new_record(lib, pin, pin_len, label, serial, &rec);
    if (rv == CKR_OK) {
        tk_lock_write(&tok->store_lock);
        rv = tk_store_reinit(tok->st, &rec);
        tk_unlock(&tok->store_lock);
    }
    if (rv == CKR_OK) {
        tk_token_forget_private_inlock(tok);
        tok->objects_loaded = 0;
        rv = tk_token_reload_inlock(lib, tok);
    }
    tk_unlock(&tok->lock);
out:
    tk_wipe(&rec, sizeof(rec));
    return rv;
}

CK_RV
tk_core_init_token(CK_SLOT_ID id, const CK_UTF8CHAR *pin, CK_ULONG pin_len,
                   const CK_UTF8CHAR *label)
{
    CK_RV rv = CKR_OK;
    tk_lib *lib = tk_lib_enter();
    tk_slot *slot;
    tk_token *tok = NULL;
    int fresh;

    if (lib == NULL) {
        return CKR_CRYPTOKI_NOT_INITIALIZED;
    }
    slot = tk_slot_get(lib, id);
    TK_CHECK(slot != NULL, CKR_SLOT_ID_INVALID);
    TK_CHECK(pin != NULL, CKR_ARGUMENTS_BAD); /* no protected path */
    TK_GUARD(tk_pin_check_len(lib, pin_len));
    /*
     * Two threads initialising one empty slot at once must not both make a
     * token for it (the second would replace, and leak, the first): the
     * check and the creation go under init_mu. The loser finds the slot
     * initialised and re-initialises that token, as a later call would.
     */
    pthread_mutex_lock(&lib->init_mu);
    fresh = slot->path[0] == '\0';
    if (fresh) {
        rv = tk_token_init_new(lib, slot, pin, pin_len, label);
    }
    pthread_mutex_unlock(&lib->init_mu);
    TK_GUARD(rv);
    if (!fresh) {
        TK_GUARD(tk_slot_token(lib, slot, &tok));
        TK_GUARD(tk_token_reinit(lib, tok, pin, pin_len, label));
    }
    TK_INFO("token in slot %lu initialized", (unsigned long)id);
out:
    tk_lib_leave();
    return rv;
}
