/*
 * The four-way Keccak-f[1600] against the scalar permutation, which the
 * SHA3/SHAKE known answers already cover.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/pqc/keccak.h"

/* xorshift64: reproducible states without a random number source. */
static uint64_t
tk_test_next(uint64_t *r)
{
    *r ^= *r << 13;
    *r ^= *r >> 7;
    *r ^= *r << 17;
    return *r;
}

/* Permutes four states both ways, repeatedly, and checks each lane. */
static void
tk_test_x4_matches(uint64_t st[4][25], int iters)
{
    uint64_t v[25][4];

    for (int i = 0; i < 25; i++) {
        for (int l = 0; l < 4; l++) {
            v[i][l] = st[l][i];
        }
    }
    for (int it = 0; it < iters; it++) {
        tk_keccak_f1600_x4(v);
        for (int l = 0; l < 4; l++) {
            tk_keccak_f1600(st[l]);
            for (int i = 0; i < 25; i++) {
                assert_true(v[i][l] == st[l][i]);
            }
        }
    }
}

static void
tk_test_keccak_x4_random(void **state)
{
    uint64_t st[4][25];
    uint64_t r = 0x9E3779B97F4A7C15ULL;

    (void)state;
    for (int trial = 0; trial < 64; trial++) {
        for (int l = 0; l < 4; l++) {
            for (int i = 0; i < 25; i++) {
                st[l][i] = tk_test_next(&r);
            }
        }
        tk_test_x4_matches(st, 3);
    }
}

/* Zero states, one of them also compared with the published first lane
 * of Keccak-f[1600] applied to zero, so both paths are anchored. */
static void
tk_test_keccak_x4_zero(void **state)
{
    uint64_t st[4][25] = {{0}};
    uint64_t v[25][4] = {{0}};

    (void)state;
    tk_keccak_f1600_x4(v);
    for (int l = 0; l < 4; l++) {
        assert_true(v[0][l] == 0xF1258F7940E1DDE7ULL);
    }
    st[2][24] = 1;
    tk_test_x4_matches(st, 2);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tk_test_keccak_x4_random),
        cmocka_unit_test(tk_test_keccak_x4_zero),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
