/*
 * Constant-time check of ML-KEM under valgrind memcheck: the secret inputs
 * are marked undefined, so any branch or memory index that depends on them
 * is reported as a use of an uninitialised value, and the run fails (ctest
 * runs this under --error-exitcode=1). Variable-time instructions such as
 * division are not seen by memcheck; the source has none on secrets.
 *
 * Key generation enters after G(d || k) through *_keygen_expanded(): rho is
 * public (it goes into ek) and SampleNTT rejects on it, so only sigma and z
 * are marked. Encaps marks m; Decaps marks dk_PKE and z, for a valid and
 * for a rejected ciphertext, also through an expanded key. Outside
 * valgrind the marks do nothing and the test still checks the results.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <valgrind/memcheck.h>

#include "crypto/pqc/keccak.h"
#include "crypto/pqc/mlkem.h"
#include "crypto/pqc/mlkem_kem.h"

#define TK_CT_SECRET(p, len) VALGRIND_MAKE_MEM_UNDEFINED((p), (len))
#define TK_CT_PUBLIC(p, len) VALGRIND_MAKE_MEM_DEFINED((p), (len))

static tk_mlkem_dkx tk_ct_dkx;

typedef int (*tk_ct_keygen_fn)(const uint8_t[64], const uint8_t[32], uint8_t *, uint8_t *);

static void
tk_ct_run(tk_mlkem_set set, tk_ct_keygen_fn keygen_expanded)
{
    size_t ek_len = tk_mlkem_ek_len(set);
    size_t dk_len = tk_mlkem_dk_len(set);
    size_t ct_len = tk_mlkem_ct_len(set);
    size_t pke_len = dk_len - ek_len - 64;
    uint8_t seed[128];
    uint8_t ek[TK_MLKEM_EK_MAX], dk[TK_MLKEM_DK_MAX], ct[TK_MLKEM_CT_MAX];
    uint8_t k1[32], k2[32], k3[32], k4[32], k5[32];

    tk_shake128(seed, sizeof(seed), (const uint8_t *)"ct", 2);

    TK_CT_SECRET(seed + 32, 64); /* sigma, z */
    assert_int_equal(keygen_expanded(seed, seed + 64, ek, dk), TK_PQC_OK);
    TK_CT_PUBLIC(ek, ek_len);
    TK_CT_PUBLIC(dk, dk_len);

    TK_CT_SECRET(seed + 96, 32); /* m */
    assert_int_equal(tk_mlkem_encaps(set, ek, seed + 96, ct, k1), TK_PQC_OK);
    TK_CT_PUBLIC(ct, ct_len);

    TK_CT_SECRET(dk, pke_len);
    TK_CT_SECRET(dk + dk_len - 32, 32);
    assert_int_equal(tk_mlkem_decaps(set, dk, ct, k2), TK_PQC_OK);
    ct[0] ^= 1;
    assert_int_equal(tk_mlkem_decaps(set, dk, ct, k3), TK_PQC_OK);

    /* The expanded key holds s_hat and z: they stay secret in it. */
    assert_int_equal(tk_mlkem_dkx_init(set, dk, &tk_ct_dkx), TK_PQC_OK);
    assert_int_equal(tk_mlkem_decaps_dkx(&tk_ct_dkx, ct, k4), TK_PQC_OK);
    ct[0] ^= 1;
    assert_int_equal(tk_mlkem_decaps_dkx(&tk_ct_dkx, ct, k5), TK_PQC_OK);

    TK_CT_PUBLIC(k1, 32);
    TK_CT_PUBLIC(k2, 32);
    TK_CT_PUBLIC(k3, 32);
    TK_CT_PUBLIC(k4, 32);
    TK_CT_PUBLIC(k5, 32);
    assert_memory_equal(k1, k2, 32);
    assert_memory_not_equal(k1, k3, 32);
    assert_memory_equal(k3, k4, 32);
    assert_memory_equal(k1, k5, 32);
}

static void
tk_ct_512(void **state)
{
    (void)state;
    tk_ct_run(TK_MLKEM_512, tk_mlkem512_keygen_expanded);
}

static void
tk_ct_768(void **state)
{
    (void)state;
    tk_ct_run(TK_MLKEM_768, tk_mlkem768_keygen_expanded);
}

static void
tk_ct_1024(void **state)
{
    (void)state;
    tk_ct_run(TK_MLKEM_1024, tk_mlkem1024_keygen_expanded);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tk_ct_512),
        cmocka_unit_test(tk_ct_768),
        cmocka_unit_test(tk_ct_1024),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
