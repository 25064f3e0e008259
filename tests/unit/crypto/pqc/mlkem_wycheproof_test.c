/*
 * ML-KEM against Project Wycheproof (tests/vectors/mlkem/wycheproof): key
 * generation from the 64-byte seed, encapsulation (with keys that fail the
 * modulus check), decapsulation with a given dk (with bad hashes and
 * lengths) and the combined seed/decapsulation tests. Every test must end
 * as its "result" says. A buffer of the wrong length is rejected by the
 * length check that callers of mlkem.h must make; the test makes it too.
 * Encapsulation and decapsulation are run through the expanded-key
 * functions as well, which must agree.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mlkem_test_util.h"

typedef struct {
    int valid;
    int invalid;
} tk_mlkem_wp_count;

/* 1 for "valid", 0 for "invalid"; fails on anything else ("acceptable"). */
static int
tk_mlkem_wp_expect_valid(const cJSON *test)
{
    const char *result = tk_mlkem_test_str(test, "result");

    assert_non_null(result);
    if (strcmp(result, "valid") == 0) {
        return 1;
    }
    assert_string_equal(result, "invalid");
    return 0;
}

static void
tk_mlkem_wp_keygen(tk_mlkem_set set, const cJSON *test, tk_mlkem_wp_count *n)
{
    size_t seed_len, ek_len, dk_len;
    uint8_t *seed = tk_mlkem_test_hex_member(test, "seed", &seed_len);
    uint8_t *ek = tk_mlkem_test_hex_member(test, "ek", &ek_len);
    uint8_t *dk = tk_mlkem_test_hex_member(test, "dk", &dk_len);
    uint8_t ek2[TK_MLKEM_EK_MAX], dk2[TK_MLKEM_DK_MAX];

    assert_true(tk_mlkem_wp_expect_valid(test));
    assert_int_equal(seed_len, TK_MLKEM_SEED_LEN);
    assert_int_equal(ek_len, tk_mlkem_ek_len(set));
    assert_int_equal(dk_len, tk_mlkem_dk_len(set));
    assert_int_equal(tk_mlkem_keygen(set, seed, seed + 32, ek2, dk2), TK_PQC_OK);
    assert_memory_equal(ek2, ek, ek_len);
    assert_memory_equal(dk2, dk, dk_len);
    n->valid++;
    free(seed);
    free(ek);
    free(dk);
}

static void
tk_mlkem_wp_encaps(tk_mlkem_set set, const cJSON *test, tk_mlkem_wp_count *n)
{
    size_t ek_len, m_len, c_len, k_len;
    uint8_t *ek = tk_mlkem_test_hex_member(test, "ek", &ek_len);
    uint8_t *m = tk_mlkem_test_hex_member(test, "m", &m_len);
    uint8_t *c = tk_mlkem_test_hex_member(test, "c", &c_len);
    uint8_t *k = tk_mlkem_test_hex_member(test, "K", &k_len);
    uint8_t ct[TK_MLKEM_CT_MAX], ss[32];
    int valid = tk_mlkem_wp_expect_valid(test);
    tk_mlkem_ekx *x = malloc(sizeof(*x));

    assert_non_null(x);
    assert_int_equal(m_len, 32);
    if (ek_len != tk_mlkem_ek_len(set)) {
        assert_false(valid);
        n->invalid++;
    } else if (valid) {
        assert_int_equal(tk_mlkem_check_ek(set, ek), TK_PQC_OK);
        assert_int_equal(tk_mlkem_encaps(set, ek, m, ct, ss), TK_PQC_OK);
        assert_int_equal(c_len, tk_mlkem_ct_len(set));
        assert_memory_equal(ct, c, c_len);
        assert_int_equal(k_len, 32);
        assert_memory_equal(ss, k, 32);

        memset(ct, 0, sizeof(ct));
        assert_int_equal(tk_mlkem_ekx_init(set, ek, x), TK_PQC_OK);
        assert_int_equal(tk_mlkem_encaps_ekx(x, m, ct, ss), TK_PQC_OK);
        assert_memory_equal(ct, c, c_len);
        assert_memory_equal(ss, k, 32);
        n->valid++;
    } else {
        assert_int_equal(tk_mlkem_check_ek(set, ek), TK_PQC_EBADKEY);
        assert_int_equal(tk_mlkem_encaps(set, ek, m, ct, ss), TK_PQC_EBADKEY);
        assert_int_equal(tk_mlkem_ekx_init(set, ek, x), TK_PQC_EBADKEY);
        assert_int_equal(tk_mlkem_encaps_ekx(x, m, ct, ss), TK_PQC_EPARAM);
        n->invalid++;
    }
    free(x);
    free(ek);
    free(m);
    free(c);
    free(k);
}

static void
tk_mlkem_wp_decaps(tk_mlkem_set set, const cJSON *test, tk_mlkem_wp_count *n)
{
    size_t dk_len, c_len, k_len;
    uint8_t *dk = tk_mlkem_test_hex_member(test, "dk", &dk_len);
    uint8_t *c = tk_mlkem_test_hex_member(test, "c", &c_len);
    uint8_t *k = NULL;
    uint8_t ss[32];
    int valid = tk_mlkem_wp_expect_valid(test);
    tk_mlkem_dkx *x = malloc(sizeof(*x));

    assert_non_null(x);
    if (dk_len != tk_mlkem_dk_len(set) || c_len != tk_mlkem_ct_len(set)) {
        assert_false(valid);
        n->invalid++;
    } else if (valid) {
        assert_int_equal(tk_mlkem_check_dk(set, dk), TK_PQC_OK);
        assert_int_equal(tk_mlkem_decaps(set, dk, c, ss), TK_PQC_OK);
        k = tk_mlkem_test_hex_member(test, "K", &k_len);
        assert_int_equal(k_len, 32);
        assert_memory_equal(ss, k, 32);

        memset(ss, 0, sizeof(ss));
        assert_int_equal(tk_mlkem_dkx_init(set, dk, x), TK_PQC_OK);
        assert_int_equal(tk_mlkem_decaps_dkx(x, c, ss), TK_PQC_OK);
        assert_memory_equal(ss, k, 32);
        n->valid++;
    } else {
        /* Right lengths, so the dk itself must be bad (no K is given). */
        assert_int_equal(tk_mlkem_check_dk(set, dk), TK_PQC_EBADKEY);
        assert_int_equal(tk_mlkem_decaps(set, dk, c, ss), TK_PQC_EBADKEY);
        assert_int_equal(tk_mlkem_dkx_init(set, dk, x), TK_PQC_EBADKEY);
        assert_int_equal(tk_mlkem_decaps_dkx(x, c, ss), TK_PQC_EPARAM);
        n->invalid++;
    }
    free(x);
    free(dk);
    free(c);
    free(k);
}

/* Seed -> keys, then decapsulate c; "ek" when present must match too. */
static void
tk_mlkem_wp_combined(tk_mlkem_set set, const cJSON *test, tk_mlkem_wp_count *n)
{
    size_t seed_len, c_len, k_len;
    uint8_t *seed = tk_mlkem_test_hex_member(test, "seed", &seed_len);
    uint8_t *c = tk_mlkem_test_hex_member(test, "c", &c_len);
    uint8_t *k = tk_mlkem_test_hex_member(test, "K", &k_len);
    uint8_t ek[TK_MLKEM_EK_MAX], dk[TK_MLKEM_DK_MAX], ss[32];
    int valid = tk_mlkem_wp_expect_valid(test);

    if (seed_len != TK_MLKEM_SEED_LEN || c_len != tk_mlkem_ct_len(set)) {
        assert_false(valid);
        n->invalid++;
    } else {
        /* No invalid test of the right lengths is expected in this file. */
        assert_true(valid);
        assert_int_equal(tk_mlkem_keygen(set, seed, seed + 32, ek, dk), TK_PQC_OK);
        if (tk_mlkem_test_str(test, "ek") != NULL) {
            size_t ek_len;
            uint8_t *ek_want = tk_mlkem_test_hex_member(test, "ek", &ek_len);

            assert_int_equal(ek_len, tk_mlkem_ek_len(set));
            assert_memory_equal(ek, ek_want, ek_len);
            free(ek_want);
        }
        assert_int_equal(tk_mlkem_decaps(set, dk, c, ss), TK_PQC_OK);
        assert_int_equal(k_len, 32);
        assert_memory_equal(ss, k, 32);
        n->valid++;
    }
    free(seed);
    free(c);
    free(k);
}

typedef void (*tk_mlkem_wp_fn)(tk_mlkem_set, const cJSON *, tk_mlkem_wp_count *);

static void
tk_mlkem_wp_run(const char *file, tk_mlkem_wp_fn fn)
{
    cJSON *root = tk_mlkem_test_load_json(file);
    const cJSON *groups = cJSON_GetObjectItemCaseSensitive(root, "testGroups");
    const cJSON *total = cJSON_GetObjectItemCaseSensitive(root, "numberOfTests");
    const cJSON *group;
    tk_mlkem_wp_count n = {0, 0};

    assert_true(cJSON_IsArray(groups));
    cJSON_ArrayForEach(group, groups) {
        tk_mlkem_set set = tk_mlkem_test_set(tk_mlkem_test_str(group, "parameterSet"));
        const cJSON *test;

        assert_int_not_equal(set, 0);
        cJSON_ArrayForEach(test, cJSON_GetObjectItemCaseSensitive(group, "tests")) {
            fn(set, test, &n);
        }
    }
    assert_true(cJSON_IsNumber(total));
    assert_int_equal(n.valid + n.invalid, total->valueint);
    print_message("%s: %d valid, %d invalid\n", file, n.valid, n.invalid);
    cJSON_Delete(root);
}

#define TK_MLKEM_WP_TEST(name, file, fn)                                                     \
    static void name(void **state)                                                           \
    {                                                                                        \
        (void)state;                                                                         \
        tk_mlkem_wp_run("wycheproof/" file, fn);                                             \
    }

TK_MLKEM_WP_TEST(tk_wp_512_keygen, "mlkem_512_keygen_seed_test.json", tk_mlkem_wp_keygen)
TK_MLKEM_WP_TEST(tk_wp_768_keygen, "mlkem_768_keygen_seed_test.json", tk_mlkem_wp_keygen)
TK_MLKEM_WP_TEST(tk_wp_1024_keygen, "mlkem_1024_keygen_seed_test.json", tk_mlkem_wp_keygen)
TK_MLKEM_WP_TEST(tk_wp_512_encaps, "mlkem_512_encaps_test.json", tk_mlkem_wp_encaps)
TK_MLKEM_WP_TEST(tk_wp_768_encaps, "mlkem_768_encaps_test.json", tk_mlkem_wp_encaps)
TK_MLKEM_WP_TEST(tk_wp_1024_encaps, "mlkem_1024_encaps_test.json", tk_mlkem_wp_encaps)
TK_MLKEM_WP_TEST(tk_wp_512_decaps, "mlkem_512_semi_expanded_decaps_test.json", tk_mlkem_wp_decaps)
TK_MLKEM_WP_TEST(tk_wp_768_decaps, "mlkem_768_semi_expanded_decaps_test.json", tk_mlkem_wp_decaps)
TK_MLKEM_WP_TEST(tk_wp_1024_decaps, "mlkem_1024_semi_expanded_decaps_test.json",
                 tk_mlkem_wp_decaps)
TK_MLKEM_WP_TEST(tk_wp_512_combined, "mlkem_512_test.json", tk_mlkem_wp_combined)
TK_MLKEM_WP_TEST(tk_wp_768_combined, "mlkem_768_test.json", tk_mlkem_wp_combined)
TK_MLKEM_WP_TEST(tk_wp_1024_combined, "mlkem_1024_test.json", tk_mlkem_wp_combined)

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tk_wp_512_keygen),   cmocka_unit_test(tk_wp_768_keygen),
        cmocka_unit_test(tk_wp_1024_keygen),  cmocka_unit_test(tk_wp_512_encaps),
        cmocka_unit_test(tk_wp_768_encaps),   cmocka_unit_test(tk_wp_1024_encaps),
        cmocka_unit_test(tk_wp_512_decaps),   cmocka_unit_test(tk_wp_768_decaps),
        cmocka_unit_test(tk_wp_1024_decaps),  cmocka_unit_test(tk_wp_512_combined),
        cmocka_unit_test(tk_wp_768_combined), cmocka_unit_test(tk_wp_1024_combined),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
