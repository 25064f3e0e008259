/*
 * A token in memory: its store handle, the cache of its objects, and this
 * application's login state on it. Other processes change the same
 * database; tk_token_sync() brings the cache up to date before every call
 * that looks at objects.
 */
#include <stdlib.h>
#include <string.h>

#include "core/core_internal.h"
#include "util/check.h"
#include "util/log.h"
#include "util/wipe.h"

static tk_store_options
tk_token_store_options(const tk_lib *lib)
{
    tk_store_options opt;

    memset(&opt, 0, sizeof(opt));
    opt.busy_timeout_ms = lib->cfg.busy_timeout_ms;
    return opt;
}

/* The profiles the token claims [PKCS11 3.2 §4.13]: read-only objects
 * that live in memory only, with handles of their own range. */
static CK_RV
tk_token_add_profiles(tk_token *tok)
{
    static const CK_PROFILE_ID ids[] = {CKP_BASELINE_PROVIDER};
    CK_RV rv = CKR_OK;
    tk_object *obj = NULL;

    for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
        TK_GUARD(tk_object_new_profile(ids[i], &obj));
        obj->handle = ((CK_OBJECT_HANDLE)(tok->slot_id + 1) << TK_HANDLE_SLOT_SHIFT) |
                      TK_HANDLE_PROFILE_BIT | (CK_OBJECT_HANDLE)(i + 1);
        obj->store_id = 0;
        TK_GUARD(tk_objset_add(tok->objs, obj));
        obj = NULL;
    }
out:
    tk_object_free(obj);
    return rv;
}

static CK_RV
tk_token_wrap_store(tk_store *st, CK_SLOT_ID slot_id, tk_token **out)
{
    CK_RV rv = CKR_OK;
    tk_token *tok = calloc(1, sizeof(*tok));
    int locks = 0;

    TK_CHECK(tok != NULL, CKR_HOST_MEMORY);
    TK_CHECK(tk_lock_init(&tok->lock) == 0, CKR_CANT_LOCK);
    locks = 1;
    TK_CHECK(tk_lock_init_exclusive(&tok->store_lock) == 0, CKR_CANT_LOCK);
    locks = 2;
    TK_GUARD(tk_store_read_token(st, &tok->rec));
    TK_GUARD(tk_objset_new(&tok->objs));
    tok->st = st;
    tok->slot_id = slot_id;
    tok->write_protected = tk_store_read_only(st);
    TK_GUARD(tk_token_add_profiles(tok));
    tok->login = TK_NOBODY;
    *out = tok;
    tok = NULL;
out:
    if (tok != NULL) {
        if (locks > 1) {
            tk_lock_destroy(&tok->store_lock);
        }
        if (locks > 0) {
            tk_lock_destroy(&tok->lock);
        }
        tk_objset_free(tok->objs);
        tk_wipe(&tok->rec, sizeof(tok->rec));
        free(tok);
    }
    return rv;
}

CK_RV
tk_token_open(tk_lib *lib, const char *path, CK_SLOT_ID slot_id, tk_token **out)
{
    CK_RV rv = CKR_OK;
    tk_store_options opt = tk_token_store_options(lib);
    tk_store *st = NULL;

    TK_GUARD(tk_store_open(path, &opt, &st));
    TK_GUARD(tk_token_wrap_store(st, slot_id, out));
    st = NULL;
    TK_INFO("token opened: %s (slot %lu)", path, (unsigned long)slot_id);
out:
    tk_store_close(st);
    return rv;
}

CK_RV
tk_token_create(tk_lib *lib, const char *path, CK_SLOT_ID slot_id, const tk_token_record *rec,
                tk_token **out)
{
    CK_RV rv = CKR_OK;
    tk_store_options opt = tk_token_store_options(lib);
    tk_store *st = NULL;

    TK_GUARD(tk_store_create(path, &opt, rec, &st));
    TK_GUARD(tk_token_wrap_store(st, slot_id, out));
    st = NULL;
    (*out)->objects_loaded = 1; /* a new token has no objects */
    TK_INFO("token created: %s (slot %lu)", path, (unsigned long)slot_id);
out:
    tk_store_close(st);
    return rv;
}

void
tk_token_free(tk_token *tok, int abandon)
{
    if (tok == NULL) {
        return;
    }
    tk_objset_free(tok->objs);
    if (abandon) {
        /* The parent owns the connection and the locks' state. */
        tk_store_abandon(tok->st);
    } else {
        tk_store_close(tok->st);
        tk_lock_destroy(&tok->store_lock);
        tk_lock_destroy(&tok->lock);
    }
    tk_wipe(tok, sizeof(*tok));
    free(tok);
}

/*
 * A token object's handle is its slot and row, so every reload finds the
 * same one. A private object's handle also carries how many times this
 * process dropped the private objects (logout): handles taken before a
 * C_Logout stay invalid after the next login [PKCS11 3.2 C_Logout]. Seven
 * bits of it, so a handle could come back after 127 logouts; rows past
 * 2^32 (never in practice) go without it.
 */
#define TK_HANDLE_EPOCH_SHIFT 32
#define TK_HANDLE_EPOCH_SPAN 127

CK_OBJECT_HANDLE
tk_token_object_handle(const tk_token *tok, const tk_object *obj)
{
    CK_OBJECT_HANDLE h = ((CK_OBJECT_HANDLE)(tok->slot_id + 1) << TK_HANDLE_SLOT_SHIFT) |
                         (CK_OBJECT_HANDLE)obj->store_id;

    if (obj->is_private && obj->store_id < ((int64_t)1 << TK_HANDLE_EPOCH_SHIFT)) {
        h |= (CK_OBJECT_HANDLE)(tok->private_epoch % TK_HANDLE_EPOCH_SPAN + 1)
             << TK_HANDLE_EPOCH_SHIFT;
    }
    return h;
}

/* One pass over the store's rows (tk_store_each_object callbacks). */
typedef struct {
    tk_token *tok;
    tk_hmap *live; /* row ids still in the store */
    CK_RV err;
} tk_reload;

static int tk_reload_marker;

/* Mark the row live; pass over it when the cache has this generation. */
static int
tk_token_reload_skip(int64_t id, uint64_t gen, int is_private, void *arg)
{
    tk_reload *r = arg;
    const tk_object *have = tk_objset_by_store_id(r->tok->objs, id);

    (void)is_private;
    if (tk_hmap_put(r->live, (uint64_t)id, &tk_reload_marker) != 0) {
        r->err = CKR_HOST_MEMORY;
        return 1;
    }
    return have != NULL && have->store_gen == gen;
}

/* Put a new or changed row into the cache. One unreadable row must not
 * hide the others: it is logged and left out. */
static CK_RV
tk_token_reload_row(const tk_store_object *so, void *arg)
{
    tk_reload *r = arg;
    tk_object *obj = NULL;
    CK_RV rv = tk_object_deserialize(so->blob, so->len, &obj);

    if (rv != CKR_OK) {
        TK_ERROR("token object row %lld unreadable (rv 0x%lx); skipped", (long long)so->id,
                 (unsigned long)rv);
        tk_hmap_del(r->live, (uint64_t)so->id);
        return CKR_OK;
    }
    obj->store_id = so->id;
    obj->handle = tk_token_object_handle(r->tok, obj);
    obj->store_gen = so->gen;
    obj->is_token = CK_TRUE;
    if (tk_objset_by_store_id(r->tok->objs, so->id) != NULL) {
        tk_object_free(tk_objset_replace(r->tok->objs, obj));
        return CKR_OK;
    }
    rv = tk_objset_add(r->tok->objs, obj);
    if (rv != CKR_OK) {
        tk_object_free(obj);
    }
    return rv;
}

typedef struct {
    tk_hmap *live;
    tk_object **doomed;
    size_t n_doomed;
    size_t cap;
} tk_sweep;

/* Collect token objects whose row is gone (or not loadable any more). */
static int
tk_token_sweep_one(tk_object *obj, void *arg)
{
    tk_sweep *sw = arg;

    if (obj->store_id <= 0 || tk_hmap_get(sw->live, (uint64_t)obj->store_id) != NULL) {
        return 0;
    }
    if (sw->n_doomed == sw->cap) {
        size_t ncap = sw->cap ? sw->cap * 2 : 16;
        tk_object **nv = realloc(sw->doomed, ncap * sizeof(*nv));
        if (nv == NULL) {
            return 1;
        }
        sw->doomed = nv;
        sw->cap = ncap;
    }
    sw->doomed[sw->n_doomed++] = obj;
    return 0;
}

static CK_RV
tk_token_sweep_inlock(tk_token *tok, tk_hmap *live)
{
    tk_sweep sw;
    CK_RV rv = CKR_OK;

    memset(&sw, 0, sizeof(sw));
    sw.live = live;
    if (tk_objset_each(tok->objs, tk_token_sweep_one, &sw) != 0) {
        rv = CKR_HOST_MEMORY;
    }
    for (size_t i = 0; i < sw.n_doomed; i++) {
        tk_object_free(tk_objset_remove(tok->objs, sw.doomed[i]->handle));
    }
    free(sw.doomed);
    return rv;
}

CK_RV
tk_token_reload_inlock(tk_lib *lib, tk_token *tok)
{
    CK_RV rv = CKR_OK;
    tk_hmap live;
    tk_reload r;
    int user = tok->have_key && tok->login == CKU_USER;

    (void)lib;
    memset(&live, 0, sizeof(live));
    r.tok = tok;
    r.live = &live;
    r.err = CKR_OK;
    /* Private rows only for the user: the SO holds the key, not the right. */
    tk_lock_write(&tok->store_lock);
    rv = tk_store_read_token(tok->st, &tok->rec);
    if (rv == CKR_OK) {
        rv = tk_store_each_object(tok->st, user ? tok->token_key : NULL, tk_token_reload_skip,
                                  tk_token_reload_row, &r);
    }
    tk_unlock(&tok->store_lock);
    TK_GUARD(rv);
    TK_GUARD(r.err);
    TK_GUARD(tk_token_sweep_inlock(tok, &live));
    tok->objects_loaded = 1;
    tok->private_loaded = user;
out:
    tk_hmap_free(&live);
    return rv;
}

/* The private rows only. Public objects stay as they are: another
 * process's changes to them arrive with the next tk_token_sync, as they
 * would for any call. Logout dropped every private object, so none can be
 * stale here and there is nothing to sweep. */
CK_RV
tk_token_load_private_inlock(tk_lib *lib, tk_token *tok)
{
    CK_RV rv = CKR_OK;
    tk_hmap live;
    tk_reload r;

    if (!tok->objects_loaded || !tok->have_key || tok->login != CKU_USER) {
        return tk_token_reload_inlock(lib, tok);
    }
    memset(&live, 0, sizeof(live));
    r.tok = tok;
    r.live = &live;
    r.err = CKR_OK;
    tk_lock_write(&tok->store_lock);
    rv = tk_store_each_private_object(tok->st, tok->token_key, tk_token_reload_skip,
                                      tk_token_reload_row, &r);
    tk_unlock(&tok->store_lock);
    TK_GUARD(rv);
    TK_GUARD(r.err);
    tok->private_loaded = 1;
out:
    tk_hmap_free(&live);
    return rv;
}

CK_RV
tk_token_sync(tk_lib *lib, tk_token *tok)
{
    CK_RV rv = CKR_OK;
    int changed = 0;

    tk_lock_write(&tok->store_lock);
    rv = tk_store_changed(tok->st, &changed);
    tk_unlock(&tok->store_lock);
    if (rv != CKR_OK) {
        return rv;
    }
    if (!changed && __atomic_load_n(&tok->objects_loaded, __ATOMIC_ACQUIRE)) {
        return CKR_OK;
    }
    tk_lock_write(&tok->lock);
    rv = tk_token_reload_inlock(lib, tok);
    tk_unlock(&tok->lock);
    return rv;
}

typedef struct {
    tk_object **v;
    size_t n;
    size_t cap;
} tk_objlist;

static int
tk_token_collect_private(tk_object *obj, void *arg)
{
    tk_objlist *l = arg;

    /* Private session objects too: a logout destroys them
     * [PKCS11 3.2 C_Logout], their handles never come back. */
    if (!obj->is_private) {
        return 0;
    }
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 16;
        tk_object **nv = realloc(l->v, ncap * sizeof(*nv));
        if (nv == NULL) {
            return 1;
        }
        l->v = nv;
        l->cap = ncap;
    }
    l->v[l->n++] = obj;
    return 0;
}

void
tk_token_forget_private_inlock(tk_token *tok)
{
    tk_objlist l;

    memset(&l, 0, sizeof(l));
    tk_objset_each(tok->objs, tk_token_collect_private, &l);
    for (size_t i = 0; i < l.n; i++) {
        tk_object_free(tk_objset_remove(tok->objs, l.v[i]->handle));
    }
    free(l.v);
    tk_wipe(tok->token_key, sizeof(tok->token_key));
    tok->have_key = 0;
    tok->private_epoch++;
    tok->private_loaded = 0;
    tok->login = TK_NOBODY;
}

CK_RV
tk_token_refresh_record_inlock(tk_token *tok)
{
    CK_RV rv;

    tk_lock_write(&tok->store_lock);
    rv = tk_store_read_token(tok->st, &tok->rec);
    tk_unlock(&tok->store_lock);
    return rv;
}

static CK_FLAGS
tk_token_pin_flags(uint32_t failures, uint32_t max, CK_FLAGS low, CK_FLAGS final,
                   CK_FLAGS locked)
{
    if (failures >= max) {
        return locked;
    }
    if (failures + 1 == max) {
        return final | (failures > 0 ? low : 0);
    }
    return failures > 0 ? low : 0;
}

CK_FLAGS
tk_token_flags_inlock(const tk_lib *lib, const tk_token *tok)
{
    uint32_t max = lib->cfg.max_pin_attempts;
    CK_FLAGS f = CKF_RNG | CKF_LOGIN_REQUIRED | CKF_TOKEN_INITIALIZED;

    if (tok->write_protected) {
        f |= CKF_WRITE_PROTECTED;
    }
    if (tok->rec.user_pin.present) {
        f |= CKF_USER_PIN_INITIALIZED;
    }
    f |= tk_token_pin_flags(tok->rec.user_failures, max, CKF_USER_PIN_COUNT_LOW,
                            CKF_USER_PIN_FINAL_TRY, CKF_USER_PIN_LOCKED);
    f |= tk_token_pin_flags(tok->rec.so_failures, max, CKF_SO_PIN_COUNT_LOW,
                            CKF_SO_PIN_FINAL_TRY, CKF_SO_PIN_LOCKED);
    return f;
}
