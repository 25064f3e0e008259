/*
 * Key management: C_GenerateKey, C_GenerateKeyPair, C_WrapKey,
 * C_UnwrapKey, C_DeriveKey, C_EncapsulateKey and C_DecapsulateKey.
 *
 * The mechanism layer computes key values; the object layer applies the
 * attribute rules to the caller's template plus those values; this file
 * enforces what links keys to each other: usage attributes, wrap and
 * unwrap templates, CKA_WRAP_WITH_TRUSTED and extractability.
 */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "core/core_internal.h"
#include "util/check.h"
#include "util/log.h"

/* Deep copy of the caller's template: values stay valid after locks are
 * dropped and may be extended with a key's template attributes. */
static CK_RV
tk_keys_copy_template(const CK_ATTRIBUTE *tmpl, CK_ULONG n, tk_mech_attrs *out)
{
    CK_RV rv = CKR_OK;

    for (CK_ULONG i = 0; i < n; i++) {
        /* A length without a value is the caller's error, found before any
         * byte is copied. */
        TK_CHECK(tmpl[i].pValue != NULL || tmpl[i].ulValueLen == 0,
                 CKR_ATTRIBUTE_VALUE_INVALID);
        TK_GUARD(tk_mech_attrs_add(out, tmpl[i].type, tmpl[i].pValue, tmpl[i].ulValueLen));
    }
out:
    return rv;
}

/*
 * Add the attributes of a key's CKA_UNWRAP_TEMPLATE / CKA_DERIVE_TEMPLATE
 * (or the encapsulation ones) to the template: a given attribute must
 * agree (CKR_TEMPLATE_INCONSISTENT), a missing one is added.
 */
static CK_RV
tk_keys_merge_template(const tk_object *key, CK_ATTRIBUTE_TYPE which, tk_mech_attrs *tmpl)
{
    CK_RV rv = CKR_OK;
    const tk_attr *t = tk_attrs_find(&key->attrs, which);

    if (t == NULL || t->nested == NULL) {
        return CKR_OK;
    }
    for (size_t i = 0; i < t->nested->n; i++) {
        const tk_attr *want = &t->nested->v[i];
        const CK_ATTRIBUTE *have = tk_tmpl_find(tmpl->v, tmpl->n, want->type);
        if (have == NULL) {
            TK_GUARD(tk_mech_attrs_add(tmpl, want->type, want->value, want->len));
        } else if (have->ulValueLen != want->len ||
                   (want->len > 0 && memcmp(have->pValue, want->value, want->len) != 0)) {
            rv = CKR_TEMPLATE_INCONSISTENT;
            goto out;
        }
    }
out:
    return rv;
}

/* A data object has no CKA_VALUE_LEN: a derivation that makes one
 * (CKM_HKDF_DATA) reads the wanted length from the template, then the
 * attribute leaves the template before the object is built. */
static CK_RV
tk_keys_drop_data_len(tk_mech_attrs *t)
{
    CK_ULONG cls = tk_tmpl_ulong(t->v, t->n, CKA_CLASS, CK_UNAVAILABLE_INFORMATION);

    if (cls != CKO_DATA) {
        return CKR_OK;
    }
    for (CK_ULONG i = 0; i < t->n; i++) {
        if (t->v[i].type == CKA_VALUE_LEN) {
            free(t->v[i].pValue);
            t->v[i] = t->v[t->n - 1];
            t->n--;
            break;
        }
    }
    return CKR_OK;
}

/* Make the token's values into the object layer's list. */
static CK_RV
tk_keys_extra(const tk_mech_attrs *vals, tk_attrs *extra)
{
    CK_RV rv = CKR_OK;

    for (CK_ULONG i = 0; i < vals->n; i++) {
        TK_GUARD(tk_attrs_set(extra, vals->v[i].type, vals->v[i].pValue, vals->v[i].ulValueLen));
    }
out:
    return rv;
}

/* Class and key type: the template may name them, and must agree. */
static CK_RV
tk_keys_class_and_type(tk_mech_attrs *tmpl, CK_OBJECT_CLASS cls, CK_KEY_TYPE type)
{
    CK_RV rv = CKR_OK;
    const CK_ATTRIBUTE *a = tk_tmpl_find(tmpl->v, tmpl->n, CKA_CLASS);

    if (a == NULL) {
        TK_GUARD(tk_mech_attrs_add(tmpl, CKA_CLASS, &cls, sizeof(cls)));
    } else {
        TK_CHECK(a->ulValueLen == sizeof(cls) && memcmp(a->pValue, &cls, sizeof(cls)) == 0,
                 CKR_TEMPLATE_INCONSISTENT);
    }
    a = tk_tmpl_find(tmpl->v, tmpl->n, CKA_KEY_TYPE);
    if (a == NULL) {
        TK_GUARD(tk_mech_attrs_add(tmpl, CKA_KEY_TYPE, &type, sizeof(type)));
    } else {
        TK_CHECK(a->ulValueLen == sizeof(type) && memcmp(a->pValue, &type, sizeof(type)) == 0,
                 CKR_TEMPLATE_INCONSISTENT);
    }
out:
    return rv;
}

/* Build and insert a key object from a template and the token's values.
 * The values in vals that the template also names win: they are facts. */
static CK_RV
tk_keys_make(tk_lib *lib, tk_session *s, const tk_mech_attrs *tmpl, const tk_mech_attrs *vals,
             const tk_obj_ctx *ctx, CK_OBJECT_HANDLE *out)
{
    CK_RV rv = CKR_OK;
    tk_attrs extra;
    tk_object *obj = NULL;

    memset(&extra, 0, sizeof(extra));
    TK_GUARD(tk_keys_extra(vals, &extra));
    TK_GUARD(tk_object_create(tmpl->v, tmpl->n, &extra, ctx, &obj));
    rv = tk_objects_insert(lib, s, obj, out);
out:
    tk_attrs_clear(&extra);
    return rv;
}

static tk_obj_ctx
tk_keys_ctx(tk_session *s, tk_origin origin, CK_MECHANISM_TYPE mech)
{
    tk_obj_ctx ctx;

    memset(&ctx, 0, sizeof(ctx));
    ctx.origin = origin;
    ctx.user = s->token->login;
    ctx.mech = mech;
    ctx.base_sensitive = CK_TRUE;
    ctx.base_never_extractable = CK_TRUE;
    return ctx;
}

CK_RV
tk_core_generate_key(CK_SESSION_HANDLE h, const CK_MECHANISM *m, const CK_ATTRIBUTE *tmpl,
                     CK_ULONG n, CK_OBJECT_HANDLE *key)
{
    CK_RV rv = CKR_OK;
    tk_lib *lib;
    tk_session *s;
    tk_mech_attrs t = {0};
    tk_mech_attrs vals = {0};
    CK_KEY_TYPE type = CK_UNAVAILABLE_INFORMATION;
    tk_obj_ctx ctx;

    TK_GUARD(tk_call_enter(h, 1, &lib, &s));
    TK_GUARD(tk_mech_generate_key(m, tmpl, n, &type, &vals));
    TK_GUARD(tk_keys_copy_template(tmpl, n, &t));
    TK_GUARD(tk_keys_class_and_type(&t, CKO_SECRET_KEY, type));
    ctx = tk_keys_ctx(s, TK_ORIGIN_GENERATE, m->mechanism);
    TK_GUARD(tk_keys_make(lib, s, &t, &vals, &ctx, key));
out:
    tk_mech_attrs_clear(&t);
    tk_mech_attrs_clear(&vals);
    tk_call_leave(lib, s);
    return rv;
}

CK_RV
tk_core_generate_key_pair(CK_SESSION_HANDLE h, const CK_MECHANISM *m,
                          const CK_ATTRIBUTE *pub_tmpl, CK_ULONG n_pub,
                          const CK_ATTRIBUTE *priv_tmpl, CK_ULONG n_priv,
                          CK_OBJECT_HANDLE *pub, CK_OBJECT_HANDLE *priv)
{
    CK_RV rv = CKR_OK;
    tk_lib *lib;
    tk_session *s;
    tk_mech_attrs tpub = {0};
    tk_mech_attrs tpriv = {0};
    tk_mech_attrs vpub = {0};
    tk_mech_attrs vpriv = {0};
    CK_KEY_TYPE type = CK_UNAVAILABLE_INFORMATION;
    tk_obj_ctx ctx;
    CK_OBJECT_HANDLE hpub = CK_INVALID_HANDLE;

    TK_GUARD(tk_call_enter(h, 1, &lib, &s));
    TK_GUARD(tk_mech_generate_key_pair(m, pub_tmpl, n_pub, priv_tmpl, n_priv, &type, &vpub,
                                       &vpriv));
    TK_GUARD(tk_keys_copy_template(pub_tmpl, n_pub, &tpub));
    TK_GUARD(tk_keys_copy_template(priv_tmpl, n_priv, &tpriv));
    TK_GUARD(tk_keys_class_and_type(&tpub, CKO_PUBLIC_KEY, type));
    TK_GUARD(tk_keys_class_and_type(&tpriv, CKO_PRIVATE_KEY, type));
    ctx = tk_keys_ctx(s, TK_ORIGIN_GENERATE, m->mechanism);
    TK_GUARD(tk_keys_make(lib, s, &tpub, &vpub, &ctx, &hpub));
    rv = tk_keys_make(lib, s, &tpriv, &vpriv, &ctx, priv);
    if (rv != CKR_OK) {
        /* Both or neither: take the public half back, outside our locks. */
        tk_session_put(s);
        s = NULL;
        tk_lib_leave();
        lib = NULL;
        tk_core_destroy_object(h, hpub);
        goto out;
    }
    *pub = hpub;
out:
    tk_mech_attrs_clear(&tpub);
    tk_mech_attrs_clear(&tpriv);
    tk_mech_attrs_clear(&vpub);
    tk_mech_attrs_clear(&vpriv);
    tk_call_leave(lib, s);
    return rv;
}

/* May wrapping wrap key? [PKCS11 3.2 §5.18] */
static CK_RV
tk_keys_check_wrappable(const tk_session *s, const tk_object *wrapping, const tk_object *key)
{
    const tk_attr *t = tk_attrs_find(&wrapping->attrs, CKA_WRAP_TEMPLATE);

    if (!tk_object_visible_inlock(s, key) || key->cls == CKO_DATA) {
        return CKR_KEY_HANDLE_INVALID;
    }
    if (!tk_object_bool(key, CKA_EXTRACTABLE, CK_FALSE)) {
        return CKR_KEY_UNEXTRACTABLE;
    }
    if (tk_object_bool(key, CKA_WRAP_WITH_TRUSTED, CK_FALSE) &&
        !tk_object_bool(wrapping, CKA_TRUSTED, CK_FALSE)) {
        return CKR_KEY_NOT_WRAPPABLE;
    }
    if (t != NULL && t->nested != NULL) {
        for (size_t i = 0; i < t->nested->n; i++) {
            const tk_attr *w = &t->nested->v[i];
            CK_ATTRIBUTE want = {w->type, w->value, w->len};
            if (!tk_object_matches(key, &want, 1)) {
                /* As [PKCS11 3.2 §5.18] requires for a template mismatch. */
                return CKR_KEY_HANDLE_INVALID;
            }
        }
    }
    return CKR_OK;
}

CK_RV
tk_core_wrap_key(CK_SESSION_HANDLE h, const CK_MECHANISM *m, CK_OBJECT_HANDLE wrapping,
                 CK_OBJECT_HANDLE key, CK_BYTE *out, CK_ULONG *out_len)
{
    CK_RV rv = CKR_OK;
    tk_lib *lib;
    tk_session *s;
    const tk_object *wobj = NULL;
    const tk_object *kobj;
    tk_keyview wv = {0};
    tk_keyview kv = {0};
    int locked = 0;

    TK_GUARD(tk_call_enter(h, 1, &lib, &s));
    tk_lock_read(&s->token->lock);
    locked = 1;
    rv = tk_crypto_key_inlock(s, wrapping, CKA_WRAP, m->mechanism, &wobj);
    TK_CHECK(rv != CKR_KEY_HANDLE_INVALID, CKR_WRAPPING_KEY_HANDLE_INVALID);
    TK_GUARD(rv);
    kobj = tk_objset_get(s->token->objs, key);
    TK_CHECK(kobj != NULL, CKR_KEY_HANDLE_INVALID);
    TK_GUARD(tk_keys_check_wrappable(s, wobj, kobj));
    TK_GUARD(tk_keyview_make(wobj, &wv));
    TK_GUARD(tk_keyview_make(kobj, &kv));
    rv = tk_mech_wrap(m, &wv.key, &kv.key, out, out_len);
out:
    if (locked) {
        tk_unlock(&s->token->lock);
    }
    tk_keyview_clear(&wv);
    tk_keyview_clear(&kv);
    tk_call_leave(lib, s);
    return rv;
}

/*
 * The common shape of unwrap, derive and decapsulate: a base key used for
 * `usage`, the caller's template merged with the base key's `tmpl_attr`,
 * values from `produce`, and a new object.
 */
typedef CK_RV (*tk_keys_produce)(const CK_MECHANISM *m, const tk_key *base,
                                 const tk_mech_attrs *tmpl, void *arg, tk_mech_attrs *vals);

static CK_RV
tk_keys_from_base(CK_SESSION_HANDLE h, const CK_MECHANISM *m, CK_OBJECT_HANDLE baseh,
                  CK_ATTRIBUTE_TYPE usage, CK_RV bad_handle, CK_ATTRIBUTE_TYPE tmpl_attr,
                  tk_origin origin, const CK_ATTRIBUTE *tmpl, CK_ULONG n, tk_keys_produce produce,
                  void *arg, CK_OBJECT_HANDLE *key)
{
    CK_RV rv = CKR_OK;
    tk_lib *lib;
    tk_session *s;
    const tk_object *base = NULL;
    tk_keyview bv = {0};
    tk_mech_attrs t = {0};
    tk_mech_attrs vals = {0};
    tk_obj_ctx ctx;
    int locked = 0;

    TK_GUARD(tk_call_enter(h, 1, &lib, &s));
    ctx = tk_keys_ctx(s, origin, m->mechanism);
    TK_GUARD(tk_keys_copy_template(tmpl, n, &t));
    tk_lock_read(&s->token->lock);
    locked = 1;
    rv = tk_crypto_key_inlock(s, baseh, usage, m->mechanism, &base);
    TK_CHECK(rv != CKR_KEY_HANDLE_INVALID, bad_handle);
    TK_GUARD(rv);
    TK_GUARD(tk_keys_merge_template(base, tmpl_attr, &t));
    TK_GUARD(tk_keyview_make(base, &bv));
    ctx.base_sensitive = tk_object_bool(base, CKA_ALWAYS_SENSITIVE, CK_FALSE);
    ctx.base_never_extractable = tk_object_bool(base, CKA_NEVER_EXTRACTABLE, CK_FALSE);
    rv = produce(m, &bv.key, &t, arg, &vals);
    tk_unlock(&s->token->lock);
    locked = 0;
    TK_GUARD(rv);
    TK_GUARD(tk_keys_drop_data_len(&t));
    if (key != NULL) {
        TK_GUARD(tk_keys_make(lib, s, &t, &vals, &ctx, key));
    }
out:
    if (locked) {
        tk_unlock(&s->token->lock);
    }
    tk_keyview_clear(&bv);
    tk_mech_attrs_clear(&t);
    tk_mech_attrs_clear(&vals);
    tk_call_leave(lib, s);
    return rv;
}

typedef struct {
    const CK_BYTE *in;
    CK_ULONG in_len;
    CK_BYTE *out;
    CK_ULONG *out_len;
} tk_keys_io;

static CK_RV
tk_keys_do_unwrap(const CK_MECHANISM *m, const tk_key *base, const tk_mech_attrs *tmpl,
                  void *arg, tk_mech_attrs *vals)
{
    tk_keys_io *io = arg;

    return tk_mech_unwrap(m, base, io->in, io->in_len, tmpl->v, tmpl->n, vals);
}

static CK_RV
tk_keys_do_derive(const CK_MECHANISM *m, const tk_key *base, const tk_mech_attrs *tmpl,
                  void *arg, tk_mech_attrs *vals)
{
    (void)arg;
    return tk_mech_derive(m, base, tmpl->v, tmpl->n, vals);
}

static CK_RV
tk_keys_do_decapsulate(const CK_MECHANISM *m, const tk_key *base, const tk_mech_attrs *tmpl,
                       void *arg, tk_mech_attrs *vals)
{
    tk_keys_io *io = arg;

    return tk_mech_decapsulate(m, base, tmpl->v, tmpl->n, io->in, io->in_len, vals);
}

static CK_RV
tk_keys_do_encapsulate(const CK_MECHANISM *m, const tk_key *base, const tk_mech_attrs *tmpl,
                       void *arg, tk_mech_attrs *vals)
{
    tk_keys_io *io = arg;

    return tk_mech_encapsulate(m, base, tmpl->v, tmpl->n, io->out, io->out_len, vals);
}

CK_RV
tk_core_unwrap_key(CK_SESSION_HANDLE h, const CK_MECHANISM *m, CK_OBJECT_HANDLE unwrapping,
                   const CK_BYTE *in, CK_ULONG in_len, const CK_ATTRIBUTE *tmpl, CK_ULONG n,
                   CK_OBJECT_HANDLE *key)
{
    tk_keys_io io = {.in = in, .in_len = in_len};

    return tk_keys_from_base(h, m, unwrapping, CKA_UNWRAP, CKR_UNWRAPPING_KEY_HANDLE_INVALID,
                             CKA_UNWRAP_TEMPLATE, TK_ORIGIN_UNWRAP, tmpl, n, tk_keys_do_unwrap,
                             &io, key);
}

CK_RV
tk_core_derive_key(CK_SESSION_HANDLE h, const CK_MECHANISM *m, CK_OBJECT_HANDLE base,
                   const CK_ATTRIBUTE *tmpl, CK_ULONG n, CK_OBJECT_HANDLE *key)
{
    return tk_keys_from_base(h, m, base, CKA_DERIVE, CKR_KEY_HANDLE_INVALID,
                             CKA_DERIVE_TEMPLATE, TK_ORIGIN_DERIVE, tmpl, n, tk_keys_do_derive,
                             NULL, key);
}

CK_RV
tk_core_decapsulate_key(CK_SESSION_HANDLE h, const CK_MECHANISM *m, CK_OBJECT_HANDLE priv,
                        const CK_ATTRIBUTE *tmpl, CK_ULONG n, const CK_BYTE *ct,
                        CK_ULONG ct_len, CK_OBJECT_HANDLE *key)
{
    tk_keys_io io = {.in = ct, .in_len = ct_len};

    return tk_keys_from_base(h, m, priv, CKA_DECAPSULATE, CKR_KEY_HANDLE_INVALID,
                             CKA_DECAPSULATE_TEMPLATE, TK_ORIGIN_ENCAPSULATE, tmpl, n,
                             tk_keys_do_decapsulate, &io, key);
}

CK_RV
tk_core_encapsulate_key(CK_SESSION_HANDLE h, const CK_MECHANISM *m, CK_OBJECT_HANDLE pub,
                        const CK_ATTRIBUTE *tmpl, CK_ULONG n, CK_BYTE *ct, CK_ULONG *ct_len,
                        CK_OBJECT_HANDLE *key)
{
    tk_keys_io io = {.out = ct, .out_len = ct_len};

    /* A length query (ct NULL) makes no object [PKCS11 3.2 §5.2]. */
    return tk_keys_from_base(h, m, pub, CKA_ENCAPSULATE, CKR_KEY_HANDLE_INVALID,
                             CKA_ENCAPSULATE_TEMPLATE, TK_ORIGIN_ENCAPSULATE, tmpl, n,
                             tk_keys_do_encapsulate, &io, ct != NULL ? key : NULL);
}
