/*
 * The stored form of an object's attributes; see object.h.
 *
 *   header  "TKOB", version u16 (1), reserved u16 (0), count u32
 *   attr    type u64, form u8 (0 value, 1 template), n u32, then
 *           form 0: n value bytes; form 1: n member attrs of form 0
 *
 * Integers are big-endian; attribute values are kept as the ABI lays
 * them out (a CK_ULONG value is host order), so a blob belongs to the
 * machine that wrote it. Types are strictly ascending at each level.
 */
#include <stdlib.h>
#include <string.h>

#include "object/object.h"
#include "object/object_internal.h"
#include "util/check.h"
#include "util/log.h"
#include "util/wipe.h"

#define TK_SER_MAGIC "TKOB"
#define TK_SER_VERSION 1u
#define TK_SER_HEADER 12u
#define TK_SER_ATTR_HEADER 13u

/* ---- writing ---- */

/* Bytes list needs. A list over the limits the reader enforces is
 * CKR_GENERAL_ERROR: written, it would be an object that never loads. */
static CK_RV
tk_ser_size(const tk_attrs *list, size_t max_count, size_t *size)
{
    CK_RV rv = CKR_OK;
    size_t part = 0;

    *size = 0;
    TK_CHECK(list->n <= max_count, CKR_GENERAL_ERROR);
    for (size_t i = 0; i < list->n; i++) {
        const tk_attr *a = &list->v[i];
        if (a->nested != NULL) {
            TK_GUARD(tk_ser_size(a->nested, TK_ATTR_MAX_NESTED, &part));
        } else {
            TK_CHECK(a->len <= TK_ATTR_MAX_LEN, CKR_GENERAL_ERROR);
            part = a->len;
        }
        *size += TK_SER_ATTR_HEADER + part;
    }
out:
    return rv;
}

static uint8_t *
tk_ser_put_be(uint8_t *p, uint64_t v, size_t bytes)
{
    for (size_t i = 0; i < bytes; i++) {
        p[i] = (uint8_t)(v >> (8 * (bytes - 1 - i)));
    }
    return p + bytes;
}

static uint8_t *
tk_ser_put_list(uint8_t *p, const tk_attrs *list)
{
    for (size_t i = 0; i < list->n; i++) {
        const tk_attr *a = &list->v[i];
        p = tk_ser_put_be(p, a->type, 8);
        *p++ = a->nested != NULL ? 1 : 0;
        if (a->nested != NULL) {
            p = tk_ser_put_be(p, a->nested->n, 4);
            p = tk_ser_put_list(p, a->nested);
            continue;
        }
        p = tk_ser_put_be(p, a->len, 4);
        if (a->len > 0) {
            memcpy(p, a->value, a->len);
        }
        p += a->len;
    }
    return p;
}

/* See object.h. */
CK_RV
tk_object_serialize(const tk_object *obj, uint8_t **blob, size_t *len)
{
    CK_RV rv = CKR_OK;
    size_t size = 0;
    uint8_t *buf = NULL;
    uint8_t *p;

    TK_CHECK(obj != NULL && blob != NULL && len != NULL, CKR_ARGUMENTS_BAD);
    TK_GUARD(tk_ser_size(&obj->attrs, TK_ATTR_MAX_COUNT, &size));
    size += TK_SER_HEADER;
    buf = malloc(size);
    TK_CHECK(buf != NULL, CKR_HOST_MEMORY);
    memcpy(buf, TK_SER_MAGIC, 4);
    p = tk_ser_put_be(buf + 4, TK_SER_VERSION, 2);
    p = tk_ser_put_be(p, 0, 2);
    p = tk_ser_put_be(p, obj->attrs.n, 4);
    p = tk_ser_put_list(p, &obj->attrs);
    TK_CHECK((size_t)(p - buf) == size, CKR_GENERAL_ERROR);
    *blob = buf;
    *len = size;
    buf = NULL;
out:
    tk_free_secret(buf, buf != NULL ? size : 0);
    return rv;
}

/* ---- reading ---- */

typedef struct {
    const uint8_t *p;
    size_t left;
} tk_ser_reader;

static int
tk_ser_get_be(tk_ser_reader *r, size_t bytes, uint64_t *v)
{
    if (r->left < bytes) {
        return 0;
    }
    *v = 0;
    for (size_t i = 0; i < bytes; i++) {
        *v = (*v << 8) | r->p[i];
    }
    r->p += bytes;
    r->left -= bytes;
    return 1;
}

/* One attribute header; types must rise strictly after prev. */
static CK_RV
tk_ser_get_head(tk_ser_reader *r, int have_prev, uint64_t prev, uint64_t *type, int *form,
                uint64_t *n)
{
    uint64_t f = 0;

    if (!tk_ser_get_be(r, 8, type) || !tk_ser_get_be(r, 1, &f) || !tk_ser_get_be(r, 4, n)) {
        return CKR_DEVICE_ERROR;
    }
    if (f > 1 || (have_prev && *type <= prev) || *type > (uint64_t)(CK_ULONG)-1) {
        return CKR_DEVICE_ERROR;
    }
    /* The form must agree with the type, or a reader would misuse it. */
    if ((f == 1) != (tk_attr_is_template((CK_ATTRIBUTE_TYPE)*type) != 0)) {
        return CKR_DEVICE_ERROR;
    }
    *form = (int)f;
    return CKR_OK;
}

static CK_RV
tk_ser_get_list(tk_ser_reader *r, uint64_t count, int depth, tk_attrs *list);

static CK_RV
tk_ser_get_nested(tk_ser_reader *r, uint64_t type, uint64_t n, int depth, tk_attrs *list)
{
    CK_RV rv = CKR_OK;
    tk_attrs *nested = calloc(1, sizeof(*nested));

    TK_CHECK(nested != NULL, CKR_HOST_MEMORY);
    TK_CHECK(depth == 0 && n <= TK_ATTR_MAX_NESTED, CKR_DEVICE_ERROR);
    TK_GUARD(tk_ser_get_list(r, n, depth + 1, nested));
    TK_GUARD(tk_attrs_set_nested(list, (CK_ATTRIBUTE_TYPE)type, nested));
    nested = NULL;
out:
    if (nested != NULL) {
        tk_attrs_clear(nested);
        free(nested);
    }
    return rv;
}

static CK_RV
tk_ser_get_list(tk_ser_reader *r, uint64_t count, int depth, tk_attrs *list)
{
    CK_RV rv = CKR_OK;
    uint64_t prev = 0;
    size_t used = 0;

    /* Each entry needs its header, so a count the bytes cannot hold is
     * malformed; checking first keeps a bad count from sizing the list. */
    TK_CHECK(count <= r->left / TK_SER_ATTR_HEADER, CKR_DEVICE_ERROR);
    TK_GUARD(tk_attrs_reserve(list, (size_t)count));
    for (uint64_t i = 0; i < count; i++) {
        uint64_t type = 0;
        uint64_t n = 0;
        int form = 0;
        TK_GUARD(tk_ser_get_head(r, i > 0, prev, &type, &form, &n));
        prev = type;
        if (form == 1) {
            TK_GUARD(tk_ser_get_nested(r, type, n, depth, list));
            continue;
        }
        TK_CHECK(n <= TK_ATTR_MAX_LEN && n <= r->left, CKR_DEVICE_ERROR);
        TK_CHECK(list->arena == NULL || n <= list->arena_len - used, CKR_GENERAL_ERROR);
        /* Types rise strictly (tk_ser_get_head), so each goes last. The
         * arena, when there is one, holds every value: their sum is less
         * than the bytes they were read from. */
        TK_GUARD(tk_attrs_append(list, (CK_ATTRIBUTE_TYPE)type, r->p, (CK_ULONG)n,
                                 list->arena != NULL ? list->arena + used : NULL));
        used += (size_t)n;
        r->p += n;
        r->left -= n;
    }
out:
    return rv;
}

static CK_RV
tk_ser_get_header(tk_ser_reader *r, uint64_t *count)
{
    uint64_t version = 0;
    uint64_t reserved = 0;

    if (r->left < TK_SER_HEADER || memcmp(r->p, TK_SER_MAGIC, 4) != 0) {
        return CKR_DEVICE_ERROR;
    }
    r->p += 4;
    r->left -= 4;
    if (!tk_ser_get_be(r, 2, &version) || !tk_ser_get_be(r, 2, &reserved) ||
        !tk_ser_get_be(r, 4, count)) {
        return CKR_DEVICE_ERROR;
    }
    if (version != TK_SER_VERSION || reserved != 0 || *count > TK_ATTR_MAX_COUNT) {
        return CKR_DEVICE_ERROR;
    }
    return CKR_OK;
}

/* The attributes every stored object has, in the layout the ABI wants. */
static CK_RV
tk_ser_check_object(const tk_object *obj)
{
    const tk_attr *cls = tk_attrs_find(&obj->attrs, CKA_CLASS);
    const CK_ATTRIBUTE_TYPE bools[] = { CKA_TOKEN, CKA_PRIVATE };

    if (cls == NULL || cls->len != sizeof(CK_ULONG)) {
        return CKR_DEVICE_ERROR;
    }
    if ((tk_rule_class_bit(tk_attrs_ulong(&obj->attrs, CKA_CLASS, 0)) & TK_CB_KEYS) != 0 &&
        tk_attrs_ulong(&obj->attrs, CKA_KEY_TYPE, CK_UNAVAILABLE_INFORMATION) ==
            CK_UNAVAILABLE_INFORMATION) {
        return CKR_DEVICE_ERROR;
    }
    for (size_t i = 0; i < sizeof(bools) / sizeof(bools[0]); i++) {
        const tk_attr *b = tk_attrs_find(&obj->attrs, bools[i]);
        if (b != NULL && b->len != sizeof(CK_BBOOL)) {
            return CKR_DEVICE_ERROR;
        }
    }
    return CKR_OK;
}

/* See object.h. */
CK_RV
tk_object_deserialize(const uint8_t *blob, size_t len, tk_object **out)
{
    CK_RV rv = CKR_OK;
    tk_ser_reader r = { blob, len };
    tk_object *obj = NULL;
    uint64_t count = 0;

    TK_CHECK(out != NULL, CKR_ARGUMENTS_BAD);
    TK_CHECK(blob != NULL, CKR_DEVICE_ERROR);
    TK_GUARD(tk_ser_get_header(&r, &count));
    TK_GUARD(tk_object_alloc(&obj));
    /* One block for the top-level values instead of one allocation each:
     * loading and freeing 10,000 objects is mostly allocator work. */
    TK_GUARD(tk_attrs_arena(&obj->attrs, r.left));
    TK_GUARD(tk_ser_get_list(&r, count, 0, &obj->attrs));
    TK_CHECK(r.left == 0, CKR_DEVICE_ERROR);
    TK_GUARD(tk_ser_check_object(obj));
    tk_object_cache(obj);
    *out = obj;
    obj = NULL;
out:
    if (rv == CKR_DEVICE_ERROR) {
        TK_WARN("stored object of %zu bytes is malformed", len);
    }
    tk_object_free(obj);
    return rv;
}
