/*
 * Opening, creating and closing token databases; the statement cache,
 * transactions and SQLite error mapping. See store.h and docs/STORE.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store_internal.h"
#include "util/check.h"
#include "util/log.h"

static const char *const tk_store_schema =
    "CREATE TABLE token("
    " id INTEGER PRIMARY KEY CHECK (id = 1),"
    " label BLOB NOT NULL,"
    " serial BLOB NOT NULL,"
    " so_failures INTEGER NOT NULL,"
    " user_failures INTEGER NOT NULL);"
    "CREATE TABLE pin("
    " user_type INTEGER PRIMARY KEY CHECK (user_type IN (0, 1)),"
    " m_cost INTEGER NOT NULL,"
    " t_cost INTEGER NOT NULL,"
    " lanes INTEGER NOT NULL,"
    " salt BLOB NOT NULL,"
    " wrapped BLOB NOT NULL);"
    /* AUTOINCREMENT: a deleted row's id is never handed out again, so a
     * cached (id, gen) pair and a sealed blob's row binding stay unique. */
    "CREATE TABLE objects("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " gen INTEGER NOT NULL,"
    " private INTEGER NOT NULL CHECK (private IN (0, 1)),"
    " blob BLOB NOT NULL);";

static const char *const tk_store_sql_text[TK_SQL_COUNT] = {
    [TK_SQL_BEGIN_READ] = "BEGIN DEFERRED",
    [TK_SQL_BEGIN_WRITE] = "BEGIN IMMEDIATE",
    [TK_SQL_COMMIT] = "COMMIT",
    [TK_SQL_ROLLBACK] = "ROLLBACK",
    [TK_SQL_DATA_VERSION] = "PRAGMA data_version",
    [TK_SQL_TOKEN_GET] = "SELECT label, serial, so_failures, user_failures FROM token"
                         " WHERE id = 1",
    [TK_SQL_TOKEN_PUT] = "INSERT OR REPLACE INTO token(id, label, serial, so_failures,"
                         " user_failures) VALUES (1, ?1, ?2, ?3, ?4)",
    [TK_SQL_SERIAL_GET] = "SELECT serial FROM token WHERE id = 1",
    [TK_SQL_PIN_GET] = "SELECT user_type, m_cost, t_cost, lanes, salt, wrapped FROM pin",
    [TK_SQL_PIN_PUT] = "INSERT OR REPLACE INTO pin(user_type, m_cost, t_cost, lanes, salt,"
                       " wrapped) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [TK_SQL_PIN_DEL] = "DELETE FROM pin WHERE user_type = ?1",
    [TK_SQL_FAIL_INC_SO] = "UPDATE token SET so_failures = MIN(so_failures + 1, 4294967295)"
                           " WHERE id = 1",
    [TK_SQL_FAIL_INC_USER] = "UPDATE token SET user_failures ="
                             " MIN(user_failures + 1, 4294967295) WHERE id = 1",
    [TK_SQL_FAIL_GET_SO] = "SELECT so_failures FROM token WHERE id = 1",
    [TK_SQL_FAIL_GET_USER] = "SELECT user_failures FROM token WHERE id = 1",
    [TK_SQL_FAIL_RESET_SO] = "UPDATE token SET so_failures = 0 WHERE id = 1",
    [TK_SQL_FAIL_RESET_USER] = "UPDATE token SET user_failures = 0 WHERE id = 1",
    [TK_SQL_OBJ_INSERT] = "INSERT INTO objects(gen, private, blob) VALUES (1, ?1, ?2)",
    [TK_SQL_OBJ_UPDATE] = "UPDATE objects SET gen = gen + 1, private = ?1, blob = ?2"
                          " WHERE id = ?3",
    [TK_SQL_OBJ_SET_BLOB] = "UPDATE objects SET blob = ?1 WHERE id = ?2",
    [TK_SQL_OBJ_GEN] = "SELECT gen FROM objects WHERE id = ?1",
    [TK_SQL_OBJ_GET] = "SELECT o.gen, o.private, o.blob, t.serial FROM objects AS o, token AS t"
                       " WHERE o.id = ?1 AND t.id = 1",
    [TK_SQL_OBJ_DEL] = "DELETE FROM objects WHERE id = ?1",
    [TK_SQL_OBJ_DEL_ALL] = "DELETE FROM objects",
    [TK_SQL_OBJ_LIST] = "SELECT id, gen, private FROM objects ORDER BY id",
    /* Same leading columns as TK_SQL_OBJ_GET, so tk_obj_blob reads both. */
    [TK_SQL_OBJ_ALL] = "SELECT o.gen, o.private, o.blob, t.serial, o.id"
                       " FROM objects AS o, token AS t WHERE t.id = 1 ORDER BY o.id",
    /* The same for private rows only, through objects_private. */
    [TK_SQL_OBJ_PRIVATE] = "SELECT o.gen, o.private, o.blob, t.serial, o.id"
                           " FROM objects AS o, token AS t"
                           " WHERE t.id = 1 AND o.private = 1 ORDER BY o.id",
};

/*
 * Private rows by id: a login reads only those, however many public
 * objects the token holds. Made with the schema; a database made before
 * the index existed gets it when first opened for writing.
 */
static const char *const tk_store_private_index =
    "CREATE INDEX IF NOT EXISTS objects_private ON objects(id) WHERE private = 1;";

/* ---- errors ---- */

static int
tk_store_rc_is_busy(int rc)
{
    return (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED;
}

CK_RV
tk_store_sql_fail(tk_store *st, int rc, const char *what)
{
    int prim = rc & 0xff;

    if (tk_store_rc_is_busy(rc)) {
        TK_WARN("store %s: %s: database busy for more than %u ms", st->path, what,
                st->busy_ms);
        return CKR_DEVICE_ERROR;
    }
    TK_ERROR("store %s: %s: %s (%d)", st->path, what,
             st->db != NULL ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc), rc);
    if (prim == SQLITE_NOMEM) {
        return CKR_HOST_MEMORY;
    }
    if (prim == SQLITE_FULL || prim == SQLITE_TOOBIG) {
        return CKR_DEVICE_MEMORY;
    }
    return CKR_DEVICE_ERROR;
}

CK_RV
tk_store_corrupt(tk_store *st, const char *what)
{
    TK_ERROR("store %s: malformed data: %s", st->path, what);
    return CKR_DEVICE_ERROR;
}

/*
 * At open, a file that SQLite rejects as not a database or as corrupt, or
 * whose schema does not match, is not ours: CKR_TOKEN_NOT_RECOGNIZED.
 */
static CK_RV
tk_store_open_fail(tk_store *st, int rc, const char *what)
{
    int prim = rc & 0xff;

    if (prim == SQLITE_NOTADB || prim == SQLITE_CORRUPT || prim == SQLITE_ERROR) {
        TK_WARN("store %s: not a TrusToken database: %s: %s", st->path, what,
                sqlite3_errmsg(st->db));
        return CKR_TOKEN_NOT_RECOGNIZED;
    }
    return tk_store_sql_fail(st, rc, what);
}

/* ---- statements and transactions ---- */

sqlite3_stmt *
tk_store_sql(tk_store *st, tk_sql_id id)
{
    sqlite3_stmt *s = st->stmt[id];

    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return s;
}

void
tk_store_sql_done(sqlite3_stmt *s)
{
    /* The error, if any, was already taken from sqlite3_step(). */
    (void)sqlite3_reset(s);
    (void)sqlite3_clear_bindings(s);
}

CK_RV
tk_store_sql_exec(tk_store *st, sqlite3_stmt *s, const char *what)
{
    CK_RV rv = CKR_OK;
    int rc = sqlite3_step(s);

    if (rc != SQLITE_DONE) {
        rv = tk_store_sql_fail(st, rc, what);
    }
    tk_store_sql_done(s);
    return rv;
}

CK_RV
tk_store_sql_run(tk_store *st, tk_sql_id id, const char *what)
{
    return tk_store_sql_exec(st, tk_store_sql(st, id), what);
}

CK_RV
tk_store_bind_blob(tk_store *st, sqlite3_stmt *s, int col, const void *p, size_t len)
{
    int rc;

    if (len > INT_MAX) {
        TK_WARN("store %s: value of %zu bytes is too large", st->path, len);
        return CKR_DEVICE_MEMORY;
    }
    /* A NULL pointer would bind SQL NULL; the columns want a blob. */
    if (len == 0) {
        rc = sqlite3_bind_zeroblob(s, col, 0);
    } else {
        rc = sqlite3_bind_blob(s, col, p, (int)len, SQLITE_STATIC);
    }
    return rc == SQLITE_OK ? CKR_OK : tk_store_sql_fail(st, rc, "bind");
}

CK_RV
tk_store_tx_begin(tk_store *st, int write)
{
    return tk_store_sql_run(st, write ? TK_SQL_BEGIN_WRITE : TK_SQL_BEGIN_READ,
                            "begin transaction");
}

CK_RV
tk_store_tx_end(tk_store *st, CK_RV rv)
{
    if (rv == CKR_OK) {
        rv = tk_store_sql_run(st, TK_SQL_COMMIT, "commit");
    }
    /* SQLite rolls back by itself after some errors (I/O, full disk). */
    if (rv != CKR_OK && !sqlite3_get_autocommit(st->db)) {
        (void)tk_store_sql_run(st, TK_SQL_ROLLBACK, "rollback");
    }
    return rv;
}

/* ---- connections ---- */

/* Run SQL text that returns no rows (schema, pragmas). */
static CK_RV
tk_store_exec_text(tk_store *st, const char *sql, const char *what)
{
    int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);

    return rc == SQLITE_OK ? CKR_OK : tk_store_sql_fail(st, rc, what);
}

/* Run a pragma that returns one integer into *val. */
static int
tk_store_pragma_int(tk_store *st, const char *sql, int64_t *val)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);

    if (rc == SQLITE_OK) {
        rc = sqlite3_step(s);
        if (rc == SQLITE_ROW) {
            *val = sqlite3_column_int64(s, 0);
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(s);
    return rc;
}

static CK_RV
tk_store_alloc(const char *path, const tk_store_options *opt, tk_store **out)
{
    CK_RV rv = CKR_OK;
    tk_store *st = calloc(1, sizeof(*st));

    TK_CHECK(st != NULL, CKR_HOST_MEMORY);
    st->path = strdup(path);
    TK_CHECK(st->path != NULL, CKR_HOST_MEMORY);
    st->busy_ms = opt != NULL && opt->busy_timeout_ms != 0 ? opt->busy_timeout_ms
                                                           : TK_STORE_DEFAULT_BUSY_MS;
    *out = st;
    st = NULL;
out:
    if (st != NULL) {
        free(st->path);
        free(st);
    }
    return rv;
}

/*
 * Open the SQLite connection (never creating the file) and apply the
 * settings that need no read of the file.
 */
static CK_RV
tk_store_connect(tk_store *st)
{
    CK_RV rv = CKR_OK;
    /* NOMUTEX: a handle is only used under the caller's token lock. */
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_PRIVATECACHE;
    int rc = sqlite3_open_v2(st->path, &st->db, flags, NULL);

    if (rc != SQLITE_OK) {
        rv = tk_store_sql_fail(st, rc, "open");
        goto out;
    }
    sqlite3_extended_result_codes(st->db, 1);
    TK_CHECK(sqlite3_busy_timeout(st->db, (int)(st->busy_ms > INT_MAX ? INT_MAX : st->busy_ms))
                 == SQLITE_OK,
             CKR_DEVICE_ERROR);
    /* The file may be hostile: no schema tricks, no code from the schema. */
    (void)sqlite3_db_config(st->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    (void)sqlite3_db_config(st->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
    (void)sqlite3_db_config(st->db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
    (void)sqlite3_db_config(st->db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, NULL);
out:
    return rv;
}

/*
 * Per-connection settings. synchronous=FULL: in WAL mode NORMAL may lose the
 * last commits on power loss, which would let someone who controls the
 * power roll back the PIN failure counter; writes are rare, so the extra
 * fsync per commit is cheap. secure_delete: freed pages (old PIN records,
 * deleted objects) are zeroed instead of lingering in the file.
 */
static CK_RV
tk_store_configure(tk_store *st)
{
    return tk_store_exec_text(st,
                              "PRAGMA synchronous = FULL;"
                              "PRAGMA secure_delete = ON;"
                              "PRAGMA cell_size_check = ON;",
                              "configure connection");
}

/*
 * Prepare every statement. At open, a statement that does not fit the
 * file's schema means the file is not ours; at create it is our own bug.
 */
static CK_RV
tk_store_prepare_all(tk_store *st, int at_open)
{
    CK_RV rv = CKR_OK;

    for (int i = 0; i < TK_SQL_COUNT; i++) {
        int rc = sqlite3_prepare_v3(st->db, tk_store_sql_text[i], -1, SQLITE_PREPARE_PERSISTENT,
                                    &st->stmt[i], NULL);
        if (rc != SQLITE_OK) {
            rv = at_open ? tk_store_open_fail(st, rc, "prepare")
                         : tk_store_sql_fail(st, rc, "prepare");
            goto out;
        }
    }
out:
    return rv;
}

static CK_RV
tk_store_read_data_version(tk_store *st, int64_t *v)
{
    CK_RV rv = CKR_OK;
    sqlite3_stmt *s = tk_store_sql(st, TK_SQL_DATA_VERSION);
    int rc = sqlite3_step(s);

    if (rc == SQLITE_ROW) {
        *v = sqlite3_column_int64(s, 0);
    } else {
        rv = tk_store_sql_fail(st, rc, "read data version");
    }
    tk_store_sql_done(s);
    return rv;
}

/* Free the handle and close its connection. */
static void
tk_store_free(tk_store *st, int close_db)
{
    if (st == NULL) {
        return;
    }
    if (close_db) {
        for (int i = 0; i < TK_SQL_COUNT; i++) {
            sqlite3_finalize(st->stmt[i]);
        }
        if (sqlite3_close(st->db) != SQLITE_OK) {
            TK_ERROR("store %s: close: %s", st->path, sqlite3_errmsg(st->db));
        }
    }
    free(st->path);
    free(st);
}

/* ---- recognition ---- */

/*
 * Is the file one of ours? The SQLite header must carry our application id
 * and a format we know, and PRAGMA quick_check must pass. quick_check reads
 * every page once (no index cross-check): a few milliseconds for a token
 * of hundreds of objects, and it turns a truncated or damaged file into
 * CKR_TOKEN_NOT_RECOGNIZED at open instead of errors later.
 */
static CK_RV
tk_store_recognise(tk_store *st)
{
    CK_RV rv = CKR_OK;
    sqlite3_stmt *s = NULL;
    int64_t app = 0;
    int64_t fmt = 0;
    int rc = tk_store_pragma_int(st, "PRAGMA application_id", &app);

    if (rc == SQLITE_OK) {
        rc = tk_store_pragma_int(st, "PRAGMA user_version", &fmt);
    }
    if (rc != SQLITE_OK) {
        rv = tk_store_open_fail(st, rc, "read header");
        goto out;
    }
    if (app != TK_STORE_APP_ID || fmt != TK_STORE_FORMAT) {
        TK_WARN("store %s: not a TrusToken database (application id %#llx, format %lld)",
                st->path, (unsigned long long)app, (long long)fmt);
        rv = CKR_TOKEN_NOT_RECOGNIZED;
        goto out;
    }

    rc = sqlite3_prepare_v2(st->db, "PRAGMA quick_check(1)", -1, &s, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(s);
    }
    if (rc != SQLITE_ROW) {
        rv = tk_store_open_fail(st, rc, "integrity check");
        goto out;
    }
    if (strcmp((const char *)sqlite3_column_text(s, 0), "ok") != 0) {
        TK_WARN("store %s: not a TrusToken database: integrity check: %s", st->path,
                (const char *)sqlite3_column_text(s, 0));
        rv = CKR_TOKEN_NOT_RECOGNIZED;
    }
out:
    sqlite3_finalize(s);
    return rv;
}

/* ---- public functions (see store.h) ---- */

/* Best effort: without the index a login scans the rows, nothing worse;
 * a read-only or busy file keeps working without it. */
static void
tk_store_add_private_index(tk_store *st)
{
    if (tk_store_read_only(st)) {
        return;
    }
    if (sqlite3_exec(st->db, tk_store_private_index, NULL, NULL, NULL) != SQLITE_OK) {
        TK_DEBUG("store %s: private-row index not added: %s", st->path, sqlite3_errmsg(st->db));
    }
}

CK_RV
tk_store_open(const char *path, const tk_store_options *opt, tk_store **out)
{
    CK_RV rv = CKR_OK;
    tk_store *st = NULL;

    TK_CHECK(path != NULL && out != NULL, CKR_ARGUMENTS_BAD);
    TK_GUARD(tk_store_alloc(path, opt, &st));
    TK_GUARD(tk_store_connect(st));
    TK_GUARD(tk_store_recognise(st));
    TK_GUARD(tk_store_configure(st));
    tk_store_add_private_index(st);
    TK_GUARD(tk_store_prepare_all(st, 1));
    TK_GUARD(tk_store_read_data_version(st, &st->data_version));
    TK_INFO("store %s: opened", path);
    *out = st;
    st = NULL;
out:
    tk_store_free(st, 1);
    return rv;
}

/* Make the empty file ourselves: O_EXCL refuses an existing one, 0600. */
static CK_RV
tk_store_make_file(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);

    if (fd < 0) {
        TK_WARN("store %s: cannot create: %s", path, strerror(errno));
        return CKR_DEVICE_ERROR;
    }
    /* The umask may have cleared bits of 0600; SQLite gives its -wal and
     * -shm files the database's mode, so this covers them too. */
    if (fchmod(fd, 0600) != 0) {
        TK_WARN("store %s: chmod: %s", path, strerror(errno));
        close(fd);
        return CKR_DEVICE_ERROR;
    }
    close(fd);
    return CKR_OK;
}

/* Remove a database that tk_store_create() made but could not finish. */
static void
tk_store_unlink_all(const char *path)
{
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    char name[PATH_MAX];

    for (size_t i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
        int n = snprintf(name, sizeof(name), "%s%s", path, suffix[i]);
        if (n > 0 && (size_t)n < sizeof(name)) {
            (void)unlink(name);
        }
    }
}

static CK_RV
tk_store_set_wal(tk_store *st)
{
    CK_RV rv = CKR_OK;
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db, "PRAGMA journal_mode = WAL", -1, &s, NULL);

    if (rc == SQLITE_OK) {
        rc = sqlite3_step(s);
    }
    if (rc != SQLITE_ROW) {
        rv = tk_store_sql_fail(st, rc, "set WAL mode");
        goto out;
    }
    if (strcmp((const char *)sqlite3_column_text(s, 0), "wal") != 0) {
        TK_ERROR("store %s: WAL mode refused", st->path);
        rv = CKR_DEVICE_ERROR;
    }
out:
    sqlite3_finalize(s);
    return rv;
}

/* Schema, header marks and the token record, in one transaction. */
static CK_RV
tk_store_init_db(tk_store *st, const tk_token_record *rec)
{
    CK_RV rv = CKR_OK;
    char marks[128];

    (void)snprintf(marks, sizeof(marks), "PRAGMA application_id = %d; PRAGMA user_version = %d;",
                   TK_STORE_APP_ID, TK_STORE_FORMAT);
    TK_GUARD(tk_store_exec_text(st, "BEGIN IMMEDIATE", "begin transaction"));
    TK_GUARD(tk_store_exec_text(st, tk_store_schema, "create schema"));
    TK_GUARD(tk_store_exec_text(st, tk_store_private_index, "create index"));
    TK_GUARD(tk_store_exec_text(st, marks, "mark header"));
    TK_GUARD(tk_store_prepare_all(st, 0));
    TK_GUARD(tk_store_token_put(st, rec));
    TK_GUARD(tk_store_sql_run(st, TK_SQL_COMMIT, "commit"));
out:
    if (rv != CKR_OK && st->db != NULL && !sqlite3_get_autocommit(st->db)) {
        (void)sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    }
    return rv;
}

CK_RV
tk_store_create(const char *path, const tk_store_options *opt, const tk_token_record *rec,
                tk_store **out)
{
    CK_RV rv = CKR_OK;
    tk_store *st = NULL;
    int made = 0;

    TK_CHECK(path != NULL && rec != NULL && out != NULL, CKR_ARGUMENTS_BAD);
    TK_GUARD(tk_store_alloc(path, opt, &st));
    TK_GUARD(tk_store_make_file(path));
    made = 1;
    TK_GUARD(tk_store_connect(st));
    TK_GUARD(tk_store_configure(st));
    TK_GUARD(tk_store_set_wal(st));
    TK_GUARD(tk_store_init_db(st, rec));
    TK_GUARD(tk_store_read_data_version(st, &st->data_version));
    TK_INFO("store %s: created", path);
    *out = st;
    st = NULL;
out:
    tk_store_free(st, 1);
    if (rv != CKR_OK && made) {
        tk_store_unlink_all(path);
    }
    return rv;
}

void
tk_store_close(tk_store *st)
{
    tk_store_free(st, 1);
}

void
tk_store_abandon(tk_store *st)
{
    /* Only our own allocations: the connection, its statements and file
     * descriptors stay as the parent left them (see store.h). */
    tk_store_free(st, 0);
}

CK_RV
tk_store_changed(tk_store *st, int *changed)
{
    CK_RV rv = CKR_OK;
    int64_t v = 0;

    TK_CHECK(st != NULL && changed != NULL, CKR_ARGUMENTS_BAD);
    TK_GUARD(tk_store_read_data_version(st, &v));
    *changed = v != st->data_version;
    st->data_version = v;
out:
    return rv;
}

int
tk_store_read_only(tk_store *st)
{
    return st != NULL && (sqlite3_db_readonly(st->db, "main") == 1 || access(st->path, W_OK) != 0);
}
