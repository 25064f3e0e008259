/* Hash map; see hmap.h. Linear probing with tombstones; grows at 1/2. */
#include "util/hmap.h"

#include <stdlib.h>

#define TK_HMAP_DELETED UINT64_MAX

static size_t
tk_hmap_slot(uint64_t key, size_t cap)
{
    /* A multiplicative mix spreads sequential handles over the table. */
    key ^= key >> 33;
    key *= 0xff51afd7ed558ccdULL;
    key ^= key >> 33;
    return (size_t)key & (cap - 1);
}

static int
tk_hmap_grow(tk_hmap *m)
{
    size_t ncap = m->cap == 0 ? 64 : (m->live * 4 > m->cap ? m->cap * 2 : m->cap);
    uint64_t *keys = calloc(ncap, sizeof(*keys));
    void **vals = calloc(ncap, sizeof(*vals));

    if (keys == NULL || vals == NULL) {
        free(keys);
        free(vals);
        return -1;
    }
    for (size_t i = 0; i < m->cap; i++) {
        uint64_t k = m->keys[i];
        if (k != 0 && k != TK_HMAP_DELETED) {
            size_t j = tk_hmap_slot(k, ncap);
            while (keys[j] != 0) {
                j = (j + 1) & (ncap - 1);
            }
            keys[j] = k;
            vals[j] = m->vals[i];
        }
    }
    free(m->keys);
    free(m->vals);
    m->keys = keys;
    m->vals = vals;
    m->cap = ncap;
    m->used = m->live;
    return 0;
}

int
tk_hmap_put(tk_hmap *m, uint64_t key, void *val)
{
    size_t i;
    size_t tomb = SIZE_MAX;

    if ((m->used + 1) * 2 > m->cap && tk_hmap_grow(m) != 0) {
        return -1;
    }
    i = tk_hmap_slot(key, m->cap);
    while (m->keys[i] != 0) {
        if (m->keys[i] == key) {
            m->vals[i] = val;
            return 0;
        }
        if (m->keys[i] == TK_HMAP_DELETED && tomb == SIZE_MAX) {
            tomb = i;
        }
        i = (i + 1) & (m->cap - 1);
    }
    if (tomb != SIZE_MAX) {
        i = tomb;
    } else {
        m->used++;
    }
    m->keys[i] = key;
    m->vals[i] = val;
    m->live++;
    return 0;
}

static size_t
tk_hmap_find(const tk_hmap *m, uint64_t key)
{
    size_t i;

    if (m->cap == 0) {
        return SIZE_MAX;
    }
    i = tk_hmap_slot(key, m->cap);
    while (m->keys[i] != 0) {
        if (m->keys[i] == key) {
            return i;
        }
        i = (i + 1) & (m->cap - 1);
    }
    return SIZE_MAX;
}

void *
tk_hmap_get(const tk_hmap *m, uint64_t key)
{
    size_t i = tk_hmap_find(m, key);

    return i == SIZE_MAX ? NULL : m->vals[i];
}

void *
tk_hmap_del(tk_hmap *m, uint64_t key)
{
    size_t i = tk_hmap_find(m, key);
    void *v;

    if (i == SIZE_MAX) {
        return NULL;
    }
    v = m->vals[i];
    m->keys[i] = TK_HMAP_DELETED;
    m->vals[i] = NULL;
    m->live--;
    return v;
}

int
tk_hmap_each(const tk_hmap *m, int (*fn)(uint64_t key, void *val, void *arg), void *arg)
{
    for (size_t i = 0; i < m->cap; i++) {
        uint64_t k = m->keys[i];
        if (k != 0 && k != TK_HMAP_DELETED) {
            int r = fn(k, m->vals[i], arg);
            if (r != 0) {
                return r;
            }
        }
    }
    return 0;
}

void
tk_hmap_free(tk_hmap *m)
{
    free(m->keys);
    free(m->vals);
    m->keys = NULL;
    m->vals = NULL;
    m->cap = m->used = m->live = 0;
}
