/* Sorted attribute lists; see object.h and object_internal.h. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "object/object.h"
#include "object/object_internal.h"
#include "util/check.h"
#include "util/wipe.h"

/* See object_internal.h. */
int
tk_attr_is_template(CK_ATTRIBUTE_TYPE type)
{
    /* CKA_ALLOWED_MECHANISMS carries the array flag too, but its members
     * are mechanism types, not attributes. */
    return (type & CKF_ARRAY_ATTRIBUTE) != 0 && type != CKA_ALLOWED_MECHANISMS;
}

/* Index of type in list, or of the place it would go; *found says which. */
static size_t
tk_attrs_slot(const tk_attrs *list, CK_ATTRIBUTE_TYPE type, int *found)
{
    size_t lo = 0;
    size_t hi = list->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (list->v[mid].type < type) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    *found = lo < list->n && list->v[lo].type == type;
    return lo;
}

/* See object.h. */
const tk_attr *
tk_attrs_find(const tk_attrs *list, CK_ATTRIBUTE_TYPE type)
{
    int found = 0;
    size_t i;

    if (list == NULL || list->n == 0) {
        return NULL;
    }
    i = tk_attrs_slot(list, type, &found);
    return found ? &list->v[i] : NULL;
}

/* 1 when value lives in the list's arena (and must not be freed alone). */
static int
tk_attrs_in_arena(const tk_attrs *list, const uint8_t *value)
{
    uintptr_t p = (uintptr_t)value;
    uintptr_t base = (uintptr_t)list->arena;

    return list->arena != NULL && p >= base && p - base < list->arena_len;
}

static void
tk_attr_release(tk_attrs *list, tk_attr *a)
{
    if (a->nested != NULL) {
        tk_attrs_clear(a->nested);
        free(a->nested);
    }
    if (tk_attrs_in_arena(list, a->value)) {
        tk_wipe(a->value, a->len);
    } else {
        tk_free_secret(a->value, a->len);
    }
    a->value = NULL;
    a->nested = NULL;
    a->len = 0;
}

/* See object_internal.h. */
CK_RV
tk_attrs_reserve(tk_attrs *list, size_t count)
{
    tk_attr *v;

    if (list->cap - list->n >= count) {
        return CKR_OK;
    }
    if (count > SIZE_MAX / sizeof(*v) - list->n) {
        return CKR_HOST_MEMORY;
    }
    v = realloc(list->v, (list->n + count) * sizeof(*v));
    if (v == NULL) {
        return CKR_HOST_MEMORY;
    }
    list->v = v;
    list->cap = list->n + count;
    return CKR_OK;
}

/* Make room for one more entry at index i. */
static CK_RV
tk_attrs_open_slot(tk_attrs *list, size_t i)
{
    CK_RV rv = CKR_OK;

    if (list->n == list->cap) {
        TK_GUARD(tk_attrs_reserve(list, list->cap == 0 ? 8 : list->cap));
    }
    memmove(&list->v[i + 1], &list->v[i], (list->n - i) * sizeof(tk_attr));
    memset(&list->v[i], 0, sizeof(tk_attr));
    list->n++;
out:
    return rv;
}

/* Put a ready attribute (ownership passes) at its sorted place. */
static CK_RV
tk_attrs_put(tk_attrs *list, tk_attr *a)
{
    CK_RV rv = CKR_OK;
    int found = 0;
    size_t i = tk_attrs_slot(list, a->type, &found);

    if (found) {
        tk_attr_release(list, &list->v[i]);
    } else {
        TK_GUARD(tk_attrs_open_slot(list, i));
    }
    list->v[i] = *a;
out:
    return rv;
}

/* Build a nested list from a caller's CK_ATTRIBUTE array. */
static CK_RV
tk_attrs_from_template(const void *value, CK_ULONG len, tk_attrs **out)
{
    CK_RV rv = CKR_OK;
    const CK_ATTRIBUTE *t = value;
    CK_ULONG count = len / sizeof(CK_ATTRIBUTE);
    tk_attrs *nested = calloc(1, sizeof(*nested));

    TK_CHECK(nested != NULL, CKR_HOST_MEMORY);
    TK_CHECK(len % sizeof(CK_ATTRIBUTE) == 0, CKR_ATTRIBUTE_VALUE_INVALID);
    TK_CHECK(count <= TK_ATTR_MAX_NESTED, CKR_ATTRIBUTE_VALUE_INVALID);
    TK_CHECK(count == 0 || t != NULL, CKR_ATTRIBUTE_VALUE_INVALID);
    for (CK_ULONG i = 0; i < count; i++) {
        /* One level only: a template inside a template has no meaning. */
        TK_CHECK(!tk_attr_is_template(t[i].type), CKR_ATTRIBUTE_VALUE_INVALID);
        TK_CHECK(t[i].pValue != NULL || t[i].ulValueLen == 0, CKR_ATTRIBUTE_VALUE_INVALID);
        TK_CHECK(t[i].ulValueLen <= TK_ATTR_MAX_LEN, CKR_ATTRIBUTE_VALUE_INVALID);
        TK_GUARD(tk_attrs_set(nested, t[i].type, t[i].pValue, t[i].ulValueLen));
    }
    *out = nested;
    nested = NULL;
out:
    if (nested != NULL) {
        tk_attrs_clear(nested);
        free(nested);
    }
    return rv;
}

/*
 * See object.h. For template types (tk_attr_is_template) value is the
 * caller's CK_ATTRIBUTE array; a malformed one is
 * CKR_ATTRIBUTE_VALUE_INVALID.
 */
CK_RV
tk_attrs_set(tk_attrs *list, CK_ATTRIBUTE_TYPE type, const void *value, CK_ULONG len)
{
    CK_RV rv = CKR_OK;
    tk_attrs *nested = NULL;
    tk_attr a = { .type = type, .len = len, .value = NULL, .nested = NULL };

    if (tk_attr_is_template(type)) {
        TK_GUARD(tk_attrs_from_template(value, len, &nested));
        TK_GUARD(tk_attrs_set_nested(list, type, nested));
        nested = NULL;
        goto out;
    }
    TK_CHECK(value != NULL || len == 0, CKR_ATTRIBUTE_VALUE_INVALID);
    if (len > 0) {
        a.value = malloc(len);
        TK_CHECK(a.value != NULL, CKR_HOST_MEMORY);
        memcpy(a.value, value, len);
    }
    TK_GUARD(tk_attrs_put(list, &a));
    a.value = NULL;
out:
    /* set only on failure; it may hold a copy of key material */
    tk_free_secret(a.value, a.value != NULL ? len : 0);
    if (nested != NULL) {
        tk_attrs_clear(nested);
        free(nested);
    }
    return rv;
}

/* See object_internal.h. */
CK_RV
tk_attrs_arena(tk_attrs *list, size_t size)
{
    if (list->n != 0 || list->arena != NULL) {
        return CKR_GENERAL_ERROR;
    }
    list->arena = malloc(size > 0 ? size : 1);
    if (list->arena == NULL) {
        return CKR_HOST_MEMORY;
    }
    list->arena_len = size;
    return CKR_OK;
}

/* See object_internal.h. */
CK_RV
tk_attrs_append(tk_attrs *list, CK_ATTRIBUTE_TYPE type, const void *value, CK_ULONG len,
                uint8_t *place)
{
    tk_attr *a;

    if (list->n == list->cap && tk_attrs_reserve(list, list->cap == 0 ? 8 : list->cap) != CKR_OK) {
        return CKR_HOST_MEMORY;
    }
    a = &list->v[list->n];
    a->type = type;
    a->len = len;
    a->value = NULL;
    a->nested = NULL;
    if (len > 0) {
        a->value = place != NULL ? place : malloc(len);
        if (a->value == NULL) {
            return CKR_HOST_MEMORY;
        }
        memcpy(a->value, value, len);
    }
    list->n++;
    return CKR_OK;
}

/* See object_internal.h. */
CK_RV
tk_attrs_set_nested(tk_attrs *list, CK_ATTRIBUTE_TYPE type, tk_attrs *nested)
{
    tk_attr a = { .type = type, .len = nested->n * sizeof(CK_ATTRIBUTE), .nested = nested };

    return tk_attrs_put(list, &a);
}

/* See object_internal.h. */
void
tk_attrs_remove(tk_attrs *list, CK_ATTRIBUTE_TYPE type)
{
    int found = 0;
    size_t i = tk_attrs_slot(list, type, &found);

    if (!found) {
        return;
    }
    tk_attr_release(list, &list->v[i]);
    memmove(&list->v[i], &list->v[i + 1], (list->n - i - 1) * sizeof(tk_attr));
    list->n--;
}

/* See object.h. */
void
tk_attrs_clear(tk_attrs *list)
{
    if (list == NULL) {
        return;
    }
    for (size_t i = 0; i < list->n; i++) {
        tk_attr_release(list, &list->v[i]);
    }
    free(list->v);
    tk_free_secret(list->arena, list->arena_len);
    list->v = NULL;
    list->n = 0;
    list->cap = 0;
    list->arena = NULL;
    list->arena_len = 0;
}

/* See object_internal.h. */
CK_RV
tk_attrs_copy(tk_attrs *dst, const tk_attrs *src)
{
    CK_RV rv = CKR_OK;
    tk_attrs *nested = NULL;

    for (size_t i = 0; i < src->n; i++) {
        const tk_attr *a = &src->v[i];
        if (a->nested == NULL) {
            TK_GUARD(tk_attrs_set(dst, a->type, a->value, a->len));
            continue;
        }
        nested = calloc(1, sizeof(*nested));
        TK_CHECK(nested != NULL, CKR_HOST_MEMORY);
        TK_GUARD(tk_attrs_copy(nested, a->nested));
        TK_GUARD(tk_attrs_set_nested(dst, a->type, nested));
        nested = NULL;
    }
out:
    if (nested != NULL) {
        tk_attrs_clear(nested);
        free(nested);
    }
    if (rv != CKR_OK) {
        tk_attrs_clear(dst);
    }
    return rv;
}

static int
tk_attr_bytes_equal(const tk_attr *attr, const void *value, CK_ULONG len)
{
    if (attr->nested != NULL || attr->len != len) {
        return 0;
    }
    return len == 0 || (value != NULL && memcmp(attr->value, value, len) == 0);
}

/* See object_internal.h. */
int
tk_attr_equals(const tk_attr *attr, const CK_ATTRIBUTE *want)
{
    const CK_ATTRIBUTE *t = want->pValue;
    size_t count;

    if (attr->nested == NULL) {
        return tk_attr_bytes_equal(attr, want->pValue, want->ulValueLen);
    }
    if (want->ulValueLen != attr->len || (attr->len > 0 && t == NULL)) {
        return 0;
    }
    /* Same size and no duplicates in our list: every wanted entry must be
     * found once for the two templates to be equal. */
    count = want->ulValueLen / sizeof(CK_ATTRIBUTE);
    for (size_t i = 0; i < count; i++) {
        const tk_attr *m = tk_attrs_find(attr->nested, t[i].type);
        if (m == NULL || !tk_attr_bytes_equal(m, t[i].pValue, t[i].ulValueLen)) {
            return 0;
        }
    }
    return 1;
}

/* See object_internal.h. */
CK_ULONG
tk_attrs_ulong(const tk_attrs *list, CK_ATTRIBUTE_TYPE type, CK_ULONG dflt)
{
    const tk_attr *a = tk_attrs_find(list, type);
    CK_ULONG v;

    if (a == NULL || a->value == NULL || a->len != sizeof(CK_ULONG)) {
        return dflt;
    }
    memcpy(&v, a->value, sizeof(v));
    return v;
}

/* See object_internal.h. */
CK_BBOOL
tk_attrs_bool(const tk_attrs *list, CK_ATTRIBUTE_TYPE type, CK_BBOOL dflt)
{
    const tk_attr *a = tk_attrs_find(list, type);

    if (a == NULL || a->value == NULL || a->len != sizeof(CK_BBOOL)) {
        return dflt;
    }
    return a->value[0] ? CK_TRUE : CK_FALSE;
}
