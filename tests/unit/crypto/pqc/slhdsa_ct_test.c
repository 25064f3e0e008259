/*
 * Constant-time check for SLH-DSA, run under valgrind: SK.seed and SK.prf
 * are marked undefined, so any branch or memory index that depends on
 * them is reported (and fails the run through --error-exitcode). The
 * library copy linked here declares the values the signature publishes
 * as defined (TK_SLHDSA_PUBLIC in slhdsa_int.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <valgrind/memcheck.h>

#include "crypto/pqc/slhdsa.h"

static uint8_t tk_ct_sig[TK_SLHDSA_MAX_SIG_LEN];

static int
tk_ct_run(tk_slhdsa_set set)
{
    uint8_t seeds[3 * TK_SLHDSA_MAX_N];
    uint8_t sk[TK_SLHDSA_MAX_SK_LEN], pk[TK_SLHDSA_MAX_PK_LEN];
    uint8_t addrnd[TK_SLHDSA_MAX_N];
    size_t n = tk_slhdsa_n(set);
    static const uint8_t msg[] = "constant time";
    int rc;

    memset(seeds, 0x42, sizeof(seeds));
    memset(addrnd, 0x17, sizeof(addrnd));

    /* Secret: SK.seed and SK.prf (the first 2n bytes), in keygen and in
     * signing; PK.seed, PK.root and addrnd are public. */
    (void)VALGRIND_MAKE_MEM_UNDEFINED(seeds, 2 * n);
    rc = tk_slhdsa_keygen(set, seeds, seeds + n, seeds + 2 * n, sk, pk);
    (void)VALGRIND_MAKE_MEM_DEFINED(pk, sizeof(pk));
    (void)VALGRIND_MAKE_MEM_DEFINED(sk + 2 * n, 2 * n);
    (void)VALGRIND_MAKE_MEM_UNDEFINED(sk, 2 * n);
    if (rc != TK_PQC_OK) {
        return 1;
    }
    rc = tk_slhdsa_sign(set, sk, msg, sizeof(msg), NULL, 0, addrnd, tk_ct_sig);
    (void)VALGRIND_MAKE_MEM_DEFINED(&rc, sizeof(rc));
    if (rc != TK_PQC_OK) {
        return 1;
    }

    /* The signature is public: it must verify. */
    (void)VALGRIND_MAKE_MEM_DEFINED(tk_ct_sig, sizeof(tk_ct_sig));
    return tk_slhdsa_verify(set, pk, msg, sizeof(msg), NULL, 0, tk_ct_sig,
                            tk_slhdsa_sig_len(set)) != TK_PQC_OK;
}

int
main(void)
{
    /* One set per code path: SHA-256 only, SHA-256 with SHA-512, SHAKE. */
    static const tk_slhdsa_set sets[] = {
        TK_SLHDSA_SHA2_128F, TK_SLHDSA_SHA2_192F, TK_SLHDSA_SHAKE_128F,
    };

    for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
        if (tk_ct_run(sets[i]) != 0) {
            fprintf(stderr, "set %d failed\n", (int)sets[i]);
            return 1;
        }
    }
    return 0;
}
