/* PKCS#8 encoding of classic private keys through OpenSSL; see pkcs8.h. */
#include "crypto/ossl/pkcs8.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/params.h>
#include <openssl/x509.h>

#include "crypto/ossl/err.h"
#include "util/check.h"
#include "util/wipe.h"

/* How OpenSSL names each curve: a group for Weierstrass curves, a key
 * type for the others. Indexed by tk_ec_curve. */
static const struct {
    const char *group;
    const char *type;
} tk_p8_curves[TK_EC_COUNT] = {
    [TK_EC_P256] = {"prime256v1", "EC"},
    [TK_EC_P384] = {"secp384r1", "EC"},
    [TK_EC_P521] = {"secp521r1", "EC"},
    [TK_EC_SECP256K1] = {"secp256k1", "EC"},
    [TK_EC_BP256R1] = {"brainpoolP256r1", "EC"},
    [TK_EC_BP384R1] = {"brainpoolP384r1", "EC"},
    [TK_EC_BP512R1] = {"brainpoolP512r1", "EC"},
    [TK_EC_ED25519] = {NULL, "ED25519"},
    [TK_EC_ED448] = {NULL, "ED448"},
    [TK_EC_X25519] = {NULL, "X25519"},
    [TK_EC_X448] = {NULL, "X448"},
};

/* OpenSSL's parameter names of the RSA parts, in tk_p8_part order. */
static const char *const tk_p8_rsa_names[TK_P8_PART_COUNT] = {
    OSSL_PKEY_PARAM_RSA_N,         OSSL_PKEY_PARAM_RSA_E,         OSSL_PKEY_PARAM_RSA_D,
    OSSL_PKEY_PARAM_RSA_FACTOR1,   OSSL_PKEY_PARAM_RSA_FACTOR2,   OSSL_PKEY_PARAM_RSA_EXPONENT1,
    OSSL_PKEY_PARAM_RSA_EXPONENT2, OSSL_PKEY_PARAM_RSA_COEFFICIENT1,
};

/* ---- encoding ---- */

/* n, e and d present; the five CRT parts all present or all absent. */
static int
tk_p8_rsa_complete(const tk_p8_key *key, int *crt)
{
    int have = 0;

    for (int i = TK_P8_RSA_P; i < TK_P8_PART_COUNT; i++) {
        have += key->len[i] > 0;
    }
    *crt = have > 0;
    return key->len[TK_P8_RSA_N] > 0 && key->len[TK_P8_RSA_E] > 0 &&
           key->len[TK_P8_RSA_D] > 0 && (have == 0 || have == TK_P8_PART_COUNT - TK_P8_RSA_P);
}

/* Push one unsigned big-endian integer; the BIGNUM goes into nums. */
static int
tk_p8_push_bn(OSSL_PARAM_BLD *bld, const char *name, const uint8_t *v, size_t len,
              BIGNUM **slot)
{
    *slot = BN_secure_new();
    if (*slot == NULL || BN_bin2bn(v, (int)len, *slot) == NULL) {
        return 0;
    }
    return OSSL_PARAM_BLD_push_BN(bld, name, *slot);
}

/*
 * p and q from n, e and d [SP 800-56B Rev. 2 App. C.2]: with
 * e * d - 1 = 2^s * t (t odd), some g^(2^i * t) is a square root of 1
 * other than +-1, and gcd(that - 1, n) is a factor. A private key
 * without CRT values has no RSAPrivateKey form (OpenSSL refuses to write
 * one), so the factors are recovered once, at wrapping time. The loop
 * bounds depend on the key; wrapping is rare and not a signing oracle.
 */
static int
tk_p8_rsa_factor(const BIGNUM *n, const BIGNUM *e, const BIGNUM *d, BIGNUM *p, BIGNUM *q,
                 BN_CTX *ctx)
{
    BIGNUM *t = BN_CTX_get(ctx);
    BIGNUM *x = BN_CTX_get(ctx);
    BIGNUM *y = BN_CTX_get(ctx);
    BIGNUM *n1 = BN_CTX_get(ctx);
    int s = 0;

    if (y == NULL || n1 == NULL || !BN_mul(t, e, d, ctx) || !BN_sub_word(t, 1) ||
        BN_is_zero(t) || !BN_sub(n1, n, BN_value_one())) {
        return 0;
    }
    while (!BN_is_odd(t)) {
        s++;
        if (!BN_rshift1(t, t)) {
            return 0;
        }
    }
    for (BN_ULONG g = 2; g < 200; g++) {
        if (!BN_set_word(x, g) || !BN_mod_exp(x, x, t, n, ctx)) {
            return 0;
        }
        for (int i = 0; i < s && !BN_is_one(x) && BN_cmp(x, n1) != 0; i++) {
            if (!BN_mod_sqr(y, x, n, ctx)) {
                return 0;
            }
            if (BN_is_one(y)) {
                return BN_sub_word(x, 1) && BN_gcd(p, x, n, ctx) && BN_div(q, NULL, n, p, ctx);
            }
            if (!BN_copy(x, y)) {
                return 0;
            }
        }
    }
    return 0;
}

/* The five CRT values of a key given by n, e and d into nums[P..QINV]. */
static int
tk_p8_rsa_crt(BIGNUM **nums)
{
    BN_CTX *ctx = BN_CTX_secure_new();
    BIGNUM *pm1;
    int ok = ctx != NULL;

    for (int i = TK_P8_RSA_P; ok && i < TK_P8_PART_COUNT; i++) {
        nums[i] = BN_secure_new();
        ok = nums[i] != NULL;
    }
    if (ok) {
        BN_CTX_start(ctx);
        pm1 = BN_CTX_get(ctx);
        ok = pm1 != NULL &&
             tk_p8_rsa_factor(nums[TK_P8_RSA_N], nums[TK_P8_RSA_E], nums[TK_P8_RSA_D],
                              nums[TK_P8_RSA_P], nums[TK_P8_RSA_Q], ctx) &&
             BN_sub(pm1, nums[TK_P8_RSA_P], BN_value_one()) &&
             BN_mod(nums[TK_P8_RSA_DP], nums[TK_P8_RSA_D], pm1, ctx) &&
             BN_sub(pm1, nums[TK_P8_RSA_Q], BN_value_one()) &&
             BN_mod(nums[TK_P8_RSA_DQ], nums[TK_P8_RSA_D], pm1, ctx) &&
             BN_mod_inverse(nums[TK_P8_RSA_QINV], nums[TK_P8_RSA_Q], nums[TK_P8_RSA_P], ctx);
        BN_CTX_end(ctx);
    }
    BN_CTX_free(ctx);
    return ok;
}

/* Push the eight RSA parts; without CRT values, recover them first. */
static int
tk_p8_rsa_push(const tk_p8_key *key, int crt, OSSL_PARAM_BLD *bld, BIGNUM **nums)
{
    int ok = 1;

    for (int i = 0; ok && i < (crt ? TK_P8_PART_COUNT : TK_P8_RSA_P); i++) {
        ok = tk_p8_push_bn(bld, tk_p8_rsa_names[i], key->part[i], key->len[i], &nums[i]);
    }
    if (ok && !crt) {
        ok = tk_p8_rsa_crt(nums);
        for (int i = TK_P8_RSA_P; ok && i < TK_P8_PART_COUNT; i++) {
            ok = OSSL_PARAM_BLD_push_BN(bld, tk_p8_rsa_names[i], nums[i]);
        }
    }
    return ok;
}

/* The parameters of an RSA or Weierstrass key into *params. */
static CK_RV
tk_p8_params(const tk_p8_key *key, const uint8_t *pub, size_t pub_len, BIGNUM **nums,
             OSSL_PARAM **params)
{
    CK_RV rv = CKR_OK;
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    int ok = bld != NULL;
    int crt = 0;

    TK_CHECK(ok, CKR_HOST_MEMORY);
    if (key->kind == TK_P8_RSA) {
        TK_CHECK(tk_p8_rsa_complete(key, &crt), CKR_KEY_NOT_WRAPPABLE);
        ok = tk_p8_rsa_push(key, crt, bld, nums);
    } else {
        ok = OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
                                             tk_p8_curves[key->curve].group, 0) &&
             tk_p8_push_bn(bld, OSSL_PKEY_PARAM_PRIV_KEY, key->part[0], key->len[0], &nums[0]) &&
             OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pub, pub_len);
    }
    if (ok) {
        *params = OSSL_PARAM_BLD_to_param(bld);
        ok = *params != NULL;
    }
    /* A key whose factors cannot be found is no RSA key. */
    rv = tk_ossl_rv(ok, key->kind == TK_P8_RSA && !crt ? CKR_KEY_NOT_WRAPPABLE : CKR_HOST_MEMORY);
out:
    OSSL_PARAM_BLD_free(bld);
    return rv;
}

/* An RSA or Weierstrass key from its parts. */
static CK_RV
tk_p8_fromdata(const tk_p8_key *key, const uint8_t *pub, size_t pub_len, EVP_PKEY **pkey)
{
    CK_RV rv = CKR_OK;
    BIGNUM *nums[TK_P8_PART_COUNT] = {0};
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *ctx = NULL;
    const char *type = key->kind == TK_P8_RSA ? "RSA" : "EC";

    TK_GUARD(tk_p8_params(key, pub, pub_len, nums, &params));
    ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
    TK_GUARD(tk_ossl_rv(ctx != NULL && EVP_PKEY_fromdata_init(ctx) == 1 &&
                            EVP_PKEY_fromdata(ctx, pkey, EVP_PKEY_KEYPAIR, params) == 1,
                        CKR_KEY_NOT_WRAPPABLE));
out:
    EVP_PKEY_CTX_free(ctx);
    /* The builder puts secure BIGNUMs in the secure heap, which
     * OSSL_PARAM_free() clears (3.0 has no OSSL_PARAM_clear_free). */
    OSSL_PARAM_free(params);
    for (int i = 0; i < TK_P8_PART_COUNT; i++) {
        BN_clear_free(nums[i]);
    }
    return rv;
}

/* An EC key of any curve; Weierstrass keys get their public point. */
static CK_RV
tk_p8_ec_pkey(const tk_p8_key *key, EVP_PKEY **pkey)
{
    CK_RV rv = CKR_OK;
    const tk_ec_sizes *sz = tk_ossl_ec_sizes(key->curve);
    uint8_t pub[TK_EC_MAX_PUB];
    uint8_t *spki = NULL;
    size_t spki_len = 0;

    TK_CHECK(sz != NULL && key->len[0] == sz->priv_len, CKR_KEY_NOT_WRAPPABLE);
    if (tk_p8_curves[key->curve].group == NULL) {
        *pkey = EVP_PKEY_new_raw_private_key_ex(NULL, tk_p8_curves[key->curve].type, NULL,
                                                key->part[0], key->len[0]);
        rv = tk_ossl_rv(*pkey != NULL, CKR_KEY_NOT_WRAPPABLE);
        goto out;
    }
    TK_GUARD(tk_ossl_ec_complete(key->curve, key->part[0], key->len[0], pub,
                                 CKR_KEY_NOT_WRAPPABLE, &spki, &spki_len));
    TK_GUARD(tk_p8_fromdata(key, pub, sz->pub_len, pkey));
out:
    free(spki);
    return rv;
}

/* See pkcs8.h. */
CK_RV
tk_ossl_pkcs8_encode(const tk_p8_key *key, uint8_t **der, size_t *len)
{
    CK_RV rv = CKR_OK;
    EVP_PKEY *pkey = NULL;
    PKCS8_PRIV_KEY_INFO *p8 = NULL;
    uint8_t *buf = NULL;
    uint8_t *p;
    int n = 0;

    if (key->kind == TK_P8_RSA) {
        TK_GUARD(tk_p8_fromdata(key, NULL, 0, &pkey));
    } else {
        TK_CHECK(key->kind == TK_P8_EC && (unsigned)key->curve < TK_EC_COUNT,
                 CKR_KEY_NOT_WRAPPABLE);
        TK_GUARD(tk_p8_ec_pkey(key, &pkey));
    }
    p8 = EVP_PKEY2PKCS8(pkey);
    TK_GUARD(tk_ossl_rv(p8 != NULL, CKR_FUNCTION_FAILED));
    n = i2d_PKCS8_PRIV_KEY_INFO(p8, NULL);
    TK_GUARD(tk_ossl_rv(n > 0, CKR_FUNCTION_FAILED));
    buf = malloc((size_t)n);
    TK_CHECK(buf != NULL, CKR_HOST_MEMORY);
    p = buf;
    TK_GUARD(tk_ossl_rv(i2d_PKCS8_PRIV_KEY_INFO(p8, &p) == n, CKR_FUNCTION_FAILED));
    *der = buf;
    *len = (size_t)n;
    buf = NULL;
out:
    tk_free_secret(buf, buf != NULL ? (size_t)n : 0);
    PKCS8_PRIV_KEY_INFO_free(p8);
    EVP_PKEY_free(pkey);
    return rv;
}

/* ---- decoding ---- */

/* A BIGNUM parameter of pkey as big-endian bytes; pad > 0 fixes the
 * length (a scalar longer than pad is refused). Absent: len 0, OK. */
static CK_RV
tk_p8_get_bn(const EVP_PKEY *pkey, const char *name, size_t pad, uint8_t **v, size_t *len)
{
    CK_RV rv = CKR_OK;
    BIGNUM *bn = NULL;
    size_t n;

    if (EVP_PKEY_get_bn_param(pkey, name, &bn) != 1) {
        return tk_ossl_rv(1, CKR_OK);
    }
    n = (size_t)BN_num_bytes(bn);
    TK_CHECK(pad == 0 || n <= pad, CKR_WRAPPED_KEY_INVALID);
    n = pad > 0 ? pad : (n > 0 ? n : 1);
    *v = malloc(n);
    TK_CHECK(*v != NULL, CKR_HOST_MEMORY);
    TK_CHECK(BN_bn2binpad(bn, *v, (int)n) == (int)n, CKR_FUNCTION_FAILED);
    *len = n;
out:
    BN_clear_free(bn);
    return rv;
}

static CK_RV
tk_p8_rsa_parts(const EVP_PKEY *pkey, tk_p8_key *key)
{
    CK_RV rv = CKR_OK;
    int crt = 0;

    key->kind = TK_P8_RSA;
    for (int i = 0; i < TK_P8_PART_COUNT; i++) {
        TK_GUARD(tk_p8_get_bn(pkey, tk_p8_rsa_names[i], 0, &key->part[i], &key->len[i]));
    }
    TK_CHECK(tk_p8_rsa_complete(key, &crt), CKR_WRAPPED_KEY_INVALID);
out:
    return rv;
}

/* The curve OpenSSL calls by group name or key type; TK_EC_COUNT if none. */
static tk_ec_curve
tk_p8_curve_of(const EVP_PKEY *pkey)
{
    char group[64];
    size_t glen = 0;
    int named = EVP_PKEY_is_a(pkey, "EC") &&
                EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group,
                                               sizeof(group), &glen) == 1;

    for (int c = 0; c < TK_EC_COUNT; c++) {
        if (tk_p8_curves[c].group == NULL ? EVP_PKEY_is_a(pkey, tk_p8_curves[c].type)
                                          : named && strcmp(group, tk_p8_curves[c].group) == 0) {
            return (tk_ec_curve)c;
        }
    }
    return TK_EC_COUNT;
}

static CK_RV
tk_p8_ec_parts(const EVP_PKEY *pkey, tk_p8_key *key)
{
    CK_RV rv = CKR_OK;
    tk_ec_curve c = tk_p8_curve_of(pkey);
    const tk_ec_sizes *sz = tk_ossl_ec_sizes(c);
    size_t n = 0;

    TK_CHECK(c != TK_EC_COUNT && sz != NULL, CKR_WRAPPED_KEY_INVALID);
    key->kind = TK_P8_EC;
    key->curve = c;
    if (tk_p8_curves[c].group != NULL) {
        TK_GUARD(tk_p8_get_bn(pkey, OSSL_PKEY_PARAM_PRIV_KEY, sz->priv_len, &key->part[0],
                              &key->len[0]));
        TK_CHECK(key->len[0] == sz->priv_len, CKR_WRAPPED_KEY_INVALID);
        goto out;
    }
    key->part[0] = malloc(sz->priv_len);
    TK_CHECK(key->part[0] != NULL, CKR_HOST_MEMORY);
    key->len[0] = sz->priv_len;
    n = sz->priv_len;
    TK_GUARD(tk_ossl_rv(EVP_PKEY_get_raw_private_key(pkey, key->part[0], &n) == 1 &&
                            n == sz->priv_len,
                        CKR_WRAPPED_KEY_INVALID));
out:
    return rv;
}

/* See pkcs8.h. */
CK_RV
tk_ossl_pkcs8_decode(const uint8_t *der, size_t len, tk_p8_key *key)
{
    CK_RV rv = CKR_OK;
    const uint8_t *p = der;
    PKCS8_PRIV_KEY_INFO *p8 = NULL;
    EVP_PKEY *pkey = NULL;

    memset(key, 0, sizeof(*key));
    TK_CHECK(len > 0 && len < (size_t)1 << 30, CKR_WRAPPED_KEY_INVALID);
    p8 = d2i_PKCS8_PRIV_KEY_INFO(NULL, &p, (long)len);
    TK_GUARD(tk_ossl_rv(p8 != NULL && p == der + len, CKR_WRAPPED_KEY_INVALID));
    pkey = EVP_PKCS82PKEY(p8);
    TK_GUARD(tk_ossl_rv(pkey != NULL, CKR_WRAPPED_KEY_INVALID));
    if (EVP_PKEY_is_a(pkey, "RSA")) {
        TK_GUARD(tk_p8_rsa_parts(pkey, key));
    } else {
        TK_GUARD(tk_p8_ec_parts(pkey, key));
    }
    rv = tk_ossl_rv(1, CKR_OK);
out:
    if (rv != CKR_OK) {
        tk_ossl_pkcs8_clear(key);
    }
    EVP_PKEY_free(pkey);
    PKCS8_PRIV_KEY_INFO_free(p8);
    return rv;
}

/* See pkcs8.h. */
void
tk_ossl_pkcs8_clear(tk_p8_key *key)
{
    for (int i = 0; i < TK_P8_PART_COUNT; i++) {
        tk_free_secret(key->part[i], key->len[i]);
    }
    tk_wipe(key, sizeof(*key));
}
