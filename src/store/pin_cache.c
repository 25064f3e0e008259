/*
 * The process-local login cache; see pin_cache.h and docs/STORE.md.
 */
#include "store/pin_cache.h"

#include <pthread.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "crypto/ossl/mac.h"
#include "crypto/ossl/rand.h"
#include "util/log.h"
#include "util/wipe.h"

#define TK_PIN_CACHE_SECRET_LEN 32

typedef struct {
    uint64_t stamp; /* 0: empty; else when it was stored (larger is newer) */
    tk_kdf_params kdf;
    uint8_t salt[TK_PIN_SALT_LEN];
    uint8_t tag[TK_PIN_CACHE_TAG_LEN];
    uint8_t kek[TK_PIN_CACHE_KEK_LEN];
} tk_pin_cache_entry;

typedef struct {
    uint8_t secret[TK_PIN_CACHE_SECRET_LEN];
    int ready; /* the secret is set: the cache is started */
    uint64_t clock;
    tk_pin_cache_entry e[TK_PIN_CACHE_ENTRIES];
} tk_pin_cache_table;

/* The table lives in its own pages (see tk_pin_cache_map_inlock); NULL when
 * stopped. Guarded by tk_pin_cache_mu. */
static pthread_mutex_t tk_pin_cache_mu = PTHREAD_MUTEX_INITIALIZER;
static tk_pin_cache_table *tk_pin_cache;
static size_t tk_pin_cache_size;
static pthread_once_t tk_pin_cache_once = PTHREAD_ONCE_INIT;

/*
 * fork(): the lock is taken around it so the child never inherits it held,
 * and the child wipes what it inherited. A child has no business with the
 * parent's keys; its C_Initialize starts the cache again.
 */
static void
tk_pin_cache_prefork(void)
{
    pthread_mutex_lock(&tk_pin_cache_mu);
}

static void
tk_pin_cache_postfork_parent(void)
{
    pthread_mutex_unlock(&tk_pin_cache_mu);
}

/*
 * Own pages for the table, so that locking them in memory (no swap) and
 * leaving them out of core dumps concerns nothing else. Both are best
 * effort: RLIMIT_MEMLOCK may be 0, and the cache still works without.
 * Needs the lock.
 */
static int
tk_pin_cache_map_inlock(void)
{
    long page = sysconf(_SC_PAGESIZE);
    size_t size;
    void *p;

    if (tk_pin_cache != NULL) {
        return 0;
    }
    page = page > 0 ? page : 4096;
    size = (sizeof(tk_pin_cache_table) + (size_t)page - 1) / (size_t)page * (size_t)page;
    p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        return -1;
    }
    if (mlock(p, size) != 0) {
        TK_DEBUG("store: login cache not locked in memory");
    }
#ifdef MADV_DONTDUMP
    (void)madvise(p, size, MADV_DONTDUMP);
#endif
    tk_pin_cache = p;
    tk_pin_cache_size = size;
    return 0;
}

static void
tk_pin_cache_unmap_inlock(void)
{
    if (tk_pin_cache == NULL) {
        return;
    }
    tk_wipe(tk_pin_cache, sizeof(*tk_pin_cache));
    (void)munlock(tk_pin_cache, tk_pin_cache_size);
    (void)munmap(tk_pin_cache, tk_pin_cache_size);
    tk_pin_cache = NULL;
    tk_pin_cache_size = 0;
}

static void
tk_pin_cache_postfork_child(void)
{
    tk_pin_cache_unmap_inlock();
    pthread_mutex_unlock(&tk_pin_cache_mu);
}

static void
tk_pin_cache_register_atfork(void)
{
    pthread_atfork(tk_pin_cache_prefork, tk_pin_cache_postfork_parent,
                   tk_pin_cache_postfork_child);
}

/* See store.h. */
void
tk_store_pin_cache_start(void)
{
    uint8_t secret[TK_PIN_CACHE_SECRET_LEN];
    int have = tk_ossl_random(secret, sizeof(secret)) == CKR_OK;

    pthread_once(&tk_pin_cache_once, tk_pin_cache_register_atfork);
    pthread_mutex_lock(&tk_pin_cache_mu);
    if (have && tk_pin_cache_map_inlock() == 0) {
        /* (Re)started: nothing of an earlier start survives, and a fresh
         * secret makes any tag computed before useless. */
        tk_wipe(tk_pin_cache, sizeof(*tk_pin_cache));
        memcpy(tk_pin_cache->secret, secret, sizeof(secret));
        tk_pin_cache->ready = 1;
    } else {
        /* Logins still work, each one the slow way. */
        TK_WARN("store: login cache unavailable");
        tk_pin_cache_unmap_inlock();
    }
    pthread_mutex_unlock(&tk_pin_cache_mu);
    tk_wipe(secret, sizeof(secret));
}

/* See store.h. */
void
tk_store_pin_cache_stop(void)
{
    pthread_mutex_lock(&tk_pin_cache_mu);
    tk_pin_cache_unmap_inlock();
    pthread_mutex_unlock(&tk_pin_cache_mu);
}

/* A copy of the secret, so the HMAC runs without the lock; 0 if stopped. */
static int
tk_pin_cache_secret(uint8_t secret[TK_PIN_CACHE_SECRET_LEN])
{
    int ok;

    pthread_mutex_lock(&tk_pin_cache_mu);
    ok = tk_pin_cache != NULL && tk_pin_cache->ready;
    if (ok) {
        memcpy(secret, tk_pin_cache->secret, TK_PIN_CACHE_SECRET_LEN);
    }
    pthread_mutex_unlock(&tk_pin_cache_mu);
    return ok;
}

/* See pin_cache.h. */
CK_RV
tk_store_pin_cache_tag(const tk_pin_record *rec, const uint8_t *pin, size_t pin_len,
                       uint8_t tag[TK_PIN_CACHE_TAG_LEN])
{
    CK_RV rv = CKR_FUNCTION_FAILED;
    uint8_t secret[TK_PIN_CACHE_SECRET_LEN];
    tk_ossl_mac_ctx *mac = NULL;

    memset(tag, 0, TK_PIN_CACHE_TAG_LEN);
    if (!tk_pin_cache_secret(secret)) {
        goto out;
    }
    /* The salt has a fixed length, so salt || PIN is unambiguous. */
    rv = tk_ossl_hmac_new(TK_MD_SHA256, secret, sizeof(secret), &mac);
    if (rv == CKR_OK) {
        rv = tk_ossl_mac_update(mac, rec->salt, sizeof(rec->salt));
    }
    if (rv == CKR_OK) {
        rv = tk_ossl_mac_update(mac, pin, pin_len);
    }
    if (rv == CKR_OK) {
        rv = tk_ossl_mac_final(mac, tag);
    }
    if (rv != CKR_OK) {
        tk_wipe(tag, TK_PIN_CACHE_TAG_LEN);
    }
out:
    tk_ossl_mac_free(mac);
    tk_wipe(secret, sizeof(secret));
    return rv;
}

/* Same record identity: Argon2id cost and salt, both public. */
static int
tk_pin_cache_same_record(const tk_pin_cache_entry *e, const tk_pin_record *rec)
{
    return e->stamp != 0 && e->kdf.m_cost_kib == rec->kdf.m_cost_kib &&
           e->kdf.t_cost == rec->kdf.t_cost && e->kdf.parallelism == rec->kdf.parallelism &&
           memcmp(e->salt, rec->salt, TK_PIN_SALT_LEN) == 0;
}

/* The entry for rec, or NULL; needs the lock and a started cache. */
static tk_pin_cache_entry *
tk_pin_cache_slot_inlock(const tk_pin_record *rec)
{
    for (size_t i = 0; i < TK_PIN_CACHE_ENTRIES; i++) {
        if (tk_pin_cache_same_record(&tk_pin_cache->e[i], rec)) {
            return &tk_pin_cache->e[i];
        }
    }
    return NULL;
}

/* See pin_cache.h. */
int
tk_store_pin_cache_find(const tk_pin_record *rec, const uint8_t tag[TK_PIN_CACHE_TAG_LEN],
                        uint8_t kek[TK_PIN_CACHE_KEK_LEN])
{
    tk_pin_cache_entry *e = NULL;
    int hit = 0;

    memset(kek, 0, TK_PIN_CACHE_KEK_LEN);
    pthread_mutex_lock(&tk_pin_cache_mu);
    if (tk_pin_cache != NULL && tk_pin_cache->ready) {
        e = tk_pin_cache_slot_inlock(rec);
    }
    /* Looking up by salt shows only whether this record was used before;
     * the tag, which depends on the PIN, is compared in constant time. */
    if (e != NULL && tk_ct_memcmp(e->tag, tag, TK_PIN_CACHE_TAG_LEN) == 0) {
        memcpy(kek, e->kek, TK_PIN_CACHE_KEK_LEN);
        hit = 1;
    }
    pthread_mutex_unlock(&tk_pin_cache_mu);
    return hit;
}

/* Where a new entry for rec goes: its own, an empty one, or the oldest. */
static tk_pin_cache_entry *
tk_pin_cache_victim_inlock(const tk_pin_record *rec)
{
    tk_pin_cache_entry *e = tk_pin_cache_slot_inlock(rec);

    if (e != NULL) {
        return e;
    }
    e = &tk_pin_cache->e[0];
    for (size_t i = 1; i < TK_PIN_CACHE_ENTRIES && e->stamp != 0; i++) {
        if (tk_pin_cache->e[i].stamp < e->stamp) {
            e = &tk_pin_cache->e[i];
        }
    }
    return e;
}

/* See pin_cache.h. */
void
tk_store_pin_cache_put(const tk_pin_record *rec, const uint8_t tag[TK_PIN_CACHE_TAG_LEN],
                       const uint8_t kek[TK_PIN_CACHE_KEK_LEN])
{
    tk_pin_cache_entry *e;

    pthread_mutex_lock(&tk_pin_cache_mu);
    if (tk_pin_cache != NULL && tk_pin_cache->ready) {
        e = tk_pin_cache_victim_inlock(rec);
        tk_wipe(e, sizeof(*e));
        e->stamp = ++tk_pin_cache->clock;
        e->kdf = rec->kdf;
        memcpy(e->salt, rec->salt, TK_PIN_SALT_LEN);
        memcpy(e->tag, tag, TK_PIN_CACHE_TAG_LEN);
        memcpy(e->kek, kek, TK_PIN_CACHE_KEK_LEN);
    }
    pthread_mutex_unlock(&tk_pin_cache_mu);
}

/* See pin_cache.h. */
void
tk_store_pin_cache_forget(const uint8_t salt[TK_PIN_SALT_LEN])
{
    pthread_mutex_lock(&tk_pin_cache_mu);
    for (size_t i = 0; tk_pin_cache != NULL && i < TK_PIN_CACHE_ENTRIES; i++) {
        tk_pin_cache_entry *e = &tk_pin_cache->e[i];

        if (e->stamp != 0 && memcmp(e->salt, salt, TK_PIN_SALT_LEN) == 0) {
            tk_wipe(e, sizeof(*e));
        }
    }
    pthread_mutex_unlock(&tk_pin_cache_mu);
}

/* See pin_cache.h. */
size_t
tk_store_pin_cache_count(void)
{
    size_t n = 0;

    pthread_mutex_lock(&tk_pin_cache_mu);
    for (size_t i = 0; tk_pin_cache != NULL && i < TK_PIN_CACHE_ENTRIES; i++) {
        n += tk_pin_cache->e[i].stamp != 0;
    }
    pthread_mutex_unlock(&tk_pin_cache_mu);
    return n;
}
