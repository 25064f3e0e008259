/*
 * The token store: one SQLite database per token, private objects sealed at
 * rest. This header is the store's whole interface; nothing above src/store
 * sees SQLite.
 *
 * At-rest model [docs/STORE.md]:
 *  - Each token has a random 32-byte token key. It never reaches the disk in
 *    clear: it is wrapped (AES-256-GCM) under a key derived with Argon2id
 *    from the SO PIN, and once the user PIN is set, also under one derived
 *    from the user PIN. Unwrapping is how a PIN is verified.
 *  - A private object's serialized attributes are sealed with AES-256-GCM
 *    under the token key, with the token serial and the object's row
 *    identity as associated data, so a sealed blob cannot be moved to
 *    another row or token.
 *  - Public objects are stored in clear.
 *
 * Concurrency: a tk_store handle belongs to one process and is used under
 * the caller's token lock. Several processes open the same file; every
 * change is one transaction, the connection waits on a busy database for
 * the configured timeout, then the call returns CKR_DEVICE_ERROR (nothing
 * half-written). tk_store_changed() tells a reader that another connection
 * committed since its last look.
 *
 * Errors: every function returns a CK_RV. A file that is not a TrusToken
 * database, or is corrupt or truncated: CKR_TOKEN_NOT_RECOGNIZED from open,
 * CKR_DEVICE_ERROR from later calls; each is logged once with the path.
 * Locked longer than the timeout: CKR_DEVICE_ERROR (logged as busy).
 * Out of memory: CKR_HOST_MEMORY.
 */
#ifndef TK_STORE_STORE_H
#define TK_STORE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "trustoken/pkcs11.h"

#define TK_TOKEN_KEY_LEN 32
#define TK_PIN_SALT_LEN 16
#define TK_SERIAL_LEN 16
#define TK_LABEL_LEN 32

typedef struct tk_store tk_store;

/* Argon2id cost, stored with each PIN record so later defaults can change. */
typedef struct {
    uint32_t m_cost_kib;  /* memory in KiB */
    uint32_t t_cost;      /* passes */
    uint32_t parallelism; /* lanes */
} tk_kdf_params;

/* The token key wrapped under one PIN. */
typedef struct {
    int present;
    tk_kdf_params kdf;
    uint8_t salt[TK_PIN_SALT_LEN];
    uint8_t wrapped[12 + TK_TOKEN_KEY_LEN + 16]; /* nonce || ct || tag */
} tk_pin_record;

/* Everything the token keeps apart from objects. */
typedef struct {
    char label[TK_LABEL_LEN];   /* space padded, no NUL */
    char serial[TK_SERIAL_LEN]; /* hex digits, no NUL */
    uint32_t so_failures;       /* consecutive wrong SO PINs */
    uint32_t user_failures;     /* consecutive wrong user PINs */
    tk_pin_record so_pin;
    tk_pin_record user_pin;     /* present once C_InitPIN ran */
} tk_token_record;

/* One stored object as the store hands it up. */
typedef struct {
    int64_t id;      /* row identity, > 0 */
    uint64_t gen;    /* bumped on every change of the row */
    int is_private;  /* sealed at rest */
    uint8_t *blob;   /* serialized attributes, in clear; owner: caller */
    size_t len;
} tk_store_object;

/* Row identity and generation, for cheap change detection. */
typedef struct {
    int64_t id;
    uint64_t gen;
    int is_private;
} tk_store_row;

/* Open options: how long to wait for another process's lock. */
typedef struct {
    unsigned int busy_timeout_ms; /* 0 means the default, 5000 */
} tk_store_options;

/*
 * Create a new token database at path (directory must exist; the file must
 * not). Writes rec and sets the file mode to 0600. On success *out is an
 * open handle. CKR_DEVICE_ERROR when the file exists or cannot be made.
 */
CK_RV
tk_store_create(const char *path, const tk_store_options *opt, const tk_token_record *rec,
                tk_store **out);

/* Open an existing token database; see the error rules above. */
CK_RV
tk_store_open(const char *path, const tk_store_options *opt, tk_store **out);

/* Close the handle; NULL is fine. */
void
tk_store_close(tk_store *st);

/*
 * Forget a handle inherited across fork() without touching the database:
 * the child must not close or use its parent's SQLite connection.
 */
void
tk_store_abandon(tk_store *st);

/* 1 when the database can only be read (a read-only file or medium):
 * the token is then write-protected. */
int
tk_store_read_only(tk_store *st);

CK_RV
tk_store_read_token(tk_store *st, tk_token_record *out);

CK_RV
tk_store_write_token(tk_store *st, const tk_token_record *rec);

/* Re-initialise: delete every object and write rec, in one transaction. */
CK_RV
tk_store_reinit(tk_store *st, const tk_token_record *rec);

/*
 * Count a failed PIN for user (CKU_USER or CKU_SO) atomically across
 * processes; *count receives the new number of consecutive failures.
 */
CK_RV
tk_store_pin_failed(tk_store *st, CK_USER_TYPE user, uint32_t *count);

/*
 * Replace user's PIN record and reset that user's failure counter, in one
 * transaction (C_InitPIN, C_SetPIN; the SO's C_InitPIN unlocks the user).
 */
CK_RV
tk_store_set_pin(tk_store *st, CK_USER_TYPE user, const tk_pin_record *pin);

/* Reset the failure counter of user to 0 (after a correct PIN). */
CK_RV
tk_store_pin_succeeded(tk_store *st, CK_USER_TYPE user);

/*
 * Insert (*id == 0) or replace (*id > 0) an object. When is_private, blob
 * is sealed under token_key, which must then be non-NULL. On success *id
 * and *gen hold the row's identity and new generation. Replacing a row
 * that another process deleted: CKR_OBJECT_HANDLE_INVALID.
 */
CK_RV
tk_store_put_object(tk_store *st, const uint8_t *token_key, int is_private,
                    const uint8_t *blob, size_t len, int64_t *id, uint64_t *gen);

/* Delete a row; a missing row is not an error. */
CK_RV
tk_store_delete_object(tk_store *st, int64_t id);

/*
 * Read one row. A private row needs token_key (else CKR_USER_NOT_LOGGED_IN)
 * and is unsealed; a blob that fails authentication is CKR_DEVICE_ERROR.
 * A missing row: CKR_OBJECT_HANDLE_INVALID. out->blob is malloc'd; free it
 * with tk_store_object_clear().
 */
CK_RV
tk_store_get_object(tk_store *st, int64_t id, const uint8_t *token_key, tk_store_object *out);

/* Wipe and free out->blob. */
void
tk_store_object_clear(tk_store_object *obj);

/* Return nonzero to pass over a row without reading its blob. */
typedef int (*tk_store_skip_fn)(int64_t id, uint64_t gen, int is_private, void *arg);

/* Called with each row read; obj->blob is valid during the call only. */
typedef CK_RV (*tk_store_each_fn)(const tk_store_object *obj, void *arg);

/*
 * Every object in one pass, in row order: private rows unsealed with
 * token_key, or passed over when it is NULL; rows skip() declines are not
 * read. Stops at the first error fn returns. Cheaper than one
 * tk_store_get_object() per row when loading a whole token.
 */
CK_RV
tk_store_each_object(tk_store *st, const uint8_t *token_key, tk_store_skip_fn skip,
                     tk_store_each_fn fn, void *arg);

/* The same over private rows only (token_key required): what a login adds
 * to a token whose public objects are loaded already. */
CK_RV
tk_store_each_private_object(tk_store *st, const uint8_t *token_key, tk_store_skip_fn skip,
                             tk_store_each_fn fn, void *arg);

/* Every row's identity and generation; *rows is malloc'd, caller frees. */
CK_RV
tk_store_list_rows(tk_store *st, tk_store_row **rows, size_t *count);

/*
 * *changed = 1 when another connection committed since the previous call
 * (or since open), else 0. Cheap: safe to call before every object look-up.
 */
CK_RV
tk_store_changed(tk_store *st, int *changed);

/*
 * Wrap token_key under a key derived from pin with Argon2id(kdf, fresh
 * random salt); fills out (present = 1).
 */
CK_RV
tk_store_pin_wrap(const tk_kdf_params *kdf, const uint8_t *pin, size_t pin_len,
                  const uint8_t token_key[TK_TOKEN_KEY_LEN], tk_pin_record *out);

/*
 * Unwrap rec with pin into token_key. CKR_PIN_INCORRECT when the PIN is
 * wrong (the GCM tag fails); token_key is then left zeroed.
 *
 * use_cache = 1 lets a PIN this process verified before against this same
 * record skip Argon2id (the login cache, started by
 * tk_store_pin_cache_start()); the record is still opened, and a wrong PIN
 * always pays the full derivation. 0 derives every time. Thread safe.
 */
CK_RV
tk_store_pin_unwrap(const tk_pin_record *rec, const uint8_t *pin, size_t pin_len,
                    int use_cache, uint8_t token_key[TK_TOKEN_KEY_LEN]);

/*
 * The login cache alone: CKR_OK with token_key filled when this process
 * verified pin against this same record before and the cached key still
 * opens it; CKR_PIN_INCORRECT otherwise, meaning only "not known here"
 * (the PIN may still be right: tk_store_pin_unwrap decides). Never slow.
 */
CK_RV
tk_store_pin_unwrap_cached(const tk_pin_record *rec, const uint8_t *pin, size_t pin_len,
                           uint8_t token_key[TK_TOKEN_KEY_LEN]);

/*
 * Start the process-local login cache with no entries and a fresh random
 * secret (C_Initialize). When that fails the cache stays off (logged as a
 * warning) and every unwrap derives. Replacing a PIN record through this
 * store drops its entries; a forked child starts with none.
 */
void
tk_store_pin_cache_start(void);

/* Wipe the login cache and stop it (C_Finalize); stopped already is fine. */
void
tk_store_pin_cache_stop(void);

#endif
