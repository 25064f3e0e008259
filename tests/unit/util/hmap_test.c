/* The handle map: put, get, delete, growth, tombstones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "util/hmap.h"
#include "util/wipe.h"

static int
count_one(uint64_t key, void *val, void *arg)
{
    (void)key;
    (void)val;
    (*(int *)arg)++;
    return 0;
}

static void
test_put_get_delete(void **state)
{
    tk_hmap m = {0};
    int vals[3] = {1, 2, 3};

    (void)state;
    assert_null(tk_hmap_get(&m, 5));
    assert_int_equal(tk_hmap_put(&m, 5, &vals[0]), 0);
    assert_int_equal(tk_hmap_put(&m, 6, &vals[1]), 0);
    assert_ptr_equal(tk_hmap_get(&m, 5), &vals[0]);
    assert_int_equal(tk_hmap_put(&m, 5, &vals[2]), 0);
    assert_ptr_equal(tk_hmap_get(&m, 5), &vals[2]);
    assert_int_equal(m.live, 2);
    assert_ptr_equal(tk_hmap_del(&m, 5), &vals[2]);
    assert_null(tk_hmap_get(&m, 5));
    assert_null(tk_hmap_del(&m, 5));
    assert_ptr_equal(tk_hmap_get(&m, 6), &vals[1]);
    tk_hmap_free(&m);
}

static void
test_many_with_churn(void **state)
{
    tk_hmap m = {0};
    static int marker;
    int n = 0;

    (void)state;
    /* Sequential handles, as sessions get; half deleted again. */
    for (uint64_t k = 1; k <= 100000; k++) {
        assert_int_equal(tk_hmap_put(&m, k, &marker), 0);
        if (k % 2 == 0) {
            assert_ptr_equal(tk_hmap_del(&m, k - 1), &marker);
        }
    }
    for (uint64_t k = 1; k <= 100000; k++) {
        assert_true((tk_hmap_get(&m, k) != NULL) == (k % 2 == 0));
    }
    tk_hmap_each(&m, count_one, &n);
    assert_int_equal(n, 50000);
    /* Tombstones do not make the table grow without bound. */
    assert_true(m.cap <= 262144);
    tk_hmap_free(&m);
}

static void
test_ct_memcmp(void **state)
{
    unsigned char a[32] = {0};
    unsigned char b[32] = {0};

    (void)state;
    assert_int_equal(tk_ct_memcmp(a, b, sizeof(a)), 0);
    b[31] = 1;
    assert_int_equal(tk_ct_memcmp(a, b, sizeof(a)), 1);
    b[31] = 0;
    b[0] = 0x80;
    assert_int_equal(tk_ct_memcmp(a, b, sizeof(a)), 1);
    assert_int_equal(tk_ct_memcmp(a, b, 0), 0);
    tk_wipe(b, sizeof(b));
    assert_int_equal(tk_ct_memcmp(a, b, sizeof(a)), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_put_get_delete),
        cmocka_unit_test(test_many_with_churn),
        cmocka_unit_test(test_ct_memcmp),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
