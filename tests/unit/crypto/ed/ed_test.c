/*
 * Our Ed25519 and Ed448 [RFC 8032]: the RFC's vectors (read from
 * tests/vectors/rfc8032/eddsa.txt), Wycheproof's ed25519 and ed448 cases,
 * and agreement with OpenSSL's pure Ed25519 and Ed448 on random keys and
 * messages, each side verifying the other's signatures.
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
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "crypto/ed/ed.h"
#include "testvec.h"

#define TK_MAX_HEX 4096

typedef struct {
    char inst[16];
    uint8_t sk[57], pk[57], msg[TK_MAX_HEX], ctx[255], sig[114];
    size_t sk_len, pk_len, msg_len, ctx_len, sig_len;
} tk_vec;

static int
tk_read_vec(FILE *f, tk_vec *v)
{
    static char line[4 * TK_MAX_HEX];
    char sk[256], pk[256], msg[2 * TK_MAX_HEX + 1], ctx[600], sig[512];

    while (fgets(line, sizeof(line), f) != NULL) {
        if (line[0] == '#' || line[0] == '\n') {
            continue;
        }
        assert_int_equal(sscanf(line, "%15s %255s %255s %8192s %599s %511s", v->inst, sk, pk,
                                msg, ctx, sig), 6);
        v->sk_len = tk_tv_unhex_dash(sk, v->sk, sizeof(v->sk));
        v->pk_len = tk_tv_unhex_dash(pk, v->pk, sizeof(v->pk));
        v->msg_len = tk_tv_unhex_dash(msg, v->msg, sizeof(v->msg));
        v->ctx_len = tk_tv_unhex_dash(ctx, v->ctx, sizeof(v->ctx));
        v->sig_len = tk_tv_unhex_dash(sig, v->sig, sizeof(v->sig));
        return 1;
    }
    return 0;
}

/* Sign and verify v with our code; 0 when everything matched. */
static void
tk_check_vec(const tk_vec *v)
{
    int is448 = strncmp(v->inst, "Ed448", 5) == 0;
    tk_ed_params p = {strcmp(v->inst, "Ed25519") != 0, strstr(v->inst, "ph") != NULL, v->ctx,
                      v->ctx_len};
    tk_ed_params wrong = p;
    uint8_t pub[57], sig[114], bad[114];
    const uint8_t other[] = "baz";

    wrong.context = other;
    wrong.context_len = 3;
    if (is448) {
        tk_ed448_public(pub, v->sk);
        assert_memory_equal(pub, v->pk, 57);
        assert_int_equal(tk_ed448_sign(sig, v->sk, pub, &p, v->msg, v->msg_len), 0);
        assert_memory_equal(sig, v->sig, 114);
        assert_int_equal(tk_ed448_verify(sig, pub, &p, v->msg, v->msg_len), 0);
        assert_int_not_equal(tk_ed448_verify(sig, pub, &wrong, v->msg, v->msg_len), 0);
        memcpy(bad, sig, 114);
        bad[70] ^= 1;
        assert_int_not_equal(tk_ed448_verify(bad, pub, &p, v->msg, v->msg_len), 0);
    } else {
        tk_ed25519_public(pub, v->sk);
        assert_memory_equal(pub, v->pk, 32);
        assert_int_equal(tk_ed25519_sign(sig, v->sk, pub, &p, v->msg, v->msg_len), 0);
        assert_memory_equal(sig, v->sig, 64);
        assert_int_equal(tk_ed25519_verify(sig, pub, &p, v->msg, v->msg_len), 0);
        wrong.dom = 1;
        assert_int_not_equal(tk_ed25519_verify(sig, pub, &wrong, v->msg, v->msg_len), 0);
        memcpy(bad, sig, 64);
        bad[5] ^= 1;
        assert_int_not_equal(tk_ed25519_verify(bad, pub, &p, v->msg, v->msg_len), 0);
    }
}

static void
test_rfc8032(void **state)
{
    FILE *f = fopen(TK_TEST_VECTORS "/rfc8032/eddsa.txt", "r");
    tk_vec *v = calloc(1, sizeof(*v));
    int n = 0;

    (void)state;
    assert_non_null(f);
    assert_non_null(v);
    while (tk_read_vec(f, v)) {
        tk_check_vec(v);
        n++;
    }
    fclose(f);
    free(v);
    print_message("rfc8032: %d vectors\n", n);
    assert_int_equal(n, 21);
}

/* Pure Ed25519 without dom2 refuses a context or prehash flag. */
static void
test_params_refused(void **state)
{
    uint8_t seed[32] = {1}, pub[32], sig[64];
    const uint8_t ctx[] = "x";
    tk_ed_params p = {0, 0, ctx, 1};
    tk_ed_params big = {1, 0, ctx, 256};

    (void)state;
    tk_ed25519_public(pub, seed);
    assert_int_equal(tk_ed25519_sign(sig, seed, pub, &p, ctx, 1), -1);
    assert_int_equal(tk_ed25519_sign(sig, seed, pub, &big, ctx, 1), -1);
}

static EVP_PKEY *
tk_ossl_key(int type, const uint8_t *seed, size_t len)
{
    EVP_PKEY *k = EVP_PKEY_new_raw_private_key(type, NULL, seed, len);

    assert_non_null(k);
    return k;
}

/* One random key and message: ours signs, OpenSSL verifies, and back. */
static void
tk_agree_once(int is448)
{
    size_t sl = is448 ? 57 : 32, gl = is448 ? 114 : 64;
    uint8_t seed[57], pub[57], opub[57], sig[114], osig[114], msg[300];
    size_t mlen, olen = sizeof(opub);
    tk_ed_params p = {0, 0, NULL, 0};
    EVP_PKEY *k;
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    unsigned char r[2];

    assert_int_equal(RAND_bytes(seed, (int)sl), 1);
    assert_int_equal(RAND_bytes(r, 2), 1);
    mlen = (size_t)(r[0] | (r[1] << 8)) % sizeof(msg);
    assert_int_equal(RAND_bytes(msg, (int)sizeof(msg)), 1);
    k = tk_ossl_key(is448 ? EVP_PKEY_ED448 : EVP_PKEY_ED25519, seed, sl);
    assert_int_equal(EVP_PKEY_get_raw_public_key(k, opub, &olen), 1);
    if (is448) {
        tk_ed448_public(pub, seed);
        assert_int_equal(tk_ed448_sign(sig, seed, pub, &p, msg, mlen), 0);
    } else {
        tk_ed25519_public(pub, seed);
        assert_int_equal(tk_ed25519_sign(sig, seed, pub, &p, msg, mlen), 0);
    }
    assert_memory_equal(pub, opub, sl);
    assert_int_equal(EVP_DigestVerifyInit(m, NULL, NULL, NULL, k), 1);
    assert_int_equal(EVP_DigestVerify(m, sig, gl, msg, mlen), 1);
    EVP_MD_CTX_reset(m);
    olen = gl;
    assert_int_equal(EVP_DigestSignInit(m, NULL, NULL, NULL, k), 1);
    assert_int_equal(EVP_DigestSign(m, osig, &olen, msg, mlen), 1);
    /* Deterministic: both must make the same bytes. */
    assert_memory_equal(sig, osig, gl);
    if (is448) {
        assert_int_equal(tk_ed448_verify(osig, pub, &p, msg, mlen), 0);
    } else {
        assert_int_equal(tk_ed25519_verify(osig, pub, &p, msg, mlen), 0);
    }
    EVP_MD_CTX_free(m);
    EVP_PKEY_free(k);
}

static void
test_openssl_agrees(void **state)
{
    int i;

    (void)state;
    for (i = 0; i < 64; i++) {
        tk_agree_once(0);
        tk_agree_once(1);
    }
}

static int
tk_wp_verify(int is448, const uint8_t *pk, size_t pk_len, const uint8_t *msg, size_t mlen,
             const uint8_t *sig, size_t sig_len)
{
    tk_ed_params p = {0, 0, NULL, 0};

    if (pk_len != (is448 ? 57u : 32u) || sig_len != (is448 ? 114u : 64u)) {
        return -1;
    }
    return is448 ? tk_ed448_verify(sig, pk, &p, msg, mlen)
                 : tk_ed25519_verify(sig, pk, &p, msg, mlen);
}

static void
tk_wycheproof(const char *file, int is448)
{
    char *text = tk_tv_read_file(file, NULL);
    cJSON *root = cJSON_Parse(text);
    cJSON *g, *t;
    static uint8_t pk[64], msg[TK_MAX_HEX], sig[256];
    size_t pl, ml, sl;
    int n = 0, bad = 0;
    const char *res;

    assert_non_null(root);
    cJSON_ArrayForEach(g, cJSON_GetObjectItem(root, "testGroups")) {
        const cJSON *key = cJSON_GetObjectItem(g, "publicKey");

        pl = tk_tv_unhex_dash(cJSON_GetObjectItem(key, "pk")->valuestring, pk, sizeof(pk));
        cJSON_ArrayForEach(t, cJSON_GetObjectItem(g, "tests")) {
            res = cJSON_GetObjectItem(t, "result")->valuestring;
            ml = tk_tv_unhex_dash(cJSON_GetObjectItem(t, "msg")->valuestring, msg, sizeof(msg));
            sl = tk_tv_unhex_dash(cJSON_GetObjectItem(t, "sig")->valuestring, sig, sizeof(sig));
            if (strcmp(res, "acceptable") == 0) {
                continue;
            }
            n++;
            if ((tk_wp_verify(is448, pk, pl, msg, ml, sig, sl) == 0) !=
                (strcmp(res, "valid") == 0)) {
                print_message("%s: tcId %d wrong (%s)\n", file,
                              cJSON_GetObjectItem(t, "tcId")->valueint, res);
                bad++;
            }
        }
    }
    print_message("%s: %d cases\n", file, n);
    cJSON_Delete(root);
    free(text);
    assert_int_equal(bad, 0);
    assert_true(n > 0);
}

static void
test_wycheproof_ed25519(void **state)
{
    (void)state;
    tk_wycheproof(TK_TEST_VECTORS "/wycheproof/ed25519_test.json", 0);
}

static void
test_wycheproof_ed448(void **state)
{
    (void)state;
    tk_wycheproof(TK_TEST_VECTORS "/wycheproof/ed448_test.json", 1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc8032),
        cmocka_unit_test(test_params_refused),
        cmocka_unit_test(test_openssl_agrees),
        cmocka_unit_test(test_wycheproof_ed25519),
        cmocka_unit_test(test_wycheproof_ed448),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
