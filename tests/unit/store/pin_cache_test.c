/*
 * The login cache (src/store/pin_cache.c) and its use by
 * tk_store_pin_unwrap(): hits only for the same record and PIN, the
 * record still decides, fixed size, wiped at stop, start, PIN change and
 * fork.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "store/pin_cache.h"
#include "store/store.h"
#include "store_test_util.h"

static const tk_kdf_params tk_t_kdf = {256, 1, 1}; /* cheap: tests only */
static const uint8_t tk_t_pin[] = "123456";

static int
tk_t_cache_setup(void **state)
{
    tk_store_pin_cache_start();
    return tk_t_setup(state);
}

static int
tk_t_cache_teardown(void **state)
{
    tk_store_pin_cache_stop();
    return tk_t_teardown(state);
}

static void
tk_t_wrap(tk_pin_record *rec)
{
    assert_int_equal(tk_store_pin_wrap(&tk_t_kdf, tk_t_pin, 6, tk_t_key(0), rec), CKR_OK);
}

/* A record with a made-up salt, for table tests that need no Argon2. */
static void
tk_t_fake_record(tk_pin_record *rec, uint8_t seed)
{
    memset(rec, 0, sizeof(*rec));
    rec->present = 1;
    rec->kdf = tk_t_kdf;
    memset(rec->salt, seed, sizeof(rec->salt));
}

static void
tk_test_off_when_stopped(void **state)
{
    uint8_t tag[TK_PIN_CACHE_TAG_LEN];
    uint8_t kek[TK_PIN_CACHE_KEK_LEN];
    uint8_t out[TK_TOKEN_KEY_LEN];
    tk_pin_record rec;

    (void)state;
    tk_t_wrap(&rec);
    assert_int_equal(tk_store_pin_cache_tag(&rec, tk_t_pin, 6, tag), CKR_FUNCTION_FAILED);
    tk_store_pin_cache_put(&rec, tag, tag);
    assert_int_equal(tk_store_pin_cache_find(&rec, tag, kek), 0);
    assert_int_equal(tk_store_pin_unwrap(&rec, tk_t_pin, 6, 1, out), CKR_OK);
    assert_memory_equal(out, tk_t_key(0), TK_TOKEN_KEY_LEN);
    assert_int_equal(tk_store_pin_cache_count(), 0);
}

static void
tk_test_hit_after_correct_pin_only(void **state)
{
    const uint8_t zero[TK_TOKEN_KEY_LEN] = {0};
    uint8_t tag[TK_PIN_CACHE_TAG_LEN];
    uint8_t kek[TK_PIN_CACHE_KEK_LEN];
    uint8_t out[TK_TOKEN_KEY_LEN];
    tk_pin_record rec;

    (void)state;
    tk_t_wrap(&rec);
    /* A wrong PIN leaves nothing behind. */
    assert_int_equal(tk_store_pin_unwrap(&rec, (const uint8_t *)"654321", 6, 1, out),
                     CKR_PIN_INCORRECT);
    assert_int_equal(tk_store_pin_cache_count(), 0);

    assert_int_equal(tk_store_pin_unwrap(&rec, tk_t_pin, 6, 1, out), CKR_OK);
    assert_int_equal(tk_store_pin_cache_count(), 1);
    assert_int_equal(tk_store_pin_cache_tag(&rec, tk_t_pin, 6, tag), CKR_OK);
    assert_int_equal(tk_store_pin_cache_find(&rec, tag, kek), 1);

    /* Again: the cached key opens the record. */
    memset(out, 0, sizeof(out));
    assert_int_equal(tk_store_pin_unwrap(&rec, tk_t_pin, 6, 1, out), CKR_OK);
    assert_memory_equal(out, tk_t_key(0), TK_TOKEN_KEY_LEN);

    /* A wrong PIN or a PIN that is a prefix of the right one still fails. */
    memset(out, 0xAA, sizeof(out));
    assert_int_equal(tk_store_pin_unwrap(&rec, (const uint8_t *)"123457", 6, 1, out),
                     CKR_PIN_INCORRECT);
    assert_memory_equal(out, zero, sizeof(out));
    assert_int_equal(tk_store_pin_unwrap(&rec, tk_t_pin, 5, 1, out), CKR_PIN_INCORRECT);
    assert_int_equal(tk_store_pin_cache_count(), 1);
}

static void
tk_test_record_decides(void **state)
{
    uint8_t tag[TK_PIN_CACHE_TAG_LEN];
    uint8_t kek[TK_PIN_CACHE_KEK_LEN];
    uint8_t bogus[TK_PIN_CACHE_KEK_LEN];
    uint8_t out[TK_TOKEN_KEY_LEN];
    tk_pin_record rec, bad;

    (void)state;
    tk_t_wrap(&rec);
    assert_int_equal(tk_store_pin_unwrap(&rec, tk_t_pin, 6, 1, out), CKR_OK);

    /* Same salt, changed wrapped key: the open fails, cached or not. */
    bad = rec;
    bad.wrapped[20] ^= 1;
    assert_int_equal(tk_store_pin_unwrap(&bad, tk_t_pin, 6, 1, out), CKR_PIN_INCORRECT);

    /* Same salt, other cost: a different KEK, so no hit. */
    bad = rec;
    bad.kdf.t_cost = 2;
    assert_int_equal(tk_store_pin_cache_tag(&bad, tk_t_pin, 6, tag), CKR_OK);
    assert_int_equal(tk_store_pin_cache_find(&bad, tag, kek), 0);

    /* A wrong key in the cache costs time, never the result. */
    assert_int_equal(tk_store_pin_cache_tag(&rec, tk_t_pin, 6, tag), CKR_OK);
    memset(bogus, 0x5A, sizeof(bogus));
    tk_store_pin_cache_put(&rec, tag, bogus);
    assert_int_equal(tk_store_pin_unwrap(&rec, tk_t_pin, 6, 1, out), CKR_OK);
    assert_memory_equal(out, tk_t_key(0), TK_TOKEN_KEY_LEN);
    assert_int_equal(tk_store_pin_cache_find(&rec, tag, kek), 1);
    assert_memory_not_equal(kek, bogus, sizeof(kek));
}

static void
tk_test_use_cache_zero(void **state)
{
    uint8_t out[TK_TOKEN_KEY_LEN];
    tk_pin_record rec;

    (void)state;
    tk_t_wrap(&rec);
    assert_int_equal(tk_store_pin_unwrap(&rec, tk_t_pin, 6, 0, out), CKR_OK);
    assert_int_equal(tk_store_pin_cache_count(), 0);
}

static void
tk_test_table_bounded_and_forget(void **state)
{
    uint8_t tag[TK_PIN_CACHE_TAG_LEN];
    uint8_t kek[TK_PIN_CACHE_KEK_LEN];
    tk_pin_record rec;

    (void)state;
    memset(tag, 7, sizeof(tag));
    memset(kek, 9, sizeof(kek));
    for (uint8_t i = 1; i <= TK_PIN_CACHE_ENTRIES + 1; i++) {
        tk_t_fake_record(&rec, i);
        tk_store_pin_cache_put(&rec, tag, kek);
    }
    assert_int_equal(tk_store_pin_cache_count(), TK_PIN_CACHE_ENTRIES);
    /* The oldest went. */
    tk_t_fake_record(&rec, 1);
    assert_int_equal(tk_store_pin_cache_find(&rec, tag, kek), 0);
    tk_t_fake_record(&rec, 2);
    assert_int_equal(tk_store_pin_cache_find(&rec, tag, kek), 1);

    /* Storing the same record again replaces its entry. */
    tk_store_pin_cache_put(&rec, tag, kek);
    assert_int_equal(tk_store_pin_cache_count(), TK_PIN_CACHE_ENTRIES);

    tk_store_pin_cache_forget(rec.salt);
    assert_int_equal(tk_store_pin_cache_count(), TK_PIN_CACHE_ENTRIES - 1);
    assert_int_equal(tk_store_pin_cache_find(&rec, tag, kek), 0);
    tk_t_fake_record(&rec, 3);
    assert_int_equal(tk_store_pin_cache_find(&rec, tag, kek), 1);
}

static void
tk_test_restart_forgets(void **state)
{
    uint8_t tag[TK_PIN_CACHE_TAG_LEN];
    uint8_t tag2[TK_PIN_CACHE_TAG_LEN];
    uint8_t kek[TK_PIN_CACHE_KEK_LEN];
    tk_pin_record rec;

    (void)state;
    tk_t_fake_record(&rec, 1);
    assert_int_equal(tk_store_pin_cache_tag(&rec, tk_t_pin, 6, tag), CKR_OK);
    tk_store_pin_cache_put(&rec, tag, tag);
    tk_store_pin_cache_stop();
    assert_int_equal(tk_store_pin_cache_count(), 0);
    tk_store_pin_cache_start();
    assert_int_equal(tk_store_pin_cache_count(), 0);
    /* A fresh secret: the same PIN and salt give another tag. */
    assert_int_equal(tk_store_pin_cache_tag(&rec, tk_t_pin, 6, tag2), CKR_OK);
    assert_memory_not_equal(tag, tag2, sizeof(tag));
    assert_int_equal(tk_store_pin_cache_find(&rec, tag, kek), 0);
}

static void
tk_test_set_pin_drops_old_record(void **state)
{
    tk_t_env *env = *state;
    tk_store *st = tk_t_create(env, 0);
    tk_token_record rec;
    tk_pin_record next;
    uint8_t out[TK_TOKEN_KEY_LEN];

    assert_int_equal(tk_store_read_token(st, &rec), CKR_OK);
    tk_t_wrap(&rec.user_pin);
    assert_int_equal(tk_store_set_pin(st, CKU_USER, &rec.user_pin), CKR_OK);
    assert_int_equal(tk_store_pin_unwrap(&rec.user_pin, tk_t_pin, 6, 1, out), CKR_OK);
    assert_int_equal(tk_store_pin_cache_count(), 1);

    /* Rewriting the token as it is (a label change) keeps the entry. */
    assert_int_equal(tk_store_write_token(st, &rec), CKR_OK);
    assert_int_equal(tk_store_pin_cache_count(), 1);

    /* Another user's record does not touch it. */
    tk_t_wrap(&next);
    assert_int_equal(tk_store_set_pin(st, CKU_SO, &next), CKR_OK);
    assert_int_equal(tk_store_pin_cache_count(), 1);

    tk_t_wrap(&next);
    assert_int_equal(tk_store_set_pin(st, CKU_USER, &next), CKR_OK);
    assert_int_equal(tk_store_pin_cache_count(), 0);
    tk_store_close(st);
}

static void
tk_test_fork_child_starts_empty(void **state)
{
    uint8_t out[TK_TOKEN_KEY_LEN];
    tk_pin_record rec;
    pid_t pid;
    int status = 0;

    (void)state;
    tk_t_wrap(&rec);
    assert_int_equal(tk_store_pin_unwrap(&rec, tk_t_pin, 6, 1, out), CKR_OK);
    assert_int_equal(tk_store_pin_cache_count(), 1);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        _exit(tk_store_pin_cache_count() == 0 ? 0 : 1);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_int_equal(tk_store_pin_cache_count(), 1);
}

#define TK_T(f) cmocka_unit_test_setup_teardown(f, tk_t_cache_setup, tk_t_cache_teardown)

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tk_test_off_when_stopped),
        TK_T(tk_test_hit_after_correct_pin_only),
        TK_T(tk_test_record_decides),
        TK_T(tk_test_use_cache_zero),
        TK_T(tk_test_table_bounded_and_forget),
        TK_T(tk_test_restart_forgets),
        TK_T(tk_test_set_pin_drops_old_record),
        TK_T(tk_test_fork_child_starts_empty),
    };

    tk_t_log_from_env();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
