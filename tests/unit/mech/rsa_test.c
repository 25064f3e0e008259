/*
 * The RSA family (src/mech/rsa*.c, src/crypto/ossl/rsa.c) against the
 * mechanism layer: key pair generation, every mechanism's round trip,
 * the length rules of [PKCS11 3.2 §5.2] and §6.1, parameter and key
 * checks, the constant-time PKCS #1 v1.5 unpadding, and wrapping.
 * One 2048-bit key pair is generated once for the whole program.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/ossl/rsa.h"
#include "mech/mech.h"

#define K 256 /* modulus length of the test key, bytes */

static tk_mech_attrs g_pub_vals;
static tk_mech_attrs g_priv_vals;
static CK_ATTRIBUTE g_pub_arr[16];
static CK_ATTRIBUTE g_priv_arr[16];
static tk_key g_pub;
static tk_key g_priv;

static void
make_view(tk_key *key, CK_ATTRIBUTE *arr, const tk_mech_attrs *vals, CK_OBJECT_CLASS cls)
{
    assert_true(vals->n <= 16);
    memcpy(arr, vals->v, vals->n * sizeof(*arr));
    key->cls = cls;
    key->type = CKK_RSA;
    key->attrs = arr;
    key->n = vals->n;
}

static CK_RV
gen_pair(CK_ULONG bits, const void *e, CK_ULONG e_len, tk_mech_attrs *pub, tk_mech_attrs *priv)
{
    CK_MECHANISM m = {CKM_RSA_PKCS_KEY_PAIR_GEN, NULL, 0};
    CK_ATTRIBUTE tmpl[2] = {
        {CKA_MODULUS_BITS, &bits, sizeof(bits)},
        {CKA_PUBLIC_EXPONENT, (void *)e, e_len},
    };
    CK_KEY_TYPE type = 0;
    CK_RV rv = tk_mech_generate_key_pair(&m, tmpl, e != NULL ? 2 : 1, NULL, 0, &type, pub, priv);

    if (rv == CKR_OK) {
        assert_int_equal(type, CKK_RSA);
    }
    return rv;
}

static int
setup(void **state)
{
    (void)state;
    assert_int_equal(gen_pair(2048, NULL, 0, &g_pub_vals, &g_priv_vals), CKR_OK);
    make_view(&g_pub, g_pub_arr, &g_pub_vals, CKO_PUBLIC_KEY);
    make_view(&g_priv, g_priv_arr, &g_priv_vals, CKO_PRIVATE_KEY);
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    tk_mech_attrs_clear(&g_pub_vals);
    tk_mech_attrs_clear(&g_priv_vals);
    return 0;
}

/* ---- helpers: one call of an operation, freed afterwards ---- */

static CK_RV
run_once(tk_op_kind kind, CK_MECHANISM *m, const tk_key *key, const uint8_t *in, CK_ULONG in_len,
         uint8_t *out, CK_ULONG *out_len)
{
    tk_op *op = NULL;
    CK_RV rv = tk_mech_op_init(kind, m, key, &op);

    if (rv != CKR_OK) {
        return rv;
    }
    rv = op->vt->run(op, in, in_len, out, out_len);
    tk_op_free(op);
    return rv;
}

static CK_RV
verify_once(CK_MECHANISM *m, const tk_key *key, const uint8_t *data, CK_ULONG len,
            const uint8_t *sig, CK_ULONG sig_len)
{
    tk_op *op = NULL;
    CK_RV rv = tk_mech_op_init(TK_OP_VERIFY, m, key, &op);

    if (rv != CKR_OK) {
        return rv;
    }
    rv = op->vt->verify(op, data, len, sig, sig_len);
    tk_op_free(op);
    return rv;
}

static CK_RV
init_only(tk_op_kind kind, CK_MECHANISM *m, const tk_key *key)
{
    tk_op *op = NULL;
    CK_RV rv = tk_mech_op_init(kind, m, key, &op);

    tk_op_free(op);
    return rv;
}

static const CK_ATTRIBUTE *
find(const tk_mech_attrs *l, CK_ATTRIBUTE_TYPE t)
{
    return tk_tmpl_find(l->v, l->n, t);
}

/* ---- the table ---- */

static void
test_mechanism_info(void **state)
{
    CK_MECHANISM_INFO info;

    (void)state;
    assert_int_equal(tk_mech_info(CKM_RSA_PKCS, &info), CKR_OK);
    assert_int_equal(info.ulMinKeySize, 2048);
    assert_int_equal(info.ulMaxKeySize, 8192);
    assert_true(info.flags & CKF_ENCRYPT && info.flags & CKF_SIGN_RECOVER && info.flags & CKF_WRAP);
    assert_int_equal(tk_mech_info(CKM_RSA_PKCS_KEY_PAIR_GEN, &info), CKR_OK);
    assert_int_equal(info.flags, CKF_GENERATE_KEY_PAIR);
    assert_int_equal(tk_mech_info(CKM_SHA3_512_RSA_PKCS_PSS, &info), CKR_OK);
    assert_int_equal(info.flags, CKF_SIGN | CKF_VERIFY);
    assert_int_equal(tk_mech_info(CKM_RSA_PKCS_OAEP, &info), CKR_OK);
    assert_false(info.flags & CKF_SIGN);
    /* Not offered: the 9796 and X9.31 forms. */
    assert_int_equal(tk_mech_info(CKM_RSA_9796, &info), CKR_MECHANISM_INVALID);
    assert_int_equal(tk_mech_info(CKM_RSA_X9_31_KEY_PAIR_GEN, &info), CKR_MECHANISM_INVALID);
}

/* ---- key pair generation ---- */

static void
test_generated_values(void **state)
{
    static const CK_ATTRIBUTE_TYPE priv_types[] = {
        CKA_MODULUS, CKA_PUBLIC_EXPONENT, CKA_PRIVATE_EXPONENT, CKA_PRIME_1,
        CKA_PRIME_2, CKA_EXPONENT_1,      CKA_EXPONENT_2,       CKA_COEFFICIENT,
    };
    const CK_ATTRIBUTE *n = find(&g_pub_vals, CKA_MODULUS);
    const CK_ATTRIBUTE *e = find(&g_pub_vals, CKA_PUBLIC_EXPONENT);

    (void)state;
    assert_non_null(n);
    assert_int_equal(n->ulValueLen, K);
    assert_true(((const uint8_t *)n->pValue)[0] & 0x80);
    assert_non_null(e);
    assert_int_equal(e->ulValueLen, 3);
    assert_memory_equal(e->pValue, "\x01\x00\x01", 3);
    assert_non_null(find(&g_pub_vals, CKA_PUBLIC_KEY_INFO));
    /* CKA_MODULUS_BITS is the object layer's to derive. */
    assert_null(find(&g_pub_vals, CKA_MODULUS_BITS));
    for (size_t i = 0; i < sizeof(priv_types) / sizeof(priv_types[0]); i++) {
        assert_non_null(find(&g_priv_vals, priv_types[i]));
    }
    assert_memory_equal(find(&g_priv_vals, CKA_MODULUS)->pValue, n->pValue, K);
}

static void
test_generate_refusals(void **state)
{
    CK_MECHANISM m = {CKM_RSA_PKCS_KEY_PAIR_GEN, NULL, 0};
    CK_ULONG bits = 2048;
    CK_ULONG big = 8200;
    CK_ULONG small = 1024;
    uint32_t bad_len = 2048;
    CK_ATTRIBUTE no_bits[] = {{CKA_PUBLIC_EXPONENT, "\x01\x00\x01", 3}};
    CK_ATTRIBUTE short_bits[] = {{CKA_MODULUS_BITS, &bad_len, sizeof(bad_len)}};
    CK_ATTRIBUTE ok[] = {{CKA_MODULUS_BITS, &bits, sizeof(bits)}};
    tk_mech_attrs pub = {0};
    tk_mech_attrs priv = {0};
    CK_KEY_TYPE type;
    uint8_t param = 0;

    (void)state;
    assert_int_equal(tk_mech_generate_key_pair(&m, no_bits, 1, NULL, 0, &type, &pub, &priv),
                     CKR_TEMPLATE_INCOMPLETE);
    assert_int_equal(tk_mech_generate_key_pair(&m, short_bits, 1, NULL, 0, &type, &pub, &priv),
                     CKR_ATTRIBUTE_VALUE_INVALID);
    assert_int_equal(gen_pair(small, NULL, 0, &pub, &priv), CKR_KEY_SIZE_RANGE);
    assert_int_equal(gen_pair(big, NULL, 0, &pub, &priv), CKR_KEY_SIZE_RANGE);
    /* Even, one, zero and over-long exponents. */
    assert_int_equal(gen_pair(bits, "\x01\x00\x00", 3, &pub, &priv), CKR_TEMPLATE_INCONSISTENT);
    assert_int_equal(gen_pair(bits, "\x01", 1, &pub, &priv), CKR_TEMPLATE_INCONSISTENT);
    assert_int_equal(gen_pair(bits, "\x00\x00", 2, &pub, &priv), CKR_TEMPLATE_INCONSISTENT);
    {
        uint8_t huge[33];
        memset(huge, 0xff, sizeof(huge));
        assert_int_equal(gen_pair(bits, huge, sizeof(huge), &pub, &priv),
                         CKR_TEMPLATE_INCONSISTENT);
    }
    m.pParameter = &param;
    m.ulParameterLen = 1;
    assert_int_equal(tk_mech_generate_key_pair(&m, ok, 1, NULL, 0, &type, &pub, &priv),
                     CKR_MECHANISM_PARAM_INVALID);
    assert_int_equal(pub.n, 0);
    assert_int_equal(priv.n, 0);
}

/* The template's exponent is copied as given, leading zero included. */
static void
test_generate_exponent_as_given(void **state)
{
    tk_mech_attrs pub = {0};
    tk_mech_attrs priv = {0};
    const CK_ATTRIBUTE *e;

    (void)state;
    assert_int_equal(gen_pair(2048, "\x00\x03", 2, &pub, &priv), CKR_OK);
    e = find(&pub, CKA_PUBLIC_EXPONENT);
    assert_int_equal(e->ulValueLen, 2);
    assert_memory_equal(e->pValue, "\x00\x03", 2);
    e = find(&priv, CKA_PUBLIC_EXPONENT);
    assert_int_equal(e->ulValueLen, 1);
    assert_int_equal(((const uint8_t *)e->pValue)[0], 3);
    tk_mech_attrs_clear(&pub);
    tk_mech_attrs_clear(&priv);
}

/* ---- signatures ---- */

typedef struct {
    CK_MECHANISM_TYPE mech;
    CK_MECHANISM_TYPE hash;
    CK_RSA_PKCS_MGF_TYPE mgf;
    CK_ULONG hlen;
    int pss;
} sig_case;

static const sig_case sig_cases[] = {
    {CKM_SHA1_RSA_PKCS, CKM_SHA_1, 0, 20, 0},
    {CKM_SHA224_RSA_PKCS, CKM_SHA224, 0, 28, 0},
    {CKM_SHA256_RSA_PKCS, CKM_SHA256, 0, 32, 0},
    {CKM_SHA384_RSA_PKCS, CKM_SHA384, 0, 48, 0},
    {CKM_SHA512_RSA_PKCS, CKM_SHA512, 0, 64, 0},
    {CKM_SHA3_224_RSA_PKCS, CKM_SHA3_224, 0, 28, 0},
    {CKM_SHA3_256_RSA_PKCS, CKM_SHA3_256, 0, 32, 0},
    {CKM_SHA3_384_RSA_PKCS, CKM_SHA3_384, 0, 48, 0},
    {CKM_SHA3_512_RSA_PKCS, CKM_SHA3_512, 0, 64, 0},
    {CKM_SHA1_RSA_PKCS_PSS, CKM_SHA_1, CKG_MGF1_SHA1, 20, 1},
    {CKM_SHA224_RSA_PKCS_PSS, CKM_SHA224, CKG_MGF1_SHA224, 28, 1},
    {CKM_SHA256_RSA_PKCS_PSS, CKM_SHA256, CKG_MGF1_SHA256, 32, 1},
    {CKM_SHA384_RSA_PKCS_PSS, CKM_SHA384, CKG_MGF1_SHA384, 48, 1},
    {CKM_SHA512_RSA_PKCS_PSS, CKM_SHA512, CKG_MGF1_SHA512, 64, 1},
    {CKM_SHA3_224_RSA_PKCS_PSS, CKM_SHA3_224, CKG_MGF1_SHA3_224, 28, 1},
    {CKM_SHA3_256_RSA_PKCS_PSS, CKM_SHA3_256, CKG_MGF1_SHA3_256, 32, 1},
    {CKM_SHA3_384_RSA_PKCS_PSS, CKM_SHA3_384, CKG_MGF1_SHA3_384, 48, 1},
    {CKM_SHA3_512_RSA_PKCS_PSS, CKM_SHA3_512, CKG_MGF1_SHA3_512, 64, 1},
};

/* Sign in two parts, verify in one and in parts; a changed message or
 * signature fails. */
static void
check_hashed(const sig_case *c)
{
    static const uint8_t msg[] = "the quick brown fox jumps over the lazy dog";
    CK_RSA_PKCS_PSS_PARAMS pss = {c->hash, c->mgf, c->hlen};
    CK_MECHANISM m = {c->mech, c->pss ? &pss : NULL, c->pss ? sizeof(pss) : 0};
    uint8_t sig[K];
    uint8_t sig2[K];
    CK_ULONG len = sizeof(sig);
    tk_op *op = NULL;

    assert_int_equal(tk_mech_op_init(TK_OP_SIGN, &m, &g_priv, &op), CKR_OK);
    assert_int_equal(op->vt->update(op, msg, 10, NULL, NULL), CKR_OK);
    assert_int_equal(op->vt->update(op, msg + 10, sizeof(msg) - 10, NULL, NULL), CKR_OK);
    len = 0;
    assert_int_equal(op->vt->final(op, NULL, &len), CKR_OK);
    assert_int_equal(len, K);
    len = K - 1;
    assert_int_equal(op->vt->final(op, sig, &len), CKR_BUFFER_TOO_SMALL);
    assert_int_equal(len, K);
    assert_int_equal(op->vt->final(op, sig, &len), CKR_OK);
    tk_op_free(op);

    assert_int_equal(verify_once(&m, &g_pub, msg, sizeof(msg), sig, K), CKR_OK);
    assert_int_equal(tk_mech_op_init(TK_OP_VERIFY, &m, &g_pub, &op), CKR_OK);
    assert_int_equal(op->vt->update(op, msg, 5, NULL, NULL), CKR_OK);
    assert_int_equal(op->vt->update(op, msg + 5, sizeof(msg) - 5, NULL, NULL), CKR_OK);
    assert_int_equal(op->vt->verify_final(op, sig, K), CKR_OK);
    tk_op_free(op);

    assert_int_equal(verify_once(&m, &g_pub, msg, sizeof(msg) - 1, sig, K),
                     CKR_SIGNATURE_INVALID);
    sig[K / 2] ^= 1;
    assert_int_equal(verify_once(&m, &g_pub, msg, sizeof(msg), sig, K), CKR_SIGNATURE_INVALID);
    assert_int_equal(verify_once(&m, &g_pub, msg, sizeof(msg), sig, K - 1),
                     CKR_SIGNATURE_LEN_RANGE);

    /* Single part gives the same PKCS #1 v1.5 signature. */
    len = sizeof(sig2);
    assert_int_equal(run_once(TK_OP_SIGN, &m, &g_priv, msg, sizeof(msg), sig2, &len), CKR_OK);
    assert_int_equal(verify_once(&m, &g_pub, msg, sizeof(msg), sig2, K), CKR_OK);
    if (!c->pss) {
        sig[K / 2] ^= 1;
        assert_memory_equal(sig, sig2, K);
    }
}

static void
test_hashed_signatures(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(sig_cases) / sizeof(sig_cases[0]); i++) {
        check_hashed(&sig_cases[i]);
    }
}

/* A length query must not absorb the message. */
static void
test_hashed_query_keeps_data(void **state)
{
    static const uint8_t msg[] = "abc";
    CK_MECHANISM m = {CKM_SHA256_RSA_PKCS, NULL, 0};
    uint8_t sig[K];
    CK_ULONG len = 0;
    tk_op *op = NULL;

    (void)state;
    assert_int_equal(tk_mech_op_init(TK_OP_SIGN, &m, &g_priv, &op), CKR_OK);
    assert_int_equal(op->vt->run(op, msg, 3, NULL, &len), CKR_OK);
    assert_int_equal(len, K);
    len = 10;
    assert_int_equal(op->vt->run(op, msg, 3, sig, &len), CKR_BUFFER_TOO_SMALL);
    len = K;
    assert_int_equal(op->vt->run(op, msg, 3, sig, &len), CKR_OK);
    tk_op_free(op);
    assert_int_equal(verify_once(&m, &g_pub, msg, 3, sig, K), CKR_OK);
}

/* SHA-256 DigestInfo prefix [RFC 8017 §9.2 note 1]. */
static const uint8_t sha256_prefix[] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                        0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};

/* CKM_RSA_PKCS over a DigestInfo equals CKM_SHA256_RSA_PKCS over the data. */
static void
test_pkcs_raw_digestinfo(void **state)
{
    CK_MECHANISM raw = {CKM_RSA_PKCS, NULL, 0};
    CK_MECHANISM hashed = {CKM_SHA256_RSA_PKCS, NULL, 0};
    CK_MECHANISM sha = {CKM_SHA256, NULL, 0};
    uint8_t di[sizeof(sha256_prefix) + 32];
    uint8_t s1[K];
    uint8_t s2[K];
    uint8_t big[K];
    CK_ULONG len = 32;

    (void)state;
    memcpy(di, sha256_prefix, sizeof(sha256_prefix));
    assert_int_equal(run_once(TK_OP_DIGEST, &sha, NULL, (const uint8_t *)"hello", 5,
                              di + sizeof(sha256_prefix), &len),
                     CKR_OK);
    len = K;
    assert_int_equal(run_once(TK_OP_SIGN, &raw, &g_priv, di, sizeof(di), s1, &len), CKR_OK);
    len = K;
    assert_int_equal(run_once(TK_OP_SIGN, &hashed, &g_priv, (const uint8_t *)"hello", 5, s2,
                              &len),
                     CKR_OK);
    assert_memory_equal(s1, s2, K);
    assert_int_equal(verify_once(&raw, &g_pub, di, sizeof(di), s1, K), CKR_OK);
    assert_int_equal(verify_once(&hashed, &g_pub, (const uint8_t *)"hello", 5, s1, K), CKR_OK);
    assert_int_equal(verify_once(&raw, &g_pub, di, sizeof(di) - 1, s1, K), CKR_SIGNATURE_INVALID);

    /* Input up to k - 11 bytes. */
    memset(big, 0x5a, sizeof(big));
    len = K;
    assert_int_equal(run_once(TK_OP_SIGN, &raw, &g_priv, big, K - 11, s1, &len), CKR_OK);
    assert_int_equal(verify_once(&raw, &g_pub, big, K - 11, s1, K), CKR_OK);
    len = K;
    assert_int_equal(run_once(TK_OP_SIGN, &raw, &g_priv, big, K - 10, s1, &len),
                     CKR_DATA_LEN_RANGE);
}

static void
test_pss_raw(void **state)
{
    CK_RSA_PKCS_PSS_PARAMS pss = {CKM_SHA256, CKG_MGF1_SHA256, 32};
    CK_MECHANISM m = {CKM_RSA_PKCS_PSS, &pss, sizeof(pss)};
    CK_MECHANISM hashed = {CKM_SHA256_RSA_PKCS_PSS, &pss, sizeof(pss)};
    CK_MECHANISM sha = {CKM_SHA256, NULL, 0};
    uint8_t h[32];
    uint8_t sig[K];
    CK_ULONG len = sizeof(h);

    (void)state;
    assert_int_equal(run_once(TK_OP_DIGEST, &sha, NULL, (const uint8_t *)"msg", 3, h, &len),
                     CKR_OK);
    len = K;
    assert_int_equal(run_once(TK_OP_SIGN, &m, &g_priv, h, 32, sig, &len), CKR_OK);
    assert_int_equal(verify_once(&m, &g_pub, h, 32, sig, K), CKR_OK);
    assert_int_equal(verify_once(&hashed, &g_pub, (const uint8_t *)"msg", 3, sig, K), CKR_OK);
    /* The input must be exactly the hash's length. */
    len = K;
    assert_int_equal(run_once(TK_OP_SIGN, &m, &g_priv, h, 31, sig, &len), CKR_DATA_LEN_RANGE);
    assert_int_equal(verify_once(&m, &g_pub, h, 33, sig, K), CKR_DATA_LEN_RANGE);
    /* Salt length zero and the largest the key allows: 256 - 32 - 2. */
    pss.sLen = 0;
    len = K;
    assert_int_equal(run_once(TK_OP_SIGN, &m, &g_priv, h, 32, sig, &len), CKR_OK);
    assert_int_equal(verify_once(&m, &g_pub, h, 32, sig, K), CKR_OK);
    pss.sLen = 222;
    len = K;
    assert_int_equal(run_once(TK_OP_SIGN, &m, &g_priv, h, 32, sig, &len), CKR_OK);
    assert_int_equal(verify_once(&m, &g_pub, h, 32, sig, K), CKR_OK);
    /* A verifier expecting another salt length refuses. */
    pss.sLen = 32;
    assert_int_equal(verify_once(&m, &g_pub, h, 32, sig, K), CKR_SIGNATURE_INVALID);
    pss.sLen = 223;
    assert_int_equal(init_only(TK_OP_SIGN, &m, &g_priv), CKR_MECHANISM_PARAM_INVALID);
}

static void
test_pss_params(void **state)
{
    CK_RSA_PKCS_PSS_PARAMS pss = {CKM_SHA256, CKG_MGF1_SHA256, 32};
    CK_MECHANISM m = {CKM_SHA256_RSA_PKCS_PSS, &pss, sizeof(pss)};

    (void)state;
    assert_int_equal(init_only(TK_OP_SIGN, &m, &g_priv), CKR_OK);
    m.ulParameterLen = sizeof(pss) - 1;
    assert_int_equal(init_only(TK_OP_SIGN, &m, &g_priv), CKR_MECHANISM_PARAM_INVALID);
    m.ulParameterLen = sizeof(pss);
    m.pParameter = NULL;
    assert_int_equal(init_only(TK_OP_SIGN, &m, &g_priv), CKR_MECHANISM_PARAM_INVALID);
    m.pParameter = &pss;
    pss.hashAlg = CKM_SHA384; /* not the mechanism's hash */
    assert_int_equal(init_only(TK_OP_VERIFY, &m, &g_pub), CKR_MECHANISM_PARAM_INVALID);
    pss.hashAlg = CKM_MD5;
    m.mechanism = CKM_RSA_PKCS_PSS;
    assert_int_equal(init_only(TK_OP_SIGN, &m, &g_priv), CKR_MECHANISM_PARAM_INVALID);
    pss.hashAlg = CKM_SHA256;
    pss.mgf = 0x77;
    assert_int_equal(init_only(TK_OP_SIGN, &m, &g_priv), CKR_MECHANISM_PARAM_INVALID);
    pss.mgf = CKG_MGF1_SHA1; /* a different MGF hash is allowed */
    assert_int_equal(init_only(TK_OP_SIGN, &m, &g_priv), CKR_OK);
}

/* Raw RSA: zeros on the left, at most k bytes, below the modulus. */
static void
test_x509_sign_recover(void **state)
{
    CK_MECHANISM m = {CKM_RSA_X_509, NULL, 0};
    const CK_ATTRIBUTE *n = find(&g_pub_vals, CKA_MODULUS);
    uint8_t sig[K];
    uint8_t rec[K];
    uint8_t data[K];
    CK_ULONG len = K;

    (void)state;
    assert_int_equal(run_once(TK_OP_SIGN, &m, &g_priv, (const uint8_t *)"\x01\x02", 2, sig, &len),
                     CKR_OK);
    assert_int_equal(verify_once(&m, &g_pub, (const uint8_t *)"\x01\x02", 2, sig, K), CKR_OK);
    assert_int_equal(verify_once(&m, &g_pub, (const uint8_t *)"\x00\x01\x02", 3, sig, K),
                     CKR_OK);
    assert_int_equal(verify_once(&m, &g_pub, (const uint8_t *)"\x01\x03", 2, sig, K),
                     CKR_SIGNATURE_INVALID);
    len = 0;
    assert_int_equal(run_once(TK_OP_VERIFY_RECOVER, &m, &g_pub, sig, K, NULL, &len), CKR_OK);
    assert_int_equal(len, K);
    assert_int_equal(run_once(TK_OP_VERIFY_RECOVER, &m, &g_pub, sig, K, rec, &len), CKR_OK);
    assert_int_equal(len, K);
    assert_int_equal(rec[K - 2], 1);
    assert_int_equal(rec[K - 1], 2);
    assert_int_equal(rec[0], 0);

    /* The modulus itself is not below the modulus. */
    memcpy(data, n->pValue, K);
    len = K;
    assert_int_equal(run_once(TK_OP_SIGN, &m, &g_priv, data, K, sig, &len), CKR_DATA_INVALID);
    len = K;
    assert_int_equal(run_once(TK_OP_SIGN, &m, &g_priv, data, K + 0, NULL, &len), CKR_OK);
    len = K;
    assert_int_equal(run_once(TK_OP_SIGN_RECOVER, &m, &g_priv, data + 1, K - 1, sig, &len),
                     CKR_OK);
    len = K;
    assert_int_equal(run_once(TK_OP_VERIFY_RECOVER, &m, &g_pub, data, K, rec, &len),
                     CKR_SIGNATURE_INVALID);
}

static void
test_pkcs_sign_recover(void **state)
{
    CK_MECHANISM m = {CKM_RSA_PKCS, NULL, 0};
    uint8_t sig[K];
    uint8_t rec[K];
    CK_ULONG len = K;

    (void)state;
    assert_int_equal(run_once(TK_OP_SIGN_RECOVER, &m, &g_priv, (const uint8_t *)"recover me", 10,
                              sig, &len),
                     CKR_OK);
    len = 0;
    assert_int_equal(run_once(TK_OP_VERIFY_RECOVER, &m, &g_pub, sig, K, NULL, &len), CKR_OK);
    assert_int_equal(len, K - 11);
    len = 5;
    assert_int_equal(run_once(TK_OP_VERIFY_RECOVER, &m, &g_pub, sig, K, rec, &len),
                     CKR_BUFFER_TOO_SMALL);
    assert_int_equal(len, 10);
    assert_int_equal(run_once(TK_OP_VERIFY_RECOVER, &m, &g_pub, sig, K, rec, &len), CKR_OK);
    assert_int_equal(len, 10);
    assert_memory_equal(rec, "recover me", 10);
    sig[3] ^= 0x10;
    len = K;
    assert_int_equal(run_once(TK_OP_VERIFY_RECOVER, &m, &g_pub, sig, K, rec, &len),
                     CKR_SIGNATURE_INVALID);
    len = K;
    assert_int_equal(run_once(TK_OP_VERIFY_RECOVER, &m, &g_pub, sig, K - 1, rec, &len),
                     CKR_SIGNATURE_LEN_RANGE);
    /* Hash-and-sign mechanisms have no recovery form. */
    m.mechanism = CKM_SHA256_RSA_PKCS;
    assert_int_equal(init_only(TK_OP_SIGN_RECOVER, &m, &g_priv), CKR_MECHANISM_INVALID);
}

/* ---- encryption ---- */

static void
roundtrip(CK_MECHANISM *m, const uint8_t *msg, CK_ULONG len)
{
    uint8_t ct[K];
    uint8_t pt[K];
    CK_ULONG ct_len = 0;
    CK_ULONG pt_len = 0;

    assert_int_equal(run_once(TK_OP_ENCRYPT, m, &g_pub, msg, len, NULL, &ct_len), CKR_OK);
    assert_int_equal(ct_len, K);
    assert_int_equal(run_once(TK_OP_ENCRYPT, m, &g_pub, msg, len, ct, &ct_len), CKR_OK);
    assert_int_equal(ct_len, K);
    assert_int_equal(run_once(TK_OP_DECRYPT, m, &g_priv, ct, K, NULL, &pt_len), CKR_OK);
    assert_true(pt_len >= len);
    assert_int_equal(run_once(TK_OP_DECRYPT, m, &g_priv, ct, K, pt, &pt_len), CKR_OK);
    assert_int_equal(pt_len, len);
    assert_memory_equal(pt, msg, len);
}

static void
test_encrypt_pkcs(void **state)
{
    CK_MECHANISM m = {CKM_RSA_PKCS, NULL, 0};
    uint8_t msg[K];
    uint8_t ct[K];
    uint8_t pt[K];
    CK_ULONG len;

    (void)state;
    memset(msg, 0xa5, sizeof(msg));
    roundtrip(&m, msg, 0);
    roundtrip(&m, msg, 16);
    roundtrip(&m, msg, K - 11);
    len = K;
    assert_int_equal(run_once(TK_OP_ENCRYPT, &m, &g_pub, msg, K - 10, ct, &len),
                     CKR_DATA_LEN_RANGE);
    len = K;
    assert_int_equal(run_once(TK_OP_ENCRYPT, &m, &g_pub, msg, 16, ct, &len), CKR_OK);
    /* A short buffer learns the exact length and gets nothing. */
    len = 15;
    memset(pt, 0, sizeof(pt));
    assert_int_equal(run_once(TK_OP_DECRYPT, &m, &g_priv, ct, K, pt, &len),
                     CKR_BUFFER_TOO_SMALL);
    assert_int_equal(len, 16);
    assert_int_equal(pt[0], 0);
    len = K;
    assert_int_equal(run_once(TK_OP_DECRYPT, &m, &g_priv, ct, K - 1, pt, &len),
                     CKR_ENCRYPTED_DATA_LEN_RANGE);
    ct[K - 1] ^= 1;
    len = K;
    assert_int_equal(run_once(TK_OP_DECRYPT, &m, &g_priv, ct, K, pt, &len),
                     CKR_ENCRYPTED_DATA_INVALID);
}

static void
test_encrypt_oaep(void **state)
{
    CK_RSA_PKCS_OAEP_PARAMS oaep = {CKM_SHA256, CKG_MGF1_SHA256, CKZ_DATA_SPECIFIED, NULL, 0};
    CK_MECHANISM m = {CKM_RSA_PKCS_OAEP, &oaep, sizeof(oaep)};
    uint8_t msg[K];
    uint8_t ct[K];
    uint8_t pt[K];
    CK_ULONG len;

    (void)state;
    memset(msg, 0x3c, sizeof(msg));
    roundtrip(&m, msg, 0);
    roundtrip(&m, msg, K - 2 - 64);
    len = K;
    assert_int_equal(run_once(TK_OP_ENCRYPT, &m, &g_pub, msg, K - 1 - 64, ct, &len),
                     CKR_DATA_LEN_RANGE);
    oaep.hashAlg = CKM_SHA_1;
    oaep.mgf = CKG_MGF1_SHA1;
    roundtrip(&m, msg, K - 2 - 40);
    oaep.hashAlg = CKM_SHA3_512;
    oaep.mgf = CKG_MGF1_SHA256;
    roundtrip(&m, msg, 33);

    /* A label must match. */
    oaep.pSourceData = "label";
    oaep.ulSourceDataLen = 5;
    roundtrip(&m, msg, 20);
    len = K;
    assert_int_equal(run_once(TK_OP_ENCRYPT, &m, &g_pub, msg, 20, ct, &len), CKR_OK);
    oaep.pSourceData = "lab3l";
    len = K;
    assert_int_equal(run_once(TK_OP_DECRYPT, &m, &g_priv, ct, K, pt, &len),
                     CKR_ENCRYPTED_DATA_INVALID);

    /* Bad parameters. */
    oaep.source = 2;
    assert_int_equal(init_only(TK_OP_ENCRYPT, &m, &g_pub), CKR_MECHANISM_PARAM_INVALID);
    oaep.source = 0; /* accepted only without a label */
    assert_int_equal(init_only(TK_OP_ENCRYPT, &m, &g_pub), CKR_MECHANISM_PARAM_INVALID);
    oaep.ulSourceDataLen = 0;
    assert_int_equal(init_only(TK_OP_ENCRYPT, &m, &g_pub), CKR_OK);
    oaep.source = CKZ_DATA_SPECIFIED;
    oaep.pSourceData = NULL;
    oaep.ulSourceDataLen = 3;
    assert_int_equal(init_only(TK_OP_ENCRYPT, &m, &g_pub), CKR_MECHANISM_PARAM_INVALID);
    oaep.ulSourceDataLen = 0;
    oaep.mgf = 0;
    assert_int_equal(init_only(TK_OP_ENCRYPT, &m, &g_pub), CKR_MECHANISM_PARAM_INVALID);
    oaep.mgf = CKG_MGF1_SHA1;
    oaep.hashAlg = CKM_SHA512_224;
    assert_int_equal(init_only(TK_OP_ENCRYPT, &m, &g_pub), CKR_MECHANISM_PARAM_INVALID);
    oaep.hashAlg = CKM_SHA_1;
    m.ulParameterLen = sizeof(oaep) + 1;
    assert_int_equal(init_only(TK_OP_ENCRYPT, &m, &g_pub), CKR_MECHANISM_PARAM_INVALID);
    /* OAEP does not sign. */
    m.ulParameterLen = sizeof(oaep);
    assert_int_equal(init_only(TK_OP_SIGN, &m, &g_priv), CKR_MECHANISM_INVALID);
}

static void
test_encrypt_x509(void **state)
{
    CK_MECHANISM m = {CKM_RSA_X_509, NULL, 0};
    uint8_t ct[K];
    uint8_t pt[K];
    CK_ULONG len = K;

    (void)state;
    assert_int_equal(run_once(TK_OP_ENCRYPT, &m, &g_pub, (const uint8_t *)"\x07", 1, ct, &len),
                     CKR_OK);
    len = K;
    assert_int_equal(run_once(TK_OP_DECRYPT, &m, &g_priv, ct, K, pt, &len), CKR_OK);
    assert_int_equal(len, K);
    assert_int_equal(pt[K - 1], 7);
    assert_int_equal(pt[0], 0);
    /* A ciphertext not below the modulus. */
    memcpy(ct, find(&g_pub_vals, CKA_MODULUS)->pValue, K);
    len = K;
    assert_int_equal(run_once(TK_OP_DECRYPT, &m, &g_priv, ct, K, pt, &len),
                     CKR_ENCRYPTED_DATA_INVALID);
    len = K;
    assert_int_equal(run_once(TK_OP_ENCRYPT, &m, &g_pub, ct, K, pt, &len), CKR_DATA_INVALID);
    len = K;
    assert_int_equal(run_once(TK_OP_ENCRYPT, &m, &g_pub, ct, K + 1, pt, &len),
                     CKR_DATA_LEN_RANGE);
}

/* Encrypt a hand-made block with raw RSA, then decrypt it as PKCS #1. */
static CK_RV
decrypt_block(const uint8_t *em, CK_ULONG *len, uint8_t *pt)
{
    CK_MECHANISM raw = {CKM_RSA_X_509, NULL, 0};
    CK_MECHANISM pkcs = {CKM_RSA_PKCS, NULL, 0};
    uint8_t ct[K];
    CK_ULONG ct_len = K;

    assert_int_equal(run_once(TK_OP_ENCRYPT, &raw, &g_pub, em, K, ct, &ct_len), CKR_OK);
    *len = K;
    return run_once(TK_OP_DECRYPT, &pkcs, &g_priv, ct, K, pt, len);
}

static void
test_pkcs1_padding_checks(void **state)
{
    uint8_t em[K];
    uint8_t pt[K];
    CK_ULONG len;

    (void)state;
    memset(em, 0x11, K);
    em[0] = 0;
    em[1] = 2;
    em[10] = 0; /* 8 padding bytes, then the separator */
    assert_int_equal(decrypt_block(em, &len, pt), CKR_OK);
    assert_int_equal(len, K - 11);

    em[10] = 0x11;
    em[9] = 0; /* 7 padding bytes */
    assert_int_equal(decrypt_block(em, &len, pt), CKR_ENCRYPTED_DATA_INVALID);
    em[9] = 0x11;
    assert_int_equal(decrypt_block(em, &len, pt), CKR_ENCRYPTED_DATA_INVALID); /* no zero */
    em[K - 1] = 0; /* empty message */
    assert_int_equal(decrypt_block(em, &len, pt), CKR_OK);
    assert_int_equal(len, 0);
    em[1] = 1; /* block type 1 */
    assert_int_equal(decrypt_block(em, &len, pt), CKR_ENCRYPTED_DATA_INVALID);
    em[1] = 2;
    em[0] = 1;
    em[0] = 0;
    em[2] = 0; /* no padding at all */
    assert_int_equal(decrypt_block(em, &len, pt), CKR_ENCRYPTED_DATA_INVALID);
}

static void
test_unpad_ct_direct(void **state)
{
    uint8_t em[32];
    size_t off = 0;

    (void)state;
    memset(em, 0xff, sizeof(em));
    em[0] = 0;
    em[1] = 2;
    em[20] = 0;
    em[25] = 0; /* only the first zero separates */
    assert_int_equal(tk_ossl_rsa_pkcs1_unpad_ct(em, sizeof(em), &off), UINT64_MAX);
    assert_int_equal(off, 21);
    em[0] = 0x80;
    assert_int_equal(tk_ossl_rsa_pkcs1_unpad_ct(em, sizeof(em), &off), 0);
    assert_int_equal(tk_ossl_rsa_pkcs1_unpad_ct(em, 10, &off), 0);
}

/* ---- keys ---- */

static void
test_key_checks(void **state)
{
    CK_MECHANISM m = {CKM_SHA256_RSA_PKCS, NULL, 0};
    CK_MECHANISM enc = {CKM_RSA_PKCS, NULL, 0};
    tk_key wrong = g_pub;
    uint8_t param = 1;

    (void)state;
    assert_int_equal(init_only(TK_OP_VERIFY, &m, &g_priv), CKR_KEY_TYPE_INCONSISTENT);
    assert_int_equal(init_only(TK_OP_SIGN, &m, &g_pub), CKR_KEY_TYPE_INCONSISTENT);
    assert_int_equal(init_only(TK_OP_ENCRYPT, &enc, &g_priv), CKR_KEY_TYPE_INCONSISTENT);
    assert_int_equal(init_only(TK_OP_DECRYPT, &enc, &g_pub), CKR_KEY_TYPE_INCONSISTENT);
    assert_int_equal(init_only(TK_OP_SIGN, &m, NULL), CKR_KEY_TYPE_INCONSISTENT);
    wrong.type = CKK_EC;
    assert_int_equal(init_only(TK_OP_VERIFY, &m, &wrong), CKR_KEY_TYPE_INCONSISTENT);
    m.pParameter = &param;
    m.ulParameterLen = 1;
    assert_int_equal(init_only(TK_OP_VERIFY, &m, &g_pub), CKR_MECHANISM_PARAM_INVALID);
    /* Hash-and-sign mechanisms neither encrypt nor verify-recover. */
    m.pParameter = NULL;
    m.ulParameterLen = 0;
    assert_int_equal(init_only(TK_OP_ENCRYPT, &m, &g_pub), CKR_MECHANISM_INVALID);
    assert_int_equal(init_only(TK_OP_MSG_SIGN, &m, &g_priv), CKR_MECHANISM_INVALID);
}

/* A 1024-bit key is below the minimum; it loads nowhere. */
static void
test_key_size_range(void **state)
{
    CK_MECHANISM m = {CKM_SHA256_RSA_PKCS, NULL, 0};
    tk_ossl_pkey *key = NULL;
    uint8_t *n = NULL;
    size_t n_len = 0;
    CK_ATTRIBUTE attrs[2];
    tk_key view = {.cls = CKO_PUBLIC_KEY, .type = CKK_RSA, .attrs = attrs, .n = 2};

    (void)state;
    assert_int_equal(tk_ossl_rsa_generate(1024, (const uint8_t *)"\x01\x00\x01", 3, &key), CKR_OK);
    assert_int_equal(tk_ossl_rsa_export(key, TK_RSA_N, &n, &n_len), CKR_OK);
    attrs[0] = (CK_ATTRIBUTE){CKA_MODULUS, n, n_len};
    attrs[1] = (CK_ATTRIBUTE){CKA_PUBLIC_EXPONENT, "\x01\x00\x01", 3};
    assert_int_equal(init_only(TK_OP_VERIFY, &m, &view), CKR_KEY_SIZE_RANGE);
    free(n);
    tk_ossl_pkey_free(key);
}

/* Keys that are no RSA keys fail cleanly, whatever the caller imported. */
static void
test_malformed_keys(void **state)
{
    CK_MECHANISM m = {CKM_SHA256_RSA_PKCS, NULL, 0};
    CK_MECHANISM raw = {CKM_RSA_X_509, NULL, 0};
    uint8_t n[K];
    uint8_t sig[K];
    uint8_t ct[K];
    CK_ULONG len = K;
    CK_ATTRIBUTE attrs[2] = {{CKA_MODULUS, n, K}, {CKA_PUBLIC_EXPONENT, "\x03", 1}};
    tk_key view = {.cls = CKO_PUBLIC_KEY, .type = CKK_RSA, .attrs = attrs, .n = 2};

    (void)state;
    memset(n, 0xff, sizeof(n)); /* odd, but no product of two primes */
    memset(sig, 0x11, sizeof(sig));
    assert_int_equal(verify_once(&m, &view, (const uint8_t *)"x", 1, sig, K),
                     CKR_SIGNATURE_INVALID);
    assert_int_equal(run_once(TK_OP_ENCRYPT, &raw, &view, (const uint8_t *)"x", 1, ct, &len),
                     CKR_OK);
    /* No modulus worth the name, or none at all. */
    memset(n, 0, sizeof(n));
    assert_int_equal(init_only(TK_OP_VERIFY, &m, &view), CKR_KEY_SIZE_RANGE);
    view.n = 0;
    assert_int_equal(init_only(TK_OP_VERIFY, &m, &view), CKR_KEY_SIZE_RANGE);
    /* A modulus without an exponent. */
    memset(n, 0xff, sizeof(n));
    view.n = 1;
    assert_int_equal(init_only(TK_OP_VERIFY, &m, &view), CKR_KEY_TYPE_INCONSISTENT);
}

/* A private key of modulus, public and private exponent only (no CRT
 * values) signs and decrypts like the full one. */
static void
test_private_without_crt(void **state)
{
    CK_MECHANISM m = {CKM_SHA256_RSA_PKCS, NULL, 0};
    CK_MECHANISM enc = {CKM_RSA_PKCS, NULL, 0};
    CK_ATTRIBUTE attrs[4] = {
        *find(&g_priv_vals, CKA_MODULUS),
        *find(&g_priv_vals, CKA_PUBLIC_EXPONENT),
        *find(&g_priv_vals, CKA_PRIVATE_EXPONENT),
        *find(&g_priv_vals, CKA_PRIME_1), /* a lone prime is ignored */
    };
    tk_key bare = {.cls = CKO_PRIVATE_KEY, .type = CKK_RSA, .attrs = attrs, .n = 4};
    uint8_t s1[K];
    uint8_t s2[K];
    uint8_t ct[K];
    uint8_t pt[K];
    CK_ULONG len = K;

    (void)state;
    assert_int_equal(run_once(TK_OP_SIGN, &m, &bare, (const uint8_t *)"x", 1, s1, &len), CKR_OK);
    len = K;
    assert_int_equal(run_once(TK_OP_SIGN, &m, &g_priv, (const uint8_t *)"x", 1, s2, &len), CKR_OK);
    assert_memory_equal(s1, s2, K);
    len = K;
    assert_int_equal(run_once(TK_OP_ENCRYPT, &enc, &g_pub, (const uint8_t *)"hi", 2, ct, &len),
                     CKR_OK);
    len = K;
    assert_int_equal(run_once(TK_OP_DECRYPT, &enc, &bare, ct, K, pt, &len), CKR_OK);
    assert_int_equal(len, 2);
    /* With both primes the CRT values are computed; with primes that do
     * not fit (the same one twice) the key falls back to n and d. */
    {
        CK_ATTRIBUTE more[5] = {attrs[0], attrs[1], attrs[2], attrs[3],
                                *find(&g_priv_vals, CKA_PRIME_2)};
        tk_key primes = {.cls = CKO_PRIVATE_KEY, .type = CKK_RSA, .attrs = more, .n = 5};
        len = K;
        assert_int_equal(run_once(TK_OP_SIGN, &m, &primes, (const uint8_t *)"x", 1, s1, &len),
                         CKR_OK);
        assert_memory_equal(s1, s2, K);
        more[4] = attrs[3];
        more[4].type = CKA_PRIME_2;
        len = K;
        assert_int_equal(run_once(TK_OP_SIGN, &m, &primes, (const uint8_t *)"x", 1, s1, &len),
                         CKR_OK);
        assert_memory_equal(s1, s2, K);
    }
    /* Without the private exponent there is no private key. */
    bare.n = 2;
    len = K;
    assert_int_equal(run_once(TK_OP_SIGN, &m, &bare, (const uint8_t *)"x", 1, s1, &len),
                     CKR_KEY_TYPE_INCONSISTENT);
}

/* The loaded key goes to the object's slot at the first init; an
 * operation outlives the slot's release (it holds its own reference). */
static void
test_key_cache(void **state)
{
    CK_MECHANISM m = {CKM_SHA256_RSA_PKCS, NULL, 0};
    void *slot = NULL;
    tk_key priv = g_priv;
    uint8_t s1[K];
    uint8_t s2[K];
    CK_ULONG len = K;
    tk_op *op = NULL;

    (void)state;
    priv.cache = &slot;
    assert_int_equal(run_once(TK_OP_SIGN, &m, &priv, (const uint8_t *)"c", 1, s1, &len), CKR_OK);
    assert_non_null(slot);
    assert_int_equal(tk_mech_op_init(TK_OP_SIGN, &m, &priv, &op), CKR_OK);
    tk_key_cache_release(slot);
    slot = NULL;
    len = K;
    assert_int_equal(op->vt->run(op, (const uint8_t *)"c", 1, s2, &len), CKR_OK);
    tk_op_free(op);
    assert_memory_equal(s1, s2, K);
    /* Reused operations never carry an OAEP label over. */
    {
        CK_RSA_PKCS_OAEP_PARAMS oaep = {CKM_SHA256, CKG_MGF1_SHA256, CKZ_DATA_SPECIFIED, NULL, 0};
        CK_MECHANISM mo = {CKM_RSA_PKCS_OAEP, &oaep, sizeof(oaep)};
        void *pub_slot = NULL;
        tk_key pub = g_pub;
        uint8_t ct[K];
        uint8_t pt[K];

        pub.cache = &pub_slot;
        for (int i = 0; i < 3; i++) {
            oaep.pSourceData = i == 1 ? "label" : NULL;
            oaep.ulSourceDataLen = i == 1 ? 5 : 0;
            len = K;
            assert_int_equal(run_once(TK_OP_ENCRYPT, &mo, &pub, (const uint8_t *)"m", 1, ct, &len),
                             CKR_OK);
            len = K;
            assert_int_equal(run_once(TK_OP_DECRYPT, &mo, &priv, ct, K, pt, &len), CKR_OK);
            oaep.pSourceData = i == 1 ? NULL : "label";
            oaep.ulSourceDataLen = i == 1 ? 0 : 5;
            len = K;
            assert_int_equal(run_once(TK_OP_DECRYPT, &mo, &priv, ct, K, pt, &len),
                             CKR_ENCRYPTED_DATA_INVALID);
        }
        tk_key_cache_release(pub_slot);
        tk_key_cache_release(slot);
        slot = NULL;
    }
    /* A slot holding another family's entry is left alone. */
    {
        static const char other_tag = 'X';
        tk_key_cache other = {&other_tag, NULL};
        slot = &other;
        len = K;
        assert_int_equal(run_once(TK_OP_SIGN, &m, &priv, (const uint8_t *)"c", 1, s2, &len),
                         CKR_OK);
        assert_ptr_equal(slot, &other);
    }
}

/* Threads share one key object's cache: operations go back and forth
 * between its idle list and the threads; every result stays right. */
typedef struct {
    tk_key pub;
    tk_key priv;
    int failures;
} cache_run;

static void *
cache_worker(void *arg)
{
    cache_run *r = arg;
    CK_RSA_PKCS_PSS_PARAMS pss = {CKM_SHA256, CKG_MGF1_SHA256, 32};
    CK_MECHANISM ms[] = {
        {CKM_SHA256_RSA_PKCS, NULL, 0},
        {CKM_SHA256_RSA_PKCS_PSS, &pss, sizeof(pss)},
    };
    uint8_t sig[K];

    for (int i = 0; i < 40; i++) {
        CK_MECHANISM *m = &ms[i % 2];
        CK_ULONG len = K;
        uint8_t msg[4] = {(uint8_t)i, 1, 2, 3};
        if (i % 8 == 0 &&
            run_once(TK_OP_SIGN, m, &r->priv, msg, sizeof(msg), sig, &len) != CKR_OK) {
            __atomic_add_fetch(&r->failures, 1, __ATOMIC_RELAXED);
        }
        if (i % 8 == 0 && verify_once(m, &r->pub, msg, sizeof(msg), sig, K) != CKR_OK) {
            __atomic_add_fetch(&r->failures, 1, __ATOMIC_RELAXED);
        }
        /* A wrong message must still fail with a reused operation. */
        msg[0] ^= 0x80;
        if (i % 8 != 0 && verify_once(m, &r->pub, msg, sizeof(msg), sig, K) == CKR_OK) {
            __atomic_add_fetch(&r->failures, 1, __ATOMIC_RELAXED);
        }
    }
    return NULL;
}

static void
test_key_cache_threads(void **state)
{
    void *pub_slot = NULL;
    void *priv_slot = NULL;
    cache_run r = {g_pub, g_priv, 0};
    pthread_t t[4];

    (void)state;
    r.pub.cache = &pub_slot;
    r.priv.cache = &priv_slot;
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(pthread_create(&t[i], NULL, cache_worker, &r), 0);
    }
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(pthread_join(t[i], NULL), 0);
    }
    assert_int_equal(r.failures, 0);
    assert_non_null(pub_slot);
    tk_key_cache_release(pub_slot);
    tk_key_cache_release(priv_slot);
}

/* TODO: no RSA key encapsulation (CKM_RSA_PKCS, OAEP, X_509 with
 * C_EncapsulateKey) yet; the mechanisms do not list CKF_ENCAPSULATE. */
static void
test_no_encapsulation_yet(void **state)
{
    CK_MECHANISM m = {CKM_RSA_PKCS, NULL, 0};
    CK_ULONG len = 0;
    tk_mech_attrs out = {0};

    (void)state;
    assert_int_equal(tk_mech_encapsulate(&m, &g_pub, NULL, 0, NULL, &len, &out),
                     CKR_MECHANISM_INVALID);
    assert_int_equal(tk_mech_decapsulate(&m, &g_priv, NULL, 0, NULL, 0, &out),
                     CKR_MECHANISM_INVALID);
}

/* ---- wrapping ---- */

static void
check_wrap(CK_MECHANISM *m, int raw)
{
    uint8_t value[32];
    CK_ULONG value_len = sizeof(value);
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_KEY_TYPE kt = CKK_AES;
    CK_ATTRIBUTE sattrs[2] = {{CKA_CLASS, &cls, sizeof(cls)}, {CKA_VALUE, value, sizeof(value)}};
    tk_key secret = {.cls = CKO_SECRET_KEY, .type = CKK_AES, .attrs = sattrs, .n = 2};
    CK_ATTRIBUTE tmpl[3] = {
        {CKA_CLASS, &cls, sizeof(cls)},
        {CKA_KEY_TYPE, &kt, sizeof(kt)},
        {CKA_VALUE_LEN, &value_len, sizeof(value_len)},
    };
    uint8_t wrapped[K];
    CK_ULONG len = 0;
    tk_mech_attrs out = {0};
    const CK_ATTRIBUTE *v;

    memset(value, 0x42, sizeof(value));
    assert_int_equal(tk_mech_wrap(m, &g_pub, &secret, NULL, &len), CKR_OK);
    assert_int_equal(len, K);
    len = K - 1;
    assert_int_equal(tk_mech_wrap(m, &g_pub, &secret, wrapped, &len), CKR_BUFFER_TOO_SMALL);
    assert_int_equal(tk_mech_wrap(m, &g_pub, &secret, wrapped, &len), CKR_OK);
    assert_int_equal(tk_mech_unwrap(m, &g_priv, wrapped, len, tmpl, raw ? 3 : 2, &out), CKR_OK);
    v = find(&out, CKA_VALUE);
    assert_non_null(v);
    assert_int_equal(v->ulValueLen, sizeof(value));
    assert_memory_equal(v->pValue, value, sizeof(value));
    assert_int_equal(tk_tmpl_ulong(out.v, out.n, CKA_VALUE_LEN, 0), sizeof(value));
    assert_int_equal(tk_tmpl_ulong(out.v, out.n, CKA_CLASS, 0), CKO_SECRET_KEY);
    tk_mech_attrs_clear(&out);

    assert_int_equal(tk_mech_unwrap(m, &g_priv, wrapped, K - 1, tmpl, 3, &out),
                     CKR_WRAPPED_KEY_LEN_RANGE);
    if (!raw) {
        wrapped[7] ^= 0x40;
        assert_int_equal(tk_mech_unwrap(m, &g_priv, wrapped, K, tmpl, 2, &out),
                         CKR_WRAPPED_KEY_INVALID);
    } else {
        /* Raw RSA needs the length from the template. */
        assert_int_equal(tk_mech_unwrap(m, &g_priv, wrapped, K, tmpl, 2, &out),
                         CKR_TEMPLATE_INCOMPLETE);
    }
    assert_int_equal(out.n, 0);
    assert_int_equal(tk_mech_wrap(m, &g_priv, &secret, NULL, &len),
                     CKR_WRAPPING_KEY_TYPE_INCONSISTENT);
    assert_int_equal(tk_mech_unwrap(m, &g_pub, wrapped, K, tmpl, 3, &out),
                     CKR_UNWRAPPING_KEY_TYPE_INCONSISTENT);
    assert_int_equal(tk_mech_wrap(m, &g_pub, &g_priv, NULL, &len), CKR_KEY_NOT_WRAPPABLE);
}

static void
test_wrap_unwrap(void **state)
{
    CK_RSA_PKCS_OAEP_PARAMS oaep = {CKM_SHA256, CKG_MGF1_SHA256, CKZ_DATA_SPECIFIED, NULL, 0};
    CK_MECHANISM m_oaep = {CKM_RSA_PKCS_OAEP, &oaep, sizeof(oaep)};
    CK_MECHANISM m_pkcs = {CKM_RSA_PKCS, NULL, 0};
    CK_MECHANISM m_raw = {CKM_RSA_X_509, NULL, 0};
    CK_MECHANISM m_pss = {CKM_SHA256_RSA_PKCS, NULL, 0};
    CK_ULONG len = 0;

    (void)state;
    check_wrap(&m_oaep, 0);
    check_wrap(&m_pkcs, 0);
    check_wrap(&m_raw, 1);
    assert_int_equal(tk_mech_wrap(&m_pss, &g_pub, &g_pub, NULL, &len), CKR_MECHANISM_INVALID);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mechanism_info),
        cmocka_unit_test(test_generated_values),
        cmocka_unit_test(test_generate_refusals),
        cmocka_unit_test(test_generate_exponent_as_given),
        cmocka_unit_test(test_hashed_signatures),
        cmocka_unit_test(test_hashed_query_keeps_data),
        cmocka_unit_test(test_pkcs_raw_digestinfo),
        cmocka_unit_test(test_pss_raw),
        cmocka_unit_test(test_pss_params),
        cmocka_unit_test(test_x509_sign_recover),
        cmocka_unit_test(test_pkcs_sign_recover),
        cmocka_unit_test(test_encrypt_pkcs),
        cmocka_unit_test(test_encrypt_oaep),
        cmocka_unit_test(test_encrypt_x509),
        cmocka_unit_test(test_pkcs1_padding_checks),
        cmocka_unit_test(test_unpad_ct_direct),
        cmocka_unit_test(test_key_checks),
        cmocka_unit_test(test_key_size_range),
        cmocka_unit_test(test_malformed_keys),
        cmocka_unit_test(test_private_without_crt),
        cmocka_unit_test(test_key_cache),
        cmocka_unit_test(test_key_cache_threads),
        cmocka_unit_test(test_no_encapsulation_yet),
        cmocka_unit_test(test_wrap_unwrap),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
