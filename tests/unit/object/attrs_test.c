/*
 * C_GetAttributeValue, C_SetAttributeValue and C_CopyObject semantics on
 * single objects, and template matching.
 */
#include "obj_test.h"

#define TK_SEC_AES TK_UL(CKA_CLASS, CKO_SECRET_KEY), TK_UL(CKA_KEY_TYPE, CKK_AES)
#define TK_AES16 TK_BUF(CKA_VALUE, "0123456789abcdef", 16)

static tk_object *
tk_t_aes(CK_BBOOL sensitive, CK_BBOOL extractable)
{
    CK_ATTRIBUTE wrap[] = { TK_BB(CKA_EXTRACTABLE, 0), TK_STR(CKA_LABEL, "wrapped") };
    CK_ATTRIBUTE t[] = {
        TK_SEC_AES,
        TK_AES16,
        TK_STR(CKA_LABEL, "aes"),
        TK_STR(CKA_ID, "\x01\x02\x03\x04"),
        TK_BB(CKA_SENSITIVE, sensitive),
        TK_BB(CKA_EXTRACTABLE, extractable),
        TK_BUF(CKA_WRAP_TEMPLATE, wrap, sizeof(wrap)),
        TK_BUF(CKA_ALLOWED_MECHANISMS, ((CK_ULONG[]){ 0x1081, 0x1082 }), 2 * sizeof(CK_ULONG)),
    };
    tk_object *o = NULL;

    assert_int_equal(tk_t_create(t, TK_COUNT(t), &o), CKR_OK);
    return o;
}

static void
tk_test_get_length_and_value(void **state)
{
    tk_object *o = tk_t_aes(CK_FALSE, CK_TRUE);
    CK_ATTRIBUTE q[] = { { CKA_VALUE, NULL, 0 }, { CKA_LABEL, NULL, 99 } };
    uint8_t val[32];
    char label[8];
    CK_ULONG mechs[4];
    CK_ATTRIBUTE g[] = { { CKA_VALUE, val, sizeof(val) },
                         { CKA_LABEL, label, sizeof(label) },
                         { CKA_ALLOWED_MECHANISMS, mechs, sizeof(mechs) } };

    (void)state;
    assert_int_equal(tk_object_get_attributes(o, q, 2), CKR_OK);
    assert_int_equal(q[0].ulValueLen, 16);
    assert_int_equal(q[1].ulValueLen, 3);
    assert_int_equal(tk_object_get_attributes(o, g, 3), CKR_OK);
    assert_int_equal(g[0].ulValueLen, 16);
    assert_memory_equal(val, "0123456789abcdef", 16);
    assert_int_equal(g[1].ulValueLen, 3);
    assert_memory_equal(label, "aes", 3);
    assert_int_equal(g[2].ulValueLen, 2 * sizeof(CK_ULONG));
    assert_int_equal(mechs[0], 0x1081);
    assert_int_equal(mechs[1], 0x1082);
    tk_object_free(o);
}

static void
tk_test_get_sensitive(void **state)
{
    tk_object *sens = tk_t_aes(CK_TRUE, CK_TRUE);
    tk_object *unext = tk_t_aes(CK_FALSE, CK_FALSE);
    uint8_t val[32];
    CK_ATTRIBUTE g[] = { { CKA_VALUE, val, sizeof(val) } };
    CK_ATTRIBUTE l[] = { { CKA_VALUE, NULL, 0 } };

    (void)state;
    memset(val, 0xee, sizeof(val));
    assert_int_equal(tk_object_get_attributes(sens, g, 1), CKR_ATTRIBUTE_SENSITIVE);
    assert_int_equal(g[0].ulValueLen, CK_UNAVAILABLE_INFORMATION);
    assert_int_equal(val[0], 0xee); /* nothing leaked into the buffer */
    assert_int_equal(tk_object_get_attributes(unext, l, 1), CKR_ATTRIBUTE_SENSITIVE);
    assert_int_equal(l[0].ulValueLen, CK_UNAVAILABLE_INFORMATION);
    tk_object_free(sens);
    tk_object_free(unext);
}

static void
tk_test_get_private_components(void **state)
{
    static uint8_t mod[128] = { 0xc1 };
    CK_ATTRIBUTE t[] = { TK_UL(CKA_CLASS, CKO_PRIVATE_KEY), TK_UL(CKA_KEY_TYPE, CKK_RSA),
                         TK_BUF(CKA_MODULUS, mod, sizeof(mod)), TK_STR(CKA_PUBLIC_EXPONENT, "\x03"),
                         TK_STR(CKA_PRIVATE_EXPONENT, "\x11\x22"), TK_STR(CKA_PRIME_1, "\x05") };
    CK_ATTRIBUTE k[] = { TK_UL(CKA_CLASS, CKO_PRIVATE_KEY), TK_UL(CKA_KEY_TYPE, CKK_ML_KEM),
                         TK_UL(CKA_PARAMETER_SET, CKP_ML_KEM_512),
                         TK_BUF(CKA_SEED, mod, 64), TK_BB(CKA_SENSITIVE, 0),
                         TK_BB(CKA_EXTRACTABLE, 0) };
    CK_ATTRIBUTE g[] = { { CKA_MODULUS, NULL, 0 }, { CKA_PRIVATE_EXPONENT, NULL, 0 },
                         { CKA_PRIME_1, NULL, 0 }, { CKA_PRIME_2, NULL, 0 } };
    CK_ATTRIBUTE s[] = { { CKA_SEED, NULL, 0 }, { CKA_PARAMETER_SET, NULL, 0 } };
    tk_object *o = NULL;

    (void)state;
    assert_int_equal(tk_t_create(t, TK_COUNT(t), &o), CKR_OK);
    assert_int_equal(tk_object_get_attributes(o, g, 4), CKR_ATTRIBUTE_SENSITIVE);
    assert_int_equal(g[0].ulValueLen, sizeof(mod));
    assert_int_equal(g[1].ulValueLen, CK_UNAVAILABLE_INFORMATION);
    assert_int_equal(g[2].ulValueLen, CK_UNAVAILABLE_INFORMATION);
    assert_int_equal(g[3].ulValueLen, CK_UNAVAILABLE_INFORMATION);
    tk_object_free(o);
    assert_int_equal(tk_t_create(k, TK_COUNT(k), &o), CKR_OK);
    assert_int_equal(tk_object_get_attributes(o, s, 2), CKR_ATTRIBUTE_SENSITIVE);
    assert_int_equal(s[0].ulValueLen, CK_UNAVAILABLE_INFORMATION);
    assert_int_equal(s[1].ulValueLen, sizeof(CK_ULONG));
    tk_object_free(o);
}

static void
tk_test_get_mixed(void **state)
{
    tk_object *o = tk_t_aes(CK_TRUE, CK_FALSE);
    char label[8];
    uint8_t id[2];
    CK_ATTRIBUTE all[] = { { CKA_LABEL, label, sizeof(label) },
                           { CKA_VALUE, NULL, 0 },
                           { CKA_MODULUS, NULL, 0 },
                           { CKA_ID, id, sizeof(id) },
                           { CKA_KEY_TYPE, NULL, 0 } };
    CK_ATTRIBUTE inv[] = { { CKA_LABEL, label, sizeof(label) },
                           { CKA_MODULUS, NULL, 0 },
                           { CKA_ID, id, sizeof(id) } };
    CK_ATTRIBUTE small[] = { { CKA_ID, id, sizeof(id) }, { CKA_LABEL, label, sizeof(label) } };

    (void)state;
    /* every entry is processed whatever the others do */
    assert_int_equal(tk_object_get_attributes(o, all, TK_COUNT(all)), CKR_ATTRIBUTE_SENSITIVE);
    assert_int_equal(all[0].ulValueLen, 3);
    assert_memory_equal(label, "aes", 3);
    assert_int_equal(all[1].ulValueLen, CK_UNAVAILABLE_INFORMATION);
    assert_int_equal(all[2].ulValueLen, CK_UNAVAILABLE_INFORMATION);
    assert_int_equal(all[3].ulValueLen, CK_UNAVAILABLE_INFORMATION);
    assert_int_equal(all[4].ulValueLen, sizeof(CK_ULONG));
    assert_int_equal(tk_object_get_attributes(o, inv, TK_COUNT(inv)), CKR_ATTRIBUTE_TYPE_INVALID);
    assert_int_equal(inv[1].ulValueLen, CK_UNAVAILABLE_INFORMATION);
    assert_int_equal(inv[2].ulValueLen, CK_UNAVAILABLE_INFORMATION);
    memset(label, 0, sizeof(label));
    assert_int_equal(tk_object_get_attributes(o, small, TK_COUNT(small)), CKR_BUFFER_TOO_SMALL);
    assert_int_equal(small[0].ulValueLen, CK_UNAVAILABLE_INFORMATION);
    assert_int_equal(small[1].ulValueLen, 3);
    assert_memory_equal(label, "aes", 3);
    assert_int_equal(tk_object_get_attributes(o, NULL, 1), CKR_ARGUMENTS_BAD);
    assert_int_equal(tk_object_get_attributes(o, NULL, 0), CKR_OK);
    tk_object_free(o);
}

static void
tk_test_get_nested(void **state)
{
    tk_object *o = tk_t_aes(CK_TRUE, CK_FALSE);
    CK_ATTRIBUTE outer = { CKA_WRAP_TEMPLATE, NULL, 0 };
    CK_ATTRIBUTE inner[2];
    CK_BBOOL b = 9;
    char lab[16];
    char tiny[2];

    (void)state;
    /* 1: the outer length */
    assert_int_equal(tk_object_get_attributes(o, &outer, 1), CKR_OK);
    assert_int_equal(outer.ulValueLen, 2 * sizeof(CK_ATTRIBUTE));

    /* 2: member lengths and types (types are written, never read) */
    memset(inner, 0, sizeof(inner));
    inner[0].type = 0xdead;
    outer.pValue = inner;
    assert_int_equal(tk_object_get_attributes(o, &outer, 1), CKR_OK);
    assert_int_equal(inner[0].type, CKA_LABEL);
    assert_int_equal(inner[0].ulValueLen, 7);
    assert_int_equal(inner[1].type, CKA_EXTRACTABLE);
    assert_int_equal(inner[1].ulValueLen, 1);

    /* 3: values */
    inner[0].pValue = lab;
    inner[0].ulValueLen = sizeof(lab);
    inner[1].pValue = &b;
    inner[1].ulValueLen = 1;
    assert_int_equal(tk_object_get_attributes(o, &outer, 1), CKR_OK);
    assert_int_equal(inner[0].ulValueLen, 7);
    assert_memory_equal(lab, "wrapped", 7);
    assert_int_equal(b, CK_FALSE);

    /* a member buffer too small */
    inner[0].pValue = tiny;
    inner[0].ulValueLen = sizeof(tiny);
    inner[1].ulValueLen = 1;
    assert_int_equal(tk_object_get_attributes(o, &outer, 1), CKR_BUFFER_TOO_SMALL);
    assert_int_equal(inner[0].ulValueLen, CK_UNAVAILABLE_INFORMATION);
    assert_int_equal(inner[1].ulValueLen, 1);

    /* the outer array too small for both members */
    outer.ulValueLen = sizeof(CK_ATTRIBUTE);
    assert_int_equal(tk_object_get_attributes(o, &outer, 1), CKR_BUFFER_TOO_SMALL);
    assert_int_equal(outer.ulValueLen, CK_UNAVAILABLE_INFORMATION);
    tk_object_free(o);
}

static void
tk_test_set_rules(void **state)
{
    tk_object *o = tk_t_aes(CK_FALSE, CK_TRUE);
    tk_obj_ctx user = tk_t_ctx(TK_ORIGIN_CREATE, CKU_USER);
    tk_obj_ctx so = tk_t_ctx(TK_ORIGIN_CREATE, CKU_SO);
    struct {
        CK_ATTRIBUTE a;
        const tk_obj_ctx *ctx;
        CK_RV want;
    } cases[] = {
        { TK_STR(CKA_LABEL, "new"), &user, CKR_OK },
        { TK_UL(CKA_CLASS, CKO_DATA), &user, CKR_ATTRIBUTE_READ_ONLY },
        { TK_BB(CKA_TOKEN, 1), &user, CKR_ATTRIBUTE_READ_ONLY },
        { TK_BB(CKA_PRIVATE, 0), &user, CKR_ATTRIBUTE_READ_ONLY },
        { TK_UL(CKA_KEY_TYPE, CKK_AES), &user, CKR_ATTRIBUTE_READ_ONLY },
        { TK_UL(CKA_VALUE_LEN, 16), &user, CKR_ATTRIBUTE_READ_ONLY },
        { TK_AES16, &user, CKR_ATTRIBUTE_READ_ONLY },
        { TK_BB(CKA_LOCAL, 1), &user, CKR_ATTRIBUTE_READ_ONLY },
        { TK_BB(CKA_MODIFIABLE, 0), &user, CKR_ATTRIBUTE_READ_ONLY },
        { TK_STR(CKA_UNIQUE_ID, "x"), &user, CKR_ATTRIBUTE_READ_ONLY },
        { TK_STR(CKA_MODULUS, "x"), &user, CKR_TEMPLATE_INCONSISTENT },
        { TK_STR(CKA_VENDOR_DEFINED | 9, "x"), &user, CKR_ATTRIBUTE_TYPE_INVALID },
        { TK_BB(CKA_DESTROYABLE, 0), &user, CKR_ATTRIBUTE_READ_ONLY },
        { TK_STR(CKA_CHECK_VALUE, "abc"), &user, CKR_OK }, /* ignored */
        { TK_BB(CKA_ENCRYPT, 2), &user, CKR_ATTRIBUTE_VALUE_INVALID },
        { TK_STR(CKA_START_DATE, "2026"), &user, CKR_ATTRIBUTE_VALUE_INVALID },
        { TK_STR(CKA_START_DATE, "20261204"), &user, CKR_OK },
        { TK_BB(CKA_ENCRYPT, 0), &user, CKR_OK },
        { TK_BB(CKA_ENCRYPT, 1), &user, CKR_OK },
        /* one-way attributes */
        { TK_BB(CKA_SENSITIVE, 1), &user, CKR_OK },
        { TK_BB(CKA_SENSITIVE, 0), &user, CKR_ATTRIBUTE_READ_ONLY },
        { TK_BB(CKA_EXTRACTABLE, 0), &user, CKR_OK },
        { TK_BB(CKA_EXTRACTABLE, 1), &user, CKR_ATTRIBUTE_READ_ONLY },
        { TK_BB(CKA_WRAP_WITH_TRUSTED, 1), &user, CKR_OK },
        { TK_BB(CKA_WRAP_WITH_TRUSTED, 0), &user, CKR_ATTRIBUTE_READ_ONLY },
        /* the SO's attribute */
        { TK_BB(CKA_TRUSTED, 1), &user, CKR_ATTRIBUTE_READ_ONLY },
        { TK_BB(CKA_TRUSTED, 1), &so, CKR_OK },
        { TK_BB(CKA_TRUSTED, 0), &user, CKR_OK },
        { TK_BB(CKA_COPYABLE, 0), &user, CKR_OK },
        { TK_BB(CKA_COPYABLE, 1), &user, CKR_ATTRIBUTE_READ_ONLY },
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        CK_RV rv = tk_object_set_attributes(o, &cases[i].a, 1, cases[i].ctx);
        if (rv != cases[i].want) {
            print_error("set case %zu (type 0x%lx): got 0x%lx want 0x%lx\n", i, cases[i].a.type,
                        rv, cases[i].want);
        }
        assert_int_equal(rv, cases[i].want);
    }
    tk_t_assert_bytes(o, CKA_LABEL, "new", 3);
    assert_int_equal(tk_object_bool(o, CKA_SENSITIVE, 9), CK_TRUE);
    assert_int_equal(tk_object_bool(o, CKA_EXTRACTABLE, 9), CK_FALSE);
    assert_int_equal(tk_object_bool(o, CKA_TRUSTED, 9), CK_FALSE);
    tk_object_free(o);
}

static void
tk_test_set_all_or_nothing(void **state)
{
    tk_object *o = tk_t_aes(CK_TRUE, CK_FALSE);
    tk_obj_ctx user = tk_t_ctx(TK_ORIGIN_CREATE, CKU_USER);
    CK_ATTRIBUTE t[] = { TK_STR(CKA_LABEL, "changed"), TK_BB(CKA_DERIVE, 1),
                         TK_UL(CKA_CLASS, CKO_DATA) };
    CK_ATTRIBUTE lock[] = { TK_STR(CKA_LABEL, "x") };
    CK_ATTRIBUTE off[] = { TK_BB(CKA_MODIFIABLE, 0) };
    CK_ATTRIBUTE data[] = { TK_UL(CKA_CLASS, CKO_DATA), TK_BB(CKA_MODIFIABLE, 0) };
    tk_object *d = NULL;

    (void)state;
    assert_int_equal(tk_object_set_attributes(o, t, TK_COUNT(t), &user), CKR_ATTRIBUTE_READ_ONLY);
    tk_t_assert_bytes(o, CKA_LABEL, "aes", 3);
    assert_int_equal(tk_object_bool(o, CKA_DERIVE, 9), CK_FALSE);
    assert_int_equal(tk_object_set_attributes(o, t, 2, &user), CKR_OK);
    tk_t_assert_bytes(o, CKA_LABEL, "changed", 7);
    assert_int_equal(tk_object_bool(o, CKA_DERIVE, 9), CK_TRUE);
    assert_int_equal(tk_object_set_attributes(o, off, 1, &user), CKR_ATTRIBUTE_READ_ONLY);
    tk_object_free(o);

    /* a non-modifiable object refuses every change */
    assert_int_equal(tk_t_create(data, TK_COUNT(data), &d), CKR_OK);
    assert_int_equal(tk_object_set_attributes(d, lock, 1, &user), CKR_ACTION_PROHIBITED);
    tk_object_free(d);
}

static void
tk_test_set_certificate(void **state)
{
    CK_ATTRIBUTE t[] = { TK_UL(CKA_CLASS, CKO_CERTIFICATE), TK_UL(CKA_CERTIFICATE_TYPE, CKC_X_509),
                         TK_STR(CKA_VALUE, ""), TK_STR(CKA_URL, "https://ca.invalid/c"),
                         TK_STR(CKA_SUBJECT, "s"), TK_STR(CKA_HASH_OF_SUBJECT_PUBLIC_KEY, "h"),
                         TK_STR(CKA_HASH_OF_ISSUER_PUBLIC_KEY, "i") };
    CK_ATTRIBUTE id[] = { TK_STR(CKA_ID, "\x07") };
    CK_ATTRIBUTE trust[] = { TK_BB(CKA_TRUSTED, 1) };
    tk_obj_ctx so = tk_t_ctx(TK_ORIGIN_CREATE, CKU_SO);
    CK_ATTRIBUTE val[] = { TK_STR(CKA_VALUE, "\x30\x00") };
    CK_ATTRIBUTE cat[] = { TK_UL(CKA_CERTIFICATE_CATEGORY, 1) };
    tk_obj_ctx user = tk_t_ctx(TK_ORIGIN_CREATE, CKU_USER);
    tk_object *o = NULL;

    (void)state;
    assert_int_equal(tk_t_create(t, TK_COUNT(t), &o), CKR_OK);
    assert_int_equal(tk_object_set_attributes(o, id, 1, &user), CKR_OK);
    assert_int_equal(tk_object_set_attributes(o, val, 1, &user), CKR_ATTRIBUTE_READ_ONLY);
    assert_int_equal(tk_object_set_attributes(o, cat, 1, &user), CKR_ATTRIBUTE_READ_ONLY);
    tk_t_assert_bytes(o, CKA_ID, "\x07", 1);
    /* once the SO trusts it, nobody changes it */
    assert_int_equal(tk_object_set_attributes(o, trust, 1, &user), CKR_ATTRIBUTE_READ_ONLY);
    assert_int_equal(tk_object_set_attributes(o, trust, 1, &so), CKR_OK);
    assert_int_equal(tk_object_set_attributes(o, id, 1, &so), CKR_ACTION_PROHIBITED);
    tk_object_free(o);
}

static void
tk_test_copy_rules(void **state)
{
    tk_object *src = tk_t_aes(CK_TRUE, CK_FALSE);
    tk_obj_ctx ctx = tk_t_ctx(TK_ORIGIN_COPY, CKU_USER);
    CK_ATTRIBUTE ok[] = { TK_STR(CKA_LABEL, "copy"), TK_BB(CKA_TOKEN, 1),
                          TK_UL(CKA_CLASS, CKO_SECRET_KEY), TK_BB(CKA_MODIFIABLE, 0),
                          TK_BB(CKA_DESTROYABLE, 0) };
    CK_ATTRIBUTE unsens[] = { TK_BB(CKA_SENSITIVE, 0) };
    CK_ATTRIBUTE ext[] = { TK_BB(CKA_EXTRACTABLE, 1) };
    CK_ATTRIBUTE cls[] = { TK_UL(CKA_CLASS, CKO_DATA) };
    CK_ATTRIBUTE val[] = { TK_AES16 };
    CK_ATTRIBUTE unlock[] = { TK_BB(CKA_MODIFIABLE, 1) };
    CK_ATTRIBUTE nocopy[] = { TK_BB(CKA_COPYABLE, 0) };
    tk_object *c = NULL;
    tk_object *c2 = NULL;
    const tk_attr *u1;
    const tk_attr *u2;

    (void)state;
    assert_int_equal(tk_object_copy(src, ok, TK_COUNT(ok), &ctx, &c), CKR_OK);
    tk_t_assert_bytes(c, CKA_LABEL, "copy", 4);
    tk_t_assert_bytes(src, CKA_LABEL, "aes", 3);
    assert_int_equal(c->is_token, CK_TRUE);
    assert_int_equal(src->is_token, CK_FALSE);
    assert_int_equal(tk_object_bool(c, CKA_MODIFIABLE, 9), CK_FALSE);
    assert_int_equal(tk_object_bool(c, CKA_DESTROYABLE, 9), CK_FALSE);
    assert_int_equal(tk_object_bool(src, CKA_DESTROYABLE, 9), CK_TRUE);
    tk_t_assert_bytes(c, CKA_VALUE, "0123456789abcdef", 16);
    u1 = tk_attrs_find(&src->attrs, CKA_UNIQUE_ID);
    u2 = tk_attrs_find(&c->attrs, CKA_UNIQUE_ID);
    assert_memory_not_equal(u1->value, u2->value, u1->len);

    /* copying a non-modifiable object is allowed; unlocking it is not */
    assert_int_equal(tk_object_copy(c, unlock, 1, &ctx, &c2), CKR_ATTRIBUTE_READ_ONLY);
    assert_int_equal(tk_object_copy(c, NULL, 0, &ctx, &c2), CKR_OK);
    tk_object_free(c2);
    c2 = NULL;

    assert_int_equal(tk_object_copy(src, unsens, 1, &ctx, &c2), CKR_ATTRIBUTE_READ_ONLY);
    assert_int_equal(tk_object_copy(src, ext, 1, &ctx, &c2), CKR_ATTRIBUTE_READ_ONLY);
    assert_int_equal(tk_object_copy(src, cls, 1, &ctx, &c2), CKR_ATTRIBUTE_READ_ONLY);
    /* the value of a sensitive key is no oracle, even when repeated */
    assert_int_equal(tk_object_copy(src, val, 1, &ctx, &c2), CKR_ATTRIBUTE_READ_ONLY);
    assert_null(c2);

    tk_obj_ctx set = tk_t_ctx(TK_ORIGIN_CREATE, CKU_USER);
    assert_int_equal(tk_object_set_attributes(src, nocopy, 1, &set), CKR_OK);
    assert_int_equal(tk_object_copy(src, NULL, 0, &ctx, &c2), CKR_ACTION_PROHIBITED);
    assert_null(c2);
    tk_object_free(c);
    tk_object_free(src);
}

static void
tk_test_copy_keeps_history(void **state)
{
    CK_ATTRIBUTE t[] = { TK_SEC_AES, TK_UL(CKA_VALUE_LEN, 16), TK_BB(CKA_SENSITIVE, 1) };
    tk_attrs extra = { 0 };
    tk_obj_ctx gen = tk_t_ctx(TK_ORIGIN_GENERATE, CKU_USER);
    tk_obj_ctx cp = tk_t_ctx(TK_ORIGIN_COPY, CKU_USER);
    tk_object *o = NULL;
    tk_object *c = NULL;

    (void)state;
    gen.mech = 0x1080;
    assert_int_equal(tk_attrs_set(&extra, CKA_VALUE, "0123456789abcdef", 16), CKR_OK);
    assert_int_equal(tk_object_create(t, TK_COUNT(t), &extra, &gen, &o), CKR_OK);
    assert_int_equal(tk_object_copy(o, NULL, 0, &cp, &c), CKR_OK);
    assert_int_equal(tk_object_bool(c, CKA_LOCAL, 9), CK_TRUE);
    assert_int_equal(tk_object_ulong(c, CKA_KEY_GEN_MECHANISM, 0), 0x1080);
    assert_int_equal(tk_object_bool(c, CKA_ALWAYS_SENSITIVE, 9), CK_TRUE);
    assert_int_equal(tk_object_bool(c, CKA_NEVER_EXTRACTABLE, 9), CK_TRUE);
    tk_object_free(c);
    tk_object_free(o);
    tk_attrs_clear(&extra);
}

static void
tk_test_matches(void **state)
{
    tk_object *sens = tk_t_aes(CK_TRUE, CK_FALSE);
    tk_object *open = tk_t_aes(CK_FALSE, CK_TRUE);
    CK_ATTRIBUTE wrap[] = { TK_STR(CKA_LABEL, "wrapped"), TK_BB(CKA_EXTRACTABLE, 0) };
    CK_ATTRIBUTE lab[] = { TK_STR(CKA_LABEL, "aes"), TK_UL(CKA_CLASS, CKO_SECRET_KEY) };
    CK_ATTRIBUTE other[] = { TK_STR(CKA_LABEL, "aes2") };
    CK_ATTRIBUTE absent[] = { TK_STR(CKA_MODULUS, "") };
    CK_ATTRIBUTE val[] = { TK_AES16 };
    CK_ATTRIBUTE wt[] = { TK_BUF(CKA_WRAP_TEMPLATE, wrap, sizeof(wrap)) };
    CK_ATTRIBUTE wt1[] = { TK_BUF(CKA_WRAP_TEMPLATE, wrap, sizeof(CK_ATTRIBUTE)) };

    (void)state;
    assert_true(tk_object_matches(sens, NULL, 0));
    assert_true(tk_object_matches(sens, lab, 2));
    assert_false(tk_object_matches(sens, other, 1));
    assert_false(tk_object_matches(sens, absent, 1));
    assert_false(tk_object_matches(sens, val, 1));
    assert_true(tk_object_matches(open, val, 1));
    assert_true(tk_object_matches(sens, wt, 1));
    assert_false(tk_object_matches(sens, wt1, 1));
    tk_object_free(sens);
    tk_object_free(open);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tk_test_get_length_and_value),
        cmocka_unit_test(tk_test_get_sensitive),
        cmocka_unit_test(tk_test_get_private_components),
        cmocka_unit_test(tk_test_get_mixed),
        cmocka_unit_test(tk_test_get_nested),
        cmocka_unit_test(tk_test_set_rules),
        cmocka_unit_test(tk_test_set_all_or_nothing),
        cmocka_unit_test(tk_test_set_certificate),
        cmocka_unit_test(tk_test_copy_rules),
        cmocka_unit_test(tk_test_copy_keeps_history),
        cmocka_unit_test(tk_test_matches),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
