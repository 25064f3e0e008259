/*
 * C_SetAttributeValue and C_CopyObject rules [PKCS11 3.2 §4.1.2, §5.7];
 * see object.h. Both check every entry before changing anything.
 */
#include <string.h>

#include "object/object.h"
#include "object/object_internal.h"
#include "util/check.h"

typedef enum { TK_CHANGE_SET, TK_CHANGE_COPY } tk_change_mode;

/* What C_CopyObject may change besides the modifiable attributes. */
static CK_RV
tk_change_copy_only(const tk_object *obj, const CK_ATTRIBUTE *a)
{
    const uint8_t *v = a->pValue;

    switch (a->type) {
    case CKA_TOKEN:
    case CKA_PRIVATE:
    case CKA_DESTROYABLE:
        return CKR_OK;
    case CKA_MODIFIABLE:
        /* A copy may be locked, never unlocked. */
        if (v[0] == CK_TRUE && !tk_attrs_bool(&obj->attrs, CKA_MODIFIABLE, CK_TRUE)) {
            return CKR_ATTRIBUTE_READ_ONLY;
        }
        return CKR_OK;
    default:
        return CKR_ATTRIBUTE_READ_ONLY;
    }
}

/* One-way booleans and the SO's CKA_TRUSTED. */
static CK_RV
tk_change_bool_rules(const tk_object *obj, const tk_attr_rule *r, const CK_ATTRIBUTE *a,
                     const tk_obj_ctx *ctx)
{
    CK_BBOOL want = ((const CK_BBOOL *)a->pValue)[0];
    CK_BBOOL now = tk_attrs_bool(&obj->attrs, a->type, CK_FALSE);

    if ((r->flags & TK_RF_TO_TRUE) != 0 && now == CK_TRUE && want == CK_FALSE) {
        return CKR_ATTRIBUTE_READ_ONLY;
    }
    if ((r->flags & TK_RF_TO_FALSE) != 0 && now == CK_FALSE && want == CK_TRUE) {
        return CKR_ATTRIBUTE_READ_ONLY;
    }
    if ((r->flags & TK_RF_SO) != 0 && want == CK_TRUE && ctx->user != CKU_SO) {
        return CKR_ATTRIBUTE_READ_ONLY;
    }
    return CKR_OK;
}

static CK_RV
tk_change_check_one(const tk_object *obj, const CK_ATTRIBUTE *a, const tk_obj_ctx *ctx,
                    tk_change_mode mode)
{
    CK_RV rv = CKR_OK;
    uint32_t cb = 0;
    uint32_t fam = 0;
    const tk_attr_rule *r;
    const tk_attr *cur = tk_attrs_find(&obj->attrs, a->type);

    tk_rule_object_where(obj, &cb, &fam);
    r = tk_rule_find(a->type, cb, fam);
    TK_CHECK(r != NULL, tk_rule_missing_rv(a->type));
    TK_CHECK((r->flags & TK_RF_NOINPUT) == 0, CKR_ATTRIBUTE_TYPE_INVALID);
    TK_GUARD(tk_rule_check_value(r->kind, a->pValue, a->ulValueLen));
    if ((r->flags & TK_RF_IGNORED) != 0) {
        goto out;
    }
    if ((r->flags & TK_RF_MOD) == 0) {
        /* A copy template may repeat a fixed attribute's own value. */
        if (mode == TK_CHANGE_COPY && cur != NULL && !tk_rule_is_hidden(obj, a->type) &&
            tk_attr_equals(cur, a)) {
            goto out;
        }
        TK_CHECK(mode == TK_CHANGE_COPY, CKR_ATTRIBUTE_READ_ONLY);
        TK_GUARD(tk_change_copy_only(obj, a));
        goto out;
    }
    if (r->kind == TK_KIND_BOOL) {
        TK_GUARD(tk_change_bool_rules(obj, r, a, ctx));
    }
out:
    return rv;
}

static CK_RV
tk_change_check(const tk_object *obj, const CK_ATTRIBUTE *tmpl, CK_ULONG count,
                const tk_obj_ctx *ctx, tk_change_mode mode)
{
    CK_RV rv = CKR_OK;

    for (CK_ULONG i = 0; i < count; i++) {
        TK_GUARD(tk_change_check_one(obj, &tmpl[i], ctx, mode));
    }
out:
    return rv;
}

/* Apply tmpl (already checked) to a deep copy of obj's attributes; *dst is
 * the result. All or nothing. */
static CK_RV
tk_change_apply(const tk_object *obj, const CK_ATTRIBUTE *tmpl, CK_ULONG count, tk_attrs *dst)
{
    CK_RV rv = CKR_OK;
    uint32_t cb = 0;
    uint32_t fam = 0;

    tk_rule_object_where(obj, &cb, &fam);
    TK_GUARD(tk_attrs_copy(dst, &obj->attrs));
    for (CK_ULONG i = 0; i < count; i++) {
        const tk_attr_rule *r = tk_rule_find(tmpl[i].type, cb, fam);
        if (r != NULL && (r->flags & TK_RF_IGNORED) != 0) {
            continue;
        }
        TK_GUARD(tk_attrs_set(dst, tmpl[i].type, tmpl[i].pValue, tmpl[i].ulValueLen));
    }
out:
    if (rv != CKR_OK) {
        tk_attrs_clear(dst);
    }
    return rv;
}

/* See object.h. */
CK_RV
tk_object_set_attributes(tk_object *obj, const CK_ATTRIBUTE *tmpl, CK_ULONG count,
                         const tk_obj_ctx *ctx)
{
    CK_RV rv = CKR_OK;
    tk_attrs next = { 0 };

    TK_CHECK(obj != NULL && ctx != NULL && (tmpl != NULL || count == 0), CKR_ARGUMENTS_BAD);
    TK_CHECK(tk_attrs_bool(&obj->attrs, CKA_MODIFIABLE, CK_TRUE), CKR_ACTION_PROHIBITED);
    /* Trusted certificates cannot be modified [PKCS11 3.2 §4.6.2]. */
    TK_CHECK(obj->cls != CKO_CERTIFICATE || !tk_attrs_bool(&obj->attrs, CKA_TRUSTED, CK_FALSE),
             CKR_ACTION_PROHIBITED);
    TK_GUARD(tk_change_check(obj, tmpl, count, ctx, TK_CHANGE_SET));
    TK_GUARD(tk_change_apply(obj, tmpl, count, &next));
    tk_attrs_clear(&obj->attrs);
    obj->attrs = next;
    memset(&next, 0, sizeof(next));
    tk_object_cache(obj);
out:
    return rv;
}

/* See object.h. The copy keeps LOCAL, ALWAYS_SENSITIVE, NEVER_EXTRACTABLE
 * and KEY_GEN_MECHANISM of src [PKCS11 3.2 §5.7.3]; it gets its own
 * CKA_UNIQUE_ID. handle, owner and store fields are left 0 for core. */
CK_RV
tk_object_copy(const tk_object *src, const CK_ATTRIBUTE *tmpl, CK_ULONG count,
               const tk_obj_ctx *ctx, tk_object **out)
{
    CK_RV rv = CKR_OK;
    tk_object *obj = NULL;

    TK_CHECK(src != NULL && ctx != NULL && out != NULL && (tmpl != NULL || count == 0),
             CKR_ARGUMENTS_BAD);
    TK_CHECK(tk_attrs_bool(&src->attrs, CKA_COPYABLE, CK_TRUE), CKR_ACTION_PROHIBITED);
    TK_GUARD(tk_change_check(src, tmpl, count, ctx, TK_CHANGE_COPY));
    TK_GUARD(tk_object_alloc(&obj));
    TK_GUARD(tk_change_apply(src, tmpl, count, &obj->attrs));
    TK_GUARD(tk_object_check_consistent(obj));
    TK_GUARD(tk_object_new_unique_id(&obj->attrs));
    tk_object_cache(obj);
    *out = obj;
    obj = NULL;
out:
    tk_object_free(obj);
    return rv;
}
