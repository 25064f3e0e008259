/* Locks; see lock.h. */
#include "util/lock.h"

#include <stddef.h>

static const tk_lock_callbacks *tk_lock_cb;

void
tk_lock_use_callbacks(const tk_lock_callbacks *cb)
{
    tk_lock_cb = cb;
}

int
tk_lock_init(tk_lock *l)
{
    l->cb = tk_lock_cb;
    l->app_mutex = NULL;
    if (l->cb != NULL) {
        return l->cb->create(&l->app_mutex) == 0 ? 0 : -1;
    }
    return pthread_rwlock_init(&l->rw, NULL) == 0 ? 0 : -1;
}

void
tk_lock_destroy(tk_lock *l)
{
    if (l->cb != NULL) {
        if (l->app_mutex != NULL) {
            l->cb->destroy(l->app_mutex);
        }
        l->app_mutex = NULL;
        return;
    }
    pthread_rwlock_destroy(&l->rw);
}

void
tk_lock_read(tk_lock *l)
{
    if (l->cb != NULL) {
        l->cb->lock(l->app_mutex);
        return;
    }
    pthread_rwlock_rdlock(&l->rw);
}

void
tk_lock_write(tk_lock *l)
{
    if (l->cb != NULL) {
        l->cb->lock(l->app_mutex);
        return;
    }
    pthread_rwlock_wrlock(&l->rw);
}

void
tk_unlock(tk_lock *l)
{
    if (l->cb != NULL) {
        l->cb->unlock(l->app_mutex);
        return;
    }
    pthread_rwlock_unlock(&l->rw);
}
