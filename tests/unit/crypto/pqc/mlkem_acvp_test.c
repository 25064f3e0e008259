/*
 * ML-KEM against NIST ACVP (tests/vectors/mlkem/acvp): keyGen from (d, z),
 * encapsulation from (ek, m) and decapsulation with a group's dk, including
 * the "modify ciphertext" cases that must take the implicit-rejection path.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mlkem_test_util.h"

static void
tk_mlkem_acvp_keygen_case(tk_mlkem_set set, const cJSON *test)
{
    size_t d_len, z_len, ek_len, dk_len;
    uint8_t *d = tk_mlkem_test_hex_member(test, "d", &d_len);
    uint8_t *z = tk_mlkem_test_hex_member(test, "z", &z_len);
    uint8_t *ek = tk_mlkem_test_hex_member(test, "ek", &ek_len);
    uint8_t *dk = tk_mlkem_test_hex_member(test, "dk", &dk_len);
    uint8_t ek2[TK_MLKEM_EK_MAX], dk2[TK_MLKEM_DK_MAX];

    assert_int_equal(d_len, 32);
    assert_int_equal(z_len, 32);
    assert_int_equal(ek_len, tk_mlkem_ek_len(set));
    assert_int_equal(dk_len, tk_mlkem_dk_len(set));
    assert_int_equal(tk_mlkem_keygen(set, d, z, ek2, dk2), TK_PQC_OK);
    assert_memory_equal(ek2, ek, ek_len);
    assert_memory_equal(dk2, dk, dk_len);
    free(d);
    free(z);
    free(ek);
    free(dk);
}

static void
tk_mlkem_acvp_keygen(void **state)
{
    cJSON *root = tk_mlkem_test_load_json("acvp/ML-KEM-keyGen-FIPS203.json");
    const cJSON *group;
    int n = 0;

    (void)state;
    cJSON_ArrayForEach(group, cJSON_GetObjectItemCaseSensitive(root, "testGroups")) {
        tk_mlkem_set set = tk_mlkem_test_set(tk_mlkem_test_str(group, "parameterSet"));
        const cJSON *test;

        assert_int_not_equal(set, 0);
        cJSON_ArrayForEach(test, cJSON_GetObjectItemCaseSensitive(group, "tests")) {
            tk_mlkem_acvp_keygen_case(set, test);
            n++;
        }
    }
    assert_int_equal(n, 75);
    cJSON_Delete(root);
}

static void
tk_mlkem_acvp_encaps_case(tk_mlkem_set set, const cJSON *test)
{
    size_t ek_len, m_len, c_len, k_len;
    uint8_t *ek = tk_mlkem_test_hex_member(test, "ek", &ek_len);
    uint8_t *m = tk_mlkem_test_hex_member(test, "m", &m_len);
    uint8_t *c = tk_mlkem_test_hex_member(test, "c", &c_len);
    uint8_t *k = tk_mlkem_test_hex_member(test, "k", &k_len);
    uint8_t ct[TK_MLKEM_CT_MAX], ss[32];

    assert_int_equal(ek_len, tk_mlkem_ek_len(set));
    assert_int_equal(m_len, 32);
    assert_int_equal(c_len, tk_mlkem_ct_len(set));
    assert_int_equal(k_len, 32);
    assert_int_equal(tk_mlkem_encaps(set, ek, m, ct, ss), TK_PQC_OK);
    assert_memory_equal(ct, c, c_len);
    assert_memory_equal(ss, k, 32);
    free(ek);
    free(m);
    free(c);
    free(k);
}

static void
tk_mlkem_acvp_decaps_case(tk_mlkem_set set, const uint8_t *dk, const cJSON *test)
{
    size_t c_len, k_len;
    uint8_t *c = tk_mlkem_test_hex_member(test, "c", &c_len);
    uint8_t *k = tk_mlkem_test_hex_member(test, "k", &k_len);
    uint8_t ss[32];

    assert_int_equal(c_len, tk_mlkem_ct_len(set));
    assert_int_equal(k_len, 32);
    assert_int_equal(tk_mlkem_decaps(set, dk, c, ss), TK_PQC_OK);
    assert_memory_equal(ss, k, 32);
    free(c);
    free(k);
}

static void
tk_mlkem_acvp_encap_decap(void **state)
{
    cJSON *root = tk_mlkem_test_load_json("acvp/ML-KEM-encapDecap-FIPS203.json");
    const cJSON *group;
    int n_enc = 0;
    int n_dec = 0;

    (void)state;
    cJSON_ArrayForEach(group, cJSON_GetObjectItemCaseSensitive(root, "testGroups")) {
        tk_mlkem_set set = tk_mlkem_test_set(tk_mlkem_test_str(group, "parameterSet"));
        const char *function = tk_mlkem_test_str(group, "function");
        const cJSON *tests = cJSON_GetObjectItemCaseSensitive(group, "tests");
        const cJSON *test;

        assert_int_not_equal(set, 0);
        assert_non_null(function);
        if (strcmp(function, "encapsulation") == 0) {
            cJSON_ArrayForEach(test, tests) {
                tk_mlkem_acvp_encaps_case(set, test);
                n_enc++;
            }
        } else {
            size_t dk_len;
            uint8_t *dk = tk_mlkem_test_hex_member(group, "dk", &dk_len);

            assert_string_equal(function, "decapsulation");
            assert_int_equal(dk_len, tk_mlkem_dk_len(set));
            cJSON_ArrayForEach(test, tests) {
                tk_mlkem_acvp_decaps_case(set, dk, test);
                n_dec++;
            }
            free(dk);
        }
    }
    assert_int_equal(n_enc, 75);
    assert_int_equal(n_dec, 30);
    cJSON_Delete(root);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tk_mlkem_acvp_keygen),
        cmocka_unit_test(tk_mlkem_acvp_encap_decap),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
