/*
 * A small open-addressing hash map from nonzero 64-bit keys to pointers,
 * for handle tables. Not thread safe: the owner locks.
 */
#ifndef TK_UTIL_HMAP_H
#define TK_UTIL_HMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint64_t *keys; /* 0 = empty, UINT64_MAX = deleted */
    void **vals;
    size_t cap;     /* power of two, or 0 */
    size_t used;    /* live + deleted slots */
    size_t live;
} tk_hmap;

/* key must be neither 0 nor UINT64_MAX. 0 on success, -1 on no memory. */
int
tk_hmap_put(tk_hmap *m, uint64_t key, void *val);

/* The value, or NULL. */
void *
tk_hmap_get(const tk_hmap *m, uint64_t key);

/* Remove and return the value, or NULL. */
void *
tk_hmap_del(tk_hmap *m, uint64_t key);

/* Visit each live entry; stop when fn returns nonzero (returned). */
int
tk_hmap_each(const tk_hmap *m, int (*fn)(uint64_t key, void *val, void *arg), void *arg);

void
tk_hmap_free(tk_hmap *m);

#endif
