/*
 * Object calls: C_CreateObject, C_CopyObject, C_DestroyObject,
 * C_GetObjectSize, C_GetAttributeValue, C_SetAttributeValue and the
 * C_FindObjects family.
 *
 * Visibility [PKCS11 3.2 §4.1]: private objects only while the user is
 * logged in (not the SO); session objects of every session of this
 * application; token objects of other processes as soon as they commit.
 */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "core/core_internal.h"
#include "util/check.h"
#include "util/log.h"
#include "util/wipe.h"

int
tk_object_visible_inlock(const tk_session *s, const tk_object *obj)
{
    return !obj->is_private || s->token->login == CKU_USER;
}

static int
tk_objects_visible_filter(const tk_object *obj, void *arg)
{
    return tk_object_visible_inlock(arg, obj);
}

typedef struct {
    CK_SESSION_HANDLE owner;
    CK_OBJECT_HANDLE *v;
    size_t n;
    size_t cap;
} tk_owned;

static int
tk_objects_collect_owned(tk_object *obj, void *arg)
{
    tk_owned *o = arg;

    if (obj->is_token || obj->owner != o->owner) {
        return 0;
    }
    if (o->n == o->cap) {
        size_t ncap = o->cap ? o->cap * 2 : 16;
        CK_OBJECT_HANDLE *nv = realloc(o->v, ncap * sizeof(*nv));
        if (nv == NULL) {
            return 1;
        }
        o->v = nv;
        o->cap = ncap;
    }
    o->v[o->n++] = obj->handle;
    return 0;
}

void
tk_objects_drop_session_inlock(tk_token *tok, CK_SESSION_HANDLE h)
{
    tk_owned o;

    memset(&o, 0, sizeof(o));
    o.owner = h;
    tk_objset_each(tok->objs, tk_objects_collect_owned, &o);
    for (size_t i = 0; i < o.n; i++) {
        tk_object_free(tk_objset_remove(tok->objs, o.v[i]));
    }
    free(o.v);
}

static tk_obj_ctx
tk_objects_ctx(const tk_token *tok, tk_origin origin)
{
    tk_obj_ctx ctx;

    memset(&ctx, 0, sizeof(ctx));
    ctx.origin = origin;
    ctx.user = tok->login;
    ctx.mech = CK_UNAVAILABLE_INFORMATION;
    return ctx;
}

/* Session and login rules for a new object [PKCS11 3.2 §5.7]. */
static CK_RV
tk_objects_may_create(const tk_session *s, const tk_object *obj)
{
    if (obj->is_token && !(s->flags & CKF_RW_SESSION)) {
        return CKR_SESSION_READ_ONLY;
    }
    if (obj->is_token && s->token->write_protected) {
        return CKR_TOKEN_WRITE_PROTECTED;
    }
    if (obj->is_private && s->token->login != CKU_USER) {
        return CKR_USER_NOT_LOGGED_IN;
    }
    return CKR_OK;
}

/* Write a token object to the store; token lock held for writing. */
static CK_RV
tk_objects_persist_inlock(tk_token *tok, tk_object *obj)
{
    CK_RV rv = CKR_OK;
    uint8_t *blob = NULL;
    size_t len = 0;
    int64_t id = obj->store_id;
    uint64_t gen = 0;

    TK_GUARD(tk_object_serialize(obj, &blob, &len));
    tk_lock_write(&tok->store_lock);
    rv = tk_store_put_object(tok->st, obj->is_private ? tok->token_key : NULL,
                             obj->is_private, blob, len, &id, &gen);
    tk_unlock(&tok->store_lock);
    TK_GUARD(rv);
    obj->store_id = id;
    obj->store_gen = gen;
out:
    tk_free_secret(blob, len);
    return rv;
}

/* Give obj a handle, store it if it is a token object, add it to the set.
 * Takes ownership of obj in every case. */
CK_RV
tk_objects_insert(tk_lib *lib, tk_session *s, tk_object *obj, CK_OBJECT_HANDLE *out)
{
    CK_RV rv = CKR_OK;
    tk_token *tok = s->token;

    tk_lock_write(&tok->lock);
    TK_GUARD(tk_objects_may_create(s, obj));
    if (obj->is_token) {
        TK_GUARD(tk_objects_persist_inlock(tok, obj));
        obj->handle = tk_token_object_handle(tok, obj);
    } else {
        obj->owner = s->handle;
        obj->handle = TK_HANDLE_SESSION_BASE +
                      __atomic_fetch_add(&lib->next_object, 1, __ATOMIC_RELAXED);
    }
    TK_GUARD(tk_objset_add(tok->objs, obj));
    *out = obj->handle;
    obj = NULL;
out:
    tk_unlock(&tok->lock);
    if (obj != NULL) {
        if (obj->store_id > 0) {
            tk_lock_write(&tok->store_lock);
            tk_store_delete_object(tok->st, obj->store_id);
            tk_unlock(&tok->store_lock);
        }
        tk_object_free(obj);
    }
    return rv;
}

/* The values the token computes for an imported key (mech.h), as the
 * object layer's extra attributes. */
static CK_RV
tk_objects_completed(const CK_ATTRIBUTE *tmpl, CK_ULONG count, tk_attrs *extra)
{
    CK_RV rv = CKR_OK;
    tk_mech_attrs vals = {0};
    CK_OBJECT_CLASS cls = tk_tmpl_ulong(tmpl, count, CKA_CLASS, CK_UNAVAILABLE_INFORMATION);
    CK_KEY_TYPE type = tk_tmpl_ulong(tmpl, count, CKA_KEY_TYPE, CK_UNAVAILABLE_INFORMATION);

    TK_GUARD(tk_mech_complete_key(cls, type, tmpl, count, &vals));
    for (CK_ULONG i = 0; i < vals.n; i++) {
        TK_GUARD(tk_attrs_set(extra, vals.v[i].type, vals.v[i].pValue, vals.v[i].ulValueLen));
    }
out:
    tk_mech_attrs_clear(&vals);
    return rv;
}

CK_RV
tk_core_create_object(CK_SESSION_HANDLE h, const CK_ATTRIBUTE *tmpl, CK_ULONG count,
                      CK_OBJECT_HANDLE *out)
{
    CK_RV rv = CKR_OK;
    tk_lib *lib;
    tk_session *s;
    tk_object *obj = NULL;
    tk_obj_ctx ctx;
    tk_attrs extra = {0};

    TK_GUARD(tk_call_enter(h, 1, &lib, &s));
    tk_lock_read(&s->token->lock);
    ctx = tk_objects_ctx(s->token, TK_ORIGIN_CREATE);
    tk_unlock(&s->token->lock);
    TK_GUARD(tk_objects_completed(tmpl, count, &extra));
    TK_GUARD(tk_object_create(tmpl, count, extra.n > 0 ? &extra : NULL, &ctx, &obj));
    TK_GUARD(tk_objects_insert(lib, s, obj, out));
out:
    tk_attrs_clear(&extra);
    tk_call_leave(lib, s);
    return rv;
}

/* The visible object h of session s; token lock held. */
static tk_object *
tk_objects_lookup_inlock(const tk_session *s, CK_OBJECT_HANDLE h)
{
    tk_object *obj = tk_objset_get(s->token->objs, h);

    return obj != NULL && tk_object_visible_inlock(s, obj) ? obj : NULL;
}

CK_RV
tk_core_copy_object(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE src, const CK_ATTRIBUTE *tmpl,
                    CK_ULONG count, CK_OBJECT_HANDLE *out)
{
    CK_RV rv = CKR_OK;
    tk_lib *lib;
    tk_session *s;
    tk_object *obj = NULL;
    const tk_object *from;
    tk_obj_ctx ctx;

    TK_GUARD(tk_call_enter(h, 1, &lib, &s));
    tk_lock_read(&s->token->lock);
    from = tk_objects_lookup_inlock(s, src);
    ctx = tk_objects_ctx(s->token, TK_ORIGIN_COPY);
    rv = from != NULL ? tk_object_copy(from, tmpl, count, &ctx, &obj)
                      : CKR_OBJECT_HANDLE_INVALID;
    tk_unlock(&s->token->lock);
    TK_GUARD(rv);
    obj->store_id = 0;
    obj->store_gen = 0;
    TK_GUARD(tk_objects_insert(lib, s, obj, out));
out:
    tk_call_leave(lib, s);
    return rv;
}

/* May session s change or destroy obj? */
static CK_RV
tk_objects_may_change(const tk_session *s, const tk_object *obj)
{
    if (obj->is_token && !(s->flags & CKF_RW_SESSION)) {
        return CKR_SESSION_READ_ONLY;
    }
    return CKR_OK;
}

CK_RV
tk_core_destroy_object(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE oh)
{
    CK_RV rv = CKR_OK;
    tk_lib *lib;
    tk_session *s;
    tk_object *obj;
    int locked = 0;

    TK_GUARD(tk_call_enter(h, 1, &lib, &s));
    tk_lock_write(&s->token->lock);
    locked = 1;
    obj = tk_objects_lookup_inlock(s, oh);
    TK_CHECK(obj != NULL, CKR_OBJECT_HANDLE_INVALID);
    TK_GUARD(tk_objects_may_change(s, obj));
    TK_CHECK(tk_object_bool(obj, CKA_DESTROYABLE, CK_TRUE), CKR_ACTION_PROHIBITED);
    if (obj->is_token) {
        tk_lock_write(&s->token->store_lock);
        rv = tk_store_delete_object(s->token->st, obj->store_id);
        tk_unlock(&s->token->store_lock);
        TK_GUARD(rv);
    }
    tk_object_free(tk_objset_remove(s->token->objs, oh));
out:
    if (locked) {
        tk_unlock(&s->token->lock);
    }
    tk_call_leave(lib, s);
    return rv;
}

CK_RV
tk_core_get_object_size(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE oh, CK_ULONG *size)
{
    CK_RV rv = CKR_OK;
    tk_lib *lib;
    tk_session *s;
    const tk_object *obj;

    TK_GUARD(tk_call_enter(h, 1, &lib, &s));
    tk_lock_read(&s->token->lock);
    obj = tk_objects_lookup_inlock(s, oh);
    if (obj != NULL) {
        *size = tk_object_size(obj);
    }
    tk_unlock(&s->token->lock);
    TK_CHECK(obj != NULL, CKR_OBJECT_HANDLE_INVALID);
out:
    tk_call_leave(lib, s);
    return rv;
}

CK_RV
tk_core_get_attribute_value(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE oh, CK_ATTRIBUTE *tmpl,
                            CK_ULONG count)
{
    CK_RV rv = CKR_OK;
    tk_lib *lib;
    tk_session *s;
    const tk_object *obj;

    TK_GUARD(tk_call_enter(h, 1, &lib, &s));
    tk_lock_read(&s->token->lock);
    obj = tk_objects_lookup_inlock(s, oh);
    rv = obj != NULL ? tk_object_get_attributes(obj, tmpl, count) : CKR_OBJECT_HANDLE_INVALID;
    tk_unlock(&s->token->lock);
out:
    tk_call_leave(lib, s);
    return rv;
}

CK_RV
tk_core_set_attribute_value(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE oh,
                            const CK_ATTRIBUTE *tmpl, CK_ULONG count)
{
    CK_RV rv = CKR_OK;
    tk_lib *lib;
    tk_session *s;
    tk_object *obj;
    tk_obj_ctx ctx;
    int locked = 0;

    TK_GUARD(tk_call_enter(h, 1, &lib, &s));
    tk_lock_write(&s->token->lock);
    locked = 1;
    obj = tk_objects_lookup_inlock(s, oh);
    TK_CHECK(obj != NULL, CKR_OBJECT_HANDLE_INVALID);
    TK_GUARD(tk_objects_may_change(s, obj));
    ctx = tk_objects_ctx(s->token, TK_ORIGIN_CREATE);
    TK_GUARD(tk_object_set_attributes(obj, tmpl, count, &ctx));
    tk_objset_reindex(s->token->objs, obj);
    if (obj->is_token) {
        rv = tk_objects_persist_inlock(s->token, obj);
        if (rv != CKR_OK) {
            /* The cache now differs from the store: reload the row. */
            obj->store_gen = 0;
            s->token->objects_loaded = 0;
        }
    }
out:
    if (locked) {
        tk_unlock(&s->token->lock);
    }
    tk_call_leave(lib, s);
    return rv;
}

CK_RV
tk_core_find_objects_init(CK_SESSION_HANDLE h, const CK_ATTRIBUTE *tmpl, CK_ULONG count)
{
    CK_RV rv = CKR_OK;
    tk_lib *lib;
    tk_session *s;
    CK_OBJECT_HANDLE *found = NULL;
    size_t n = 0;

    TK_GUARD(tk_call_enter(h, 1, &lib, &s));
    tk_lock_write(&s->lock);
    if (s->find.active) {
        rv = CKR_OPERATION_ACTIVE;
    } else {
        tk_lock_read(&s->token->lock);
        rv = tk_objset_find(s->token->objs, tmpl, count, tk_objects_visible_filter, s, &found,
                            &n);
        tk_unlock(&s->token->lock);
    }
    if (rv == CKR_OK) {
        s->find.active = 1;
        s->find.handles = found;
        s->find.count = n;
        s->find.pos = 0;
    }
    tk_unlock(&s->lock);
out:
    tk_call_leave(lib, s);
    return rv;
}

CK_RV
tk_core_find_objects(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE *objs, CK_ULONG max,
                     CK_ULONG *count)
{
    CK_RV rv = CKR_OK;
    tk_lib *lib = tk_lib_enter();
    tk_session *s = NULL;
    size_t n;

    if (lib == NULL) {
        return CKR_CRYPTOKI_NOT_INITIALIZED;
    }
    TK_GUARD(tk_session_get(lib, h, &s));
    tk_lock_write(&s->lock);
    if (!s->find.active) {
        rv = CKR_OPERATION_NOT_INITIALIZED;
    } else {
        n = s->find.count - s->find.pos;
        n = n < max ? n : max;
        if (n > 0) {
            memcpy(objs, s->find.handles + s->find.pos, n * sizeof(*objs));
        }
        s->find.pos += n;
        *count = n;
    }
    tk_unlock(&s->lock);
out:
    tk_session_put(s);
    tk_lib_leave();
    return rv;
}

CK_RV
tk_core_find_objects_final(CK_SESSION_HANDLE h)
{
    CK_RV rv = CKR_OK;
    tk_lib *lib = tk_lib_enter();
    tk_session *s = NULL;

    if (lib == NULL) {
        return CKR_CRYPTOKI_NOT_INITIALIZED;
    }
    TK_GUARD(tk_session_get(lib, h, &s));
    tk_lock_write(&s->lock);
    if (!s->find.active) {
        rv = CKR_OPERATION_NOT_INITIALIZED;
    } else {
        free(s->find.handles);
        memset(&s->find, 0, sizeof(s->find));
    }
    tk_unlock(&s->lock);
out:
    tk_session_put(s);
    tk_lib_leave();
    return rv;
}
