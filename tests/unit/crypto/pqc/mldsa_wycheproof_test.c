/*
 * ML-DSA against Project Wycheproof: mldsa_{44,65,87}_sign_seed,
 * _sign_noseed and _verify. Every test case of every file is run and its
 * verdict ("valid" / "invalid") asserted; signatures must match byte for
 * byte. Key and signature lengths are checked here the way the mechanism
 * layer must check them, since the ML-DSA API takes fixed-size buffers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mldsa_test_util.h"

typedef struct {
    tk_mldsa_set set;
    const char *tag;
} tk_wp_param;

static const tk_wp_param tk_wp_44 = { TK_MLDSA_44, "44" };
static const tk_wp_param tk_wp_65 = { TK_MLDSA_65, "65" };
static const tk_wp_param tk_wp_87 = { TK_MLDSA_87, "87" };

/* Counts per file, checked against numberOfTests. */
typedef struct {
    int run;
    int valid;
    int invalid;
} tk_wp_count;

static int
tk_wp_is_valid(const cJSON *t)
{
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(t, "result");

    assert_true(cJSON_IsString(r));
    assert_true(strcmp(r->valuestring, "valid") == 0 || strcmp(r->valuestring, "invalid") == 0);
    return strcmp(r->valuestring, "valid") == 0;
}

static cJSON *
tk_wp_load(const char *tag, const char *kind, int *expected)
{
    char rel[128];
    cJSON *root;
    const cJSON *n;

    snprintf(rel, sizeof(rel), "wycheproof/mldsa_%s_%s_test.json", tag, kind);
    root = tk_mldsa_test_load(rel);
    n = cJSON_GetObjectItemCaseSensitive(root, "numberOfTests");
    assert_true(cJSON_IsNumber(n));
    *expected = n->valueint;
    return root;
}

static void
tk_wp_tally(tk_wp_count *c, int valid)
{
    c->run++;
    if (valid) {
        c->valid++;
    } else {
        c->invalid++;
    }
}

/* mu of the pure form for a test with msg (and maybe ctx). */
static void
tk_wp_mu(const uint8_t *tr, const tk_mldsa_test_buf *msg, const tk_mldsa_test_buf *ctx,
         uint8_t mu[64])
{
    tk_mldsa_mu_ctx c;

    assert_int_equal(tk_mldsa_mu_begin_pure(&c, tr, ctx->data, ctx->len), TK_PQC_OK);
    tk_mldsa_mu_update(&c, msg->data, msg->len);
    tk_mldsa_mu_final(&c, mu);
}

/*
 * One signing test with a well-formed key: sign (from msg and ctx, or from
 * mu for the "Internal" cases), compare with the expected signature, and
 * verify the result. The only invalid case here is a context too long.
 */
static void
tk_wp_sign_case(tk_mldsa_set set, const uint8_t *sk, const uint8_t *pk, const cJSON *t,
                int valid)
{
    int has_msg;
    int has_mu;
    int has_rnd;
    tk_mldsa_test_buf msg = tk_mldsa_test_hex(t, "msg", &has_msg);
    tk_mldsa_test_buf ctx = tk_mldsa_test_hex(t, "ctx", NULL);
    tk_mldsa_test_buf mu = tk_mldsa_test_hex(t, "mu", &has_mu);
    tk_mldsa_test_buf rnd = tk_mldsa_test_hex(t, "rnd", &has_rnd);
    tk_mldsa_test_buf sig = tk_mldsa_test_hex(t, "sig", NULL);
    uint8_t rndbuf[32] = { 0 };
    uint8_t *out = malloc(tk_mldsa_sig_len(set));
    int rc;

    assert_non_null(out);
    if (has_rnd) {
        assert_int_equal(rnd.len, 32);
        memcpy(rndbuf, rnd.data, 32);
    }
    if (has_msg) {
        rc = tk_mldsa_sign(set, sk, msg.data, msg.len, ctx.data, ctx.len, rndbuf, out);
        if (!valid) {
            assert_true(ctx.len > 255);
            assert_int_equal(rc, TK_PQC_EPARAM);
            assert_int_equal(
                tk_mldsa_verify(set, pk, msg.data, msg.len, ctx.data, ctx.len, sig.data, sig.len),
                TK_PQC_EPARAM);
        } else {
            assert_int_equal(rc, TK_PQC_OK);
            assert_int_equal(sig.len, tk_mldsa_sig_len(set));
            assert_memory_equal(out, sig.data, sig.len);
            assert_int_equal(
                tk_mldsa_verify(set, pk, msg.data, msg.len, ctx.data, ctx.len, out, sig.len),
                TK_PQC_OK);
            if (has_mu) {
                uint8_t m[64];

                tk_wp_mu(tk_mldsa_sk_tr(set, sk), &msg, &ctx, m);
                assert_memory_equal(m, mu.data, 64);
            }
        }
    } else {
        assert_true(has_mu && valid);
        assert_int_equal(mu.len, 64);
        assert_int_equal(tk_mldsa_sign_mu(set, sk, mu.data, rndbuf, out), TK_PQC_OK);
        assert_memory_equal(out, sig.data, sig.len);
        assert_int_equal(tk_mldsa_verify_mu(set, pk, mu.data, out, sig.len), TK_PQC_OK);
    }
    free(out);
    tk_mldsa_test_buf_free(&msg);
    tk_mldsa_test_buf_free(&ctx);
    tk_mldsa_test_buf_free(&mu);
    tk_mldsa_test_buf_free(&rnd);
    tk_mldsa_test_buf_free(&sig);
}

static void
tk_wp_sign_seed(void **state)
{
    const tk_wp_param *p = *state;
    tk_wp_count count = { 0, 0, 0 };
    int expected;
    cJSON *root = tk_wp_load(p->tag, "sign_seed", &expected);
    const cJSON *g;
    uint8_t *pk = malloc(tk_mldsa_pk_len(p->set));
    uint8_t *sk = malloc(tk_mldsa_sk_len(p->set));

    assert_non_null(pk);
    assert_non_null(sk);
    cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(root, "testGroups"))
    {
        tk_mldsa_test_buf seed = tk_mldsa_test_hex(g, "privateSeed", NULL);
        tk_mldsa_test_buf pkx = tk_mldsa_test_hex(g, "publicKey", NULL);
        int key_ok = seed.len == TK_MLDSA_SEED_LEN;
        const cJSON *t;

        if (key_ok) {
            assert_int_equal(tk_mldsa_keygen(p->set, seed.data, pk, sk), TK_PQC_OK);
            assert_int_equal(pkx.len, tk_mldsa_pk_len(p->set));
            assert_memory_equal(pk, pkx.data, pkx.len);
        }
        cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(g, "tests"))
        {
            int valid = tk_wp_is_valid(t);

            tk_wp_tally(&count, valid);
            if (!key_ok) {
                /* A seed of the wrong length never reaches the API. */
                assert_false(valid);
                assert_true(tk_mldsa_test_has_flag(t, "IncorrectPrivateKeyLength"));
                continue;
            }
            tk_wp_sign_case(p->set, sk, pk, t, valid);
        }
        tk_mldsa_test_buf_free(&seed);
        tk_mldsa_test_buf_free(&pkx);
    }
    assert_int_equal(count.run, expected);
    print_message("ML-DSA-%s sign_seed: %d cases (%d valid, %d invalid)\n", p->tag, count.run,
                  count.valid, count.invalid);
    free(pk);
    free(sk);
    cJSON_Delete(root);
}

/* A key with s1 or s2 out of range: every use must refuse it, and a
 * refused signature buffer is left wiped. */
static void
tk_wp_bad_key_case(tk_mldsa_set set, const uint8_t *sk, const cJSON *t)
{
    int has_msg;
    tk_mldsa_test_buf msg = tk_mldsa_test_hex(t, "msg", &has_msg);
    tk_mldsa_test_buf ctx = tk_mldsa_test_hex(t, "ctx", NULL);
    size_t siglen = tk_mldsa_sig_len(set);
    uint8_t *out = malloc(siglen);
    uint8_t *zero = calloc(1, siglen);
    uint8_t *pk = malloc(tk_mldsa_pk_len(set));
    uint8_t rnd[32] = { 0 };

    assert_non_null(out);
    assert_non_null(zero);
    assert_non_null(pk);
    assert_true(has_msg);
    assert_int_equal(tk_mldsa_check_sk(set, sk, NULL), TK_PQC_EBADKEY);
    assert_int_equal(tk_mldsa_pk_from_sk(set, sk, pk), TK_PQC_EBADKEY);
    memset(out, 0xA5, siglen);
    assert_int_equal(tk_mldsa_sign(set, sk, msg.data, msg.len, ctx.data, ctx.len, rnd, out),
                     TK_PQC_EBADKEY);
    assert_memory_equal(out, zero, siglen);
    free(out);
    free(zero);
    free(pk);
    tk_mldsa_test_buf_free(&msg);
    tk_mldsa_test_buf_free(&ctx);
}

static void
tk_wp_sign_noseed(void **state)
{
    const tk_wp_param *p = *state;
    tk_wp_count count = { 0, 0, 0 };
    int expected;
    cJSON *root = tk_wp_load(p->tag, "sign_noseed", &expected);
    const cJSON *g;
    uint8_t *pk = malloc(tk_mldsa_pk_len(p->set));

    assert_non_null(pk);
    cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(root, "testGroups"))
    {
        tk_mldsa_test_buf skx = tk_mldsa_test_hex(g, "privateKey", NULL);
        tk_mldsa_test_buf pkx = tk_mldsa_test_hex(g, "publicKey", NULL);
        int key_ok = skx.len == tk_mldsa_sk_len(p->set);
        const cJSON *t;

        cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(g, "tests"))
        {
            int valid = tk_wp_is_valid(t);

            tk_wp_tally(&count, valid);
            if (!key_ok) {
                assert_false(valid);
                assert_true(tk_mldsa_test_has_flag(t, "IncorrectPrivateKeyLength"));
                continue;
            }
            if (tk_mldsa_test_has_flag(t, "InvalidPrivateKey")) {
                assert_false(valid);
                tk_wp_bad_key_case(p->set, skx.data, t);
                continue;
            }
            assert_int_equal(tk_mldsa_check_sk(p->set, skx.data, pkx.data), TK_PQC_OK);
            assert_int_equal(tk_mldsa_pk_from_sk(p->set, skx.data, pk), TK_PQC_OK);
            assert_memory_equal(pk, pkx.data, pkx.len);
            tk_wp_sign_case(p->set, skx.data, pkx.data, t, valid);
        }
        tk_mldsa_test_buf_free(&skx);
        tk_mldsa_test_buf_free(&pkx);
    }
    assert_int_equal(count.run, expected);
    print_message("ML-DSA-%s sign_noseed: %d cases (%d valid, %d invalid)\n", p->tag,
                  count.run, count.valid, count.invalid);
    free(pk);
    cJSON_Delete(root);
}

static int
tk_wp_verify_case(tk_mldsa_set set, const tk_mldsa_test_buf *pk, const cJSON *t)
{
    int has_msg;
    tk_mldsa_test_buf msg = tk_mldsa_test_hex(t, "msg", &has_msg);
    tk_mldsa_test_buf ctx = tk_mldsa_test_hex(t, "ctx", NULL);
    tk_mldsa_test_buf sig = tk_mldsa_test_hex(t, "sig", NULL);
    int rc;

    assert_true(has_msg);
    rc = tk_mldsa_verify(set, pk->data, msg.data, msg.len, ctx.data, ctx.len, sig.data, sig.len);
    if (ctx.len > 255) {
        assert_int_equal(rc, TK_PQC_EPARAM);
    } else {
        assert_true(rc == TK_PQC_OK || rc == TK_PQC_EVERIFY);
    }
    tk_mldsa_test_buf_free(&msg);
    tk_mldsa_test_buf_free(&ctx);
    tk_mldsa_test_buf_free(&sig);
    return rc;
}

static void
tk_wp_verify(void **state)
{
    const tk_wp_param *p = *state;
    tk_wp_count count = { 0, 0, 0 };
    int expected;
    cJSON *root = tk_wp_load(p->tag, "verify", &expected);
    const cJSON *g;

    cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(root, "testGroups"))
    {
        tk_mldsa_test_buf pk = tk_mldsa_test_hex(g, "publicKey", NULL);
        const cJSON *t;

        cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(g, "tests"))
        {
            int valid = tk_wp_is_valid(t);

            tk_wp_tally(&count, valid);
            if (pk.len != tk_mldsa_pk_len(p->set)) {
                assert_false(valid);
                assert_true(tk_mldsa_test_has_flag(t, "IncorrectPublicKeyLength"));
                continue;
            }
            if (valid) {
                assert_int_equal(tk_wp_verify_case(p->set, &pk, t), TK_PQC_OK);
            } else {
                assert_int_not_equal(tk_wp_verify_case(p->set, &pk, t), TK_PQC_OK);
            }
        }
        tk_mldsa_test_buf_free(&pk);
    }
    assert_int_equal(count.run, expected);
    print_message("ML-DSA-%s verify: %d cases (%d valid, %d invalid)\n", p->tag, count.run,
                  count.valid, count.invalid);
    cJSON_Delete(root);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_prestate(tk_wp_sign_seed, (void *)&tk_wp_44),
        cmocka_unit_test_prestate(tk_wp_sign_seed, (void *)&tk_wp_65),
        cmocka_unit_test_prestate(tk_wp_sign_seed, (void *)&tk_wp_87),
        cmocka_unit_test_prestate(tk_wp_sign_noseed, (void *)&tk_wp_44),
        cmocka_unit_test_prestate(tk_wp_sign_noseed, (void *)&tk_wp_65),
        cmocka_unit_test_prestate(tk_wp_sign_noseed, (void *)&tk_wp_87),
        cmocka_unit_test_prestate(tk_wp_verify, (void *)&tk_wp_44),
        cmocka_unit_test_prestate(tk_wp_verify, (void *)&tk_wp_65),
        cmocka_unit_test_prestate(tk_wp_verify, (void *)&tk_wp_87),
    };

    return cmocka_run_group_tests_name("mldsa_wycheproof", tests, NULL, NULL);
}
