/*
 * Shared helpers of the object layer tests: template shorthands and
 * contexts. Header-only (static inline) so each test stays one file.
 */
#ifndef TK_TESTS_OBJ_TEST_H
#define TK_TESTS_OBJ_TEST_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "object/object.h"

/* Template entries built from literals (compound literals live as long
 * as the enclosing block, or the program at file scope). */
#define TK_UL(t, v) { (t), &(CK_ULONG){ (v) }, sizeof(CK_ULONG) }
#define TK_BB(t, v) { (t), &(CK_BBOOL){ (v) }, sizeof(CK_BBOOL) }
#define TK_STR(t, s) { (t), (void *)(s), sizeof(s) - 1 }
#define TK_BUF(t, p, n) { (t), (void *)(p), (n) }
#define TK_COUNT(a) ((CK_ULONG)(sizeof(a) / sizeof((a)[0])))

static inline tk_obj_ctx
tk_t_ctx(tk_origin origin, CK_USER_TYPE user)
{
    tk_obj_ctx ctx = { .origin = origin,
                       .user = user,
                       .mech = CK_UNAVAILABLE_INFORMATION,
                       .base_sensitive = CK_FALSE,
                       .base_never_extractable = CK_FALSE };
    return ctx;
}

/* Create from a template as a logged-in user calling C_CreateObject. */
static inline CK_RV
tk_t_create(const CK_ATTRIBUTE *t, CK_ULONG n, tk_object **out)
{
    tk_obj_ctx ctx = tk_t_ctx(TK_ORIGIN_CREATE, CKU_USER);
    return tk_object_create(t, n, NULL, &ctx, out);
}

/* Read a whole file into a malloc'd buffer; fails the test on error. */
static inline uint8_t *
tk_t_read_file(const char *name, size_t *len)
{
    char path[512];
    FILE *f;
    uint8_t *buf;
    long size;

    snprintf(path, sizeof(path), "%s/%s", TK_OBJ_TEST_DATA, name);
    f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    size = ftell(f);
    assert_true(size > 0);
    rewind(f);
    buf = malloc((size_t)size);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    *len = (size_t)size;
    return buf;
}

/* The attribute's bytes must be exactly (v, len). */
static inline void
tk_t_assert_bytes(const tk_object *obj, CK_ATTRIBUTE_TYPE type, const void *v, size_t len)
{
    const tk_attr *a = tk_attrs_find(&obj->attrs, type);
    assert_non_null(a);
    assert_int_equal(a->len, len);
    if (len > 0) {
        assert_memory_equal(a->value, v, len);
    }
}

#endif
