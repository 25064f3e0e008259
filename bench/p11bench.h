/*
 * p11bench: operations per second of any PKCS#11 module, measured through
 * its function list exactly as an application would call it.
 */
#ifndef TK_BENCH_P11BENCH_H
#define TK_BENCH_P11BENCH_H

#include <pthread.h>

#include "trustoken/pkcs11.h"

typedef struct bench_ctx bench_ctx;

/* One thread's state while a workload runs. */
typedef struct {
    bench_ctx *ctx;
    CK_SESSION_HANDLE s;
    int index;
    void *priv;              /* the workload's per-thread data */
    unsigned long ops;       /* successful operations */
    CK_RV failure;           /* first failure, or CKR_OK */
    unsigned long next_look; /* ops count at which to read the clock again */
    unsigned long stride;    /* operations between two looks at the clock */
} bench_thread;

/* A workload: prepare once, then run one operation per call. */
typedef struct {
    const char *name;
    const char *group;       /* keygen, sign, verify, kem, cipher, digest, misc */
    CK_MECHANISM_TYPE needs; /* skipped when the module lacks it; 0: none */
    int single_thread;       /* login and re-initialisation only */
    /* Once, in the main session: keys and data the operations use. */
    CK_RV (*setup)(bench_ctx *ctx, void **shared);
    /* Per thread before timing; also checks the result once. */
    CK_RV (*thread_setup)(bench_thread *t, void *shared);
    CK_RV (*op)(bench_thread *t, void *shared);
    void (*thread_done)(bench_thread *t, void *shared);
    void (*teardown)(bench_ctx *ctx, void *shared);
    /* After each op, outside the measured time (may be NULL): undoing
     * what the op did when only the op is the figure of interest. */
    CK_RV (*untimed)(bench_thread *t, void *shared);
} bench_workload;

struct bench_ctx {
    CK_FUNCTION_LIST *f;        /* the 2.40 list every module has */
    CK_FUNCTION_LIST_3_0 *f3;   /* NULL when the module has no 3.0 list */
    CK_FUNCTION_LIST_3_2 *f32;  /* NULL when the module has no 3.2 list */
    CK_SLOT_ID slot;
    CK_SESSION_HANDLE main_s;
    const char *pin;
    const char *so_pin;
    const char *label;
    const char *module;
    const char *name;
    double seconds;
    unsigned long count;        /* nonzero: exactly this many operations
                                   per thread, for instruction counts */
    int reps;
    int threads;
    int cpu_time;               /* divide by thread CPU time, not wall-clock */
    unsigned long objects;
};

extern const bench_workload bench_workloads[];
extern const unsigned long bench_workload_count;

/* Helpers shared by the workloads (p11bench_keys.c). */
CK_RV
bench_gen_ec(bench_ctx *ctx, CK_SESSION_HANDLE s, const CK_BYTE *params, CK_ULONG params_len,
             CK_MECHANISM_TYPE mech, CK_OBJECT_HANDLE *pub, CK_OBJECT_HANDLE *priv);

CK_RV
bench_gen_rsa(bench_ctx *ctx, CK_SESSION_HANDLE s, CK_ULONG bits, CK_OBJECT_HANDLE *pub,
              CK_OBJECT_HANDLE *priv);

CK_RV
bench_gen_aes(bench_ctx *ctx, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE *key);

CK_RV
bench_gen_pqc(bench_ctx *ctx, CK_SESSION_HANDLE s, CK_MECHANISM_TYPE mech, CK_ULONG set,
              CK_OBJECT_HANDLE *pub, CK_OBJECT_HANDLE *priv);

int
bench_has_mech(bench_ctx *ctx, CK_MECHANISM_TYPE m);

/* Set ctx->slot to the token labelled ctx->label, initialising an empty
 * token when there is none (p11bench.c). */
CK_RV
bench_find_token(bench_ctx *ctx);

#endif
