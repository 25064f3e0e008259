/*
 * Wycheproof RSA vectors through the PKCS #11 API: keys imported with
 * C_CreateObject from their components, PKCS #1 v1.5 and PSS signatures
 * checked with C_Verify (and in parts), PKCS #1 v1.5 and OAEP
 * ciphertexts with C_Decrypt. A valid case must pass; an invalid one must
 * fail with the code the specification gives for it; an "acceptable"
 * one may do either. Private keys are also imported without their CRT
 * values, and every decryption case is run with both forms.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>
#include <cmocka.h>

#include "harness.h"
#include "testvec.h"

static CK_SESSION_HANDLE tk_s;

/* Totals, printed at the end so a run shows what it covered. */
static unsigned tk_valid_ok;
static unsigned tk_invalid_ok;
static unsigned tk_acceptable;

static int
setup(void **state)
{
    CK_SLOT_ID slot;

    (void)state;
    th_setup(NULL);
    slot = th_make_token("wycheproof-rsa");
    tk_s = th_open(slot, 1);
    assert_int_equal(th.f->C_Login(tk_s, CKU_USER, (CK_UTF8CHAR_PTR)TH_USER_PIN,
                                   strlen(TH_USER_PIN)),
                     CKR_OK);
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    printf("wycheproof rsa: %u valid, %u invalid, %u acceptable cases\n", tk_valid_ok,
           tk_invalid_ok, tk_acceptable);
    th.f->C_Finalize(NULL);
    th_teardown();
    return 0;
}

/* ---- JSON ---- */

/* Wycheproof writes numbers as signed DER integers: drop the sign byte. */
static uint8_t *
tk_num(const cJSON *o, const char *name, size_t *len)
{
    uint8_t *v = tk_tv_hex_req(o, name, len);

    while (*len > 1 && v[0] == 0) {
        memmove(v, v + 1, --*len);
    }
    return v;
}

/* ---- keys ---- */

static CK_OBJECT_HANDLE
tk_public(const cJSON *key)
{
    CK_OBJECT_CLASS cls = CKO_PUBLIC_KEY;
    CK_KEY_TYPE kt = CKK_RSA;
    CK_BBOOL yes = CK_TRUE;
    CK_BBOOL no = CK_FALSE;
    size_t n_len;
    size_t e_len;
    uint8_t *n = tk_num(key, "modulus", &n_len);
    uint8_t *e = tk_num(key, "publicExponent", &e_len);
    CK_ATTRIBUTE t[] = {
        {CKA_CLASS, &cls, sizeof(cls)},    {CKA_KEY_TYPE, &kt, sizeof(kt)},
        {CKA_TOKEN, &no, sizeof(no)},      {CKA_VERIFY, &yes, sizeof(yes)},
        {CKA_MODULUS, n, n_len},           {CKA_PUBLIC_EXPONENT, e, e_len},
    };
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;

    assert_int_equal(th.f->C_CreateObject(tk_s, t, sizeof(t) / sizeof(t[0]), &h), CKR_OK);
    free(n);
    free(e);
    return h;
}

/* A private key; crt zero leaves out the primes and CRT values. */
static CK_OBJECT_HANDLE
tk_private(const cJSON *key, int crt)
{
    static const struct {
        CK_ATTRIBUTE_TYPE type;
        const char *name;
    } parts[] = {
        {CKA_MODULUS, "modulus"},       {CKA_PUBLIC_EXPONENT, "publicExponent"},
        {CKA_PRIVATE_EXPONENT, "privateExponent"}, {CKA_PRIME_1, "prime1"},
        {CKA_PRIME_2, "prime2"},        {CKA_EXPONENT_1, "exponent1"},
        {CKA_EXPONENT_2, "exponent2"},  {CKA_COEFFICIENT, "coefficient"},
    };
    CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
    CK_KEY_TYPE kt = CKK_RSA;
    CK_BBOOL yes = CK_TRUE;
    CK_BBOOL no = CK_FALSE;
    CK_ATTRIBUTE t[12] = {
        {CKA_CLASS, &cls, sizeof(cls)},
        {CKA_KEY_TYPE, &kt, sizeof(kt)},
        {CKA_TOKEN, &no, sizeof(no)},
        {CKA_DECRYPT, &yes, sizeof(yes)},
    };
    CK_ULONG n = 4;
    size_t count = crt ? 8 : 3;
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;

    for (size_t i = 0; i < count; i++) {
        size_t len;
        t[n].type = parts[i].type;
        t[n].pValue = tk_num(key, parts[i].name, &len);
        t[n].ulValueLen = len;
        n++;
    }
    assert_int_equal(th.f->C_CreateObject(tk_s, t, n, &h), CKR_OK);
    for (CK_ULONG i = 4; i < n; i++) {
        free(t[i].pValue);
    }
    return h;
}

/* ---- names in the files ---- */

static CK_MECHANISM_TYPE
tk_hash_mech(const char *sha)
{
    if (strcmp(sha, "SHA-1") == 0) {
        return CKM_SHA_1;
    }
    if (strcmp(sha, "SHA-256") == 0) {
        return CKM_SHA256;
    }
    fail_msg("hash %s", sha);
    return 0;
}

static CK_RSA_PKCS_MGF_TYPE
tk_mgf(const char *sha)
{
    return tk_hash_mech(sha) == CKM_SHA_1 ? CKG_MGF1_SHA1 : CKG_MGF1_SHA256;
}

/* ---- signatures ---- */

/* One verification, single part; valid ones again in three parts. */
static CK_RV
tk_verify(CK_MECHANISM *m, CK_OBJECT_HANDLE key, const uint8_t *msg, size_t msg_len,
          const uint8_t *sig, size_t sig_len, int parts)
{
    CK_RV rv;
    size_t a = msg_len / 3;

    assert_int_equal(th.f->C_VerifyInit(tk_s, m, key), CKR_OK);
    if (!parts) {
        return th.f->C_Verify(tk_s, (CK_BYTE_PTR)msg, msg_len, (CK_BYTE_PTR)sig, sig_len);
    }
    assert_int_equal(th.f->C_VerifyUpdate(tk_s, (CK_BYTE_PTR)msg, a), CKR_OK);
    assert_int_equal(th.f->C_VerifyUpdate(tk_s, (CK_BYTE_PTR)msg + a, a), CKR_OK);
    assert_int_equal(th.f->C_VerifyUpdate(tk_s, (CK_BYTE_PTR)msg + 2 * a, msg_len - 2 * a),
                     CKR_OK);
    rv = th.f->C_VerifyFinal(tk_s, (CK_BYTE_PTR)sig, sig_len);
    return rv;
}

static void
tk_sig_case(CK_MECHANISM *m, CK_OBJECT_HANDLE key, const cJSON *t)
{
    size_t msg_len;
    size_t sig_len;
    uint8_t *msg = tk_tv_hex_req(t, "msg", &msg_len);
    uint8_t *sig = tk_tv_hex_req(t, "sig", &sig_len);
    const char *result = tk_tv_result(t);
    int id = cJSON_GetObjectItemCaseSensitive(t, "tcId")->valueint;
    CK_RV rv = tk_verify(m, key, msg, msg_len, sig, sig_len, 0);

    if (strcmp(result, "valid") == 0) {
        if (rv != CKR_OK) {
            fail_msg("tcId %d: valid signature refused (0x%lx)", id, rv);
        }
        assert_int_equal(tk_verify(m, key, msg, msg_len, sig, sig_len, 1), CKR_OK);
        tk_valid_ok++;
    } else if (strcmp(result, "invalid") == 0) {
        if (rv != CKR_SIGNATURE_INVALID && rv != CKR_SIGNATURE_LEN_RANGE) {
            fail_msg("tcId %d: invalid signature gave 0x%lx", id, rv);
        }
        /* The length code is for a signature that is not k bytes long. */
        assert_true((rv == CKR_SIGNATURE_LEN_RANGE) == (sig_len != 256));
        tk_invalid_ok++;
    } else {
        assert_true(rv == CKR_OK || rv == CKR_SIGNATURE_INVALID);
        tk_acceptable++;
    }
    free(msg);
    free(sig);
}

static void
tk_sig_file(const char *name, int pss)
{
    cJSON *root = tk_tv_wycheproof(name);
    const cJSON *g;
    const cJSON *t;

    cJSON_ArrayForEach(g, tk_tv_groups(root))
    {
        CK_OBJECT_HANDLE key = tk_public(cJSON_GetObjectItemCaseSensitive(g, "publicKey"));
        CK_RSA_PKCS_PSS_PARAMS p = {0};
        CK_MECHANISM m = {CKM_SHA256_RSA_PKCS, NULL, 0};

        assert_int_equal(tk_hash_mech(tk_tv_str_req(g, "sha")), CKM_SHA256);
        if (pss) {
            p.hashAlg = CKM_SHA256;
            p.mgf = tk_mgf(tk_tv_str_req(g, "mgfSha"));
            p.sLen = (CK_ULONG)cJSON_GetObjectItemCaseSensitive(g, "sLen")->valueint;
            m = (CK_MECHANISM){CKM_SHA256_RSA_PKCS_PSS, &p, sizeof(p)};
        }
        cJSON_ArrayForEach(t, tk_tv_cases(g))
        {
            tk_sig_case(&m, key, t);
        }
        assert_int_equal(th.f->C_DestroyObject(tk_s, key), CKR_OK);
    }
    cJSON_Delete(root);
}

static void
test_pkcs1_signatures(void **state)
{
    (void)state;
    tk_sig_file("rsa_signature_2048_sha256_test.json", 0);
}

static void
test_pss_signatures(void **state)
{
    (void)state;
    tk_sig_file("rsa_pss_2048_sha256_mgf1_32_test.json", 1);
}

/* ---- decryption ---- */

static void
tk_dec_case(CK_MECHANISM *m, CK_OBJECT_HANDLE key, const cJSON *t)
{
    size_t msg_len;
    size_t ct_len;
    uint8_t *msg = tk_tv_hex_req(t, "msg", &msg_len);
    uint8_t *ct = tk_tv_hex_req(t, "ct", &ct_len);
    const char *result = tk_tv_result(t);
    int id = cJSON_GetObjectItemCaseSensitive(t, "tcId")->valueint;
    uint8_t out[512];
    CK_ULONG out_len = sizeof(out);
    CK_RV rv;

    assert_int_equal(th.f->C_DecryptInit(tk_s, m, key), CKR_OK);
    rv = th.f->C_Decrypt(tk_s, ct, ct_len, out, &out_len);
    if (strcmp(result, "valid") == 0) {
        if (rv != CKR_OK) {
            fail_msg("tcId %d: valid ciphertext refused (0x%lx)", id, rv);
        }
        assert_int_equal(out_len, msg_len);
        assert_memory_equal(out, msg, msg_len);
        tk_valid_ok++;
    } else {
        CK_RV want = ct_len == 256 ? CKR_ENCRYPTED_DATA_INVALID : CKR_ENCRYPTED_DATA_LEN_RANGE;
        if (rv != want) {
            fail_msg("tcId %d: invalid ciphertext gave 0x%lx, not 0x%lx", id, rv, want);
        }
        tk_invalid_ok++;
    }
    free(msg);
    free(ct);
}

static void
tk_dec_group(const cJSON *g, int oaep, int crt)
{
    CK_OBJECT_HANDLE key = tk_private(cJSON_GetObjectItemCaseSensitive(g, "privateKey"), crt);
    const cJSON *t;

    cJSON_ArrayForEach(t, tk_tv_cases(g))
    {
        CK_RSA_PKCS_OAEP_PARAMS p = {0};
        CK_MECHANISM m = {CKM_RSA_PKCS, NULL, 0};
        size_t label_len = 0;
        uint8_t *label = NULL;

        if (oaep) {
            label = tk_tv_hex_req(t, "label", &label_len);
            p.hashAlg = tk_hash_mech(tk_tv_str_req(g, "sha"));
            p.mgf = tk_mgf(tk_tv_str_req(g, "mgfSha"));
            p.source = CKZ_DATA_SPECIFIED;
            p.pSourceData = label_len > 0 ? label : NULL;
            p.ulSourceDataLen = label_len;
            m = (CK_MECHANISM){CKM_RSA_PKCS_OAEP, &p, sizeof(p)};
        }
        tk_dec_case(&m, key, t);
        free(label);
    }
    assert_int_equal(th.f->C_DestroyObject(tk_s, key), CKR_OK);
}

static void
tk_dec_file(const char *name, int oaep)
{
    cJSON *root = tk_tv_wycheproof(name);
    const cJSON *g;

    cJSON_ArrayForEach(g, tk_tv_groups(root))
    {
        tk_dec_group(g, oaep, 1);
        tk_dec_group(g, oaep, 0);
    }
    cJSON_Delete(root);
}

static void
test_pkcs1_decryption(void **state)
{
    (void)state;
    tk_dec_file("rsa_pkcs1_2048_test.json", 0);
}

static void
test_oaep_sha1_decryption(void **state)
{
    (void)state;
    tk_dec_file("rsa_oaep_2048_sha1_mgf1sha1_test.json", 1);
}

static void
test_oaep_sha256_decryption(void **state)
{
    (void)state;
    tk_dec_file("rsa_oaep_2048_sha256_mgf1sha256_test.json", 1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pkcs1_signatures),
        cmocka_unit_test(test_pss_signatures),
        cmocka_unit_test(test_pkcs1_decryption),
        cmocka_unit_test(test_oaep_sha1_decryption),
        cmocka_unit_test(test_oaep_sha256_decryption),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
