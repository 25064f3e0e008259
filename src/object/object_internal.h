/*
 * Private to src/object: the attribute rule table and the helpers that the
 * object, serialisation and set files share. Nothing outside src/object
 * includes this file.
 */
#ifndef TK_OBJECT_OBJECT_INTERNAL_H
#define TK_OBJECT_OBJECT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "object/object.h"

/* Limits that creation enforces and the store format relies on, so that
 * every object the token accepts can be stored and loaded again. */
#define TK_ATTR_MAX_LEN (16u * 1024u * 1024u) /* bytes in one value */
#define TK_ATTR_MAX_NESTED 256u               /* members of one template */
#define TK_ATTR_MAX_COUNT 4096u               /* attributes of one object */

/* How a value is laid out; decides the format checks. */
typedef enum {
    TK_KIND_BYTES, /* any byte string, empty allowed */
    TK_KIND_BOOL,  /* one CK_BBOOL, 0 or 1 */
    TK_KIND_ULONG, /* one CK_ULONG */
    TK_KIND_DATE,  /* a CK_DATE of digits, or empty */
    TK_KIND_TMPL,  /* a nested template (CK_ATTRIBUTE array) */
    TK_KIND_MECHS  /* a CK_MECHANISM_TYPE array */
} tk_attr_kind;

/* Rule flags of one attribute within one class and key family. */
#define TK_RF_SECRET 0x01u   /* hidden when SENSITIVE or not EXTRACTABLE */
#define TK_RF_MOD 0x02u      /* C_SetAttributeValue and C_CopyObject may change it */
#define TK_RF_TOKEN 0x04u    /* only the token sets it: never in a caller's template */
#define TK_RF_KEYMAT 0x08u   /* key material: a caller gives it on C_CreateObject only */
#define TK_RF_NOCREATE 0x10u /* derived on C_CreateObject: the caller may not give it */
#define TK_RF_TO_TRUE 0x20u  /* once CK_TRUE, stays CK_TRUE */
#define TK_RF_TO_FALSE 0x40u /* once CK_FALSE, stays CK_FALSE */
#define TK_RF_SO 0x80u       /* CK_TRUE only when the SO asks */
#define TK_RF_IGNORED 0x100u /* not supported: a caller's value is dropped */
#define TK_RF_NOINPUT 0x200u /* token-supplied only: a caller's value is
                                CKR_ATTRIBUTE_TYPE_INVALID */

typedef struct {
    CK_ATTRIBUTE_TYPE type;
    tk_attr_kind kind;
    uint32_t classes;  /* TK_CB_* bits */
    uint32_t families; /* TK_FAM_* bits; 0 means every key family */
    uint32_t flags;    /* TK_RF_* */
} tk_attr_rule;

/* Class bits of the rule table. */
#define TK_CB_DATA 0x01u
#define TK_CB_CERT 0x02u
#define TK_CB_PUB 0x04u
#define TK_CB_PRIV 0x08u
#define TK_CB_SECRET 0x10u
#define TK_CB_PROFILE 0x20u
#define TK_CB_KEYS (TK_CB_PUB | TK_CB_PRIV | TK_CB_SECRET)
#define TK_CB_ALL 0x3fu

/* Key families: key types that share their attributes. */
#define TK_FAM_RSA 0x001u
#define TK_FAM_EC 0x002u /* CKK_EC, CKK_EC_EDWARDS, CKK_EC_MONTGOMERY */
#define TK_FAM_AES 0x004u
#define TK_FAM_GENERIC 0x008u /* CKK_GENERIC_SECRET and the HMAC key types */
#define TK_FAM_CHACHA 0x010u
#define TK_FAM_MLKEM 0x020u
#define TK_FAM_MLDSA 0x040u
#define TK_FAM_SLHDSA 0x080u
#define TK_FAM_PQC (TK_FAM_MLKEM | TK_FAM_MLDSA | TK_FAM_SLHDSA)
#define TK_FAM_SYM (TK_FAM_AES | TK_FAM_GENERIC | TK_FAM_CHACHA)

/* ---- rules.c ---- */

/* TK_CB_* bit of a class; 0 for a class the token does not hold. */
uint32_t
tk_rule_class_bit(CK_OBJECT_CLASS cls);

/* TK_FAM_* bit of a key type; 0 for an unsupported key type. */
uint32_t
tk_rule_family(CK_KEY_TYPE type);

/* The rule of type for this class bit and family, or NULL when the
 * attribute is not valid for such an object. */
const tk_attr_rule *
tk_rule_find(CK_ATTRIBUTE_TYPE type, uint32_t class_bit, uint32_t family);

/* 1 when some class holds type: a known attribute in the wrong object is
 * CKR_TEMPLATE_INCONSISTENT [PKCS11 3.2 §4.1.1], an unknown one
 * CKR_ATTRIBUTE_TYPE_INVALID. */
int
tk_rule_known(CK_ATTRIBUTE_TYPE type);

/* The code for a type tk_rule_find() refused. */
CK_RV
tk_rule_missing_rv(CK_ATTRIBUTE_TYPE type);

/* Check the format of a caller's value for kind: CKR_OK or
 * CKR_ATTRIBUTE_VALUE_INVALID. */
CK_RV
tk_rule_check_value(tk_attr_kind kind, const void *value, CK_ULONG len);

/* The class bit and key family of an existing object. */
void
tk_rule_object_where(const tk_object *obj, uint32_t *class_bit, uint32_t *family);

/* 1 when attribute type of obj is hidden from callers right now (a secret
 * component of a sensitive or unextractable key). */
int
tk_rule_is_hidden(const tk_object *obj, CK_ATTRIBUTE_TYPE type);

/* ---- attrs.c ---- */

/* 1 for the attribute types whose value is a nested template. */
int
tk_attr_is_template(CK_ATTRIBUTE_TYPE type);

/* Deep copy of src into an empty dst. CKR_HOST_MEMORY; dst stays empty
 * on failure. */
CK_RV
tk_attrs_copy(tk_attrs *dst, const tk_attrs *src);

/* Move the nested list (ownership passes to list) in as type. */
CK_RV
tk_attrs_set_nested(tk_attrs *list, CK_ATTRIBUTE_TYPE type, tk_attrs *nested);

/* Make room for count more entries, so that that many appends neither
 * move nor grow the array. CKR_HOST_MEMORY; the list is unchanged then. */
CK_RV
tk_attrs_reserve(tk_attrs *list, size_t count);

/* Give an empty list one block of size bytes for the values that
 * tk_attrs_append() places in it, so that loading an object costs one
 * allocation instead of one per value. Freed (wiped) with the list.
 * CKR_HOST_MEMORY. */
CK_RV
tk_attrs_arena(tk_attrs *list, size_t size);

/* Add a copy of a plain (not template) value after every entry of list:
 * the caller guarantees that type is above every type in it (a stored
 * list is strictly ascending). place is NULL (the value gets its own
 * allocation) or len bytes of list->arena that no other value uses.
 * CKR_HOST_MEMORY. */
CK_RV
tk_attrs_append(tk_attrs *list, CK_ATTRIBUTE_TYPE type, const void *value, CK_ULONG len,
                uint8_t *place);

/* Remove type from list (wiped); no-op when absent. */
void
tk_attrs_remove(tk_attrs *list, CK_ATTRIBUTE_TYPE type);

/* 1 when attr holds exactly the caller's value (nested templates compare
 * entry by entry, in any order). */
int
tk_attr_equals(const tk_attr *attr, const CK_ATTRIBUTE *want);

/* A CK_ULONG or CK_BBOOL attribute value; dflt when absent or malformed. */
CK_ULONG
tk_attrs_ulong(const tk_attrs *list, CK_ATTRIBUTE_TYPE type, CK_ULONG dflt);

CK_BBOOL
tk_attrs_bool(const tk_attrs *list, CK_ATTRIBUTE_TYPE type, CK_BBOOL dflt);

/* ---- object.c ---- */

/* Allocate an empty object. CKR_HOST_MEMORY. */
CK_RV
tk_object_alloc(tk_object **out);

/* Give attrs a fresh CKA_UNIQUE_ID (32 random hex characters).
 * CKR_FUNCTION_FAILED when the DRBG fails; CKR_HOST_MEMORY. */
CK_RV
tk_object_new_unique_id(tk_attrs *attrs);

/* Rules across attributes that a copy can break too:
 * CKR_TEMPLATE_INCONSISTENT or CKR_OK. */
CK_RV
tk_object_check_consistent(const tk_object *obj);

/* Refresh obj->cls, is_token and is_private from the attributes. */
void
tk_object_cache(tk_object *obj);

#endif
