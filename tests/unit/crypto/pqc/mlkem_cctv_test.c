/*
 * ML-KEM against C2SP CCTV (tests/vectors/mlkem/cctv):
 *  - intermediate/ and unluckysample/: d, z -> ek, dk; (ek, m) -> c, K;
 *    (dk, c) -> K. unluckysample seeds make SampleNTT squeeze many blocks.
 *  - strcmp/: (dk, c) -> K for ciphertexts whose re-encryption differs
 *    after a zero byte, which a strcmp-style compare would accept.
 *  - modulus/: encapsulation keys with one coefficient >= q; the §7.2 check
 *    and Encaps must reject every one.
 * The key-generation values follow the FIPS 203 draft (g = G(d)), see
 * tk_mlkem_test_keygen_draft(); Encaps and Decaps did not change.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zlib.h>

#include "mlkem_test_util.h"

#define TK_CCTV_MAX_HEX (2 * TK_MLKEM_DK_MAX + 2)

typedef struct {
    uint8_t d[32], z[32], m[32], k[32];
    uint8_t ek[TK_MLKEM_EK_MAX], dk[TK_MLKEM_DK_MAX], c[TK_MLKEM_CT_MAX];
    unsigned int have; /* bit per field, in the order of tk_cctv_names */
} tk_cctv_vec;

static const char *const tk_cctv_names[7] = {"d", "z", "m", "K", "ek", "dk", "c"};

static uint8_t *
tk_cctv_field(tk_cctv_vec *v, int i, size_t *cap)
{
    uint8_t *fields[7] = {v->d, v->z, v->m, v->k, v->ek, v->dk, v->c};
    size_t caps[7] = {32, 32, 32, 32, TK_MLKEM_EK_MAX, TK_MLKEM_DK_MAX, TK_MLKEM_CT_MAX};

    *cap = caps[i];
    return fields[i];
}

/* Read the first "name = hex" line of each wanted name. */
static void
tk_cctv_read(const char *rel, tk_cctv_vec *v)
{
    const char *path = tk_mlkem_test_path(rel);
    FILE *f = fopen(path, "r");
    static char line[1 << 16];

    if (f == NULL) {
        fail_msg("cannot open %s", path);
    }
    memset(v, 0, sizeof(*v));
    while (fgets(line, sizeof(line), f) != NULL) {
        char *eq = strstr(line, " = ");
        char *val;

        if (eq == NULL) {
            continue;
        }
        *eq = '\0';
        val = eq + 3;
        val[strcspn(val, "\r\n")] = '\0';
        for (int i = 0; i < 7; i++) {
            size_t cap;
            uint8_t *dst = tk_cctv_field(v, i, &cap);

            if (strcmp(line, tk_cctv_names[i]) == 0 && !(v->have & (1u << i))) {
                assert_true(tk_mlkem_test_unhex(dst, cap, val) > 0);
                v->have |= 1u << i;
            }
        }
    }
    fclose(f);
}

static void
tk_cctv_full(tk_mlkem_set set, const char *rel)
{
    tk_cctv_vec v;
    uint8_t ek[TK_MLKEM_EK_MAX], dk[TK_MLKEM_DK_MAX], ct[TK_MLKEM_CT_MAX], ss[32];

    tk_cctv_read(rel, &v);
    assert_int_equal(v.have, 0x7F);
    tk_mlkem_test_keygen_draft(set, v.d, v.z, ek, dk);
    assert_memory_equal(ek, v.ek, tk_mlkem_ek_len(set));
    assert_memory_equal(dk, v.dk, tk_mlkem_dk_len(set));
    assert_int_equal(tk_mlkem_encaps(set, v.ek, v.m, ct, ss), TK_PQC_OK);
    assert_memory_equal(ct, v.c, tk_mlkem_ct_len(set));
    assert_memory_equal(ss, v.k, 32);
    memset(ss, 0, sizeof(ss));
    assert_int_equal(tk_mlkem_decaps(set, v.dk, v.c, ss), TK_PQC_OK);
    assert_memory_equal(ss, v.k, 32);
}

static void
tk_cctv_strcmp(tk_mlkem_set set, const char *rel)
{
    tk_cctv_vec v;
    uint8_t ss[32];

    tk_cctv_read(rel, &v);
    assert_int_equal(v.have, 0x68); /* K, dk, c */
    assert_int_equal(tk_mlkem_decaps(set, v.dk, v.c, ss), TK_PQC_OK);
    assert_memory_equal(ss, v.k, 32);
}

static void
tk_cctv_modulus(tk_mlkem_set set, const char *rel)
{
    const char *path = tk_mlkem_test_path(rel);
    gzFile gz = gzopen(path, "rb");
    static char line[TK_CCTV_MAX_HEX + 16];
    uint8_t ek[TK_MLKEM_EK_MAX], ct[TK_MLKEM_CT_MAX], ss[32];
    uint8_t m[32] = {0};
    int n = 0;

    if (gz == NULL) {
        fail_msg("cannot open %s", path);
    }
    while (gzgets(gz, line, sizeof(line)) != NULL) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '\0') {
            continue;
        }
        assert_int_equal(tk_mlkem_test_unhex(ek, sizeof(ek), line), tk_mlkem_ek_len(set));
        assert_int_equal(tk_mlkem_check_ek(set, ek), TK_PQC_EBADKEY);
        assert_int_equal(tk_mlkem_encaps(set, ek, m, ct, ss), TK_PQC_EBADKEY);
        n++;
    }
    gzclose(gz);
    print_message("%s: %d keys rejected\n", rel, n);
    assert_true(n > 0);
}

#define TK_CCTV_TEST(name, fn, set, rel)                                                     \
    static void name(void **state)                                                           \
    {                                                                                        \
        (void)state;                                                                         \
        fn(set, rel);                                                                        \
    }

TK_CCTV_TEST(tk_cctv_int_512, tk_cctv_full, TK_MLKEM_512, "cctv/intermediate/ML-KEM-512.txt")
TK_CCTV_TEST(tk_cctv_int_768, tk_cctv_full, TK_MLKEM_768, "cctv/intermediate/ML-KEM-768.txt")
TK_CCTV_TEST(tk_cctv_int_1024, tk_cctv_full, TK_MLKEM_1024,
             "cctv/intermediate/ML-KEM-1024.txt")
TK_CCTV_TEST(tk_cctv_unl_512, tk_cctv_full, TK_MLKEM_512, "cctv/unluckysample/ML-KEM-512.txt")
TK_CCTV_TEST(tk_cctv_unl_768, tk_cctv_full, TK_MLKEM_768, "cctv/unluckysample/ML-KEM-768.txt")
TK_CCTV_TEST(tk_cctv_unl_1024, tk_cctv_full, TK_MLKEM_1024,
             "cctv/unluckysample/ML-KEM-1024.txt")
TK_CCTV_TEST(tk_cctv_cmp_512, tk_cctv_strcmp, TK_MLKEM_512, "cctv/strcmp/ML-KEM-512.txt")
TK_CCTV_TEST(tk_cctv_cmp_768, tk_cctv_strcmp, TK_MLKEM_768, "cctv/strcmp/ML-KEM-768.txt")
TK_CCTV_TEST(tk_cctv_cmp_1024, tk_cctv_strcmp, TK_MLKEM_1024, "cctv/strcmp/ML-KEM-1024.txt")
TK_CCTV_TEST(tk_cctv_mod_512, tk_cctv_modulus, TK_MLKEM_512, "cctv/modulus/ML-KEM-512.txt.gz")
TK_CCTV_TEST(tk_cctv_mod_768, tk_cctv_modulus, TK_MLKEM_768, "cctv/modulus/ML-KEM-768.txt.gz")
TK_CCTV_TEST(tk_cctv_mod_1024, tk_cctv_modulus, TK_MLKEM_1024,
             "cctv/modulus/ML-KEM-1024.txt.gz")

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tk_cctv_int_512), cmocka_unit_test(tk_cctv_int_768),
        cmocka_unit_test(tk_cctv_int_1024), cmocka_unit_test(tk_cctv_unl_512),
        cmocka_unit_test(tk_cctv_unl_768), cmocka_unit_test(tk_cctv_unl_1024),
        cmocka_unit_test(tk_cctv_cmp_512), cmocka_unit_test(tk_cctv_cmp_768),
        cmocka_unit_test(tk_cctv_cmp_1024), cmocka_unit_test(tk_cctv_mod_512),
        cmocka_unit_test(tk_cctv_mod_768), cmocka_unit_test(tk_cctv_mod_1024),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
