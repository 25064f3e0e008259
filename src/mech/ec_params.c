/*
 * Curves, points and scalars as PKCS#11 attributes carry them
 * [PKCS11 3.2 §6.3.3-§6.3.8]; see ec_internal.h.
 */
#include <stdlib.h>
#include <string.h>

#include "mech/ec_internal.h"
#include "util/check.h"
#include "util/wipe.h"

#define TK_DER_OID 0x06
#define TK_DER_OCTETS 0x04
#define TK_DER_BITS 0x03
#define TK_DER_PRINTABLE 0x13
#define TK_DER_SEQ 0x30

static const uint8_t tk_oid_p256[] = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
static const uint8_t tk_oid_p384[] = {0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22};
static const uint8_t tk_oid_p521[] = {0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23};
static const uint8_t tk_oid_k256[] = {0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x0a};
static const uint8_t tk_oid_bp256[] = {0x06, 0x09, 0x2b, 0x24, 0x03, 0x03, 0x02,
                                       0x08, 0x01, 0x01, 0x07};
static const uint8_t tk_oid_bp384[] = {0x06, 0x09, 0x2b, 0x24, 0x03, 0x03, 0x02,
                                       0x08, 0x01, 0x01, 0x0b};
static const uint8_t tk_oid_bp512[] = {0x06, 0x09, 0x2b, 0x24, 0x03, 0x03, 0x02,
                                       0x08, 0x01, 0x01, 0x0d};
static const uint8_t tk_oid_x25519[] = {0x06, 0x03, 0x2b, 0x65, 0x6e};
static const uint8_t tk_oid_x448[] = {0x06, 0x03, 0x2b, 0x65, 0x6f};
static const uint8_t tk_oid_ed25519[] = {0x06, 0x03, 0x2b, 0x65, 0x70};
static const uint8_t tk_oid_ed448[] = {0x06, 0x03, 0x2b, 0x65, 0x71};

#define TK_CURVE(c, kt, bits, oid, ...)                                                        \
    {                                                                                          \
        (c), (kt), (bits), (oid), sizeof(oid), { __VA_ARGS__ }                                 \
    }

static const tk_ec_curve_info tk_ec_curves[] = {
    TK_CURVE(TK_EC_P256, CKK_EC, 256, tk_oid_p256, "prime256v1", "secp256r1", "P-256"),
    TK_CURVE(TK_EC_P384, CKK_EC, 384, tk_oid_p384, "secp384r1", "P-384", NULL),
    TK_CURVE(TK_EC_P521, CKK_EC, 521, tk_oid_p521, "secp521r1", "P-521", NULL),
    TK_CURVE(TK_EC_SECP256K1, CKK_EC, 256, tk_oid_k256, "secp256k1", NULL, NULL),
    TK_CURVE(TK_EC_BP256R1, CKK_EC, 256, tk_oid_bp256, "brainpoolP256r1", NULL, NULL),
    TK_CURVE(TK_EC_BP384R1, CKK_EC, 384, tk_oid_bp384, "brainpoolP384r1", NULL, NULL),
    TK_CURVE(TK_EC_BP512R1, CKK_EC, 512, tk_oid_bp512, "brainpoolP512r1", NULL, NULL),
    TK_CURVE(TK_EC_ED25519, CKK_EC_EDWARDS, 255, tk_oid_ed25519, "edwards25519", NULL, NULL),
    TK_CURVE(TK_EC_ED448, CKK_EC_EDWARDS, 448, tk_oid_ed448, "edwards448", NULL, NULL),
    TK_CURVE(TK_EC_X25519, CKK_EC_MONTGOMERY, 255, tk_oid_x25519, "curve25519", NULL, NULL),
    TK_CURVE(TK_EC_X448, CKK_EC_MONTGOMERY, 448, tk_oid_x448, "curve448", NULL, NULL),
};

#define TK_EC_NCURVES (sizeof(tk_ec_curves) / sizeof(tk_ec_curves[0]))

/* A PrintableString naming one of ci's names, exactly. */
static int
tk_ec_names_match(const tk_ec_curve_info *ci, const uint8_t *p, size_t len)
{
    for (size_t i = 0; i < 3 && ci->names[i] != NULL; i++) {
        size_t n = strlen(ci->names[i]);
        if (len == n + 2 && p[1] == n && memcmp(p + 2, ci->names[i], n) == 0) {
            return 1;
        }
    }
    return 0;
}

/* See ec_internal.h. */
const tk_ec_curve_info *
tk_ec_curve_from_params(const uint8_t *p, size_t len)
{
    if (p == NULL || len < 2) {
        return NULL;
    }
    for (size_t i = 0; i < TK_EC_NCURVES; i++) {
        const tk_ec_curve_info *ci = &tk_ec_curves[i];
        if (p[0] == TK_DER_OID && len == ci->oid_len && memcmp(p, ci->oid, len) == 0) {
            return ci;
        }
        if (p[0] == TK_DER_PRINTABLE && tk_ec_names_match(ci, p, len)) {
            return ci;
        }
    }
    return NULL;
}

/* See ec_internal.h. */
int
tk_ec_params_named(const uint8_t *p, size_t len)
{
    return p != NULL && len >= 3 && (p[0] == TK_DER_OID || p[0] == TK_DER_PRINTABLE) &&
           p[1] < 0x80 && (size_t)p[1] + 2 == len;
}

/* See ec_internal.h. */
CK_RV
tk_ec_key_curve(const tk_key *key, const tk_ec_curve_info **out)
{
    const CK_ATTRIBUTE *a = tk_key_attr(key, CKA_EC_PARAMS);
    const tk_ec_curve_info *ci;

    if (a == NULL) {
        return CKR_KEY_TYPE_INCONSISTENT;
    }
    ci = tk_ec_curve_from_params(a->pValue, a->ulValueLen);
    if (ci == NULL) {
        return CKR_KEY_SIZE_RANGE;
    }
    if (ci->key_type != key->type) {
        return CKR_KEY_TYPE_INCONSISTENT;
    }
    *out = ci;
    return CKR_OK;
}

/* See ec_internal.h. */
CK_RV
tk_ec_point_unwrap(const tk_ec_curve_info *ci, const uint8_t *in, size_t len, CK_RV on_bad,
                   const uint8_t **raw)
{
    size_t n = tk_ossl_ec_sizes(ci->curve)->pub_len;

    if (in == NULL) {
        return on_bad;
    }
    if (len == n) {
        *raw = in;
        return CKR_OK;
    }
    /* DER: 04 n <raw> below 128 bytes, 04 81 n <raw> up to 255. */
    if (n < 128 && len == n + 2 && in[0] == TK_DER_OCTETS && in[1] == n) {
        *raw = in + 2;
        return CKR_OK;
    }
    if (n >= 128 && len == n + 3 && in[0] == TK_DER_OCTETS && in[1] == 0x81 && in[2] == n) {
        *raw = in + 3;
        return CKR_OK;
    }
    return on_bad;
}

/* See ec_internal.h. */
size_t
tk_ec_point_der(const uint8_t *raw, size_t raw_len, uint8_t *out)
{
    size_t h = 0;

    out[h++] = TK_DER_OCTETS;
    if (raw_len >= 128) {
        out[h++] = 0x81;
    }
    out[h++] = (uint8_t)raw_len;
    memcpy(out + h, raw, raw_len);
    return h + raw_len;
}

/* One DER header at *p (tag, definite length up to 0xffff); advances *p
 * past it and returns the content length, or -1. */
static long
tk_der_header(const uint8_t **p, const uint8_t *end, uint8_t tag)
{
    const uint8_t *q = *p;
    size_t len;

    if (end - q < 2 || q[0] != tag) {
        return -1;
    }
    len = q[1];
    q += 2;
    if (len == 0x81 || len == 0x82) {
        size_t nb = len - 0x80;
        if ((size_t)(end - q) < nb) {
            return -1;
        }
        len = nb == 1 ? q[0] : ((size_t)q[0] << 8) | q[1];
        q += nb;
    } else if (len > 0x80) {
        return -1;
    }
    if ((size_t)(end - q) < len) {
        return -1;
    }
    *p = q;
    return (long)len;
}

/*
 * The public key inside a SubjectPublicKeyInfo the token wrote itself
 * (CKA_PUBLIC_KEY_INFO of a private key; callers cannot set it):
 * SEQUENCE { SEQUENCE { algorithm }, BIT STRING { 0, key } }. NULL when
 * it does not hold a key of pub_len bytes.
 */
static const uint8_t *
tk_ec_spki_key(const uint8_t *der, size_t len, size_t pub_len)
{
    const uint8_t *p = der;
    const uint8_t *end = der + len;
    long n;

    if (der == NULL || tk_der_header(&p, end, TK_DER_SEQ) != (long)(end - p)) {
        return NULL;
    }
    n = tk_der_header(&p, end, TK_DER_SEQ);
    if (n < 0) {
        return NULL;
    }
    p += n;
    n = tk_der_header(&p, end, TK_DER_BITS);
    if (n != (long)pub_len + 1 || p + n != end || p[0] != 0) {
        return NULL;
    }
    return p + 1;
}

/* The private scalar, left-padded to the curve's length: CKA_VALUE holds
 * an integer, which may have lost its leading zero bytes. */
static CK_RV
tk_ec_load_private(const tk_ec_curve_info *ci, const tk_key *key, tk_ossl_ec_key **out)
{
    CK_RV rv = CKR_OK;
    const tk_ec_sizes *sz = tk_ossl_ec_sizes(ci->curve);
    const CK_ATTRIBUTE *v = tk_key_attr(key, CKA_VALUE);
    const CK_ATTRIBUTE *info = tk_key_attr(key, CKA_PUBLIC_KEY_INFO);
    const uint8_t *pub = NULL;
    uint8_t d[TK_EC_MAX_PRIV];
    size_t len;

    TK_CHECK(v != NULL && v->pValue != NULL, CKR_KEY_TYPE_INCONSISTENT);
    len = v->ulValueLen;
    TK_CHECK(len == sz->priv_len || (ci->key_type == CKK_EC && len > 0 && len < sz->priv_len),
             CKR_KEY_SIZE_RANGE);
    memset(d, 0, sizeof(d));
    memcpy(d + sz->priv_len - len, v->pValue, len);
    if (info != NULL) {
        pub = tk_ec_spki_key(info->pValue, info->ulValueLen, sz->pub_len);
    }
    rv = tk_ossl_ec_key_private(ci->curve, d, sz->priv_len, pub, sz->pub_len, out);
out:
    tk_wipe(d, sizeof(d));
    return rv;
}

static CK_RV
tk_ec_load_public(const tk_ec_curve_info *ci, const tk_key *key, tk_ossl_ec_key **out)
{
    CK_RV rv = CKR_OK;
    const CK_ATTRIBUTE *a = tk_key_attr(key, CKA_EC_POINT);
    const uint8_t *raw = NULL;

    TK_CHECK(a != NULL, CKR_KEY_TYPE_INCONSISTENT);
    TK_GUARD(tk_ec_point_unwrap(ci, a->pValue, a->ulValueLen, CKR_KEY_SIZE_RANGE, &raw));
    rv = tk_ossl_ec_key_public(ci->curve, raw, tk_ossl_ec_sizes(ci->curve)->pub_len,
                               CKR_KEY_TYPE_INCONSISTENT, out);
out:
    return rv;
}

/* Build the backend key from the object's attributes. */
static CK_RV
tk_ec_build_key(const tk_ec_curve_info *ci, const tk_key *key, tk_ossl_ec_key **out)
{
    if (key->cls == CKO_PRIVATE_KEY) {
        return tk_ec_load_private(ci, key, out);
    }
    if (key->cls == CKO_PUBLIC_KEY) {
        return tk_ec_load_public(ci, key, out);
    }
    return CKR_KEY_TYPE_INCONSISTENT;
}

/* The prepared key kept with a key object (mech.h's cache): the first
 * init builds and checks it, later ones share it. The attributes it comes
 * from (CKA_EC_PARAMS, CKA_VALUE, CKA_EC_POINT) cannot change. */
typedef struct {
    tk_key_cache head;
    tk_ossl_ec_key *key;
} tk_ec_cache;

static const char tk_ec_cache_tag = 'E';

static void
tk_ec_cache_free(tk_key_cache *c)
{
    tk_ec_cache *e = (tk_ec_cache *)c;

    tk_ossl_ec_key_free(e->key);
    tk_free_secret(e, sizeof(*e));
}

/* See ec_internal.h. */
CK_RV
tk_ec_load_key(const tk_ec_curve_info *ci, const tk_key *key, tk_ossl_ec_key **out)
{
    CK_RV rv = CKR_OK;
    tk_ec_cache *c = (tk_ec_cache *)tk_key_cache_get(key, &tk_ec_cache_tag);
    tk_ec_cache *mine = NULL;

    if (c != NULL) {
        return tk_ossl_ec_key_share(c->key, out);
    }
    mine = calloc(1, sizeof(*mine));
    TK_CHECK(mine != NULL, CKR_HOST_MEMORY);
    mine->head.owner = &tk_ec_cache_tag;
    mine->head.free = tk_ec_cache_free;
    TK_GUARD(tk_ec_build_key(ci, key, &mine->key));
    c = (tk_ec_cache *)tk_key_cache_offer(key, &mine->head);
    if (tk_key_cache_owns(key, &c->head)) {
        /* The object holds it now (ours, or another thread's). */
        mine = NULL;
        rv = tk_ossl_ec_key_share(c->key, out);
    } else {
        /* No slot to keep it in: the operation takes it alone. */
        *out = mine->key;
        mine->key = NULL;
    }
out:
    if (mine != NULL) {
        tk_ec_cache_free(&mine->head);
    }
    return rv;
}
