/*
 * The store's files: what reaches the disk, file modes, files that are not
 * ours, a database locked by someone else, and fork().
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "store/store.h"
#include "store_test_util.h"

static const char tk_t_secret[] = "SECRET-PATTERN-7f3a9c-SECRET-PATTERN-7f3a9c";
static const char tk_t_public[] = "PUBLIC-PATTERN-2b8e1d-PUBLIC-PATTERN-2b8e1d";

static int64_t
tk_t_put(tk_store *st, int is_private, const void *blob, size_t len)
{
    int64_t id = 0;
    uint64_t gen = 0;

    assert_int_equal(tk_store_put_object(st, is_private ? tk_t_key(0) : NULL, is_private, blob,
                                         len, &id, &gen),
                     CKR_OK);
    return id;
}

/* The pattern in the database file or its WAL. */
static int
tk_t_on_disk(const tk_t_env *env, const char *pat)
{
    return tk_t_file_has(env->path, pat, strlen(pat)) ||
           tk_t_file_has(tk_t_sibling(env, "-wal"), pat, strlen(pat));
}

static void
tk_test_no_plaintext_on_disk(void **state)
{
    tk_t_env *env = *state;
    tk_store *st = tk_t_create(env, 0);
    struct stat sb;
    int64_t id;

    id = tk_t_put(st, 1, tk_t_secret, sizeof(tk_t_secret));
    tk_t_put(st, 0, tk_t_public, sizeof(tk_t_public));
    /* Replacing writes a new sealed copy: still nothing in clear. */
    assert_int_equal(tk_store_put_object(st, tk_t_key(0), 1, (const uint8_t *)tk_t_secret,
                                         sizeof(tk_t_secret), &id, &(uint64_t){0}),
                     CKR_OK);
    assert_int_equal(stat(tk_t_sibling(env, "-wal"), &sb), 0);
    assert_true(sb.st_size > 0);
    /* The positive control shows the search would find a pattern. */
    assert_true(tk_t_on_disk(env, tk_t_public));
    assert_false(tk_t_on_disk(env, tk_t_secret));
    tk_store_close(st);
    assert_true(tk_t_on_disk(env, tk_t_public));
    assert_false(tk_t_on_disk(env, tk_t_secret));
}

static void
tk_test_file_modes(void **state)
{
    tk_t_env *env = *state;
    const char *names[] = {"", "-wal", "-shm"};
    mode_t old = umask(0277); /* would give 0400 if we did not force 0600 */
    tk_store *st = tk_t_create(env, 0);
    struct stat sb;

    umask(old);
    tk_t_put(st, 0, "x", 1);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(stat(tk_t_sibling(env, names[i]), &sb), 0);
        assert_int_equal(sb.st_mode & 07777, 0600);
    }
    tk_store_close(st);
}

static void
tk_t_write_file(const char *path, const void *p, size_t len)
{
    FILE *fp = fopen(path, "wb");

    assert_non_null(fp);
    assert_int_equal(fwrite(p, 1, len, fp), len);
    fclose(fp);
}

static void
tk_t_not_ours(const tk_t_env *env)
{
    tk_store *st = NULL;

    assert_int_equal(tk_store_open(env->path, NULL, &st), CKR_TOKEN_NOT_RECOGNIZED);
    assert_null(st);
}

static void
tk_test_not_sqlite(void **state)
{
    tk_t_env *env = *state;
    char text[4096];

    for (size_t i = 0; i < sizeof(text); i++) {
        text[i] = "not a database at all\n"[i % 22];
    }
    tk_t_write_file(env->path, text, sizeof(text));
    tk_t_not_ours(env);
    tk_t_write_file(env->path, "", 0);
    tk_t_not_ours(env);
}

/* A SQLite database made with plain SQL, not by the store. */
static void
tk_t_foreign(const char *path, const char *sql)
{
    sqlite3 *db = NULL;

    unlink(path);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static void
tk_test_foreign_sqlite(void **state)
{
    tk_t_env *env = *state;

    tk_t_foreign(env->path, "CREATE TABLE t(x); INSERT INTO t VALUES (1);");
    tk_t_not_ours(env);
    /* Our marks but not our schema. */
    tk_t_foreign(env->path, "PRAGMA application_id = 1414222676; PRAGMA user_version = 1;"
                            "CREATE TABLE t(x);");
    tk_t_not_ours(env);
    /* A newer format than this build knows. */
    tk_t_foreign(env->path, "PRAGMA application_id = 1414222676; PRAGMA user_version = 2;"
                            "CREATE TABLE t(x);");
    tk_t_not_ours(env);
}

/* A closed store with enough rows to span many pages; returns its size. */
static size_t
tk_t_big_store(const tk_t_env *env)
{
    tk_store *st = tk_t_create(env, 0);
    uint8_t blob[1500];
    struct stat sb;

    memset(blob, 0x33, sizeof(blob));
    for (int i = 0; i < 60; i++) {
        tk_t_put(st, i % 2, blob, sizeof(blob));
    }
    tk_store_close(st);
    assert_int_equal(stat(env->path, &sb), 0);
    return (size_t)sb.st_size;
}

static void
tk_test_truncated(void **state)
{
    tk_t_env *env = *state;
    size_t size = tk_t_big_store(env);
    tk_store *st = NULL;

    assert_true(size > 40000);
    assert_int_equal(tk_store_open(env->path, NULL, &st), CKR_OK);
    tk_store_close(st);
    assert_int_equal(truncate(env->path, (off_t)(size / 2)), 0);
    tk_t_not_ours(env);
    assert_int_equal(truncate(env->path, 1000), 0);
    tk_t_not_ours(env);
}

static void
tk_test_damaged_page(void **state)
{
    tk_t_env *env = *state;
    size_t size = tk_t_big_store(env);
    size_t len = 0;
    uint8_t *buf = tk_t_read_file(env->path, &len);

    assert_int_equal(len, size);
    /* Scribble over a page in the middle of the objects table. */
    memset(buf + (size / 2 / 4096) * 4096, 0xee, 4096);
    tk_t_write_file(env->path, buf, len);
    free(buf);
    tk_t_not_ours(env);
}

/* A trigger planted in the file must not run inside our connection. */
static void
tk_test_planted_trigger_ignored(void **state)
{
    tk_t_env *env = *state;
    tk_store *st = tk_t_create(env, 0);
    tk_store_row *rows = NULL;
    size_t count = 9;
    uint32_t n = 0;
    sqlite3 *db = NULL;

    assert_int_equal(sqlite3_open(env->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TRIGGER planted AFTER UPDATE ON token BEGIN"
                                      " INSERT INTO objects(gen, private, blob)"
                                      " VALUES (1, 0, x'41'); END;",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(tk_store_pin_failed(st, CKU_USER, &n), CKR_OK);
    assert_int_equal(tk_store_list_rows(st, &rows, &count), CKR_OK);
    assert_int_equal(count, 0);
    free(rows);
    tk_store_close(st);
}

static double
tk_t_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
tk_test_locked_by_other(void **state)
{
    tk_t_env *env = *state;
    tk_store *st = tk_t_create(env, 200);
    int64_t id = tk_t_put(st, 0, "before", 6);
    int64_t none = 0;
    uint64_t gen = 0;
    uint32_t n = 0;
    tk_store_row *rows = NULL;
    size_t count = 0;
    sqlite3 *db = NULL;
    double t0;

    assert_int_equal(sqlite3_open(env->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "BEGIN EXCLUSIVE; INSERT INTO objects(gen, private, blob)"
                                      " VALUES (1, 0, x'00');",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    t0 = tk_t_now();
    assert_int_equal(tk_store_put_object(st, NULL, 0, (const uint8_t *)"y", 1, &none, &gen),
                     CKR_DEVICE_ERROR);
    assert_true(tk_t_now() - t0 >= 0.15);
    assert_int_equal(none, 0);
    assert_int_equal(tk_store_pin_failed(st, CKU_USER, &n), CKR_DEVICE_ERROR);
    assert_int_equal(tk_store_delete_object(st, id), CKR_DEVICE_ERROR);
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(db);

    /* Nothing half-written, and the handle works again. */
    assert_int_equal(tk_store_list_rows(st, &rows, &count), CKR_OK);
    assert_int_equal(count, 1);
    assert_int_equal(rows[0].id, id);
    free(rows);
    assert_int_equal(tk_store_pin_failed(st, CKU_USER, &n), CKR_OK);
    assert_int_equal(n, 1);
    tk_t_put(st, 1, "after", 5);
    tk_store_close(st);
}

/* In the child: forget the parent's handle, then use the file afresh. */
static int
tk_t_child(const tk_t_env *env, tk_store *inherited)
{
    tk_store *st = NULL;
    int64_t id = 0;
    uint64_t gen = 0;

    tk_store_abandon(inherited);
    if (tk_store_open(env->path, NULL, &st) != CKR_OK) {
        return 2;
    }
    if (tk_store_put_object(st, NULL, 0, (const uint8_t *)"child", 5, &id, &gen) != CKR_OK) {
        return 3;
    }
    tk_store_close(st);
    return 0;
}

static void
tk_test_fork_abandon(void **state)
{
    tk_t_env *env = *state;
    tk_store *st = tk_t_create(env, 0);
    tk_store_row *rows = NULL;
    size_t count = 0;
    int changed = 0;
    int status = 0;
    pid_t pid;

    tk_t_put(st, 1, "parent", 6);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        _exit(tk_t_child(env, st));
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);

    assert_int_equal(tk_store_changed(st, &changed), CKR_OK);
    assert_int_equal(changed, 1);
    assert_int_equal(tk_store_list_rows(st, &rows, &count), CKR_OK);
    assert_int_equal(count, 2);
    free(rows);
    tk_t_put(st, 1, "parent again", 12);
    tk_store_close(st);
    /* Reopening runs the integrity check. */
    assert_int_equal(tk_store_open(env->path, NULL, &st), CKR_OK);
    tk_store_close(st);
}

#define TK_T(f) cmocka_unit_test_setup_teardown(f, tk_t_setup, tk_t_teardown)

int
main(void)
{
    const struct CMUnitTest tests[] = {
        TK_T(tk_test_no_plaintext_on_disk),
        TK_T(tk_test_file_modes),
        TK_T(tk_test_not_sqlite),
        TK_T(tk_test_foreign_sqlite),
        TK_T(tk_test_truncated),
        TK_T(tk_test_damaged_page),
        TK_T(tk_test_planted_trigger_ignored),
        TK_T(tk_test_locked_by_other),
        TK_T(tk_test_fork_abandon),
    };

    tk_t_log_from_env();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
