/*
 * The token record: label, serial, PIN failure counters and the two PIN
 * records. See store.h.
 */
#include <stdint.h>
#include <string.h>

#include "store/pin_cache.h"
#include "store/store_internal.h"
#include "util/check.h"
#include "util/wipe.h"

/* Row key of a PIN record: the CK_USER_TYPE value it belongs to. */
static const int64_t tk_pin_row[2] = {(int64_t)CKU_SO, (int64_t)CKU_USER};

static void
tk_store_pin_forget_old(tk_store *st, int64_t who, const tk_pin_record *pin);

static CK_RV
tk_store_pin_put(tk_store *st, int64_t who, const tk_pin_record *pin)
{
    CK_RV rv = CKR_OK;
    sqlite3_stmt *s = NULL;

    tk_store_pin_forget_old(st, who, pin);
    s = tk_store_sql(st, pin->present ? TK_SQL_PIN_PUT : TK_SQL_PIN_DEL);
    TK_CHECK(sqlite3_bind_int64(s, 1, who) == SQLITE_OK, CKR_DEVICE_ERROR);
    if (pin->present) {
        TK_CHECK(sqlite3_bind_int64(s, 2, pin->kdf.m_cost_kib) == SQLITE_OK, CKR_DEVICE_ERROR);
        TK_CHECK(sqlite3_bind_int64(s, 3, pin->kdf.t_cost) == SQLITE_OK, CKR_DEVICE_ERROR);
        TK_CHECK(sqlite3_bind_int64(s, 4, pin->kdf.parallelism) == SQLITE_OK, CKR_DEVICE_ERROR);
        TK_GUARD(tk_store_bind_blob(st, s, 5, pin->salt, sizeof(pin->salt)));
        TK_GUARD(tk_store_bind_blob(st, s, 6, pin->wrapped, sizeof(pin->wrapped)));
    }
    rv = tk_store_sql_exec(st, s, "write PIN record");
    s = NULL;
out:
    if (s != NULL) {
        tk_store_sql_done(s);
    }
    return rv;
}

CK_RV
tk_store_token_put(tk_store *st, const tk_token_record *rec)
{
    CK_RV rv = CKR_OK;
    sqlite3_stmt *s = tk_store_sql(st, TK_SQL_TOKEN_PUT);

    TK_GUARD(tk_store_bind_blob(st, s, 1, rec->label, sizeof(rec->label)));
    TK_GUARD(tk_store_bind_blob(st, s, 2, rec->serial, sizeof(rec->serial)));
    TK_CHECK(sqlite3_bind_int64(s, 3, rec->so_failures) == SQLITE_OK, CKR_DEVICE_ERROR);
    TK_CHECK(sqlite3_bind_int64(s, 4, rec->user_failures) == SQLITE_OK, CKR_DEVICE_ERROR);
    rv = tk_store_sql_exec(st, s, "write token record");
    s = NULL;
    TK_GUARD(rv);
    TK_GUARD(tk_store_pin_put(st, tk_pin_row[0], &rec->so_pin));
    TK_GUARD(tk_store_pin_put(st, tk_pin_row[1], &rec->user_pin));
out:
    if (s != NULL) {
        tk_store_sql_done(s);
    }
    return rv;
}

/* Copy a blob column of exactly len bytes; else the row is malformed. */
static int
tk_store_col_fixed(sqlite3_stmt *s, int col, void *dst, size_t len)
{
    const void *p = sqlite3_column_blob(s, col);

    if (p == NULL || (size_t)sqlite3_column_bytes(s, col) != len) {
        return 0;
    }
    memcpy(dst, p, len);
    return 1;
}

/* An integer column within 0..UINT32_MAX; else the row is malformed. */
static int
tk_store_col_u32(sqlite3_stmt *s, int col, uint32_t *dst)
{
    int64_t v = sqlite3_column_int64(s, col);

    if (sqlite3_column_type(s, col) != SQLITE_INTEGER || v < 0 || v > UINT32_MAX) {
        return 0;
    }
    *dst = (uint32_t)v;
    return 1;
}

static CK_RV
tk_store_token_row_get(tk_store *st, tk_token_record *rec)
{
    CK_RV rv = CKR_OK;
    sqlite3_stmt *s = tk_store_sql(st, TK_SQL_TOKEN_GET);
    int rc = sqlite3_step(s);

    if (rc == SQLITE_DONE) {
        rv = tk_store_corrupt(st, "no token record");
        goto out;
    }
    if (rc != SQLITE_ROW) {
        rv = tk_store_sql_fail(st, rc, "read token record");
        goto out;
    }
    TK_CHECK(tk_store_col_fixed(s, 0, rec->label, sizeof(rec->label)) &&
                 tk_store_col_fixed(s, 1, rec->serial, sizeof(rec->serial)) &&
                 tk_store_col_u32(s, 2, &rec->so_failures) &&
                 tk_store_col_u32(s, 3, &rec->user_failures),
             tk_store_corrupt(st, "token record"));
out:
    tk_store_sql_done(s);
    return rv;
}

/* Fill the PIN record of one row of TK_SQL_PIN_GET. */
static int
tk_store_pin_row_get(sqlite3_stmt *s, tk_pin_record *pin)
{
    pin->present = 1;
    return tk_store_col_u32(s, 1, &pin->kdf.m_cost_kib) &&
           tk_store_col_u32(s, 2, &pin->kdf.t_cost) &&
           tk_store_col_u32(s, 3, &pin->kdf.parallelism) &&
           tk_store_col_fixed(s, 4, pin->salt, sizeof(pin->salt)) &&
           tk_store_col_fixed(s, 5, pin->wrapped, sizeof(pin->wrapped));
}

static CK_RV
tk_store_pins_get(tk_store *st, tk_token_record *rec)
{
    CK_RV rv = CKR_OK;
    sqlite3_stmt *s = tk_store_sql(st, TK_SQL_PIN_GET);
    int rc;

    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t who = sqlite3_column_int64(s, 0);
        tk_pin_record *pin = who == tk_pin_row[0] ? &rec->so_pin
                             : who == tk_pin_row[1] ? &rec->user_pin
                                                    : NULL;
        TK_CHECK(pin != NULL && tk_store_pin_row_get(s, pin), tk_store_corrupt(st, "PIN record"));
    }
    if (rc != SQLITE_DONE) {
        rv = tk_store_sql_fail(st, rc, "read PIN records");
    }
out:
    tk_store_sql_done(s);
    return rv;
}

/*
 * Drop the login cache's entries for the PIN record about to be replaced,
 * inside the caller's write transaction. A new record has a new salt, so
 * an old entry could never match again; this wipes its key now rather
 * than when it ages out. If the transaction then fails, the next login
 * merely derives again; if the old record cannot be read (damage), its
 * entries age out instead, and the write goes ahead.
 */
static void
tk_store_pin_forget_old(tk_store *st, int64_t who, const tk_pin_record *pin)
{
    CK_RV rv;
    tk_token_record old;
    const tk_pin_record *prev;

    memset(&old, 0, sizeof(old));
    rv = tk_store_pins_get(st, &old);
    prev = who == tk_pin_row[0] ? &old.so_pin : &old.user_pin;
    /* Rewriting the same record (a label change) keeps its entries. */
    if (rv == CKR_OK && prev->present &&
        !(pin->present && memcmp(pin->salt, prev->salt, TK_PIN_SALT_LEN) == 0)) {
        tk_store_pin_cache_forget(prev->salt);
    }
    tk_wipe(&old, sizeof(old));
}

CK_RV
tk_store_serial_get(tk_store *st, uint8_t serial[TK_SERIAL_LEN])
{
    CK_RV rv = CKR_OK;
    sqlite3_stmt *s = tk_store_sql(st, TK_SQL_SERIAL_GET);
    int rc = sqlite3_step(s);

    if (rc == SQLITE_ROW) {
        TK_CHECK(tk_store_col_fixed(s, 0, serial, TK_SERIAL_LEN),
                 tk_store_corrupt(st, "token serial"));
    } else if (rc == SQLITE_DONE) {
        rv = tk_store_corrupt(st, "no token record");
    } else {
        rv = tk_store_sql_fail(st, rc, "read token serial");
    }
out:
    tk_store_sql_done(s);
    return rv;
}

CK_RV
tk_store_read_token(tk_store *st, tk_token_record *out)
{
    CK_RV rv = CKR_OK;
    tk_token_record rec;

    TK_CHECK(st != NULL && out != NULL, CKR_ARGUMENTS_BAD);
    memset(&rec, 0, sizeof(rec));
    /* One snapshot: the token row and the PIN rows agree. */
    TK_GUARD(tk_store_tx_begin(st, 0));
    rv = tk_store_token_row_get(st, &rec);
    if (rv == CKR_OK) {
        rv = tk_store_pins_get(st, &rec);
    }
    TK_GUARD(tk_store_tx_end(st, rv));
    *out = rec;
out:
    return rv;
}

CK_RV
tk_store_write_token(tk_store *st, const tk_token_record *rec)
{
    CK_RV rv = CKR_OK;

    TK_CHECK(st != NULL && rec != NULL, CKR_ARGUMENTS_BAD);
    TK_GUARD(tk_store_tx_begin(st, 1));
    TK_GUARD(tk_store_tx_end(st, tk_store_token_put(st, rec)));
out:
    return rv;
}

static CK_RV
tk_store_reinit_inlock(tk_store *st, const tk_token_record *rec)
{
    CK_RV rv = CKR_OK;

    TK_GUARD(tk_store_sql_run(st, TK_SQL_OBJ_DEL_ALL, "delete objects"));
    TK_GUARD(tk_store_token_put(st, rec));
out:
    return rv;
}

CK_RV
tk_store_reinit(tk_store *st, const tk_token_record *rec)
{
    CK_RV rv = CKR_OK;

    TK_CHECK(st != NULL && rec != NULL, CKR_ARGUMENTS_BAD);
    TK_GUARD(tk_store_tx_begin(st, 1));
    TK_GUARD(tk_store_tx_end(st, tk_store_reinit_inlock(st, rec)));
out:
    return rv;
}

/* Add one failure and read the new count, inside a write transaction. */
static CK_RV
tk_store_fail_inc_inlock(tk_store *st, int is_user, uint32_t *count)
{
    CK_RV rv = CKR_OK;
    sqlite3_stmt *s = NULL;
    int rc;

    TK_GUARD(tk_store_sql_run(st, is_user ? TK_SQL_FAIL_INC_USER : TK_SQL_FAIL_INC_SO,
                              "count PIN failure"));
    TK_CHECK(sqlite3_changes(st->db) == 1, tk_store_corrupt(st, "no token record"));
    s = tk_store_sql(st, is_user ? TK_SQL_FAIL_GET_USER : TK_SQL_FAIL_GET_SO);
    rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        rv = tk_store_sql_fail(st, rc, "read PIN failures");
        goto out;
    }
    TK_CHECK(tk_store_col_u32(s, 0, count), tk_store_corrupt(st, "PIN failure counter"));
out:
    if (s != NULL) {
        tk_store_sql_done(s);
    }
    return rv;
}

CK_RV
tk_store_pin_failed(tk_store *st, CK_USER_TYPE user, uint32_t *count)
{
    CK_RV rv = CKR_OK;
    uint32_t n = 0;

    TK_CHECK(st != NULL && count != NULL, CKR_ARGUMENTS_BAD);
    TK_CHECK(user == CKU_SO || user == CKU_USER, CKR_ARGUMENTS_BAD);
    /* BEGIN IMMEDIATE: two processes counting at once both get counted. */
    TK_GUARD(tk_store_tx_begin(st, 1));
    TK_GUARD(tk_store_tx_end(st, tk_store_fail_inc_inlock(st, user == CKU_USER, &n)));
    *count = n;
out:
    return rv;
}

CK_RV
tk_store_pin_succeeded(tk_store *st, CK_USER_TYPE user)
{
    CK_RV rv = CKR_OK;

    TK_CHECK(st != NULL, CKR_ARGUMENTS_BAD);
    TK_CHECK(user == CKU_SO || user == CKU_USER, CKR_ARGUMENTS_BAD);
    /* One statement is its own transaction. */
    TK_GUARD(tk_store_sql_run(st, user == CKU_USER ? TK_SQL_FAIL_RESET_USER
                                                   : TK_SQL_FAIL_RESET_SO,
                              "reset PIN failures"));
out:
    return rv;
}

/* Write one PIN record and reset that user's failures, in one
 * transaction, so a failure another process counts meanwhile is never
 * overwritten by a stale copy of the record. */
static CK_RV
tk_store_set_pin_inlock(tk_store *st, CK_USER_TYPE user, const tk_pin_record *pin)
{
    CK_RV rv = CKR_OK;

    TK_GUARD(tk_store_pin_put(st, tk_pin_row[user == CKU_USER], pin));
    TK_GUARD(tk_store_sql_run(st, user == CKU_USER ? TK_SQL_FAIL_RESET_USER
                                                   : TK_SQL_FAIL_RESET_SO,
                              "reset PIN failures"));
out:
    return rv;
}

CK_RV
tk_store_set_pin(tk_store *st, CK_USER_TYPE user, const tk_pin_record *pin)
{
    CK_RV rv = CKR_OK;

    TK_CHECK(st != NULL && pin != NULL, CKR_ARGUMENTS_BAD);
    TK_CHECK(user == CKU_SO || user == CKU_USER, CKR_ARGUMENTS_BAD);
    TK_GUARD(tk_store_tx_begin(st, 1));
    TK_GUARD(tk_store_tx_end(st, tk_store_set_pin_inlock(st, user, pin)));
out:
    return rv;
}
