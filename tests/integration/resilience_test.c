/*
 * What must hold when things go wrong or get copied: secrets at rest, a
 * forked child, corrupt, truncated, foreign and locked database files.
 */
#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "harness.h"

#define PIN(s) (CK_UTF8CHAR_PTR)(s), strlen(s)

static int
setup(void **state)
{
    (void)state;
    th_setup("busy_timeout_ms = 300\n");
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    th_teardown();
    return 0;
}

/* Path of the one token database in the token directory. */
static void
token_db_path(char *out, size_t size)
{
    DIR *d = opendir(th.token_dir);
    struct dirent *e;

    out[0] = '\0';
    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n > 3 && strcmp(e->d_name + n - 3, ".db") == 0) {
            snprintf(out, size, "%s/%s", th.token_dir, e->d_name);
        }
    }
    closedir(d);
    assert_true(out[0] != '\0');
}

static int
any_token_file_contains(const char *needle)
{
    DIR *d = opendir(th.token_dir);
    struct dirent *e;
    char path[PATH_MAX];
    int found = 0;

    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') {
            continue;
        }
        snprintf(path, sizeof(path), "%s/%s", th.token_dir, e->d_name);
        found |= th_file_contains(path, needle, strlen(needle));
    }
    closedir(d);
    return found;
}

static void
test_private_sealed_at_rest(void **state)
{
    CK_SLOT_ID slot = th_make_token("atrest");
    CK_SESSION_HANDLE s = th_open(slot, 1);
    const char *secret = "TOP-SECRET-c0ffee-5eed-7a7a-private-object-value";
    const char *pub = "PLAIN-public-object-value-visible-on-disk";
    CK_RV rv;

    (void)state;
    assert_int_equal(th.f->C_Login(s, CKU_USER, PIN(TH_USER_PIN)), CKR_OK);
    th_data_object(s, "secret", secret, CK_TRUE, CK_TRUE, &rv);
    assert_int_equal(rv, CKR_OK);
    th_data_object(s, "public", pub, CK_TRUE, CK_FALSE, &rv);
    assert_int_equal(rv, CKR_OK);
    /* Before and after a checkpoint: neither the WAL nor the main file. */
    assert_false(any_token_file_contains(secret));
    assert_false(any_token_file_contains("secret-label-never"));
    assert_int_equal(th.f->C_Finalize(NULL), CKR_OK);
    assert_false(any_token_file_contains(secret));
    /* The public object is stored in clear, which shows the probe works. */
    assert_true(any_token_file_contains(pub));
    assert_false(any_token_file_contains(TH_USER_PIN));
    assert_false(any_token_file_contains(TH_SO_PIN));
}

static void
test_fork_child_reinitializes(void **state)
{
    CK_SLOT_ID slot = th_make_token("fork");
    CK_SESSION_HANDLE s = th_open(slot, 1);
    CK_SESSION_INFO si;
    CK_INFO info;
    CK_RV rv;
    pid_t pid;
    int status = 0;

    (void)state;
    assert_int_equal(th.f->C_Login(s, CKU_USER, PIN(TH_USER_PIN)), CKR_OK);
    th_data_object(s, "before-fork", "v", CK_TRUE, CK_TRUE, &rv);
    assert_int_equal(rv, CKR_OK);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int bad = 0;
        CK_SESSION_HANDLE cs;
        bad |= th.f->C_GetInfo(&info) != CKR_CRYPTOKI_NOT_INITIALIZED;
        bad |= th.f->C_GetSessionInfo(s, &si) != CKR_CRYPTOKI_NOT_INITIALIZED;
        bad |= th.f->C_Initialize(NULL) != CKR_OK;
        bad |= th.f->C_OpenSession(slot, CKF_SERIAL_SESSION, NULL, NULL, &cs) != CKR_OK;
        bad |= th.f->C_GetSessionInfo(cs, &si) != CKR_OK || si.state != CKS_RO_PUBLIC_SESSION;
        /* Fresh state: private objects hidden until the child logs in. */
        bad |= th_count_label(cs, "before-fork") != 0;
        bad |= th.f->C_Login(cs, CKU_USER, PIN(TH_USER_PIN)) != CKR_OK;
        bad |= th_count_label(cs, "before-fork") != 1;
        bad |= th.f->C_Finalize(NULL) != CKR_OK;
        _exit(bad ? 1 : 0);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    /* The parent's session and login are untouched. */
    assert_int_equal(th.f->C_GetSessionInfo(s, &si), CKR_OK);
    assert_int_equal(si.state, CKS_RW_USER_FUNCTIONS);
    assert_int_equal(th_count_label(s, "before-fork"), 1);
    th_data_object(s, "after-fork", "v", CK_TRUE, CK_FALSE, &rv);
    assert_int_equal(rv, CKR_OK);
}

static void
write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");

    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
}

/* Every slot answers; slots whose database is bad report so. */
static void
check_bad_token_slot(CK_RV expect)
{
    CK_SLOT_ID slots[16];
    CK_ULONG n = 16;
    CK_TOKEN_INFO ti;
    CK_SESSION_HANDLE s;
    int bad = 0;

    assert_int_equal(th.f->C_GetSlotList(CK_TRUE, slots, &n), CKR_OK);
    for (CK_ULONG i = 0; i < n; i++) {
        CK_RV rv = th.f->C_GetTokenInfo(slots[i], &ti);
        if (rv != CKR_OK) {
            assert_int_equal(rv, expect);
            assert_int_equal(th.f->C_OpenSession(slots[i], CKF_SERIAL_SESSION, NULL, NULL, &s),
                             expect);
            bad++;
        }
    }
    assert_int_equal(bad, 1);
}

static void
test_garbage_database(void **state)
{
    char path[PATH_MAX];
    char junk[4096];

    (void)state;
    th_init_and_empty_slot();
    assert_int_equal(th.f->C_Finalize(NULL), CKR_OK);
    for (size_t i = 0; i < sizeof(junk); i++) {
        junk[i] = (char)(i * 131 + 7);
    }
    snprintf(path, sizeof(path), "%s/token-00000000deadbeef.db", th.token_dir);
    write_file(path, junk, sizeof(junk));
    assert_int_equal(th.f->C_Initialize(NULL), CKR_OK);
    check_bad_token_slot(CKR_TOKEN_NOT_RECOGNIZED);
}

static void
test_truncated_database(void **state)
{
    char path[PATH_MAX];
    CK_SLOT_ID slot = th_make_token("truncate");
    CK_SESSION_HANDLE s = th_open(slot, 1);
    CK_RV rv;

    (void)state;
    for (int i = 0; i < 40; i++) {
        th_data_object(s, "filler", "some filler value to grow the file", CK_TRUE, CK_FALSE,
                       &rv);
        assert_int_equal(rv, CKR_OK);
    }
    assert_int_equal(th.f->C_Finalize(NULL), CKR_OK);
    token_db_path(path, sizeof(path));
    assert_int_equal(truncate(path, 1500), 0);
    assert_int_equal(th.f->C_Initialize(NULL), CKR_OK);
    check_bad_token_slot(CKR_TOKEN_NOT_RECOGNIZED);
}

static void
test_foreign_sqlite_database(void **state)
{
    char path[PATH_MAX];
    char cmd[PATH_MAX * 2];

    (void)state;
    th_init_and_empty_slot();
    assert_int_equal(th.f->C_Finalize(NULL), CKR_OK);
    snprintf(path, sizeof(path), "%s/token-00000000cafecafe.db", th.token_dir);
    snprintf(cmd, sizeof(cmd), "sqlite3 '%s' 'CREATE TABLE t(x); INSERT INTO t VALUES(1);'",
             path);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(th.f->C_Initialize(NULL), CKR_OK);
    check_bad_token_slot(CKR_TOKEN_NOT_RECOGNIZED);
}

static void
test_locked_database(void **state)
{
    char path[PATH_MAX];
    CK_SLOT_ID slot = th_make_token("locked");
    CK_SESSION_HANDLE s = th_open(slot, 1);
    int to_child[2];
    int from_child[2];
    char c = 0;
    pid_t pid;
    CK_RV rv;

    (void)state;
    th_data_object(s, "kept", "v", CK_TRUE, CK_FALSE, &rv);
    assert_int_equal(rv, CKR_OK);
    token_db_path(path, sizeof(path));
    assert_int_equal(pipe(to_child), 0);
    assert_int_equal(pipe(from_child), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* Hold an exclusive lock until told to let go. */
        dup2(to_child[0], 0);
        dup2(from_child[1], 1);
        execlp("sqlite3", "sqlite3", path, NULL);
        _exit(127);
    }
    close(to_child[0]);
    close(from_child[1]);
    {
        const char *sql = "BEGIN EXCLUSIVE;\nSELECT 'held';\n";
        char got[8];
        assert_int_equal(write(to_child[1], sql, strlen(sql)), (ssize_t)strlen(sql));
        assert_int_equal(read(from_child[0], got, 5), 5);
    }
    /* Waited for (busy_timeout_ms), then reported; never corrupted. */
    th_data_object(s, "while-locked", "v", CK_TRUE, CK_FALSE, &rv);
    assert_int_equal(rv, CKR_DEVICE_ERROR);
    assert_int_equal(write(to_child[1], "ROLLBACK;\n.quit\n", 16), 16);
    close(to_child[1]);
    (void)c;
    waitpid(pid, NULL, 0);
    close(from_child[0]);
    th_data_object(s, "after-lock", "v", CK_TRUE, CK_FALSE, &rv);
    assert_int_equal(rv, CKR_OK);
    assert_int_equal(th_count_label(s, "kept"), 1);
    assert_int_equal(th_count_label(s, "while-locked"), 0);
    assert_int_equal(th_count_label(s, "after-lock"), 1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_private_sealed_at_rest, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fork_child_reinitializes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_garbage_database, setup, teardown),
        cmocka_unit_test_setup_teardown(test_truncated_database, setup, teardown),
        cmocka_unit_test_setup_teardown(test_foreign_sqlite_database, setup, teardown),
        cmocka_unit_test_setup_teardown(test_locked_database, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
