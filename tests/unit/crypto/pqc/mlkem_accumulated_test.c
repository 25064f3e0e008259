/*
 * Accumulated ML-KEM check (C2SP CCTV, see tests/vectors/mlkem/PROVENANCE):
 * a long deterministic run of KeyGen, Encaps and Decaps (of the real and of
 * a random ciphertext) hashed into one SHAKE-128 digest, compared with the
 * digest published for 10,000 runs per parameter set.
 *
 * The published digests were made for the FIPS 203 draft, whose K-PKE.KeyGen
 * expands g = G(d) where the standard has G(d || k) [FIPS 203 Alg. 13 line 1,
 * App. C]. Nothing else differs. So this test expands d the draft's way
 * and enters the library's key generation right after that line, through
 * tk_mlkem_test_keygen_draft(); the standard's expansion is covered by the
 * ACVP and Wycheproof key-generation vectors. Encaps and Decaps are the
 * public functions, unchanged.
 *
 * With the argument --million the test runs 1,000,000 times per set
 * against the long-run digests instead (minutes; not part of ctest).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/pqc/keccak.h"
#include "crypto/pqc/mlkem.h"
#include "mlkem_test_util.h"

static long tk_mlkem_acc_runs = 10000;
static int tk_mlkem_acc_long = 0;

/* The first runs also go through the expanded-key functions, which must
 * give the same ciphertext and keys. */
#define TK_MLKEM_ACC_EXPANDED 1000

static void
tk_mlkem_acc_expanded(tk_mlkem_set set, const uint8_t *ek, const uint8_t *dk,
                      const uint8_t m[32], const uint8_t *ct, const uint8_t k_enc[32],
                      const uint8_t *ct_rand, const uint8_t k_rej[32])
{
    static tk_mlkem_ekx ekx;
    static tk_mlkem_dkx dkx;
    uint8_t ct2[TK_MLKEM_CT_MAX], k[32];

    assert_int_equal(tk_mlkem_ekx_init(set, ek, &ekx), TK_PQC_OK);
    assert_int_equal(tk_mlkem_encaps_ekx(&ekx, m, ct2, k), TK_PQC_OK);
    assert_memory_equal(ct2, ct, tk_mlkem_ct_len(set));
    assert_memory_equal(k, k_enc, 32);
    assert_int_equal(tk_mlkem_dkx_init(set, dk, &dkx), TK_PQC_OK);
    assert_int_equal(tk_mlkem_decaps_dkx(&dkx, ct, k), TK_PQC_OK);
    assert_memory_equal(k, k_enc, 32);
    assert_int_equal(tk_mlkem_decaps_dkx(&dkx, ct_rand, k), TK_PQC_OK);
    assert_memory_equal(k, k_rej, 32);
}

static void
tk_mlkem_acc_run(tk_mlkem_set set, const char *expect_10k, const char *expect_1m)
{
    const char *expect_hex = tk_mlkem_acc_long ? expect_1m : expect_10k;
    size_t ek_len = tk_mlkem_ek_len(set);
    size_t dk_len = tk_mlkem_dk_len(set);
    size_t ct_len = tk_mlkem_ct_len(set);
    uint8_t d[32], z[32], m[32];
    uint8_t ek[TK_MLKEM_EK_MAX], dk[TK_MLKEM_DK_MAX];
    uint8_t ct[TK_MLKEM_CT_MAX], ct_rand[TK_MLKEM_CT_MAX];
    uint8_t k_enc[32], k_dec[32], k_rej[32];
    uint8_t got[32], expect[32];
    tk_keccak_ctx rng, acc;

    assert_int_equal(tk_mlkem_test_unhex(expect, sizeof(expect), expect_hex), 32);
    tk_shake128_init(&rng);
    tk_keccak_finalize(&rng);
    tk_shake128_init(&acc);

    for (long i = 0; i < tk_mlkem_acc_runs; i++) {
        tk_keccak_squeeze(&rng, d, 32);
        tk_keccak_squeeze(&rng, z, 32);
        tk_keccak_squeeze(&rng, m, 32);
        tk_keccak_squeeze(&rng, ct_rand, ct_len);

        tk_mlkem_test_keygen_draft(set, d, z, ek, dk);
        assert_int_equal(tk_mlkem_encaps(set, ek, m, ct, k_enc), TK_PQC_OK);
        assert_int_equal(tk_mlkem_decaps(set, dk, ct, k_dec), TK_PQC_OK);
        assert_memory_equal(k_enc, k_dec, 32);
        assert_int_equal(tk_mlkem_decaps(set, dk, ct_rand, k_rej), TK_PQC_OK);

        if (i < TK_MLKEM_ACC_EXPANDED) {
            tk_mlkem_acc_expanded(set, ek, dk, m, ct, k_enc, ct_rand, k_rej);
        }

        tk_keccak_absorb(&acc, ek, ek_len);
        tk_keccak_absorb(&acc, dk, dk_len);
        tk_keccak_absorb(&acc, ct, ct_len);
        tk_keccak_absorb(&acc, k_enc, 32);
        tk_keccak_absorb(&acc, k_rej, 32);
    }
    tk_keccak_finalize(&acc);
    tk_keccak_squeeze(&acc, got, 32);
    assert_memory_equal(got, expect, 32);
}

static void
tk_mlkem_acc_512(void **state)
{
    (void)state;
    tk_mlkem_acc_run(TK_MLKEM_512,
                     "845913ea5a308b803c764a9ed8e9d814ca1fd9c82ba43c7b1e64b79c7a6ec8e4",
                     "578eeaa1156848cbf7a15bafef963b4ccabe3308ddfb7dbdd20ad965f634e81d");
}

static void
tk_mlkem_acc_768(void **state)
{
    (void)state;
    tk_mlkem_acc_run(TK_MLKEM_768,
                     "f7db260e1137a742e05fe0db9525012812b004d29040a5b606aad3d134b548d3",
                     "70090cc5842aad0ec43d5042c783fae9bc320c047b5dafcb6e134821db02384d");
}

static void
tk_mlkem_acc_1024(void **state)
{
    (void)state;
    tk_mlkem_acc_run(TK_MLKEM_1024,
                     "47ac888fe61544efc0518f46094b4f8a600965fc89822acb06dc7169d24f3543",
                     "7ccc6d803739d3db3c5ce39c7130f459db32a199c6605e3be210e5a89d4c4b95");
}

int
main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tk_mlkem_acc_512),
        cmocka_unit_test(tk_mlkem_acc_768),
        cmocka_unit_test(tk_mlkem_acc_1024),
    };

    if (argc > 1 && strcmp(argv[1], "--million") == 0) {
        tk_mlkem_acc_runs = 1000000;
        tk_mlkem_acc_long = 1;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
