/*
 * Allocation failures: every malloc, calloc and realloc that the object
 * code makes is failed in turn (the linker wraps them for this program
 * only). Each operation must return CKR_HOST_MEMORY, leak nothing (run
 * under ASan) and leave its inputs intact, then succeed once memory is
 * back. A failing random generator is injected the same way.
 */
#include "crypto/ossl/rand.h"
#include "obj_test.h"
#include "object/objset.h"

CK_RV
__real_tk_ossl_random(void *buf, size_t len);
CK_RV
__wrap_tk_ossl_random(void *buf, size_t len);

static int tk_rng_broken;

CK_RV
__wrap_tk_ossl_random(void *buf, size_t len)
{
    return tk_rng_broken ? CKR_FUNCTION_FAILED : __real_tk_ossl_random(buf, len);
}

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);

/* Allocations left before the next one fails; -1: never fail. */
static long tk_oom_left = -1;

static int
tk_oom_now(void)
{
    if (tk_oom_left < 0) {
        return 0;
    }
    if (tk_oom_left == 0) {
        return 1;
    }
    tk_oom_left--;
    return 0;
}

void *
__wrap_malloc(size_t n)
{
    return tk_oom_now() ? NULL : __real_malloc(n);
}

void *
__wrap_calloc(size_t n, size_t size)
{
    return tk_oom_now() ? NULL : __real_calloc(n, size);
}

void *
__wrap_realloc(void *p, size_t n)
{
    return tk_oom_now() ? NULL : __real_realloc(p, n);
}

typedef CK_RV (*tk_oom_op)(void *arg);

/* Run op with the k-th allocation failing, for k = 0, 1, ... until it
 * succeeds; returns how many failure points it went through. */
static long
tk_oom_sweep(tk_oom_op op, void *arg)
{
    for (long k = 0; k < 100000; k++) {
        CK_RV rv;
        tk_oom_left = k;
        rv = op(arg);
        tk_oom_left = -1;
        if (rv == CKR_OK) {
            return k;
        }
        assert_int_equal(rv, CKR_HOST_MEMORY);
    }
    fail_msg("operation never succeeded");
    return -1;
}

typedef struct {
    const CK_ATTRIBUTE *t;
    CK_ULONG n;
    const tk_attrs *extra;
    tk_object *src;
    tk_object *out;
} tk_oom_create_arg;

static CK_RV
tk_oom_create(void *p)
{
    tk_oom_create_arg *a = p;
    tk_obj_ctx ctx = tk_t_ctx(a->extra != NULL ? TK_ORIGIN_GENERATE : TK_ORIGIN_CREATE,
                              CKU_USER);
    CK_RV rv = tk_object_create(a->t, a->n, a->extra, &ctx, &a->out);

    if (rv == CKR_OK) {
        tk_object_free(a->out);
    }
    return rv;
}

static CK_RV
tk_oom_copy(void *p)
{
    tk_oom_create_arg *a = p;
    tk_obj_ctx ctx = tk_t_ctx(TK_ORIGIN_COPY, CKU_USER);
    CK_RV rv = tk_object_copy(a->src, a->t, a->n, &ctx, &a->out);

    if (rv == CKR_OK) {
        tk_object_free(a->out);
    }
    return rv;
}

static CK_RV
tk_oom_set(void *p)
{
    tk_oom_create_arg *a = p;
    tk_obj_ctx ctx = tk_t_ctx(TK_ORIGIN_CREATE, CKU_USER);

    return tk_object_set_attributes(a->src, a->t, a->n, &ctx);
}

static CK_RV
tk_oom_round_trip(void *p)
{
    tk_oom_create_arg *a = p;
    uint8_t *blob = NULL;
    size_t len = 0;
    CK_RV rv = tk_object_serialize(a->src, &blob, &len);

    if (rv == CKR_OK) {
        rv = tk_object_deserialize(blob, len, &a->out);
        free(blob);
    }
    if (rv == CKR_OK) {
        tk_object_free(a->out);
    }
    return rv;
}

static void
tk_test_oom_objects(void **state)
{
    CK_ATTRIBUTE wrap[] = { TK_BB(CKA_EXTRACTABLE, 0), TK_STR(CKA_LABEL, "w") };
    CK_ATTRIBUTE aes[] = { TK_UL(CKA_CLASS, CKO_SECRET_KEY), TK_UL(CKA_KEY_TYPE, CKK_AES),
                           TK_BUF(CKA_VALUE, "0123456789abcdef", 16), TK_STR(CKA_LABEL, "k"),
                           TK_BUF(CKA_WRAP_TEMPLATE, wrap, sizeof(wrap)) };
    CK_ATTRIBUTE gen[] = { TK_UL(CKA_CLASS, CKO_SECRET_KEY), TK_UL(CKA_KEY_TYPE, CKK_AES) };
    CK_ATTRIBUTE change[] = { TK_STR(CKA_LABEL, "changed"), TK_BB(CKA_DERIVE, 1) };
    size_t dlen = 0;
    uint8_t *der = tk_t_read_file("cert.der", &dlen);
    CK_ATTRIBUTE cert[] = { TK_UL(CKA_CLASS, CKO_CERTIFICATE),
                            TK_UL(CKA_CERTIFICATE_TYPE, CKC_X_509), TK_BUF(CKA_VALUE, der, dlen) };
    tk_attrs extra = { 0 };
    tk_oom_create_arg a = { aes, TK_COUNT(aes), NULL, NULL, NULL };
    long points = 0;

    (void)state;
    points += tk_oom_sweep(tk_oom_create, &a);
    a = (tk_oom_create_arg){ cert, TK_COUNT(cert), NULL, NULL, NULL };
    points += tk_oom_sweep(tk_oom_create, &a);
    assert_int_equal(tk_attrs_set(&extra, CKA_VALUE, "0123456789abcdef", 16), CKR_OK);
    a = (tk_oom_create_arg){ gen, TK_COUNT(gen), &extra, NULL, NULL };
    points += tk_oom_sweep(tk_oom_create, &a);

    assert_int_equal(tk_t_create(aes, TK_COUNT(aes), &a.src), CKR_OK);
    a.t = change;
    a.n = TK_COUNT(change);
    points += tk_oom_sweep(tk_oom_copy, &a);
    points += tk_oom_sweep(tk_oom_round_trip, &a);
    /* a failed set leaves the object as it was */
    tk_oom_left = 0;
    assert_int_equal(tk_oom_set(&a), CKR_HOST_MEMORY);
    tk_oom_left = -1;
    tk_t_assert_bytes(a.src, CKA_LABEL, "k", 1);
    points += tk_oom_sweep(tk_oom_set, &a);
    tk_t_assert_bytes(a.src, CKA_LABEL, "changed", 7);
    print_message("%ld allocation failure points passed\n", points);
    tk_object_free(a.src);
    tk_attrs_clear(&extra);
    free(der);
}

/* Adding to a set whose tables must grow: a failed add keeps the set
 * whole and leaves the object with the caller. */
static void
tk_test_oom_objset(void **state)
{
    tk_objset *set = NULL;
    CK_ATTRIBUTE t[] = { TK_UL(CKA_CLASS, CKO_DATA), TK_STR(CKA_LABEL, "x") };
    long failures = 0;

    (void)state;
    assert_int_equal(tk_objset_new(&set), CKR_OK);
    for (CK_OBJECT_HANDLE h = 1; h <= 300; h++) {
        tk_object *o = NULL;
        CK_RV rv;
        assert_int_equal(tk_t_create(t, TK_COUNT(t), &o), CKR_OK);
        o->handle = h;
        for (long k = 0;; k++) {
            tk_oom_left = k;
            rv = tk_objset_add(set, o);
            tk_oom_left = -1;
            if (rv == CKR_OK) {
                break;
            }
            assert_int_equal(rv, CKR_HOST_MEMORY);
            assert_null(tk_objset_get(set, h));
            failures++;
        }
    }
    assert_int_equal(tk_objset_count(set), 300);
    for (CK_OBJECT_HANDLE h = 1; h <= 300; h++) {
        assert_non_null(tk_objset_get(set, h));
    }
    print_message("%ld failed adds survived\n", failures);
    tk_objset_free(set);
}

/* No random generator, no CKA_UNIQUE_ID, no object. */
static void
tk_test_rng_failure(void **state)
{
    CK_ATTRIBUTE t[] = { TK_UL(CKA_CLASS, CKO_DATA), TK_STR(CKA_LABEL, "x") };
    tk_obj_ctx ctx = tk_t_ctx(TK_ORIGIN_COPY, CKU_USER);
    tk_object *o = NULL;
    tk_object *c = NULL;

    (void)state;
    assert_int_equal(tk_t_create(t, TK_COUNT(t), &o), CKR_OK);
    tk_rng_broken = 1;
    assert_int_equal(tk_t_create(t, TK_COUNT(t), &c), CKR_FUNCTION_FAILED);
    assert_int_equal(tk_object_copy(o, NULL, 0, &ctx, &c), CKR_FUNCTION_FAILED);
    tk_rng_broken = 0;
    assert_null(c);
    assert_int_equal(tk_object_copy(o, NULL, 0, &ctx, &c), CKR_OK);
    tk_object_free(c);
    tk_object_free(o);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tk_test_rng_failure),
        cmocka_unit_test(tk_test_oom_objects),
        cmocka_unit_test(tk_test_oom_objset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
