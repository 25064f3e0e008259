/*
 * Sessions: C_OpenSession, C_CloseSession, C_CloseAllSessions,
 * C_GetSessionInfo, C_SessionCancel, C_GetSessionValidationFlags and the
 * operation-state calls.
 *
 * A session is reference counted: the table holds one reference and each
 * call in flight another, so a session closed by one thread stays valid
 * for a call another thread is still making on it.
 */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "core/core_internal.h"
#include "util/check.h"
#include "util/log.h"
#include "util/wipe.h"

CK_RV
tk_session_get(tk_lib *lib, CK_SESSION_HANDLE h, tk_session **out)
{
    tk_session *s;

    tk_srw_rdlock(lib->table);
    s = h != 0 ? tk_hmap_get(&lib->sessions, (uint64_t)h) : NULL;
    if (s != NULL) {
        __atomic_add_fetch(&s->refs, 1, __ATOMIC_RELAXED);
    }
    tk_srw_rdunlock(lib->table);
    *out = s;
    return s != NULL ? CKR_OK : CKR_SESSION_HANDLE_INVALID;
}

void
tk_session_end_op_inlock(tk_session *s, tk_op_kind kind)
{
    if (s->ops[kind] == NULL) {
        return;
    }
    tk_op_free(s->ops[kind]);
    s->ops[kind] = NULL;
    if (s->context_auth_needed && s->auth_kind == (int)kind) {
        s->context_auth_needed = 0;
        s->context_auth_ok = 0;
    }
}

void
tk_session_end_ops_inlock(tk_session *s, CK_FLAGS mask)
{
    for (int k = 0; k < TK_OP_COUNT; k++) {
        if (mask & tk_op_kind_flag((tk_op_kind)k)) {
            tk_session_end_op_inlock(s, (tk_op_kind)k);
        }
    }
}

static void
tk_session_free(tk_session *s)
{
    tk_session_end_ops_inlock(s, ~(CK_FLAGS)0);
    free(s->find.handles);
    tk_lock_destroy(&s->lock);
    tk_wipe(s, sizeof(*s));
    free(s);
}

void
tk_session_put(tk_session *s)
{
    if (s != NULL && __atomic_sub_fetch(&s->refs, 1, __ATOMIC_ACQ_REL) == 0) {
        tk_session_free(s);
    }
}

CK_STATE
tk_session_state(const tk_session *s)
{
    CK_USER_TYPE login = __atomic_load_n(&s->token->login, __ATOMIC_RELAXED);

    if (s->flags & CKF_RW_SESSION) {
        if (login == CKU_SO) {
            return CKS_RW_SO_FUNCTIONS;
        }
        return login == CKU_USER ? CKS_RW_USER_FUNCTIONS : CKS_RW_PUBLIC_SESSION;
    }
    return login == CKU_USER ? CKS_RO_USER_FUNCTIONS : CKS_RO_PUBLIC_SESSION;
}

typedef struct {
    const tk_token *tok;
    CK_ULONG n;
} tk_count_probe;

static int
tk_session_count_one(uint64_t key, void *val, void *arg)
{
    tk_count_probe *p = arg;

    (void)key;
    p->n += ((const tk_session *)val)->token == p->tok;
    return 0;
}

CK_ULONG
tk_sessions_of_token(tk_lib *lib, const tk_token *tok)
{
    tk_count_probe p = {tok, 0};

    tk_srw_rdlock(lib->table);
    tk_hmap_each(&lib->sessions, tk_session_count_one, &p);
    tk_srw_rdunlock(lib->table);
    return p.n;
}

/* Count the session in and check the login rule for read-only sessions. */
static CK_RV
tk_session_attach(tk_token *tok, CK_FLAGS flags)
{
    CK_RV rv = CKR_OK;

    tk_lock_write(&tok->lock);
    if (!(flags & CKF_RW_SESSION) && tok->login == CKU_SO) {
        rv = CKR_SESSION_READ_WRITE_SO_EXISTS;
    } else if ((flags & CKF_RW_SESSION) && tok->write_protected) {
        rv = CKR_TOKEN_WRITE_PROTECTED;
    } else {
        tok->n_sessions++;
        tok->n_rw_sessions += (flags & CKF_RW_SESSION) != 0;
    }
    tk_unlock(&tok->lock);
    return rv;
}

/* Undo attach: drop the session's objects; the last session logs out. */
static void
tk_session_detach(tk_lib *lib, tk_session *s)
{
    tk_token *tok = s->token;

    tk_lock_write(&tok->lock);
    /* Session objects take their handles from lib->next_object under this
     * lock: when no handle was taken since the session opened, it owns no
     * object and the walk over every object of the token is skipped. */
    if (__atomic_load_n(&lib->next_object, __ATOMIC_RELAXED) != s->object_mark) {
        tk_objects_drop_session_inlock(tok, s->handle);
    }
    tok->n_sessions--;
    tok->n_rw_sessions -= (s->flags & CKF_RW_SESSION) != 0;
    if (tok->n_sessions == 0 && tok->login != TK_NOBODY) {
        tk_token_forget_private_inlock(tok);
    }
    tk_unlock(&tok->lock);
}

CK_RV
tk_core_open_session(CK_SLOT_ID slot_id, CK_FLAGS flags, void *app, CK_NOTIFY notify,
                     CK_SESSION_HANDLE *h)
{
    CK_RV rv = CKR_OK;
    tk_lib *lib = tk_lib_enter();
    tk_slot *slot;
    tk_token *tok = NULL;
    tk_session *s = NULL;
    int attached = 0;

    if (lib == NULL) {
        return CKR_CRYPTOKI_NOT_INITIALIZED;
    }
    slot = tk_slot_get(lib, slot_id);
    TK_CHECK(slot != NULL, CKR_SLOT_ID_INVALID);
    TK_CHECK(flags & CKF_SERIAL_SESSION, CKR_SESSION_PARALLEL_NOT_SUPPORTED);
    TK_GUARD(tk_slot_token(lib, slot, &tok));
    s = calloc(1, sizeof(*s));
    TK_CHECK(s != NULL, CKR_HOST_MEMORY);
    TK_CHECK(tk_lock_init_exclusive(&s->lock) == 0, CKR_CANT_LOCK);
    TK_GUARD(tk_session_attach(tok, flags));
    attached = 1;
    s->slot = slot;
    s->token = tok;
    s->flags = flags & (CKF_RW_SESSION | CKF_SERIAL_SESSION);
    s->app = app;
    s->notify = notify;
    s->refs = 1;
    s->object_mark = __atomic_load_n(&lib->next_object, __ATOMIC_RELAXED);

    tk_srw_wrlock(lib->table);
    s->handle = lib->next_session++;
    if (tk_hmap_put(&lib->sessions, (uint64_t)s->handle, s) != 0) {
        rv = CKR_HOST_MEMORY;
    }
    tk_srw_wrunlock(lib->table);
    TK_GUARD(rv);
    *h = s->handle;
    s = NULL;
out:
    if (s != NULL) {
        if (attached) {
            tk_session_detach(lib, s);
        }
        tk_lock_destroy(&s->lock);
        free(s);
    }
    tk_lib_leave();
    return rv;
}

/* Remove s from the table (caller holds the table lock). */
static tk_session *
tk_session_unlink_inlock(tk_lib *lib, CK_SESSION_HANDLE h)
{
    return h != 0 ? tk_hmap_del(&lib->sessions, (uint64_t)h) : NULL;
}

static void
tk_session_close_unlinked(tk_lib *lib, tk_session *s)
{
    tk_lock_write(&s->lock);
    s->closed = 1;
    tk_session_end_ops_inlock(s, ~(CK_FLAGS)0);
    free(s->find.handles);
    memset(&s->find, 0, sizeof(s->find));
    tk_unlock(&s->lock);
    tk_session_detach(lib, s);
    tk_session_put(s);
}

CK_RV
tk_core_close_session(CK_SESSION_HANDLE h)
{
    tk_lib *lib = tk_lib_enter();
    tk_session *s;

    if (lib == NULL) {
        return CKR_CRYPTOKI_NOT_INITIALIZED;
    }
    tk_srw_wrlock(lib->table);
    s = tk_session_unlink_inlock(lib, h);
    tk_srw_wrunlock(lib->table);
    if (s != NULL) {
        tk_session_close_unlinked(lib, s);
    }
    tk_lib_leave();
    return s != NULL ? CKR_OK : CKR_SESSION_HANDLE_INVALID;
}

typedef struct {
    CK_SLOT_ID slot;
    CK_SESSION_HANDLE *v;
    size_t n;
    size_t cap;
} tk_handle_list;

static int
tk_session_collect_slot(uint64_t key, void *val, void *arg)
{
    tk_handle_list *l = arg;
    const tk_session *s = val;

    if (s->slot->id != l->slot) {
        return 0;
    }
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 16;
        CK_SESSION_HANDLE *nv = realloc(l->v, ncap * sizeof(*nv));
        if (nv == NULL) {
            return 1;
        }
        l->v = nv;
        l->cap = ncap;
    }
    l->v[l->n++] = (CK_SESSION_HANDLE)key;
    return 0;
}

CK_RV
tk_core_close_all_sessions(CK_SLOT_ID slot_id)
{
    CK_RV rv = CKR_OK;
    tk_lib *lib = tk_lib_enter();
    tk_handle_list l;

    if (lib == NULL) {
        return CKR_CRYPTOKI_NOT_INITIALIZED;
    }
    memset(&l, 0, sizeof(l));
    l.slot = slot_id;
    TK_CHECK(tk_slot_get(lib, slot_id) != NULL, CKR_SLOT_ID_INVALID);
    tk_srw_wrlock(lib->table);
    if (tk_hmap_each(&lib->sessions, tk_session_collect_slot, &l) != 0) {
        rv = CKR_HOST_MEMORY;
    }
    tk_srw_wrunlock(lib->table);
    TK_GUARD(rv);
    for (size_t i = 0; i < l.n; i++) {
        tk_session *s;
        tk_srw_wrlock(lib->table);
        s = tk_session_unlink_inlock(lib, l.v[i]);
        tk_srw_wrunlock(lib->table);
        if (s != NULL) {
            tk_session_close_unlinked(lib, s);
        }
    }
out:
    free(l.v);
    tk_lib_leave();
    return rv;
}

CK_RV
tk_core_get_session_info(CK_SESSION_HANDLE h, CK_SESSION_INFO *info)
{
    CK_RV rv = CKR_OK;
    tk_lib *lib = tk_lib_enter();
    tk_session *s = NULL;

    if (lib == NULL) {
        return CKR_CRYPTOKI_NOT_INITIALIZED;
    }
    TK_GUARD(tk_session_get(lib, h, &s));
    memset(info, 0, sizeof(*info));
    info->slotID = s->slot->id;
    info->state = tk_session_state(s);
    info->flags = s->flags;
    info->ulDeviceError = 0;
out:
    tk_session_put(s);
    tk_lib_leave();
    return rv;
}

CK_RV
tk_core_session_cancel(CK_SESSION_HANDLE h, CK_FLAGS flags)
{
    CK_RV rv = CKR_OK;
    tk_lib *lib = tk_lib_enter();
    tk_session *s = NULL;

    if (lib == NULL) {
        return CKR_CRYPTOKI_NOT_INITIALIZED;
    }
    TK_GUARD(tk_session_get(lib, h, &s));
    tk_lock_write(&s->lock);
    if (flags & CKF_FIND_OBJECTS) {
        free(s->find.handles);
        memset(&s->find, 0, sizeof(s->find));
    }
    tk_session_end_ops_inlock(s, flags);
    tk_unlock(&s->lock);
out:
    tk_session_put(s);
    tk_lib_leave();
    return rv;
}

CK_RV
tk_core_get_session_validation_flags(CK_SESSION_HANDLE h, CK_SESSION_VALIDATION_FLAGS_TYPE type,
                                     CK_FLAGS *flags)
{
    CK_RV rv = CKR_OK;
    tk_lib *lib = tk_lib_enter();
    tk_session *s = NULL;

    if (lib == NULL) {
        return CKR_CRYPTOKI_NOT_INITIALIZED;
    }
    TK_GUARD(tk_session_get(lib, h, &s));
    TK_CHECK(type == CKS_LAST_VALIDATION_OK, CKR_ARGUMENTS_BAD);
    /* The token claims no validation (such as FIPS), so no operation
     * of this session was a validated one. */
    *flags = 0;
out:
    tk_session_put(s);
    tk_lib_leave();
    return rv;
}

/*
 * Saved operation state [PKCS11 3.2 §5.6]: our own versioned layout,
 * "TKOS" | version | kind | mechanism | the operation's own bytes. Only
 * one active operation that can export itself (digests, HMAC) is
 * saveable; anything else is CKR_STATE_UNSAVEABLE.
 */
#define TK_STATE_MAGIC "TKOS"
#define TK_STATE_HEAD 20 /* magic, version, kind, mechanism, parameter length */
#define TK_STATE_MAX_PARAM 64

static void
tk_state_put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

static uint32_t
tk_state_get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The one saveable active operation, or NULL with the reason in *rv. */
static tk_op *
tk_state_sole_op(tk_session *s, CK_RV *rv)
{
    tk_op *found = NULL;
    int active = s->find.active;

    for (int k = 0; k < TK_OP_COUNT; k++) {
        if (s->ops[k] != NULL) {
            active++;
            found = s->ops[k];
        }
    }
    if (active == 0) {
        *rv = CKR_OPERATION_NOT_INITIALIZED;
        return NULL;
    }
    if (active > 1 || found == NULL || found->vt->get_state == NULL || found->unsaveable) {
        *rv = CKR_STATE_UNSAVEABLE;
        return NULL;
    }
    return found;
}

CK_RV
tk_core_get_operation_state(CK_SESSION_HANDLE h, CK_BYTE *state, CK_ULONG *len)
{
    CK_RV rv = CKR_OK;
    tk_lib *lib = tk_lib_enter();
    tk_session *s = NULL;
    tk_op *op;
    CK_ULONG body = 0;
    CK_ULONG head = 0;

    if (lib == NULL) {
        return CKR_CRYPTOKI_NOT_INITIALIZED;
    }
    TK_GUARD(tk_session_get(lib, h, &s));
    tk_lock_write(&s->lock);
    op = tk_state_sole_op(s, &rv);
    if (op != NULL) {
        head = TK_STATE_HEAD + op->param_len;
        rv = op->vt->get_state(op, NULL, &body);
    }
    if (rv == CKR_OK && state != NULL && *len < head + body) {
        rv = CKR_BUFFER_TOO_SMALL;
    } else if (rv == CKR_OK && state != NULL) {
        memcpy(state, TK_STATE_MAGIC, 4);
        tk_state_put32(state + 4, 2);
        tk_state_put32(state + 8, (uint32_t)op->kind);
        tk_state_put32(state + 12, (uint32_t)op->mech);
        tk_state_put32(state + 16, (uint32_t)op->param_len);
        if (op->param_len > 0) {
            memcpy(state + TK_STATE_HEAD, op->param, op->param_len);
        }
        rv = op->vt->get_state(op, state + head, &body);
    }
    if (rv == CKR_OK || rv == CKR_BUFFER_TOO_SMALL) {
        *len = head + body;
    }
    tk_unlock(&s->lock);
out:
    tk_session_put(s);
    tk_lib_leave();
    return rv;
}

/* Rebuild an operation from a saved state; session lock held. */
static CK_RV
tk_state_restore_inlock(tk_session *s, const CK_BYTE *state, CK_ULONG len,
                        CK_OBJECT_HANDLE auth_key)
{
    CK_RV rv = CKR_OK;
    tk_op *op = NULL;
    tk_op_kind kind;
    CK_MECHANISM m = {0, NULL, 0};
    uint8_t param[TK_STATE_MAX_PARAM];
    CK_ULONG head;

    TK_CHECK(len >= TK_STATE_HEAD && memcmp(state, TK_STATE_MAGIC, 4) == 0 &&
                 tk_state_get32(state + 4) == 2 && tk_state_get32(state + 8) < TK_OP_COUNT &&
                 tk_state_get32(state + 16) <= TK_STATE_MAX_PARAM &&
                 tk_state_get32(state + 16) <= len - TK_STATE_HEAD,
             CKR_SAVED_STATE_INVALID);
    kind = (tk_op_kind)tk_state_get32(state + 8);
    m.mechanism = tk_state_get32(state + 12);
    m.ulParameterLen = tk_state_get32(state + 16);
    if (m.ulParameterLen > 0) {
        memcpy(param, state + TK_STATE_HEAD, m.ulParameterLen);
        m.pParameter = param;
    }
    head = TK_STATE_HEAD + m.ulParameterLen;
    if (kind == TK_OP_DIGEST) {
        TK_CHECK(tk_mech_op_init(kind, &m, NULL, &op) == CKR_OK, CKR_SAVED_STATE_INVALID);
    } else {
        const tk_object *key = NULL;
        tk_keyview kv;
        TK_CHECK(auth_key != CK_INVALID_HANDLE, CKR_KEY_NEEDED);
        tk_lock_read(&s->token->lock);
        rv = tk_crypto_key_inlock(s, auth_key, tk_op_kind_key_attr(kind), m.mechanism, &key);
        if (rv == CKR_OK) {
            rv = tk_keyview_make(key, &kv);
            if (rv == CKR_OK) {
                rv = tk_mech_op_init(kind, &m, &kv.key, &op);
                tk_keyview_clear(&kv);
            }
        }
        tk_unlock(&s->token->lock);
        TK_GUARD(rv);
    }
    TK_CHECK(op->vt->set_state != NULL, CKR_SAVED_STATE_INVALID);
    TK_GUARD(op->vt->set_state(op, state + head, len - head));
    if (m.ulParameterLen > 0) {
        op->param = malloc(m.ulParameterLen);
        TK_CHECK(op->param != NULL, CKR_HOST_MEMORY);
        memcpy(op->param, param, m.ulParameterLen);
        op->param_len = m.ulParameterLen;
    }
    tk_session_end_op_inlock(s, kind);
    s->ops[kind] = op;
    op = NULL;
out:
    tk_op_free(op);
    return rv;
}

CK_RV
tk_core_set_operation_state(CK_SESSION_HANDLE h, const CK_BYTE *state, CK_ULONG len,
                            CK_OBJECT_HANDLE enc_key, CK_OBJECT_HANDLE auth_key)
{
    CK_RV rv = CKR_OK;
    tk_lib *lib = tk_lib_enter();
    tk_session *s = NULL;

    (void)enc_key;
    if (lib == NULL) {
        return CKR_CRYPTOKI_NOT_INITIALIZED;
    }
    TK_GUARD(tk_session_get(lib, h, &s));
    tk_lock_write(&s->lock);
    rv = tk_state_restore_inlock(s, state, len, auth_key);
    tk_unlock(&s->lock);
out:
    tk_session_put(s);
    tk_lib_leave();
    return rv;
}

static int
tk_session_free_one(uint64_t key, void *val, void *arg)
{
    (void)key;
    (void)arg;
    tk_session_free(val);
    return 0;
}

void
tk_sessions_free_all(tk_lib *lib, int abandon)
{
    /* Abandoned sessions keep their (possibly held) locks untouched. */
    if (!abandon) {
        tk_hmap_each(&lib->sessions, tk_session_free_one, NULL);
    }
    tk_hmap_free(&lib->sessions);
}

CK_RV
tk_call_enter(CK_SESSION_HANDLE h, int sync, tk_lib **lib, tk_session **s)
{
    CK_RV rv;

    *s = NULL;
    *lib = tk_lib_enter();
    if (*lib == NULL) {
        return CKR_CRYPTOKI_NOT_INITIALIZED;
    }
    rv = tk_session_get(*lib, h, s);
    if (rv == CKR_OK && sync) {
        rv = tk_token_sync(*lib, (*s)->token);
    }
    return rv;
}

void
tk_call_leave(tk_lib *lib, tk_session *s)
{
    tk_session_put(s);
    if (lib != NULL) {
        tk_lib_leave();
    }
}
