/*
 * The store's behaviour through its interface: token records, objects,
 * sealing, PIN records and counters, change detection.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "store/store.h"
#include "store/store_internal.h" /* st->db, to inject SQLite failures */
#include "store_test_util.h"

static const tk_kdf_params tk_t_kdf = {256, 1, 1}; /* cheap: tests only */

static void
tk_test_create_open_close(void **state)
{
    tk_t_env *env = *state;
    tk_token_record rec, got;
    tk_store *st = tk_t_create(env, 0);
    tk_store *again = NULL;

    tk_store_close(st);
    tk_store_close(NULL);
    assert_int_equal(tk_store_open(env->path, NULL, &st), CKR_OK);
    assert_int_equal(tk_store_read_token(st, &got), CKR_OK);
    tk_t_record(&rec, "test", 1);
    assert_memory_equal(&got, &rec, sizeof(rec));
    /* The file exists now: create refuses and leaves it alone. */
    assert_int_equal(tk_store_create(env->path, NULL, &rec, &again), CKR_DEVICE_ERROR);
    assert_null(again);
    assert_int_equal(tk_store_read_token(st, &got), CKR_OK);
    tk_store_close(st);
    assert_int_equal(tk_store_open(tk_t_sibling(env, ".missing"), NULL, &st),
                     CKR_DEVICE_ERROR);
}

static void
tk_test_token_round_trip(void **state)
{
    tk_t_env *env = *state;
    tk_store *st = tk_t_create(env, 0);
    tk_token_record rec, got;

    tk_t_record(&rec, "renamed token", 5);
    rec.so_failures = 2;
    rec.user_failures = 7;
    rec.user_pin = rec.so_pin;
    rec.user_pin.kdf.t_cost = 3;
    rec.user_pin.salt[0] ^= 0x55;
    assert_int_equal(tk_store_write_token(st, &rec), CKR_OK);
    assert_int_equal(tk_store_read_token(st, &got), CKR_OK);
    assert_memory_equal(&got, &rec, sizeof(rec));

    /* Dropping the user PIN removes its record. */
    memset(&rec.user_pin, 0, sizeof(rec.user_pin));
    assert_int_equal(tk_store_write_token(st, &rec), CKR_OK);
    assert_int_equal(tk_store_read_token(st, &got), CKR_OK);
    assert_memory_equal(&got, &rec, sizeof(rec));
    assert_int_equal(got.user_pin.present, 0);
    tk_store_close(st);
}

/* Put a new object and check the id and generation it gets. */
static int64_t
tk_t_put_new(tk_store *st, int is_private, const char *text)
{
    int64_t id = 0;
    uint64_t gen = 0;

    assert_int_equal(tk_store_put_object(st, is_private ? tk_t_key(0) : NULL, is_private,
                                         (const uint8_t *)text, strlen(text), &id, &gen),
                     CKR_OK);
    assert_true(id > 0);
    assert_int_equal(gen, 1);
    return id;
}

static void
tk_t_expect(tk_store *st, int64_t id, const uint8_t *key, const char *text, uint64_t gen)
{
    tk_store_object o;

    assert_int_equal(tk_store_get_object(st, id, key, &o), CKR_OK);
    assert_int_equal(o.id, id);
    assert_int_equal(o.gen, gen);
    assert_int_equal(o.len, strlen(text));
    assert_memory_equal(o.blob, text, strlen(text));
    tk_store_object_clear(&o);
    assert_null(o.blob);
}

static void
tk_test_objects_put_get_delete(void **state)
{
    tk_t_env *env = *state;
    tk_store *st = tk_t_create(env, 0);
    int64_t pub = tk_t_put_new(st, 0, "public one");
    int64_t priv = tk_t_put_new(st, 1, "private one");
    int64_t id;
    uint64_t gen = 0;
    tk_store_object o;

    assert_true(priv > pub);
    tk_t_expect(st, pub, NULL, "public one", 1);
    tk_t_expect(st, priv, tk_t_key(0), "private one", 1);

    /* Replacing bumps the generation. */
    id = pub;
    assert_int_equal(tk_store_put_object(st, NULL, 0, (const uint8_t *)"public two", 10, &id,
                                         &gen),
                     CKR_OK);
    assert_int_equal(id, pub);
    assert_int_equal(gen, 2);
    tk_t_expect(st, pub, NULL, "public two", 2);
    id = priv;
    assert_int_equal(tk_store_put_object(st, tk_t_key(0), 1, (const uint8_t *)"private 2", 9,
                                         &id, &gen),
                     CKR_OK);
    tk_t_expect(st, priv, tk_t_key(0), "private 2", 2);

    /* Deleting; deleting again is fine; replacing a deleted row is not. */
    assert_int_equal(tk_store_delete_object(st, pub), CKR_OK);
    assert_int_equal(tk_store_delete_object(st, pub), CKR_OK);
    assert_int_equal(tk_store_get_object(st, pub, NULL, &o), CKR_OBJECT_HANDLE_INVALID);
    id = pub;
    assert_int_equal(tk_store_put_object(st, NULL, 0, (const uint8_t *)"x", 1, &id, &gen),
                     CKR_OBJECT_HANDLE_INVALID);
    id = priv + 100;
    assert_int_equal(tk_store_put_object(st, tk_t_key(0), 1, (const uint8_t *)"x", 1, &id, &gen),
                     CKR_OBJECT_HANDLE_INVALID);

    /* Ids are never reused. */
    assert_true(tk_t_put_new(st, 0, "third") > priv);
    tk_store_close(st);
}

static void
tk_test_objects_empty_and_listing(void **state)
{
    tk_t_env *env = *state;
    tk_store *st = tk_t_create(env, 0);
    int64_t a = tk_t_put_new(st, 0, "");
    int64_t b = tk_t_put_new(st, 1, "");
    int64_t c = tk_t_put_new(st, 1, "some bytes");
    tk_store_row *rows = NULL;
    size_t n = 0;

    tk_t_expect(st, a, NULL, "", 1);
    tk_t_expect(st, b, tk_t_key(0), "", 1);
    assert_int_equal(tk_store_list_rows(st, &rows, &n), CKR_OK);
    assert_int_equal(n, 3);
    assert_int_equal(rows[0].id, a);
    assert_int_equal(rows[0].is_private, 0);
    assert_int_equal(rows[1].id, b);
    assert_int_equal(rows[1].is_private, 1);
    assert_int_equal(rows[2].id, c);
    assert_int_equal(rows[2].gen, 1);
    free(rows);
    tk_store_close(st);
}

static void
tk_test_private_needs_right_key(void **state)
{
    tk_t_env *env = *state;
    tk_store *st = tk_t_create(env, 0);
    int64_t id = tk_t_put_new(st, 1, "the secret");
    int64_t none = 0;
    uint64_t gen = 0;
    tk_store_object o;

    memset(&o, 0x5a, sizeof(o));
    assert_int_equal(tk_store_get_object(st, id, NULL, &o), CKR_USER_NOT_LOGGED_IN);
    assert_int_equal(tk_store_get_object(st, id, tk_t_key(1), &o), CKR_DEVICE_ERROR);
    assert_int_equal(tk_store_put_object(st, NULL, 1, (const uint8_t *)"x", 1, &none, &gen),
                     CKR_USER_NOT_LOGGED_IN);
    assert_int_equal(none, 0);
    tk_t_expect(st, id, tk_t_key(0), "the secret", 1);
    tk_store_close(st);
}

/* Copy row from's blob over row to's with a plain SQLite connection. */
static void
tk_t_move_blob(const char *path, int64_t from, int64_t to)
{
    sqlite3 *db = NULL;
    char sql[160];

    snprintf(sql, sizeof(sql),
             "UPDATE objects SET blob = (SELECT blob FROM objects WHERE id = %lld)"
             " WHERE id = %lld",
             (long long)from, (long long)to);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_changes(db), 1);
    sqlite3_close(db);
}

static void
tk_test_sealed_blob_bound_to_row(void **state)
{
    tk_t_env *env = *state;
    tk_store *st = tk_t_create(env, 0);
    int64_t a = tk_t_put_new(st, 1, "secret of row a");
    int64_t b = tk_t_put_new(st, 1, "secret of row b");
    tk_store_object o;

    tk_t_move_blob(env->path, a, b);
    assert_int_equal(tk_store_get_object(st, b, tk_t_key(0), &o), CKR_DEVICE_ERROR);
    tk_t_expect(st, a, tk_t_key(0), "secret of row a", 1);
    tk_store_close(st);
}

static void
tk_test_reinit_wipes_objects(void **state)
{
    tk_t_env *env = *state;
    tk_store *st = tk_t_create(env, 0);
    tk_token_record rec, got;
    tk_store_row *rows = NULL;
    size_t n = 99;
    int64_t last;

    tk_t_put_new(st, 0, "one");
    tk_t_put_new(st, 1, "two");
    last = tk_t_put_new(st, 1, "three");
    tk_t_record(&rec, "fresh", 9);
    assert_int_equal(tk_store_reinit(st, &rec), CKR_OK);
    assert_int_equal(tk_store_list_rows(st, &rows, &n), CKR_OK);
    assert_int_equal(n, 0);
    free(rows);
    assert_int_equal(tk_store_read_token(st, &got), CKR_OK);
    assert_memory_equal(&got, &rec, sizeof(rec));
    assert_true(tk_t_put_new(st, 0, "after") > last);
    tk_store_close(st);
}

static void
tk_test_pin_wrap_unwrap(void **state)
{
    const uint8_t *key = tk_t_key(0);
    const uint8_t pin[] = "123456";
    const uint8_t zero[TK_TOKEN_KEY_LEN] = {0};
    uint8_t out[TK_TOKEN_KEY_LEN];
    tk_pin_record rec, rec2, bad;

    (void)state;
    assert_int_equal(tk_store_pin_wrap(&tk_t_kdf, pin, 6, key, &rec), CKR_OK);
    assert_int_equal(rec.present, 1);
    assert_int_equal(rec.kdf.m_cost_kib, 256);
    assert_int_equal(tk_store_pin_unwrap(&rec, pin, 6, 0, out), CKR_OK);
    assert_memory_equal(out, key, TK_TOKEN_KEY_LEN);

    memset(out, 0xAA, sizeof(out));
    assert_int_equal(tk_store_pin_unwrap(&rec, (const uint8_t *)"123457", 6, 0, out),
                     CKR_PIN_INCORRECT);
    assert_memory_equal(out, zero, sizeof(out));
    assert_int_equal(tk_store_pin_unwrap(&rec, pin, 5, 0, out), CKR_PIN_INCORRECT);

    /* Fresh salt and nonce every time. */
    assert_int_equal(tk_store_pin_wrap(&tk_t_kdf, pin, 6, key, &rec2), CKR_OK);
    assert_memory_not_equal(rec.salt, rec2.salt, TK_PIN_SALT_LEN);
    assert_memory_not_equal(rec.wrapped, rec2.wrapped, sizeof(rec.wrapped));

    bad = rec;
    bad.salt[3] ^= 1;
    assert_int_equal(tk_store_pin_unwrap(&bad, pin, 6, 0, out), CKR_PIN_INCORRECT);
    bad = rec;
    bad.wrapped[20] ^= 1;
    assert_int_equal(tk_store_pin_unwrap(&bad, pin, 6, 0, out), CKR_PIN_INCORRECT);
}

static void
tk_test_pin_bad_params(void **state)
{
    const tk_kdf_params zero_mem = {0, 1, 1};
    const uint8_t pin[] = "1234";
    uint8_t out[TK_TOKEN_KEY_LEN];
    tk_pin_record rec;

    (void)state;
    assert_int_equal(tk_store_pin_wrap(&zero_mem, pin, 4, tk_t_key(0), &rec), CKR_ARGUMENTS_BAD);
    assert_int_equal(tk_store_pin_wrap(&tk_t_kdf, pin, 4, tk_t_key(0), &rec), CKR_OK);
    /* A damaged record is not a wrong PIN: it must not count as one. */
    rec.kdf.t_cost = 0;
    assert_int_equal(tk_store_pin_unwrap(&rec, pin, 4, 0, out), CKR_DEVICE_ERROR);
    rec.present = 0;
    assert_int_equal(tk_store_pin_unwrap(&rec, pin, 4, 0, out), CKR_USER_PIN_NOT_INITIALIZED);
}

static void
tk_test_pin_record_stored(void **state)
{
    tk_t_env *env = *state;
    tk_store *st = tk_t_create(env, 0);
    tk_token_record rec;
    uint8_t out[TK_TOKEN_KEY_LEN];

    assert_int_equal(tk_store_read_token(st, &rec), CKR_OK);
    assert_int_equal(tk_store_pin_wrap(&tk_t_kdf, (const uint8_t *)"user", 4, tk_t_key(0),
                                       &rec.user_pin),
                     CKR_OK);
    assert_int_equal(tk_store_write_token(st, &rec), CKR_OK);
    tk_store_close(st);
    assert_int_equal(tk_store_open(env->path, NULL, &st), CKR_OK);
    memset(&rec, 0, sizeof(rec));
    assert_int_equal(tk_store_read_token(st, &rec), CKR_OK);
    assert_int_equal(tk_store_pin_unwrap(&rec.user_pin, (const uint8_t *)"user", 4, 0, out),
                     CKR_OK);
    assert_memory_equal(out, tk_t_key(0), TK_TOKEN_KEY_LEN);
    tk_store_close(st);
}

static void
tk_test_failure_counter_two_handles(void **state)
{
    tk_t_env *env = *state;
    tk_store *a = tk_t_create(env, 0);
    tk_store *b = NULL;
    tk_token_record rec;
    uint32_t n = 0;

    assert_int_equal(tk_store_open(env->path, NULL, &b), CKR_OK);
    assert_int_equal(tk_store_pin_failed(a, CKU_USER, &n), CKR_OK);
    assert_int_equal(n, 1);
    assert_int_equal(tk_store_pin_failed(b, CKU_USER, &n), CKR_OK);
    assert_int_equal(n, 2);
    assert_int_equal(tk_store_pin_failed(a, CKU_USER, &n), CKR_OK);
    assert_int_equal(n, 3);
    assert_int_equal(tk_store_pin_failed(a, CKU_SO, &n), CKR_OK);
    assert_int_equal(n, 1);
    assert_int_equal(tk_store_read_token(b, &rec), CKR_OK);
    assert_int_equal(rec.user_failures, 3);
    assert_int_equal(rec.so_failures, 1);

    assert_int_equal(tk_store_pin_succeeded(b, CKU_USER), CKR_OK);
    assert_int_equal(tk_store_read_token(a, &rec), CKR_OK);
    assert_int_equal(rec.user_failures, 0);
    assert_int_equal(rec.so_failures, 1);
    assert_int_equal(tk_store_pin_failed(a, CKU_CONTEXT_SPECIFIC, &n), CKR_ARGUMENTS_BAD);
    tk_store_close(a);
    tk_store_close(b);
}

static void
tk_test_changed_sees_other_handle(void **state)
{
    tk_t_env *env = *state;
    tk_store *a = tk_t_create(env, 0);
    tk_store *b = NULL;
    int changed = -1;

    assert_int_equal(tk_store_open(env->path, NULL, &b), CKR_OK);
    assert_int_equal(tk_store_changed(a, &changed), CKR_OK);
    assert_int_equal(changed, 0);

    tk_t_put_new(b, 0, "from b");
    assert_int_equal(tk_store_changed(a, &changed), CKR_OK);
    assert_int_equal(changed, 1);
    assert_int_equal(tk_store_changed(a, &changed), CKR_OK);
    assert_int_equal(changed, 0);

    /* A handle's own commits are not news to it. */
    tk_t_put_new(a, 0, "from a");
    assert_int_equal(tk_store_changed(a, &changed), CKR_OK);
    assert_int_equal(changed, 0);
    assert_int_equal(tk_store_changed(b, &changed), CKR_OK);
    assert_int_equal(changed, 1);
    tk_store_close(a);
    tk_store_close(b);
}

static size_t
tk_t_count_rows(tk_store *st)
{
    tk_store_row *rows = NULL;
    size_t n = 0;

    assert_int_equal(tk_store_list_rows(st, &rows, &n), CKR_OK);
    free(rows);
    return n;
}

/*
 * A failure half-way through a transaction leaves nothing behind. SQLite's
 * length limit makes the second step fail: the sealed update of a new
 * private row (the empty insert before it succeeds), and the token record
 * after re-initialisation has deleted every object.
 */
static void
tk_test_failure_rolls_back(void **state)
{
    tk_t_env *env = *state;
    tk_store *st = tk_t_create(env, 0);
    uint8_t blob[200];
    int64_t id = 0;
    uint64_t gen = 0;
    tk_token_record rec, got;

    memset(blob, 0x11, sizeof(blob));
    tk_t_put_new(st, 1, "kept");
    sqlite3_limit(st->db, SQLITE_LIMIT_LENGTH, 20);
    assert_int_equal(tk_store_put_object(st, tk_t_key(0), 1, (const uint8_t *)"0123456789", 10,
                                         &id, &gen),
                     CKR_DEVICE_MEMORY);
    assert_int_equal(id, 0);
    assert_int_equal(tk_t_count_rows(st), 1);

    tk_t_record(&rec, "never written", 3);
    assert_int_equal(tk_store_reinit(st, &rec), CKR_DEVICE_MEMORY);
    sqlite3_limit(st->db, SQLITE_LIMIT_LENGTH, 1000000);
    assert_int_equal(tk_t_count_rows(st), 1);
    assert_int_equal(tk_store_read_token(st, &got), CKR_OK);
    tk_t_record(&rec, "test", 1);
    assert_memory_equal(&got, &rec, sizeof(rec));
    tk_t_expect(st, 1, tk_t_key(0), "kept", 1);
    tk_store_close(st);
}

static CK_RV
tk_t_collect_id(const tk_store_object *o, void *arg)
{
    int64_t *ids = arg;

    for (int i = 0; i < 4; i++) {
        if (ids[i] == 0) {
            ids[i] = o->id;
            return CKR_OK;
        }
    }
    return CKR_GENERAL_ERROR;
}

/* The login's reading: private rows only, unsealed, in row order; no key
 * is no read. */
static void
tk_test_each_private_object(void **state)
{
    tk_t_env *env = *state;
    tk_store *st = tk_t_create(env, 0);
    int64_t seen[4] = {0, 0, 0, 0};
    int64_t pub = tk_t_put_new(st, 0, "public one");
    int64_t a = tk_t_put_new(st, 1, "private a");
    int64_t pub2 = tk_t_put_new(st, 0, "public two");
    int64_t b = tk_t_put_new(st, 1, "private b");

    (void)pub;
    (void)pub2;
    assert_int_equal(tk_store_each_private_object(st, tk_t_key(0), NULL,
                                                  tk_t_collect_id, seen),
                     CKR_OK);
    assert_int_equal(seen[0], a);
    assert_int_equal(seen[1], b);
    assert_int_equal(seen[2], 0);
    assert_int_equal(tk_store_each_private_object(st, NULL, NULL,
                                                  tk_t_collect_id, seen),
                     CKR_ARGUMENTS_BAD);
    tk_store_close(st);
}

#define TK_T(f) cmocka_unit_test_setup_teardown(f, tk_t_setup, tk_t_teardown)

int
main(void)
{
    const struct CMUnitTest tests[] = {
        TK_T(tk_test_create_open_close),
        TK_T(tk_test_token_round_trip),
        TK_T(tk_test_objects_put_get_delete),
        TK_T(tk_test_objects_empty_and_listing),
        TK_T(tk_test_private_needs_right_key),
        TK_T(tk_test_sealed_blob_bound_to_row),
        TK_T(tk_test_reinit_wipes_objects),
        cmocka_unit_test(tk_test_pin_wrap_unwrap),
        cmocka_unit_test(tk_test_pin_bad_params),
        TK_T(tk_test_pin_record_stored),
        TK_T(tk_test_failure_counter_two_handles),
        TK_T(tk_test_changed_sees_other_handle),
        TK_T(tk_test_failure_rolls_back),
        TK_T(tk_test_each_private_object),
    };

    tk_t_log_from_env();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
