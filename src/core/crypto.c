/*
 * Cryptographic operations of a session: C_*Init, single-part, multi-part
 * and final calls, verification, C_DigestKey and the message-based calls.
 * The mechanism layer does the work; this file enforces the session
 * rules of [PKCS11 3.2 §5.2] and the key rules (visibility, usage
 * attributes, CKA_ALLOWED_MECHANISMS, CKA_ALWAYS_AUTHENTICATE).
 */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "core/core_internal.h"
#include "util/check.h"
#include "util/log.h"

CK_RV
tk_keyview_make(const tk_object *obj, tk_keyview *kv)
{
    size_t n = obj->attrs.n;

    /* Only the header is cleared: the inline array is written below. */
    memset(&kv->key, 0, sizeof(kv->key));
    kv->arr = kv->inline_arr;
    if (n > TK_KEYVIEW_INLINE) {
        kv->arr = calloc(n, sizeof(*kv->arr));
        if (kv->arr == NULL) {
            return CKR_HOST_MEMORY;
        }
    }
    for (size_t i = 0; i < n; i++) {
        kv->arr[i].type = obj->attrs.v[i].type;
        kv->arr[i].pValue = obj->attrs.v[i].value;
        kv->arr[i].ulValueLen = obj->attrs.v[i].len;
    }
    kv->key.cls = obj->cls;
    kv->key.type = tk_object_ulong(obj, CKA_KEY_TYPE, CK_UNAVAILABLE_INFORMATION);
    kv->key.attrs = kv->arr;
    kv->key.n = n;
    /* The slot is filled at most once, atomically (mech.h); the object
     * itself stays unchanged. */
    kv->key.cache = (void **)&((tk_object *)obj)->mech_cache;
    return CKR_OK;
}

void
tk_keyview_clear(tk_keyview *kv)
{
    /* The array holds pointers to the object's values, no secrets. */
    if (kv->arr != kv->inline_arr) {
        free(kv->arr);
    }
    kv->arr = NULL;
    memset(&kv->key, 0, sizeof(kv->key));
}

static int
tk_crypto_is_key_class(CK_OBJECT_CLASS cls)
{
    return cls == CKO_SECRET_KEY || cls == CKO_PUBLIC_KEY || cls == CKO_PRIVATE_KEY;
}

/* Is mech in the key's CKA_ALLOWED_MECHANISMS (absent: everything is)? */
static int
tk_crypto_mech_allowed(const tk_object *obj, CK_MECHANISM_TYPE mech)
{
    const tk_attr *a = tk_attrs_find(&obj->attrs, CKA_ALLOWED_MECHANISMS);
    size_t n;

    if (a == NULL || a->len == 0) {
        return 1; /* absent or empty: no restriction */
    }
    n = a->len / sizeof(CK_MECHANISM_TYPE);
    for (size_t i = 0; i < n; i++) {
        CK_MECHANISM_TYPE t;
        memcpy(&t, a->value + i * sizeof(t), sizeof(t));
        if (t == mech) {
            return 1;
        }
    }
    return 0;
}

CK_RV
tk_crypto_key_inlock(const tk_session *s, CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE usage,
                     CK_MECHANISM_TYPE mech, const tk_object **out)
{
    const tk_object *obj = tk_objset_get(s->token->objs, h);

    if (obj == NULL || !tk_object_visible_inlock(s, obj) || !tk_crypto_is_key_class(obj->cls)) {
        return CKR_KEY_HANDLE_INVALID;
    }
    if (usage != 0 && !tk_object_bool(obj, usage, CK_FALSE)) {
        return CKR_KEY_FUNCTION_NOT_PERMITTED;
    }
    if (!tk_crypto_mech_allowed(obj, mech)) {
        return CKR_KEY_FUNCTION_NOT_PERMITTED;
    }
    *out = obj;
    return CKR_OK;
}

/* Start an operation with a key; token lock taken here for reading. */
static CK_RV
tk_crypto_init_with_key(tk_session *s, tk_op_kind kind, const CK_MECHANISM *m,
                        CK_OBJECT_HANDLE keyh, tk_op **op)
{
    CK_RV rv = CKR_OK;
    const tk_object *obj = NULL;
    tk_keyview kv;

    kv.arr = NULL;
    tk_lock_read(&s->token->lock);
    TK_GUARD(tk_crypto_key_inlock(s, keyh, tk_op_kind_key_attr(kind), m->mechanism, &obj));
    TK_GUARD(tk_keyview_make(obj, &kv));
    TK_GUARD(tk_mech_op_init(kind, m, &kv.key, op));
    if (obj->cls == CKO_PRIVATE_KEY && tk_object_bool(obj, CKA_ALWAYS_AUTHENTICATE, CK_FALSE)) {
        s->context_auth_needed = 1;
        s->context_auth_ok = 0;
        s->auth_kind = (int)kind;
    }
out:
    tk_unlock(&s->token->lock);
    tk_keyview_clear(&kv);
    return rv;
}

/*
 * A saveable operation (one with a state to export: digests, MACs) keeps a
 * copy of its parameter, so that C_SetOperationState can start it again.
 * Their parameters hold values only, never pointers.
 */
static CK_RV
tk_crypto_keep_param(tk_op *op, const CK_MECHANISM *m)
{
    if (op->vt->get_state == NULL || m->pParameter == NULL || m->ulParameterLen == 0 ||
        m->ulParameterLen > 64) {
        return CKR_OK;
    }
    op->param = malloc(m->ulParameterLen);
    if (op->param == NULL) {
        return CKR_HOST_MEMORY;
    }
    memcpy(op->param, m->pParameter, m->ulParameterLen);
    op->param_len = m->ulParameterLen;
    return CKR_OK;
}

/* One attempt at starting the operation; session lock held. */
static CK_RV
tk_crypto_init_once(tk_session *s, tk_op_kind kind, const CK_MECHANISM *m, CK_OBJECT_HANDLE key,
                    const CK_BYTE *sig, CK_ULONG sig_len, tk_op **op)
{
    if (kind == TK_OP_DIGEST) {
        return tk_mech_op_init(kind, m, NULL, op);
    }
    if (kind == TK_OP_VERIFY_SIGNATURE) {
        return tk_crypto_verify_signature_init_inlock(s, m, key, sig, sig_len, op);
    }
    return tk_crypto_init_with_key(s, kind, m, key, op);
}

static CK_RV
tk_crypto_init(CK_SESSION_HANDLE h, tk_op_kind kind, const CK_MECHANISM *m, CK_OBJECT_HANDLE key,
               const CK_BYTE *sig, CK_ULONG sig_len)
{
    CK_RV rv = CKR_OK;
    tk_lib *lib;
    tk_session *s;
    tk_op *op = NULL;
    int locked = 0;

    TK_GUARD(tk_call_enter(h, 0, &lib, &s));
    tk_lock_write(&s->lock);
    locked = 1;
    TK_CHECK(s->ops[kind] == NULL, CKR_OPERATION_ACTIVE);
    rv = tk_crypto_init_once(s, kind, m, key, sig, sig_len, &op);
    if (rv == CKR_KEY_HANDLE_INVALID) {
        /*
         * The store is asked for other processes' changes only when the
         * key is not cached: a key another process made is then found,
         * while the common case costs no database round trip. A key that
         * another process destroyed stays usable here until this process
         * next looks at objects (find, get or set attributes).
         */
        TK_GUARD(tk_token_sync(lib, s->token));
        rv = tk_crypto_init_once(s, kind, m, key, sig, sig_len, &op);
    }
    TK_GUARD(rv);
    TK_GUARD(tk_crypto_keep_param(op, m));
    s->ops[kind] = op;
    op = NULL;
out:
    tk_op_free(op);
    if (locked) {
        tk_unlock(&s->lock);
    }
    tk_call_leave(lib, s);
    return rv;
}

CK_RV
tk_crypto_verify_signature_init_inlock(tk_session *s, const CK_MECHANISM *m,
                                       CK_OBJECT_HANDLE keyh, const CK_BYTE *sig,
                                       CK_ULONG sig_len, tk_op **op)
{
    CK_RV rv = CKR_OK;
    const tk_object *obj = NULL;
    tk_keyview kv;

    kv.arr = NULL;
    tk_lock_read(&s->token->lock);
    TK_GUARD(tk_crypto_key_inlock(s, keyh, CKA_VERIFY, m->mechanism, &obj));
    TK_GUARD(tk_keyview_make(obj, &kv));
    TK_GUARD(tk_mech_verify_signature_init(m, &kv.key, sig, sig_len, op));
out:
    tk_unlock(&s->token->lock);
    tk_keyview_clear(&kv);
    return rv;
}

CK_RV
tk_core_op_init(CK_SESSION_HANDLE h, tk_op_kind kind, const CK_MECHANISM *m,
                CK_OBJECT_HANDLE key)
{
    return tk_crypto_init(h, kind, m, key, NULL, 0);
}

CK_RV
tk_core_verify_signature_init(CK_SESSION_HANDLE h, const CK_MECHANISM *m, CK_OBJECT_HANDLE key,
                              const CK_BYTE *sig, CK_ULONG sig_len)
{
    return tk_crypto_init(h, TK_OP_VERIFY_SIGNATURE, m, key, sig, sig_len);
}

CK_RV
tk_core_msg_init(CK_SESSION_HANDLE h, tk_op_kind kind, const CK_MECHANISM *m,
                 CK_OBJECT_HANDLE key)
{
    return tk_crypto_init(h, kind, m, key, NULL, 0);
}

/*
 * The body of every call on an active operation: session lock held, the
 * operation of kind fetched, context login checked, then `call` runs and
 * the [PKCS11 3.2 §5.2] rule decides whether the operation lives on.
 */
typedef struct {
    int keep_on_ok;      /* an update: the operation goes on */
    int query;           /* output pointer was NULL: a length query */
    int single_part;     /* refuse after multi-part updates */
    int message;         /* message-based: only the final call ends it */
} tk_call_rule;

static CK_RV
tk_crypto_begin(tk_session *s, tk_op_kind kind, const tk_call_rule *rule, tk_op **op)
{
    *op = s->ops[kind];
    if (*op == NULL) {
        return CKR_OPERATION_NOT_INITIALIZED;
    }
    if (rule->single_part && (*op)->started) {
        return CKR_OPERATION_ACTIVE;
    }
    if (s->context_auth_needed && s->auth_kind == (int)kind && !s->context_auth_ok) {
        return CKR_USER_NOT_LOGGED_IN;
    }
    return CKR_OK;
}

static void
tk_crypto_settle(tk_session *s, tk_op_kind kind, const tk_call_rule *rule, CK_RV rv)
{
    int keep = rv == CKR_BUFFER_TOO_SMALL || (rv == CKR_OK && (rule->query || rule->keep_on_ok)) ||
               rule->message;

    if (!keep) {
        tk_session_end_op_inlock(s, kind);
    }
}

typedef CK_RV (*tk_crypto_step)(tk_op *op, void *arg);

static CK_RV
tk_crypto_call(CK_SESSION_HANDLE h, tk_op_kind kind, const tk_call_rule *rule,
               tk_crypto_step step, void *arg)
{
    CK_RV rv = CKR_OK;
    tk_lib *lib;
    tk_session *s;
    tk_op *op = NULL;

    TK_GUARD(tk_call_enter(h, 0, &lib, &s));
    tk_lock_write(&s->lock);
    rv = tk_crypto_begin(s, kind, rule, &op);
    if (rv == CKR_OK) {
        rv = step(op, arg);
        tk_crypto_settle(s, kind, rule, rv);
    } else if (rv != CKR_OPERATION_NOT_INITIALIZED && rv != CKR_USER_NOT_LOGGED_IN) {
        tk_crypto_settle(s, kind, rule, rv);
    }
    tk_unlock(&s->lock);
out:
    tk_call_leave(lib, s);
    return rv;
}

typedef struct {
    const CK_BYTE *in;
    CK_ULONG in_len;
    CK_BYTE *out;
    CK_ULONG *out_len;
    const CK_BYTE *sig;
    CK_ULONG sig_len;
    void *param;
    CK_ULONG param_len;
    CK_FLAGS flags;
} tk_io;

static CK_RV
tk_step_run(tk_op *op, void *arg)
{
    tk_io *io = arg;

    if (op->vt->run == NULL) {
        return CKR_FUNCTION_NOT_SUPPORTED;
    }
    return op->vt->run(op, io->in, io->in_len, io->out, io->out_len);
}

static CK_RV
tk_step_update(tk_op *op, void *arg)
{
    tk_io *io = arg;

    if (op->vt->update == NULL) {
        return CKR_FUNCTION_NOT_SUPPORTED;
    }
    op->started = 1;
    return op->vt->update(op, io->in, io->in_len, io->out, io->out_len);
}

static CK_RV
tk_step_final(tk_op *op, void *arg)
{
    tk_io *io = arg;

    if (op->vt->final == NULL) {
        return CKR_FUNCTION_NOT_SUPPORTED;
    }
    return op->vt->final(op, io->out, io->out_len);
}

static CK_RV
tk_step_verify(tk_op *op, void *arg)
{
    tk_io *io = arg;

    if (op->vt->verify == NULL) {
        return CKR_FUNCTION_NOT_SUPPORTED;
    }
    return op->vt->verify(op, io->in, io->in_len, io->sig, io->sig_len);
}

static CK_RV
tk_step_verify_final(tk_op *op, void *arg)
{
    tk_io *io = arg;

    if (op->vt->verify_final == NULL) {
        return CKR_FUNCTION_NOT_SUPPORTED;
    }
    return op->vt->verify_final(op, io->sig, io->sig_len);
}

CK_RV
tk_core_op_run(CK_SESSION_HANDLE h, tk_op_kind kind, const CK_BYTE *in, CK_ULONG in_len,
               CK_BYTE *out, CK_ULONG *out_len)
{
    tk_io io = {.in = in, .in_len = in_len, .out = out, .out_len = out_len};
    tk_call_rule rule = {.query = out == NULL, .single_part = 1};

    return tk_crypto_call(h, kind, &rule, tk_step_run, &io);
}

CK_RV
tk_core_op_update(CK_SESSION_HANDLE h, tk_op_kind kind, const CK_BYTE *in, CK_ULONG in_len,
                  CK_BYTE *out, CK_ULONG *out_len)
{
    tk_io io = {.in = in, .in_len = in_len, .out = out, .out_len = out_len};
    tk_call_rule rule = {.keep_on_ok = 1};

    return tk_crypto_call(h, kind, &rule, tk_step_update, &io);
}

CK_RV
tk_core_op_final(CK_SESSION_HANDLE h, tk_op_kind kind, CK_BYTE *out, CK_ULONG *out_len)
{
    tk_io io = {.out = out, .out_len = out_len};
    tk_call_rule rule = {.query = out == NULL};

    return tk_crypto_call(h, kind, &rule, tk_step_final, &io);
}

CK_RV
tk_core_verify(CK_SESSION_HANDLE h, tk_op_kind kind, const CK_BYTE *data, CK_ULONG len,
               const CK_BYTE *sig, CK_ULONG sig_len)
{
    tk_io io = {.in = data, .in_len = len, .sig = sig, .sig_len = sig_len};
    tk_call_rule rule = {.single_part = 1};

    return tk_crypto_call(h, kind, &rule, tk_step_verify, &io);
}

CK_RV
tk_core_verify_final(CK_SESSION_HANDLE h, tk_op_kind kind, const CK_BYTE *sig,
                     CK_ULONG sig_len)
{
    tk_io io = {.sig = sig, .sig_len = sig_len};
    tk_call_rule rule = {0};

    return tk_crypto_call(h, kind, &rule, tk_step_verify_final, &io);
}

/* ---- message-based: the operation lives until its final call ---- */

static CK_RV
tk_step_msg_run(tk_op *op, void *arg)
{
    tk_io *io = arg;

    if (op->vt->msg_run == NULL) {
        return CKR_FUNCTION_NOT_SUPPORTED;
    }
    return op->vt->msg_run(op, io->param, io->param_len, io->sig, io->sig_len, io->in,
                           io->in_len, io->out, io->out_len);
}

static CK_RV
tk_step_msg_begin(tk_op *op, void *arg)
{
    tk_io *io = arg;

    if (op->vt->msg_begin == NULL) {
        return CKR_FUNCTION_NOT_SUPPORTED;
    }
    return op->vt->msg_begin(op, io->param, io->param_len, io->sig, io->sig_len);
}

static CK_RV
tk_step_msg_next(tk_op *op, void *arg)
{
    tk_io *io = arg;

    if (op->vt->msg_next == NULL) {
        return CKR_FUNCTION_NOT_SUPPORTED;
    }
    return op->vt->msg_next(op, io->param, io->param_len, io->in, io->in_len, io->out,
                            io->out_len, io->flags);
}

static CK_RV
tk_step_none(tk_op *op, void *arg)
{
    (void)op;
    (void)arg;
    return CKR_OK;
}

CK_RV
tk_core_msg_run(CK_SESSION_HANDLE h, tk_op_kind kind, void *param, CK_ULONG param_len,
                const CK_BYTE *aad, CK_ULONG aad_len, const CK_BYTE *in, CK_ULONG in_len,
                CK_BYTE *out, CK_ULONG *out_len)
{
    /* aad travels in the sig fields of tk_io. */
    tk_io io = {.in = in,
                .in_len = in_len,
                .out = out,
                .out_len = out_len,
                .sig = aad,
                .sig_len = aad_len,
                .param = param,
                .param_len = param_len};
    tk_call_rule rule = {.message = 1};

    return tk_crypto_call(h, kind, &rule, tk_step_msg_run, &io);
}

CK_RV
tk_core_msg_begin(CK_SESSION_HANDLE h, tk_op_kind kind, void *param, CK_ULONG param_len,
                  const CK_BYTE *aad, CK_ULONG aad_len)
{
    tk_io io = {.sig = aad, .sig_len = aad_len, .param = param, .param_len = param_len};
    tk_call_rule rule = {.message = 1};

    return tk_crypto_call(h, kind, &rule, tk_step_msg_begin, &io);
}

CK_RV
tk_core_msg_next(CK_SESSION_HANDLE h, tk_op_kind kind, void *param, CK_ULONG param_len,
                 const CK_BYTE *in, CK_ULONG in_len, CK_BYTE *out, CK_ULONG *out_len,
                 CK_FLAGS flags)
{
    tk_io io = {.in = in,
                .in_len = in_len,
                .out = out,
                .out_len = out_len,
                .param = param,
                .param_len = param_len,
                .flags = flags};
    tk_call_rule rule = {.message = 1};

    return tk_crypto_call(h, kind, &rule, tk_step_msg_next, &io);
}

CK_RV
tk_core_msg_final(CK_SESSION_HANDLE h, tk_op_kind kind)
{
    tk_call_rule rule = {0};

    return tk_crypto_call(h, kind, &rule, tk_step_none, NULL);
}

CK_RV
tk_core_digest_key(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE keyh)
{
    CK_RV rv = CKR_OK;
    tk_lib *lib;
    tk_session *s;
    tk_op *op = NULL;
    const tk_object *key;
    const tk_attr *val;
    tk_call_rule rule = {.keep_on_ok = 1};

    TK_GUARD(tk_call_enter(h, 0, &lib, &s));
    tk_lock_write(&s->lock);
    rv = tk_crypto_begin(s, TK_OP_DIGEST, &rule, &op);
    if (rv == CKR_OK) {
        tk_lock_read(&s->token->lock);
        key = tk_objset_get(s->token->objs, keyh);
        if (key == NULL || !tk_object_visible_inlock(s, key) || key->cls != CKO_SECRET_KEY) {
            rv = key != NULL && tk_object_visible_inlock(s, key) ? CKR_KEY_INDIGESTIBLE
                                                                 : CKR_KEY_HANDLE_INVALID;
        } else if ((val = tk_attrs_find(&key->attrs, CKA_VALUE)) == NULL ||
                   op->vt->update == NULL) {
            rv = CKR_KEY_INDIGESTIBLE;
        } else {
            op->started = 1;
            op->unsaveable = 1;
            rv = op->vt->update(op, val->value, val->len, NULL, NULL);
        }
        tk_unlock(&s->token->lock);
        tk_crypto_settle(s, TK_OP_DIGEST, &rule, rv);
    }
    tk_unlock(&s->lock);
out:
    tk_call_leave(lib, s);
    return rv;
}
