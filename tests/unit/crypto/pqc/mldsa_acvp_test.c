/*
 * ML-DSA against NIST ACVP: keyGen, sigGen and sigVer of the internal
 * interface, where "message" is M' itself and mu = H(tr || M'). Cases
 * that carry mu directly (externalMu) sign and verify that mu.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mldsa_test_util.h"

/* ACVP writes booleans either as JSON booleans or as "True"/"False". */
static int
tk_acvp_bool(const cJSON *item, const char *name, int dflt)
{
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(item, name);

    if (cJSON_IsBool(f)) {
        return cJSON_IsTrue(f);
    }
    if (cJSON_IsString(f)) {
        return strcmp(f->valuestring, "True") == 0 || strcmp(f->valuestring, "true") == 0;
    }
    return dflt;
}

static tk_mldsa_set
tk_acvp_group_set(const cJSON *g)
{
    const cJSON *ps = cJSON_GetObjectItemCaseSensitive(g, "parameterSet");

    assert_true(cJSON_IsString(ps));
    return tk_mldsa_test_set_from_name(ps->valuestring);
}

/* mu of a case: its own "mu" field (externalMu), else H(tr || M'). */
static void
tk_acvp_mu(const cJSON *t, const uint8_t tr[64], uint8_t mu[64])
{
    int has_mu;
    int has_msg;
    tk_mldsa_test_buf m = tk_mldsa_test_hex(t, "mu", &has_mu);
    tk_mldsa_test_buf msg = tk_mldsa_test_hex(t, "message", &has_msg);
    tk_mldsa_mu_ctx c;

    if (has_mu) {
        assert_int_equal(m.len, 64);
        memcpy(mu, m.data, 64);
    } else {
        assert_true(has_msg);
        tk_mldsa_mu_init(&c, tr);
        tk_mldsa_mu_update(&c, msg.data, msg.len);
        tk_mldsa_mu_final(&c, mu);
    }
    tk_mldsa_test_buf_free(&m);
    tk_mldsa_test_buf_free(&msg);
}

static void
tk_acvp_keygen(void **state)
{
    cJSON *root = tk_mldsa_test_load("acvp/ML-DSA-keyGen-FIPS204.json");
    const cJSON *g;
    int n = 0;

    (void)state;
    cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(root, "testGroups"))
    {
        tk_mldsa_set set = tk_acvp_group_set(g);
        uint8_t *pk = malloc(tk_mldsa_pk_len(set));
        uint8_t *sk = malloc(tk_mldsa_sk_len(set));
        const cJSON *t;

        assert_non_null(pk);
        assert_non_null(sk);
        cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(g, "tests"))
        {
            tk_mldsa_test_buf seed = tk_mldsa_test_hex(t, "seed", NULL);
            tk_mldsa_test_buf pkx = tk_mldsa_test_hex(t, "pk", NULL);
            tk_mldsa_test_buf skx = tk_mldsa_test_hex(t, "sk", NULL);

            assert_int_equal(seed.len, 32);
            assert_int_equal(pkx.len, tk_mldsa_pk_len(set));
            assert_int_equal(skx.len, tk_mldsa_sk_len(set));
            assert_int_equal(tk_mldsa_keygen(set, seed.data, pk, sk), TK_PQC_OK);
            assert_memory_equal(pk, pkx.data, pkx.len);
            assert_memory_equal(sk, skx.data, skx.len);
            assert_int_equal(tk_mldsa_check_sk(set, skx.data, pkx.data), TK_PQC_OK);
            n++;
            tk_mldsa_test_buf_free(&seed);
            tk_mldsa_test_buf_free(&pkx);
            tk_mldsa_test_buf_free(&skx);
        }
        free(pk);
        free(sk);
    }
    assert_int_equal(n, 75);
    print_message("ACVP keyGen: %d cases\n", n);
    cJSON_Delete(root);
}

static void
tk_acvp_siggen_case(tk_mldsa_set set, int deterministic, const cJSON *t)
{
    int has_rnd;
    tk_mldsa_test_buf sk = tk_mldsa_test_hex(t, "sk", NULL);
    tk_mldsa_test_buf rnd = tk_mldsa_test_hex(t, "rnd", &has_rnd);
    tk_mldsa_test_buf sig = tk_mldsa_test_hex(t, "signature", NULL);
    uint8_t rndbuf[32] = { 0 };
    uint8_t mu[64];
    uint8_t *out = malloc(tk_mldsa_sig_len(set));
    uint8_t *pk = malloc(tk_mldsa_pk_len(set));

    assert_non_null(out);
    assert_non_null(pk);
    assert_int_equal(sk.len, tk_mldsa_sk_len(set));
    assert_int_equal(sig.len, tk_mldsa_sig_len(set));
    if (!deterministic) {
        assert_true(has_rnd);
        assert_int_equal(rnd.len, 32);
        memcpy(rndbuf, rnd.data, 32);
    }
    tk_acvp_mu(t, tk_mldsa_sk_tr(set, sk.data), mu);
    assert_int_equal(tk_mldsa_sign_mu(set, sk.data, mu, rndbuf, out), TK_PQC_OK);
    assert_memory_equal(out, sig.data, sig.len);
    assert_int_equal(tk_mldsa_pk_from_sk(set, sk.data, pk), TK_PQC_OK);
    assert_int_equal(tk_mldsa_check_sk(set, sk.data, pk), TK_PQC_OK);
    assert_int_equal(tk_mldsa_verify_mu(set, pk, mu, out, sig.len), TK_PQC_OK);
    free(out);
    free(pk);
    tk_mldsa_test_buf_free(&sk);
    tk_mldsa_test_buf_free(&rnd);
    tk_mldsa_test_buf_free(&sig);
}

static void
tk_acvp_siggen(void **state)
{
    cJSON *root = tk_mldsa_test_load("acvp/ML-DSA-sigGen-internal-FIPS204.json");
    const cJSON *g;
    int n = 0;

    (void)state;
    cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(root, "testGroups"))
    {
        tk_mldsa_set set = tk_acvp_group_set(g);
        int deterministic = tk_acvp_bool(g, "deterministic", 0);
        const cJSON *t;

        cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(g, "tests"))
        {
            tk_acvp_siggen_case(set, deterministic, t);
            n++;
        }
    }
    assert_int_equal(n, 60);
    print_message("ACVP sigGen: %d cases\n", n);
    cJSON_Delete(root);
}

static void
tk_acvp_sigver(void **state)
{
    cJSON *root = tk_mldsa_test_load("acvp/ML-DSA-sigVer-internal-FIPS204.json");
    const cJSON *g;
    int n = 0;
    int passed = 0;

    (void)state;
    cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(root, "testGroups"))
    {
        tk_mldsa_set set = tk_acvp_group_set(g);
        tk_mldsa_test_buf pk = tk_mldsa_test_hex(g, "pk", NULL);
        uint8_t tr[64];
        const cJSON *t;

        assert_int_equal(pk.len, tk_mldsa_pk_len(set));
        tk_mldsa_tr_from_pk(set, pk.data, tr);
        cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(g, "tests"))
        {
            tk_mldsa_test_buf sig = tk_mldsa_test_hex(t, "signature", NULL);
            int expect = tk_acvp_bool(t, "testPassed", -1);
            uint8_t mu[64];
            int rc;

            assert_true(expect == 0 || expect == 1);
            tk_acvp_mu(t, tr, mu);
            rc = tk_mldsa_verify_mu(set, pk.data, mu, sig.data, sig.len);
            assert_int_equal(rc, expect ? TK_PQC_OK : TK_PQC_EVERIFY);
            passed += expect;
            n++;
            tk_mldsa_test_buf_free(&sig);
        }
        tk_mldsa_test_buf_free(&pk);
    }
    assert_int_equal(n, 45);
    print_message("ACVP sigVer: %d cases (%d pass, %d fail)\n", n, passed, n - passed);
    cJSON_Delete(root);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tk_acvp_keygen),
        cmocka_unit_test(tk_acvp_siggen),
        cmocka_unit_test(tk_acvp_sigver),
    };

    return cmocka_run_group_tests_name("mldsa_acvp", tests, NULL, NULL);
}
