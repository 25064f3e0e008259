/*
 * Reproducer found by hostile testing: docs/CONFIG.md gives token_dir the
 * range "absolute path" ("Values are taken literally ... so paths must be
 * absolute") and promises that "a value out of range is logged as a warning
 * and the default is kept". A relative token_dir is accepted instead and
 * resolved against the application's working directory, so two applications
 * started in different directories see different tokens.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <dirent.h>
#include <unistd.h>

#include <cmocka.h>

#include "harness.h"

#define PIN(s) (CK_UTF8CHAR_PTR)(s), strlen(s)

static char old_cwd[PATH_MAX];
static char xdg[600];
static char cwd[600];

static int
setup(void **state)
{
    (void)state;
    /* The later token_dir line wins over the harness's absolute one. */
    th_setup("token_dir = relative-tokens\n");
    snprintf(xdg, sizeof(xdg), "%s/xdg", th.dir);
    snprintf(cwd, sizeof(cwd), "%s/cwd", th.dir);
    if (mkdir(xdg, 0700) != 0 || mkdir(cwd, 0700) != 0 ||
        getcwd(old_cwd, sizeof(old_cwd)) == NULL || chdir(cwd) != 0) {
        return -1;
    }
    setenv("XDG_DATA_HOME", xdg, 1);
    return 0;
}

static int
teardown(void **state)
{
    char rel[700];

    (void)state;
    snprintf(rel, sizeof(rel), "rm -rf '%s/relative-tokens'", cwd);
    if (system(rel) != 0) {
        /* best effort */
    }
    if (chdir(old_cwd) != 0) {
        return -1;
    }
    unsetenv("XDG_DATA_HOME");
    th_teardown();
    return 0;
}

static int
dir_has_db(const char *path)
{
    DIR *d = opendir(path);
    struct dirent *e;
    int found = 0;

    if (d == NULL) {
        return 0;
    }
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n > 3 && strcmp(e->d_name + n - 3, ".db") == 0) {
            found = 1;
        }
    }
    closedir(d);
    return found;
}

static void
test_relative_token_dir_is_refused(void **state)
{
    CK_SLOT_ID slot;
    char def[700];
    struct stat st;

    (void)state;
    slot = th_make_token("relative");
    (void)slot;
    assert_int_equal(th.f->C_Finalize(NULL), CKR_OK);
    /* Nothing was created relative to the working directory ... */
    assert_int_not_equal(stat("relative-tokens", &st), 0);
    /* ... and the token went where the last valid token_dir line (the
     * harness's absolute one, written before ours) points. */
    snprintf(def, sizeof(def), "%s", th.token_dir);
    assert_true(dir_has_db(def));
    assert_int_equal(th.f->C_Initialize(NULL), CKR_OK);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_relative_token_dir_is_refused, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
