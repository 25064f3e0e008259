/*
 * Object rows: insert, replace, read, delete, list. See store.h.
 */
#include <stdlib.h>
#include <string.h>

#include "store/store_internal.h"
#include "util/check.h"
#include "util/log.h"
#include "util/wipe.h"

/* Insert a row; its id is known only afterwards. */
static CK_RV
tk_obj_insert(tk_store *st, int is_private, const uint8_t *blob, size_t len, int64_t *id)
{
    CK_RV rv = CKR_OK;
    sqlite3_stmt *s = tk_store_sql(st, TK_SQL_OBJ_INSERT);

    TK_CHECK(sqlite3_bind_int(s, 1, is_private ? 1 : 0) == SQLITE_OK, CKR_DEVICE_ERROR);
    TK_GUARD(tk_store_bind_blob(st, s, 2, blob, len));
    rv = tk_store_sql_exec(st, s, "insert object");
    s = NULL;
    TK_GUARD(rv);
    *id = sqlite3_last_insert_rowid(st->db);
out:
    if (s != NULL) {
        tk_store_sql_done(s);
    }
    return rv;
}

/* Replace row id (bumping gen), or set its blob only (keep gen). */
static CK_RV
tk_obj_update(tk_store *st, tk_sql_id which, int is_private, const uint8_t *blob, size_t len,
              int64_t id)
{
    CK_RV rv = CKR_OK;
    sqlite3_stmt *s = tk_store_sql(st, which);
    int col = 1;

    if (which == TK_SQL_OBJ_UPDATE) {
        TK_CHECK(sqlite3_bind_int(s, col++, is_private ? 1 : 0) == SQLITE_OK, CKR_DEVICE_ERROR);
    }
    TK_GUARD(tk_store_bind_blob(st, s, col++, blob, len));
    TK_CHECK(sqlite3_bind_int64(s, col, id) == SQLITE_OK, CKR_DEVICE_ERROR);
    rv = tk_store_sql_exec(st, s, "update object");
    s = NULL;
    TK_GUARD(rv);
    /* Another process deleted the row since the caller loaded it. */
    TK_CHECK(sqlite3_changes(st->db) == 1, CKR_OBJECT_HANDLE_INVALID);
out:
    if (s != NULL) {
        tk_store_sql_done(s);
    }
    return rv;
}

static CK_RV
tk_obj_gen(tk_store *st, int64_t id, uint64_t *gen)
{
    CK_RV rv = CKR_OK;
    sqlite3_stmt *s = tk_store_sql(st, TK_SQL_OBJ_GEN);
    int rc;

    TK_CHECK(sqlite3_bind_int64(s, 1, id) == SQLITE_OK, CKR_DEVICE_ERROR);
    rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        rv = rc == SQLITE_DONE ? CKR_OBJECT_HANDLE_INVALID
                               : tk_store_sql_fail(st, rc, "read object generation");
        goto out;
    }
    *gen = (uint64_t)sqlite3_column_int64(s, 0);
out:
    tk_store_sql_done(s);
    return rv;
}

/*
 * The body of tk_store_put_object() inside its write transaction. A new
 * private row is inserted with an empty blob, then sealed with its id and
 * updated: both steps commit together or not at all.
 */
static CK_RV
tk_obj_put_inlock(tk_store *st, const uint8_t *key, int is_private, const uint8_t *blob,
                  size_t len, int64_t *id, uint64_t *gen)
{
    CK_RV rv = CKR_OK;
    uint8_t serial[TK_SERIAL_LEN];
    uint8_t *sealed = NULL;
    size_t sealed_len = 0;
    int64_t row = *id;

    if (row == 0) {
        TK_GUARD(tk_obj_insert(st, is_private, is_private ? NULL : blob, is_private ? 0 : len,
                               &row));
    }
    if (is_private) {
        TK_GUARD(tk_store_serial_get(st, serial));
        TK_GUARD(tk_store_seal(key, serial, row, blob, len, &sealed, &sealed_len));
    }
    if (*id == 0 && is_private) {
        TK_GUARD(tk_obj_update(st, TK_SQL_OBJ_SET_BLOB, 1, sealed, sealed_len, row));
    } else if (*id != 0) {
        TK_GUARD(tk_obj_update(st, TK_SQL_OBJ_UPDATE, is_private, is_private ? sealed : blob,
                               is_private ? sealed_len : len, row));
    }
    TK_GUARD(tk_obj_gen(st, row, gen));
    *id = row;
out:
    free(sealed);
    return rv;
}

CK_RV
tk_store_put_object(tk_store *st, const uint8_t *token_key, int is_private,
                    const uint8_t *blob, size_t len, int64_t *id, uint64_t *gen)
{
    CK_RV rv = CKR_OK;
    int64_t row = 0;
    uint64_t g = 0;

    TK_CHECK(st != NULL && id != NULL && gen != NULL && *id >= 0, CKR_ARGUMENTS_BAD);
    TK_CHECK(blob != NULL || len == 0, CKR_ARGUMENTS_BAD);
    TK_CHECK(!is_private || token_key != NULL, CKR_USER_NOT_LOGGED_IN);
    row = *id;
    TK_GUARD(tk_store_tx_begin(st, 1));
    TK_GUARD(tk_store_tx_end(st, tk_obj_put_inlock(st, token_key, is_private, blob, len, &row,
                                                   &g)));
    *id = row;
    *gen = g;
out:
    return rv;
}

CK_RV
tk_store_delete_object(tk_store *st, int64_t id)
{
    CK_RV rv = CKR_OK;
    sqlite3_stmt *s = NULL;

    TK_CHECK(st != NULL && id > 0, CKR_ARGUMENTS_BAD);
    s = tk_store_sql(st, TK_SQL_OBJ_DEL);
    TK_CHECK(sqlite3_bind_int64(s, 1, id) == SQLITE_OK, CKR_DEVICE_ERROR);
    /* One statement is its own transaction. */
    rv = tk_store_sql_exec(st, s, "delete object");
    s = NULL;
out:
    if (s != NULL) {
        tk_store_sql_done(s);
    }
    return rv;
}

/* Copy or unseal the blob of the current row of TK_SQL_OBJ_GET. */
static CK_RV
tk_obj_blob(tk_store *st, sqlite3_stmt *s, int64_t id, const uint8_t *key, tk_store_object *o)
{
    CK_RV rv = CKR_OK;
    const uint8_t *p = sqlite3_column_blob(s, 2);
    size_t n = (size_t)sqlite3_column_bytes(s, 2);
    uint8_t serial[TK_SERIAL_LEN];

    if (!o->is_private) {
        o->blob = malloc(n > 0 ? n : 1);
        TK_CHECK(o->blob != NULL, CKR_HOST_MEMORY);
        if (n > 0) {
            memcpy(o->blob, p, n);
        }
        o->len = n;
        goto out;
    }
    TK_CHECK(key != NULL, CKR_USER_NOT_LOGGED_IN);
    TK_CHECK(sqlite3_column_bytes(s, 3) == TK_SERIAL_LEN, tk_store_corrupt(st, "token serial"));
    memcpy(serial, sqlite3_column_blob(s, 3), TK_SERIAL_LEN);
    rv = tk_store_unseal(key, serial, id, p, n, &o->blob, &o->len);
    if (rv == CKR_ENCRYPTED_DATA_INVALID) {
        /* Wrong key, or the blob was altered or moved from another row. */
        TK_ERROR("store %s: object %lld fails authentication", st->path, (long long)id);
        rv = CKR_DEVICE_ERROR;
    }
out:
    return rv;
}

CK_RV
tk_store_get_object(tk_store *st, int64_t id, const uint8_t *token_key, tk_store_object *out)
{
    CK_RV rv = CKR_OK;
    sqlite3_stmt *s = NULL;
    tk_store_object o;
    int rc;

    memset(&o, 0, sizeof(o));
    TK_CHECK(st != NULL && out != NULL, CKR_ARGUMENTS_BAD);
    TK_CHECK(id > 0, CKR_OBJECT_HANDLE_INVALID);
    s = tk_store_sql(st, TK_SQL_OBJ_GET);
    TK_CHECK(sqlite3_bind_int64(s, 1, id) == SQLITE_OK, CKR_DEVICE_ERROR);
    rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        rv = rc == SQLITE_DONE ? CKR_OBJECT_HANDLE_INVALID
                               : tk_store_sql_fail(st, rc, "read object");
        goto out;
    }
    o.id = id;
    o.gen = (uint64_t)sqlite3_column_int64(s, 0);
    o.is_private = sqlite3_column_int(s, 1) != 0;
    TK_GUARD(tk_obj_blob(st, s, id, token_key, &o));
    *out = o;
out:
    if (s != NULL) {
        tk_store_sql_done(s);
    }
    return rv;
}

void
tk_store_object_clear(tk_store_object *obj)
{
    if (obj == NULL) {
        return;
    }
    tk_free_secret(obj->blob, obj->len);
    memset(obj, 0, sizeof(*obj));
}

/* Append one row to a growing array. */
static CK_RV
tk_obj_row_push(tk_store_row **v, size_t *n, size_t *cap, const tk_store_row *r)
{
    if (*n == *cap) {
        size_t c = *cap != 0 ? *cap * 2 : 16;
        tk_store_row *p = c < SIZE_MAX / sizeof(*p) ? realloc(*v, c * sizeof(*p)) : NULL;
        if (p == NULL) {
            return CKR_HOST_MEMORY;
        }
        *v = p;
        *cap = c;
    }
    (*v)[(*n)++] = *r;
    return CKR_OK;
}

CK_RV
tk_store_list_rows(tk_store *st, tk_store_row **rows, size_t *count)
{
    CK_RV rv = CKR_OK;
    sqlite3_stmt *s = NULL;
    tk_store_row *v = NULL;
    size_t n = 0;
    size_t cap = 0;
    int rc;

    TK_CHECK(st != NULL && rows != NULL && count != NULL, CKR_ARGUMENTS_BAD);
    s = tk_store_sql(st, TK_SQL_OBJ_LIST);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        tk_store_row r = {sqlite3_column_int64(s, 0), (uint64_t)sqlite3_column_int64(s, 1),
                          sqlite3_column_int(s, 2) != 0};
        TK_GUARD(tk_obj_row_push(&v, &n, &cap, &r));
    }
    if (rc != SQLITE_DONE) {
        rv = tk_store_sql_fail(st, rc, "list objects");
        goto out;
    }
    *rows = v;
    *count = n;
    v = NULL;
out:
    if (s != NULL) {
        tk_store_sql_done(s);
    }
    free(v);
    return rv;
}

static CK_RV
tk_store_each_row(tk_store *st, tk_sql_id which, const uint8_t *token_key,
                  tk_store_skip_fn skip, tk_store_each_fn fn, void *arg)
{
    CK_RV rv = CKR_OK;
    sqlite3_stmt *s = NULL;
    tk_store_object o;
    int rc;

    memset(&o, 0, sizeof(o));
    TK_CHECK(st != NULL && fn != NULL, CKR_ARGUMENTS_BAD);
    s = tk_store_sql(st, which);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        o.id = sqlite3_column_int64(s, 4);
        o.gen = (uint64_t)sqlite3_column_int64(s, 0);
        o.is_private = sqlite3_column_int(s, 1) != 0;
        if ((o.is_private && token_key == NULL) ||
            (skip != NULL && skip(o.id, o.gen, o.is_private, arg))) {
            continue;
        }
        TK_GUARD(tk_obj_blob(st, s, o.id, token_key, &o));
        rv = fn(&o, arg);
        tk_store_object_clear(&o);
        TK_GUARD(rv);
    }
    if (rc != SQLITE_DONE) {
        rv = tk_store_sql_fail(st, rc, "read objects");
    }
out:
    tk_store_object_clear(&o);
    if (s != NULL) {
        tk_store_sql_done(s);
    }
    return rv;
}

CK_RV
tk_store_each_object(tk_store *st, const uint8_t *token_key, tk_store_skip_fn skip,
                     tk_store_each_fn fn, void *arg)
{
    return tk_store_each_row(st, TK_SQL_OBJ_ALL, token_key, skip, fn, arg);
}

CK_RV
tk_store_each_private_object(tk_store *st, const uint8_t *token_key, tk_store_skip_fn skip,
                             tk_store_each_fn fn, void *arg)
{
    if (token_key == NULL) {
        return CKR_ARGUMENTS_BAD;
    }
    return tk_store_each_row(st, TK_SQL_OBJ_PRIVATE, token_key, skip, fn, arg);
}
