/*
 * Attribute helpers of the mechanism layer: reading a key view or a
 * caller's template, and building the attribute lists mechanisms produce.
 */
#include <stdlib.h>
#include <string.h>

#include "mech/mech_internal.h"
#include "util/wipe.h"

const CK_ATTRIBUTE *
tk_key_attr(const tk_key *key, CK_ATTRIBUTE_TYPE t)
{
    return tk_tmpl_find(key->attrs, key->n, t);
}

const CK_ATTRIBUTE *
tk_tmpl_find(const CK_ATTRIBUTE *tmpl, CK_ULONG n, CK_ATTRIBUTE_TYPE type)
{
    for (CK_ULONG i = 0; i < n; i++) {
        if (tmpl[i].type == type) {
            return &tmpl[i];
        }
    }
    return NULL;
}

CK_ULONG
tk_tmpl_ulong(const CK_ATTRIBUTE *tmpl, CK_ULONG n, CK_ATTRIBUTE_TYPE type, CK_ULONG dflt)
{
    const CK_ATTRIBUTE *a = tk_tmpl_find(tmpl, n, type);
    CK_ULONG v;

    if (a == NULL || a->pValue == NULL || a->ulValueLen != sizeof(CK_ULONG)) {
        return dflt;
    }
    memcpy(&v, a->pValue, sizeof(v));
    return v;
}

CK_RV
tk_mech_attrs_add(tk_mech_attrs *list, CK_ATTRIBUTE_TYPE type, const void *value, CK_ULONG len)
{
    CK_ATTRIBUTE *a;

    if (list->n == list->cap) {
        CK_ULONG ncap = list->cap ? list->cap * 2 : 8;
        CK_ATTRIBUTE *nv = realloc(list->v, ncap * sizeof(*nv));
        if (nv == NULL) {
            return CKR_HOST_MEMORY;
        }
        list->v = nv;
        list->cap = ncap;
    }
    a = &list->v[list->n];
    a->type = type;
    a->ulValueLen = len;
    a->pValue = malloc(len ? len : 1);
    if (a->pValue == NULL) {
        return CKR_HOST_MEMORY;
    }
    if (len > 0) {
        memcpy(a->pValue, value, len);
    }
    list->n++;
    return CKR_OK;
}

CK_RV
tk_mech_attrs_add_ulong(tk_mech_attrs *list, CK_ATTRIBUTE_TYPE type, CK_ULONG value)
{
    return tk_mech_attrs_add(list, type, &value, sizeof(value));
}

void
tk_mech_attrs_clear(tk_mech_attrs *list)
{
    for (CK_ULONG i = 0; i < list->n; i++) {
        tk_free_secret(list->v[i].pValue, list->v[i].ulValueLen);
    }
    free(list->v);
    memset(list, 0, sizeof(*list));
}

tk_key_cache *
tk_key_cache_get(const tk_key *key, const void *owner)
{
    tk_key_cache *c;

    if (key->cache == NULL) {
        return NULL;
    }
    c = __atomic_load_n((tk_key_cache **)key->cache, __ATOMIC_ACQUIRE);
    return c != NULL && c->owner == owner ? c : NULL;
}

tk_key_cache *
tk_key_cache_offer(const tk_key *key, tk_key_cache *c)
{
    tk_key_cache *expected = NULL;

    if (key->cache == NULL) {
        return c;
    }
    if (__atomic_compare_exchange_n((tk_key_cache **)key->cache, &expected, c, 0,
                                    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
        return c;
    }
    if (expected->owner == c->owner) {
        c->free(c);
        return expected;
    }
    return c;
}

int
tk_key_cache_owns(const tk_key *key, const tk_key_cache *c)
{
    return key->cache != NULL &&
           __atomic_load_n((tk_key_cache **)key->cache, __ATOMIC_ACQUIRE) == c;
}

void
tk_key_cache_release(void *cache)
{
    tk_key_cache *c = cache;

    if (c != NULL) {
        c->free(c);
    }
}
