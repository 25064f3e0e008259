/*
 * Many threads at once, each on its own session: creating, finding,
 * reading and destroying objects, opening and closing sessions. Run with
 * the OS's locks and with the application's mutex callbacks.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"

#define PIN(s) (CK_UTF8CHAR_PTR)(s), strlen(s)
#define THREADS 8
#define ROUNDS 60

static CK_SLOT_ID the_slot;

typedef struct {
    int id;
    int errors;
} worker_arg;

static int
worker_round(CK_SESSION_HANDLE s, int id, int round)
{
    char label[64];
    char value[96];
    char buf[64];
    CK_ATTRIBUTE get = {CKA_VALUE, buf, sizeof(buf)};
    CK_OBJECT_HANDLE h;
    CK_RV rv;
    int errors = 0;

    snprintf(label, sizeof(label), "t%d-r%d", id, round);
    snprintf(value, sizeof(value), "value of %s", label);
    h = th_data_object(s, label, value, round % 2 == 0, CK_TRUE, &rv);
    errors += rv != CKR_OK;
    errors += th_count_label(s, label) != 1;
    errors += th.f->C_GetAttributeValue(s, h, &get, 1) != CKR_OK;
    errors += get.ulValueLen != strlen(value) || memcmp(buf, value, get.ulValueLen) != 0;
    errors += th.f->C_DestroyObject(s, h) != CKR_OK;
    errors += th_count_label(s, label) != 0;
    return errors;
}

static void *
worker(void *p)
{
    worker_arg *a = p;
    CK_SESSION_HANDLE s;

    for (int round = 0; round < ROUNDS; round++) {
        /* A fresh session now and then: open and close race the others. */
        if (th.f->C_OpenSession(the_slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL,
                                &s) != CKR_OK) {
            a->errors++;
            continue;
        }
        a->errors += worker_round(s, a->id, round);
        a->errors += th.f->C_CloseSession(s) != CKR_OK;
    }
    return NULL;
}

static void
run_workers(void)
{
    pthread_t t[THREADS];
    worker_arg args[THREADS];
    CK_SESSION_HANDLE keeper;
    int errors = 0;

    /* One session stays open and logged in, so the login lasts. */
    keeper = th_open(the_slot, 1);
    assert_int_equal(th.f->C_Login(keeper, CKU_USER, PIN(TH_USER_PIN)), CKR_OK);
    for (int i = 0; i < THREADS; i++) {
        args[i].id = i;
        args[i].errors = 0;
        assert_int_equal(pthread_create(&t[i], NULL, worker, &args[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
        errors += args[i].errors;
    }
    assert_int_equal(errors, 0);
    assert_int_equal(th_count_label(keeper, "t0-r0"), 0);
}

static void
test_threads_os_locking(void **state)
{
    (void)state;
    th_setup(NULL);
    the_slot = th_make_token("threads");
    run_workers();
    th_teardown();
}

/* The application's mutexes, made from pthread mutexes. */
static CK_RV
app_create(CK_VOID_PTR_PTR m)
{
    pthread_mutex_t *mu = malloc(sizeof(*mu));

    if (mu == NULL) {
        return CKR_HOST_MEMORY;
    }
    pthread_mutex_init(mu, NULL);
    *m = mu;
    return CKR_OK;
}

static CK_RV
app_destroy(CK_VOID_PTR m)
{
    pthread_mutex_destroy(m);
    free(m);
    return CKR_OK;
}

static CK_RV
app_lock(CK_VOID_PTR m)
{
    return pthread_mutex_lock(m) == 0 ? CKR_OK : CKR_GENERAL_ERROR;
}

static CK_RV
app_unlock(CK_VOID_PTR m)
{
    return pthread_mutex_unlock(m) == 0 ? CKR_OK : CKR_GENERAL_ERROR;
}

static void
test_threads_app_mutexes(void **state)
{
    CK_C_INITIALIZE_ARGS args;

    (void)state;
    th_setup(NULL);
    the_slot = th_make_token("callbacks");
    assert_int_equal(th.f->C_Finalize(NULL), CKR_OK);
    memset(&args, 0, sizeof(args));
    args.CreateMutex = app_create;
    args.DestroyMutex = app_destroy;
    args.LockMutex = app_lock;
    args.UnlockMutex = app_unlock;
    assert_int_equal(th.f->C_Initialize(&args), CKR_OK);
    run_workers();
    th_teardown();
}

/* ---- guessing PINs from many threads at once ---- */

#define GUESSERS 16
#define MAX_ATTEMPTS 3

typedef struct {
    pthread_barrier_t *go;
    int checked; /* CKR_PIN_INCORRECT: the PIN was really checked */
    int other;   /* neither that nor CKR_PIN_LOCKED */
} guess_arg;

static void *
guesser(void *p)
{
    guess_arg *g = p;
    CK_SESSION_HANDLE s;

    if (th.f->C_OpenSession(the_slot, CKF_SERIAL_SESSION, NULL, NULL, &s) != CKR_OK) {
        g->other++;
        return NULL;
    }
    pthread_barrier_wait(g->go);
    for (int i = 0; i < 4; i++) {
        CK_RV rv = th.f->C_Login(s, CKU_USER, PIN("wrong guess"));

        g->checked += rv == CKR_PIN_INCORRECT;
        g->other += rv != CKR_PIN_INCORRECT && rv != CKR_PIN_LOCKED;
    }
    th.f->C_CloseSession(s);
    return NULL;
}

/* Each guess reads the counter, then counts itself: threads that all read
 * a count under the limit must not all get their PIN checked. */
static void
test_parallel_guesses_stop_at_limit(void **state)
{
    pthread_t t[GUESSERS];
    guess_arg g[GUESSERS];
    pthread_barrier_t go;
    CK_SESSION_HANDLE s;
    int checked = 0;

    (void)state;
    th_setup("max_pin_attempts = 3\nkdf_memory_kib = 1024\nkdf_passes = 1\n");
    the_slot = th_make_token("guesses");
    pthread_barrier_init(&go, NULL, GUESSERS);
    for (int i = 0; i < GUESSERS; i++) {
        memset(&g[i], 0, sizeof(g[i]));
        g[i].go = &go;
        assert_int_equal(pthread_create(&t[i], NULL, guesser, &g[i]), 0);
    }
    for (int i = 0; i < GUESSERS; i++) {
        pthread_join(t[i], NULL);
        checked += g[i].checked;
        assert_int_equal(g[i].other, 0);
    }
    pthread_barrier_destroy(&go);
    assert_true(checked <= MAX_ATTEMPTS);
    assert_true(th_token_flags(the_slot) & CKF_USER_PIN_LOCKED);
    s = th_open(the_slot, 0);
    assert_int_equal(th.f->C_Login(s, CKU_USER, PIN(TH_USER_PIN)), CKR_PIN_LOCKED);
    th_teardown();
}

/* ---- two threads initialising one empty slot ---- */

typedef struct {
    pthread_barrier_t *go;
    CK_SLOT_ID slot;
    CK_RV rv;
} init_arg;

static void *
initializer(void *p)
{
    init_arg *a = p;
    CK_UTF8CHAR label[32];

    memset(label, ' ', sizeof(label));
    memcpy(label, "raced", 5);
    pthread_barrier_wait(a->go);
    a->rv = th.f->C_InitToken(a->slot, PIN(TH_SO_PIN), label);
    return NULL;
}

/* Both succeed, one after the other: one token, no second one made for
 * the same slot and lost (the sanitizer build reports such a leak). */
static void
test_init_token_race(void **state)
{
    pthread_t t[2];
    init_arg a[2];
    pthread_barrier_t go;
    CK_SLOT_ID slot;
    CK_SLOT_ID list[16];
    CK_ULONG n = 16;
    CK_TOKEN_INFO ti;
    int initialised = 0;

    (void)state;
    th_setup("kdf_memory_kib = 1024\nkdf_passes = 1\n");
    slot = th_init_and_empty_slot();
    pthread_barrier_init(&go, NULL, 2);
    for (int i = 0; i < 2; i++) {
        a[i].go = &go;
        a[i].slot = slot;
        a[i].rv = CKR_GENERAL_ERROR;
        assert_int_equal(pthread_create(&t[i], NULL, initializer, &a[i]), 0);
    }
    for (int i = 0; i < 2; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(a[i].rv, CKR_OK);
    }
    pthread_barrier_destroy(&go);
    assert_int_equal(th.f->C_GetSlotList(CK_FALSE, NULL, &n), CKR_OK);
    assert_int_equal(th.f->C_GetSlotList(CK_FALSE, list, &n), CKR_OK);
    for (CK_ULONG i = 0; i < n; i++) {
        assert_int_equal(th.f->C_GetTokenInfo(list[i], &ti), CKR_OK);
        initialised += (ti.flags & CKF_TOKEN_INITIALIZED) != 0;
    }
    assert_int_equal(initialised, 1);
    th_teardown();
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threads_os_locking),
        cmocka_unit_test(test_threads_app_mutexes),
        cmocka_unit_test(test_parallel_guesses_stop_at_limit),
        cmocka_unit_test(test_init_token_race),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
