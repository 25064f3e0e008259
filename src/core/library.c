/*
 * Library state: C_Initialize, C_Finalize, C_GetInfo, and what happens
 * across fork() [PKCS11 3.2 §5.4].
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/core.h"
#include "core/core_internal.h"
#include "util/check.h"
#include "util/log.h"
#include "util/wipe.h"

#define TK_LIBRARY_VERSION_MAJOR 0
#define TK_LIBRARY_VERSION_MINOR 1

/*
 * The life lock is the OS's even when the caller gave mutex callbacks:
 * it must exist before C_Initialize has seen them. Every call holds it for
 * reading, so C_Finalize waits for calls in flight.
 */
/* Writers first (srw.h): C_Finalize must not wait forever behind a stream
 * of calls. No call enters the library twice, so this cannot deadlock. */
static tk_srw tk_life = TK_SRW_INITIALIZER;
static tk_lib *tk_the_lib;
static volatile int tk_forked;
static pthread_once_t tk_atfork_once = PTHREAD_ONCE_INIT;

/*
 * In a forked child the parent's state must not be used: its locks may be
 * held by threads that do not exist here, and its SQLite connections
 * belong to the parent. The child starts uninitialised; C_Initialize
 * abandons the old state and builds a new one.
 *
 * Missing: SQLite's own process-wide mutexes cannot be reset here; if a
 * parent thread held one at fork(), the child's first store open can
 * block or fail. Forking while other threads are inside calls is not
 * supported (README, known limitations).
 */
static void
tk_lib_atfork_child(void)
{
    if (tk_the_lib != NULL) {
        tk_forked = 1;
    }
    tk_srw_reset(&tk_life);
}

static void
tk_lib_register_atfork(void)
{
    pthread_atfork(NULL, NULL, tk_lib_atfork_child);
}

int
tk_core_is_initialized(void)
{
    return tk_the_lib != NULL && !tk_forked;
}

tk_lib *
tk_lib_enter(void)
{
    tk_srw_rdlock(&tk_life);
    if (tk_the_lib == NULL || tk_forked) {
        tk_srw_rdunlock(&tk_life);
        return NULL;
    }
    return tk_the_lib;
}

void
tk_lib_leave(void)
{
    tk_srw_rdunlock(&tk_life);
}

/* The caller's callbacks return CK_RV; the lock layer wants ints. */
static CK_C_INITIALIZE_ARGS tk_app_args;

static int
tk_cb_create(void **m)
{
    return tk_app_args.CreateMutex(m) == CKR_OK ? 0 : -1;
}

static int
tk_cb_destroy(void *m)
{
    return tk_app_args.DestroyMutex(m) == CKR_OK ? 0 : -1;
}

static int
tk_cb_lock(void *m)
{
    return tk_app_args.LockMutex(m) == CKR_OK ? 0 : -1;
}

static int
tk_cb_unlock(void *m)
{
    return tk_app_args.UnlockMutex(m) == CKR_OK ? 0 : -1;
}

/* With callbacks and no CKF_OS_LOCKING_OK we must use the caller's
 * mutexes; in every other case the OS's [PKCS11 3.2 §5.4]. */
static void
tk_lib_choose_locking(tk_lib *lib, const CK_C_INITIALIZE_ARGS *args)
{
    if (args != NULL && args->CreateMutex != NULL && !(args->flags & CKF_OS_LOCKING_OK)) {
        tk_app_args = *args;
        lib->cb.create = tk_cb_create;
        lib->cb.destroy = tk_cb_destroy;
        lib->cb.lock = tk_cb_lock;
        lib->cb.unlock = tk_cb_unlock;
        lib->use_cb = 1;
        tk_lock_use_callbacks(&lib->cb);
    } else {
        tk_lock_use_callbacks(NULL);
    }
}

/* mkdir -p with mode 0700 for the directories we create. */
static CK_RV
tk_lib_make_dir(const char *path)
{
    char buf[PATH_MAX];
    size_t n = strlen(path);

    if (n == 0 || n >= sizeof(buf)) {
        return CKR_GENERAL_ERROR;
    }
    memcpy(buf, path, n + 1);
    for (char *p = buf + 1; *p != '\0'; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(buf, 0700) != 0 && errno != EEXIST) {
                TK_ERROR("cannot create %s: %s", buf, strerror(errno));
                return CKR_GENERAL_ERROR;
            }
            *p = '/';
        }
    }
    if (mkdir(buf, 0700) != 0 && errno != EEXIST) {
        TK_ERROR("cannot create token directory %s: %s", buf, strerror(errno));
        return CKR_GENERAL_ERROR;
    }
    return CKR_OK;
}

/* Leave a forked parent's state behind: wipe its secrets, touch nothing
 * that the parent shares (SQLite connections, locks). */
static void
tk_lib_abandon(tk_lib *old)
{
    tk_sessions_free_all(old, 1);
    tk_slots_free(old, 1);
    /* Its mutex may be held by a thread that is not in this process:
     * the memory goes, the lock is not touched. */
    free(old->table);
    tk_wipe(old, sizeof(*old));
    free(old);
}

static void
tk_lib_apply_mech_config(const tk_config *cfg)
{
    tk_mech_config mc;

    mc.rsa_min_bits = cfg->rsa_min_bits;
    tk_mech_configure(&mc);
}

static CK_RV
tk_lib_create(const CK_C_INITIALIZE_ARGS *args, tk_lib **out)
{
    CK_RV rv = CKR_OK;
    tk_lib *lib = calloc(1, sizeof(*lib));

    TK_CHECK(lib != NULL, CKR_HOST_MEMORY);
    lib->table = tk_srw_new();
    TK_CHECK(lib->table != NULL, CKR_HOST_MEMORY);
    pthread_mutex_init(&lib->open_mu, NULL);
    pthread_mutex_init(&lib->init_mu, NULL);
    lib->next_session = 1;
    lib->next_object = 1;
    TK_GUARD(tk_config_load(&lib->cfg));
    tk_lib_apply_mech_config(&lib->cfg);
    tk_lib_choose_locking(lib, args);
    TK_GUARD(tk_lib_make_dir(lib->cfg.token_dir));
    TK_GUARD(tk_slots_scan(lib));
    *out = lib;
    lib = NULL;
out:
    if (lib != NULL) {
        tk_slots_free(lib, 0);
        tk_srw_free(lib->table);
        free(lib);
    }
    return rv;
}

CK_RV
tk_core_initialize(const CK_C_INITIALIZE_ARGS *args)
{
    CK_RV rv = CKR_OK;
    tk_lib *lib = NULL;

    pthread_once(&tk_atfork_once, tk_lib_register_atfork);
    tk_srw_wrlock(&tk_life);
    if (tk_the_lib != NULL && tk_forked) {
        tk_lib_abandon(tk_the_lib);
        tk_the_lib = NULL;
        tk_forked = 0;
    }
    TK_CHECK(tk_the_lib == NULL, CKR_CRYPTOKI_ALREADY_INITIALIZED);
    tk_store_pin_cache_start();
    TK_GUARD(tk_lib_create(args, &lib));
    tk_the_lib = lib;
    TK_INFO("initialized: %zu slots, token directory %s", lib->n_slots, lib->cfg.token_dir);
out:
    tk_srw_wrunlock(&tk_life);
    return rv;
}

CK_RV
tk_core_finalize(void)
{
    tk_lib *lib;

    tk_srw_wrlock(&tk_life);
    lib = tk_the_lib;
    if (lib == NULL || tk_forked) {
        tk_srw_wrunlock(&tk_life);
        return CKR_CRYPTOKI_NOT_INITIALIZED;
    }
    tk_the_lib = NULL;
    tk_sessions_free_all(lib, 0);
    tk_slots_free(lib, 0);
    tk_store_pin_cache_stop();
    tk_srw_free(lib->table);
    pthread_mutex_destroy(&lib->open_mu);
    pthread_mutex_destroy(&lib->init_mu);
    tk_wipe(lib, sizeof(*lib));
    free(lib);
    tk_lock_use_callbacks(NULL);
    TK_INFO("finalized");
    tk_srw_wrunlock(&tk_life);
    return CKR_OK;
}

void
tk_pad(CK_UTF8CHAR *dst, size_t len, const char *src)
{
    size_t n = src != NULL ? strlen(src) : 0;

    memset(dst, ' ', len);
    memcpy(dst, src, n < len ? n : len);
}

CK_RV
tk_core_get_info(CK_INFO *info)
{
    if (tk_lib_enter() == NULL) {
        return CKR_CRYPTOKI_NOT_INITIALIZED;
    }
    memset(info, 0, sizeof(*info));
    info->cryptokiVersion.major = 3;
    info->cryptokiVersion.minor = 2;
    tk_pad(info->manufacturerID, sizeof(info->manufacturerID), "TrusToken");
    info->flags = 0;
    tk_pad(info->libraryDescription, sizeof(info->libraryDescription),
           "TrusToken PKCS#11 soft token");
    info->libraryVersion.major = TK_LIBRARY_VERSION_MAJOR;
    info->libraryVersion.minor = TK_LIBRARY_VERSION_MINOR;
    tk_lib_leave();
    return CKR_OK;
}
