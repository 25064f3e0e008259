/*
 * What a secret key object keeps for the single-part AEAD operations, in
 * its cache slot (mech.h): operations that ended, each with its keyed
 * backend context, ready to serve the next C_EncryptInit/C_DecryptInit.
 *
 * Why: making a context and expanding the key (AES schedule, GHASH
 * table) cost about 40% of a C_EncryptInit + C_Encrypt of 64 bytes with
 * AES-256-GCM, and allocating the operation 4% more (callgrind); an operation taken
 * from here only has its parameter copied and its IV set. The key value
 * of a secret key cannot change, so nothing here goes stale.
 *
 * Lifetime: the entry is counted, as RSA's (rsa_cache.c). The object
 * holds one reference, dropped by its slot's free hook, and every live
 * operation one, so an operation may outlive its object; the last drop
 * destroys the idle operations.
 *
 * An operation belongs to one caller at a time. The idle slots are
 * pointers swapped atomically, so taking or leaving an operation is one
 * exchange and no lock exists to be held across the cryptography. An
 * idle operation holds none of its last caller's parameters or text
 * (tk_aead_idle in cipher_aead.c); its context still holds the last
 * message's counter state under the same key, which the next message's
 * IV restarts and freeing wipes.
 */
#include <stdlib.h>

#include "mech/cipher_internal.h"
#include "util/wipe.h"

/* Per mode and direction: enough for one idle operation per thread of a
 * busy application, few enough that many keys do not hoard memory (one
 * is about 1 KiB, and only the kinds used fill their slots). */
#define TK_CIPHER_IDLE_MAX 8

struct tk_cipher_cache {
    tk_key_cache head;
    unsigned refs; /* atomic */
    tk_op *idle[TK_CIPHER_MODE_COUNT][2][TK_CIPHER_IDLE_MAX]; /* atomic */
};

/* The family's owner tag: its address. */
static const char tk_cipher_cache_tag = 'C';

/* Let go of one reference; the last one destroys the idle operations. */
static void
tk_cipher_cache_drop(tk_cipher_cache *c)
{
    if (__atomic_sub_fetch(&c->refs, 1, __ATOMIC_ACQ_REL) != 0) {
        return;
    }
    /* The last reference: no other thread can touch the slots now. */
    for (size_t m = 0; m < TK_CIPHER_MODE_COUNT; m++) {
        for (size_t i = 0; i < TK_CIPHER_IDLE_MAX; i++) {
            tk_cipher_aead_destroy(c->idle[m][0][i]);
            tk_cipher_aead_destroy(c->idle[m][1][i]);
        }
    }
    tk_free_secret(c, sizeof(*c));
}

/* The slot's free hook: the object lets go of its reference. */
static void
tk_cipher_cache_slot_free(tk_key_cache *head)
{
    tk_cipher_cache_drop((tk_cipher_cache *)head);
}

static tk_cipher_cache *
tk_cipher_cache_new(void)
{
    tk_cipher_cache *c = calloc(1, sizeof(*c));

    if (c == NULL) {
        return NULL;
    }
    c->head.owner = &tk_cipher_cache_tag;
    c->head.free = tk_cipher_cache_slot_free;
    c->refs = 1;
    return c;
}

/* Offer a new, empty entry to the key's slot; see tk_cipher_cache_hold. */
static tk_cipher_cache *
tk_cipher_cache_install(const tk_key *key)
{
    tk_cipher_cache *c = tk_cipher_cache_new();
    tk_key_cache *got;

    if (c == NULL) {
        return NULL;
    }
    got = tk_key_cache_offer(key, &c->head);
    if (got != &c->head) {
        /* Another thread's entry won; ours has been freed. */
        return (tk_cipher_cache *)got;
    }
    if (!tk_key_cache_owns(key, &c->head)) {
        /* The slot holds another family's cache. */
        tk_cipher_cache_drop(c);
        return NULL;
    }
    return c;
}

/* See cipher_internal.h. */
tk_cipher_cache *
tk_cipher_cache_hold(const tk_key *key)
{
    tk_cipher_cache *c;

    if (key->cache == NULL) {
        return NULL;
    }
    c = (tk_cipher_cache *)tk_key_cache_get(key, &tk_cipher_cache_tag);
    /* A slot another family filled stays its: do not build an entry
     * at every init only to see the offer refused. */
    if (c == NULL && __atomic_load_n((tk_key_cache **)key->cache, __ATOMIC_ACQUIRE) == NULL) {
        c = tk_cipher_cache_install(key);
    }
    if (c != NULL) {
        /* The caller holds the token lock, so the object's reference
         * keeps c alive until this one is counted. */
        __atomic_add_fetch(&c->refs, 1, __ATOMIC_RELAXED);
    }
    return c;
}

/* The idle slots of (mode, enc), or NULL for a mode out of range. */
static tk_op **
tk_cipher_cache_slots(tk_cipher_cache *c, tk_cipher_mode mode, int enc)
{
    if ((unsigned)mode >= TK_CIPHER_MODE_COUNT) {
        return NULL;
    }
    return c->idle[mode][enc ? 1 : 0];
}

/* An idle operation taken out of slots, or NULL. The plain load skips
 * empty slots without writing to the shared line. */
static tk_op *
tk_cipher_cache_pop(tk_op **slots)
{
    for (size_t i = 0; i < TK_CIPHER_IDLE_MAX; i++) {
        if (__atomic_load_n(&slots[i], __ATOMIC_RELAXED) != NULL) {
            tk_op *got = __atomic_exchange_n(&slots[i], NULL, __ATOMIC_ACQ_REL);
            if (got != NULL) {
                return got;
            }
        }
    }
    return NULL;
}

/* Leave op in an empty slot; 0 when all are full. */
static int
tk_cipher_cache_push(tk_op **slots, tk_op *op)
{
    for (size_t i = 0; i < TK_CIPHER_IDLE_MAX; i++) {
        tk_op *expected = NULL;
        if (__atomic_load_n(&slots[i], __ATOMIC_RELAXED) == NULL &&
            __atomic_compare_exchange_n(&slots[i], &expected, op, 0, __ATOMIC_ACQ_REL,
                                        __ATOMIC_RELAXED)) {
            return 1;
        }
    }
    return 0;
}

/* See cipher_internal.h. */
tk_op *
tk_cipher_cache_take(tk_cipher_cache *c, tk_cipher_mode mode, int enc)
{
    tk_op **slots = c != NULL ? tk_cipher_cache_slots(c, mode, enc) : NULL;

    return slots != NULL ? tk_cipher_cache_pop(slots) : NULL;
}

/* See cipher_internal.h. */
void
tk_cipher_cache_put(tk_cipher_cache *c, tk_cipher_mode mode, int enc, tk_op *op)
{
    tk_op **slots = c != NULL ? tk_cipher_cache_slots(c, mode, enc) : NULL;

    if (op != NULL && (slots == NULL || !tk_cipher_cache_push(slots, op))) {
        tk_cipher_aead_destroy(op);
    }
    if (c != NULL) {
        tk_cipher_cache_drop(c);
    }
}
