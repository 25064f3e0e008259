/*
 * PINs and login: C_Login, C_LoginUser, C_Logout, C_InitPIN, C_SetPIN.
 *
 * Login belongs to the application: every session of it on a token shares
 * one login state, and the token key (which unseals private objects) is
 * held only while someone is logged in. PIN verification is the unwrap of
 * the token key; it runs without the token lock because Argon2id is slow
 * by design, and failures are counted in the database so that every
 * process sees the same counter.
 */
#include <string.h>

#include "core/core.h"
#include "core/core_internal.h"
#include "util/check.h"
#include "util/log.h"
#include "util/wipe.h"

static CK_RV
tk_pin_read_record(tk_token *tok, tk_token_record *rec)
{
    CK_RV rv;

    tk_lock_write(&tok->store_lock);
    rv = tk_store_read_token(tok->st, rec);
    tk_unlock(&tok->store_lock);
    return rv;
}

/*
 * Count one attempt (failed) or forgive them all. An attempt whose count,
 * taken in the same transaction as the increment, is past max was not
 * allowed: the counter read before may have been stale, with other
 * threads or processes guessing at the same time, and each of them must
 * not get a check the limit no longer leaves. CKR_PIN_LOCKED then.
 */
static CK_RV
tk_pin_count(tk_token *tok, CK_USER_TYPE user, int failed, uint32_t max)
{
    CK_RV rv;
    uint32_t count = 0;

    tk_lock_write(&tok->store_lock);
    rv = failed ? tk_store_pin_failed(tok->st, user, &count)
                : tk_store_pin_succeeded(tok->st, user);
    tk_unlock(&tok->store_lock);
    if (rv == CKR_OK && failed && count > max) {
        rv = CKR_PIN_LOCKED;
    }
    return rv;
}

CK_RV
tk_pin_verify(tk_lib *lib, tk_token *tok, CK_USER_TYPE user, const CK_UTF8CHAR *pin,
              CK_ULONG len, uint8_t key[TK_TOKEN_KEY_LEN])
{
    CK_RV rv = CKR_OK;
    tk_token_record rec;
    const tk_pin_record *pr;
    uint32_t failures;
    uint8_t tmp[TK_TOKEN_KEY_LEN];

    memset(tmp, 0, sizeof(tmp));

    TK_GUARD(tk_pin_read_record(tok, &rec));
    pr = user == CKU_SO ? &rec.so_pin : &rec.user_pin;
    failures = user == CKU_SO ? rec.so_failures : rec.user_failures;
    TK_CHECK(failures < lib->cfg.max_pin_attempts, CKR_PIN_LOCKED);
    TK_CHECK(pr->present, CKR_USER_PIN_NOT_INITIALIZED);

    /*
     * A PIN this process already verified against this very record is
     * known to be right without guessing anything, so there is no attempt
     * to count: such a login writes nothing (two synced writes were most
     * of its time). Only a counter left by earlier failures is reset.
     */
    if (lib->cfg.login_cache && tk_store_pin_unwrap_cached(pr, pin, len, tmp) == CKR_OK) {
        if (failures > 0) {
            TK_GUARD(tk_pin_count(tok, user, 0, lib->cfg.max_pin_attempts));
        }
        goto verified;
    }
    /*
     * Otherwise the attempt is counted before the PIN is checked and
     * forgiven after a correct one: a token whose counter cannot be
     * written (a read-only file) then checks no PIN at all, rather than
     * offering unlimited guesses. A wrong PIN always comes this way.
     */
    TK_GUARD(tk_pin_count(tok, user, 1, lib->cfg.max_pin_attempts));
    rv = tk_store_pin_unwrap(pr, pin, len, lib->cfg.login_cache, tmp);
    if (rv == CKR_PIN_INCORRECT) {
        TK_WARN("wrong %s PIN on token %.16s", user == CKU_SO ? "SO" : "user", rec.serial);
        goto out;
    }
    TK_GUARD(rv);
    TK_GUARD(tk_pin_count(tok, user, 0, lib->cfg.max_pin_attempts));
verified:
    if (key != NULL) {
        memcpy(key, tmp, TK_TOKEN_KEY_LEN);
    }
out:
    tk_wipe(tmp, sizeof(tmp));
    tk_wipe(&rec, sizeof(rec));
    return rv;
}

static int
tk_login_ro_session_exists(tk_lib *lib, const tk_token *tok);

/* Checks that need only the current state, before the slow PIN check. */
static CK_RV
tk_login_precheck(tk_lib *lib, tk_token *tok, CK_USER_TYPE user)
{
    CK_RV rv = CKR_OK;
    CK_USER_TYPE cur;

    tk_lock_read(&tok->lock);
    cur = tok->login;
    tk_unlock(&tok->lock);
    TK_CHECK(cur != user, CKR_USER_ALREADY_LOGGED_IN);
    TK_CHECK(cur == TK_NOBODY, CKR_USER_ANOTHER_ALREADY_LOGGED_IN);
    if (user == CKU_SO) {
        TK_CHECK(!tk_login_ro_session_exists(lib, tok), CKR_SESSION_READ_ONLY_EXISTS);
    }
out:
    return rv;
}

typedef struct {
    const tk_token *tok;
    int found;
} tk_ro_probe;

static int
tk_login_probe_ro(uint64_t key, void *val, void *arg)
{
    const tk_session *s = val;
    tk_ro_probe *p = arg;

    (void)key;
    if (s->token == p->tok && !(s->flags & CKF_RW_SESSION)) {
        p->found = 1;
        return 1;
    }
    return 0;
}

static int
tk_login_ro_session_exists(tk_lib *lib, const tk_token *tok)
{
    tk_ro_probe p = {tok, 0};

    tk_srw_rdlock(lib->table);
    tk_hmap_each(&lib->sessions, tk_login_probe_ro, &p);
    tk_srw_rdunlock(lib->table);
    return p.found;
}

/* Commit a verified login; someone may have logged in meanwhile. */
static CK_RV
tk_login_commit(tk_lib *lib, tk_token *tok, CK_USER_TYPE user, const uint8_t *key)
{
    CK_RV rv = CKR_OK;

    tk_lock_write(&tok->lock);
    if (tok->login != TK_NOBODY) {
        rv = tok->login == user ? CKR_USER_ALREADY_LOGGED_IN
                                : CKR_USER_ANOTHER_ALREADY_LOGGED_IN;
    } else {
        memcpy(tok->token_key, key, TK_TOKEN_KEY_LEN);
        tok->have_key = 1;
        tok->login = user;
        if (user == CKU_USER) {
            rv = tk_token_load_private_inlock(lib, tok);
            if (rv != CKR_OK) {
                tk_token_forget_private_inlock(tok);
            }
        }
    }
    tk_unlock(&tok->lock);
    return rv;
}

/* CKU_CONTEXT_SPECIFIC: re-authenticate for the key of the operation in
 * progress [PKCS11 3.2 §5.6]. */
static CK_RV
tk_login_context(tk_lib *lib, tk_session *s, const CK_UTF8CHAR *pin, CK_ULONG len)
{
    CK_RV rv = CKR_OK;
    CK_USER_TYPE cur;

    tk_lock_read(&s->token->lock);
    cur = s->token->login;
    tk_unlock(&s->token->lock);
    TK_CHECK(cur == CKU_USER, CKR_USER_NOT_LOGGED_IN);
    TK_CHECK(s->context_auth_needed, CKR_OPERATION_NOT_INITIALIZED);
    TK_GUARD(tk_pin_verify(lib, s->token, CKU_USER, pin, len, NULL));
    s->context_auth_ok = 1;
out:
    return rv;
}

CK_RV
tk_core_login(CK_SESSION_HANDLE h, CK_USER_TYPE user, const CK_UTF8CHAR *pin, CK_ULONG pin_len,
              const CK_UTF8CHAR *username, CK_ULONG username_len)
{
    CK_RV rv = CKR_OK;
    tk_lib *lib = tk_lib_enter();
    tk_session *s = NULL;
    uint8_t key[TK_TOKEN_KEY_LEN];

    (void)username;
    (void)username_len;
    if (lib == NULL) {
        return CKR_CRYPTOKI_NOT_INITIALIZED;
    }
    TK_GUARD(tk_session_get(lib, h, &s));
    TK_CHECK(user == CKU_SO || user == CKU_USER || user == CKU_CONTEXT_SPECIFIC,
             CKR_USER_TYPE_INVALID);
    if (user == CKU_CONTEXT_SPECIFIC) {
        TK_GUARD(tk_login_context(lib, s, pin, pin_len));
        goto out;
    }
    TK_GUARD(tk_login_precheck(lib, s->token, user));
    TK_GUARD(tk_pin_verify(lib, s->token, user, pin, pin_len, key));
    TK_GUARD(tk_login_commit(lib, s->token, user, key));
    TK_INFO("%s logged in on slot %lu", user == CKU_SO ? "SO" : "user",
            (unsigned long)s->token->slot_id);
out:
    tk_wipe(key, sizeof(key));
    tk_session_put(s);
    tk_lib_leave();
    return rv;
}

CK_RV
tk_core_logout(CK_SESSION_HANDLE h)
{
    CK_RV rv = CKR_OK;
    tk_lib *lib = tk_lib_enter();
    tk_session *s = NULL;

    if (lib == NULL) {
        return CKR_CRYPTOKI_NOT_INITIALIZED;
    }
    TK_GUARD(tk_session_get(lib, h, &s));
    tk_lock_write(&s->token->lock);
    if (s->token->login == TK_NOBODY) {
        rv = CKR_USER_NOT_LOGGED_IN;
    } else {
        tk_token_forget_private_inlock(s->token);
    }
    tk_unlock(&s->token->lock);
out:
    tk_session_put(s);
    tk_lib_leave();
    return rv;
}

/* Write the PIN record for user; the SO's C_InitPIN unlocks the user. */
static CK_RV
tk_pin_store(tk_token *tok, CK_USER_TYPE user, const tk_pin_record *pr)
{
    CK_RV rv;

    tk_lock_write(&tok->store_lock);
    rv = tk_store_set_pin(tok->st, user, pr);
    tk_unlock(&tok->store_lock);
    return rv;
}

CK_RV
tk_core_init_pin(CK_SESSION_HANDLE h, const CK_UTF8CHAR *pin, CK_ULONG pin_len)
{
    CK_RV rv = CKR_OK;
    tk_lib *lib = tk_lib_enter();
    tk_session *s = NULL;
    uint8_t key[TK_TOKEN_KEY_LEN];
    tk_pin_record pr;

    memset(&pr, 0, sizeof(pr));
    if (lib == NULL) {
        return CKR_CRYPTOKI_NOT_INITIALIZED;
    }
    TK_GUARD(tk_session_get(lib, h, &s));
    TK_CHECK(tk_session_state(s) == CKS_RW_SO_FUNCTIONS, CKR_USER_NOT_LOGGED_IN);
    TK_CHECK(pin != NULL, CKR_ARGUMENTS_BAD);
    TK_GUARD(tk_pin_check_len(lib, pin_len));
    tk_lock_read(&s->token->lock);
    memcpy(key, s->token->token_key, sizeof(key));
    tk_unlock(&s->token->lock);
    TK_GUARD(tk_store_pin_wrap(&lib->cfg.kdf, pin, pin_len, key, &pr));
    TK_GUARD(tk_pin_store(s->token, CKU_USER, &pr));
out:
    tk_wipe(key, sizeof(key));
    tk_wipe(&pr, sizeof(pr));
    tk_session_put(s);
    tk_lib_leave();
    return rv;
}

CK_RV
tk_core_set_pin(CK_SESSION_HANDLE h, const CK_UTF8CHAR *old_pin, CK_ULONG old_len,
                const CK_UTF8CHAR *new_pin, CK_ULONG new_len)
{
    CK_RV rv = CKR_OK;
    tk_lib *lib = tk_lib_enter();
    tk_session *s = NULL;
    uint8_t key[TK_TOKEN_KEY_LEN];
    tk_pin_record pr;
    CK_USER_TYPE who;

    memset(&pr, 0, sizeof(pr));
    if (lib == NULL) {
        return CKR_CRYPTOKI_NOT_INITIALIZED;
    }
    TK_GUARD(tk_session_get(lib, h, &s));
    TK_CHECK(s->flags & CKF_RW_SESSION, CKR_SESSION_READ_ONLY);
    TK_CHECK(old_pin != NULL && new_pin != NULL, CKR_ARGUMENTS_BAD);
    TK_GUARD(tk_pin_check_len(lib, new_len));
    tk_lock_read(&s->token->lock);
    who = s->token->login == CKU_SO ? CKU_SO : CKU_USER;
    tk_unlock(&s->token->lock);
    /* Only the token key is rewrapped; objects stay as they are. */
    TK_GUARD(tk_pin_verify(lib, s->token, who, old_pin, old_len, key));
    TK_GUARD(tk_store_pin_wrap(&lib->cfg.kdf, new_pin, new_len, key, &pr));
    TK_GUARD(tk_pin_store(s->token, who, &pr));
out:
    tk_wipe(key, sizeof(key));
    tk_wipe(&pr, sizeof(pr));
    tk_session_put(s);
    tk_lib_leave();
    return rv;
}
