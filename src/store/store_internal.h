/*
 * Private to src/store: the handle, the statement cache, transactions and
 * SQLite error mapping shared by the store's source files. Nothing outside
 * src/store includes this header (it pulls in sqlite3.h).
 */
#ifndef TK_STORE_STORE_INTERNAL_H
#define TK_STORE_STORE_INTERNAL_H

#include <sqlite3.h>
#include <stdint.h>

#include "store/store.h"

/* Written to the SQLite header (PRAGMA application_id): ASCII "TKST". */
#define TK_STORE_APP_ID 0x544B5354
/* Schema version (PRAGMA user_version); bump on every schema change. */
#define TK_STORE_FORMAT 1

#define TK_STORE_DEFAULT_BUSY_MS 5000u

/* The blob of a private row: nonce || ciphertext || tag. */
#define TK_SEAL_NONCE_LEN 12
#define TK_SEAL_TAG_LEN 16
#define TK_SEAL_OVERHEAD (TK_SEAL_NONCE_LEN + TK_SEAL_TAG_LEN)

/* Every statement the store runs, prepared once per handle at open. */
typedef enum {
    TK_SQL_BEGIN_READ,
    TK_SQL_BEGIN_WRITE,
    TK_SQL_COMMIT,
    TK_SQL_ROLLBACK,
    TK_SQL_DATA_VERSION,
    TK_SQL_TOKEN_GET,
    TK_SQL_TOKEN_PUT,
    TK_SQL_SERIAL_GET,
    TK_SQL_PIN_GET,
    TK_SQL_PIN_PUT,
    TK_SQL_PIN_DEL,
    TK_SQL_FAIL_INC_SO,
    TK_SQL_FAIL_INC_USER,
    TK_SQL_FAIL_GET_SO,
    TK_SQL_FAIL_GET_USER,
    TK_SQL_FAIL_RESET_SO,
    TK_SQL_FAIL_RESET_USER,
    TK_SQL_OBJ_INSERT,
    TK_SQL_OBJ_UPDATE,
    TK_SQL_OBJ_SET_BLOB,
    TK_SQL_OBJ_GEN,
    TK_SQL_OBJ_GET,
    TK_SQL_OBJ_DEL,
    TK_SQL_OBJ_DEL_ALL,
    TK_SQL_OBJ_LIST,
    TK_SQL_OBJ_ALL,
    TK_SQL_OBJ_PRIVATE,
    TK_SQL_COUNT
} tk_sql_id;

struct tk_store {
    sqlite3 *db;
    char *path;
    unsigned int busy_ms;
    int64_t data_version; /* PRAGMA data_version at the previous look */
    sqlite3_stmt *stmt[TK_SQL_COUNT];
};

/*
 * The cached statement id, reset and with its bindings cleared so the
 * caller starts afresh. Callers bind, step, then call tk_store_sql_done().
 */
sqlite3_stmt *
tk_store_sql(tk_store *st, tk_sql_id id);

/* Reset a statement after use, dropping bindings to caller buffers. */
void
tk_store_sql_done(sqlite3_stmt *s);

/*
 * Map a failed SQLite result rc to a CK_RV and log it once with the path
 * and what was being done: busy or locked -> CKR_DEVICE_ERROR (warn),
 * NOMEM -> CKR_HOST_MEMORY, FULL or TOOBIG -> CKR_DEVICE_MEMORY, anything
 * else -> CKR_DEVICE_ERROR (error).
 */
CK_RV
tk_store_sql_fail(tk_store *st, int rc, const char *what);

/* Step a statement that returns no row (SQLITE_DONE expected). */
CK_RV
tk_store_sql_exec(tk_store *st, sqlite3_stmt *s, const char *what);

/* Step one of the statements that take no parameter and return no row. */
CK_RV
tk_store_sql_run(tk_store *st, tk_sql_id id, const char *what);

/*
 * Begin a transaction: write = 1 takes the write lock at once (BEGIN
 * IMMEDIATE), waiting up to the busy timeout, so a read-modify-write can
 * never fail half-way on a lock; write = 0 gives a consistent snapshot.
 */
CK_RV
tk_store_tx_begin(tk_store *st, int write);

/*
 * End the transaction begun by tk_store_tx_begin(): commit when rv is
 * CKR_OK, else roll back. Returns rv, or the commit's error (after rolling
 * back), so nothing is ever left half-written.
 */
CK_RV
tk_store_tx_end(tk_store *st, CK_RV rv);

/* Bind len bytes (len 0 and p NULL are fine); CKR_DEVICE_MEMORY if too big. */
CK_RV
tk_store_bind_blob(tk_store *st, sqlite3_stmt *s, int col, const void *p, size_t len);

/* Log that stored data is malformed (what says which); CKR_DEVICE_ERROR. */
CK_RV
tk_store_corrupt(tk_store *st, const char *what);

/* Write rec (token row and both PIN rows) inside the caller's write
 * transaction. */
CK_RV
tk_store_token_put(tk_store *st, const tk_token_record *rec);

/* Read the token serial inside the caller's transaction. */
CK_RV
tk_store_serial_get(tk_store *st, uint8_t serial[TK_SERIAL_LEN]);

/*
 * Seal len bytes of pt for row id of the token with serial: *out receives
 * a malloc'd nonce || ct || tag of *out_len bytes.
 */
CK_RV
tk_store_seal(const uint8_t key[TK_TOKEN_KEY_LEN], const uint8_t serial[TK_SERIAL_LEN],
              int64_t id, const uint8_t *pt, size_t len, uint8_t **out, size_t *out_len);

/*
 * Open a sealed blob of row id. *pt receives a malloc'd plaintext (owner:
 * caller; wipe before freeing) of *pt_len bytes. A blob that fails
 * authentication, or is too short to be one: CKR_ENCRYPTED_DATA_INVALID.
 */
CK_RV
tk_store_unseal(const uint8_t key[TK_TOKEN_KEY_LEN], const uint8_t serial[TK_SERIAL_LEN],
                int64_t id, const uint8_t *in, size_t in_len, uint8_t **pt, size_t *pt_len);

#endif
