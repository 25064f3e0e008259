/*
 * A token's objects, by handle, with indexes so that C_FindObjects does not
 * scan every object: by CKA_LABEL, by CKA_ID and by CKA_CLASS. The set owns
 * the objects it holds. Not thread safe: the caller holds the token lock.
 */
#ifndef TK_OBJECT_OBJSET_H
#define TK_OBJECT_OBJSET_H

#include <stddef.h>

#include "object/object.h"

typedef struct tk_objset tk_objset;

CK_RV
tk_objset_new(tk_objset **out);

/* Free the set and every object in it (wiped). */
void
tk_objset_free(tk_objset *set);

/* Add obj (obj->handle must be set and unused); the set takes ownership. */
CK_RV
tk_objset_add(tk_objset *set, tk_object *obj);

/* The object with this handle, or NULL. */
tk_object *
tk_objset_get(const tk_objset *set, CK_OBJECT_HANDLE handle);

/* The token object stored in row id, or NULL. */
tk_object *
tk_objset_by_store_id(const tk_objset *set, int64_t id);

/* Remove and return the object (caller frees), or NULL. */
tk_object *
tk_objset_remove(tk_objset *set, CK_OBJECT_HANDLE handle);

/*
 * Replace the object with handle old->handle by repl (same handle; indexes
 * updated); returns the old object for the caller to free, or NULL.
 */
tk_object *
tk_objset_replace(tk_objset *set, tk_object *repl);

/* Re-index obj after its attributes changed in place. */
void
tk_objset_reindex(tk_objset *set, tk_object *obj);

/* Visibility filter: return nonzero to include obj. */
typedef int (*tk_objset_filter)(const tk_object *obj, void *arg);

/*
 * Handles of every object that matches tmpl and passes filter, in handle
 * order. *handles is malloc'd (caller frees; may be NULL when *count is 0).
 * Uses the label, id or class index when tmpl names one of them.
 */
CK_RV
tk_objset_find(const tk_objset *set, const CK_ATTRIBUTE *tmpl, CK_ULONG count,
               tk_objset_filter filter, void *arg, CK_OBJECT_HANDLE **handles,
               size_t *n_handles);

/* Call fn for every object (in no particular order); stop when fn != 0. */
int
tk_objset_each(const tk_objset *set, int (*fn)(tk_object *obj, void *arg), void *arg);

size_t
tk_objset_count(const tk_objset *set);

#endif
