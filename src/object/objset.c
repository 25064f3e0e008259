/*
 * A token's objects; see objset.h.
 *
 * Every object sits in one node that is linked into up to five chained
 * hash tables at once: by handle, by store id, by CKA_LABEL, by CKA_ID and
 * by CKA_CLASS. Chains are doubly linked, so removal is O(1) even when many
 * objects share a label or a class. A find walks the shortest chain among
 * the indexed attributes its template names.
 */
#include <stdlib.h>
#include <string.h>

#include "object/object_internal.h"
#include "object/objset.h"
#include "util/check.h"

enum { TK_IX_HANDLE, TK_IX_STORE, TK_IX_LABEL, TK_IX_ID, TK_IX_CLASS, TK_IX_N };

/* The attribute each value index covers; 0 for the two key indexes. */
static const CK_ATTRIBUTE_TYPE tk_ix_attr[TK_IX_N] = { 0, 0, CKA_LABEL, CKA_ID, CKA_CLASS };

typedef struct tk_onode {
    tk_object *obj;
    uint64_t hash[TK_IX_N];
    uint8_t linked[TK_IX_N];
    struct tk_onode *next[TK_IX_N];
    struct tk_onode *prev[TK_IX_N];
} tk_onode;

typedef struct {
    tk_onode **head;
    size_t *len; /* chain lengths, to pick the cheapest index */
} tk_ix;

struct tk_objset {
    size_t nbuckets; /* a power of two */
    size_t n;
    tk_ix ix[TK_IX_N];
};

#define TK_OBJSET_MIN_BUCKETS 64u

/* ---- hashing ---- */

static uint64_t
tk_ix_mix(uint64_t x)
{
    /* splitmix64 finaliser: spreads sequential handles over buckets */
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

static uint64_t
tk_ix_hash_bytes(const void *p, size_t len, uint64_t seed)
{
    const uint8_t *b = p;
    uint64_t h = 0xcbf29ce484222325ULL ^ seed;

    for (size_t i = 0; i < len; i++) {
        h = (h ^ b[i]) * 0x100000001b3ULL;
    }
    return tk_ix_mix(h);
}

/* Hash of obj for index i; 0 when obj does not belong in it. */
static int
tk_ix_key(const tk_object *obj, int i, uint64_t *hash)
{
    const tk_attr *a;

    if (i == TK_IX_HANDLE) {
        *hash = tk_ix_mix(obj->handle);
        return 1;
    }
    if (i == TK_IX_STORE) {
        *hash = tk_ix_mix((uint64_t)obj->store_id);
        return obj->store_id != 0;
    }
    a = tk_attrs_find(&obj->attrs, tk_ix_attr[i]);
    if (a == NULL || a->nested != NULL) {
        return 0;
    }
    *hash = tk_ix_hash_bytes(a->value, a->len, (uint64_t)i);
    return 1;
}

/* ---- chains ---- */

static void
tk_ix_link(tk_objset *set, tk_onode *node, int i)
{
    size_t b;

    node->linked[i] = (uint8_t)tk_ix_key(node->obj, i, &node->hash[i]);
    if (!node->linked[i]) {
        return;
    }
    b = node->hash[i] & (set->nbuckets - 1);
    node->prev[i] = NULL;
    node->next[i] = set->ix[i].head[b];
    if (node->next[i] != NULL) {
        node->next[i]->prev[i] = node;
    }
    set->ix[i].head[b] = node;
    set->ix[i].len[b]++;
}

static void
tk_ix_unlink(tk_objset *set, tk_onode *node, int i)
{
    size_t b;

    if (!node->linked[i]) {
        return;
    }
    b = node->hash[i] & (set->nbuckets - 1);
    if (node->prev[i] != NULL) {
        node->prev[i]->next[i] = node->next[i];
    } else {
        set->ix[i].head[b] = node->next[i];
    }
    if (node->next[i] != NULL) {
        node->next[i]->prev[i] = node->prev[i];
    }
    set->ix[i].len[b]--;
    node->linked[i] = 0;
}

static void
tk_ix_link_all(tk_objset *set, tk_onode *node)
{
    for (int i = 0; i < TK_IX_N; i++) {
        tk_ix_link(set, node, i);
    }
}

static void
tk_ix_unlink_all(tk_objset *set, tk_onode *node)
{
    for (int i = 0; i < TK_IX_N; i++) {
        tk_ix_unlink(set, node, i);
    }
}

static tk_onode *
tk_objset_node(const tk_objset *set, CK_OBJECT_HANDLE handle)
{
    size_t b = tk_ix_mix(handle) & (set->nbuckets - 1);

    for (tk_onode *n = set->ix[TK_IX_HANDLE].head[b]; n != NULL; n = n->next[TK_IX_HANDLE]) {
        if (n->obj->handle == handle) {
            return n;
        }
    }
    return NULL;
}

/* ---- tables ---- */

static void
tk_objset_free_tables(tk_ix *ix)
{
    for (int i = 0; i < TK_IX_N; i++) {
        free(ix[i].head);
        free(ix[i].len);
        ix[i].head = NULL;
        ix[i].len = NULL;
    }
}

/* Fill ix (TK_IX_N entries, overwritten) with empty tables; on failure
 * ix is left all NULL. */
static CK_RV
tk_objset_alloc_tables(tk_ix *ix, size_t nbuckets)
{
    CK_RV rv = CKR_OK;

    memset(ix, 0, TK_IX_N * sizeof(*ix));
    for (int i = 0; i < TK_IX_N; i++) {
        ix[i].head = calloc(nbuckets, sizeof(*ix[i].head));
        ix[i].len = calloc(nbuckets, sizeof(*ix[i].len));
        TK_CHECK(ix[i].head != NULL && ix[i].len != NULL, CKR_HOST_MEMORY);
    }
out:
    if (rv != CKR_OK) {
        tk_objset_free_tables(ix);
    }
    return rv;
}

/* Double the buckets and relink every node; the handle chains are walked
 * from the old tables while the new ones fill. On failure the set is as
 * it was. */
static CK_RV
tk_objset_grow(tk_objset *set)
{
    CK_RV rv = CKR_OK;
    tk_ix old[TK_IX_N];
    tk_ix fresh[TK_IX_N];
    size_t old_nb = set->nbuckets;

    TK_GUARD(tk_objset_alloc_tables(fresh, old_nb * 2));
    memcpy(old, set->ix, sizeof(old));
    memcpy(set->ix, fresh, sizeof(fresh));
    set->nbuckets = old_nb * 2;
    for (size_t b = 0; b < old_nb; b++) {
        tk_onode *n = old[TK_IX_HANDLE].head[b];
        while (n != NULL) {
            tk_onode *next = n->next[TK_IX_HANDLE];
            tk_ix_link_all(set, n);
            n = next;
        }
    }
    tk_objset_free_tables(old);
out:
    return rv;
}

/* See objset.h. */
CK_RV
tk_objset_new(tk_objset **out)
{
    CK_RV rv = CKR_OK;
    tk_objset *set = calloc(1, sizeof(*set));

    TK_CHECK(out != NULL, CKR_ARGUMENTS_BAD);
    TK_CHECK(set != NULL, CKR_HOST_MEMORY);
    set->nbuckets = TK_OBJSET_MIN_BUCKETS;
    TK_GUARD(tk_objset_alloc_tables(set->ix, set->nbuckets));
    *out = set;
    set = NULL;
out:
    free(set);
    return rv;
}

/* See objset.h. */
void
tk_objset_free(tk_objset *set)
{
    if (set == NULL) {
        return;
    }
    for (size_t b = 0; b < set->nbuckets; b++) {
        tk_onode *n = set->ix[TK_IX_HANDLE].head[b];
        while (n != NULL) {
            tk_onode *next = n->next[TK_IX_HANDLE];
            tk_object_free(n->obj);
            free(n);
            n = next;
        }
    }
    tk_objset_free_tables(set->ix);
    free(set);
}

/* See objset.h. CKR_ARGUMENTS_BAD when the handle is 0 or in use. */
CK_RV
tk_objset_add(tk_objset *set, tk_object *obj)
{
    CK_RV rv = CKR_OK;
    tk_onode *node = NULL;

    TK_CHECK(set != NULL && obj != NULL && obj->handle != 0, CKR_ARGUMENTS_BAD);
    TK_CHECK(tk_objset_node(set, obj->handle) == NULL, CKR_ARGUMENTS_BAD);
    /* Keep chains short: about one object per bucket at most. */
    if (set->n >= set->nbuckets) {
        TK_GUARD(tk_objset_grow(set));
    }
    node = calloc(1, sizeof(*node));
    TK_CHECK(node != NULL, CKR_HOST_MEMORY);
    node->obj = obj;
    tk_ix_link_all(set, node);
    set->n++;
out:
    return rv;
}

/* See objset.h. */
tk_object *
tk_objset_get(const tk_objset *set, CK_OBJECT_HANDLE handle)
{
    tk_onode *n = tk_objset_node(set, handle);

    return n != NULL ? n->obj : NULL;
}

/* See objset.h. */
tk_object *
tk_objset_by_store_id(const tk_objset *set, int64_t id)
{
    size_t b = tk_ix_mix((uint64_t)id) & (set->nbuckets - 1);

    if (id == 0) {
        return NULL;
    }
    for (tk_onode *n = set->ix[TK_IX_STORE].head[b]; n != NULL; n = n->next[TK_IX_STORE]) {
        if (n->obj->store_id == id) {
            return n->obj;
        }
    }
    return NULL;
}

/* See objset.h. */
tk_object *
tk_objset_remove(tk_objset *set, CK_OBJECT_HANDLE handle)
{
    tk_onode *n = tk_objset_node(set, handle);
    tk_object *obj;

    if (n == NULL) {
        return NULL;
    }
    tk_ix_unlink_all(set, n);
    obj = n->obj;
    free(n);
    set->n--;
    return obj;
}

/* See objset.h. */
tk_object *
tk_objset_replace(tk_objset *set, tk_object *repl)
{
    tk_onode *n = tk_objset_node(set, repl->handle);
    tk_object *old;

    if (n == NULL) {
        return NULL;
    }
    tk_ix_unlink_all(set, n);
    old = n->obj;
    n->obj = repl;
    tk_ix_link_all(set, n);
    return old;
}

/* See objset.h. */
void
tk_objset_reindex(tk_objset *set, tk_object *obj)
{
    tk_onode *n = tk_objset_node(set, obj->handle);

    if (n == NULL || n->obj != obj) {
        return;
    }
    tk_ix_unlink_all(set, n);
    tk_ix_link_all(set, n);
}

/* ---- search ---- */

/* The index and chain a template lets us walk; ix -1 means a full scan. */
typedef struct {
    int ix;
    size_t bucket;
    uint64_t hash;
} tk_find_plan;

static tk_find_plan
tk_find_choose(const tk_objset *set, const CK_ATTRIBUTE *tmpl, CK_ULONG count)
{
    tk_find_plan plan = { -1, 0, 0 };
    size_t best = (size_t)-1;

    for (CK_ULONG k = 0; k < count; k++) {
        for (int i = TK_IX_LABEL; i < TK_IX_N; i++) {
            uint64_t h;
            size_t b;
            if (tmpl[k].type != tk_ix_attr[i] ||
                (tmpl[k].pValue == NULL && tmpl[k].ulValueLen > 0)) {
                continue;
            }
            h = tk_ix_hash_bytes(tmpl[k].pValue, tmpl[k].ulValueLen, (uint64_t)i);
            b = h & (set->nbuckets - 1);
            if (set->ix[i].len[b] < best) {
                best = set->ix[i].len[b];
                plan = (tk_find_plan){ i, b, h };
            }
        }
    }
    return plan;
}

typedef struct {
    CK_OBJECT_HANDLE *v;
    size_t n;
    size_t cap;
} tk_handle_vec;

static CK_RV
tk_handle_push(tk_handle_vec *vec, CK_OBJECT_HANDLE h)
{
    if (vec->n == vec->cap) {
        size_t cap = vec->cap == 0 ? 16 : vec->cap * 2;
        CK_OBJECT_HANDLE *v = realloc(vec->v, cap * sizeof(*v));
        if (v == NULL) {
            return CKR_HOST_MEMORY;
        }
        vec->v = v;
        vec->cap = cap;
    }
    vec->v[vec->n++] = h;
    return CKR_OK;
}

static int
tk_handle_cmp(const void *a, const void *b)
{
    CK_OBJECT_HANDLE x = *(const CK_OBJECT_HANDLE *)a;
    CK_OBJECT_HANDLE y = *(const CK_OBJECT_HANDLE *)b;

    return (x > y) - (x < y);
}

typedef struct {
    const CK_ATTRIBUTE *tmpl;
    CK_ULONG count;
    tk_objset_filter filter;
    void *arg;
} tk_find_query;

static CK_RV
tk_find_visit(const tk_object *obj, const tk_find_query *q, tk_handle_vec *vec)
{
    if (!tk_object_matches(obj, q->tmpl, q->count)) {
        return CKR_OK;
    }
    if (q->filter != NULL && !q->filter(obj, q->arg)) {
        return CKR_OK;
    }
    return tk_handle_push(vec, obj->handle);
}

static CK_RV
tk_find_walk(const tk_objset *set, const tk_find_plan *plan, const tk_find_query *q,
             tk_handle_vec *vec)
{
    CK_RV rv = CKR_OK;

    if (plan->ix >= 0) {
        int i = plan->ix;
        for (tk_onode *n = set->ix[i].head[plan->bucket]; n != NULL; n = n->next[i]) {
            /* Skip other values that share the bucket before matching. */
            if (n->hash[i] == plan->hash) {
                TK_GUARD(tk_find_visit(n->obj, q, vec));
            }
        }
        goto out;
    }
    for (size_t b = 0; b < set->nbuckets; b++) {
        for (tk_onode *n = set->ix[TK_IX_HANDLE].head[b]; n != NULL; n = n->next[TK_IX_HANDLE]) {
            TK_GUARD(tk_find_visit(n->obj, q, vec));
        }
    }
out:
    return rv;
}

/* See objset.h. */
CK_RV
tk_objset_find(const tk_objset *set, const CK_ATTRIBUTE *tmpl, CK_ULONG count,
               tk_objset_filter filter, void *arg, CK_OBJECT_HANDLE **handles,
               size_t *n_handles)
{
    CK_RV rv = CKR_OK;
    tk_handle_vec vec = { NULL, 0, 0 };
    tk_find_query q = { tmpl, count, filter, arg };
    tk_find_plan plan;

    TK_CHECK(set != NULL && handles != NULL && n_handles != NULL, CKR_ARGUMENTS_BAD);
    TK_CHECK(tmpl != NULL || count == 0, CKR_ARGUMENTS_BAD);
    plan = tk_find_choose(set, tmpl, count);
    TK_GUARD(tk_find_walk(set, &plan, &q, &vec));
    if (vec.n > 1) {
        qsort(vec.v, vec.n, sizeof(*vec.v), tk_handle_cmp);
    }
    *handles = vec.v;
    *n_handles = vec.n;
    vec.v = NULL;
out:
    free(vec.v);
    return rv;
}

/* See objset.h. fn may remove the object it is given (tk_objset_remove),
 * e.g. to drop a closing session's objects; it must not add objects or
 * remove any other. */
int
tk_objset_each(const tk_objset *set, int (*fn)(tk_object *obj, void *arg), void *arg)
{
    for (size_t b = 0; b < set->nbuckets; b++) {
        tk_onode *n = set->ix[TK_IX_HANDLE].head[b];
        while (n != NULL) {
            /* Read the successor first: fn may free n. */
            tk_onode *next = n->next[TK_IX_HANDLE];
            int r = fn(n->obj, arg);
            if (r != 0) {
                return r;
            }
            n = next;
        }
    }
    return 0;
}

/* See objset.h. */
size_t
tk_objset_count(const tk_objset *set)
{
    return set->n;
}
