/*
 * SLH-DSA timing: keygen, deterministic sign and verify per parameter set,
 * in process CPU time. Not a test; built next to the tests for manual runs.
 *
 * Usage: slhdsa_bench [seconds per operation] [set numbers 1..12 ...]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto/pqc/slhdsa.h"

static double
tk_bench_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint8_t tk_bench_sig[TK_SLHDSA_MAX_SIG_LEN];

/* Runs op(set, i) until secs have passed; returns seconds per call. */
static double
tk_bench_run(tk_slhdsa_set set, double secs, int (*op)(tk_slhdsa_set, int))
{
    double start = tk_bench_now(), now;
    int count = 0;

    do {
        if (op(set, count) != TK_PQC_OK) {
            fprintf(stderr, "operation failed\n");
            exit(1);
        }
        count++;
        now = tk_bench_now();
    } while (now - start < secs);
    return (now - start) / count;
}

static uint8_t tk_bench_sk[TK_SLHDSA_MAX_SK_LEN];
static uint8_t tk_bench_pk[TK_SLHDSA_MAX_PK_LEN];
static const uint8_t tk_bench_msg[32] = "benchmark message";

static int
tk_bench_keygen(tk_slhdsa_set set, int i)
{
    uint8_t seed[3 * TK_SLHDSA_MAX_N];

    memset(seed, i, sizeof(seed));
    return tk_slhdsa_keygen(set, seed, seed + 32, seed + 64, tk_bench_sk, tk_bench_pk);
}

static int
tk_bench_sign(tk_slhdsa_set set, int i)
{
    (void)i;
    return tk_slhdsa_sign(set, tk_bench_sk, tk_bench_msg, sizeof(tk_bench_msg), NULL, 0, NULL,
                          tk_bench_sig);
}

static int
tk_bench_verify(tk_slhdsa_set set, int i)
{
    (void)i;
    return tk_slhdsa_verify(set, tk_bench_pk, tk_bench_msg, sizeof(tk_bench_msg), NULL, 0,
                            tk_bench_sig, tk_slhdsa_sig_len(set));
}

int
main(int argc, char **argv)
{
    double secs = argc > 1 ? atof(argv[1]) : 1.0;

    printf("%4s %12s %12s %12s\n", "set", "keygen s", "sign s", "verify s");
    for (int s = 1; s <= 12; s++) {
        int wanted = argc <= 2;
        double kg, sg, vf;

        for (int j = 2; j < argc; j++) {
            wanted |= atoi(argv[j]) == s;
        }
        if (!wanted) {
            continue;
        }
        kg = tk_bench_run((tk_slhdsa_set)s, secs, tk_bench_keygen);
        sg = tk_bench_run((tk_slhdsa_set)s, secs, tk_bench_sign);
        vf = tk_bench_run((tk_slhdsa_set)s, secs, tk_bench_verify);
        printf("%4d %12.6f %12.6f %12.6f\n", s, kg, sg, vf);
    }
    return 0;
}
