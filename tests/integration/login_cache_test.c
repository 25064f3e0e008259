/*
 * The login cache through the module's function list: a second login with
 * the same PIN skips Argon2id, while wrong PINs, PIN changes (in this
 * process or another) and `login_cache = false` behave exactly as without
 * it. The Argon2id cost here is high enough (64 MiB, 3 passes) that a
 * derivation is plainly slower than a cached login; the timing asserts
 * leave a wide margin, because a derived login also commits the failure
 * counter twice, which a busy disk can make slow (a cached one writes
 * nothing unless earlier failures need forgiving).
 *
 * Also here: a login on a token whose public objects are loaded reads
 * only the private rows, and still sees private objects another process
 * made meanwhile.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "harness.h"

#define PIN(s) (CK_UTF8CHAR_PTR)(s), strlen(s)

#define SLOW_KDF "kdf_memory_kib = 65536\nkdf_passes = 3\nmax_pin_attempts = 5\n"

static int
setup(void **state)
{
    (void)state;
    th_setup(SLOW_KDF);
    return 0;
}

static int
setup_off(void **state)
{
    (void)state;
    th_setup(SLOW_KDF "login_cache = false\n");
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    th_teardown();
    return 0;
}

static double
now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* C_Login as user with pin, then C_Logout; the login's time in ms. */
static double
timed_login(CK_SESSION_HANDLE s, const char *pin)
{
    double t0 = now_ms();
    double t;

    assert_int_equal(th.f->C_Login(s, CKU_USER, PIN(pin)), CKR_OK);
    t = now_ms() - t0;
    assert_int_equal(th.f->C_Logout(s), CKR_OK);
    return t;
}

/*
 * On a new token with a session in s: the first user login's time, and in
 * *later the fastest of three more (one slow disk write must not decide).
 */
static double
first_and_later(const char *label, CK_SESSION_HANDLE *s, double *later)
{
    double first;

    *s = th_open(th_make_token(label), 1);
    first = timed_login(*s, TH_USER_PIN);
    *later = timed_login(*s, TH_USER_PIN);
    for (int i = 0; i < 2; i++) {
        double t = timed_login(*s, TH_USER_PIN);
        *later = t < *later ? t : *later;
    }
    print_message("%s: first login %.1f ms, later %.2f ms\n", label, first, *later);
    return first;
}

static void
test_second_login_is_fast(void **state)
{
    CK_SESSION_HANDLE s;
    double fast;
    double slow = first_and_later("cached", &s, &fast);

    (void)state;
    assert_true(fast * 2 < slow);
}

static void
test_wrong_pin_still_counted(void **state)
{
    CK_SLOT_ID slot = th_make_token("wrong");
    CK_SESSION_HANDLE s = th_open(slot, 1);

    (void)state;
    timed_login(s, TH_USER_PIN);
    assert_false(th_token_flags(slot) & CKF_USER_PIN_COUNT_LOW);
    assert_int_equal(th.f->C_Login(s, CKU_USER, PIN("not-the-pin")), CKR_PIN_INCORRECT);
    assert_true(th_token_flags(slot) & CKF_USER_PIN_COUNT_LOW);
    /* A prefix of the right PIN is a wrong PIN too. */
    assert_int_equal(th.f->C_Login(s, CKU_USER, PIN("user-secre")), CKR_PIN_INCORRECT);
    assert_int_equal(th.f->C_Login(s, CKU_USER, PIN(TH_USER_PIN)), CKR_OK);
    assert_false(th_token_flags(slot) & CKF_USER_PIN_COUNT_LOW);
    assert_int_equal(th.f->C_Logout(s), CKR_OK);

    /* Guesses after a cached login still lock the PIN. */
    for (int i = 0; i < 5; i++) {
        assert_int_equal(th.f->C_Login(s, CKU_USER, PIN("guess")), CKR_PIN_INCORRECT);
    }
    assert_true(th_token_flags(slot) & CKF_USER_PIN_LOCKED);
    assert_int_equal(th.f->C_Login(s, CKU_USER, PIN(TH_USER_PIN)), CKR_PIN_LOCKED);
}

static void
test_pin_changes(void **state)
{
    CK_SLOT_ID slot = th_make_token("change");
    CK_SESSION_HANDLE s = th_open(slot, 1);

    (void)state;
    timed_login(s, TH_USER_PIN);

    /* C_SetPIN: the old PIN stops working at once. */
    assert_int_equal(th.f->C_Login(s, CKU_USER, PIN(TH_USER_PIN)), CKR_OK);
    assert_int_equal(th.f->C_SetPIN(s, PIN(TH_USER_PIN), PIN("second-pin")), CKR_OK);
    assert_int_equal(th.f->C_Logout(s), CKR_OK);
    assert_int_equal(th.f->C_Login(s, CKU_USER, PIN(TH_USER_PIN)), CKR_PIN_INCORRECT);
    timed_login(s, "second-pin");
    timed_login(s, "second-pin");

    /* The SO's C_InitPIN replaces the user PIN as well. */
    assert_int_equal(th.f->C_Login(s, CKU_SO, PIN(TH_SO_PIN)), CKR_OK);
    assert_int_equal(th.f->C_InitPIN(s, PIN("third-pin")), CKR_OK);
    assert_int_equal(th.f->C_Logout(s), CKR_OK);
    assert_int_equal(th.f->C_Login(s, CKU_USER, PIN("second-pin")), CKR_PIN_INCORRECT);
    timed_login(s, "third-pin");
}

/* In a forked child: a fresh library that changes the user PIN. Plain
 * exit codes, no cmocka: the child must not return into the parent's
 * test runner. */
static int
child_set_pin(CK_SLOT_ID slot, const char *old_pin, const char *new_pin)
{
    CK_SESSION_HANDLE s;

    if (th.f->C_Initialize(NULL) != CKR_OK ||
        th.f->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &s) !=
            CKR_OK ||
        th.f->C_Login(s, CKU_USER, PIN(old_pin)) != CKR_OK ||
        th.f->C_SetPIN(s, PIN(old_pin), PIN(new_pin)) != CKR_OK) {
        return 1;
    }
    return th.f->C_Finalize(NULL) == CKR_OK ? 0 : 1;
}

static void
test_other_process_changes_pin(void **state)
{
    CK_SLOT_ID slot = th_make_token("twoproc");
    CK_SESSION_HANDLE s = th_open(slot, 1);
    int status = 0;
    pid_t pid;

    (void)state;
    timed_login(s, TH_USER_PIN);
    timed_login(s, TH_USER_PIN);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        _exit(child_set_pin(slot, TH_USER_PIN, "child-pin"));
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);

    assert_int_equal(th.f->C_Login(s, CKU_USER, PIN(TH_USER_PIN)), CKR_PIN_INCORRECT);
    assert_true(th_token_flags(slot) & CKF_USER_PIN_COUNT_LOW);
    timed_login(s, "child-pin");
}

/* In a forked child: a fresh library that adds a private and a public
 * token object. */
static int
child_add_objects(CK_SLOT_ID slot)
{
    CK_SESSION_HANDLE s;
    CK_RV rv = CKR_OK;

    if (th.f->C_Initialize(NULL) != CKR_OK ||
        th.f->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &s) !=
            CKR_OK ||
        th.f->C_Login(s, CKU_USER, PIN(TH_USER_PIN)) != CKR_OK) {
        return 1;
    }
    th_data_object(s, "child-private", "b", CK_TRUE, CK_TRUE, &rv);
    if (rv == CKR_OK) {
        th_data_object(s, "child-public", "c", CK_TRUE, CK_FALSE, &rv);
    }
    return rv == CKR_OK && th.f->C_Finalize(NULL) == CKR_OK ? 0 : 1;
}

static void
test_login_reads_private_rows(void **state)
{
    CK_SLOT_ID slot = th_make_token("private");
    CK_SESSION_HANDLE s = th_open(slot, 1);
    CK_RV rv = CKR_OK;
    int status = 0;
    pid_t pid;

    (void)state;
    assert_int_equal(th.f->C_Login(s, CKU_USER, PIN(TH_USER_PIN)), CKR_OK);
    th_data_object(s, "mine-private", "a", CK_TRUE, CK_TRUE, &rv);
    assert_int_equal(rv, CKR_OK);
    th_data_object(s, "mine-public", "a", CK_TRUE, CK_FALSE, &rv);
    assert_int_equal(rv, CKR_OK);
    assert_int_equal(th.f->C_Logout(s), CKR_OK);
    assert_int_equal(th_count_label(s, "mine-private"), 0);
    assert_int_equal(th_count_label(s, "mine-public"), 1);

    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        _exit(child_add_objects(slot));
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);

    /* Cached login: only private rows are read, the others' and ours. */
    assert_int_equal(th.f->C_Login(s, CKU_USER, PIN(TH_USER_PIN)), CKR_OK);
    assert_int_equal(th_count_label(s, "mine-private"), 1);
    assert_int_equal(th_count_label(s, "child-private"), 1);
    assert_int_equal(th_count_label(s, "child-public"), 1);
    assert_int_equal(th_count_label(s, "mine-public"), 1);
    assert_int_equal(th.f->C_Logout(s), CKR_OK);
    assert_int_equal(th_count_label(s, "child-private"), 0);
    assert_int_equal(th_count_label(s, "child-public"), 1);
}

static void
test_cache_off(void **state)
{
    CK_SESSION_HANDLE s;
    CK_SESSION_INFO si;
    double again;
    double first = first_and_later("uncached", &s, &again);

    (void)state;
    /* Every login derives: no order of magnitude between them. */
    assert_true(again * 4 > first);

    assert_int_equal(th.f->C_GetSessionInfo(s, &si), CKR_OK);
    assert_int_equal(th.f->C_Login(s, CKU_USER, PIN("not-the-pin")), CKR_PIN_INCORRECT);
    assert_true(th_token_flags(si.slotID) & CKF_USER_PIN_COUNT_LOW);
    assert_int_equal(th.f->C_Login(s, CKU_USER, PIN(TH_USER_PIN)), CKR_OK);
    assert_int_equal(th.f->C_SetPIN(s, PIN(TH_USER_PIN), PIN("second-pin")), CKR_OK);
    assert_int_equal(th.f->C_Logout(s), CKR_OK);
    assert_int_equal(th.f->C_Login(s, CKU_USER, PIN(TH_USER_PIN)), CKR_PIN_INCORRECT);
    timed_login(s, "second-pin");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_second_login_is_fast, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_pin_still_counted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pin_changes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_other_process_changes_pin, setup, teardown),
        cmocka_unit_test_setup_teardown(test_login_reads_private_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cache_off, setup_off, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
