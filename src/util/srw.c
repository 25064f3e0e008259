/* Sharded reader-writer lock; see srw.h. */
#include "util/srw.h"

#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/*
 * Each thread takes the next shard the first time it reads any lock, so
 * up to TK_SRW_SHARDS threads never share a counter. Later threads share;
 * counts add up, so sharing costs speed, never correctness.
 */
static unsigned tk_srw_next_shard; /* atomic */
/*
 * Initial-exec: read straight off the thread pointer, where the default
 * model for a shared object calls __tls_get_addr on every lock. Four bytes
 * fit the space glibc keeps for modules loaded with dlopen.
 */
static __thread unsigned tk_srw_my_shard
    __attribute__((tls_model("initial-exec"))); /* index + 1; 0: unchosen */

unsigned
tk_thread_slot(void)
{
    unsigned s = tk_srw_my_shard;

    if (s == 0) {
        s = __atomic_fetch_add(&tk_srw_next_shard, 1, __ATOMIC_RELAXED) % TK_SRW_SHARDS + 1;
        tk_srw_my_shard = s;
    }
    return s - 1;
}

static uintptr_t
tk_srw_self(void)
{
    return (uintptr_t)pthread_self();
}

tk_srw *
tk_srw_new(void)
{
    tk_srw *l = aligned_alloc(TK_SRW_LINE, sizeof(tk_srw));

    if (l == NULL) {
        return NULL;
    }
    memset(l, 0, sizeof(*l));
    if (pthread_mutex_init(&l->wmu, NULL) != 0) {
        free(l);
        return NULL;
    }
    return l;
}

void
tk_srw_free(tk_srw *l)
{
    if (l != NULL) {
        pthread_mutex_destroy(&l->wmu);
        free(l);
    }
}

void
tk_srw_reset(tk_srw *l)
{
    pthread_mutex_t fresh = PTHREAD_MUTEX_INITIALIZER;

    for (size_t i = 0; i < TK_SRW_SHARDS; i++) {
        l->shard[i].readers = 0;
    }
    l->writer = 0;
    l->owner = 0;
    memcpy(&l->wmu, &fresh, sizeof(fresh));
}

void
tk_srw_rdlock(tk_srw *l)
{
    unsigned long *n = &l->shard[tk_thread_slot()].readers;

    for (;;) {
        /* Count in, then look for a writer; the writer raises its flag,
         * then looks at the counts. Sequential consistency makes at least
         * one of the two see the other. */
        __atomic_add_fetch(n, 1, __ATOMIC_SEQ_CST);
        if (__atomic_load_n(&l->writer, __ATOMIC_SEQ_CST) == 0) {
            return;
        }
        __atomic_sub_fetch(n, 1, __ATOMIC_SEQ_CST);
        /* The writer holds wmu while its flag is up: wait for it there. */
        pthread_mutex_lock(&l->wmu);
        pthread_mutex_unlock(&l->wmu);
    }
}

void
tk_srw_rdunlock(tk_srw *l)
{
    __atomic_sub_fetch(&l->shard[tk_thread_slot()].readers, 1, __ATOMIC_RELEASE);
}

static inline void
tk_srw_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

/* Readers hold the lock for one call at most: spin briefly, then give
 * the processor away, then sleep, so a long call does not burn a core. */
static void
tk_srw_wait_empty(const unsigned long *n)
{
    unsigned spins = 0;

    while (__atomic_load_n(n, __ATOMIC_SEQ_CST) != 0) {
        spins++;
        if (spins < 64) {
            tk_srw_relax();
        } else if (spins < 256) {
            sched_yield();
        } else {
            struct timespec ts = {0, 20000};

            nanosleep(&ts, NULL);
        }
    }
}

void
tk_srw_wrlock(tk_srw *l)
{
    pthread_mutex_lock(&l->wmu);
    __atomic_store_n(&l->writer, 1, __ATOMIC_SEQ_CST);
    for (size_t i = 0; i < TK_SRW_SHARDS; i++) {
        tk_srw_wait_empty(&l->shard[i].readers);
    }
    __atomic_store_n(&l->owner, tk_srw_self(), __ATOMIC_RELAXED);
}

void
tk_srw_wrunlock(tk_srw *l)
{
    __atomic_store_n(&l->owner, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&l->writer, 0, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&l->wmu);
}

int
tk_srw_is_writer(const tk_srw *l)
{
    /* Only the writer stores its own id here, so no other thread can read
     * its own id back. */
    return __atomic_load_n(&l->owner, __ATOMIC_RELAXED) == tk_srw_self();
}
