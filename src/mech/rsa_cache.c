/*
 * What an RSA key object keeps between operations, in its cache slot
 * (mech.h): the loaded backend key, and a few finished operations ready
 * to be used again.
 *
 * Why: loading an RSA key costs big-number conversions and, at its first
 * use, Montgomery and blinding set-up; preparing an OpenSSL context costs
 * method look-ups. Together they cost a fifth of a 2048-bit verification.
 * The key material attributes cannot change, so nothing here goes stale.
 *
 * Lifetime: the entry is counted. The object holds one reference (dropped
 * by its slot's free hook when the object is freed) and every live
 * operation one, so an operation may outlive its object; the last drop
 * frees the idle operations and the key. The idle list has its own lock;
 * the counter is atomic. Idle operations hold no data of a caller's: their
 * hashes are reset and nothing else survives a call.
 */
#include <pthread.h>
#include <stdlib.h>

#include "mech/rsa_internal.h"
#include "util/check.h"
#include "util/wipe.h"

/* Enough for one idle operation per thread of a busy application. */
#define TK_RSA_IDLE_MAX 8

struct tk_rsa_cache {
    tk_key_cache head;
    tk_ossl_pkey *pkey; /* the entry's reference */
    unsigned refs;      /* atomic */
    pthread_mutex_t lock;
    tk_op *idle[TK_RSA_IDLE_MAX];
    size_t n_idle;
};

/* The family's owner tag: its address. */
static const char tk_rsa_cache_tag = 'R';

/* See rsa_internal.h. */
void
tk_rsa_cache_hold(tk_rsa_cache *c)
{
    __atomic_add_fetch(&c->refs, 1, __ATOMIC_RELAXED);
}

/* See rsa_internal.h. */
void
tk_rsa_cache_drop(tk_rsa_cache *c)
{
    if (c == NULL || __atomic_sub_fetch(&c->refs, 1, __ATOMIC_ACQ_REL) != 0) {
        return;
    }
    for (size_t i = 0; i < c->n_idle; i++) {
        tk_rsa_op_destroy(c->idle[i]);
    }
    pthread_mutex_destroy(&c->lock);
    tk_ossl_pkey_free(c->pkey);
    tk_free_secret(c, sizeof(*c));
}

/* The slot's free hook: the object lets go of its reference. */
static void
tk_rsa_cache_slot_free(tk_key_cache *head)
{
    tk_rsa_cache_drop((tk_rsa_cache *)head);
}

static tk_rsa_cache *
tk_rsa_cache_new(tk_ossl_pkey *pkey)
{
    tk_rsa_cache *c = calloc(1, sizeof(*c));

    if (c == NULL) {
        return NULL;
    }
    if (pthread_mutex_init(&c->lock, NULL) != 0 || tk_ossl_pkey_ref(pkey) != CKR_OK) {
        free(c);
        return NULL;
    }
    c->head.owner = &tk_rsa_cache_tag;
    c->head.free = tk_rsa_cache_slot_free;
    c->pkey = pkey;
    c->refs = 1;
    return c;
}

/*
 * Offer a new entry for pkey to the key's slot. Returns the entry now in
 * the slot with a reference for the caller, or NULL when the slot is not
 * ours to use. Failing to cache is not an error. The caller holds the
 * token lock, so the object and its entry stay put meanwhile.
 */
static tk_rsa_cache *
tk_rsa_cache_install(const tk_key *key, tk_ossl_pkey *pkey)
{
    tk_rsa_cache *c = tk_rsa_cache_new(pkey);
    tk_key_cache *got;

    if (c == NULL) {
        return NULL;
    }
    got = tk_key_cache_offer(key, &c->head);
    if (got != &c->head) {
        /* Another thread's entry won; ours has been freed. */
        c = (tk_rsa_cache *)got;
    } else if (!tk_key_cache_owns(key, &c->head)) {
        tk_rsa_cache_drop(c);
        return NULL;
    }
    tk_rsa_cache_hold(c);
    return c;
}

/* See rsa_internal.h. */
CK_RV
tk_rsa_key_get(const tk_key *key, int priv, tk_ossl_pkey **out, tk_rsa_cache **cache)
{
    CK_RV rv = CKR_OK;
    tk_rsa_cache *c = (tk_rsa_cache *)tk_key_cache_get(key, &tk_rsa_cache_tag);

    *cache = NULL;
    if (c != NULL) {
        TK_GUARD(tk_ossl_pkey_ref(c->pkey));
        tk_rsa_cache_hold(c);
        *out = c->pkey;
        *cache = c;
        goto out;
    }
    TK_GUARD(tk_rsa_key_load(key, priv, out));
    if (key->cache != NULL) {
        *cache = tk_rsa_cache_install(key, *out);
    }
out:
    return rv;
}

/* See rsa_internal.h. */
tk_op *
tk_rsa_cache_take(tk_rsa_cache *c, tk_op_kind kind, const CK_MECHANISM *m,
                  const tk_rsa_params *p)
{
    tk_op *op = NULL;

    if (c == NULL) {
        return NULL;
    }
    pthread_mutex_lock(&c->lock);
    for (size_t i = c->n_idle; i-- > 0;) {
        if (tk_rsa_op_matches(c->idle[i], kind, m->mechanism, p)) {
            op = c->idle[i];
            c->idle[i] = c->idle[--c->n_idle];
            break;
        }
    }
    pthread_mutex_unlock(&c->lock);
    if (op == NULL) {
        return NULL;
    }
    if (tk_rsa_op_reset(op) != CKR_OK) {
        tk_rsa_op_destroy(op);
        return NULL;
    }
    tk_rsa_cache_hold(c);
    return op;
}

/* See rsa_internal.h. */
int
tk_rsa_cache_give(tk_rsa_cache *c, tk_op *op)
{
    int kept = 0;

    pthread_mutex_lock(&c->lock);
    if (c->n_idle < TK_RSA_IDLE_MAX) {
        c->idle[c->n_idle++] = op;
        kept = 1;
    }
    pthread_mutex_unlock(&c->lock);
    return kept;
}
