/*
 * C_WrapKey / C_UnwrapKey of private keys as PKCS#8 through the module's
 * function list: for RSA-2048, P-256, Ed25519, X25519, ML-KEM-768,
 * ML-DSA-65 and SLH-DSA-SHA2-128f a key made on the token is wrapped
 * with AES-KWP, unwrapped into a new key, and both are used against each
 * other. Classic blobs are unwrapped by OpenSSL itself and the key it
 * reads must be the token's (it signs, the token verifies; or its public
 * key is the token's). Then the refusals: non-extractable keys, wrong
 * key types, malformed encodings, seed and expanded key that disagree.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "harness.h"

static CK_SESSION_HANDLE tk_s;
static CK_OBJECT_HANDLE tk_kek;
static CK_BBOOL tk_yes = CK_TRUE;
static CK_BBOOL tk_no = CK_FALSE;
static const uint8_t tk_kek_value[32] = {
    0x60, 0x3d, 0xeb, 0x10, 0x15, 0xca, 0x71, 0xbe, 0x2b, 0x73, 0xae, 0xf0, 0x85, 0x7d, 0x77, 0x81,
    0x1f, 0x35, 0x2c, 0x07, 0x3b, 0x61, 0x08, 0xd7, 0x2d, 0x98, 0x10, 0xa3, 0x09, 0x14, 0xdf, 0xf4,
};
static const uint8_t tk_msg[] = "a message for the wrapped key";

static int
tk_setup(void **state)
{
    CK_SLOT_ID slot;
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_KEY_TYPE kt = CKK_AES;
    CK_ATTRIBUTE t[] = {
        {CKA_CLASS, &cls, sizeof(cls)},          {CKA_KEY_TYPE, &kt, sizeof(kt)},
        {CKA_VALUE, (void *)tk_kek_value, 32},   {CKA_WRAP, &tk_yes, 1},
        {CKA_UNWRAP, &tk_yes, 1},                {CKA_ENCRYPT, &tk_yes, 1},
    };

    (void)state;
    th_setup(NULL);
    slot = th_make_token("wrap");
    tk_s = th_open(slot, 1);
    assert_int_equal(th.f->C_Login(tk_s, CKU_USER, (CK_UTF8CHAR_PTR)TH_USER_PIN,
                                   strlen(TH_USER_PIN)),
                     CKR_OK);
    assert_int_equal(th.f->C_CreateObject(tk_s, t, 6, &tk_kek), CKR_OK);
    return 0;
}

static int
tk_teardown(void **state)
{
    (void)state;
    th.f->C_Finalize(NULL);
    th_teardown();
    return 0;
}

/* ---- helpers ---- */

typedef struct {
    const char *name;
    CK_MECHANISM_TYPE gen;
    CK_KEY_TYPE type;
    const uint8_t *params; /* CKA_EC_PARAMS, or NULL */
    size_t params_len;
    CK_ULONG set;          /* CKA_PARAMETER_SET, or 0 */
    CK_MECHANISM_TYPE sig; /* signature mechanism, or 0 */
} tk_case;

static const uint8_t tk_p256[] = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
static const uint8_t tk_ed25519[] = {0x06, 0x03, 0x2b, 0x65, 0x70};
static const uint8_t tk_x25519[] = {0x06, 0x03, 0x2b, 0x65, 0x6e};

static const tk_case tk_rsa = {"RSA-2048", CKM_RSA_PKCS_KEY_PAIR_GEN, CKK_RSA, NULL, 0, 0,
                               CKM_SHA256_RSA_PKCS};
static const tk_case tk_ec = {"P-256", CKM_EC_KEY_PAIR_GEN, CKK_EC, tk_p256, sizeof(tk_p256),
                              0, CKM_ECDSA_SHA256};
static const tk_case tk_ed = {"Ed25519", CKM_EC_EDWARDS_KEY_PAIR_GEN, CKK_EC_EDWARDS,
                              tk_ed25519, sizeof(tk_ed25519), 0, CKM_EDDSA};
static const tk_case tk_x = {"X25519", CKM_EC_MONTGOMERY_KEY_PAIR_GEN, CKK_EC_MONTGOMERY,
                             tk_x25519, sizeof(tk_x25519), 0, 0};
static const tk_case tk_kem = {"ML-KEM-768", CKM_ML_KEM_KEY_PAIR_GEN, CKK_ML_KEM, NULL, 0,
                               CKP_ML_KEM_768, 0};
static const tk_case tk_dsa = {"ML-DSA-65", CKM_ML_DSA_KEY_PAIR_GEN, CKK_ML_DSA, NULL, 0,
                               CKP_ML_DSA_65, CKM_ML_DSA};
static const tk_case tk_slh = {"SLH-DSA-SHA2-128f", CKM_SLH_DSA_KEY_PAIR_GEN, CKK_SLH_DSA, NULL,
                               0, CKP_SLH_DSA_SHA2_128F, CKM_SLH_DSA};

/* The usage attribute each key type's private half needs. */
static CK_ATTRIBUTE_TYPE
tk_usage(const tk_case *c)
{
    if (c->sig != 0) {
        return CKA_SIGN;
    }
    return c->type == CKK_ML_KEM ? CKA_DECAPSULATE : CKA_DERIVE;
}

static CK_ATTRIBUTE_TYPE
tk_pub_usage(const tk_case *c)
{
    if (c->sig != 0) {
        return CKA_VERIFY;
    }
    return c->type == CKK_ML_KEM ? CKA_ENCAPSULATE : CKA_DERIVE;
}

/* A key pair on the token; the private half extractable as asked. */
static void
tk_gen(const tk_case *c, CK_BBOOL extractable, CK_OBJECT_HANDLE *pub, CK_OBJECT_HANDLE *priv)
{
    CK_MECHANISM m = {c->gen, NULL, 0};
    CK_ULONG bits = 2048;
    CK_BYTE e[] = {1, 0, 1};
    CK_ATTRIBUTE tp[4] = {{tk_pub_usage(c), &tk_yes, 1}};
    CK_ATTRIBUTE tv[] = {
        {tk_usage(c), &tk_yes, 1},
        {CKA_EXTRACTABLE, &extractable, 1},
        {CKA_SENSITIVE, &tk_yes, 1},
        {CKA_TOKEN, &tk_no, 1},
    };
    CK_ULONG np = 1;

    if (c->type == CKK_RSA) {
        tp[np++] = (CK_ATTRIBUTE){CKA_MODULUS_BITS, &bits, sizeof(bits)};
        tp[np++] = (CK_ATTRIBUTE){CKA_PUBLIC_EXPONENT, e, sizeof(e)};
    } else if (c->params != NULL) {
        tp[np++] = (CK_ATTRIBUTE){CKA_EC_PARAMS, (void *)c->params, c->params_len};
    } else {
        tp[np++] = (CK_ATTRIBUTE){CKA_PARAMETER_SET, (void *)&c->set, sizeof(c->set)};
    }
    assert_int_equal(th.f->C_GenerateKeyPair(tk_s, &m, tp, np, tv, 4, pub, priv), CKR_OK);
}

/* Wrap key with KWP under the test's AES key; *len the blob's length. */
static CK_RV
tk_wrap(CK_MECHANISM_TYPE mech, CK_OBJECT_HANDLE key, uint8_t **blob, CK_ULONG *len)
{
    static uint8_t iv[16];
    CK_MECHANISM m = {mech, mech == CKM_AES_CBC_PAD ? iv : NULL,
                      mech == CKM_AES_CBC_PAD ? sizeof(iv) : 0};
    CK_RV rv = th.f->C_WrapKey(tk_s, &m, tk_kek, key, NULL, len);

    if (rv != CKR_OK) {
        return rv;
    }
    *blob = malloc(*len);
    assert_non_null(*blob);
    rv = th.f->C_WrapKey(tk_s, &m, tk_kek, key, *blob, len);
    if (rv != CKR_OK) {
        free(*blob);
        *blob = NULL;
    }
    return rv;
}

static CK_RV
tk_unwrap(CK_MECHANISM_TYPE mech, const tk_case *c, CK_KEY_TYPE type, const uint8_t *blob,
          CK_ULONG len, CK_OBJECT_HANDLE *key)
{
    static uint8_t iv[16];
    CK_MECHANISM m = {mech, mech == CKM_AES_CBC_PAD ? iv : NULL,
                      mech == CKM_AES_CBC_PAD ? sizeof(iv) : 0};
    CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
    CK_ATTRIBUTE t[] = {
        {CKA_CLASS, &cls, sizeof(cls)},
        {CKA_KEY_TYPE, &type, sizeof(type)},
        {tk_usage(c), &tk_yes, 1},
        {CKA_TOKEN, &tk_no, 1},
        {CKA_SENSITIVE, &tk_no, 1},
        {CKA_EXTRACTABLE, &tk_yes, 1},
    };

    return th.f->C_UnwrapKey(tk_s, &m, tk_kek, (CK_BYTE_PTR)blob, len, t, 6, key);
}

static size_t
tk_sign(CK_MECHANISM_TYPE mech, CK_OBJECT_HANDLE key, uint8_t *sig, CK_ULONG cap)
{
    CK_MECHANISM m = {mech, NULL, 0};
    CK_ULONG n = cap;

    assert_int_equal(th.f->C_SignInit(tk_s, &m, key), CKR_OK);
    assert_int_equal(th.f->C_Sign(tk_s, (CK_BYTE_PTR)tk_msg, sizeof(tk_msg), sig, &n), CKR_OK);
    return n;
}

static CK_RV
tk_verify(CK_MECHANISM_TYPE mech, CK_OBJECT_HANDLE key, const uint8_t *sig, size_t len)
{
    CK_MECHANISM m = {mech, NULL, 0};

    assert_int_equal(th.f->C_VerifyInit(tk_s, &m, key), CKR_OK);
    return th.f->C_Verify(tk_s, (CK_BYTE_PTR)tk_msg, sizeof(tk_msg), (CK_BYTE_PTR)sig, len);
}

/* An attribute's value, malloc()ed. */
static uint8_t *
tk_attr(CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE type, CK_ULONG *len)
{
    CK_ATTRIBUTE a = {type, NULL, 0};
    uint8_t *v;

    assert_int_equal(th.f->C_GetAttributeValue(tk_s, h, &a, 1), CKR_OK);
    v = malloc(a.ulValueLen + 1);
    assert_non_null(v);
    a.pValue = v;
    assert_int_equal(th.f->C_GetAttributeValue(tk_s, h, &a, 1), CKR_OK);
    *len = a.ulValueLen;
    return v;
}

/* The secret of an X25519 exchange of priv with peer's public key. */
static void
tk_x_derive(CK_OBJECT_HANDLE priv, const uint8_t *peer, size_t peer_len, uint8_t out[32])
{
    CK_ECDH1_DERIVE_PARAMS p = {CKD_NULL, 0, NULL, peer_len, (CK_BYTE_PTR)peer};
    CK_MECHANISM m = {CKM_ECDH1_DERIVE, &p, sizeof(p)};
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_KEY_TYPE kt = CKK_GENERIC_SECRET;
    CK_ULONG len = 32;
    CK_ATTRIBUTE t[] = {
        {CKA_CLASS, &cls, sizeof(cls)},   {CKA_KEY_TYPE, &kt, sizeof(kt)},
        {CKA_VALUE_LEN, &len, sizeof(len)}, {CKA_SENSITIVE, &tk_no, 1},
        {CKA_EXTRACTABLE, &tk_yes, 1},    {CKA_TOKEN, &tk_no, 1},
    };
    CK_OBJECT_HANDLE k;
    CK_ULONG n;
    uint8_t *v;

    assert_int_equal(th.f->C_DeriveKey(tk_s, &m, priv, t, 6, &k), CKR_OK);
    v = tk_attr(k, CKA_VALUE, &n);
    assert_int_equal(n, 32);
    memcpy(out, v, 32);
    free(v);
}

/* The raw public key inside CKA_EC_POINT (raw or a DER OCTET STRING). */
static const uint8_t *
tk_raw_point(const uint8_t *v, CK_ULONG len, size_t raw_len)
{
    assert_true(len >= raw_len);
    return v + len - raw_len;
}

/* Use the original and the unwrapped key against each other. */
static void
tk_use_both(const tk_case *c, CK_OBJECT_HANDLE pub, CK_OBJECT_HANDLE priv,
            CK_OBJECT_HANDLE copy)
{
    static uint8_t sig[20000];
    size_t n;

    if (c->sig != 0) {
        n = tk_sign(c->sig, copy, sig, sizeof(sig));
        assert_int_equal(tk_verify(c->sig, pub, sig, n), CKR_OK);
        sig[n / 2] ^= 1;
        assert_int_equal(tk_verify(c->sig, pub, sig, n), CKR_SIGNATURE_INVALID);
    } else if (c->type == CKK_ML_KEM) {
        CK_MECHANISM m = {CKM_ML_KEM, NULL, 0};
        CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
        CK_KEY_TYPE kt = CKK_GENERIC_SECRET;
        CK_ATTRIBUTE t[] = {
            {CKA_CLASS, &cls, sizeof(cls)}, {CKA_KEY_TYPE, &kt, sizeof(kt)},
            {CKA_SENSITIVE, &tk_no, 1},     {CKA_EXTRACTABLE, &tk_yes, 1},
        };
        CK_ULONG cl = sizeof(sig);
        CK_OBJECT_HANDLE k1, k2, k3;
        CK_ULONG l1, l2, l3;
        uint8_t *v1, *v2, *v3;

        assert_int_equal(th.f->C_EncapsulateKey(tk_s, &m, pub, t, 4, sig, &cl, &k1), CKR_OK);
        assert_int_equal(th.f->C_DecapsulateKey(tk_s, &m, copy, t, 4, sig, cl, &k2), CKR_OK);
        assert_int_equal(th.f->C_DecapsulateKey(tk_s, &m, priv, t, 4, sig, cl, &k3), CKR_OK);
        v1 = tk_attr(k1, CKA_VALUE, &l1);
        v2 = tk_attr(k2, CKA_VALUE, &l2);
        v3 = tk_attr(k3, CKA_VALUE, &l3);
        assert_int_equal(l1, 32);
        assert_int_equal(l2, 32);
        assert_memory_equal(v1, v2, 32);
        assert_memory_equal(v1, v3, 32);
        free(v1);
        free(v2);
        free(v3);
    } else {
        CK_OBJECT_HANDLE ppub, ppriv;
        CK_ULONG pl;
        uint8_t *peer;
        uint8_t s1[32], s2[32];

        tk_gen(c, CK_FALSE, &ppub, &ppriv);
        peer = tk_attr(ppub, CKA_EC_POINT, &pl);
        tk_x_derive(priv, tk_raw_point(peer, pl, 32), 32, s1);
        tk_x_derive(copy, tk_raw_point(peer, pl, 32), 32, s2);
        assert_memory_equal(s1, s2, 32);
        free(peer);
    }
}

/* ---- OpenSSL's view of a blob ---- */

/* Unwrap a KWP blob with OpenSSL; *len the plaintext length. */
static uint8_t *
tk_ossl_unwrap(const uint8_t *blob, size_t blob_len, size_t *len)
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    uint8_t *out = malloc(blob_len + 16);
    int n = 0;
    int f = 0;

    assert_non_null(ctx);
    assert_non_null(out);
    EVP_CIPHER_CTX_set_flags(ctx, EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
    assert_int_equal(EVP_DecryptInit_ex(ctx, EVP_aes_256_wrap_pad(), NULL, tk_kek_value, NULL),
                     1);
    assert_int_equal(EVP_DecryptUpdate(ctx, out, &n, blob, (int)blob_len), 1);
    assert_int_equal(EVP_DecryptFinal_ex(ctx, out + n, &f), 1);
    EVP_CIPHER_CTX_free(ctx);
    *len = (size_t)(n + f);
    return out;
}

/* Wrap bytes with OpenSSL's KWP under the test's AES key. */
static uint8_t *
tk_ossl_wrap(const uint8_t *in, size_t in_len, size_t *len)
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    uint8_t *out = malloc(in_len + 16);
    int n = 0;
    int f = 0;

    assert_non_null(ctx);
    assert_non_null(out);
    EVP_CIPHER_CTX_set_flags(ctx, EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
    assert_int_equal(EVP_EncryptInit_ex(ctx, EVP_aes_256_wrap_pad(), NULL, tk_kek_value, NULL),
                     1);
    assert_int_equal(EVP_EncryptUpdate(ctx, out, &n, in, (int)in_len), 1);
    assert_int_equal(EVP_EncryptFinal_ex(ctx, out + n, &f), 1);
    EVP_CIPHER_CTX_free(ctx);
    *len = (size_t)(n + f);
    return out;
}

/* OpenSSL reads the classic blob as PKCS#8 and holds the token's key:
 * it signs and the token verifies, or (X25519) its public key is the
 * token's. */
static void
tk_ossl_check(const tk_case *c, const uint8_t *blob, size_t blob_len, CK_OBJECT_HANDLE pub)
{
    size_t len = 0;
    uint8_t *der = tk_ossl_unwrap(blob, blob_len, &len);
    const uint8_t *p = der;
    PKCS8_PRIV_KEY_INFO *p8 = d2i_PKCS8_PRIV_KEY_INFO(NULL, &p, (long)len);
    EVP_PKEY *pkey;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    uint8_t sig[512];
    size_t sl = sizeof(sig);

    assert_non_null(p8);
    assert_ptr_equal(p, der + len);
    pkey = EVP_PKCS82PKEY(p8);
    assert_non_null(pkey);
    if (c->type == CKK_EC_MONTGOMERY) {
        uint8_t raw[32];
        size_t rl = sizeof(raw);
        CK_ULONG pl;
        uint8_t *point = tk_attr(pub, CKA_EC_POINT, &pl);

        assert_true(EVP_PKEY_is_a(pkey, "X25519"));
        assert_int_equal(EVP_PKEY_get_raw_public_key(pkey, raw, &rl), 1);
        assert_memory_equal(raw, tk_raw_point(point, pl, 32), 32);
        free(point);
    } else {
        const EVP_MD *h = c->type == CKK_EC_EDWARDS ? NULL : EVP_sha256();

        assert_int_equal(EVP_DigestSignInit(md, NULL, h, NULL, pkey), 1);
        assert_int_equal(EVP_DigestSign(md, sig, &sl, tk_msg, sizeof(tk_msg)), 1);
        if (c->type == CKK_EC) {
            /* DER ECDSA-Sig-Value to the r || s that PKCS #11 uses. */
            const uint8_t *q = sig;
            ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &q, (long)sl);
            assert_non_null(es);
            BN_bn2binpad(ECDSA_SIG_get0_r(es), sig, 32);
            BN_bn2binpad(ECDSA_SIG_get0_s(es), sig + 32, 32);
            ECDSA_SIG_free(es);
            sl = 64;
        }
        assert_int_equal(tk_verify(c->sig, pub, sig, sl), CKR_OK);
    }
    EVP_MD_CTX_free(md);
    EVP_PKEY_free(pkey);
    PKCS8_PRIV_KEY_INFO_free(p8);
    free(der);
}

/* The PQC blob is PrivateKeyInfo with the NIST OID, without parameters,
 * and ML-KEM / ML-DSA keys from generation are in the seed form. */
static void
tk_pqc_check(const tk_case *c, const uint8_t *blob, size_t blob_len)
{
    size_t len = 0;
    uint8_t *der = tk_ossl_unwrap(blob, blob_len, &len);
    uint8_t last = c->type == CKK_ML_KEM ? 2 : c->type == CKK_ML_DSA ? 18 : 21;
    uint8_t arc = c->type == CKK_ML_KEM ? 4 : 3;
    static const uint8_t head[] = {0x02, 0x01, 0x00, 0x30, 0x0b, 0x06, 0x09, 0x60, 0x86,
                                   0x48, 0x01, 0x65, 0x03, 0x04};
    size_t off = der[1] & 0x80 ? 2 + (der[1] & 0x7f) : 2;

    assert_int_equal(der[0], 0x30);
    assert_memory_equal(der + off, head, sizeof(head));
    assert_int_equal(der[off + sizeof(head)], arc);
    assert_int_equal(der[off + sizeof(head) + 1], last);
    assert_int_equal(der[off + sizeof(head) + 2], 0x04);
    if (c->type == CKK_SLH_DSA) {
        assert_int_equal(len, off + sizeof(head) + 4 + 64);
    } else {
        /* OCTET STRING { [0] seed }: 64 or 32 bytes of seed. */
        size_t seed = c->type == CKK_ML_KEM ? 64 : 32;
        assert_int_equal(der[off + sizeof(head) + 4], 0x80);
        assert_int_equal(der[off + sizeof(head) + 5], seed);
        assert_int_equal(len, off + sizeof(head) + 6 + seed);
    }
    free(der);
}

/* ---- the round trips ---- */

static void
tk_round_trip(const tk_case *c)
{
    CK_OBJECT_HANDLE pub, priv, copy;
    uint8_t *blob = NULL;
    CK_ULONG len = 0;

    tk_gen(c, CK_TRUE, &pub, &priv);
    assert_int_equal(tk_wrap(CKM_AES_KEY_WRAP_KWP, priv, &blob, &len), CKR_OK);
    assert_int_equal(tk_unwrap(CKM_AES_KEY_WRAP_KWP, c, c->type, blob, len, &copy), CKR_OK);
    tk_use_both(c, pub, priv, copy);
    if (c->set == 0) {
        tk_ossl_check(c, blob, len, pub);
    } else {
        tk_pqc_check(c, blob, len);
    }
    /* The unwrapped key wraps to the same encoding again. */
    {
        uint8_t *again = NULL;
        CK_ULONG alen = 0;
        size_t l1 = 0, l2 = 0;
        uint8_t *d1 = tk_ossl_unwrap(blob, len, &l1);
        assert_int_equal(tk_wrap(CKM_AES_KEY_WRAP_KWP, copy, &again, &alen), CKR_OK);
        uint8_t *d2 = tk_ossl_unwrap(again, alen, &l2);
        assert_int_equal(l1, l2);
        assert_memory_equal(d1, d2, l1);
        free(d1);
        free(d2);
        free(again);
    }
    free(blob);
    /* The same through CBC_PAD. */
    assert_int_equal(tk_wrap(CKM_AES_CBC_PAD, priv, &blob, &len), CKR_OK);
    assert_int_equal(tk_unwrap(CKM_AES_CBC_PAD, c, c->type, blob, len, &copy), CKR_OK);
    tk_use_both(c, pub, priv, copy);
    free(blob);
}

static void
tk_test_rsa(void **state)
{
    (void)state;
    tk_round_trip(&tk_rsa);
}

static void
tk_test_p256(void **state)
{
    (void)state;
    tk_round_trip(&tk_ec);
}

static void
tk_test_ed25519(void **state)
{
    (void)state;
    tk_round_trip(&tk_ed);
}

static void
tk_test_x25519(void **state)
{
    (void)state;
    tk_round_trip(&tk_x);
}

static void
tk_test_mlkem(void **state)
{
    (void)state;
    tk_round_trip(&tk_kem);
}

static void
tk_test_mldsa(void **state)
{
    (void)state;
    tk_round_trip(&tk_dsa);
}

static void
tk_test_slhdsa(void **state)
{
    (void)state;
    tk_round_trip(&tk_slh);
}

/* ---- refusals ---- */

/* The session layer's rule: a non-extractable key never leaves. */
static void
tk_test_unextractable(void **state)
{
    CK_OBJECT_HANDLE pub, priv;
    uint8_t *blob = NULL;
    CK_ULONG len = 0;

    (void)state;
    tk_gen(&tk_ec, CK_FALSE, &pub, &priv);
    assert_int_equal(tk_wrap(CKM_AES_KEY_WRAP_KWP, priv, &blob, &len), CKR_KEY_UNEXTRACTABLE);
    tk_gen(&tk_dsa, CK_FALSE, &pub, &priv);
    assert_int_equal(tk_wrap(CKM_AES_KEY_WRAP_KWP, priv, &blob, &len), CKR_KEY_UNEXTRACTABLE);
    /* A public key has no CKA_EXTRACTABLE, which counts as CK_FALSE. */
    assert_int_equal(tk_wrap(CKM_AES_KEY_WRAP_KWP, pub, &blob, &len), CKR_KEY_UNEXTRACTABLE);
}

/* Plain KW wraps a private key only when its encoding is whole
 * semiblocks; the answer is either a working blob or a clean refusal. */
static void
tk_test_plain_kw(void **state)
{
    CK_OBJECT_HANDLE pub, priv, copy;
    uint8_t *blob = NULL;
    CK_ULONG len = 0;
    const tk_case *cases[] = {&tk_ec, &tk_ed, &tk_slh, &tk_dsa};
    int wrapped = 0;

    (void)state;
    for (size_t i = 0; i < 4; i++) {
        CK_RV rv;

        tk_gen(cases[i], CK_TRUE, &pub, &priv);
        rv = tk_wrap(CKM_AES_KEY_WRAP, priv, &blob, &len);
        if (rv == CKR_KEY_NOT_WRAPPABLE) {
            continue;
        }
        assert_int_equal(rv, CKR_OK);
        assert_int_equal(len % 8, 0);
        assert_int_equal(tk_unwrap(CKM_AES_KEY_WRAP, cases[i], cases[i]->type, blob, len, &copy),
                         CKR_OK);
        tk_use_both(cases[i], pub, priv, copy);
        free(blob);
        wrapped++;
    }
    /* SLH-DSA-SHA2-128f: 84 bytes; ML-DSA-65 seed form: 54. Ed25519 and
     * P-256 as OpenSSL writes them: 48 and 138. Only Ed25519 fits. */
    assert_int_equal(wrapped, 1);
}

static void
tk_test_wrong_type(void **state)
{
    CK_OBJECT_HANDLE pub, priv, copy;
    uint8_t *blob = NULL;
    CK_ULONG len = 0;

    (void)state;
    tk_gen(&tk_dsa, CK_TRUE, &pub, &priv);
    assert_int_equal(tk_wrap(CKM_AES_KEY_WRAP_KWP, priv, &blob, &len), CKR_OK);
    assert_int_equal(tk_unwrap(CKM_AES_KEY_WRAP_KWP, &tk_dsa, CKK_ML_KEM, blob, len, &copy),
                     CKR_TEMPLATE_INCONSISTENT);
    assert_int_equal(tk_unwrap(CKM_AES_KEY_WRAP_KWP, &tk_dsa, CKK_RSA, blob, len, &copy),
                     CKR_TEMPLATE_INCONSISTENT);
    free(blob);
    tk_gen(&tk_ed, CK_TRUE, &pub, &priv);
    assert_int_equal(tk_wrap(CKM_AES_KEY_WRAP_KWP, priv, &blob, &len), CKR_OK);
    assert_int_equal(tk_unwrap(CKM_AES_KEY_WRAP_KWP, &tk_ed, CKK_EC, blob, len, &copy),
                     CKR_TEMPLATE_INCONSISTENT);
    assert_int_equal(tk_unwrap(CKM_AES_KEY_WRAP_KWP, &tk_ed, CKK_EC_MONTGOMERY, blob, len, &copy),
                     CKR_TEMPLATE_INCONSISTENT);
    free(blob);
}

/* Encodings that are not PKCS#8 of a key we know. */
static void
tk_test_malformed(void **state)
{
    static const uint8_t junk[] = "this is not a DER PrivateKeyInfo";
    /* ML-DSA-65 with a 31-byte seed. */
    static const uint8_t short_seed[] = {
        0x30, 0x33, 0x02, 0x01, 0x00, 0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65,
        0x03, 0x04, 0x03, 0x12, 0x04, 0x21, 0x80, 0x1f, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
        13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31};
    const uint8_t *bad[] = {junk, short_seed};
    size_t bad_len[] = {sizeof(junk), sizeof(short_seed)};
    CK_OBJECT_HANDLE copy;

    (void)state;
    for (size_t i = 0; i < 2; i++) {
        size_t len = 0;
        uint8_t *blob = tk_ossl_wrap(bad[i], bad_len[i], &len);
        assert_int_equal(tk_unwrap(CKM_AES_KEY_WRAP_KWP, &tk_dsa, CKK_ML_DSA, blob, len, &copy),
                         CKR_WRAPPED_KEY_INVALID);
        free(blob);
    }
}

/* The "both" form read back, and refused when seed and key disagree. */
static void
tk_test_both_forms(void **state)
{
    static const uint8_t head[] = {0x30, 0x82, 0x0f, 0xfe, 0x02, 0x01, 0x00, 0x30, 0x0b, 0x06,
                                   0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x12,
                                   0x04, 0x82, 0x0f, 0xea, 0x30, 0x82, 0x0f, 0xe6, 0x04, 0x20};
    CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
    CK_KEY_TYPE kt = CKK_ML_DSA;
    CK_ULONG set = CKP_ML_DSA_65;
    uint8_t seed[32];
    CK_ATTRIBUTE t[] = {
        {CKA_CLASS, &cls, sizeof(cls)},   {CKA_KEY_TYPE, &kt, sizeof(kt)},
        {CKA_PARAMETER_SET, &set, sizeof(set)}, {CKA_SEED, seed, sizeof(seed)},
        {CKA_SENSITIVE, &tk_no, 1},       {CKA_TOKEN, &tk_no, 1},
        {CKA_EXTRACTABLE, &tk_yes, 1},
    };
    CK_OBJECT_HANDLE priv, copy;
    CK_ULONG vl;
    uint8_t *v;
    uint8_t der[4098];
    uint8_t *blob;
    size_t len;

    (void)state;
    for (size_t i = 0; i < sizeof(seed); i++) {
        seed[i] = (uint8_t)i;
    }
    assert_int_equal(th.f->C_CreateObject(tk_s, t, 7, &priv), CKR_OK);
    v = tk_attr(priv, CKA_VALUE, &vl);
    assert_int_equal(vl, 4032);
    memcpy(der, head, sizeof(head));
    memcpy(der + sizeof(head), seed, 32);
    der[sizeof(head) + 32] = 0x04;
    der[sizeof(head) + 33] = 0x82;
    der[sizeof(head) + 34] = 0x0f;
    der[sizeof(head) + 35] = 0xc0;
    memcpy(der + sizeof(head) + 36, v, vl);
    assert_int_equal(sizeof(head) + 36 + vl, sizeof(der));
    blob = tk_ossl_wrap(der, sizeof(der), &len);
    assert_int_equal(tk_unwrap(CKM_AES_KEY_WRAP_KWP, &tk_dsa, CKK_ML_DSA, blob, len, &copy),
                     CKR_OK);
    free(blob);
    der[sizeof(der) - 1] ^= 1;
    blob = tk_ossl_wrap(der, sizeof(der), &len);
    assert_int_equal(tk_unwrap(CKM_AES_KEY_WRAP_KWP, &tk_dsa, CKK_ML_DSA, blob, len, &copy),
                     CKR_WRAPPED_KEY_INVALID);
    free(blob);
    free(v);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tk_test_rsa),          cmocka_unit_test(tk_test_p256),
        cmocka_unit_test(tk_test_ed25519),      cmocka_unit_test(tk_test_x25519),
        cmocka_unit_test(tk_test_mlkem),        cmocka_unit_test(tk_test_mldsa),
        cmocka_unit_test(tk_test_slhdsa),       cmocka_unit_test(tk_test_unextractable),
        cmocka_unit_test(tk_test_plain_kw),     cmocka_unit_test(tk_test_wrong_type),
        cmocka_unit_test(tk_test_malformed),    cmocka_unit_test(tk_test_both_forms),
    };

    return cmocka_run_group_tests(tests, tk_setup, tk_teardown);
}
