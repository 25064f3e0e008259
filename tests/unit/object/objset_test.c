/*
 * Object sets: ownership, lookups by handle and store id, replace and
 * reindex, indexed finds with filters, and 10,000 objects.
 */
#include <time.h>

#include "obj_test.h"
#include "object/objset.h"

#define TK_MANY 10000

/* A data object with this label, id and handle; private when asked. */
static tk_object *
tk_t_obj(CK_OBJECT_HANDLE h, const char *label, const char *id, CK_BBOOL priv)
{
    CK_ATTRIBUTE t[] = { TK_UL(CKA_CLASS, CKO_DATA), TK_BUF(CKA_LABEL, label, strlen(label)),
                         TK_BB(CKA_PRIVATE, priv), TK_STR(CKA_APPLICATION, "app"),
                         TK_BUF(CKA_VALUE, id, strlen(id)) };
    tk_object *o = NULL;

    assert_int_equal(tk_t_create(t, TK_COUNT(t), &o), CKR_OK);
    /* CKA_ID belongs to keys and certificates; putting it straight into
     * the list lets one cheap object kind exercise the id index too. */
    assert_int_equal(tk_attrs_set(&o->attrs, CKA_ID, id, (CK_ULONG)strlen(id)), CKR_OK);
    o->handle = h;
    return o;
}

static tk_object *
tk_t_key(CK_OBJECT_HANDLE h, const char *label)
{
    CK_ATTRIBUTE t[] = { TK_UL(CKA_CLASS, CKO_SECRET_KEY), TK_UL(CKA_KEY_TYPE, CKK_AES),
                         TK_BUF(CKA_VALUE, "0123456789abcdef", 16),
                         TK_BUF(CKA_LABEL, label, strlen(label)) };
    tk_object *o = NULL;

    assert_int_equal(tk_t_create(t, TK_COUNT(t), &o), CKR_OK);
    o->handle = h;
    return o;
}

static int
tk_t_public_only(const tk_object *obj, void *arg)
{
    (void)arg;
    return !obj->is_private;
}

static void
tk_t_find(const tk_objset *set, const CK_ATTRIBUTE *t, CK_ULONG n, tk_objset_filter f,
          CK_OBJECT_HANDLE *want, size_t n_want)
{
    CK_OBJECT_HANDLE *h = NULL;
    size_t count = 99;

    assert_int_equal(tk_objset_find(set, t, n, f, NULL, &h, &count), CKR_OK);
    assert_int_equal(count, n_want);
    for (size_t i = 0; i < n_want; i++) {
        assert_int_equal(h[i], want[i]);
    }
    free(h);
}

static void
tk_test_basic(void **state)
{
    tk_objset *set = NULL;
    tk_object *a;
    tk_object *b;
    tk_object *r;

    (void)state;
    assert_int_equal(tk_objset_new(&set), CKR_OK);
    a = tk_t_obj(7, "alpha", "\x01", CK_FALSE);
    b = tk_t_obj(3, "beta", "\x02", CK_TRUE);
    b->store_id = 42;
    assert_int_equal(tk_objset_add(set, a), CKR_OK);
    assert_int_equal(tk_objset_add(set, b), CKR_OK);
    assert_int_equal(tk_objset_count(set), 2);
    assert_ptr_equal(tk_objset_get(set, 7), a);
    assert_ptr_equal(tk_objset_get(set, 3), b);
    assert_null(tk_objset_get(set, 4));
    assert_ptr_equal(tk_objset_by_store_id(set, 42), b);
    assert_null(tk_objset_by_store_id(set, 0));
    assert_null(tk_objset_by_store_id(set, 43));

    /* a used handle or handle 0 is refused, and ownership stays with us */
    r = tk_t_obj(7, "dup", "", CK_FALSE);
    assert_int_equal(tk_objset_add(set, r), CKR_ARGUMENTS_BAD);
    r->handle = 0;
    assert_int_equal(tk_objset_add(set, r), CKR_ARGUMENTS_BAD);
    tk_object_free(r);

    assert_ptr_equal(tk_objset_remove(set, 7), a);
    assert_null(tk_objset_remove(set, 7));
    assert_null(tk_objset_get(set, 7));
    assert_int_equal(tk_objset_count(set), 1);
    tk_object_free(a);
    tk_objset_free(set);
}

static void
tk_test_replace_reindex(void **state)
{
    tk_objset *set = NULL;
    tk_object *a = tk_t_obj(5, "old", "\x01", CK_FALSE);
    tk_object *repl = tk_t_obj(5, "new", "\x09", CK_FALSE);
    tk_object *stray = tk_t_obj(6, "stray", "", CK_FALSE);
    CK_ATTRIBUTE old_l[] = { TK_STR(CKA_LABEL, "old") };
    CK_ATTRIBUTE new_l[] = { TK_STR(CKA_LABEL, "new") };
    CK_ATTRIBUTE newer_l[] = { TK_STR(CKA_LABEL, "newer") };
    CK_ATTRIBUTE id9[] = { TK_STR(CKA_ID, "\x09") };
    CK_OBJECT_HANDLE five[] = { 5 };
    tk_obj_ctx ctx = tk_t_ctx(TK_ORIGIN_CREATE, CKU_USER);

    (void)state;
    assert_int_equal(tk_objset_new(&set), CKR_OK);
    assert_int_equal(tk_objset_add(set, a), CKR_OK);
    repl->store_id = 9;
    assert_ptr_equal(tk_objset_replace(set, repl), a);
    tk_object_free(a);
    assert_ptr_equal(tk_objset_get(set, 5), repl);
    assert_ptr_equal(tk_objset_by_store_id(set, 9), repl);
    tk_t_find(set, old_l, 1, NULL, NULL, 0);
    tk_t_find(set, new_l, 1, NULL, five, 1);
    tk_t_find(set, id9, 1, NULL, five, 1);
    assert_null(tk_objset_replace(set, stray));
    tk_object_free(stray);

    /* an in-place change is found once reindexed */
    assert_int_equal(tk_object_set_attributes(repl, newer_l, 1, &ctx), CKR_OK);
    tk_objset_reindex(set, repl);
    tk_t_find(set, new_l, 1, NULL, NULL, 0);
    tk_t_find(set, newer_l, 1, NULL, five, 1);
    tk_objset_free(set);
}

static int
tk_t_count_cb(tk_object *obj, void *arg)
{
    (void)obj;
    (*(size_t *)arg)++;
    return 0;
}

typedef struct {
    tk_objset *set;
    size_t removed;
} tk_t_drop;

/* Remove private objects while walking, as closing a session would. */
static int
tk_t_drop_private(tk_object *obj, void *arg)
{
    tk_t_drop *d = arg;

    if (obj->is_private) {
        tk_object_free(tk_objset_remove(d->set, obj->handle));
        d->removed++;
    }
    return 0;
}

static void
tk_test_many(void **state)
{
    tk_objset *set = NULL;
    char label[32];
    char id[32];
    CK_OBJECT_HANDLE *h = NULL;
    size_t n = 0;
    size_t seen = 0;
    CK_OBJECT_HANDLE want[2];
    tk_t_drop drop;

    (void)state;
    assert_int_equal(tk_objset_new(&set), CKR_OK);
    /* handles added in scrambled order: finds must still sort them */
    for (unsigned i = 0; i < TK_MANY; i++) {
        CK_OBJECT_HANDLE handle = 1 + (CK_OBJECT_HANDLE)((i * 7919u) % TK_MANY);
        snprintf(label, sizeof(label), "obj-%05lu", handle);
        snprintf(id, sizeof(id), "id%lu", handle % 100);
        assert_int_equal(tk_objset_add(set, tk_t_obj(handle, label, id, handle % 2 == 0)), CKR_OK);
    }
    assert_int_equal(tk_objset_add(set, tk_t_key(TK_MANY + 1, "obj-00042")), CKR_OK);
    assert_int_equal(tk_objset_count(set), TK_MANY + 1);

    /* by label: the data object and the key share it */
    CK_ATTRIBUTE l42[] = { TK_STR(CKA_LABEL, "obj-00042") };
    want[0] = 42;
    want[1] = TK_MANY + 1;
    tk_t_find(set, l42, 1, NULL, want, 2);
    CK_ATTRIBUTE l42d[] = { TK_STR(CKA_LABEL, "obj-00042"), TK_UL(CKA_CLASS, CKO_DATA) };
    tk_t_find(set, l42d, 2, NULL, want, 1);
    CK_ATTRIBUTE l42k[] = { TK_UL(CKA_CLASS, CKO_SECRET_KEY), TK_STR(CKA_LABEL, "obj-00042") };
    tk_t_find(set, l42k, 2, NULL, &want[1], 1);
    /* the filter hides private objects: 42 is private (even) */
    tk_t_find(set, l42d, 2, tk_t_public_only, NULL, 0);

    /* by id: 100 objects each, ascending */
    CK_ATTRIBUTE id7[] = { TK_STR(CKA_ID, "id7") };
    assert_int_equal(tk_objset_find(set, id7, 1, NULL, NULL, &h, &n), CKR_OK);
    assert_int_equal(n, TK_MANY / 100);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(h[i] % 100, 7);
        assert_true(i == 0 || h[i - 1] < h[i]);
    }
    free(h);

    /* by class, and everything */
    CK_ATTRIBUTE cls[] = { TK_UL(CKA_CLASS, CKO_DATA) };
    assert_int_equal(tk_objset_find(set, cls, 1, tk_t_public_only, NULL, &h, &n), CKR_OK);
    assert_int_equal(n, TK_MANY / 2);
    for (size_t i = 1; i < n; i++) {
        assert_true(h[i - 1] < h[i]);
    }
    free(h);
    assert_int_equal(tk_objset_find(set, NULL, 0, NULL, NULL, &h, &n), CKR_OK);
    assert_int_equal(n, TK_MANY + 1);
    assert_int_equal(h[0], 1);
    assert_int_equal(h[n - 1], TK_MANY + 1);
    free(h);
    CK_ATTRIBUTE app[] = { TK_STR(CKA_APPLICATION, "app") };
    assert_int_equal(tk_objset_find(set, app, 1, NULL, NULL, &h, &n), CKR_OK);
    assert_int_equal(n, TK_MANY);
    free(h);
    CK_ATTRIBUTE none[] = { TK_STR(CKA_LABEL, "nope") };
    tk_t_find(set, none, 1, NULL, NULL, 0);

    assert_int_equal(tk_objset_each(set, tk_t_count_cb, &seen), 0);
    assert_int_equal(seen, TK_MANY + 1);
    drop.set = set;
    drop.removed = 0;
    assert_int_equal(tk_objset_each(set, tk_t_drop_private, &drop), 0);
    assert_int_equal(drop.removed, TK_MANY / 2 + 1);
    assert_int_equal(tk_objset_count(set), TK_MANY / 2);
    assert_null(tk_objset_get(set, 42));
    assert_non_null(tk_objset_get(set, 43));
    tk_objset_free(set);
}

/* The rate of single-label finds among 10,000 objects; printed, and only
 * the results asserted, since machines differ. */
static void
tk_test_find_rate(void **state)
{
    tk_objset *set = NULL;
    char label[32];
    struct timespec t0;
    struct timespec t1;
    const int loops = 200000;
    double secs;

    (void)state;
    assert_int_equal(tk_objset_new(&set), CKR_OK);
    for (CK_OBJECT_HANDLE i = 1; i <= TK_MANY; i++) {
        snprintf(label, sizeof(label), "key-%05lu", i);
        assert_int_equal(tk_objset_add(set, tk_t_obj(i, label, "", CK_FALSE)), CKR_OK);
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < loops; i++) {
        CK_OBJECT_HANDLE *h = NULL;
        size_t n = 0;
        CK_OBJECT_HANDLE want = 1 + (CK_OBJECT_HANDLE)(i % TK_MANY);
        CK_ATTRIBUTE t[] = { TK_UL(CKA_CLASS, CKO_DATA), TK_BUF(CKA_LABEL, label, 9) };
        snprintf(label, sizeof(label), "key-%05lu", want);
        assert_int_equal(tk_objset_find(set, t, 2, tk_t_public_only, NULL, &h, &n), CKR_OK);
        assert_int_equal(n, 1);
        assert_int_equal(h[0], want);
        free(h);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    print_message("%d label finds among %d objects in %.3f s: %.0f finds/s\n", loops, TK_MANY,
                  secs, (double)loops / secs);
    tk_objset_free(set);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tk_test_basic),
        cmocka_unit_test(tk_test_replace_reindex),
        cmocka_unit_test(tk_test_many),
        cmocka_unit_test(tk_test_find_rate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
