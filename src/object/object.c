/* Object lifetime, reading attributes and matching; see object.h. */
#include <stdlib.h>
#include <string.h>

#include "object/object.h"
#include "mech/mech.h"
#include "object/object_internal.h"
#include "util/check.h"

/* See object_internal.h. */
CK_RV
tk_object_alloc(tk_object **out)
{
    tk_object *obj = calloc(1, sizeof(*obj));

    if (obj == NULL) {
        return CKR_HOST_MEMORY;
    }
    *out = obj;
    return CKR_OK;
}

/* See object_internal.h. */
void
tk_object_cache(tk_object *obj)
{
    obj->cls = tk_attrs_ulong(&obj->attrs, CKA_CLASS, CKO_DATA);
    obj->is_token = tk_attrs_bool(&obj->attrs, CKA_TOKEN, CK_FALSE);
    obj->is_private = tk_attrs_bool(&obj->attrs, CKA_PRIVATE, CK_FALSE);
}

/* See object.h. */
void
tk_object_free(tk_object *obj)
{
    if (obj == NULL) {
        return;
    }
    tk_key_cache_release(obj->mech_cache);
    tk_attrs_clear(&obj->attrs);
    free(obj);
}

/* See object.h. */
CK_BBOOL
tk_object_bool(const tk_object *obj, CK_ATTRIBUTE_TYPE type, CK_BBOOL dflt)
{
    return tk_attrs_bool(&obj->attrs, type, dflt);
}

/* See object.h. */
CK_ULONG
tk_object_ulong(const tk_object *obj, CK_ATTRIBUTE_TYPE type, CK_ULONG dflt)
{
    return tk_attrs_ulong(&obj->attrs, type, dflt);
}

static CK_ULONG
tk_attrs_size(const tk_attrs *list)
{
    CK_ULONG size = 0;

    for (size_t i = 0; i < list->n; i++) {
        /* type and length as the store keeps them, then the value */
        size += 16;
        size += list->v[i].nested != NULL ? tk_attrs_size(list->v[i].nested) : list->v[i].len;
    }
    return size;
}

/* See object.h. */
CK_ULONG
tk_object_size(const tk_object *obj)
{
    return 16 + tk_attrs_size(&obj->attrs);
}

/* Outcome of one template entry; the worst decides the return code. */
typedef enum {
    TK_GET_OK = 0,
    TK_GET_SMALL = 1,
    TK_GET_INVALID = 2,
    TK_GET_SENSITIVE = 3
} tk_get_result;

/* One entry of a nested template [PKCS11 3.2 §5.7.5]. */
static tk_get_result
tk_get_plain(const tk_attr *a, CK_ATTRIBUTE *t)
{
    if (t->pValue == NULL) {
        t->ulValueLen = a->len;
        return TK_GET_OK;
    }
    if (t->ulValueLen < a->len) {
        t->ulValueLen = CK_UNAVAILABLE_INFORMATION;
        return TK_GET_SMALL;
    }
    if (a->len > 0) {
        memcpy(t->pValue, a->value, a->len);
    }
    t->ulValueLen = a->len;
    return TK_GET_OK;
}

/* An array attribute: the outer length, then each member as the caller's
 * array asks; member types are written, never read. */
static tk_get_result
tk_get_nested(const tk_attr *a, CK_ATTRIBUTE *t)
{
    CK_ATTRIBUTE *inner = t->pValue;
    tk_get_result res = TK_GET_OK;

    if (t->pValue == NULL) {
        t->ulValueLen = a->len;
        return TK_GET_OK;
    }
    if (t->ulValueLen < a->len) {
        t->ulValueLen = CK_UNAVAILABLE_INFORMATION;
        return TK_GET_SMALL;
    }
    for (size_t i = 0; i < a->nested->n; i++) {
        inner[i].type = a->nested->v[i].type;
        if (tk_get_plain(&a->nested->v[i], &inner[i]) != TK_GET_OK) {
            res = TK_GET_SMALL;
        }
    }
    t->ulValueLen = a->len;
    return res;
}

static tk_get_result
tk_get_one(const tk_object *obj, CK_ATTRIBUTE *t)
{
    const tk_attr *a;

    if (tk_rule_is_hidden(obj, t->type)) {
        t->ulValueLen = CK_UNAVAILABLE_INFORMATION;
        return TK_GET_SENSITIVE;
    }
    a = tk_attrs_find(&obj->attrs, t->type);
    if (a == NULL) {
        t->ulValueLen = CK_UNAVAILABLE_INFORMATION;
        return TK_GET_INVALID;
    }
    return a->nested != NULL ? tk_get_nested(a, t) : tk_get_plain(a, t);
}

/*
 * See object.h. When several entries fail, the spec lets us return any of
 * their codes; we report the first that applies of SENSITIVE, TYPE_INVALID,
 * BUFFER_TOO_SMALL, in the order [PKCS11 3.2 §5.7.5] lists them.
 */
CK_RV
tk_object_get_attributes(const tk_object *obj, CK_ATTRIBUTE *tmpl, CK_ULONG count)
{
    static const CK_RV codes[] = { CKR_OK, CKR_BUFFER_TOO_SMALL, CKR_ATTRIBUTE_TYPE_INVALID,
                                   CKR_ATTRIBUTE_SENSITIVE };
    tk_get_result worst = TK_GET_OK;

    if (obj == NULL || (tmpl == NULL && count > 0)) {
        return CKR_ARGUMENTS_BAD;
    }
    for (CK_ULONG i = 0; i < count; i++) {
        tk_get_result r = tk_get_one(obj, &tmpl[i]);
        if (r > worst) {
            worst = r;
        }
    }
    return codes[worst];
}

/* See object.h. A hidden secret never matches, so a search cannot serve
 * as an oracle for a sensitive key's value. */
int
tk_object_matches(const tk_object *obj, const CK_ATTRIBUTE *tmpl, CK_ULONG count)
{
    for (CK_ULONG i = 0; i < count; i++) {
        const tk_attr *a;
        /* Decided before any comparison, so its timing says nothing. */
        if (tk_rule_is_hidden(obj, tmpl[i].type)) {
            return 0;
        }
        a = tk_attrs_find(&obj->attrs, tmpl[i].type);
        if (a == NULL || !tk_attr_equals(a, &tmpl[i])) {
            return 0;
        }
    }
    return 1;
}

/* See object.h. */
CK_RV
tk_object_new_profile(CK_PROFILE_ID id, tk_object **out)
{
    CK_RV rv = CKR_OK;
    CK_OBJECT_CLASS cls = CKO_PROFILE;
    CK_BBOOL yes = CK_TRUE;
    CK_BBOOL no = CK_FALSE;
    CK_ATTRIBUTE t[] = {
        { CKA_CLASS, &cls, sizeof(cls) },      { CKA_PROFILE_ID, &id, sizeof(id) },
        { CKA_TOKEN, &yes, sizeof(yes) },      { CKA_PRIVATE, &no, sizeof(no) },
        { CKA_MODIFIABLE, &no, sizeof(no) },   { CKA_COPYABLE, &no, sizeof(no) },
        { CKA_DESTROYABLE, &no, sizeof(no) },
    };
    tk_obj_ctx ctx = { .origin = TK_ORIGIN_STORE,
                       .user = (CK_USER_TYPE)-1,
                       .mech = CK_UNAVAILABLE_INFORMATION };

    TK_GUARD(tk_object_create(t, sizeof(t) / sizeof(t[0]), NULL, &ctx, out));
out:
    return rv;
}
