/* Elliptic-curve keys, ECDSA and ECDH; see ec.h. */
#include "crypto/ossl/ec.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/params.h>
#include <openssl/x509.h>

#include "crypto/ossl/ec_internal.h"
#include "crypto/ossl/err.h"
#include "util/check.h"
#include "util/wipe.h"

static const tk_ec_curve_desc tk_ec_curves[TK_EC_COUNT] = {
    [TK_EC_P256] = {"EC", "prime256v1", {32, 65, 64, 32}},
    [TK_EC_P384] = {"EC", "secp384r1", {48, 97, 96, 48}},
    [TK_EC_P521] = {"EC", "secp521r1", {66, 133, 132, 66}},
    [TK_EC_SECP256K1] = {"EC", "secp256k1", {32, 65, 64, 32}},
    [TK_EC_BP256R1] = {"EC", "brainpoolP256r1", {32, 65, 64, 32}},
    [TK_EC_BP384R1] = {"EC", "brainpoolP384r1", {48, 97, 96, 48}},
    [TK_EC_BP512R1] = {"EC", "brainpoolP512r1", {64, 129, 128, 64}},
    [TK_EC_ED25519] = {"ED25519", NULL, {32, 32, 64, 0}},
    [TK_EC_ED448] = {"ED448", NULL, {57, 57, 114, 0}},
    [TK_EC_X25519] = {"X25519", NULL, {32, 32, 0, 32}},
    [TK_EC_X448] = {"X448", NULL, {56, 56, 0, 56}},
};

/* See ec_internal.h. */
const tk_ec_curve_desc *
tk_ossl_ec_desc(tk_ec_curve curve)
{
    return (unsigned)curve < TK_EC_COUNT ? &tk_ec_curves[curve] : NULL;
}

const tk_ec_sizes *
tk_ossl_ec_sizes(tk_ec_curve curve)
{
    return (unsigned)curve < TK_EC_COUNT ? &tk_ec_curves[curve].sizes : NULL;
}

/* See ec_internal.h. */
EVP_PKEY_CTX *
tk_ossl_ec_kmgmt_ctx(tk_ec_curve curve)
{
    /* TODO: OpenSSL 3.0 looks the key management up in its method store
     * on every call here (a lock and a hash lookup per C_SignInit); only
     * a cache of built keys per object, which needs the object layer's
     * help (a per-object backend slot freed on destroy), would avoid
     * both this and the import below. */
    return EVP_PKEY_CTX_new_from_name(NULL, tk_ec_curves[curve].keytype, NULL);
}

static int
tk_ec_is_weierstrass(tk_ec_curve curve)
{
    return tk_ec_curves[curve].group != NULL;
}

/* Reverse n bytes: OSSL_PARAM integers are native endian (little). */
static void
tk_ec_reverse(uint8_t *dst, const uint8_t *src, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        dst[i] = src[n - 1 - i];
    }
}

/* Import params as a key of curve's type with selection. */
static CK_RV
tk_ec_fromdata(tk_ec_curve curve, int selection, OSSL_PARAM *params, CK_RV on_fail,
               EVP_PKEY **out)
{
    CK_RV rv = CKR_OK;
    EVP_PKEY_CTX *ctx = tk_ossl_ec_kmgmt_ctx(curve);

    TK_GUARD(tk_ossl_rv(ctx != NULL, CKR_FUNCTION_FAILED));
    TK_GUARD(tk_ossl_rv(EVP_PKEY_fromdata_init(ctx), CKR_FUNCTION_FAILED));
    TK_GUARD(tk_ossl_rv(EVP_PKEY_fromdata(ctx, out, selection, params), on_fail));
out:
    EVP_PKEY_CTX_free(ctx);
    return rv;
}

static CK_RV
tk_ec_wrap(tk_ec_curve curve, EVP_PKEY *pkey, tk_ossl_ec_key **out)
{
    tk_ossl_ec_key *k = calloc(1, sizeof(*k));

    if (k == NULL) {
        EVP_PKEY_free(pkey);
        return CKR_HOST_MEMORY;
    }
    k->curve = curve;
    k->pkey = pkey;
    k->refs = 1;
    *out = k;
    return CKR_OK;
}

/* A scalar built without its public point: 1 <= d < n? */
static CK_RV
tk_ec_check_scalar(EVP_PKEY *pkey)
{
    CK_RV rv = CKR_OK;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);

    TK_GUARD(tk_ossl_rv(ctx != NULL, CKR_HOST_MEMORY));
    TK_GUARD(tk_ossl_rv(EVP_PKEY_private_check(ctx), CKR_KEY_TYPE_INCONSISTENT));
out:
    EVP_PKEY_CTX_free(ctx);
    return rv;
}

CK_RV
tk_ossl_ec_key_private(tk_ec_curve curve, const uint8_t *priv, size_t priv_len,
                       const uint8_t *pub, size_t pub_len, tk_ossl_ec_key **out)
{
    CK_RV rv = CKR_OK;
    const tk_ec_curve_desc *c = tk_ossl_ec_desc(curve);
    uint8_t le[TK_EC_MAX_PRIV];
    OSSL_PARAM p[4];
    size_t i = 0;
    EVP_PKEY *pkey = NULL;

    TK_CHECK(c != NULL && priv_len == c->sizes.priv_len, CKR_KEY_SIZE_RANGE);
    TK_CHECK(pub == NULL || pub_len == c->sizes.pub_len, CKR_KEY_SIZE_RANGE);
    if (tk_ec_is_weierstrass(curve)) {
        tk_ec_reverse(le, priv, priv_len);
        p[i++] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
                                                  (char *)c->group, 0);
        p[i++] = OSSL_PARAM_construct_BN(OSSL_PKEY_PARAM_PRIV_KEY, le, priv_len);
    } else {
        p[i++] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PRIV_KEY, (void *)priv,
                                                   priv_len);
    }
    if (pub != NULL) {
        p[i++] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, (void *)pub,
                                                   pub_len);
    }
    p[i] = OSSL_PARAM_construct_end();
    TK_GUARD(tk_ec_fromdata(curve, EVP_PKEY_KEYPAIR, p, CKR_KEY_TYPE_INCONSISTENT, &pkey));
    if (pub == NULL && tk_ec_is_weierstrass(curve)) {
        TK_GUARD(tk_ec_check_scalar(pkey));
    }
    rv = tk_ec_wrap(curve, pkey, out);
    pkey = NULL;
out:
    EVP_PKEY_free(pkey);
    tk_wipe(le, sizeof(le));
    return rv;
}

CK_RV
tk_ossl_ec_key_public(tk_ec_curve curve, const uint8_t *pub, size_t pub_len, CK_RV on_invalid,
                      tk_ossl_ec_key **out)
{
    CK_RV rv = CKR_OK;
    const tk_ec_curve_desc *c = tk_ossl_ec_desc(curve);
    OSSL_PARAM p[3];
    size_t i = 0;
    EVP_PKEY *pkey = NULL;

    TK_CHECK(c != NULL && pub_len == c->sizes.pub_len, on_invalid);
    /* Uncompressed only: the token announces CKF_EC_UNCOMPRESS alone. */
    TK_CHECK(!tk_ec_is_weierstrass(curve) || pub[0] == 0x04, on_invalid);
    if (tk_ec_is_weierstrass(curve)) {
        p[i++] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
                                                  (char *)c->group, 0);
    }
    p[i++] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, (void *)pub, pub_len);
    p[i] = OSSL_PARAM_construct_end();
    /* OpenSSL refuses a point that is not on the curve here. */
    TK_GUARD(tk_ec_fromdata(curve, EVP_PKEY_PUBLIC_KEY, p, on_invalid, &pkey));
    rv = tk_ec_wrap(curve, pkey, out);
    pkey = NULL;
out:
    EVP_PKEY_free(pkey);
    return rv;
}

CK_RV
tk_ossl_ec_key_share(const tk_ossl_ec_key *key, tk_ossl_ec_key **out)
{
    tk_ossl_ec_key *base = (tk_ossl_ec_key *)key;
    tk_ossl_ec_key *k = calloc(1, sizeof(*k));

    if (k == NULL) {
        return CKR_HOST_MEMORY;
    }
    __atomic_fetch_add(&base->refs, 1, __ATOMIC_RELAXED);
    k->curve = base->curve;
    k->pkey = base->pkey;
    k->parent = base;
    k->refs = 1;
    *out = k;
    return CKR_OK;
}

static void
tk_ec_ctx_free(tk_ec_curve curve, void *ctx)
{
    if (tk_ec_is_weierstrass(curve)) {
        EVP_PKEY_CTX_free(ctx);
    } else {
        EVP_MD_CTX_free(ctx);
    }
}

/* See ec_internal.h. */
void *
tk_ossl_ec_ctx_take(tk_ossl_ec_key *key, int kind)
{
    void *c;

    if (key->ctx != NULL && key->ctx_kind == kind + 1) {
        return key->ctx;
    }
    tk_ossl_ec_ctx_drop(key);
    if (key->parent == NULL) {
        return NULL;
    }
    for (size_t i = 0; i < TK_EC_POOL; i++) {
        c = __atomic_exchange_n(&key->parent->pool[kind][i], NULL, __ATOMIC_ACQ_REL);
        if (c != NULL) {
            key->ctx = c;
            key->ctx_kind = kind + 1;
            return c;
        }
    }
    return NULL;
}

/* See ec_internal.h. */
void
tk_ossl_ec_ctx_drop(tk_ossl_ec_key *key)
{
    void *none;

    if (key->ctx == NULL) {
        return;
    }
    if (key->parent != NULL && key->ctx_kind != 0) {
        for (size_t i = 0; i < TK_EC_POOL; i++) {
            none = NULL;
            if (__atomic_compare_exchange_n(&key->parent->pool[key->ctx_kind - 1][i], &none,
                                            key->ctx, 0, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED)) {
                key->ctx = NULL;
                key->ctx_kind = 0;
                return;
            }
        }
    }
    tk_ec_ctx_free(key->curve, key->ctx);
    key->ctx = NULL;
    key->ctx_kind = 0;
}

/* Drop one reference; the last one frees the pool and the key. */
static void
tk_ec_unref(tk_ossl_ec_key *key)
{
    if (__atomic_sub_fetch(&key->refs, 1, __ATOMIC_ACQ_REL) > 0) {
        return;
    }
    for (size_t k = 0; k < TK_EC_CTX_KINDS; k++) {
        for (size_t i = 0; i < TK_EC_POOL; i++) {
            if (key->pool[k][i] != NULL) {
                tk_ec_ctx_free(key->curve, key->pool[k][i]);
            }
        }
    }
    if (key->parent == NULL) {
        EVP_PKEY_free(key->pkey);
    }
    free(key);
}

void
tk_ossl_ec_key_free(tk_ossl_ec_key *key)
{
    tk_ossl_ec_key *parent;

    if (key == NULL) {
        return;
    }
    parent = key->parent;
    tk_ossl_ec_ctx_drop(key);
    tk_ec_unref(key);
    if (parent != NULL) {
        tk_ec_unref(parent);
    }
}

/* The generated key's private part into priv. */
static CK_RV
tk_ec_export_priv(const tk_ec_curve_desc *c, EVP_PKEY *pkey, uint8_t *priv)
{
    CK_RV rv = CKR_OK;
    BIGNUM *d = NULL;
    size_t n = 0;

    if (c->group == NULL) {
        TK_GUARD(tk_ossl_rv(EVP_PKEY_get_octet_string_param(pkey, OSSL_PKEY_PARAM_PRIV_KEY, priv,
                                                            c->sizes.priv_len, &n),
                            CKR_FUNCTION_FAILED));
        TK_CHECK(n == c->sizes.priv_len, CKR_FUNCTION_FAILED);
    } else {
        TK_GUARD(tk_ossl_rv(EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_PRIV_KEY, &d),
                            CKR_FUNCTION_FAILED));
        TK_GUARD(tk_ossl_rv(BN_bn2binpad(d, priv, (int)c->sizes.priv_len) ==
                                (int)c->sizes.priv_len,
                            CKR_FUNCTION_FAILED));
    }
out:
    BN_clear_free(d);
    return rv;
}

/*
 * A curve's SubjectPublicKeyInfo is a fixed header (algorithm, curve,
 * BIT STRING length) followed by the public key bytes. OpenSSL 3.0 finds
 * its encoder anew for every i2d_PUBKEY, which cost more than making the
 * P-256 key itself; so the header is taken from OpenSSL's own encoding of
 * the first key of each curve and reused. 0: not yet, 1: being written,
 * 2: ready (then never written again).
 */
#define TK_SPKI_HDR_MAX 48

static struct {
    int state; /* atomic */
    size_t len;
    uint8_t b[TK_SPKI_HDR_MAX];
} tk_spki_hdr[TK_EC_COUNT];

/* Keep der's header for curve when it is der = header || pub. */
static void
tk_spki_hdr_learn(tk_ec_curve curve, const uint8_t *der, size_t der_len, const uint8_t *pub,
                  size_t pub_len)
{
    int expected = 0;
    size_t n = der_len - pub_len;

    if (der_len <= pub_len || n > TK_SPKI_HDR_MAX || memcmp(der + n, pub, pub_len) != 0 ||
        !__atomic_compare_exchange_n(&tk_spki_hdr[curve].state, &expected, 1, 0,
                                     __ATOMIC_ACQ_REL, __ATOMIC_RELAXED)) {
        return;
    }
    memcpy(tk_spki_hdr[curve].b, der, n);
    tk_spki_hdr[curve].len = n;
    __atomic_store_n(&tk_spki_hdr[curve].state, 2, __ATOMIC_RELEASE);
}

/* The SubjectPublicKeyInfo of pkey (whose public key bytes are pub), in
 * our own allocation: callers free it with free(). */
static CK_RV
tk_ec_spki(tk_ec_curve curve, EVP_PKEY *pkey, const uint8_t *pub, size_t pub_len,
           uint8_t **spki, size_t *spki_len)
{
    CK_RV rv = CKR_OK;
    unsigned char *der = NULL;
    int len;

    if (__atomic_load_n(&tk_spki_hdr[curve].state, __ATOMIC_ACQUIRE) == 2) {
        size_t n = tk_spki_hdr[curve].len;

        *spki = malloc(n + pub_len);
        TK_CHECK(*spki != NULL, CKR_HOST_MEMORY);
        memcpy(*spki, tk_spki_hdr[curve].b, n);
        memcpy(*spki + n, pub, pub_len);
        *spki_len = n + pub_len;
        goto out;
    }
    len = i2d_PUBKEY(pkey, &der);
    TK_GUARD(tk_ossl_rv(len > 0, CKR_FUNCTION_FAILED));
    *spki = malloc((size_t)len);
    TK_CHECK(*spki != NULL, CKR_HOST_MEMORY);
    memcpy(*spki, der, (size_t)len);
    *spki_len = (size_t)len;
    tk_spki_hdr_learn(curve, der, (size_t)len, pub, pub_len);
out:
    OPENSSL_free(der);
    return rv;
}

/* The public key and, when asked, its SubjectPublicKeyInfo. */
static CK_RV
tk_ec_export_pub(tk_ec_curve curve, EVP_PKEY *pkey, uint8_t *pub, uint8_t **spki,
                 size_t *spki_len)
{
    CK_RV rv = CKR_OK;
    const tk_ec_curve_desc *c = tk_ossl_ec_desc(curve);
    size_t n = 0;

    TK_GUARD(tk_ossl_rv(EVP_PKEY_get_octet_string_param(pkey, OSSL_PKEY_PARAM_PUB_KEY, pub,
                                                        c->sizes.pub_len, &n),
                        CKR_FUNCTION_FAILED));
    TK_CHECK(n == c->sizes.pub_len, CKR_FUNCTION_FAILED);
    if (spki != NULL) {
        TK_GUARD(tk_ec_spki(curve, pkey, pub, n, spki, spki_len));
    }
out:
    return rv;
}

CK_RV
tk_ossl_ec_generate(tk_ec_curve curve, uint8_t *priv, uint8_t *pub, uint8_t **spki,
                    size_t *spki_len)
{
    CK_RV rv = CKR_OK;
    const tk_ec_curve_desc *c = tk_ossl_ec_desc(curve);
    EVP_PKEY_CTX *ctx = NULL;
    EVP_PKEY *pkey = NULL;
    OSSL_PARAM p[2];

    TK_CHECK(c != NULL, CKR_FUNCTION_FAILED);
    ctx = tk_ossl_ec_kmgmt_ctx(curve);
    TK_GUARD(tk_ossl_rv(ctx != NULL, CKR_FUNCTION_FAILED));
    TK_GUARD(tk_ossl_rv(EVP_PKEY_keygen_init(ctx), CKR_FUNCTION_FAILED));
    if (c->group != NULL) {
        p[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, (char *)c->group,
                                                0);
        p[1] = OSSL_PARAM_construct_end();
        TK_GUARD(tk_ossl_rv(EVP_PKEY_CTX_set_params(ctx, p), CKR_FUNCTION_FAILED));
    }
    TK_GUARD(tk_ossl_rv(EVP_PKEY_generate(ctx, &pkey), CKR_FUNCTION_FAILED));
    TK_GUARD(tk_ec_export_priv(c, pkey, priv));
    TK_GUARD(tk_ec_export_pub(curve, pkey, pub, spki, spki_len));
out:
    if (rv != CKR_OK && c != NULL) {
        tk_wipe(priv, c->sizes.priv_len);
        tk_wipe(pub, c->sizes.pub_len);
    }
    EVP_PKEY_free(pkey);
    EVP_PKEY_CTX_free(ctx);
    return rv;
}

/* The peer must share priv's curve; the library checks the point again. */
static CK_RV
tk_ec_derive_ctx(tk_ossl_ec_key *priv, tk_ossl_ec_key *peer, int cofactor, CK_RV on_invalid,
                 EVP_PKEY_CTX **out)
{
    CK_RV rv = CKR_OK;
    EVP_PKEY_CTX *ctx = NULL;
    OSSL_PARAM p[2];
    int mode = 1;

    TK_CHECK(priv->curve == peer->curve, on_invalid);
    ctx = EVP_PKEY_CTX_new_from_pkey(NULL, priv->pkey, NULL);
    TK_GUARD(tk_ossl_rv(ctx != NULL, CKR_HOST_MEMORY));
    TK_GUARD(tk_ossl_rv(EVP_PKEY_derive_init(ctx), CKR_FUNCTION_FAILED));
    if (cofactor && tk_ec_is_weierstrass(priv->curve)) {
        p[0] = OSSL_PARAM_construct_int(OSSL_EXCHANGE_PARAM_EC_ECDH_COFACTOR_MODE, &mode);
        p[1] = OSSL_PARAM_construct_end();
        TK_GUARD(tk_ossl_rv(EVP_PKEY_CTX_set_params(ctx, p), CKR_FUNCTION_FAILED));
    }
    TK_GUARD(tk_ossl_rv(EVP_PKEY_derive_set_peer(ctx, peer->pkey), on_invalid));
    *out = ctx;
    ctx = NULL;
out:
    EVP_PKEY_CTX_free(ctx);
    return rv;
}

CK_RV
tk_ossl_ec_derive(tk_ossl_ec_key *priv, tk_ossl_ec_key *peer, int cofactor, CK_RV on_invalid,
                  uint8_t *secret)
{
    CK_RV rv = CKR_OK;
    const tk_ec_curve_desc *c = tk_ossl_ec_desc(priv->curve);
    EVP_PKEY_CTX *ctx = NULL;
    size_t n = c->sizes.secret_len;

    TK_CHECK(n > 0, CKR_FUNCTION_FAILED);
    TK_GUARD(tk_ec_derive_ctx(priv, peer, cofactor, on_invalid, &ctx));
    /* X25519 and X448 fail here on an all-zero result (a low-order peer). */
    TK_GUARD(tk_ossl_rv(EVP_PKEY_derive(ctx, secret, &n), on_invalid));
    TK_CHECK(n == c->sizes.secret_len, CKR_FUNCTION_FAILED);
out:
    if (rv != CKR_OK && c != NULL) {
        tk_wipe(secret, c->sizes.secret_len);
    }
    EVP_PKEY_CTX_free(ctx);
    return rv;
}

/* The public point of a Weierstrass scalar: OpenSSL 3.0 imports a bare
 * scalar without computing it, so it is done here with the (not
 * deprecated) EC_POINT interface. */
static CK_RV
tk_ec_weierstrass_pub(const tk_ec_curve_desc *c, const uint8_t *priv, uint8_t *pub)
{
    CK_RV rv = CKR_OK;
    EC_GROUP *g = EC_GROUP_new_by_curve_name(OBJ_txt2nid(c->group));
    EC_POINT *q = NULL;
    BIGNUM *d = BN_secure_new();

    TK_GUARD(tk_ossl_rv(g != NULL && d != NULL, CKR_HOST_MEMORY));
    q = EC_POINT_new(g);
    TK_GUARD(tk_ossl_rv(q != NULL, CKR_HOST_MEMORY));
    TK_GUARD(tk_ossl_rv(BN_bin2bn(priv, (int)c->sizes.priv_len, d) != NULL,
                        CKR_FUNCTION_FAILED));
    BN_set_flags(d, BN_FLG_CONSTTIME);
    TK_GUARD(tk_ossl_rv(EC_POINT_mul(g, q, d, NULL, NULL, NULL), CKR_FUNCTION_FAILED));
    TK_GUARD(tk_ossl_rv(EC_POINT_point2oct(g, q, POINT_CONVERSION_UNCOMPRESSED, pub,
                                           c->sizes.pub_len, NULL) == c->sizes.pub_len,
                        CKR_FUNCTION_FAILED));
out:
    BN_clear_free(d);
    EC_POINT_free(q);
    EC_GROUP_free(g);
    return rv;
}

CK_RV
tk_ossl_ec_complete(tk_ec_curve curve, const uint8_t *priv, size_t priv_len, uint8_t *pub,
                    CK_RV on_invalid, uint8_t **spki, size_t *spki_len)
{
    CK_RV rv = CKR_OK;
    const tk_ec_curve_desc *c = tk_ossl_ec_desc(curve);
    tk_ossl_ec_key *k = NULL;

    TK_CHECK(c != NULL, CKR_FUNCTION_FAILED);
    if (priv != NULL) {
        rv = tk_ossl_ec_key_private(curve, priv, priv_len, NULL, 0, &k);
        TK_CHECK(rv == CKR_OK || rv == CKR_HOST_MEMORY || rv == CKR_FUNCTION_FAILED,
                 on_invalid);
        TK_GUARD(rv);
        if (c->group != NULL) {
            TK_GUARD(tk_ec_weierstrass_pub(c, priv, pub));
        } else {
            TK_GUARD(tk_ec_export_pub(curve, k->pkey, pub, NULL, NULL));
        }
        tk_ossl_ec_key_free(k);
        k = NULL;
    }
    TK_GUARD(tk_ossl_ec_key_public(curve, pub, c->sizes.pub_len, on_invalid, &k));
    TK_GUARD(tk_ec_export_pub(curve, k->pkey, pub, spki, spki_len));
out:
    tk_ossl_ec_key_free(k);
    return rv;
}
