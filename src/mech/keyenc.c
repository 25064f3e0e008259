/*
 * PKCS#8 encoding of private key objects; see keyenc.h. Classic keys go
 * through crypto/ossl/pkcs8.h; post-quantum keys through the small DER
 * writer and reader below, which know exactly the shapes of
 * [RFC 5958 §2] that these keys use and nothing more.
 */
#include "mech/keyenc.h"

#include <stdlib.h>
#include <string.h>

#include "crypto/ossl/pkcs8.h"
#include "mech/ec_internal.h"
#include "mech/pqc_internal.h"
#include "util/check.h"
#include "util/wipe.h"

#define TK_DER_INT 0x02
#define TK_DER_OCTETS 0x04
#define TK_DER_OID 0x06
#define TK_DER_SEQ 0x30
#define TK_DER_SEED 0x80 /* [0] IMPLICIT OCTET STRING */

/* ---- the post-quantum algorithm identifiers ---- */

/* Every NIST OID here is 2.16.840.1.101.3.4.<arc>.<last>; the DER of one
 * is this prefix, then arc and last. */
static const uint8_t tk_ke_nist[] = {TK_DER_OID, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04};
#define TK_KE_OID_LEN (sizeof(tk_ke_nist) + 2)

typedef struct {
    tk_pqc_alg alg;
    CK_ULONG set;
    uint8_t arc;  /* 4: KEMs, 3: signatures (NIST CSOR) */
    uint8_t last;
} tk_ke_pqc_oid;

static const tk_ke_pqc_oid tk_ke_pqc_oids[] = {
    {TK_PQC_MLKEM, CKP_ML_KEM_512, 4, 1},
    {TK_PQC_MLKEM, CKP_ML_KEM_768, 4, 2},
    {TK_PQC_MLKEM, CKP_ML_KEM_1024, 4, 3},
    {TK_PQC_MLDSA, CKP_ML_DSA_44, 3, 17},
    {TK_PQC_MLDSA, CKP_ML_DSA_65, 3, 18},
    {TK_PQC_MLDSA, CKP_ML_DSA_87, 3, 19},
    {TK_PQC_SLHDSA, CKP_SLH_DSA_SHA2_128S, 3, 20},
    {TK_PQC_SLHDSA, CKP_SLH_DSA_SHA2_128F, 3, 21},
    {TK_PQC_SLHDSA, CKP_SLH_DSA_SHA2_192S, 3, 22},
    {TK_PQC_SLHDSA, CKP_SLH_DSA_SHA2_192F, 3, 23},
    {TK_PQC_SLHDSA, CKP_SLH_DSA_SHA2_256S, 3, 24},
    {TK_PQC_SLHDSA, CKP_SLH_DSA_SHA2_256F, 3, 25},
    {TK_PQC_SLHDSA, CKP_SLH_DSA_SHAKE_128S, 3, 26},
    {TK_PQC_SLHDSA, CKP_SLH_DSA_SHAKE_128F, 3, 27},
    {TK_PQC_SLHDSA, CKP_SLH_DSA_SHAKE_192S, 3, 28},
    {TK_PQC_SLHDSA, CKP_SLH_DSA_SHAKE_192F, 3, 29},
    {TK_PQC_SLHDSA, CKP_SLH_DSA_SHAKE_256S, 3, 30},
    {TK_PQC_SLHDSA, CKP_SLH_DSA_SHAKE_256F, 3, 31},
};

#define TK_KE_NOIDS (sizeof(tk_ke_pqc_oids) / sizeof(tk_ke_pqc_oids[0]))

static const tk_ke_pqc_oid *
tk_ke_oid_by_set(tk_pqc_alg alg, CK_ULONG set)
{
    for (size_t i = 0; i < TK_KE_NOIDS; i++) {
        if (tk_ke_pqc_oids[i].alg == alg && tk_ke_pqc_oids[i].set == set) {
            return &tk_ke_pqc_oids[i];
        }
    }
    return NULL;
}

/* The entry whose OID is the DER TLV at oid, or NULL. */
static const tk_ke_pqc_oid *
tk_ke_oid_by_der(const uint8_t *oid, size_t len)
{
    if (len != TK_KE_OID_LEN || memcmp(oid, tk_ke_nist, sizeof(tk_ke_nist)) != 0) {
        return NULL;
    }
    for (size_t i = 0; i < TK_KE_NOIDS; i++) {
        if (tk_ke_pqc_oids[i].arc == oid[len - 2] && tk_ke_pqc_oids[i].last == oid[len - 1]) {
            return &tk_ke_pqc_oids[i];
        }
    }
    return NULL;
}

/* ---- a minimal DER writer ---- */

/* Bytes of a tag and definite length for len content bytes. */
static size_t
tk_ke_hdr_len(size_t len)
{
    return len < 0x80 ? 2 : len < 0x100 ? 3 : len < 0x10000 ? 4 : 5;
}

/* Write tag and length at p (room for tk_ke_hdr_len); returns the end. */
static uint8_t *
tk_ke_hdr(uint8_t *p, uint8_t tag, size_t len)
{
    size_t n = tk_ke_hdr_len(len) - 2;

    *p++ = tag;
    if (n == 0) {
        *p++ = (uint8_t)len;
        return p;
    }
    *p++ = (uint8_t)(0x80 | n);
    for (size_t i = n; i > 0; i--) {
        *p++ = (uint8_t)(len >> (8 * (i - 1)));
    }
    return p;
}

static uint8_t *
tk_ke_put(uint8_t *p, uint8_t tag, const uint8_t *v, size_t len)
{
    p = tk_ke_hdr(p, tag, len);
    memcpy(p, v, len);
    return p + len;
}

/*
 * PrivateKeyInfo of a PQC key: version 0, the algorithm with absent
 * parameters, and the privateKey octets. inner is the content of those
 * octets: with a seed (ML-KEM, ML-DSA) the [0] seed form, else the
 * expanded key, bare for SLH-DSA and as an OCTET STRING for the others.
 */
static CK_RV
tk_ke_pqc_write(const tk_ke_pqc_oid *o, const uint8_t *v, size_t v_len, int seed,
                uint8_t **der, size_t *len)
{
    size_t inner = o->alg == TK_PQC_SLHDSA ? v_len : tk_ke_hdr_len(v_len) + v_len;
    size_t alg_id = 2 + TK_KE_OID_LEN;
    size_t body = 3 + alg_id + tk_ke_hdr_len(inner) + inner;
    size_t total = tk_ke_hdr_len(body) + body;
    uint8_t *buf = malloc(total);
    uint8_t *p = buf;
    static const uint8_t version[] = {0};

    if (buf == NULL) {
        return CKR_HOST_MEMORY;
    }
    p = tk_ke_hdr(p, TK_DER_SEQ, body);
    p = tk_ke_put(p, TK_DER_INT, version, 1);
    p = tk_ke_hdr(p, TK_DER_SEQ, TK_KE_OID_LEN);
    memcpy(p, tk_ke_nist, sizeof(tk_ke_nist));
    p += sizeof(tk_ke_nist);
    *p++ = o->arc;
    *p++ = o->last;
    p = tk_ke_hdr(p, TK_DER_OCTETS, inner);
    if (o->alg == TK_PQC_SLHDSA) {
        memcpy(p, v, v_len);
    } else {
        tk_ke_put(p, seed ? TK_DER_SEED : TK_DER_OCTETS, v, v_len);
    }
    *der = buf;
    *len = total;
    return CKR_OK;
}

/* ---- a minimal DER reader ---- */

typedef struct {
    const uint8_t *p;
    const uint8_t *end;
} tk_ke_rd;

/*
 * The next element if its tag is tag: *v its content, *tlv (optional) its
 * whole encoding. Definite lengths in their shortest form only, as DER
 * requires. Returns 1 and advances, or 0.
 */
static int
tk_ke_get(tk_ke_rd *r, uint8_t tag, const uint8_t **v, size_t *len, const uint8_t **tlv)
{
    const uint8_t *p = r->p;
    size_t n;
    size_t k;

    if (r->end - p < 2 || p[0] != tag) {
        return 0;
    }
    n = p[1];
    p += 2;
    if (n >= 0x80) {
        k = n & 0x7f;
        if (k == 0 || k > 3 || (size_t)(r->end - p) < k || p[0] == 0) {
            return 0;
        }
        for (n = 0; k > 0; k--) {
            n = n << 8 | *p++;
        }
        if (n < 0x80) {
            return 0;
        }
    }
    if ((size_t)(r->end - p) < n) {
        return 0;
    }
    if (tlv != NULL) {
        *tlv = r->p;
    }
    *v = p;
    *len = n;
    r->p = p + n;
    return 1;
}

/* The parts of a PrivateKeyInfo / OneAsymmetricKey this file uses. */
typedef struct {
    const uint8_t *oid; /* the algorithm's OBJECT IDENTIFIER, TLV */
    size_t oid_len;
    const uint8_t *params; /* its parameters, TLV, or NULL */
    size_t params_len;
    const uint8_t *key; /* content of the privateKey OCTET STRING */
    size_t key_len;
} tk_ke_info;

/* Version 0 or 1, the AlgorithmIdentifier and the privateKey; the
 * optional attributes [0] and publicKey [1] that may follow are
 * checked by the backend for classic keys and ignored for PQC ones. */
static int
tk_ke_parse(const uint8_t *der, size_t len, tk_ke_info *info)
{
    tk_ke_rd top = {der, der + len};
    tk_ke_rd seq;
    tk_ke_rd alg;
    const uint8_t *v;
    size_t n;

    if (!tk_ke_get(&top, TK_DER_SEQ, &seq.p, &n, NULL) || top.p != top.end) {
        return 0;
    }
    seq.end = seq.p + n;
    if (!tk_ke_get(&seq, TK_DER_INT, &v, &n, NULL) || n != 1 || v[0] > 1) {
        return 0;
    }
    if (!tk_ke_get(&seq, TK_DER_SEQ, &alg.p, &n, NULL)) {
        return 0;
    }
    alg.end = alg.p + n;
    if (!tk_ke_get(&alg, TK_DER_OID, &v, &n, &info->oid)) {
        return 0;
    }
    info->oid_len = (size_t)(alg.p - info->oid);
    info->params = alg.p == alg.end ? NULL : alg.p;
    info->params_len = (size_t)(alg.end - alg.p);
    return tk_ke_get(&seq, TK_DER_OCTETS, &info->key, &info->key_len, NULL);
}

/* ---- encoding ---- */

/* A PQC private key object: the seed form when it has a seed. */
static CK_RV
tk_ke_pqc_to(const tk_key *key, tk_pqc_alg alg, uint8_t **der, size_t *len)
{
    CK_RV rv = CKR_OK;
    CK_ULONG set = 0;
    const uint8_t *value = NULL;
    const CK_ATTRIBUTE *seed = tk_key_attr(key, CKA_SEED);
    const tk_ke_pqc_oid *o;
    tk_pqc_sizes sz;

    rv = tk_pqc_key_value(key, CKO_PRIVATE_KEY, alg, &set, &value);
    TK_CHECK(rv == CKR_OK, CKR_KEY_NOT_WRAPPABLE);
    o = tk_ke_oid_by_set(alg, set);
    TK_CHECK(o != NULL && tk_pqc_sizes_of(alg, set, &sz), CKR_KEY_NOT_WRAPPABLE);
    if (alg != TK_PQC_SLHDSA && seed != NULL && seed->ulValueLen > 0) {
        TK_CHECK(seed->pValue != NULL && seed->ulValueLen == sz.seed, CKR_KEY_NOT_WRAPPABLE);
        rv = tk_ke_pqc_write(o, seed->pValue, sz.seed, 1, der, len);
    } else {
        rv = tk_ke_pqc_write(o, value, sz.priv, 0, der, len);
    }
out:
    return rv;
}

/* The attribute of type t as part i of p (borrowed); absent: len 0. */
static void
tk_ke_part(const tk_key *key, CK_ATTRIBUTE_TYPE t, tk_p8_key *p, int i)
{
    const CK_ATTRIBUTE *a = tk_key_attr(key, t);

    if (a != NULL && a->pValue != NULL) {
        p->part[i] = a->pValue;
        p->len[i] = a->ulValueLen;
    }
}

static const CK_ATTRIBUTE_TYPE tk_ke_rsa_attrs[TK_P8_PART_COUNT] = {
    CKA_MODULUS, CKA_PUBLIC_EXPONENT, CKA_PRIVATE_EXPONENT, CKA_PRIME_1,
    CKA_PRIME_2, CKA_EXPONENT_1,      CKA_EXPONENT_2,       CKA_COEFFICIENT,
};

/* An EC key's scalar, left-padded to the curve's length in pad when the
 * object holds it shorter (leading zero bytes dropped). */
static CK_RV
tk_ke_ec_part(const tk_key *key, tk_p8_key *p, uint8_t pad[TK_EC_MAX_PRIV])
{
    CK_RV rv = CKR_OK;
    const tk_ec_curve_info *ci = NULL;
    const tk_ec_sizes *sz;

    TK_CHECK(tk_ec_key_curve(key, &ci) == CKR_OK, CKR_KEY_NOT_WRAPPABLE);
    sz = tk_ossl_ec_sizes(ci->curve);
    tk_ke_part(key, CKA_VALUE, p, 0);
    TK_CHECK(sz != NULL && p->len[0] > 0 && p->len[0] <= sz->priv_len, CKR_KEY_NOT_WRAPPABLE);
    if (p->len[0] < sz->priv_len) {
        TK_CHECK(ci->key_type == CKK_EC, CKR_KEY_NOT_WRAPPABLE);
        memset(pad, 0, sz->priv_len - p->len[0]);
        memcpy(pad + sz->priv_len - p->len[0], p->part[0], p->len[0]);
        p->part[0] = pad;
        p->len[0] = sz->priv_len;
    }
    p->kind = TK_P8_EC;
    p->curve = ci->curve;
out:
    return rv;
}

/* See keyenc.h. */
CK_RV
tk_mech_key_to_pkcs8(const tk_key *key, uint8_t **der, size_t *len)
{
    CK_RV rv = CKR_OK;
    tk_p8_key p;
    uint8_t pad[TK_EC_MAX_PRIV];

    memset(&p, 0, sizeof(p));
    TK_CHECK(key->cls == CKO_PRIVATE_KEY, CKR_KEY_NOT_WRAPPABLE);
    switch (key->type) {
    case CKK_ML_KEM:
        return tk_ke_pqc_to(key, TK_PQC_MLKEM, der, len);
    case CKK_ML_DSA:
        return tk_ke_pqc_to(key, TK_PQC_MLDSA, der, len);
    case CKK_SLH_DSA:
        return tk_ke_pqc_to(key, TK_PQC_SLHDSA, der, len);
    case CKK_RSA:
        p.kind = TK_P8_RSA;
        for (int i = 0; i < TK_P8_PART_COUNT; i++) {
            tk_ke_part(key, tk_ke_rsa_attrs[i], &p, i);
        }
        break;
    case CKK_EC:
    case CKK_EC_EDWARDS:
    case CKK_EC_MONTGOMERY:
        TK_GUARD(tk_ke_ec_part(key, &p, pad));
        break;
    default:
        rv = CKR_KEY_NOT_WRAPPABLE;
        goto out;
    }
    rv = tk_ossl_pkcs8_encode(&p, der, len);
out:
    tk_wipe(pad, sizeof(pad));
    tk_wipe(&p, sizeof(p));
    return rv;
}

/* ---- decoding ---- */

/* The template's CK_ULONG attribute t, if given, equals want. */
static int
tk_ke_tmpl_agrees(const CK_ATTRIBUTE *tmpl, CK_ULONG n, CK_ATTRIBUTE_TYPE t, CK_ULONG want)
{
    const CK_ATTRIBUTE *a = tk_tmpl_find(tmpl, n, t);
    CK_ULONG v = 0;

    if (a == NULL) {
        return 1;
    }
    if (a->pValue == NULL || a->ulValueLen != sizeof(v)) {
        return 0;
    }
    memcpy(&v, a->pValue, sizeof(v));
    return v == want;
}

/*
 * The values of a PQC privateKey: seed [0], expandedKey, or both in a
 * SEQUENCE for ML-KEM and ML-DSA; the bare 4n bytes for SLH-DSA. The
 * lengths are public (they follow from the parameter set).
 */
static CK_RV
tk_ke_pqc_values(const tk_ke_pqc_oid *o, const tk_pqc_sizes *sz, const tk_ke_info *info,
                 tk_mech_attrs *vals)
{
    CK_RV rv = CKR_OK;
    tk_ke_rd r = {info->key, info->key + info->key_len};
    tk_ke_rd both;
    const uint8_t *seed = NULL;
    const uint8_t *exp = NULL;
    size_t seed_len = 0;
    size_t exp_len = 0;
    size_t n = 0;

    if (o->alg == TK_PQC_SLHDSA) {
        exp = info->key;
        exp_len = info->key_len;
    } else if (tk_ke_get(&r, TK_DER_SEQ, &both.p, &n, NULL)) {
        both.end = both.p + n;
        TK_CHECK(tk_ke_get(&both, TK_DER_OCTETS, &seed, &seed_len, NULL) &&
                     tk_ke_get(&both, TK_DER_OCTETS, &exp, &exp_len, NULL) &&
                     both.p == both.end,
                 CKR_WRAPPED_KEY_INVALID);
    } else if (!tk_ke_get(&r, TK_DER_SEED, &seed, &seed_len, NULL)) {
        TK_CHECK(tk_ke_get(&r, TK_DER_OCTETS, &exp, &exp_len, NULL), CKR_WRAPPED_KEY_INVALID);
    }
    TK_CHECK(o->alg == TK_PQC_SLHDSA || r.p == r.end, CKR_WRAPPED_KEY_INVALID);
    TK_CHECK(seed == NULL || seed_len == sz->seed, CKR_WRAPPED_KEY_INVALID);
    TK_CHECK(exp == NULL || exp_len == sz->priv, CKR_WRAPPED_KEY_INVALID);
    TK_GUARD(tk_mech_attrs_add_ulong(vals, CKA_PARAMETER_SET, o->set));
    if (seed != NULL) {
        TK_GUARD(tk_mech_attrs_add(vals, CKA_SEED, seed, seed_len));
    }
    if (exp != NULL) {
        TK_GUARD(tk_mech_attrs_add(vals, CKA_VALUE, exp, exp_len));
    }
out:
    return rv;
}

static CK_RV
tk_ke_pqc_from(const tk_ke_pqc_oid *o, const tk_ke_info *info, CK_KEY_TYPE type,
               const CK_ATTRIBUTE *tmpl, CK_ULONG n, tk_mech_attrs *vals)
{
    CK_RV rv = CKR_OK;
    tk_pqc_sizes sz;

    TK_CHECK(type == tk_pqc_key_type(o->alg), CKR_TEMPLATE_INCONSISTENT);
    TK_CHECK(tk_ke_tmpl_agrees(tmpl, n, CKA_PARAMETER_SET, o->set), CKR_TEMPLATE_INCONSISTENT);
    /* The NIST identifiers are defined with absent parameters. */
    TK_CHECK(info->params == NULL && tk_pqc_sizes_of(o->alg, o->set, &sz),
             CKR_WRAPPED_KEY_INVALID);
    TK_GUARD(tk_ke_pqc_values(o, &sz, info, vals));
out:
    return rv;
}

/* The CKA_EC_PARAMS of a classic EC key: the named curve's OID, which is
 * the parameter of id-ecPublicKey and the algorithm itself for the
 * RFC 8410 curves. It must name the curve the backend decoded. */
static CK_RV
tk_ke_ec_params(const tk_ke_info *info, const tk_p8_key *p, CK_KEY_TYPE type,
                const CK_ATTRIBUTE *tmpl, CK_ULONG n, tk_mech_attrs *vals)
{
    CK_RV rv = CKR_OK;
    const uint8_t *params = info->params != NULL ? info->params : info->oid;
    size_t len = info->params != NULL ? info->params_len : info->oid_len;
    const tk_ec_curve_info *ci = tk_ec_curve_from_params(params, len);
    const CK_ATTRIBUTE *want = tk_tmpl_find(tmpl, n, CKA_EC_PARAMS);
    const tk_ec_curve_info *wci = NULL;

    TK_CHECK(ci != NULL && ci->curve == p->curve, CKR_WRAPPED_KEY_INVALID);
    TK_CHECK(type == ci->key_type, CKR_TEMPLATE_INCONSISTENT);
    if (want != NULL) {
        wci = tk_ec_curve_from_params(want->pValue, want->ulValueLen);
        TK_CHECK(want->pValue != NULL && wci == ci, CKR_TEMPLATE_INCONSISTENT);
    }
    TK_GUARD(tk_mech_attrs_add(vals, CKA_EC_PARAMS, params, len));
    TK_GUARD(tk_mech_attrs_add(vals, CKA_VALUE, p->part[0], p->len[0]));
out:
    return rv;
}

static CK_RV
tk_ke_classic_from(const uint8_t *der, size_t len, const tk_ke_info *info, CK_KEY_TYPE type,
                   const CK_ATTRIBUTE *tmpl, CK_ULONG n, tk_mech_attrs *vals)
{
    CK_RV rv = CKR_OK;
    tk_p8_key p;

    TK_GUARD(tk_ossl_pkcs8_decode(der, len, &p));
    if (p.kind == TK_P8_RSA) {
        TK_CHECK(type == CKK_RSA, CKR_TEMPLATE_INCONSISTENT);
        for (int i = 0; i < TK_P8_PART_COUNT; i++) {
            if (p.len[i] > 0) {
                TK_GUARD(tk_mech_attrs_add(vals, tk_ke_rsa_attrs[i], p.part[i], p.len[i]));
            }
        }
    } else {
        TK_GUARD(tk_ke_ec_params(info, &p, type, tmpl, n, vals));
    }
out:
    tk_ossl_pkcs8_clear(&p);
    return rv;
}

/* Move every value of from to the end of to (from is emptied). */
static CK_RV
tk_ke_append(tk_mech_attrs *to, tk_mech_attrs *from)
{
    CK_RV rv = CKR_OK;

    for (CK_ULONG i = 0; i < from->n; i++) {
        TK_GUARD(tk_mech_attrs_add(to, from->v[i].type, from->v[i].pValue, from->v[i].ulValueLen));
    }
out:
    tk_mech_attrs_clear(from);
    return rv;
}

/* See keyenc.h. */
CK_RV
tk_mech_key_from_pkcs8(const uint8_t *der, size_t len, CK_OBJECT_CLASS cls, CK_KEY_TYPE type,
                       const CK_ATTRIBUTE *tmpl, CK_ULONG n, tk_mech_attrs *out)
{
    CK_RV rv = CKR_OK;
    tk_ke_info info;
    const tk_ke_pqc_oid *o;
    tk_mech_attrs vals = {0};
    tk_mech_attrs more = {0};
    CK_ULONG had = out->n;

    memset(&info, 0, sizeof(info));
    TK_CHECK(cls == CKO_PRIVATE_KEY, CKR_TEMPLATE_INCONSISTENT);
    TK_CHECK(tk_ke_parse(der, len, &info), CKR_WRAPPED_KEY_INVALID);
    o = tk_ke_oid_by_der(info.oid, info.oid_len);
    if (o != NULL) {
        TK_GUARD(tk_ke_pqc_from(o, &info, type, tmpl, n, &vals));
    } else {
        TK_GUARD(tk_ke_classic_from(der, len, &info, type, tmpl, n, &vals));
    }
    /* Expand a seed, check seed against expanded key, check an EC scalar
     * and derive its public key info: what C_CreateObject would do. */
    rv = tk_mech_complete_key(cls, type, vals.v, vals.n, &more);
    TK_CHECK(rv != CKR_ATTRIBUTE_VALUE_INVALID && rv != CKR_KEY_TYPE_INCONSISTENT &&
                 rv != CKR_DOMAIN_PARAMS_INVALID && rv != CKR_CURVE_NOT_SUPPORTED,
             CKR_WRAPPED_KEY_INVALID);
    TK_GUARD(rv);
    TK_GUARD(tk_ke_append(&vals, &more));
    TK_GUARD(tk_ke_append(out, &vals));
out:
    if (rv != CKR_OK) {
        /* Out of memory half way: take back what reached out. */
        for (CK_ULONG i = had; i < out->n; i++) {
            tk_free_secret(out->v[i].pValue, out->v[i].ulValueLen);
        }
        out->n = had;
    }
    tk_mech_attrs_clear(&vals);
    tk_mech_attrs_clear(&more);
    return rv;
}
