/*
 * Locks that honour C_Initialize's locking choice [PKCS11 3.2 §5.4]: with
 * OS locking (or no arguments) a sharded reader-writer lock (srw.h) or,
 * for locks only ever taken exclusively, a plain mutex; with the caller's
 * mutex callbacks only, the caller's mutexes, which are exclusive, so
 * readers then serialise too.
 */
#ifndef TK_UTIL_LOCK_H
#define TK_UTIL_LOCK_H

#include <pthread.h>

#include "util/srw.h"

/* The caller's callbacks, as C_Initialize received them. */
typedef struct {
    int (*create)(void **mutex);
    int (*destroy)(void *mutex);
    int (*lock)(void *mutex);
    int (*unlock)(void *mutex);
} tk_lock_callbacks;

typedef struct {
    const tk_lock_callbacks *cb; /* NULL: the OS's */
    tk_srw *srw;                 /* OS, shared by readers */
    pthread_mutex_t mu;          /* OS, exclusive (srw NULL) */
    void *app_mutex;
} tk_lock;

/* Choose the callbacks every later tk_lock_init uses; NULL for the OS. */
void
tk_lock_use_callbacks(const tk_lock_callbacks *cb);

/* A lock readers share. 0 on success, -1 when it could not be made. */
int
tk_lock_init(tk_lock *l);

/* A lock only ever taken exclusively (tk_lock_read then excludes too);
 * cheaper to take than a shared one. */
int
tk_lock_init_exclusive(tk_lock *l);

void
tk_lock_destroy(tk_lock *l);

void
tk_lock_read(tk_lock *l);

void
tk_lock_write(tk_lock *l);

/* Release what this thread took, for reading or for writing. */
void
tk_unlock(tk_lock *l);

#endif
