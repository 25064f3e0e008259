/*
 * ML-DSA API behaviour beyond the vector files: sizes, unknown sets,
 * round trips and tampering, context limits, incremental mu, the
 * HashML-DSA prefix and OID table, and malformed private keys.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/pqc/keccak.h"
#include "mldsa_test_util.h"

static const tk_mldsa_set tk_ut_sets[3] = { TK_MLDSA_44, TK_MLDSA_65, TK_MLDSA_87 };

/* A key pair and buffers for one set, from a seed that depends on i. */
typedef struct {
    tk_mldsa_set set;
    uint8_t *pk;
    uint8_t *sk;
    uint8_t *sig;
} tk_ut_keys;

static void
tk_ut_keys_new(tk_ut_keys *k, tk_mldsa_set set, uint8_t i)
{
    uint8_t xi[32];

    for (unsigned int j = 0; j < 32; j++) {
        xi[j] = (uint8_t)(i * 31 + j);
    }
    k->set = set;
    k->pk = malloc(tk_mldsa_pk_len(set));
    k->sk = malloc(tk_mldsa_sk_len(set));
    k->sig = malloc(tk_mldsa_sig_len(set));
    assert_non_null(k->pk);
    assert_non_null(k->sk);
    assert_non_null(k->sig);
    assert_int_equal(tk_mldsa_keygen(set, xi, k->pk, k->sk), TK_PQC_OK);
}

static void
tk_ut_keys_free(tk_ut_keys *k)
{
    free(k->pk);
    free(k->sk);
    free(k->sig);
}

static void
tk_ut_sizes(void **state)
{
    uint8_t buf[64] = { 0 };
    uint8_t tr[64];

    (void)state;
    assert_int_equal(tk_mldsa_pk_len(TK_MLDSA_44), 1312);
    assert_int_equal(tk_mldsa_sk_len(TK_MLDSA_44), 2560);
    assert_int_equal(tk_mldsa_sig_len(TK_MLDSA_44), 2420);
    assert_int_equal(tk_mldsa_pk_len(TK_MLDSA_65), 1952);
    assert_int_equal(tk_mldsa_sk_len(TK_MLDSA_65), 4032);
    assert_int_equal(tk_mldsa_sig_len(TK_MLDSA_65), 3309);
    assert_int_equal(tk_mldsa_pk_len(TK_MLDSA_87), 2592);
    assert_int_equal(tk_mldsa_sk_len(TK_MLDSA_87), 4896);
    assert_int_equal(tk_mldsa_sig_len(TK_MLDSA_87), 4627);
    assert_int_equal(tk_mldsa_pk_len((tk_mldsa_set)0), 0);
    assert_int_equal(tk_mldsa_sig_len((tk_mldsa_set)4), 0);
    assert_int_equal(tk_mldsa_keygen((tk_mldsa_set)0, buf, buf, buf), TK_PQC_EPARAM);
    assert_int_equal(tk_mldsa_sign_mu((tk_mldsa_set)4, buf, buf, buf, buf), TK_PQC_EPARAM);
    assert_int_equal(tk_mldsa_verify_mu((tk_mldsa_set)4, buf, buf, buf, 0), TK_PQC_EPARAM);
    assert_int_equal(tk_mldsa_check_sk((tk_mldsa_set)4, buf, NULL), TK_PQC_EPARAM);
    assert_int_equal(tk_mldsa_pk_from_sk((tk_mldsa_set)4, buf, buf), TK_PQC_EPARAM);
    assert_int_equal(tk_mldsa_sign((tk_mldsa_set)4, buf, buf, 0, NULL, 0, buf, buf),
                     TK_PQC_EPARAM);
    assert_int_equal(tk_mldsa_verify((tk_mldsa_set)4, buf, buf, 0, NULL, 0, buf, 0),
                     TK_PQC_EPARAM);
    memset(tr, 0xFF, sizeof(tr));
    tk_mldsa_tr_from_pk((tk_mldsa_set)4, buf, tr);
    for (unsigned int i = 0; i < sizeof(tr); i++) {
        assert_int_equal(tr[i], 0);
    }
}

/* Sign, verify, then break one thing at a time. */
static void
tk_ut_roundtrip(void **state)
{
    static const uint8_t msg[] = "attack at dawn";
    static const uint8_t ctx[] = "trustoken";
    uint8_t rnd[32];

    (void)state;
    memset(rnd, 0x5A, sizeof(rnd));
    for (unsigned int s = 0; s < 3; s++) {
        tk_ut_keys k;
        size_t siglen = tk_mldsa_sig_len(tk_ut_sets[s]);

        tk_ut_keys_new(&k, tk_ut_sets[s], (uint8_t)s);
        assert_int_equal(tk_mldsa_sign(k.set, k.sk, msg, sizeof(msg), ctx, 9, rnd, k.sig),
                         TK_PQC_OK);
        assert_int_equal(tk_mldsa_verify(k.set, k.pk, msg, sizeof(msg), ctx, 9, k.sig, siglen),
                         TK_PQC_OK);
        assert_int_equal(tk_mldsa_verify(k.set, k.pk, msg, sizeof(msg), ctx, 8, k.sig, siglen),
                         TK_PQC_EVERIFY);
        assert_int_equal(
            tk_mldsa_verify(k.set, k.pk, msg, sizeof(msg) - 1, ctx, 9, k.sig, siglen),
            TK_PQC_EVERIFY);
        assert_int_equal(
            tk_mldsa_verify(k.set, k.pk, msg, sizeof(msg), ctx, 9, k.sig, siglen - 1),
            TK_PQC_EVERIFY);
        k.sig[siglen / 2] ^= 0x10;
        assert_int_equal(tk_mldsa_verify(k.set, k.pk, msg, sizeof(msg), ctx, 9, k.sig, siglen),
                         TK_PQC_EVERIFY);
        k.sig[siglen / 2] ^= 0x10;
        k.pk[100] ^= 0x01;
        assert_int_equal(tk_mldsa_verify(k.set, k.pk, msg, sizeof(msg), ctx, 9, k.sig, siglen),
                         TK_PQC_EVERIFY);
        tk_ut_keys_free(&k);
    }
}

/* All-zero rnd is deterministic; any other rnd changes the signature. */
static void
tk_ut_deterministic(void **state)
{
    static const uint8_t msg[] = { 1, 2, 3 };
    uint8_t zero[32] = { 0 };
    uint8_t rnd[32] = { 7 };
    tk_ut_keys k;
    size_t siglen = tk_mldsa_sig_len(TK_MLDSA_65);
    uint8_t *again = malloc(siglen);

    (void)state;
    assert_non_null(again);
    tk_ut_keys_new(&k, TK_MLDSA_65, 9);
    assert_int_equal(tk_mldsa_sign(k.set, k.sk, msg, 3, NULL, 0, zero, k.sig), TK_PQC_OK);
    assert_int_equal(tk_mldsa_sign(k.set, k.sk, msg, 3, NULL, 0, zero, again), TK_PQC_OK);
    assert_memory_equal(k.sig, again, siglen);
    assert_int_equal(tk_mldsa_sign(k.set, k.sk, msg, 3, NULL, 0, rnd, again), TK_PQC_OK);
    assert_memory_not_equal(k.sig, again, siglen);
    assert_int_equal(tk_mldsa_verify(k.set, k.pk, msg, 3, NULL, 0, again, siglen), TK_PQC_OK);
    free(again);
    tk_ut_keys_free(&k);
}

static void
tk_ut_context_limit(void **state)
{
    uint8_t ctx[256];
    uint8_t rnd[32] = { 0 };
    uint8_t tr[64] = { 0 };
    tk_mldsa_mu_ctx c;
    tk_ut_keys k;
    size_t siglen = tk_mldsa_sig_len(TK_MLDSA_44);

    (void)state;
    memset(ctx, 0xC3, sizeof(ctx));
    tk_ut_keys_new(&k, TK_MLDSA_44, 3);
    assert_int_equal(tk_mldsa_sign(k.set, k.sk, ctx, 1, ctx, 255, rnd, k.sig), TK_PQC_OK);
    assert_int_equal(tk_mldsa_verify(k.set, k.pk, ctx, 1, ctx, 255, k.sig, siglen), TK_PQC_OK);
    assert_int_equal(tk_mldsa_sign(k.set, k.sk, ctx, 1, ctx, 256, rnd, k.sig), TK_PQC_EPARAM);
    assert_int_equal(tk_mldsa_verify(k.set, k.pk, ctx, 1, ctx, 256, k.sig, siglen),
                     TK_PQC_EPARAM);
    assert_int_equal(tk_mldsa_mu_begin_pure(&c, tr, ctx, 256), TK_PQC_EPARAM);
    assert_int_equal(tk_mldsa_mu_begin_prehash(&c, tr, ctx, 256, ctx, 11), TK_PQC_EPARAM);
    assert_int_equal(tk_mldsa_mu_begin_prehash(&c, tr, ctx, 0, NULL, 0), TK_PQC_EPARAM);
    tk_ut_keys_free(&k);
}

/* mu fed in odd pieces equals mu of M' built by hand, and signing that
 * mu equals the one-shot signature. */
static void
tk_ut_incremental_mu(void **state)
{
    uint8_t msg[1000];
    uint8_t mprime[2 + 5 + sizeof(msg)];
    uint8_t mu1[64];
    uint8_t mu2[64];
    uint8_t rnd[32] = { 0 };
    tk_mldsa_mu_ctx c;
    tk_ut_keys k;
    size_t siglen = tk_mldsa_sig_len(TK_MLDSA_87);
    uint8_t *sig2 = malloc(siglen);
    size_t off = 0;

    (void)state;
    assert_non_null(sig2);
    for (unsigned int i = 0; i < sizeof(msg); i++) {
        msg[i] = (uint8_t)(i * 7);
    }
    tk_ut_keys_new(&k, TK_MLDSA_87, 5);
    assert_int_equal(tk_mldsa_mu_begin_pure(&c, tk_mldsa_sk_tr(k.set, k.sk),
                                            (const uint8_t *)"hello", 5),
                     TK_PQC_OK);
    for (size_t step = 1; off < sizeof(msg); step = step * 3 + 1) {
        size_t n = step < sizeof(msg) - off ? step : sizeof(msg) - off;

        tk_mldsa_mu_update(&c, msg + off, n);
        off += n;
    }
    tk_mldsa_mu_final(&c, mu1);

    mprime[0] = 0;
    mprime[1] = 5;
    memcpy(mprime + 2, "hello", 5);
    memcpy(mprime + 7, msg, sizeof(msg));
    tk_mldsa_mu_init(&c, tk_mldsa_sk_tr(k.set, k.sk));
    tk_mldsa_mu_update(&c, mprime, sizeof(mprime));
    tk_mldsa_mu_final(&c, mu2);
    assert_memory_equal(mu1, mu2, 64);

    assert_int_equal(tk_mldsa_sign_mu(k.set, k.sk, mu1, rnd, sig2), TK_PQC_OK);
    assert_int_equal(tk_mldsa_sign(k.set, k.sk, msg, sizeof(msg), (const uint8_t *)"hello", 5,
                                   rnd, k.sig),
                     TK_PQC_OK);
    assert_memory_equal(sig2, k.sig, siglen);
    free(sig2);
    tk_ut_keys_free(&k);
}

static void
tk_ut_prehash_table(void **state)
{
    static const uint8_t arc[10] = { 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02 };
    /* Last OID arc and digest length, in enum order [FIPS 204 §5.4]. */
    static const uint8_t expect[12][2] = {
        { 4, 28 }, { 1, 32 }, { 2, 48 }, { 3, 64 }, { 5, 28 }, { 6, 32 },
        { 7, 28 }, { 8, 32 }, { 9, 48 }, { 10, 64 }, { 11, 32 }, { 12, 64 },
    };
    const uint8_t *oid = NULL;
    size_t oid_len = 0;
    size_t dlen = 0;

    (void)state;
    for (int ph = TK_MLDSA_PH_SHA224; ph <= TK_MLDSA_PH_SHAKE256; ph++) {
        assert_int_equal(tk_mldsa_prehash_info((tk_mldsa_prehash)ph, &oid, &oid_len, &dlen),
                         TK_PQC_OK);
        assert_int_equal(oid_len, 11);
        assert_memory_equal(oid, arc, sizeof(arc));
        assert_int_equal(oid[10], expect[ph - 1][0]);
        assert_int_equal(dlen, expect[ph - 1][1]);
    }
    assert_int_equal(tk_mldsa_prehash_info((tk_mldsa_prehash)0, &oid, &oid_len, &dlen),
                     TK_PQC_EPARAM);
    assert_int_equal(tk_mldsa_prehash_info((tk_mldsa_prehash)13, NULL, NULL, NULL),
                     TK_PQC_EPARAM);
}

/* HashML-DSA with SHA3-256: the prefix the API absorbs equals M' built
 * by hand [FIPS 204 Alg. 4], and the signature verifies on that mu but
 * not as a pure signature of the same message. */
static void
tk_ut_prehash_sign(void **state)
{
    static const uint8_t msg[] = "pre-hashed message";
    uint8_t digest[32];
    uint8_t mprime[2 + 3 + 11 + 32];
    uint8_t mu1[64];
    uint8_t mu2[64];
    uint8_t rnd[32] = { 1 };
    const uint8_t *oid;
    size_t oid_len;
    size_t dlen;
    tk_mldsa_mu_ctx c;
    tk_ut_keys k;
    size_t siglen = tk_mldsa_sig_len(TK_MLDSA_44);

    (void)state;
    tk_ut_keys_new(&k, TK_MLDSA_44, 11);
    assert_int_equal(tk_mldsa_prehash_info(TK_MLDSA_PH_SHA3_256, &oid, &oid_len, &dlen),
                     TK_PQC_OK);
    assert_int_equal(dlen, sizeof(digest));
    tk_sha3_256(digest, msg, sizeof(msg));
    assert_int_equal(tk_mldsa_mu_begin_prehash(&c, tk_mldsa_sk_tr(k.set, k.sk),
                                               (const uint8_t *)"abc", 3, oid, oid_len),
                     TK_PQC_OK);
    tk_mldsa_mu_update(&c, digest, sizeof(digest));
    tk_mldsa_mu_final(&c, mu1);

    mprime[0] = 1;
    mprime[1] = 3;
    memcpy(mprime + 2, "abc", 3);
    memcpy(mprime + 5, oid, 11);
    memcpy(mprime + 16, digest, sizeof(digest));
    tk_mldsa_mu_init(&c, tk_mldsa_sk_tr(k.set, k.sk));
    tk_mldsa_mu_update(&c, mprime, sizeof(mprime));
    tk_mldsa_mu_final(&c, mu2);
    assert_memory_equal(mu1, mu2, 64);

    assert_int_equal(tk_mldsa_sign_mu(k.set, k.sk, mu1, rnd, k.sig), TK_PQC_OK);
    assert_int_equal(tk_mldsa_verify_mu(k.set, k.pk, mu2, k.sig, siglen), TK_PQC_OK);
    assert_int_equal(
        tk_mldsa_verify(k.set, k.pk, msg, sizeof(msg), (const uint8_t *)"abc", 3, k.sig, siglen),
        TK_PQC_EVERIFY);
    tk_ut_keys_free(&k);
}

/* Expanded-key checks: good key, s1 out of range, t0 or tr changed, and
 * a public key that belongs to another key. */
static void
tk_ut_check_sk(void **state)
{
    (void)state;
    for (unsigned int s = 0; s < 3; s++) {
        tk_ut_keys k;
        tk_ut_keys other;
        size_t sklen = tk_mldsa_sk_len(tk_ut_sets[s]);
        size_t pklen = tk_mldsa_pk_len(tk_ut_sets[s]);
        uint8_t *bad = malloc(sklen);
        uint8_t *pk = malloc(pklen);
        uint8_t tr[64];
        uint8_t mu[64] = { 0 };

        assert_non_null(bad);
        assert_non_null(pk);
        tk_ut_keys_new(&k, tk_ut_sets[s], (uint8_t)(20 + s));
        tk_ut_keys_new(&other, tk_ut_sets[s], (uint8_t)(40 + s));
        assert_int_equal(tk_mldsa_check_sk(k.set, k.sk, NULL), TK_PQC_OK);
        assert_int_equal(tk_mldsa_check_sk(k.set, k.sk, k.pk), TK_PQC_OK);
        assert_int_equal(tk_mldsa_check_sk(k.set, k.sk, other.pk), TK_PQC_EBADKEY);
        assert_int_equal(tk_mldsa_pk_from_sk(k.set, k.sk, pk), TK_PQC_OK);
        assert_memory_equal(pk, k.pk, pklen);
        tk_mldsa_tr_from_pk(k.set, k.pk, tr);
        assert_memory_equal(tr, tk_mldsa_sk_tr(k.set, k.sk), 64);

        /* First s1 field all ones: 7 (eta 2) or 15 (eta 4), both > 2 eta. */
        memcpy(bad, k.sk, sklen);
        bad[128] |= 0x0F;
        assert_int_equal(tk_mldsa_check_sk(k.set, bad, NULL), TK_PQC_EBADKEY);
        assert_int_equal(tk_mldsa_pk_from_sk(k.set, bad, pk), TK_PQC_EBADKEY);
        assert_int_equal(tk_mldsa_sign_mu(k.set, bad, mu, mu, k.sig), TK_PQC_EBADKEY);

        memcpy(bad, k.sk, sklen);
        bad[sklen - 1] ^= 0x01; /* t0 */
        assert_int_equal(tk_mldsa_check_sk(k.set, bad, NULL), TK_PQC_EBADKEY);
        memcpy(bad, k.sk, sklen);
        bad[64] ^= 0x80; /* tr */
        assert_int_equal(tk_mldsa_check_sk(k.set, bad, NULL), TK_PQC_EBADKEY);
        memcpy(bad, k.sk, sklen);
        bad[0] ^= 0x01; /* rho: t0 and tr no longer match */
        assert_int_equal(tk_mldsa_check_sk(k.set, bad, NULL), TK_PQC_EBADKEY);
        free(bad);
        free(pk);
        tk_ut_keys_free(&k);
        tk_ut_keys_free(&other);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tk_ut_sizes),
        cmocka_unit_test(tk_ut_roundtrip),
        cmocka_unit_test(tk_ut_deterministic),
        cmocka_unit_test(tk_ut_context_limit),
        cmocka_unit_test(tk_ut_incremental_mu),
        cmocka_unit_test(tk_ut_prehash_table),
        cmocka_unit_test(tk_ut_prehash_sign),
        cmocka_unit_test(tk_ut_check_sk),
    };

    return cmocka_run_group_tests_name("mldsa_unit", tests, NULL, NULL);
}
