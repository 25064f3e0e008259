/*
 * RSA through the PKCS #11 API: mechanism info, C_GenerateKeyPair and the
 * attributes it gives, sign/verify, recovery, encrypt/decrypt and
 * wrap/unwrap round trips, the [PKCS11 3.2 §5.2] length answers, and
 * interoperability with the OpenSSL command line (a token signature
 * checked by `openssl pkeyutl -verify`, an `openssl pkeyutl -encrypt`
 * OAEP ciphertext opened with C_Decrypt). The public key leaves the
 * token as its attributes and is written as PEM by the test.
 *
 * TK_RSA_SLOW=1 in the environment adds one 8192-bit key generation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include "harness.h"
#include "testvec.h"

#define K 256

static CK_SESSION_HANDLE tk_s;
static CK_OBJECT_HANDLE tk_pub;
static CK_OBJECT_HANDLE tk_priv;

static CK_BBOOL tk_yes = CK_TRUE;
static CK_BBOOL tk_no = CK_FALSE;

/* A session key pair of bits bits for every use the tests make of it. */
static CK_RV
tk_gen(CK_ULONG bits, CK_OBJECT_HANDLE *pub, CK_OBJECT_HANDLE *priv)
{
    CK_MECHANISM m = {CKM_RSA_PKCS_KEY_PAIR_GEN, NULL, 0};
    CK_ATTRIBUTE pt[] = {
        {CKA_MODULUS_BITS, &bits, sizeof(bits)}, {CKA_TOKEN, &tk_no, 1},
        {CKA_VERIFY, &tk_yes, 1},                {CKA_ENCRYPT, &tk_yes, 1},
        {CKA_WRAP, &tk_yes, 1},                  {CKA_VERIFY_RECOVER, &tk_yes, 1},
    };
    CK_ATTRIBUTE st[] = {
        {CKA_TOKEN, &tk_no, 1},        {CKA_SIGN, &tk_yes, 1},
        {CKA_DECRYPT, &tk_yes, 1},     {CKA_UNWRAP, &tk_yes, 1},
        {CKA_SIGN_RECOVER, &tk_yes, 1}, {CKA_SENSITIVE, &tk_yes, 1},
    };

    return th.f->C_GenerateKeyPair(tk_s, &m, pt, sizeof(pt) / sizeof(pt[0]), st,
                                   sizeof(st) / sizeof(st[0]), pub, priv);
}

static int
setup(void **state)
{
    CK_SLOT_ID slot;

    (void)state;
    th_setup(NULL);
    slot = th_make_token("rsa-api");
    tk_s = th_open(slot, 1);
    assert_int_equal(th.f->C_Login(tk_s, CKU_USER, (CK_UTF8CHAR_PTR)TH_USER_PIN,
                                   strlen(TH_USER_PIN)),
                     CKR_OK);
    assert_int_equal(tk_gen(2048, &tk_pub, &tk_priv), CKR_OK);
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    th.f->C_Finalize(NULL);
    th_teardown();
    return 0;
}

/* ---- helpers ---- */

static CK_RV
tk_sign(CK_MECHANISM *m, const void *msg, CK_ULONG len, uint8_t *sig, CK_ULONG *sig_len)
{
    CK_RV rv = th.f->C_SignInit(tk_s, m, tk_priv);

    if (rv != CKR_OK) {
        return rv;
    }
    return th.f->C_Sign(tk_s, (CK_BYTE_PTR)msg, len, sig, sig_len);
}

static CK_RV
tk_verify(CK_MECHANISM *m, const void *msg, CK_ULONG len, const uint8_t *sig, CK_ULONG sig_len)
{
    CK_RV rv = th.f->C_VerifyInit(tk_s, m, tk_pub);

    if (rv != CKR_OK) {
        return rv;
    }
    return th.f->C_Verify(tk_s, (CK_BYTE_PTR)msg, len, (CK_BYTE_PTR)sig, sig_len);
}

static CK_RV
tk_decrypt(CK_MECHANISM *m, const uint8_t *ct, CK_ULONG ct_len, uint8_t *pt, CK_ULONG *pt_len)
{
    CK_RV rv = th.f->C_DecryptInit(tk_s, m, tk_priv);

    if (rv != CKR_OK) {
        return rv;
    }
    return th.f->C_Decrypt(tk_s, (CK_BYTE_PTR)ct, ct_len, pt, pt_len);
}

static void
tk_attr(CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE type, void *buf, CK_ULONG *len)
{
    CK_ATTRIBUTE a = {type, buf, *len};

    assert_int_equal(th.f->C_GetAttributeValue(tk_s, h, &a, 1), CKR_OK);
    *len = a.ulValueLen;
}

/* ---- tests ---- */

static void
test_mechanism_info(void **state)
{
    CK_SLOT_ID slot;
    CK_SESSION_INFO si;
    CK_MECHANISM_INFO info;

    (void)state;
    assert_int_equal(th.f->C_GetSessionInfo(tk_s, &si), CKR_OK);
    slot = si.slotID;
    assert_int_equal(th.f->C_GetMechanismInfo(slot, CKM_RSA_PKCS_KEY_PAIR_GEN, &info), CKR_OK);
    assert_int_equal(info.ulMinKeySize, 2048);
    assert_int_equal(info.ulMaxKeySize, 8192);
    assert_true(info.flags & CKF_GENERATE_KEY_PAIR);
    assert_int_equal(th.f->C_GetMechanismInfo(slot, CKM_RSA_PKCS_OAEP, &info), CKR_OK);
    assert_true(info.flags & CKF_DECRYPT && info.flags & CKF_UNWRAP);
    assert_int_equal(th.f->C_GetMechanismInfo(slot, CKM_SHA3_256_RSA_PKCS_PSS, &info), CKR_OK);
    assert_true(info.flags & CKF_SIGN);
}

static void
test_generated_attributes(void **state)
{
    CK_ULONG bits = 0;
    CK_ULONG len = sizeof(bits);
    uint8_t n[K + 8];
    uint8_t e[8];
    CK_KEY_TYPE kt = 0;
    CK_BBOOL local = CK_FALSE;
    CK_MECHANISM_TYPE gen = 0;
    CK_ATTRIBUTE secret = {CKA_PRIVATE_EXPONENT, NULL, 0};

    (void)state;
    tk_attr(tk_pub, CKA_MODULUS_BITS, &bits, &len);
    assert_int_equal(bits, 2048);
    len = sizeof(n);
    tk_attr(tk_pub, CKA_MODULUS, n, &len);
    assert_int_equal(len, K);
    len = sizeof(e);
    tk_attr(tk_pub, CKA_PUBLIC_EXPONENT, e, &len);
    assert_int_equal(len, 3);
    assert_memory_equal(e, "\x01\x00\x01", 3);
    len = sizeof(kt);
    tk_attr(tk_priv, CKA_KEY_TYPE, &kt, &len);
    assert_int_equal(kt, CKK_RSA);
    len = sizeof(local);
    tk_attr(tk_priv, CKA_LOCAL, &local, &len);
    assert_int_equal(local, CK_TRUE);
    len = sizeof(gen);
    tk_attr(tk_priv, CKA_KEY_GEN_MECHANISM, &gen, &len);
    assert_int_equal(gen, CKM_RSA_PKCS_KEY_PAIR_GEN);
    len = sizeof(n);
    tk_attr(tk_priv, CKA_MODULUS, n, &len);
    assert_int_equal(len, K);
    /* Sensitive: the private exponent stays in. */
    assert_int_equal(th.f->C_GetAttributeValue(tk_s, tk_priv, &secret, 1),
                     CKR_ATTRIBUTE_SENSITIVE);
}

static void
test_generate_refusals(void **state)
{
    CK_MECHANISM m = {CKM_RSA_PKCS_KEY_PAIR_GEN, NULL, 0};
    CK_ULONG bits = 1024;
    CK_ATTRIBUTE small[] = {{CKA_MODULUS_BITS, &bits, sizeof(bits)}, {CKA_TOKEN, &tk_no, 1}};
    CK_ATTRIBUTE none[] = {{CKA_TOKEN, &tk_no, 1}};
    CK_ATTRIBUTE even[] = {{CKA_MODULUS_BITS, &bits, sizeof(bits)},
                           {CKA_PUBLIC_EXPONENT, "\x01\x00\x00", 3}};
    CK_OBJECT_HANDLE a;
    CK_OBJECT_HANDLE b;

    (void)state;
    assert_int_equal(th.f->C_GenerateKeyPair(tk_s, &m, small, 2, NULL, 0, &a, &b),
                     CKR_KEY_SIZE_RANGE);
    assert_int_equal(th.f->C_GenerateKeyPair(tk_s, &m, none, 1, NULL, 0, &a, &b),
                     CKR_TEMPLATE_INCOMPLETE);
    bits = 2048;
    assert_int_equal(th.f->C_GenerateKeyPair(tk_s, &m, even, 2, NULL, 0, &a, &b),
                     CKR_TEMPLATE_INCONSISTENT);
}

static void
test_sign_verify(void **state)
{
    static const char msg[] = "a message to sign through the API";
    CK_RSA_PKCS_PSS_PARAMS pss = {CKM_SHA384, CKG_MGF1_SHA384, 48};
    CK_MECHANISM mechs[] = {
        {CKM_SHA256_RSA_PKCS, NULL, 0},
        {CKM_SHA3_256_RSA_PKCS, NULL, 0},
        {CKM_SHA384_RSA_PKCS_PSS, &pss, sizeof(pss)},
    };
    uint8_t sig[K];
    CK_ULONG len;

    (void)state;
    for (size_t i = 0; i < sizeof(mechs) / sizeof(mechs[0]); i++) {
        /* Length query, then a short buffer: the operation stays. */
        assert_int_equal(th.f->C_SignInit(tk_s, &mechs[i], tk_priv), CKR_OK);
        assert_int_equal(th.f->C_Sign(tk_s, (CK_BYTE_PTR)msg, sizeof(msg), NULL, &len), CKR_OK);
        assert_int_equal(len, K);
        len = 8;
        assert_int_equal(th.f->C_Sign(tk_s, (CK_BYTE_PTR)msg, sizeof(msg), sig, &len),
                         CKR_BUFFER_TOO_SMALL);
        assert_int_equal(len, K);
        assert_int_equal(th.f->C_Sign(tk_s, (CK_BYTE_PTR)msg, sizeof(msg), sig, &len), CKR_OK);
        assert_int_equal(tk_verify(&mechs[i], msg, sizeof(msg), sig, len), CKR_OK);

        /* In parts. */
        assert_int_equal(th.f->C_VerifyInit(tk_s, &mechs[i], tk_pub), CKR_OK);
        assert_int_equal(th.f->C_VerifyUpdate(tk_s, (CK_BYTE_PTR)msg, 4), CKR_OK);
        assert_int_equal(th.f->C_VerifyUpdate(tk_s, (CK_BYTE_PTR)msg + 4, sizeof(msg) - 4),
                         CKR_OK);
        assert_int_equal(th.f->C_VerifyFinal(tk_s, sig, K), CKR_OK);

        sig[0] ^= 0x01;
        assert_int_equal(tk_verify(&mechs[i], msg, sizeof(msg), sig, K), CKR_SIGNATURE_INVALID);
        assert_int_equal(tk_verify(&mechs[i], msg, sizeof(msg), sig, K + 1),
                         CKR_SIGNATURE_LEN_RANGE);
    }
    /* The public key does not sign; the private key does not verify. */
    assert_int_equal(th.f->C_SignInit(tk_s, &mechs[0], tk_pub), CKR_KEY_FUNCTION_NOT_PERMITTED);
    assert_int_equal(th.f->C_VerifyInit(tk_s, &mechs[0], tk_priv),
                     CKR_KEY_FUNCTION_NOT_PERMITTED);
}

static void
test_sign_recover(void **state)
{
    CK_MECHANISM m = {CKM_RSA_PKCS, NULL, 0};
    uint8_t sig[K];
    uint8_t rec[K];
    CK_ULONG len = K;

    (void)state;
    assert_int_equal(th.f->C_SignRecoverInit(tk_s, &m, tk_priv), CKR_OK);
    assert_int_equal(th.f->C_SignRecover(tk_s, (CK_BYTE_PTR) "recover", 7, sig, &len), CKR_OK);
    assert_int_equal(len, K);
    assert_int_equal(th.f->C_VerifyRecoverInit(tk_s, &m, tk_pub), CKR_OK);
    len = sizeof(rec);
    assert_int_equal(th.f->C_VerifyRecover(tk_s, sig, K, rec, &len), CKR_OK);
    assert_int_equal(len, 7);
    assert_memory_equal(rec, "recover", 7);
}

static void
test_encrypt_decrypt(void **state)
{
    CK_RSA_PKCS_OAEP_PARAMS oaep = {CKM_SHA256, CKG_MGF1_SHA256, CKZ_DATA_SPECIFIED, "L", 1};
    CK_MECHANISM mechs[] = {
        {CKM_RSA_PKCS_OAEP, &oaep, sizeof(oaep)},
        {CKM_RSA_PKCS, NULL, 0},
    };
    uint8_t ct[K];
    uint8_t pt[K];
    CK_ULONG len;

    (void)state;
    for (size_t i = 0; i < sizeof(mechs) / sizeof(mechs[0]); i++) {
        assert_int_equal(th.f->C_EncryptInit(tk_s, &mechs[i], tk_pub), CKR_OK);
        len = K;
        assert_int_equal(th.f->C_Encrypt(tk_s, (CK_BYTE_PTR) "plaintext", 9, ct, &len), CKR_OK);
        assert_int_equal(len, K);
        assert_int_equal(th.f->C_DecryptInit(tk_s, &mechs[i], tk_priv), CKR_OK);
        assert_int_equal(th.f->C_Decrypt(tk_s, ct, K, NULL, &len), CKR_OK);
        assert_true(len >= 9);
        len = 4;
        assert_int_equal(th.f->C_Decrypt(tk_s, ct, K, pt, &len), CKR_BUFFER_TOO_SMALL);
        assert_int_equal(len, 9);
        assert_int_equal(th.f->C_Decrypt(tk_s, ct, K, pt, &len), CKR_OK);
        assert_int_equal(len, 9);
        assert_memory_equal(pt, "plaintext", 9);
        ct[K - 1] ^= 0x80;
        len = K;
        assert_int_equal(tk_decrypt(&mechs[i], ct, K, pt, &len), CKR_ENCRYPTED_DATA_INVALID);
        /* The failed call ended the operation. */
        assert_int_equal(th.f->C_Decrypt(tk_s, ct, K, pt, &len), CKR_OPERATION_NOT_INITIALIZED);
    }
}

/* A generic secret wrapped with OAEP and PKCS #1 v1.5, unwrapped as AES. */
static void
test_wrap_unwrap(void **state)
{
    CK_RSA_PKCS_OAEP_PARAMS oaep = {CKM_SHA_1, CKG_MGF1_SHA1, CKZ_DATA_SPECIFIED, NULL, 0};
    CK_MECHANISM mechs[] = {
        {CKM_RSA_PKCS_OAEP, &oaep, sizeof(oaep)},
        {CKM_RSA_PKCS, NULL, 0},
    };
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_KEY_TYPE aes = CKK_AES;
    uint8_t value[32];
    CK_ATTRIBUTE kt[] = {
        {CKA_CLASS, &cls, sizeof(cls)}, {CKA_KEY_TYPE, &aes, sizeof(aes)},
        {CKA_TOKEN, &tk_no, 1},         {CKA_VALUE, value, sizeof(value)},
        {CKA_EXTRACTABLE, &tk_yes, 1},  {CKA_SENSITIVE, &tk_no, 1},
    };
    CK_ATTRIBUTE ut[] = {
        {CKA_CLASS, &cls, sizeof(cls)}, {CKA_KEY_TYPE, &aes, sizeof(aes)},
        {CKA_TOKEN, &tk_no, 1},         {CKA_SENSITIVE, &tk_no, 1},
        {CKA_EXTRACTABLE, &tk_yes, 1},
    };
    CK_OBJECT_HANDLE key;
    CK_OBJECT_HANDLE back;
    uint8_t wrapped[K];
    uint8_t got[64];
    CK_ULONG len;

    (void)state;
    memset(value, 0x6b, sizeof(value));
    assert_int_equal(th.f->C_CreateObject(tk_s, kt, 6, &key), CKR_OK);
    for (size_t i = 0; i < sizeof(mechs) / sizeof(mechs[0]); i++) {
        assert_int_equal(th.f->C_WrapKey(tk_s, &mechs[i], tk_pub, key, NULL, &len), CKR_OK);
        assert_int_equal(len, K);
        assert_int_equal(th.f->C_WrapKey(tk_s, &mechs[i], tk_pub, key, wrapped, &len), CKR_OK);
        assert_int_equal(th.f->C_UnwrapKey(tk_s, &mechs[i], tk_priv, wrapped, len, ut, 5, &back),
                         CKR_OK);
        len = sizeof(got);
        tk_attr(back, CKA_VALUE, got, &len);
        assert_int_equal(len, sizeof(value));
        assert_memory_equal(got, value, sizeof(value));
        wrapped[10] ^= 1;
        assert_int_equal(th.f->C_UnwrapKey(tk_s, &mechs[i], tk_priv, wrapped, K, ut, 5, &back),
                         CKR_WRAPPED_KEY_INVALID);
        assert_int_equal(th.f->C_UnwrapKey(tk_s, &mechs[i], tk_priv, wrapped, K - 1, ut, 5,
                                           &back),
                         CKR_WRAPPED_KEY_LEN_RANGE);
    }
    /* A private key does not fit in one block. */
    assert_int_equal(th.f->C_WrapKey(tk_s, &mechs[0], tk_pub, tk_priv, NULL, &len),
                     CKR_KEY_UNEXTRACTABLE);
}

/* An operation outlives its key object: it holds the key itself. */
static void
test_operation_outlives_key(void **state)
{
    static const char msg[] = "verified after the key is gone";
    CK_MECHANISM m = {CKM_SHA256_RSA_PKCS, NULL, 0};
    CK_OBJECT_CLASS cls = CKO_PUBLIC_KEY;
    CK_KEY_TYPE kt = CKK_RSA;
    uint8_t n[K];
    uint8_t e[8];
    uint8_t sig[K];
    CK_ULONG n_len = sizeof(n);
    CK_ULONG e_len = sizeof(e);
    CK_ULONG len = K;
    CK_OBJECT_HANDLE copy;

    (void)state;
    tk_attr(tk_pub, CKA_MODULUS, n, &n_len);
    tk_attr(tk_pub, CKA_PUBLIC_EXPONENT, e, &e_len);
    {
        CK_ATTRIBUTE t[] = {
            {CKA_CLASS, &cls, sizeof(cls)}, {CKA_KEY_TYPE, &kt, sizeof(kt)},
            {CKA_TOKEN, &tk_no, 1},         {CKA_VERIFY, &tk_yes, 1},
            {CKA_MODULUS, n, n_len},        {CKA_PUBLIC_EXPONENT, e, e_len},
        };
        assert_int_equal(th.f->C_CreateObject(tk_s, t, 6, &copy), CKR_OK);
    }
    assert_int_equal(tk_sign(&m, msg, sizeof(msg), sig, &len), CKR_OK);
    /* Twice: the second init takes the first one's finished operation. */
    assert_int_equal(tk_verify(&m, msg, sizeof(msg), sig, K), CKR_OK);
    assert_int_equal(th.f->C_VerifyInit(tk_s, &m, copy), CKR_OK);
    assert_int_equal(th.f->C_Verify(tk_s, (CK_BYTE_PTR)msg, sizeof(msg), sig, K), CKR_OK);
    assert_int_equal(th.f->C_VerifyInit(tk_s, &m, copy), CKR_OK);
    assert_int_equal(th.f->C_VerifyUpdate(tk_s, (CK_BYTE_PTR)msg, sizeof(msg)), CKR_OK);
    assert_int_equal(th.f->C_DestroyObject(tk_s, copy), CKR_OK);
    assert_int_equal(th.f->C_VerifyFinal(tk_s, sig, K), CKR_OK);
    assert_int_equal(th.f->C_VerifyInit(tk_s, &m, copy), CKR_KEY_HANDLE_INVALID);
}

/* ---- OpenSSL command line ---- */

/* The public key as OpenSSL sees it, from CKA_MODULUS and the exponent. */
static void
tk_write_pem(const char *path)
{
    uint8_t n[K];
    uint8_t e[8];
    CK_ULONG n_len = sizeof(n);
    CK_ULONG e_len = sizeof(e);
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    BIGNUM *bn = NULL;
    BIGNUM *be = NULL;
    OSSL_PARAM *params;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
    EVP_PKEY *pkey = NULL;
    FILE *f;

    tk_attr(tk_pub, CKA_MODULUS, n, &n_len);
    tk_attr(tk_pub, CKA_PUBLIC_EXPONENT, e, &e_len);
    bn = BN_bin2bn(n, (int)n_len, NULL);
    be = BN_bin2bn(e, (int)e_len, NULL);
    assert_true(bld != NULL && bn != NULL && be != NULL && ctx != NULL);
    assert_int_equal(OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn), 1);
    assert_int_equal(OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, be), 1);
    params = OSSL_PARAM_BLD_to_param(bld);
    assert_non_null(params);
    assert_int_equal(EVP_PKEY_fromdata_init(ctx), 1);
    assert_int_equal(EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params), 1);
    f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(PEM_write_PUBKEY(f, pkey), 1);
    fclose(f);
    EVP_PKEY_free(pkey);
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    BN_free(bn);
    BN_free(be);
}

/* Run an openssl command line; 0 on success. */
static int
tk_openssl(const char *args)
{
    char cmd[4096];

    snprintf(cmd, sizeof(cmd), "openssl %s >%s/openssl.log 2>&1", args, th.dir);
    return system(cmd);
}

static void
test_openssl_verifies_token_signatures(void **state)
{
    static const char msg[] = "signed by the token, checked by openssl";
    CK_RSA_PKCS_PSS_PARAMS pss = {CKM_SHA256, CKG_MGF1_SHA256, 32};
    CK_MECHANISM pkcs = {CKM_SHA256_RSA_PKCS, NULL, 0};
    CK_MECHANISM pssm = {CKM_SHA256_RSA_PKCS_PSS, &pss, sizeof(pss)};
    CK_MECHANISM sha = {CKM_SHA256, NULL, 0};
    char pem[600], dig[600], sigp[600], args[3000];
    uint8_t h[32];
    uint8_t sig[K];
    CK_ULONG len = sizeof(h);

    (void)state;
    snprintf(pem, sizeof(pem), "%s/pub.pem", th.dir);
    snprintf(dig, sizeof(dig), "%s/digest.bin", th.dir);
    snprintf(sigp, sizeof(sigp), "%s/sig.bin", th.dir);
    tk_write_pem(pem);
    assert_int_equal(th.f->C_DigestInit(tk_s, &sha), CKR_OK);
    assert_int_equal(th.f->C_Digest(tk_s, (CK_BYTE_PTR)msg, sizeof(msg), h, &len), CKR_OK);
    tk_tv_write_file(dig, h, sizeof(h));

    len = K;
    assert_int_equal(tk_sign(&pkcs, msg, sizeof(msg), sig, &len), CKR_OK);
    tk_tv_write_file(sigp, sig, len);
    snprintf(args, sizeof(args),
             "pkeyutl -verify -pubin -inkey %s -in %s -sigfile %s -pkeyopt digest:sha256", pem,
             dig, sigp);
    assert_int_equal(tk_openssl(args), 0);

    len = K;
    assert_int_equal(tk_sign(&pssm, msg, sizeof(msg), sig, &len), CKR_OK);
    tk_tv_write_file(sigp, sig, len);
    snprintf(args, sizeof(args),
             "pkeyutl -verify -pubin -inkey %s -in %s -sigfile %s -pkeyopt digest:sha256 "
             "-pkeyopt rsa_padding_mode:pss -pkeyopt rsa_pss_saltlen:32",
             pem, dig, sigp);
    assert_int_equal(tk_openssl(args), 0);
    /* And openssl does say no to a bad one. */
    sig[5] ^= 1;
    tk_tv_write_file(sigp, sig, len);
    assert_int_not_equal(tk_openssl(args), 0);
}

static void
tk_openssl_encrypt_then_decrypt(const char *opts, CK_MECHANISM *m)
{
    static const char msg[] = "encrypted by openssl";
    char pem[600], in[600], out[600], args[3000];
    uint8_t ct[K + 16];
    uint8_t pt[K];
    CK_ULONG len = sizeof(pt);

    snprintf(pem, sizeof(pem), "%s/pub.pem", th.dir);
    snprintf(in, sizeof(in), "%s/msg.bin", th.dir);
    snprintf(out, sizeof(out), "%s/ct.bin", th.dir);
    tk_write_pem(pem);
    tk_tv_write_file(in, msg, sizeof(msg));
    snprintf(args, sizeof(args),
             "pkeyutl -encrypt -pubin -inkey %s -in %s -out %s -pkeyopt rsa_padding_mode:oaep %s",
             pem, in, out, opts);
    assert_int_equal(tk_openssl(args), 0);
    assert_int_equal(tk_tv_read_into(out, ct, sizeof(ct)), K);
    assert_int_equal(tk_decrypt(m, ct, K, pt, &len), CKR_OK);
    assert_int_equal(len, sizeof(msg));
    assert_memory_equal(pt, msg, sizeof(msg));
}

static void
test_openssl_oaep_to_token(void **state)
{
    CK_RSA_PKCS_OAEP_PARAMS sha1 = {CKM_SHA_1, CKG_MGF1_SHA1, CKZ_DATA_SPECIFIED, NULL, 0};
    CK_RSA_PKCS_OAEP_PARAMS sha256 = {CKM_SHA256, CKG_MGF1_SHA256, CKZ_DATA_SPECIFIED, NULL, 0};
    CK_MECHANISM m1 = {CKM_RSA_PKCS_OAEP, &sha1, sizeof(sha1)};
    CK_MECHANISM m256 = {CKM_RSA_PKCS_OAEP, &sha256, sizeof(sha256)};

    (void)state;
    tk_openssl_encrypt_then_decrypt("", &m1);
    tk_openssl_encrypt_then_decrypt("-pkeyopt rsa_oaep_md:sha256 -pkeyopt rsa_mgf1_md:sha256",
                                    &m256);
}

/* Opt-in: one 8192-bit key pair (slow) signs and verifies. */
static void
test_largest_key(void **state)
{
    CK_OBJECT_HANDLE pub;
    CK_OBJECT_HANDLE priv;
    CK_MECHANISM m = {CKM_SHA512_RSA_PKCS, NULL, 0};
    uint8_t sig[1024];
    CK_ULONG len = sizeof(sig);
    const char *slow = getenv("TK_RSA_SLOW");

    (void)state;
    if (slow == NULL || strcmp(slow, "1") != 0) {
        skip();
    }
    assert_int_equal(tk_gen(8192, &pub, &priv), CKR_OK);
    assert_int_equal(th.f->C_SignInit(tk_s, &m, priv), CKR_OK);
    assert_int_equal(th.f->C_Sign(tk_s, (CK_BYTE_PTR) "big", 3, sig, &len), CKR_OK);
    assert_int_equal(len, 1024);
    assert_int_equal(th.f->C_VerifyInit(tk_s, &m, pub), CKR_OK);
    assert_int_equal(th.f->C_Verify(tk_s, (CK_BYTE_PTR) "big", 3, sig, len), CKR_OK);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mechanism_info),
        cmocka_unit_test(test_generated_attributes),
        cmocka_unit_test(test_generate_refusals),
        cmocka_unit_test(test_sign_verify),
        cmocka_unit_test(test_sign_recover),
        cmocka_unit_test(test_encrypt_decrypt),
        cmocka_unit_test(test_wrap_unwrap),
        cmocka_unit_test(test_operation_outlives_key),
        cmocka_unit_test(test_openssl_verifies_token_signatures),
        cmocka_unit_test(test_openssl_oaep_to_token),
        cmocka_unit_test(test_largest_key),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
