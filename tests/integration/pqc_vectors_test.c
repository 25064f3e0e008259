/*
 * ML-KEM, ML-DSA and SLH-DSA known answers through the module's function
 * list (tests/vectors/{mlkem,mldsa,slhdsa}): keys made with
 * C_CreateObject from seeds or values and read back, shared secrets from
 * C_DecapsulateKey, signatures from C_Sign with CKH_DETERMINISTIC_REQUIRED
 * and checked with C_Verify.
 *
 * What the API cannot express is left to the algorithm unit tests
 * (tests/unit/crypto/pqc) and counted here as skipped:
 *  - ACVP ML-DSA sigGen/sigVer and SLH-DSA sigVer use the internal
 *    interface (the message is M' or mu), which PKCS #11 does not offer;
 *  - Wycheproof ML-DSA "Internal" cases (mu without a message);
 *  - CCTV key generation follows the FIPS 203 draft (see test_mlkem_cctv);
 *  - encapsulation known answers need a chosen m, while C_EncapsulateKey
 *    draws it itself: their keys are imported (valid ones must be
 *    accepted and encapsulate, invalid ones refused) and, where the
 *    vector has dk, the ciphertext is decapsulated to the expected K;
 *  - hedged (randomised) signatures are verified, not reproduced.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pqc_util.h"

#define PIN(s) (CK_UTF8CHAR_PTR)(s), strlen(s)

static CK_SESSION_HANDLE tk_s;

static int
setup(void **state)
{
    CK_SLOT_ID slot;

    (void)state;
    th_setup(NULL);
    slot = th_make_token("pqc-vectors");
    tk_s = th_open(slot, 1);
    assert_int_equal(th.f->C_Login(tk_s, CKU_USER, PIN(TH_USER_PIN)), CKR_OK);
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    th_teardown();
    return 0;
}

static const char *
str(const cJSON *o, const char *name)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, name);

    return cJSON_IsString(it) ? it->valuestring : "";
}

static int
has_flag(const cJSON *t, const char *flag)
{
    const cJSON *f;

    cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(t, "flags")) {
        if (cJSON_IsString(f) && strcmp(f->valuestring, flag) == 0) {
            return 1;
        }
    }
    return 0;
}

static void
destroy(CK_OBJECT_HANDLE h)
{
    assert_int_equal(th.f->C_DestroyObject(tk_s, h), CKR_OK);
}

/* ---- ML-KEM ---- */

/* A private key from seed; its CKA_VALUE must be dk. */
static void
mlkem_seed_gives(CK_ULONG set, const uint8_t *seed, size_t sl, const uint8_t *dk, size_t dl,
                 const uint8_t *ek, size_t el)
{
    CK_OBJECT_HANDLE h;
    uint8_t *v;
    size_t vl = 0;

    assert_int_equal(pq_make_priv(tk_s, CKK_ML_KEM, set, NULL, 0, seed, sl, CKA_DECAPSULATE, &h),
                     CKR_OK);
    v = pq_attr(tk_s, h, CKA_VALUE, &vl);
    assert_int_equal(vl, dl);
    assert_memory_equal(v, dk, dl);
    free(v);
    destroy(h);
    /* Both given and agreeing is fine too; the public key imports. */
    assert_int_equal(pq_make_priv(tk_s, CKK_ML_KEM, set, dk, dl, seed, sl, CKA_DECAPSULATE, &h),
                     CKR_OK);
    destroy(h);
    assert_int_equal(pq_make_pub(tk_s, CKK_ML_KEM, set, ek, el, CKA_ENCAPSULATE, &h), CKR_OK);
    destroy(h);
}

static void
test_mlkem_keygen(void **state)
{
    static const char *files[] = {"mlkem/wycheproof/mlkem_512_keygen_seed_test.json",
                                  "mlkem/wycheproof/mlkem_768_keygen_seed_test.json",
                                  "mlkem/wycheproof/mlkem_1024_keygen_seed_test.json"};
    int n = 0;
    cJSON *root;
    const cJSON *g;
    const cJSON *t;

    (void)state;
    for (size_t f = 0; f < 3; f++) {
        root = pq_load(files[f]);
        cJSON_ArrayForEach(g, cJSON_GetObjectItem(root, "testGroups")) {
            CK_ULONG set = pq_set_by_name(str(g, "parameterSet"));
            cJSON_ArrayForEach(t, cJSON_GetObjectItem(g, "tests")) {
                size_t sl, dl, el;
                uint8_t *seed = pq_hex(t, "seed", &sl);
                uint8_t *dk = pq_hex(t, "dk", &dl);
                uint8_t *ek = pq_hex(t, "ek", &el);
                assert_string_equal(str(t, "result"), "valid");
                mlkem_seed_gives(set, seed, sl, dk, dl, ek, el);
                free(seed);
                free(dk);
                free(ek);
                n++;
            }
        }
        cJSON_Delete(root);
    }
    root = pq_load("mlkem/acvp/ML-KEM-keyGen-FIPS203.json");
    cJSON_ArrayForEach(g, cJSON_GetObjectItem(root, "testGroups")) {
        CK_ULONG set = pq_set_by_name(str(g, "parameterSet"));
        cJSON_ArrayForEach(t, cJSON_GetObjectItem(g, "tests")) {
            size_t l1, l2, dl, el;
            uint8_t *d = pq_hex(t, "d", &l1);
            uint8_t *z = pq_hex(t, "z", &l2);
            uint8_t *dk = pq_hex(t, "dk", &dl);
            uint8_t *ek = pq_hex(t, "ek", &el);
            uint8_t seed[64];
            assert_int_equal(l1 + l2, 64);
            memcpy(seed, d, 32);
            memcpy(seed + 32, z, 32);
            mlkem_seed_gives(set, seed, 64, dk, dl, ek, el);
            free(d);
            free(z);
            free(dk);
            free(ek);
            n++;
        }
    }
    cJSON_Delete(root);
    printf("ML-KEM key generation from seeds: %d vectors\n", n);
}

/* Wycheproof seed/ciphertext cases: decapsulate, or refuse the key or
 * the ciphertext length. */
static void
mlkem_wycheproof_decaps(const char *file, int *ok, int *refused)
{
    cJSON *root = pq_load(file);
    const cJSON *g;
    const cJSON *t;

    cJSON_ArrayForEach(g, cJSON_GetObjectItem(root, "testGroups")) {
        CK_ULONG set = pq_set_by_name(str(g, "parameterSet"));
        cJSON_ArrayForEach(t, cJSON_GetObjectItem(g, "tests")) {
            size_t sl, cl, kl;
            uint8_t *seed = pq_hex(t, "seed", &sl);
            uint8_t *c = pq_hex(t, "c", &cl);
            uint8_t *k = pq_hex(t, "K", &kl);
            uint8_t got[32];
            int valid = strcmp(str(t, "result"), "valid") == 0;
            CK_OBJECT_HANDLE h;
            CK_RV rv = pq_make_priv(tk_s, CKK_ML_KEM, set, NULL, 0, seed, sl, CKA_DECAPSULATE,
                                    &h);
            if (rv == CKR_OK) {
                rv = pq_decaps(tk_s, h, c, cl, got);
                destroy(h);
                if (valid) {
                    assert_int_equal(rv, CKR_OK);
                    assert_memory_equal(got, k, 32);
                } else {
                    assert_int_equal(rv, CKR_WRAPPED_KEY_LEN_RANGE);
                }
            } else {
                assert_false(valid);
                assert_int_equal(rv, CKR_ATTRIBUTE_VALUE_INVALID);
            }
            *(valid ? ok : refused) += 1;
            free(seed);
            free(c);
            free(k);
        }
    }
    cJSON_Delete(root);
}

/* Expanded dk given alone: the §7.3 check on import, then decapsulate. */
static void
mlkem_semi_expanded(const char *file, int *ok, int *refused)
{
    cJSON *root = pq_load(file);
    const cJSON *g;
    const cJSON *t;

    cJSON_ArrayForEach(g, cJSON_GetObjectItem(root, "testGroups")) {
        CK_ULONG set = pq_set_by_name(str(g, "parameterSet"));
        cJSON_ArrayForEach(t, cJSON_GetObjectItem(g, "tests")) {
            size_t dl, cl, kl;
            uint8_t *dk = pq_hex(t, "dk", &dl);
            uint8_t *c = pq_hex(t, "c", &cl);
            uint8_t *k = pq_hex(t, "K", &kl);
            uint8_t got[32];
            int valid = strcmp(str(t, "result"), "valid") == 0;
            CK_OBJECT_HANDLE h;
            CK_RV rv = pq_make_priv(tk_s, CKK_ML_KEM, set, dk, dl, NULL, 0, CKA_DECAPSULATE, &h);
            if (has_flag(t, "IncorrectDecapsulationKeyLength") ||
                has_flag(t, "InvalidDecapsulationKey")) {
                assert_int_equal(rv, CKR_ATTRIBUTE_VALUE_INVALID);
            } else {
                assert_int_equal(rv, CKR_OK);
                rv = pq_decaps(tk_s, h, c, cl, got);
                destroy(h);
                if (valid) {
                    assert_int_equal(rv, CKR_OK);
                    assert_memory_equal(got, k, 32);
                } else {
                    assert_int_equal(rv, CKR_WRAPPED_KEY_LEN_RANGE);
                }
            }
            *(valid ? ok : refused) += 1;
            free(dk);
            free(c);
            free(k);
        }
    }
    cJSON_Delete(root);
}

/* ACVP encapDecap: every (dk, c) pair decapsulates to k. */
static void
mlkem_acvp(int *ok)
{
    cJSON *root = pq_load("mlkem/acvp/ML-KEM-encapDecap-FIPS203.json");
    const cJSON *g;
    const cJSON *t;

    cJSON_ArrayForEach(g, cJSON_GetObjectItem(root, "testGroups")) {
        CK_ULONG set = pq_set_by_name(str(g, "parameterSet"));
        int group_key = strcmp(str(g, "function"), "decapsulation") == 0;
        cJSON_ArrayForEach(t, cJSON_GetObjectItem(g, "tests")) {
            size_t dl, el, cl, kl;
            const cJSON *kh = group_key ? g : t;
            uint8_t *dk = pq_hex(kh, "dk", &dl);
            uint8_t *ek = pq_hex(kh, "ek", &el);
            uint8_t *c = pq_hex(t, "c", &cl);
            uint8_t *k = pq_hex(t, "k", &kl);
            uint8_t got[32];
            CK_OBJECT_HANDLE h;
            assert_int_equal(pq_make_pub(tk_s, CKK_ML_KEM, set, ek, el, CKA_ENCAPSULATE, &h),
                             CKR_OK);
            destroy(h);
            assert_int_equal(
                pq_make_priv(tk_s, CKK_ML_KEM, set, dk, dl, NULL, 0, CKA_DECAPSULATE, &h), CKR_OK);
            assert_int_equal(pq_decaps(tk_s, h, c, cl, got), CKR_OK);
            assert_memory_equal(got, k, 32);
            destroy(h);
            *ok += 1;
            free(dk);
            free(ek);
            free(c);
            free(k);
        }
    }
    cJSON_Delete(root);
}

static void
test_mlkem_decaps(void **state)
{
    static const char *plain[] = {"mlkem/wycheproof/mlkem_512_test.json",
                                  "mlkem/wycheproof/mlkem_768_test.json",
                                  "mlkem/wycheproof/mlkem_1024_test.json"};
    static const char *semi[] = {"mlkem/wycheproof/mlkem_512_semi_expanded_decaps_test.json",
                                 "mlkem/wycheproof/mlkem_768_semi_expanded_decaps_test.json",
                                 "mlkem/wycheproof/mlkem_1024_semi_expanded_decaps_test.json"};
    int ok = 0;
    int refused = 0;

    (void)state;
    for (size_t i = 0; i < 3; i++) {
        mlkem_wycheproof_decaps(plain[i], &ok, &refused);
        mlkem_semi_expanded(semi[i], &ok, &refused);
    }
    mlkem_acvp(&ok);
    printf("ML-KEM decapsulation: %d valid, %d refused as expected\n", ok, refused);
}

/* Wycheproof encapsulation keys: valid ones import and encapsulate,
 * invalid ones (wrong length, coefficients >= q) are refused. */
static void
test_mlkem_encaps(void **state)
{
    static const char *files[] = {"mlkem/wycheproof/mlkem_512_encaps_test.json",
                                  "mlkem/wycheproof/mlkem_768_encaps_test.json",
                                  "mlkem/wycheproof/mlkem_1024_encaps_test.json"};
    int ok = 0;
    int refused = 0;

    (void)state;
    for (size_t f = 0; f < 3; f++) {
        cJSON *root = pq_load(files[f]);
        const cJSON *g;
        const cJSON *t;
        cJSON_ArrayForEach(g, cJSON_GetObjectItem(root, "testGroups")) {
            CK_ULONG set = pq_set_by_name(str(g, "parameterSet"));
            cJSON_ArrayForEach(t, cJSON_GetObjectItem(g, "tests")) {
                size_t el;
                uint8_t *ek = pq_hex(t, "ek", &el);
                int valid = strcmp(str(t, "result"), "valid") == 0;
                CK_OBJECT_HANDLE h;
                CK_RV rv = pq_make_pub(tk_s, CKK_ML_KEM, set, ek, el, CKA_ENCAPSULATE, &h);
                if (valid) {
                    CK_MECHANISM m = {CKM_ML_KEM, NULL, 0};
                    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
                    CK_ATTRIBUTE kt[] = {{CKA_CLASS, &cls, sizeof(cls)}};
                    uint8_t ct[1568];
                    CK_ULONG cl = sizeof(ct);
                    CK_OBJECT_HANDLE k;
                    assert_int_equal(rv, CKR_OK);
                    assert_int_equal(th.f->C_EncapsulateKey(tk_s, &m, h, kt, 1, ct, &cl, &k),
                                     CKR_OK);
                    destroy(k);
                    destroy(h);
                    ok++;
                } else {
                    assert_int_equal(rv, CKR_ATTRIBUTE_VALUE_INVALID);
                    refused++;
                }
                free(ek);
            }
        }
        cJSON_Delete(root);
    }
    printf("ML-KEM encapsulation keys: %d valid, %d refused as expected\n", ok, refused);
}

/* The value of "name = hex" in a CCTV text file, or NULL. */
static uint8_t *
cctv_value(const char *path, const char *name, size_t *len)
{
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0;
    size_t nl = strlen(name);
    uint8_t *v = NULL;

    assert_non_null(f);
    while (v == NULL && getline(&line, &cap, f) > 0) {
        if (strncmp(line, name, nl) == 0 && strncmp(line + nl, " = ", 3) == 0) {
            line[strcspn(line, "\r\n")] = 0;
            v = pq_unhex(line + nl + 3, len);
        }
    }
    free(line);
    fclose(f);
    return v;
}

/*
 * C2SP CCTV. Its key generation is the FIPS 203 draft's (G(d), not
 * G(d || k)), which PKCS #11 cannot express, so the keys are imported
 * expanded: dk (checked as [FIPS 203 §7.3] says) must decapsulate c to K,
 * and every "modulus" encapsulation key must be refused [FIPS 203 §7.2].
 */
static void
test_mlkem_cctv(void **state)
{
    static const char *names[] = {"ML-KEM-512", "ML-KEM-768", "ML-KEM-1024"};
    static const char *dirs[] = {"intermediate", "strcmp", "unluckysample"};
    char path[512];
    int ok = 0;
    int refused = 0;

    (void)state;
    for (CK_ULONG set = 1; set <= 3; set++) {
        char cmd[600];
        FILE *p;
        char *line = NULL;
        size_t cap = 0;
        for (size_t d = 0; d < 3; d++) {
            size_t dl, cl, kl;
            uint8_t *dk;
            uint8_t *c;
            uint8_t *k;
            uint8_t got[32];
            CK_OBJECT_HANDLE h;
            snprintf(path, sizeof(path), "%s/mlkem/cctv/%s/%s.txt", TK_TEST_VECTORS, dirs[d],
                     names[set - 1]);
            dk = cctv_value(path, "dk", &dl);
            c = cctv_value(path, "c", &cl);
            k = cctv_value(path, "K", &kl);
            assert_non_null(dk);
            assert_non_null(c);
            assert_non_null(k);
            assert_int_equal(
                pq_make_priv(tk_s, CKK_ML_KEM, set, dk, dl, NULL, 0, CKA_DECAPSULATE, &h), CKR_OK);
            assert_int_equal(pq_decaps(tk_s, h, c, cl, got), CKR_OK);
            assert_memory_equal(got, k, 32);
            destroy(h);
            free(dk);
            free(c);
            free(k);
            ok++;
        }
        snprintf(cmd, sizeof(cmd), "gzip -dc '%s/mlkem/cctv/modulus/%s.txt.gz'", TK_TEST_VECTORS,
                 names[set - 1]);
        p = popen(cmd, "r");
        assert_non_null(p);
        while (getline(&line, &cap, p) > 0) {
            size_t el;
            uint8_t *ek;
            CK_OBJECT_HANDLE h;
            line[strcspn(line, "\r\n")] = 0;
            ek = pq_unhex(line, &el);
            assert_int_equal(pq_make_pub(tk_s, CKK_ML_KEM, set, ek, el, CKA_ENCAPSULATE, &h),
                             CKR_ATTRIBUTE_VALUE_INVALID);
            free(ek);
            refused++;
        }
        free(line);
        assert_int_equal(pclose(p), 0);
    }
    assert_true(refused > 0);
    printf("ML-KEM CCTV: %d decapsulations, %d unreduced keys refused\n", ok, refused);
}

/* ---- ML-DSA ---- */

static void
test_mldsa_keygen(void **state)
{
    cJSON *root = pq_load("mldsa/acvp/ML-DSA-keyGen-FIPS204.json");
    const cJSON *g;
    const cJSON *t;
    int n = 0;

    (void)state;
    cJSON_ArrayForEach(g, cJSON_GetObjectItem(root, "testGroups")) {
        CK_ULONG set = pq_set_by_name(str(g, "parameterSet"));
        cJSON_ArrayForEach(t, cJSON_GetObjectItem(g, "tests")) {
            size_t sl, kl, pl, vl;
            uint8_t *seed = pq_hex(t, "seed", &sl);
            uint8_t *sk = pq_hex(t, "sk", &kl);
            uint8_t *pk = pq_hex(t, "pk", &pl);
            uint8_t *v;
            CK_OBJECT_HANDLE h;
            assert_int_equal(pq_make_priv(tk_s, CKK_ML_DSA, set, NULL, 0, seed, sl, CKA_SIGN, &h),
                             CKR_OK);
            v = pq_attr(tk_s, h, CKA_VALUE, &vl);
            assert_int_equal(vl, kl);
            assert_memory_equal(v, sk, kl);
            destroy(h);
            assert_int_equal(pq_make_pub(tk_s, CKK_ML_DSA, set, pk, pl, CKA_VERIFY, &h), CKR_OK);
            destroy(h);
            free(v);
            free(seed);
            free(sk);
            free(pk);
            n++;
        }
    }
    cJSON_Delete(root);
    printf("ML-DSA key generation from seeds: %d vectors\n", n);
}

typedef struct {
    int ok;
    int refused;
    int skipped;
} counts;

/* One Wycheproof signing case with private key priv and public key pub. */
static void
mldsa_sign_case(const cJSON *t, CK_OBJECT_HANDLE priv, CK_OBJECT_HANDLE pub, counts *c)
{
    size_t ml, cl, sl;
    uint8_t *msg = pq_hex(t, "msg", &ml);
    uint8_t *ctx = pq_hex(t, "ctx", &cl);
    uint8_t *want = pq_hex(t, "sig", &sl);
    uint8_t *sig = malloc(50000);
    CK_SIGN_ADDITIONAL_CONTEXT p = {CKH_DETERMINISTIC_REQUIRED, ctx, cl};
    CK_MECHANISM m = {CKM_ML_DSA, &p, sizeof(p)};
    CK_ULONG got = 0;
    int valid = strcmp(str(t, "result"), "valid") == 0;

    assert_non_null(sig);
    if (cJSON_GetObjectItem(t, "msg") == NULL) {
        c->skipped++; /* internal interface: mu only */
    } else if (!valid) {
        assert_true(has_flag(t, "InvalidContext"));
        assert_int_equal(th.f->C_SignInit(tk_s, &m, priv), CKR_MECHANISM_PARAM_INVALID);
        c->refused++;
    } else if (has_flag(t, "Randomized")) {
        assert_int_equal(pq_verify(tk_s, &m, pub, msg, ml, want, sl), CKR_OK);
        c->ok++;
    } else {
        assert_int_equal(pq_sign(tk_s, &m, priv, msg, ml, sig, &got), CKR_OK);
        assert_int_equal(got, sl);
        assert_memory_equal(sig, want, sl);
        assert_int_equal(pq_verify(tk_s, &m, pub, msg, ml, sig, got), CKR_OK);
        c->ok++;
    }
    free(msg);
    free(ctx);
    free(want);
    free(sig);
}

static void
mldsa_sign_file(const char *file, int seeded, CK_ULONG set, counts *c)
{
    cJSON *root = pq_load(file);
    const cJSON *g;
    const cJSON *t;

    cJSON_ArrayForEach(g, cJSON_GetObjectItem(root, "testGroups")) {
        size_t kl, pl;
        uint8_t *key = pq_hex(g, seeded ? "privateSeed" : "privateKey", &kl);
        uint8_t *pk = pq_hex(g, "publicKey", &pl);
        CK_OBJECT_HANDLE priv = CK_INVALID_HANDLE;
        CK_OBJECT_HANDLE pub = CK_INVALID_HANDLE;
        CK_RV rv = seeded ? pq_make_priv(tk_s, CKK_ML_DSA, set, NULL, 0, key, kl, CKA_SIGN, &priv)
                          : pq_make_priv(tk_s, CKK_ML_DSA, set, key, kl, NULL, 0, CKA_SIGN, &priv);
        if (rv != CKR_OK) {
            /* A malformed key: every case of the group is invalid. */
            assert_int_equal(rv, CKR_ATTRIBUTE_VALUE_INVALID);
            cJSON_ArrayForEach(t, cJSON_GetObjectItem(g, "tests")) {
                assert_string_equal(str(t, "result"), "invalid");
                c->refused++;
            }
        } else {
            assert_int_equal(pq_make_pub(tk_s, CKK_ML_DSA, set, pk, pl, CKA_VERIFY, &pub),
                             CKR_OK);
            cJSON_ArrayForEach(t, cJSON_GetObjectItem(g, "tests")) {
                mldsa_sign_case(t, priv, pub, c);
            }
            destroy(priv);
            destroy(pub);
        }
        free(key);
        free(pk);
    }
    cJSON_Delete(root);
}

static void
test_mldsa_sign(void **state)
{
    static const char *sets[] = {"44", "65", "87"};
    counts c = {0};
    char path[128];

    (void)state;
    for (CK_ULONG i = 0; i < 3; i++) {
        snprintf(path, sizeof(path), "mldsa/wycheproof/mldsa_%s_sign_seed_test.json", sets[i]);
        mldsa_sign_file(path, 1, i + 1, &c);
        snprintf(path, sizeof(path), "mldsa/wycheproof/mldsa_%s_sign_noseed_test.json", sets[i]);
        mldsa_sign_file(path, 0, i + 1, &c);
    }
    printf("ML-DSA signing: %d valid, %d refused as expected, %d internal-only skipped\n", c.ok,
           c.refused, c.skipped);
}

static void
mldsa_verify_case(const cJSON *t, CK_OBJECT_HANDLE pub, counts *c)
{
    size_t ml, cl, sl;
    uint8_t *msg = pq_hex(t, "msg", &ml);
    uint8_t *ctx = pq_hex(t, "ctx", &cl);
    uint8_t *sig = pq_hex(t, "sig", &sl);
    CK_SIGN_ADDITIONAL_CONTEXT p = {CKH_HEDGE_PREFERRED, ctx, cl};
    CK_MECHANISM m = {CKM_ML_DSA, &p, sizeof(p)};
    int valid = strcmp(str(t, "result"), "valid") == 0;
    CK_RV rv;

    if (cl > 255) {
        assert_false(valid);
        assert_int_equal(th.f->C_VerifyInit(tk_s, &m, pub), CKR_MECHANISM_PARAM_INVALID);
        c->refused++;
    } else {
        rv = pq_verify(tk_s, &m, pub, msg, ml, sig, sl);
        if (valid) {
            assert_int_equal(rv, CKR_OK);
            c->ok++;
        } else {
            assert_true(rv == CKR_SIGNATURE_INVALID || rv == CKR_SIGNATURE_LEN_RANGE);
            c->refused++;
        }
    }
    free(msg);
    free(ctx);
    free(sig);
}

static void
test_mldsa_verify(void **state)
{
    static const char *sets[] = {"44", "65", "87"};
    counts c = {0};
    char path[128];

    (void)state;
    for (CK_ULONG i = 0; i < 3; i++) {
        cJSON *root;
        const cJSON *g;
        const cJSON *t;
        snprintf(path, sizeof(path), "mldsa/wycheproof/mldsa_%s_verify_test.json", sets[i]);
        root = pq_load(path);
        cJSON_ArrayForEach(g, cJSON_GetObjectItem(root, "testGroups")) {
            size_t pl;
            uint8_t *pk = pq_hex(g, "publicKey", &pl);
            CK_OBJECT_HANDLE pub;
            CK_RV rv = pq_make_pub(tk_s, CKK_ML_DSA, i + 1, pk, pl, CKA_VERIFY, &pub);
            if (rv != CKR_OK) {
                assert_int_equal(rv, CKR_ATTRIBUTE_VALUE_INVALID);
                cJSON_ArrayForEach(t, cJSON_GetObjectItem(g, "tests")) {
                    assert_string_equal(str(t, "result"), "invalid");
                    c.refused++;
                }
            } else {
                cJSON_ArrayForEach(t, cJSON_GetObjectItem(g, "tests")) {
                    mldsa_verify_case(t, pub, &c);
                }
                destroy(pub);
            }
            free(pk);
        }
        cJSON_Delete(root);
    }
    printf("ML-DSA verification: %d valid, %d refused as expected\n", c.ok, c.refused);
}

/* ---- SLH-DSA ---- */

/* OpenSSL 3.5's deterministic pure signatures, all twelve sets. */
static void
test_slhdsa_deterministic(void **state)
{
    cJSON *root = pq_load("slhdsa/slh_dsa_pure_deterministic.json");
    const cJSON *t;
    int n = 0;
    uint8_t *sig = malloc(50000);

    (void)state;
    assert_non_null(sig);
    cJSON_ArrayForEach(t, cJSON_GetObjectItem(root, "vectors")) {
        CK_ULONG set = pq_set_by_name(str(t, "parameterSet"));
        size_t kl, pl, ml, cl, sl;
        uint8_t *sk = pq_hex(t, "sk", &kl);
        uint8_t *pk = pq_hex(t, "pk", &pl);
        uint8_t *msg = pq_hex(t, "msg", &ml);
        uint8_t *ctx = pq_hex(t, "ctx", &cl);
        uint8_t *want = pq_hex(t, "sig", &sl);
        CK_SIGN_ADDITIONAL_CONTEXT p = {CKH_DETERMINISTIC_REQUIRED, ctx, cl};
        CK_MECHANISM m = {CKM_SLH_DSA, &p, sizeof(p)};
        CK_OBJECT_HANDLE priv;
        CK_OBJECT_HANDLE pub;
        CK_ULONG got = 0;
        assert_int_not_equal(set, 0);
        assert_int_equal(pq_make_priv(tk_s, CKK_SLH_DSA, set, sk, kl, NULL, 0, CKA_SIGN, &priv),
                         CKR_OK);
        assert_int_equal(pq_make_pub(tk_s, CKK_SLH_DSA, set, pk, pl, CKA_VERIFY, &pub), CKR_OK);
        assert_int_equal(pq_sign(tk_s, &m, priv, msg, ml, sig, &got), CKR_OK);
        assert_int_equal(got, sl);
        assert_memory_equal(sig, want, sl);
        assert_int_equal(pq_verify(tk_s, &m, pub, msg, ml, want, sl), CKR_OK);
        want[sl - 1] ^= 1;
        assert_int_equal(pq_verify(tk_s, &m, pub, msg, ml, want, sl), CKR_SIGNATURE_INVALID);
        destroy(priv);
        destroy(pub);
        free(sk);
        free(pk);
        free(msg);
        free(ctx);
        free(want);
        n++;
    }
    free(sig);
    cJSON_Delete(root);
    printf("SLH-DSA deterministic signatures (OpenSSL 3.5): %d vectors\n", n);
}

/* ACVP key generation: the private key imports (its PK.root is
 * recomputed), a corrupted PK.root does not. */
static void
test_slhdsa_keygen(void **state)
{
    cJSON *root = pq_load("slhdsa/SLH-DSA-keyGen-FIPS205.json");
    const cJSON *g;
    const cJSON *t;
    int n = 0;

    (void)state;
    cJSON_ArrayForEach(g, cJSON_GetObjectItem(root, "testGroups")) {
        CK_ULONG set = pq_set_by_name(str(g, "parameterSet"));
        cJSON_ArrayForEach(t, cJSON_GetObjectItem(g, "tests")) {
            size_t kl, pl;
            uint8_t *sk = pq_hex(t, "sk", &kl);
            uint8_t *pk = pq_hex(t, "pk", &pl);
            CK_OBJECT_HANDLE h;
            assert_int_equal(pq_make_priv(tk_s, CKK_SLH_DSA, set, sk, kl, NULL, 0, CKA_SIGN, &h),
                             CKR_OK);
            destroy(h);
            assert_int_equal(pq_make_pub(tk_s, CKK_SLH_DSA, set, pk, pl, CKA_VERIFY, &h), CKR_OK);
            destroy(h);
            sk[kl - 1] ^= 0x80;
            assert_int_equal(pq_make_priv(tk_s, CKK_SLH_DSA, set, sk, kl, NULL, 0, CKA_SIGN, &h),
                             CKR_ATTRIBUTE_VALUE_INVALID);
            free(sk);
            free(pk);
            n++;
        }
    }
    cJSON_Delete(root);
    printf("SLH-DSA key import (ACVP keyGen): %d vectors; ACVP sigVer is internal-only\n", n);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mlkem_keygen),
        cmocka_unit_test(test_mlkem_decaps),
        cmocka_unit_test(test_mlkem_encaps),
        cmocka_unit_test(test_mlkem_cctv),
        cmocka_unit_test(test_mldsa_keygen),
        cmocka_unit_test(test_mldsa_sign),
        cmocka_unit_test(test_mldsa_verify),
        cmocka_unit_test(test_slhdsa_keygen),
        cmocka_unit_test(test_slhdsa_deterministic),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
