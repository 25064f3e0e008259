/*
 * Constant-time check of ML-DSA, run under valgrind: the seed, the
 * private key and rnd are marked undefined, so memcheck reports every
 * branch and every memory index that depends on them. The sources are
 * built for this test with TK_MLDSA_CT_TESTING, where TK_MLDSA_PUBLIC()
 * marks the values the design allows to be public (verdicts, rho, the
 * accepted signature, the signing iteration count). The ctest entry fails
 * on any valgrind error; results are also checked for correctness.
 * Without valgrind the client requests do nothing and only results are
 * checked.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <valgrind/memcheck.h>

#include "crypto/pqc/mldsa.h"

#define TK_CT_SECRET(p, n) ((void)VALGRIND_MAKE_MEM_UNDEFINED((p), (n)))
#define TK_CT_PUBLIC(p, n) ((void)VALGRIND_MAKE_MEM_DEFINED((p), (n)))

static void
tk_ct_one_set(tk_mldsa_set set)
{
    static const uint8_t msg[] = "constant time";
    uint8_t xi[32];
    uint8_t rnd[32];
    uint8_t *pk = malloc(tk_mldsa_pk_len(set));
    uint8_t *pk2 = malloc(tk_mldsa_pk_len(set));
    uint8_t *sk = malloc(tk_mldsa_sk_len(set));
    uint8_t *sig = malloc(tk_mldsa_sig_len(set));
    int rc;

    assert_non_null(pk);
    assert_non_null(pk2);
    assert_non_null(sk);
    assert_non_null(sig);
    memset(xi, 0x11 * (int)set, sizeof(xi));
    memset(rnd, 0x22, sizeof(rnd));

    TK_CT_SECRET(xi, sizeof(xi));
    rc = tk_mldsa_keygen(set, xi, pk, sk);
    TK_CT_PUBLIC(&rc, sizeof(rc));
    TK_CT_PUBLIC(pk, tk_mldsa_pk_len(set));
    assert_int_equal(rc, TK_PQC_OK);

    TK_CT_SECRET(sk, tk_mldsa_sk_len(set));
    rc = tk_mldsa_check_sk(set, sk, pk);
    TK_CT_PUBLIC(&rc, sizeof(rc));
    assert_int_equal(rc, TK_PQC_OK);
    rc = tk_mldsa_pk_from_sk(set, sk, pk2);
    TK_CT_PUBLIC(&rc, sizeof(rc));
    TK_CT_PUBLIC(pk2, tk_mldsa_pk_len(set));
    assert_int_equal(rc, TK_PQC_OK);
    assert_memory_equal(pk, pk2, tk_mldsa_pk_len(set));

    TK_CT_SECRET(rnd, sizeof(rnd));
    rc = tk_mldsa_sign(set, sk, msg, sizeof(msg), NULL, 0, rnd, sig);
    TK_CT_PUBLIC(&rc, sizeof(rc));
    TK_CT_PUBLIC(sig, tk_mldsa_sig_len(set));
    assert_int_equal(rc, TK_PQC_OK);
    assert_int_equal(
        tk_mldsa_verify(set, pk, msg, sizeof(msg), NULL, 0, sig, tk_mldsa_sig_len(set)),
        TK_PQC_OK);
    free(pk);
    free(pk2);
    free(sk);
    free(sig);
}

static void
tk_ct_all_sets(void **state)
{
    (void)state;
    tk_ct_one_set(TK_MLDSA_44);
    tk_ct_one_set(TK_MLDSA_65);
    tk_ct_one_set(TK_MLDSA_87);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tk_ct_all_sets),
    };

    return cmocka_run_group_tests_name("mldsa_ct", tests, NULL, NULL);
}
