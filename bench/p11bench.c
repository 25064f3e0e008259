/*
 * p11bench: loads a PKCS#11 module, finds or makes a token labelled
 * "bench", logs in and measures every workload of p11bench_workloads.c
 * with 1 and with N threads (each on its own session), the median of
 * several runs. Prints a table and, with --csv, appends CSV rows:
 *   module,workload,group,threads,ops_per_sec
 */
#include <dlfcn.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "p11bench.h"

/* Wall-clock time, or with --cpu-time the calling thread's CPU time (what
 * `openssl speed` divides by unless given -elapsed), which a loaded
 * machine disturbs less. */
static double
bench_now(const bench_ctx *ctx)
{
    struct timespec ts;

    clock_gettime(ctx->cpu_time ? CLOCK_THREAD_CPUTIME_ID : CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
bench_pad(CK_UTF8CHAR *dst, size_t len, const char *src)
{
    size_t n = strlen(src);

    memset(dst, ' ', len);
    memcpy(dst, src, n < len ? n : len);
}

static CK_RV
bench_load(bench_ctx *ctx)
{
    void *dl = dlopen(ctx->module, RTLD_NOW | RTLD_LOCAL);
    CK_RV (*get_list)(CK_FUNCTION_LIST_PTR_PTR);
    CK_RV (*get_iface)(CK_UTF8CHAR_PTR, CK_VERSION_PTR, CK_INTERFACE_PTR_PTR, CK_FLAGS);
    CK_INTERFACE_PTR iface = NULL;
    CK_VERSION v30 = {3, 0};
    CK_VERSION v32 = {3, 2};
    CK_C_INITIALIZE_ARGS args;

    if (dl == NULL) {
        fprintf(stderr, "p11bench: %s\n", dlerror());
        return CKR_GENERAL_ERROR;
    }
    *(void **)&get_list = dlsym(dl, "C_GetFunctionList");
    *(void **)&get_iface = dlsym(dl, "C_GetInterface");
    if (get_list == NULL || get_list(&ctx->f) != CKR_OK) {
        return CKR_GENERAL_ERROR;
    }
    if (get_iface != NULL && get_iface((CK_UTF8CHAR_PTR) "PKCS 11", &v30, &iface, 0) == CKR_OK) {
        ctx->f3 = iface->pFunctionList;
    }
    /* C_EncapsulateKey and C_DecapsulateKey are in the 3.2 list only. */
    if (get_iface != NULL && get_iface((CK_UTF8CHAR_PTR) "PKCS 11", &v32, &iface, 0) == CKR_OK) {
        ctx->f32 = iface->pFunctionList;
    }
    memset(&args, 0, sizeof(args));
    args.flags = CKF_OS_LOCKING_OK;
    return ctx->f->C_Initialize(&args);
}

/* See p11bench.h. */
CK_RV
bench_find_token(bench_ctx *ctx)
{
    CK_SLOT_ID slots[64];
    CK_ULONG n = 64;
    CK_TOKEN_INFO ti;
    CK_UTF8CHAR want[32];
    CK_RV rv = ctx->f->C_GetSlotList(CK_TRUE, slots, &n);
    long empty = -1;

    bench_pad(want, sizeof(want), ctx->label);
    for (CK_ULONG i = 0; rv == CKR_OK && i < n; i++) {
        if (ctx->f->C_GetTokenInfo(slots[i], &ti) != CKR_OK) {
            continue;
        }
        if ((ti.flags & CKF_TOKEN_INITIALIZED) && memcmp(ti.label, want, 32) == 0) {
            ctx->slot = slots[i];
            return CKR_OK;
        }
        if (!(ti.flags & CKF_TOKEN_INITIALIZED) && empty < 0) {
            empty = (long)i;
        }
    }
    if (rv != CKR_OK || empty < 0) {
        return rv != CKR_OK ? rv : CKR_TOKEN_NOT_PRESENT;
    }
    ctx->slot = slots[empty];
    return ctx->f->C_InitToken(ctx->slot, (CK_UTF8CHAR_PTR)ctx->so_pin, strlen(ctx->so_pin),
                               want);
}

/* Open the main session and log in, setting the user PIN the first time. */
static CK_RV
bench_login(bench_ctx *ctx)
{
    CK_FLAGS fl = CKF_SERIAL_SESSION | CKF_RW_SESSION;
    CK_RV rv = ctx->f->C_OpenSession(ctx->slot, fl, NULL, NULL, &ctx->main_s);

    if (rv != CKR_OK) {
        return rv;
    }
    rv = ctx->f->C_Login(ctx->main_s, CKU_USER, (CK_UTF8CHAR_PTR)ctx->pin, strlen(ctx->pin));
    if (rv == CKR_USER_PIN_NOT_INITIALIZED) {
        rv = ctx->f->C_Login(ctx->main_s, CKU_SO, (CK_UTF8CHAR_PTR)ctx->so_pin,
                             strlen(ctx->so_pin));
        if (rv == CKR_OK) {
            rv = ctx->f->C_InitPIN(ctx->main_s, (CK_UTF8CHAR_PTR)ctx->pin, strlen(ctx->pin));
        }
        if (rv == CKR_OK) {
            rv = ctx->f->C_Logout(ctx->main_s);
        }
        if (rv == CKR_OK) {
            rv = ctx->f->C_Login(ctx->main_s, CKU_USER, (CK_UTF8CHAR_PTR)ctx->pin,
                                 strlen(ctx->pin));
        }
    }
    return rv == CKR_USER_ALREADY_LOGGED_IN ? CKR_OK : rv;
}

/*
 * Go on timing: until the time is up, or until ctx->count operations.
 * Reading the clock costs about as much as a 64-byte hash through the
 * module, so for fast operations the clock is read every `stride`
 * operations, the stride growing while a look finds less than 20 us gone
 * since the previous one. A run then overshoots its time by under 2 ms.
 */
static int
bench_more(const bench_ctx *ctx, bench_thread *t, double t0, double seconds, double *last)
{
    double now;

    if (ctx->count > 0) {
        return t->ops < ctx->count;
    }
    if (t->ops < t->next_look) {
        return 1;
    }
    now = bench_now(ctx);
    if (now - *last < 20e-6 && t->stride < 64) {
        t->stride *= 2;
    } else if (now - *last > 200e-6 && t->stride > 1) {
        t->stride /= 2;
    }
    *last = now;
    t->next_look = t->ops + t->stride;
    return now - t0 < seconds;
}

/*
 * A 2048-bit RSA key takes from tens of milliseconds to over a second, by
 * where the primes happen to lie: in a one-second run the rate is mostly
 * chance, so that workload runs fifteen times longer (about a hundred keys).
 */
static double
bench_time_factor(const bench_workload *w)
{
    return strncmp(w->name, "keygen_rsa", 10) == 0 ? 15.0 : 1.0;
}

typedef struct {
    bench_thread t;
    const bench_workload *w;
    void *shared;
    pthread_barrier_t *start;
    double seconds;
    double elapsed;
} bench_runner;

static void *
bench_run_thread(void *p)
{
    bench_runner *r = p;
    bench_ctx *ctx = r->t.ctx;
    CK_FLAGS fl = CKF_SERIAL_SESSION | CKF_RW_SESSION;
    CK_RV rv = CKR_OK;
    double t0;
    double last;

    if (r->w->single_thread) {
        r->t.s = ctx->main_s;
    } else {
        rv = ctx->f->C_OpenSession(ctx->slot, fl, NULL, NULL, &r->t.s);
    }
    if (rv == CKR_OK && r->w->thread_setup != NULL) {
        rv = r->w->thread_setup(&r->t, r->shared);
    }
    r->t.failure = rv;
    pthread_barrier_wait(r->start);
    t0 = bench_now(ctx);
    last = t0;
    r->t.stride = 1;
    r->t.next_look = 0;
    while (r->t.failure == CKR_OK && bench_more(ctx, &r->t, t0, r->seconds, &last)) {
        rv = r->w->op(&r->t, r->shared);
        if (rv == CKR_OK) {
            r->t.ops++;
        }
        if (rv == CKR_OK && r->w->untimed != NULL) {
            /* Moving the start forward leaves this time out. */
            double u0 = bench_now(ctx);
            rv = r->w->untimed(&r->t, r->shared);
            t0 += bench_now(ctx) - u0;
        }
        if (rv != CKR_OK) {
            r->t.failure = rv;
            break;
        }
    }
    r->elapsed = bench_now(ctx) - t0;
    if (r->w->thread_done != NULL) {
        r->w->thread_done(&r->t, r->shared);
    }
    if (!r->w->single_thread) {
        ctx->f->C_CloseSession(r->t.s);
    }
    return NULL;
}

/* One timed run with n threads; ops/s, or a negative number on failure. */
static double
bench_run_once(bench_ctx *ctx, const bench_workload *w, void *shared, int n, CK_RV *failure)
{
    pthread_t tid[64];
    bench_runner r[64];
    pthread_barrier_t start;
    double total = 0.0;
    double longest = 0.0;

    pthread_barrier_init(&start, NULL, (unsigned)n);
    for (int i = 0; i < n; i++) {
        memset(&r[i], 0, sizeof(r[i]));
        r[i].t.ctx = ctx;
        r[i].t.index = i;
        r[i].w = w;
        r[i].shared = shared;
        r[i].start = &start;
        r[i].seconds = ctx->seconds * bench_time_factor(w);
        pthread_create(&tid[i], NULL, bench_run_thread, &r[i]);
    }
    for (int i = 0; i < n; i++) {
        pthread_join(tid[i], NULL);
        if (r[i].t.failure != CKR_OK && *failure == CKR_OK) {
            *failure = r[i].t.failure;
        }
        total += (double)r[i].t.ops;
        longest = r[i].elapsed > longest ? r[i].elapsed : longest;
    }
    pthread_barrier_destroy(&start);
    return *failure == CKR_OK && longest > 0 ? total / longest : -1.0;
}

static int
bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a;
    double y = *(const double *)b;

    return x < y ? -1 : x > y;
}

/* The median of the sorted runs, printed with their range (how far one
 * run may stray tells how much a ratio near 1 means). */
static void
bench_report(bench_ctx *ctx, FILE *csv, const bench_workload *w, int n, const double *runs,
             CK_RV rv)
{
    double rate = rv == CKR_OK ? runs[ctx->reps / 2] : 0.0;
    double lo = rv == CKR_OK ? runs[0] : 0.0;
    double hi = rv == CKR_OK ? runs[ctx->reps - 1] : 0.0;

    if (rv == CKR_FUNCTION_NOT_SUPPORTED) {
        /* The message-based functions are PKCS #11 3.0; a 2.40 module
         * answers this, which is no failure of the workload. */
        printf("%-24s %2d thr  skipped (function not supported)\n", w->name, n);
        return;
    }
    if (rv != CKR_OK) {
        printf("%-24s %2d thr  FAILED (CKR 0x%lx)\n", w->name, n, (unsigned long)rv);
        return;
    }
    printf("%-24s %2d thr  %14.1f ops/s  (runs %.1f .. %.1f)\n", w->name, n, rate, lo, hi);
    if (csv != NULL) {
        fprintf(csv, "%s,%s,%s,%d,%.1f,%.1f,%.1f\n", ctx->name, w->name, w->group, n, rate, lo,
                hi);
        fflush(csv);
    }
}

static void
bench_workload_run(bench_ctx *ctx, FILE *csv, const bench_workload *w)
{
    int counts[2] = {1, ctx->threads};
    void *shared = NULL;
    CK_RV rv = CKR_OK;

    if (w->needs != 0 && !bench_has_mech(ctx, w->needs)) {
        printf("%-24s         skipped (mechanism not offered)\n", w->name);
        return;
    }
    if (w->setup != NULL) {
        rv = w->setup(ctx, &shared);
    }
    if (rv != CKR_OK) {
        /* A failed setup is a failure too, whether or not it left data. */
        double none = 0.0;

        bench_report(ctx, csv, w, 1, &none, rv);
    }
    for (int c = 0; c < 2 && rv == CKR_OK; c++) {
        double runs[16];
        int n = counts[c];
        if ((c == 1 && (w->single_thread || ctx->threads == 1))) {
            break;
        }
        for (int i = 0; i < ctx->reps && rv == CKR_OK; i++) {
            runs[i] = bench_run_once(ctx, w, shared, n, &rv);
        }
        if (rv == CKR_OK) {
            qsort(runs, (size_t)ctx->reps, sizeof(runs[0]), bench_cmp_double);
        }
        bench_report(ctx, csv, w, n, runs, rv);
    }
    if (w->teardown != NULL) {
        w->teardown(ctx, shared);
    }
}

static void
bench_usage(void)
{
    fprintf(stderr,
            "usage: p11bench --module PATH [--name NAME] [--pin PIN] [--so-pin PIN]\n"
            "                [--label LABEL] [--threads N] [--seconds S] [--reps R]\n"
            "                [--objects N] [--csv FILE] [--only NAME[,NAME...]]\n"
            "                [--count N]   (N operations per thread instead of timing;\n"
            "                               for valgrind --tool=callgrind)\n"
            "                [--cpu-time]  (divide by each thread's CPU time, not by\n"
            "                               wall-clock time)\n");
}

static int
bench_selected(const char *only, const char *name)
{
    const char *p = only;
    size_t n = strlen(name);

    if (only == NULL) {
        return 1;
    }
    while ((p = strstr(p, name)) != NULL) {
        if ((p == only || p[-1] == ',') && (p[n] == '\0' || p[n] == ',')) {
            return 1;
        }
        p += n;
    }
    return 0;
}

int
main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"module", required_argument, NULL, 'm'}, {"name", required_argument, NULL, 'n'},
        {"pin", required_argument, NULL, 'p'},    {"so-pin", required_argument, NULL, 's'},
        {"label", required_argument, NULL, 'l'},  {"threads", required_argument, NULL, 't'},
        {"seconds", required_argument, NULL, 'S'}, {"reps", required_argument, NULL, 'r'},
        {"objects", required_argument, NULL, 'o'}, {"csv", required_argument, NULL, 'c'},
        {"only", required_argument, NULL, 'O'},   {"count", required_argument, NULL, 'C'},
        {"cpu-time", no_argument, NULL, 'T'},
        {NULL, 0, NULL, 0},
    };
    bench_ctx ctx = {.pin = "1234", .so_pin = "12345678", .label = "bench", .name = "module",
                     .seconds = 1.0, .reps = 3, .threads = 2, .objects = 10000};
    const char *csv_path = NULL;
    const char *only = NULL;
    FILE *csv = NULL;
    CK_RV rv;
    int c;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'm': ctx.module = optarg; break;
        case 'n': ctx.name = optarg; break;
        case 'p': ctx.pin = optarg; break;
        case 's': ctx.so_pin = optarg; break;
        case 'l': ctx.label = optarg; break;
        case 't': ctx.threads = atoi(optarg); break;
        case 'S': ctx.seconds = atof(optarg); break;
        case 'r': ctx.reps = atoi(optarg); break;
        case 'o': ctx.objects = strtoul(optarg, NULL, 10); break;
        case 'c': csv_path = optarg; break;
        case 'O': only = optarg; break;
        case 'C': ctx.count = strtoul(optarg, NULL, 10); break;
        case 'T': ctx.cpu_time = 1; break;
        default: bench_usage(); return 2;
        }
    }
    if (ctx.module == NULL || ctx.threads < 1 || ctx.threads > 64 || ctx.reps < 1 ||
        ctx.reps > 16 || ctx.seconds <= 0) {
        bench_usage();
        return 2;
    }
    rv = bench_load(&ctx);
    if (rv == CKR_OK) {
        rv = bench_find_token(&ctx);
    }
    if (rv == CKR_OK) {
        rv = bench_login(&ctx);
    }
    if (rv != CKR_OK) {
        fprintf(stderr, "p11bench: %s: setup failed, CKR 0x%lx\n", ctx.module, (unsigned long)rv);
        return 1;
    }
    if (csv_path != NULL && (csv = fopen(csv_path, "a")) == NULL) {
        perror(csv_path);
        return 1;
    }
    printf("# %s (%s), slot %lu, %d threads, %.1f s x %d runs, median, %s time\n", ctx.name,
           ctx.module, (unsigned long)ctx.slot, ctx.threads, ctx.seconds, ctx.reps,
           ctx.cpu_time ? "CPU" : "wall-clock");
    for (unsigned long i = 0; i < bench_workload_count; i++) {
        if (bench_selected(only, bench_workloads[i].name)) {
            bench_workload_run(&ctx, csv, &bench_workloads[i]);
        }
    }
    if (csv != NULL) {
        fclose(csv);
    }
    ctx.f->C_Finalize(NULL);
    return 0;
}
