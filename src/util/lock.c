/* Locks; see lock.h. */
#include "util/lock.h"

#include <stddef.h>

static const tk_lock_callbacks *tk_lock_cb;

void
tk_lock_use_callbacks(const tk_lock_callbacks *cb)
{
    tk_lock_cb = cb;
}

/* With the caller's callbacks every lock is one of its mutexes. */
static int
tk_lock_init_app(tk_lock *l)
{
    l->cb = tk_lock_cb;
    l->srw = NULL;
    l->app_mutex = NULL;
    return l->cb->create(&l->app_mutex) == 0 ? 0 : -1;
}

int
tk_lock_init(tk_lock *l)
{
    if (tk_lock_cb != NULL) {
        return tk_lock_init_app(l);
    }
    l->cb = NULL;
    l->app_mutex = NULL;
    l->srw = tk_srw_new();
    return l->srw != NULL ? 0 : -1;
}

int
tk_lock_init_exclusive(tk_lock *l)
{
    if (tk_lock_cb != NULL) {
        return tk_lock_init_app(l);
    }
    l->cb = NULL;
    l->app_mutex = NULL;
    l->srw = NULL;
    return pthread_mutex_init(&l->mu, NULL) == 0 ? 0 : -1;
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
    if (l->srw != NULL) {
        tk_srw_free(l->srw);
        l->srw = NULL;
        return;
    }
    pthread_mutex_destroy(&l->mu);
}

void
tk_lock_read(tk_lock *l)
{
    if (l->cb != NULL) {
        l->cb->lock(l->app_mutex);
    } else if (l->srw != NULL) {
        tk_srw_rdlock(l->srw);
    } else {
        pthread_mutex_lock(&l->mu);
    }
}

void
tk_lock_write(tk_lock *l)
{
    if (l->cb != NULL) {
        l->cb->lock(l->app_mutex);
    } else if (l->srw != NULL) {
        tk_srw_wrlock(l->srw);
    } else {
        pthread_mutex_lock(&l->mu);
    }
}

void
tk_unlock(tk_lock *l)
{
    if (l->cb != NULL) {
        l->cb->unlock(l->app_mutex);
    } else if (l->srw == NULL) {
        pthread_mutex_unlock(&l->mu);
    } else if (tk_srw_is_writer(l->srw)) {
        tk_srw_wrunlock(l->srw);
    } else {
        tk_srw_rdunlock(l->srw);
    }
}
