/*
 * SLH-DSA against known answers [FIPS 205]: deterministic pure signatures
 * produced by OpenSSL 3.5 for all twelve sets, NIST ACVP keyGen and sigVer,
 * and the API's argument checks.
 *
 * Usage: slhdsa_test kat <parameter set name> | acvp | api
 * (one ctest entry per set keeps each run short and lets them run in
 * parallel).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "crypto/pqc/slhdsa.h"

static const char *tk_test_set_name;

static const char *const tk_test_names[12] = {
    "SLH-DSA-SHA2-128s", "SLH-DSA-SHAKE-128s", "SLH-DSA-SHA2-128f", "SLH-DSA-SHAKE-128f",
    "SLH-DSA-SHA2-192s", "SLH-DSA-SHAKE-192s", "SLH-DSA-SHA2-192f", "SLH-DSA-SHAKE-192f",
    "SLH-DSA-SHA2-256s", "SLH-DSA-SHAKE-256s", "SLH-DSA-SHA2-256f", "SLH-DSA-SHAKE-256f",
};

static tk_slhdsa_set
tk_test_set_by_name(const char *name)
{
    for (int i = 0; i < 12; i++) {
        if (strcmp(name, tk_test_names[i]) == 0) {
            return (tk_slhdsa_set)(i + 1);
        }
    }
    fail_msg("unknown parameter set %s", name);
    return (tk_slhdsa_set)0;
}

static cJSON *
tk_test_load_json(const char *file)
{
    char path[1024];
    FILE *f;
    long size;
    char *text;
    cJSON *json;

    snprintf(path, sizeof(path), "%s/%s", TK_SLHDSA_VECTORS, file);
    f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    size = ftell(f);
    assert_true(size > 0);
    rewind(f);
    text = malloc((size_t)size + 1);
    assert_non_null(text);
    assert_int_equal(fread(text, 1, (size_t)size, f), (size_t)size);
    text[size] = '\0';
    fclose(f);
    json = cJSON_Parse(text);
    free(text);
    assert_non_null(json);
    return json;
}

static const char *
tk_test_str(const cJSON *obj, const char *key)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);

    assert_true(cJSON_IsString(item));
    return item->valuestring;
}

/* Decode a hex string into a fresh buffer (at least one byte long). */
static uint8_t *
tk_test_unhex(const char *hex, size_t *len)
{
    size_t n = strlen(hex) / 2;
    uint8_t *out = malloc(n + 1);

    assert_non_null(out);
    for (size_t i = 0; i < n; i++) {
        unsigned int v;

        assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
        out[i] = (uint8_t)v;
    }
    *len = n;
    return out;
}

/* 's' sets sign slowly: sign only the first vector (no context) and the
 * last (255-byte context) of each. */
static int
tk_test_is_slow(tk_slhdsa_set set)
{
    return set == TK_SLHDSA_SHA2_128S || set == TK_SLHDSA_SHAKE_128S ||
           set == TK_SLHDSA_SHA2_192S || set == TK_SLHDSA_SHAKE_192S ||
           set == TK_SLHDSA_SHA2_256S || set == TK_SLHDSA_SHAKE_256S;
}

/* One OpenSSL vector: keygen, deterministic sign, verify, tamper. */
static void
tk_test_one_kat(const cJSON *v, tk_slhdsa_set set, int do_sign)
{
    size_t n = tk_slhdsa_n(set), seedlen, pklen, sklen, msglen, ctxlen, siglen;
    uint8_t *seed = tk_test_unhex(tk_test_str(v, "seed"), &seedlen);
    uint8_t *pk = tk_test_unhex(tk_test_str(v, "pk"), &pklen);
    uint8_t *sk = tk_test_unhex(tk_test_str(v, "sk"), &sklen);
    uint8_t *msg = tk_test_unhex(tk_test_str(v, "msg"), &msglen);
    uint8_t *ctx = tk_test_unhex(tk_test_str(v, "ctx"), &ctxlen);
    uint8_t *sig = tk_test_unhex(tk_test_str(v, "sig"), &siglen);
    uint8_t *mysig = malloc(siglen);
    uint8_t mypk[TK_SLHDSA_MAX_PK_LEN], mysk[TK_SLHDSA_MAX_SK_LEN];

    assert_non_null(mysig);
    assert_int_equal(seedlen, 3 * n);
    assert_int_equal(pklen, tk_slhdsa_pk_len(set));
    assert_int_equal(sklen, tk_slhdsa_sk_len(set));
    assert_int_equal(siglen, tk_slhdsa_sig_len(set));

    assert_int_equal(tk_slhdsa_keygen(set, seed, seed + n, seed + 2 * n, mysk, mypk), TK_PQC_OK);
    assert_memory_equal(mypk, pk, pklen);
    assert_memory_equal(mysk, sk, sklen);

    if (do_sign) {
        assert_int_equal(tk_slhdsa_sign(set, sk, msg, msglen, ctx, ctxlen, NULL, mysig),
                         TK_PQC_OK);
        assert_memory_equal(mysig, sig, siglen);
    }
    assert_int_equal(tk_slhdsa_verify(set, pk, msg, msglen, ctx, ctxlen, sig, siglen), TK_PQC_OK);

    /* A flipped bit anywhere (here: in R, FORS and the last XMSS layer)
     * must fail, as must a changed message or context. */
    for (size_t pos = 0; pos < siglen; pos += siglen / 3 + 1) {
        sig[pos] ^= 0x01;
        assert_int_equal(tk_slhdsa_verify(set, pk, msg, msglen, ctx, ctxlen, sig, siglen),
                         TK_PQC_EVERIFY);
        sig[pos] ^= 0x01;
    }
    sig[siglen - 1] ^= 0x80;
    assert_int_equal(tk_slhdsa_verify(set, pk, msg, msglen, ctx, ctxlen, sig, siglen),
                     TK_PQC_EVERIFY);
    sig[siglen - 1] ^= 0x80;
    msg[0] ^= 0x01;
    assert_int_equal(tk_slhdsa_verify(set, pk, msg, msglen, ctx, ctxlen, sig, siglen),
                     TK_PQC_EVERIFY);
    msg[0] ^= 0x01;
    assert_int_equal(tk_slhdsa_verify(set, pk, msg, msglen, (const uint8_t *)"x", 1, sig, siglen),
                     TK_PQC_EVERIFY);

    free(seed);
    free(pk);
    free(sk);
    free(msg);
    free(ctx);
    free(sig);
    free(mysig);
}

static void
tk_test_kat(void **state)
{
    cJSON *json = tk_test_load_json("slh_dsa_pure_deterministic.json");
    const cJSON *vectors = cJSON_GetObjectItemCaseSensitive(json, "vectors");
    tk_slhdsa_set set = tk_test_set_by_name(tk_test_set_name);
    const cJSON *v;
    int seen = 0;

    (void)state;
    cJSON_ArrayForEach(v, vectors)
    {
        const cJSON *ckp = cJSON_GetObjectItemCaseSensitive(v, "ckp");

        if (strcmp(tk_test_str(v, "parameterSet"), tk_test_set_name) != 0) {
            continue;
        }
        assert_int_equal(ckp->valueint, (int)set);
        tk_test_one_kat(v, set, !tk_test_is_slow(set) || seen == 0 || seen == 3);
        seen++;
    }
    assert_int_equal(seen, 4);
    cJSON_Delete(json);
}

static void
tk_test_acvp_keygen(void **state)
{
    cJSON *json = tk_test_load_json("SLH-DSA-keyGen-FIPS205.json");
    const cJSON *g;
    int count = 0;

    (void)state;
    cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(json, "testGroups"))
    {
        tk_slhdsa_set set = tk_test_set_by_name(tk_test_str(g, "parameterSet"));
        const cJSON *t;

        cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(g, "tests"))
        {
            size_t l1, l2, l3, pklen, sklen;
            uint8_t *sk_seed = tk_test_unhex(tk_test_str(t, "skSeed"), &l1);
            uint8_t *sk_prf = tk_test_unhex(tk_test_str(t, "skPrf"), &l2);
            uint8_t *pk_seed = tk_test_unhex(tk_test_str(t, "pkSeed"), &l3);
            uint8_t *sk = tk_test_unhex(tk_test_str(t, "sk"), &sklen);
            uint8_t *pk = tk_test_unhex(tk_test_str(t, "pk"), &pklen);
            uint8_t mypk[TK_SLHDSA_MAX_PK_LEN], mysk[TK_SLHDSA_MAX_SK_LEN];

            assert_int_equal(sklen, tk_slhdsa_sk_len(set));
            assert_int_equal(tk_slhdsa_keygen(set, sk_seed, sk_prf, pk_seed, mysk, mypk),
                             TK_PQC_OK);
            assert_memory_equal(mysk, sk, sklen);
            assert_memory_equal(mypk, pk, pklen);
            free(sk_seed);
            free(sk_prf);
            free(pk_seed);
            free(sk);
            free(pk);
            count++;
        }
    }
    assert_int_equal(count, 40);
    cJSON_Delete(json);
}

/* sigVer on the internal interface: the file's message is M'. */
static void
tk_test_acvp_sigver(void **state)
{
    cJSON *json = tk_test_load_json("SLH-DSA-sigVer-FIPS205.json");
    const cJSON *g;
    int count = 0, valid = 0;

    (void)state;
    cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(json, "testGroups"))
    {
        tk_slhdsa_set set = tk_test_set_by_name(tk_test_str(g, "parameterSet"));
        const cJSON *t;

        cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(g, "tests"))
        {
            size_t pklen, mlen, siglen;
            uint8_t *pk = tk_test_unhex(tk_test_str(t, "pk"), &pklen);
            uint8_t *msg = tk_test_unhex(tk_test_str(t, "message"), &mlen);
            uint8_t *sig = tk_test_unhex(tk_test_str(t, "signature"), &siglen);
            const uint8_t *parts[1] = {msg};
            int expect = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(t, "testPassed"));
            int rc = tk_slhdsa_verify_internal(set, pk, parts, &mlen, 1, sig, siglen);

            assert_int_equal(pklen, tk_slhdsa_pk_len(set));
            if (rc != (expect ? TK_PQC_OK : TK_PQC_EVERIFY)) {
                fail_msg("tcId %d: rc %d, expected %s", cJSON_GetObjectItem(t, "tcId")->valueint,
                         rc, expect ? "valid" : "invalid");
            }
            valid += expect;
            free(pk);
            free(msg);
            free(sig);
            count++;
        }
    }
    assert_int_equal(count, 45);
    assert_int_equal(valid, 15);
    cJSON_Delete(json);
}

static void
tk_test_lengths(void **state)
{
    static const size_t sig_lens[12] = {
        7856, 7856, 17088, 17088, 16224, 16224, 35664, 35664, 29792, 29792, 49856, 49856,
    };

    (void)state;
    for (int s = 1; s <= 12; s++) {
        size_t n = s <= 4 ? 16 : s <= 8 ? 24 : 32;

        assert_int_equal(tk_slhdsa_n((tk_slhdsa_set)s), n);
        assert_int_equal(tk_slhdsa_pk_len((tk_slhdsa_set)s), 2 * n);
        assert_int_equal(tk_slhdsa_sk_len((tk_slhdsa_set)s), 4 * n);
        assert_int_equal(tk_slhdsa_sig_len((tk_slhdsa_set)s), sig_lens[s - 1]);
    }
    assert_int_equal(tk_slhdsa_n((tk_slhdsa_set)0), 0);
    assert_int_equal(tk_slhdsa_sig_len((tk_slhdsa_set)13), 0);
}

/* A key for the API tests from fixed seeds. */
static void
tk_test_key(tk_slhdsa_set set, uint8_t *sk, uint8_t *pk)
{
    uint8_t seeds[3 * TK_SLHDSA_MAX_N];
    size_t n = tk_slhdsa_n(set);

    for (size_t i = 0; i < sizeof(seeds); i++) {
        seeds[i] = (uint8_t)(i * 7 + 1);
    }
    assert_int_equal(tk_slhdsa_keygen(set, seeds, seeds + n, seeds + 2 * n, sk, pk), TK_PQC_OK);
}

static const uint8_t tk_test_sha256_oid[11] = {
    0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
};

static void
tk_test_api_set(tk_slhdsa_set set)
{
    static uint8_t sig[TK_SLHDSA_MAX_SIG_LEN], sig2[TK_SLHDSA_MAX_SIG_LEN];
    static const uint8_t msg[] = "message to sign";
    uint8_t sk[TK_SLHDSA_MAX_SK_LEN], pk[TK_SLHDSA_MAX_PK_LEN], ctx[256] = {0};
    uint8_t addrnd[TK_SLHDSA_MAX_N], digest[32] = {1, 2, 3};
    size_t siglen = tk_slhdsa_sig_len(set), n = tk_slhdsa_n(set);
    const uint8_t *parts[3] = {msg, msg + 3, msg + 3};
    size_t lens[3] = {3, 0, sizeof(msg) - 3};
    const uint8_t *whole[1] = {msg};
    size_t wlen = sizeof(msg);

    memset(addrnd, 0x5a, sizeof(addrnd));
    tk_test_key(set, sk, pk);
    assert_int_equal(tk_slhdsa_check_sk(set, sk), TK_PQC_OK);

    /* Hedged: verifies, and differs from the deterministic signature. */
    assert_int_equal(tk_slhdsa_sign(set, sk, msg, sizeof(msg), ctx, 5, addrnd, sig), TK_PQC_OK);
    assert_int_equal(tk_slhdsa_verify(set, pk, msg, sizeof(msg), ctx, 5, sig, siglen), TK_PQC_OK);
    assert_int_equal(tk_slhdsa_sign(set, sk, msg, sizeof(msg), ctx, 5, NULL, sig2), TK_PQC_OK);
    assert_memory_not_equal(sig, sig2, n);
    assert_int_equal(tk_slhdsa_verify(set, pk, msg, sizeof(msg), ctx, 5, sig2, siglen), TK_PQC_OK);
    assert_int_equal(tk_slhdsa_verify(set, pk, msg, sizeof(msg), ctx, 5, sig, siglen - 1),
                     TK_PQC_EVERIFY);

    /* Signatures of the right length but all 0x00 or all 0xFF. */
    memset(sig2, 0x00, siglen);
    assert_int_equal(tk_slhdsa_verify(set, pk, msg, sizeof(msg), ctx, 5, sig2, siglen),
                     TK_PQC_EVERIFY);
    memset(sig2, 0xff, siglen);
    assert_int_equal(tk_slhdsa_verify(set, pk, msg, sizeof(msg), ctx, 5, sig2, siglen),
                     TK_PQC_EVERIFY);

    /* M' in pieces hashes like M' in one piece. */
    assert_int_equal(tk_slhdsa_sign_internal(set, sk, parts, lens, 3, NULL, sig), TK_PQC_OK);
    assert_int_equal(tk_slhdsa_verify_internal(set, pk, whole, &wlen, 1, sig, siglen), TK_PQC_OK);

    /* Context of 255 bytes is fine, 256 is not. */
    assert_int_equal(tk_slhdsa_sign(set, sk, msg, sizeof(msg), ctx, 256, NULL, sig),
                     TK_PQC_EPARAM);
    assert_int_equal(tk_slhdsa_verify(set, pk, msg, sizeof(msg), ctx, 256, sig, siglen),
                     TK_PQC_EPARAM);
    assert_int_equal(tk_slhdsa_sign(set, sk, msg, sizeof(msg), ctx, 255, NULL, sig), TK_PQC_OK);
    assert_int_equal(tk_slhdsa_verify(set, pk, msg, sizeof(msg), ctx, 255, sig, siglen),
                     TK_PQC_OK);

    /* Pre-hash: verifies as pre-hash only; OID and digest length checked. */
    assert_int_equal(tk_slhdsa_sign_prehash(set, sk, tk_test_sha256_oid, 11, digest, 32, ctx, 0,
                                            NULL, sig),
                     TK_PQC_OK);
    assert_int_equal(tk_slhdsa_verify_prehash(set, pk, tk_test_sha256_oid, 11, digest, 32, ctx,
                                              0, sig, siglen),
                     TK_PQC_OK);
    assert_int_equal(tk_slhdsa_verify(set, pk, digest, 32, ctx, 0, sig, siglen), TK_PQC_EVERIFY);
    {
        /* ... and equals the internal signature of 0x01 || 0 || OID || PH(M)
         * [FIPS 205 Alg. 23]. */
        uint8_t mp[2 + 11 + 32] = {1, 0};
        const uint8_t *one[1] = {mp};
        size_t mplen = sizeof(mp);

        memcpy(mp + 2, tk_test_sha256_oid, 11);
        memcpy(mp + 13, digest, 32);
        assert_int_equal(tk_slhdsa_sign_internal(set, sk, one, &mplen, 1, NULL, sig2), TK_PQC_OK);
        assert_memory_equal(sig, sig2, siglen);
    }
    assert_int_equal(tk_slhdsa_sign_prehash(set, sk, tk_test_sha256_oid, 11, digest, 31, ctx, 0,
                                            NULL, sig),
                     TK_PQC_EPARAM);
    assert_int_equal(tk_slhdsa_verify_prehash(set, pk, tk_test_sha256_oid, 10, digest, 32, ctx,
                                              0, sig, siglen),
                     TK_PQC_EPARAM);

    /* A private key whose PK.root does not match its seeds. */
    sk[4 * n - 1] ^= 1;
    assert_int_equal(tk_slhdsa_check_sk(set, sk), TK_PQC_EBADKEY);
    memset(sig, 0xee, siglen);
    assert_int_equal(tk_slhdsa_sign(set, sk, msg, sizeof(msg), NULL, 0, NULL, sig),
                     TK_PQC_EBADKEY);
    memset(sig2, 0, siglen);
    assert_memory_equal(sig, sig2, siglen);
}

static void
tk_test_api(void **state)
{
    uint8_t buf[64] = {0};
    const uint8_t *parts[1] = {buf};
    size_t len = 1;

    (void)state;
    tk_test_api_set(TK_SLHDSA_SHA2_128F);
    tk_test_api_set(TK_SLHDSA_SHAKE_128F);
    tk_test_api_set(TK_SLHDSA_SHA2_192F);

    assert_int_equal(tk_slhdsa_keygen((tk_slhdsa_set)0, buf, buf, buf, buf, buf), TK_PQC_EPARAM);
    assert_int_equal(tk_slhdsa_sign_internal((tk_slhdsa_set)13, buf, parts, &len, 1, NULL, buf),
                     TK_PQC_EPARAM);
    assert_int_equal(tk_slhdsa_verify_internal((tk_slhdsa_set)13, buf, parts, &len, 1, buf, 1),
                     TK_PQC_EPARAM);
    assert_int_equal(tk_slhdsa_check_sk((tk_slhdsa_set)0, buf), TK_PQC_EPARAM);
}

int
main(int argc, char **argv)
{
    const struct CMUnitTest kat[] = {cmocka_unit_test(tk_test_kat)};
    const struct CMUnitTest acvp[] = {
        cmocka_unit_test(tk_test_acvp_keygen),
        cmocka_unit_test(tk_test_acvp_sigver),
    };
    const struct CMUnitTest api[] = {
        cmocka_unit_test(tk_test_lengths),
        cmocka_unit_test(tk_test_api),
    };

    if (argc == 3 && strcmp(argv[1], "kat") == 0) {
        tk_test_set_name = argv[2];
        return cmocka_run_group_tests_name(argv[2], kat, NULL, NULL);
    }
    if (argc == 2 && strcmp(argv[1], "acvp") == 0) {
        return cmocka_run_group_tests_name("acvp", acvp, NULL, NULL);
    }
    if (argc == 2 && strcmp(argv[1], "api") == 0) {
        return cmocka_run_group_tests_name("api", api, NULL, NULL);
    }
    fprintf(stderr, "usage: %s kat <set> | acvp | api\n", argv[0]);
    return 2;
}
