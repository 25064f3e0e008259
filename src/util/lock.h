/*
 * Locks that honour C_Initialize's locking choice [PKCS11 3.2 §5.4]: with
 * OS locking (or no arguments) a reader-writer lock; with the caller's
 * mutex callbacks only, the caller's mutexes, which are exclusive, so
 * readers then serialise too.
 */
#ifndef TK_UTIL_LOCK_H
#define TK_UTIL_LOCK_H

#include <pthread.h>

/* The caller's callbacks, as C_Initialize received them. */
typedef struct {
    int (*create)(void **mutex);
    int (*destroy)(void *mutex);
    int (*lock)(void *mutex);
    int (*unlock)(void *mutex);
} tk_lock_callbacks;

typedef struct {
    const tk_lock_callbacks *cb; /* NULL: pthread rwlock */
    pthread_rwlock_t rw;
    void *app_mutex;
} tk_lock;

/* Choose the callbacks every later tk_lock_init uses; NULL for the OS. */
void
tk_lock_use_callbacks(const tk_lock_callbacks *cb);

/* 0 on success, -1 when the lock could not be made. */
int
tk_lock_init(tk_lock *l);

void
tk_lock_destroy(tk_lock *l);

void
tk_lock_read(tk_lock *l);

void
tk_lock_write(tk_lock *l);

void
tk_unlock(tk_lock *l);

#endif
