/*
 * The store format: round trips (nested templates included), and blobs that
 * are truncated, extended, reordered or random must give CKR_DEVICE_ERROR
 * without crashing.
 */
#include "obj_test.h"

#define TK_SEC_AES TK_UL(CKA_CLASS, CKO_SECRET_KEY), TK_UL(CKA_KEY_TYPE, CKK_AES)

static tk_object *
tk_t_rich_object(void)
{
    CK_ATTRIBUTE wrap[] = { TK_BB(CKA_EXTRACTABLE, 0), TK_STR(CKA_LABEL, "in"),
                            TK_STR(CKA_ID, "") };
    CK_ATTRIBUTE t[] = {
        TK_SEC_AES,
        TK_BUF(CKA_VALUE, "0123456789abcdefghijklmnopqrstuv", 32),
        TK_STR(CKA_LABEL, "rich"),
        TK_BB(CKA_TOKEN, 1),
        TK_BUF(CKA_WRAP_TEMPLATE, wrap, sizeof(wrap)),
        TK_BUF(CKA_ALLOWED_MECHANISMS, ((CK_ULONG[]){ 0x1081 }), sizeof(CK_ULONG)),
    };
    tk_object *o = NULL;

    assert_int_equal(tk_t_create(t, TK_COUNT(t), &o), CKR_OK);
    return o;
}

static void
tk_t_assert_same(const tk_attrs *a, const tk_attrs *b)
{
    assert_int_equal(a->n, b->n);
    for (size_t i = 0; i < a->n; i++) {
        assert_int_equal(a->v[i].type, b->v[i].type);
        assert_int_equal(a->v[i].len, b->v[i].len);
        assert_int_equal(a->v[i].nested != NULL, b->v[i].nested != NULL);
        if (a->v[i].nested != NULL) {
            tk_t_assert_same(a->v[i].nested, b->v[i].nested);
        } else if (a->v[i].len > 0) {
            assert_memory_equal(a->v[i].value, b->v[i].value, a->v[i].len);
        }
    }
}

static void
tk_test_round_trip(void **state)
{
    tk_object *o = tk_t_rich_object();
    tk_object *back = NULL;
    uint8_t *blob = NULL;
    size_t len = 0;
    const tk_attr *w;
    CK_ATTRIBUTE inner[3];
    CK_ATTRIBUTE q = { CKA_WRAP_TEMPLATE, inner, sizeof(inner) };

    (void)state;
    assert_int_equal(tk_object_serialize(o, &blob, &len), CKR_OK);
    assert_memory_equal(blob, "TKOB", 4);
    assert_int_equal(tk_object_deserialize(blob, len, &back), CKR_OK);
    tk_t_assert_same(&o->attrs, &back->attrs);
    assert_int_equal(back->cls, CKO_SECRET_KEY);
    assert_int_equal(back->is_token, CK_TRUE);
    assert_int_equal(back->is_private, CK_TRUE);
    w = tk_attrs_find(&back->attrs, CKA_WRAP_TEMPLATE);
    assert_non_null(w);
    assert_non_null(w->nested);
    assert_int_equal(w->nested->n, 3);
    assert_int_equal(w->len, 3 * sizeof(CK_ATTRIBUTE));
    memset(inner, 0, sizeof(inner));
    assert_int_equal(tk_object_get_attributes(back, &q, 1), CKR_OK);
    assert_int_equal(inner[0].type, CKA_LABEL);
    assert_int_equal(inner[1].type, CKA_ID);
    assert_int_equal(inner[1].ulValueLen, 0);
    free(blob);
    tk_object_free(back);
    tk_object_free(o);
}

static void
tk_test_round_trip_cert(void **state)
{
    size_t dlen = 0;
    uint8_t *der = tk_t_read_file("cert.der", &dlen);
    CK_ATTRIBUTE t[] = { TK_UL(CKA_CLASS, CKO_CERTIFICATE), TK_UL(CKA_CERTIFICATE_TYPE, CKC_X_509),
                         TK_BUF(CKA_VALUE, der, dlen) };
    tk_object *o = NULL;
    tk_object *back = NULL;
    uint8_t *blob = NULL;
    uint8_t *blob2 = NULL;
    size_t len = 0;
    size_t len2 = 0;

    (void)state;
    assert_int_equal(tk_t_create(t, TK_COUNT(t), &o), CKR_OK);
    assert_int_equal(tk_object_serialize(o, &blob, &len), CKR_OK);
    assert_int_equal(tk_object_deserialize(blob, len, &back), CKR_OK);
    assert_int_equal(tk_object_serialize(back, &blob2, &len2), CKR_OK);
    assert_int_equal(len, len2);
    assert_memory_equal(blob, blob2, len);
    assert_int_equal(back->cls, CKO_CERTIFICATE);
    free(blob);
    free(blob2);
    free(der);
    tk_object_free(o);
    tk_object_free(back);
}

static void
tk_test_malformed(void **state)
{
    tk_object *o = tk_t_rich_object();
    tk_object *back = NULL;
    uint8_t *blob = NULL;
    uint8_t *copy;
    size_t len = 0;
    size_t bad = 0;

    (void)state;
    assert_int_equal(tk_object_serialize(o, &blob, &len), CKR_OK);
    copy = malloc(len + 1);
    assert_non_null(copy);

    /* every strict prefix, so each field is cut at each byte */
    for (size_t cut = 0; cut < len; cut++) {
        memcpy(copy, blob, cut);
        assert_int_equal(tk_object_deserialize(copy, cut, &back), CKR_DEVICE_ERROR);
        bad++;
    }
    memcpy(copy, blob, len);
    copy[len] = 0;
    assert_int_equal(tk_object_deserialize(copy, len + 1, &back), CKR_DEVICE_ERROR);
    copy[0] = 'X';
    assert_int_equal(tk_object_deserialize(copy, len, &back), CKR_DEVICE_ERROR);
    memcpy(copy, blob, len);
    copy[5] = 2; /* version */
    assert_int_equal(tk_object_deserialize(copy, len, &back), CKR_DEVICE_ERROR);
    memcpy(copy, blob, len);
    copy[8] = 0xff; /* count */
    assert_int_equal(tk_object_deserialize(copy, len, &back), CKR_DEVICE_ERROR);
    assert_int_equal(tk_object_deserialize(NULL, 0, &back), CKR_DEVICE_ERROR);
    assert_null(back);
    print_message("%zu truncated blobs refused\n", bad);
    free(copy);
    free(blob);
    tk_object_free(o);
}

/* Hand-made blobs: order, forms and required attributes. */
static void
tk_test_malformed_structure(void **state)
{
    /* header + CKA_LABEL then CKA_CLASS: types out of order */
    uint8_t unsorted[12 + 2 * 13 + 8] = { 'T', 'K', 'O', 'B', 0, 1, 0, 0, 0, 0, 0, 2 };
    uint8_t noclass[12 + 13] = { 'T', 'K', 'O', 'B', 0, 1, 0, 0, 0, 0, 0, 1 };
    uint8_t nestedform[12 + 13] = { 'T', 'K', 'O', 'B', 0, 1, 0, 0, 0, 0, 0, 1 };
    uint8_t *p;
    tk_object *back = NULL;

    (void)state;
    p = unsorted + 12;
    p[7] = (uint8_t)CKA_LABEL; /* type, form 0, len 0 */
    p += 13;
    p[12] = sizeof(CK_ULONG); /* CKA_CLASS (0), form 0, len 8 */
    assert_int_equal(tk_object_deserialize(unsorted, sizeof(unsorted), &back), CKR_DEVICE_ERROR);
    /* swap into order: now valid */
    memset(unsorted + 12, 0, sizeof(unsorted) - 12);
    p = unsorted + 12;
    p[12] = sizeof(CK_ULONG);
    p += 13 + sizeof(CK_ULONG);
    p[7] = (uint8_t)CKA_LABEL;
    assert_int_equal(tk_object_deserialize(unsorted, sizeof(unsorted), &back), CKR_OK);
    assert_int_equal(back->cls, CKO_DATA);
    tk_object_free(back);
    back = NULL;

    noclass[12 + 7] = (uint8_t)CKA_LABEL;
    assert_int_equal(tk_object_deserialize(noclass, sizeof(noclass), &back), CKR_DEVICE_ERROR);
    nestedform[12 + 7] = (uint8_t)CKA_LABEL;
    nestedform[12 + 8] = 1; /* a template form for a plain type */
    assert_int_equal(tk_object_deserialize(nestedform, sizeof(nestedform), &back),
                     CKR_DEVICE_ERROR);
    assert_null(back);
}

/* A key without its type cannot be judged, so it is not loaded. */
static void
tk_test_key_without_type(void **state)
{
    tk_object raw;
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_KEY_TYPE kt = CKK_AES;
    tk_object *back = NULL;
    uint8_t *blob = NULL;
    size_t len = 0;

    (void)state;
    memset(&raw, 0, sizeof(raw));
    assert_int_equal(tk_attrs_set(&raw.attrs, CKA_CLASS, &cls, sizeof(cls)), CKR_OK);
    assert_int_equal(tk_attrs_set(&raw.attrs, CKA_VALUE, "0123456789abcdef", 16), CKR_OK);
    assert_int_equal(tk_object_serialize(&raw, &blob, &len), CKR_OK);
    assert_int_equal(tk_object_deserialize(blob, len, &back), CKR_DEVICE_ERROR);
    free(blob);
    assert_int_equal(tk_attrs_set(&raw.attrs, CKA_KEY_TYPE, &kt, sizeof(kt)), CKR_OK);
    assert_int_equal(tk_object_serialize(&raw, &blob, &len), CKR_OK);
    assert_int_equal(tk_object_deserialize(blob, len, &back), CKR_OK);
    /* no CKA_SENSITIVE or CKA_EXTRACTABLE stored: the value stays hidden */
    CK_ATTRIBUTE q = { CKA_VALUE, NULL, 0 };
    assert_int_equal(tk_object_get_attributes(back, &q, 1), CKR_ATTRIBUTE_SENSITIVE);
    tk_object_free(back);
    free(blob);
    tk_attrs_clear(&raw.attrs);
}

/* Random blobs and bit flips of a valid one: any result but a crash, and
 * an accepted blob must be a usable object. */
static void
tk_test_fuzz(void **state)
{
    tk_object *o = tk_t_rich_object();
    uint8_t *blob = NULL;
    size_t len = 0;
    uint8_t buf[2048];
    size_t accepted = 0;
    unsigned seed = 12345;

    (void)state;
    assert_int_equal(tk_object_serialize(o, &blob, &len), CKR_OK);
    assert_true(len <= sizeof(buf));
    for (int i = 0; i < 20000; i++) {
        tk_object *back = NULL;
        size_t n;
        CK_RV rv;
        seed = seed * 1103515245u + 12345u;
        if (i % 2 == 0) {
            /* a valid blob with a few bytes changed, maybe cut short */
            memcpy(buf, blob, len);
            for (int k = 0; k < 1 + (int)(seed % 4); k++) {
                seed = seed * 1103515245u + 12345u;
                buf[(seed >> 8) % len] ^= (uint8_t)(1u << ((seed >> 4) % 8));
            }
            n = (seed >> 16) % 8 == 0 ? (seed >> 3) % len : len;
        } else {
            /* random bytes behind a valid header */
            n = 12 + (seed >> 8) % (sizeof(buf) - 12);
            for (size_t k = 12; k < n; k++) {
                seed = seed * 1103515245u + 12345u;
                buf[k] = (uint8_t)(seed >> 16);
            }
            memcpy(buf, blob, 12);
        }
        rv = tk_object_deserialize(buf, n, &back);
        assert_true(rv == CKR_OK || rv == CKR_DEVICE_ERROR);
        if (rv == CKR_OK) {
            CK_ATTRIBUTE q = { CKA_LABEL, NULL, 0 };
            accepted++;
            (void)tk_object_get_attributes(back, &q, 1);
            tk_object_free(back);
        }
    }
    print_message("20000 fuzzed blobs, %zu accepted as objects\n", accepted);
    free(blob);
    tk_object_free(o);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tk_test_round_trip),
        cmocka_unit_test(tk_test_round_trip_cert),
        cmocka_unit_test(tk_test_malformed),
        cmocka_unit_test(tk_test_malformed_structure),
        cmocka_unit_test(tk_test_key_without_type),
        cmocka_unit_test(tk_test_fuzz),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
