/*
 * Reproducers found by hostile testing: a token whose database file the
 * module may read but not write (chmod 0400, read-only media).
 *
 * - The retry limit must hold: docs/CONFIG.md, max_pin_attempts ("Consecutive
 *   wrong PINs after which the PIN is locked"); with the failure count not
 *   writable, wrong PINs must not become an unlimited guessing oracle that
 *   ends with the right PIN logging in ([PKCS11 3.2] §5.6.6 C_Login,
 *   CKR_PIN_LOCKED; CKF_USER_PIN_LOCKED in CK_TOKEN_INFO).
 * - A token that cannot be written is write-protected: CK_TOKEN_INFO has
 *   CKF_WRITE_PROTECTED, and creating a token object returns
 *   CKR_TOKEN_WRITE_PROTECTED ([PKCS11 3.2] §3.2 CK_TOKEN_INFO flags, §5.1
 *   "CKR_TOKEN_WRITE_PROTECTED: The requested action could not be performed
 *   because the token is write-protected").
 *
 * File permissions do not bind root, so when run as root each case drops to
 * the nobody user in a child process first.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <dirent.h>
#include <unistd.h>

#include <cmocka.h>

#include "harness.h"

#define PIN(s) (CK_UTF8CHAR_PTR)(s), strlen(s)
#define TRIAL_SKIP 77

typedef int (*trial_case)(void);

/* Make every file in the token directory read-only for its owner. */
static void
make_files_read_only(void)
{
    DIR *d = opendir(th.token_dir);
    struct dirent *e;
    char path[1024];

    if (d == NULL) {
        _exit(4);
    }
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') {
            continue;
        }
        snprintf(path, sizeof(path), "%s/%s", th.token_dir, e->d_name);
        chmod(path, 0400);
    }
    closedir(d);
}

/* A token with a private object, then the library finalized and the
 * database made read-only, then the library initialised again. */
static CK_SLOT_ID
read_only_token(void)
{
    CK_SLOT_ID slot = th_make_token("readonly");
    CK_SESSION_HANDLE s = th_open(slot, 1);
    CK_RV rv;

    if (th.f->C_Login(s, CKU_USER, PIN(TH_USER_PIN)) != CKR_OK) {
        _exit(5);
    }
    th_data_object(s, "kept", "v", CK_TRUE, CK_TRUE, &rv);
    if (rv == CKR_OK) {
        th_data_object(s, "kept-public", "v", CK_TRUE, CK_FALSE, &rv);
    }
    if (rv != CKR_OK || th.f->C_Finalize(NULL) != CKR_OK) {
        _exit(5);
    }
    make_files_read_only();
    if (th.f->C_Initialize(NULL) != CKR_OK) {
        _exit(5);
    }
    return slot;
}

static int
case_retry_limit(void)
{
    CK_SLOT_ID slot = read_only_token();
    CK_SESSION_HANDLE s;
    CK_RV rv;

    if (th.f->C_OpenSession(slot, CKF_SERIAL_SESSION, NULL, NULL, &s) != CKR_OK) {
        return 6;
    }
    /* max_pin_attempts = 3; five wrong PINs. */
    for (int i = 0; i < 5; i++) {
        rv = th.f->C_Login(s, CKU_USER, PIN("wrong-pin"));
        if (rv == CKR_OK) {
            return 7;
        }
    }
    rv = th.f->C_Login(s, CKU_USER, PIN(TH_USER_PIN));
    fprintf(stderr, "right PIN after 5 wrong ones (limit 3): rv 0x%lx\n", rv);
    return rv == CKR_OK ? 1 : 0;
}

static int
case_write_protected(void)
{
    CK_SLOT_ID slot = read_only_token();
    CK_SESSION_HANDLE s;
    CK_RV rv;
    int bad = 0;

    if (!(th_token_flags(slot) & CKF_WRITE_PROTECTED)) {
        fprintf(stderr, "CKF_WRITE_PROTECTED is not set\n");
        bad = 1;
    }
    /* [PKCS11 3.2 §5.6]: no read-write session on a write-protected token. */
    rv = th.f->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &s);
    if (rv != CKR_TOKEN_WRITE_PROTECTED) {
        fprintf(stderr, "read-write C_OpenSession on the read-only token: rv 0x%lx\n", rv);
        bad = 1;
    }
    /* Reading keeps working: the public object is found, session objects
     * can be made. A PIN cannot be checked, since a failure could not be
     * counted; see case_retry_limit. */
    if (th.f->C_OpenSession(slot, CKF_SERIAL_SESSION, NULL, NULL, &s) != CKR_OK) {
        return 6;
    }
    if (th_count_label(s, "kept-public") != 1) {
        fprintf(stderr, "the stored public object cannot be found\n");
        bad = 1;
    }
    th_data_object(s, "session", "v", CK_FALSE, CK_FALSE, &rv);
    if (rv != CKR_OK) {
        fprintf(stderr, "a session object on the read-only token: rv 0x%lx\n", rv);
        bad = 1;
    }
    return bad;
}

static void
run_case(trial_case fn)
{
    pid_t pid;
    int status = 0;

    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        const char *mod = getenv("TK_MODULE");

        signal(SIGSEGV, SIG_DFL);
        signal(SIGBUS, SIG_DFL);
        signal(SIGABRT, SIG_DFL);
        alarm(120);
        if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0)) {
            _exit(TRIAL_SKIP);
        }
        if (mod == NULL || access(mod, R_OK) != 0) {
            _exit(TRIAL_SKIP);
        }
        th_setup("max_pin_attempts = 3\n");
        {
            int r = fn();
            th_teardown();
            _exit(r);
        }
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (WIFSIGNALED(status)) {
        fail_msg("the module crashed with signal %d", WTERMSIG(status));
    }
    assert_true(WIFEXITED(status));
    if (WEXITSTATUS(status) == TRIAL_SKIP) {
        skip();
    }
    assert_int_equal(WEXITSTATUS(status), 0);
}

static void
test_retry_limit_holds_when_count_cannot_be_stored(void **state)
{
    (void)state;
    run_case(case_retry_limit);
}

static void
test_read_only_token_is_write_protected(void **state)
{
    (void)state;
    run_case(case_write_protected);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_retry_limit_holds_when_count_cannot_be_stored),
        cmocka_unit_test(test_read_only_token_is_write_protected),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
