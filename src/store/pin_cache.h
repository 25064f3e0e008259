/*
 * Private to src/store: the process-local login cache behind
 * tk_store_pin_unwrap(). It remembers the Argon2id result (the KEK) of
 * PINs that this process has verified, so that logging in again with the
 * same PIN against the same PIN record skips the slow derivation.
 *
 * An entry is found by the record's Argon2id cost and salt (public) and a
 * tag = HMAC-SHA-256(secret, salt || PIN), where the secret is random and
 * lives only in this process. The PIN itself is never kept. The KEK is a
 * function of cost, salt and PIN alone, so a hit returns exactly what
 * Argon2id would; the caller still opens the current record with it, and
 * that decides. A wrong PIN matches no tag and pays the full cost.
 *
 * The table (secret included) sits in its own mapping, locked in memory
 * and left out of core dumps where the system allows, and is wiped when
 * an entry is replaced, at stop, at start and in a forked child.
 *
 * Every function is thread safe: one mutex guards the table and is held
 * for the look-up or the insert only, never across Argon2id or AES-GCM.
 */
#ifndef TK_STORE_PIN_CACHE_H
#define TK_STORE_PIN_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* Entries in the table; the oldest is replaced when it is full. */
#define TK_PIN_CACHE_ENTRIES 8
/* Length of a tag and of a cached KEK. */
#define TK_PIN_CACHE_TAG_LEN 32
#define TK_PIN_CACHE_KEK_LEN 32

/*
 * The tag of (rec's salt, pin) under this process's secret. CKR_OK, or
 * CKR_FUNCTION_FAILED when the cache is not started (tag then zeroed), or
 * an error of the HMAC. Runs without the table lock.
 */
CK_RV
tk_store_pin_cache_tag(const tk_pin_record *rec, const uint8_t *pin, size_t pin_len,
                       uint8_t tag[TK_PIN_CACHE_TAG_LEN]);

/*
 * 1 and kek filled when an entry has rec's cost and salt and the tag
 * (compared in constant time); 0 and kek zeroed otherwise.
 */
int
tk_store_pin_cache_find(const tk_pin_record *rec, const uint8_t tag[TK_PIN_CACHE_TAG_LEN],
                        uint8_t kek[TK_PIN_CACHE_KEK_LEN]);

/*
 * Remember kek for rec's cost and salt under tag, replacing the entry of
 * the same salt, else an empty one, else the oldest (wiped). Does nothing
 * when the cache is not started.
 */
void
tk_store_pin_cache_put(const tk_pin_record *rec, const uint8_t tag[TK_PIN_CACHE_TAG_LEN],
                       const uint8_t kek[TK_PIN_CACHE_KEK_LEN]);

/* Wipe every entry for this salt (a PIN record being replaced). */
void
tk_store_pin_cache_forget(const uint8_t salt[TK_PIN_SALT_LEN]);

/* Number of entries in use; for tests. */
size_t
tk_store_pin_cache_count(void);

#endif
