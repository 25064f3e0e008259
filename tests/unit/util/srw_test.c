/*
 * The sharded reader-writer lock: writers exclude readers and each other,
 * readers share, a waiting writer holds new readers back, a forked child
 * starts with the lock free, and tk_lock's one unlock call releases either
 * kind of hold.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/lock.h"
#include "util/srw.h"

#define ROUNDS 20000

typedef struct {
    tk_srw *l;
    long a, b;       /* a writer changes both; a reader must see them equal */
    int torn;        /* atomic: a reader saw them differ */
    int readers_in;  /* atomic: readers inside at once */
    int max_readers; /* atomic */
} shared_state;

static void *
reader(void *p)
{
    shared_state *st = p;

    for (int i = 0; i < ROUNDS; i++) {
        tk_srw_rdlock(st->l);
        int in = __atomic_add_fetch(&st->readers_in, 1, __ATOMIC_SEQ_CST);
        int max = __atomic_load_n(&st->max_readers, __ATOMIC_RELAXED);
        while (in > max &&
               !__atomic_compare_exchange_n(&st->max_readers, &max, in, 0, __ATOMIC_SEQ_CST,
                                            __ATOMIC_RELAXED)) {
        }
        if (__atomic_load_n(&st->a, __ATOMIC_RELAXED) !=
            __atomic_load_n(&st->b, __ATOMIC_RELAXED)) {
            __atomic_store_n(&st->torn, 1, __ATOMIC_RELAXED);
        }
        __atomic_sub_fetch(&st->readers_in, 1, __ATOMIC_SEQ_CST);
        tk_srw_rdunlock(st->l);
    }
    return NULL;
}

static void *
writer(void *p)
{
    shared_state *st = p;

    for (int i = 0; i < ROUNDS / 10; i++) {
        tk_srw_wrlock(st->l);
        assert_int_equal(__atomic_load_n(&st->readers_in, __ATOMIC_SEQ_CST), 0);
        assert_true(tk_srw_is_writer(st->l));
        __atomic_store_n(&st->a, st->a + 1, __ATOMIC_RELAXED);
        __atomic_store_n(&st->b, st->b + 1, __ATOMIC_RELAXED);
        tk_srw_wrunlock(st->l);
    }
    return NULL;
}

static void
test_exclusion(void **state)
{
    shared_state st = {0};
    pthread_t t[6];

    (void)state;
    st.l = tk_srw_new();
    assert_non_null(st.l);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(pthread_create(&t[i], NULL, reader, &st), 0);
    }
    for (int i = 4; i < 6; i++) {
        assert_int_equal(pthread_create(&t[i], NULL, writer, &st), 0);
    }
    for (int i = 0; i < 6; i++) {
        pthread_join(t[i], NULL);
    }
    assert_int_equal(st.torn, 0);
    assert_int_equal(st.a, 2 * (ROUNDS / 10));
    assert_int_equal(st.a, st.b);
    assert_false(tk_srw_is_writer(st.l));
    tk_srw_free(st.l);
}

typedef struct {
    tk_srw *l;
    int got; /* atomic */
} try_state;

static void *
late_reader(void *p)
{
    try_state *ts = p;

    tk_srw_rdlock(ts->l);
    __atomic_store_n(&ts->got, 1, __ATOMIC_SEQ_CST);
    tk_srw_rdunlock(ts->l);
    return NULL;
}

static void *
hold_writer(void *p)
{
    tk_srw_wrlock(p);
    tk_srw_wrunlock(p);
    return NULL;
}

static void
sleep_ms(long ms)
{
    struct timespec ts = {0, ms * 1000000L};

    nanosleep(&ts, NULL);
}

/* Readers share; a writer waits for them; a reader arriving while the
 * writer waits is held back until the writer is done. */
static void
test_writer_first(void **state)
{
    tk_srw *l = tk_srw_new();
    try_state ts = {l, 0};
    pthread_t w, r;

    (void)state;
    tk_srw_rdlock(l);
    tk_srw_rdlock(l); /* readers share: a second hold */
    tk_srw_rdunlock(l);
    assert_int_equal(pthread_create(&w, NULL, hold_writer, l), 0);
    while (__atomic_load_n(&l->writer, __ATOMIC_SEQ_CST) == 0) {
        sleep_ms(1);
    }
    assert_int_equal(pthread_create(&r, NULL, late_reader, &ts), 0);
    sleep_ms(50);
    assert_int_equal(__atomic_load_n(&ts.got, __ATOMIC_SEQ_CST), 0);
    tk_srw_rdunlock(l);
    pthread_join(w, NULL);
    pthread_join(r, NULL);
    assert_int_equal(ts.got, 1);
    tk_srw_free(l);
}

/* A child forked while another thread reads must find the lock usable
 * after tk_srw_reset. */
static void
test_fork_reset(void **state)
{
    tk_srw *l = tk_srw_new();
    pid_t pid;
    int status = 0;

    (void)state;
    tk_srw_rdlock(l);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        tk_srw_reset(l);
        tk_srw_wrlock(l);
        tk_srw_wrunlock(l);
        _exit(0);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    tk_srw_rdunlock(l);
    tk_srw_free(l);
}

static void
test_lock_unlock_either(void **state)
{
    tk_lock shared, excl;

    (void)state;
    tk_lock_use_callbacks(NULL);
    assert_int_equal(tk_lock_init(&shared), 0);
    assert_int_equal(tk_lock_init_exclusive(&excl), 0);
    tk_lock_read(&shared);
    tk_lock_read(&shared);
    tk_unlock(&shared);
    tk_unlock(&shared);
    tk_lock_write(&shared);
    assert_true(tk_srw_is_writer(shared.srw));
    tk_unlock(&shared);
    assert_false(tk_srw_is_writer(shared.srw));
    tk_lock_write(&shared); /* would hang if a reader were left counted */
    tk_unlock(&shared);
    tk_lock_write(&excl);
    tk_unlock(&excl);
    tk_lock_read(&excl);
    tk_unlock(&excl);
    tk_lock_destroy(&shared);
    tk_lock_destroy(&excl);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exclusion),
        cmocka_unit_test(test_writer_first),
        cmocka_unit_test(test_fork_reset),
        cmocka_unit_test(test_lock_unlock_either),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
