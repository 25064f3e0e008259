/*
 * Objects: attribute lists, the rules each class imposes on them, and the
 * (de)serialisation the store keeps. Nothing here locks; callers in core
 * hold the token lock around every call that touches a shared object.
 *
 * Memory: tk_object_free() wipes every attribute value before freeing, so
 * key material never lingers in freed memory.
 */
#ifndef TK_OBJECT_OBJECT_H
#define TK_OBJECT_OBJECT_H

#include <stddef.h>
#include <stdint.h>

#include "trustoken/pkcs11.h"

/*
 * One attribute. Array attributes (CKA_WRAP_TEMPLATE, CKA_UNWRAP_TEMPLATE,
 * CKA_DERIVE_TEMPLATE) keep their members in `nested`; `value` is then
 * NULL and `len` is the size in bytes a caller's CK_ATTRIBUTE array needs
 * (count * sizeof(CK_ATTRIBUTE)). CK_BBOOL and CK_ULONG values are stored
 * exactly as the ABI lays them out.
 */
typedef struct tk_attrs tk_attrs;

typedef struct {
    CK_ATTRIBUTE_TYPE type;
    CK_ULONG len;
    uint8_t *value;
    tk_attrs *nested;
} tk_attr;

struct tk_attrs {
    tk_attr *v; /* sorted by type, no duplicates */
    size_t n;
    size_t cap;
    uint8_t *arena;   /* attrs.c's: one block holding the values of a
                         loaded list, or NULL; a zeroed list has none */
    size_t arena_len;
};

/* Where an object comes from: decides which attributes a template may give
 * and which the token derives [PKCS11 3.2 §4.1]. */
typedef enum {
    TK_ORIGIN_CREATE,   /* C_CreateObject */
    TK_ORIGIN_GENERATE, /* C_GenerateKey, C_GenerateKeyPair */
    TK_ORIGIN_DERIVE,   /* C_DeriveKey */
    TK_ORIGIN_ENCAPSULATE, /* C_EncapsulateKey, C_DecapsulateKey */
    TK_ORIGIN_UNWRAP,   /* C_UnwrapKey */
    TK_ORIGIN_COPY,     /* C_CopyObject */
    TK_ORIGIN_STORE     /* loaded from the store: no checks */
} tk_origin;

/* Who is asking; changes what may be set (CKA_TRUSTED is the SO's). */
typedef struct {
    tk_origin origin;
    CK_USER_TYPE user;        /* CKU_SO, CKU_USER, or (CK_ULONG)-1 if nobody */
    CK_MECHANISM_TYPE mech;   /* key-generation or derivation mechanism, or
                                 CK_UNAVAILABLE_INFORMATION */
    CK_BBOOL base_sensitive;  /* derive/unwrap: ALWAYS_SENSITIVE of the base */
    CK_BBOOL base_never_extractable;
} tk_obj_ctx;

typedef struct tk_object {
    CK_OBJECT_HANDLE handle;  /* set by core */
    CK_SESSION_HANDLE owner;  /* session objects: the creating session */
    int64_t store_id;         /* token objects: row identity, else 0 */
    uint64_t store_gen;       /* row generation last loaded or written */
    CK_OBJECT_CLASS cls;      /* cached from the attributes */
    CK_BBOOL is_token;        /* CKA_TOKEN */
    CK_BBOOL is_private;      /* CKA_PRIVATE */
    tk_attrs attrs;
    void *mech_cache;         /* a prepared backend key (mech.h), or NULL;
                                 never copied, freed with the object */
} tk_object;

/* ---- attribute lists ---- */

/* Find type in list; NULL when absent. */
const tk_attr *
tk_attrs_find(const tk_attrs *list, CK_ATTRIBUTE_TYPE type);

/* Set (replace or insert) a copy of value. CKR_HOST_MEMORY on failure. */
CK_RV
tk_attrs_set(tk_attrs *list, CK_ATTRIBUTE_TYPE type, const void *value, CK_ULONG len);

/* Wipe and free every value; the list is empty afterwards. */
void
tk_attrs_clear(tk_attrs *list);

/* ---- objects ---- */

/*
 * Build a new object from a caller's template under the rules of its class
 * and of ctx->origin: required attributes (CKR_TEMPLATE_INCOMPLETE),
 * attributes the caller may not give (CKR_ATTRIBUTE_READ_ONLY), invalid
 * types (CKR_ATTRIBUTE_TYPE_INVALID), bad values or lengths
 * (CKR_ATTRIBUTE_VALUE_INVALID), contradictions (CKR_TEMPLATE_INCONSISTENT);
 * then defaults and derived attributes (CKA_LOCAL, CKA_ALWAYS_SENSITIVE,
 * CKA_NEVER_EXTRACTABLE, CKA_KEY_GEN_MECHANISM, CKA_UNIQUE_ID, certificate
 * fields filled from CKA_VALUE). `extra` (may be NULL) holds attributes the
 * token itself supplies (key values from generation), applied without the
 * caller's restrictions. On success *out is a new object (handle 0).
 */
CK_RV
tk_object_create(const CK_ATTRIBUTE *tmpl, CK_ULONG count, const tk_attrs *extra,
                 const tk_obj_ctx *ctx, tk_object **out);

/* C_CopyObject: a copy of src changed by tmpl under the copy rules. */
CK_RV
tk_object_copy(const tk_object *src, const CK_ATTRIBUTE *tmpl, CK_ULONG count,
               const tk_obj_ctx *ctx, tk_object **out);

/*
 * C_GetAttributeValue on one object: fills every entry of tmpl as
 * [PKCS11 3.2 §5.7] says (length queries, CK_UNAVAILABLE_INFORMATION for
 * invalid and sensitive entries, CKR_BUFFER_TOO_SMALL) and returns the
 * specified code; never CKR_OK when an entry failed.
 */
CK_RV
tk_object_get_attributes(const tk_object *obj, CK_ATTRIBUTE *tmpl, CK_ULONG count);

/*
 * C_SetAttributeValue: checks every entry first (MODIFIABLE, read-only and
 * one-way attributes, CKA_TRUSTED for the SO only), then applies all of
 * them or none.
 */
CK_RV
tk_object_set_attributes(tk_object *obj, const CK_ATTRIBUTE *tmpl, CK_ULONG count,
                         const tk_obj_ctx *ctx);

/* 1 when every entry of tmpl equals the object's attribute, else 0. */
int
tk_object_matches(const tk_object *obj, const CK_ATTRIBUTE *tmpl, CK_ULONG count);

/* CKA_<type> as a CK_BBOOL; dflt when absent. */
CK_BBOOL
tk_object_bool(const tk_object *obj, CK_ATTRIBUTE_TYPE type, CK_BBOOL dflt);

/* CKA_<type> as a CK_ULONG; dflt when absent or of the wrong length. */
CK_ULONG
tk_object_ulong(const tk_object *obj, CK_ATTRIBUTE_TYPE type, CK_ULONG dflt);

/* C_GetObjectSize: an approximation of the stored size in bytes. */
CK_ULONG
tk_object_size(const tk_object *obj);

/*
 * Serialize obj's attributes for the store (a versioned, length-checked
 * format). *blob is malloc'd; the caller wipes and frees it.
 */
CK_RV
tk_object_serialize(const tk_object *obj, uint8_t **blob, size_t *len);

/* Parse a stored blob; malformed input is CKR_DEVICE_ERROR, never a crash. */
CK_RV
tk_object_deserialize(const uint8_t *blob, size_t len, tk_object **out);

/* Wipe and free; NULL is fine. */
void
tk_object_free(tk_object *obj);

/*
 * A profile object [PKCS11 3.2 §4.13] the token publishes: a token object,
 * public, neither modifiable, copyable nor destroyable. Callers cannot make
 * these with tk_object_create (CKR_ATTRIBUTE_VALUE_INVALID for
 * CKA_CLASS CKO_PROFILE). CKR_OK or CKR_HOST_MEMORY; *out is new.
 */
CK_RV
tk_object_new_profile(CK_PROFILE_ID id, tk_object **out);

#endif
