/*
 * A reader-writer lock for locks that nearly every call reads and few
 * calls write (the library's life, the session table, a token's objects).
 *
 * A pthread rwlock keeps its reader count in one cache line, so two
 * threads making small calls at once spend their time passing that line
 * between cores: more threads made 64-byte digests slower, not faster.
 * Here each thread counts itself in a shard of its own, and a writer
 * raises a flag and waits for every shard to empty. Reading costs two
 * uncontended atomic operations; writing costs a scan of the shards.
 * Writers come first: a reader that sees the flag steps back and waits,
 * so C_Finalize is never starved by a stream of calls.
 *
 * Not recursive: a thread holding the lock must not take it again.
 */
#ifndef TK_UTIL_SRW_H
#define TK_UTIL_SRW_H

#include <pthread.h>
#include <stdint.h>

#define TK_SRW_SHARDS 16
#define TK_SRW_LINE 64

typedef struct {
    _Alignas(TK_SRW_LINE) unsigned long readers; /* atomic */
} tk_srw_shard;

typedef struct {
    tk_srw_shard shard[TK_SRW_SHARDS];
    _Alignas(TK_SRW_LINE) int writer; /* atomic: a writer holds or wants it */
    uintptr_t owner;                  /* atomic: the writing thread, or 0 */
    pthread_mutex_t wmu;              /* writers, and readers waiting on one */
} tk_srw;

#define TK_SRW_INITIALIZER {.wmu = PTHREAD_MUTEX_INITIALIZER}

/*
 * The calling thread's slot, below TK_SRW_SHARDS: its shard in every lock,
 * and the index of per-thread caches elsewhere (crypto contexts kept for
 * reuse) that must not share a cache line with another thread's. The
 * first TK_SRW_SHARDS threads get slots of their own.
 */
unsigned
tk_thread_slot(void);

/* Allocate an aligned lock; NULL when out of memory. */
tk_srw *
tk_srw_new(void);

void
tk_srw_free(tk_srw *l);

/* Forget every holder: for a forked child, whose other threads are gone. */
void
tk_srw_reset(tk_srw *l);

void
tk_srw_rdlock(tk_srw *l);

void
tk_srw_rdunlock(tk_srw *l);

void
tk_srw_wrlock(tk_srw *l);

void
tk_srw_wrunlock(tk_srw *l);

/* Whether the calling thread holds l for writing. */
int
tk_srw_is_writer(const tk_srw *l);

#endif
