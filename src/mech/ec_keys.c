/*
 * Elliptic-curve key management: key pair generation [PKCS11 3.2 §6.3.5,
 * §6.3.6, §6.3.7] and ECDH derivation [PKCS11 3.2 §6.3.16-§6.3.17];
 * see ec_internal.h.
 *
 * Generated keys: the public half gets CKA_EC_PARAMS and CKA_EC_POINT (a
 * DER OCTET STRING of the uncompressed point on Weierstrass curves, the
 * raw key on Edwards and Montgomery curves as 3.2 asks); the private half
 * CKA_EC_PARAMS, CKA_VALUE and CKA_PUBLIC_KEY_INFO. The last one lets a
 * later operation take the public key from the token's own record instead
 * of recomputing it.
 *
 * Derivation: the peer's public key comes raw or as a DER OCTET STRING,
 * told apart by length. With CKD_NULL the new key is the shared secret
 * (its leading bytes when CKA_VALUE_LEN asks for fewer); the CKD_<hash>_KDF
 * functions are the ANSI X9.63 KDF over the secret and the shared data,
 * CKD_<hash>_KDF_SP800 the one-step KDF of NIST SP 800-56A. The BLAKE2b
 * KDFs are not offered (CKR_MECHANISM_PARAM_INVALID).
 */
#include <stdlib.h>
#include <string.h>

#include "crypto/ossl/md.h"
#include "mech/ec_internal.h"
#include "util/check.h"
#include "util/wipe.h"

/* The longest key a derivation makes, in bytes; longer asks are refused. */
#define TK_ECDH_MAX_OUT 1024

/* CKA_EC_PARAMS from the templates: one of them must have it, and when
 * both do they must agree. */
static CK_RV
tk_ec_gen_params(const CK_ATTRIBUTE *pub, CK_ULONG n_pub, const CK_ATTRIBUTE *priv,
                 CK_ULONG n_priv, const CK_ATTRIBUTE **out)
{
    const CK_ATTRIBUTE *a = tk_tmpl_find(pub, n_pub, CKA_EC_PARAMS);
    const CK_ATTRIBUTE *b = tk_tmpl_find(priv, n_priv, CKA_EC_PARAMS);

    if (a == NULL && b == NULL) {
        return CKR_TEMPLATE_INCOMPLETE;
    }
    if (a != NULL && b != NULL &&
        (a->ulValueLen != b->ulValueLen ||
         (a->ulValueLen > 0 && memcmp(a->pValue, b->pValue, a->ulValueLen) != 0))) {
        return CKR_TEMPLATE_INCONSISTENT;
    }
    if ((a != NULL ? a : b)->pValue == NULL) {
        return CKR_ATTRIBUTE_VALUE_INVALID;
    }
    *out = a != NULL ? a : b;
    return CKR_OK;
}

/* The values of both halves, from what the backend generated. */
static CK_RV
tk_ec_gen_values(const tk_ec_curve_info *ci, const CK_ATTRIBUTE *params, const uint8_t *priv,
                 const uint8_t *pub, const uint8_t *spki, size_t spki_len,
                 tk_mech_attrs *pub_out, tk_mech_attrs *priv_out)
{
    CK_RV rv = CKR_OK;
    const tk_ec_sizes *sz = tk_ossl_ec_sizes(ci->curve);
    uint8_t der[TK_EC_MAX_PUB + 3];
    size_t der_len;

    TK_GUARD(tk_mech_attrs_add(pub_out, CKA_EC_PARAMS, params->pValue, params->ulValueLen));
    if (ci->key_type == CKK_EC) {
        der_len = tk_ec_point_der(pub, sz->pub_len, der);
        TK_GUARD(tk_mech_attrs_add(pub_out, CKA_EC_POINT, der, der_len));
    } else {
        TK_GUARD(tk_mech_attrs_add(pub_out, CKA_EC_POINT, pub, sz->pub_len));
    }
    TK_GUARD(tk_mech_attrs_add(pub_out, CKA_PUBLIC_KEY_INFO, spki, spki_len));
    TK_GUARD(tk_mech_attrs_add(priv_out, CKA_EC_PARAMS, params->pValue, params->ulValueLen));
    TK_GUARD(tk_mech_attrs_add(priv_out, CKA_VALUE, priv, sz->priv_len));
    TK_GUARD(tk_mech_attrs_add(priv_out, CKA_PUBLIC_KEY_INFO, spki, spki_len));
out:
    return rv;
}

/* See ec_internal.h. */
CK_RV
tk_ec_generate_pair(const tk_mech_desc *d, const CK_MECHANISM *m, const CK_ATTRIBUTE *pub_tmpl,
                    CK_ULONG n_pub, const CK_ATTRIBUTE *priv_tmpl, CK_ULONG n_priv,
                    CK_KEY_TYPE *key_type, tk_mech_attrs *pub_out, tk_mech_attrs *priv_out)
{
    CK_RV rv = CKR_OK;
    const CK_KEY_TYPE *want = d->arg;
    const CK_ATTRIBUTE *params = NULL;
    const tk_ec_curve_info *ci;
    uint8_t priv[TK_EC_MAX_PRIV];
    uint8_t pub[TK_EC_MAX_PUB];
    uint8_t *spki = NULL;
    size_t spki_len = 0;

    TK_CHECK(m->ulParameterLen == 0, CKR_MECHANISM_PARAM_INVALID);
    TK_GUARD(tk_ec_gen_params(pub_tmpl, n_pub, priv_tmpl, n_priv, &params));
    ci = tk_ec_curve_from_params(params->pValue, params->ulValueLen);
    TK_CHECK(ci != NULL || tk_ec_params_named(params->pValue, params->ulValueLen),
             CKR_DOMAIN_PARAMS_INVALID);
    TK_CHECK(ci != NULL && ci->key_type == *want, CKR_CURVE_NOT_SUPPORTED);
    TK_GUARD(tk_ossl_ec_generate(ci->curve, priv, pub, &spki, &spki_len));
    TK_GUARD(tk_ec_gen_values(ci, params, priv, pub, spki, spki_len, pub_out, priv_out));
    *key_type = ci->key_type;
out:
    tk_wipe(priv, sizeof(priv));
    free(spki);
    return rv;
}

/* ---- imported keys ---- */

/* The key's values, checked and padded: the raw public key into pub, or
 * the private scalar into priv (*priv_len bytes). */
static CK_RV
tk_ec_import_values(const tk_ec_curve_info *ci, CK_OBJECT_CLASS cls, const CK_ATTRIBUTE *tmpl,
                    CK_ULONG n, uint8_t *pub, uint8_t *priv, size_t *priv_len)
{
    CK_RV rv = CKR_OK;
    const tk_ec_sizes *sz = tk_ossl_ec_sizes(ci->curve);
    const CK_ATTRIBUTE *a = tk_tmpl_find(tmpl, n, cls == CKO_PUBLIC_KEY ? CKA_EC_POINT
                                                                         : CKA_VALUE);
    const uint8_t *raw = NULL;

    TK_CHECK(a != NULL && a->pValue != NULL, CKR_TEMPLATE_INCOMPLETE);
    if (cls == CKO_PUBLIC_KEY) {
        TK_GUARD(tk_ec_point_unwrap(ci, a->pValue, a->ulValueLen, CKR_ATTRIBUTE_VALUE_INVALID,
                                    &raw));
        memcpy(pub, raw, sz->pub_len);
    } else {
        TK_CHECK(a->ulValueLen == sz->priv_len ||
                     (ci->key_type == CKK_EC && a->ulValueLen > 0 &&
                      a->ulValueLen < sz->priv_len),
                 CKR_ATTRIBUTE_VALUE_INVALID);
        memset(priv, 0, sz->priv_len);
        memcpy(priv + sz->priv_len - a->ulValueLen, a->pValue, a->ulValueLen);
        *priv_len = sz->priv_len;
    }
out:
    return rv;
}

/* See ec_internal.h. */
CK_RV
tk_mech_ec_complete_key(CK_OBJECT_CLASS cls, CK_KEY_TYPE type, const CK_ATTRIBUTE *tmpl,
                        CK_ULONG n, tk_mech_attrs *out)
{
    CK_RV rv = CKR_OK;
    const CK_ATTRIBUTE *params = tk_tmpl_find(tmpl, n, CKA_EC_PARAMS);
    const tk_ec_curve_info *ci = NULL;
    uint8_t pub[TK_EC_MAX_PUB];
    uint8_t priv[TK_EC_MAX_PRIV];
    size_t priv_len = 0;
    uint8_t *spki = NULL;
    size_t spki_len = 0;

    if ((type != CKK_EC && type != CKK_EC_EDWARDS && type != CKK_EC_MONTGOMERY) ||
        (cls != CKO_PUBLIC_KEY && cls != CKO_PRIVATE_KEY) || params == NULL) {
        return CKR_OK;
    }
    ci = tk_ec_curve_from_params(params->pValue, params->ulValueLen);
    TK_CHECK(ci != NULL || tk_ec_params_named(params->pValue, params->ulValueLen),
             CKR_DOMAIN_PARAMS_INVALID);
    TK_CHECK(ci != NULL && ci->key_type == type, CKR_CURVE_NOT_SUPPORTED);
    TK_GUARD(tk_ec_import_values(ci, cls, tmpl, n, pub, priv, &priv_len));
    TK_GUARD(tk_ossl_ec_complete(ci->curve, cls == CKO_PRIVATE_KEY ? priv : NULL, priv_len,
                                 pub, CKR_ATTRIBUTE_VALUE_INVALID, &spki, &spki_len));
    TK_GUARD(tk_mech_attrs_add(out, CKA_PUBLIC_KEY_INFO, spki, spki_len));
out:
    tk_wipe(priv, sizeof(priv));
    free(spki);
    return rv;
}

/* ---- derivation ---- */

/* A key derivation function of [PKCS11 3.2 §6.3.19]: a digest
 * (TK_MD_COUNT for CKD_NULL) and where the counter goes. */
typedef struct {
    tk_md_id md;
    int counter_first; /* SP 800-56A one-step; else ANSI X9.63 */
} tk_ec_kdf;

/* CKR_MECHANISM_PARAM_INVALID for the functions not offered (BLAKE2b). */
static CK_RV
tk_ec_kdf_find(CK_EC_KDF_TYPE kdf, tk_ec_kdf *out)
{
    static const struct {
        CK_EC_KDF_TYPE kdf;
        tk_ec_kdf f;
    } map[] = {
        {CKD_NULL, {TK_MD_COUNT, 0}},
        {CKD_SHA1_KDF, {TK_MD_SHA1, 0}},
        {CKD_SHA224_KDF, {TK_MD_SHA224, 0}},
        {CKD_SHA256_KDF, {TK_MD_SHA256, 0}},
        {CKD_SHA384_KDF, {TK_MD_SHA384, 0}},
        {CKD_SHA512_KDF, {TK_MD_SHA512, 0}},
        {CKD_SHA3_224_KDF, {TK_MD_SHA3_224, 0}},
        {CKD_SHA3_256_KDF, {TK_MD_SHA3_256, 0}},
        {CKD_SHA3_384_KDF, {TK_MD_SHA3_384, 0}},
        {CKD_SHA3_512_KDF, {TK_MD_SHA3_512, 0}},
        {CKD_SHA1_KDF_SP800, {TK_MD_SHA1, 1}},
        {CKD_SHA224_KDF_SP800, {TK_MD_SHA224, 1}},
        {CKD_SHA256_KDF_SP800, {TK_MD_SHA256, 1}},
        {CKD_SHA384_KDF_SP800, {TK_MD_SHA384, 1}},
        {CKD_SHA512_KDF_SP800, {TK_MD_SHA512, 1}},
        {CKD_SHA3_224_KDF_SP800, {TK_MD_SHA3_224, 1}},
        {CKD_SHA3_256_KDF_SP800, {TK_MD_SHA3_256, 1}},
        {CKD_SHA3_384_KDF_SP800, {TK_MD_SHA3_384, 1}},
        {CKD_SHA3_512_KDF_SP800, {TK_MD_SHA3_512, 1}},
    };

    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        if (map[i].kdf == kdf) {
            *out = map[i].f;
            return CKR_OK;
        }
    }
    return CKR_MECHANISM_PARAM_INVALID;
}

/* The CK_ECDH1_DERIVE_PARAMS, checked: shared data only with a KDF. */
static CK_RV
tk_ec_derive_param(const CK_MECHANISM *m, CK_ECDH1_DERIVE_PARAMS *p, tk_ec_kdf *kdf)
{
    if (m->pParameter == NULL || m->ulParameterLen != sizeof(*p)) {
        return CKR_MECHANISM_PARAM_INVALID;
    }
    memcpy(p, m->pParameter, sizeof(*p));
    if (tk_ec_kdf_find(p->kdf, kdf) != CKR_OK) {
        return CKR_MECHANISM_PARAM_INVALID;
    }
    /* [PKCS11 3.2 §6.3.19]: no shared data at all with CKD_NULL. */
    if ((p->ulSharedDataLen > 0 && p->pSharedData == NULL) ||
        (kdf->md == TK_MD_COUNT && (p->ulSharedDataLen > 0 || p->pSharedData != NULL))) {
        return CKR_MECHANISM_PARAM_INVALID;
    }
    return CKR_OK;
}

/*
 * The new key's length in bytes: CKA_VALUE_LEN, else what its type
 * fixes, else the KDF's output (hash_len) or the whole secret.
 */
static CK_RV
tk_ec_derive_len(const CK_ATTRIBUTE *tmpl, CK_ULONG n, size_t natural, CK_ULONG *len)
{
    const CK_ATTRIBUTE *a = tk_tmpl_find(tmpl, n, CKA_VALUE_LEN);
    CK_KEY_TYPE type = tk_tmpl_ulong(tmpl, n, CKA_KEY_TYPE, CKK_GENERIC_SECRET);

    if (a != NULL) {
        if (a->pValue == NULL || a->ulValueLen != sizeof(CK_ULONG)) {
            return CKR_ATTRIBUTE_VALUE_INVALID;
        }
        memcpy(len, a->pValue, sizeof(*len));
        return *len >= 1 && *len <= TK_ECDH_MAX_OUT ? CKR_OK : CKR_ATTRIBUTE_VALUE_INVALID;
    }
    switch (type) {
    case CKK_DES:
        *len = 8;
        return CKR_OK;
    case CKK_DES2:
        *len = 16;
        return CKR_OK;
    case CKK_DES3:
        *len = 24;
        return CKR_OK;
    case CKK_CHACHA20:
        *len = 32;
        return CKR_OK;
    case CKK_AES:
        /* AES has three lengths; the template must choose. */
        return CKR_TEMPLATE_INCOMPLETE;
    default:
        *len = natural;
        return CKR_OK;
    }
}

/* The KDF over z: Hash(Z || counter || SharedInfo) [ANSI X9.63] or
 * Hash(counter || Z || OtherInfo) [NIST SP 800-56A §5.8.1.1], counter
 * 1, 2, ... big-endian, until len bytes. */
static CK_RV
tk_ec_kdf_run(const tk_ec_kdf *kdf, const uint8_t *z, size_t z_len, const uint8_t *info,
              size_t info_len, uint8_t *out, size_t len)
{
    CK_RV rv = CKR_OK;
    tk_ossl_md_ctx *ctx = NULL;
    uint8_t h[TK_MD_MAX_SIZE];
    size_t hl = tk_ossl_md_size(kdf->md);
    uint32_t counter = 1;

    TK_GUARD(tk_ossl_md_new(kdf->md, &ctx));
    for (size_t done = 0; done < len; done += hl, counter++) {
        uint8_t c[4] = {(uint8_t)(counter >> 24), (uint8_t)(counter >> 16),
                        (uint8_t)(counter >> 8), (uint8_t)counter};
        TK_GUARD(tk_ossl_md_reset(ctx));
        if (kdf->counter_first) {
            TK_GUARD(tk_ossl_md_update(ctx, c, sizeof(c)));
        }
        TK_GUARD(tk_ossl_md_update(ctx, z, z_len));
        if (!kdf->counter_first) {
            TK_GUARD(tk_ossl_md_update(ctx, c, sizeof(c)));
        }
        TK_GUARD(tk_ossl_md_update(ctx, info, info_len));
        TK_GUARD(tk_ossl_md_final(ctx, h));
        memcpy(out + done, h, len - done < hl ? len - done : hl);
    }
out:
    tk_wipe(h, sizeof(h));
    tk_ossl_md_free(ctx);
    return rv;
}

/* Base key: private, EC; Montgomery keys only for plain ECDH. */
static CK_RV
tk_ec_derive_base(const CK_MECHANISM *m, const tk_key *base, const tk_ec_curve_info **ci)
{
    CK_RV rv = CKR_OK;

    TK_CHECK(base != NULL && base->cls == CKO_PRIVATE_KEY, CKR_KEY_TYPE_INCONSISTENT);
    TK_CHECK(base->type == CKK_EC ||
                 (base->type == CKK_EC_MONTGOMERY && m->mechanism == CKM_ECDH1_DERIVE),
             CKR_KEY_TYPE_INCONSISTENT);
    TK_GUARD(tk_ec_key_curve(base, ci));
out:
    return rv;
}

/* The raw shared secret of base and the peer's public data. */
static CK_RV
tk_ec_shared(const tk_ec_curve_info *ci, const tk_key *base, const CK_ECDH1_DERIVE_PARAMS *p,
             int cofactor, uint8_t *z)
{
    CK_RV rv = CKR_OK;
    const uint8_t *raw = NULL;
    tk_ossl_ec_key *mine = NULL;
    tk_ossl_ec_key *peer = NULL;
    size_t pub_len = tk_ossl_ec_sizes(ci->curve)->pub_len;

    TK_GUARD(tk_ec_point_unwrap(ci, p->pPublicData, p->ulPublicDataLen,
                                CKR_MECHANISM_PARAM_INVALID, &raw));
    TK_GUARD(tk_ossl_ec_key_public(ci->curve, raw, pub_len, CKR_MECHANISM_PARAM_INVALID,
                                   &peer));
    TK_GUARD(tk_ec_load_key(ci, base, &mine));
    TK_GUARD(tk_ossl_ec_derive(mine, peer, cofactor, CKR_MECHANISM_PARAM_INVALID, z));
out:
    tk_ossl_ec_key_free(mine);
    tk_ossl_ec_key_free(peer);
    return rv;
}

/* See ec_internal.h. */
CK_RV
tk_ec_derive(const tk_mech_desc *d, const CK_MECHANISM *m, const tk_key *base,
             const CK_ATTRIBUTE *tmpl, CK_ULONG n, tk_mech_attrs *out)
{
    CK_RV rv = CKR_OK;
    const tk_ec_curve_info *ci = NULL;
    CK_ECDH1_DERIVE_PARAMS p;
    tk_ec_kdf kdf = {TK_MD_COUNT, 0};
    CK_RV curve_rv;
    uint8_t z[TK_EC_MAX_SECRET];
    size_t z_len = 0;
    uint8_t *key = NULL;
    CK_ULONG len = 0;
    CK_KEY_TYPE type = tk_tmpl_ulong(tmpl, n, CKA_KEY_TYPE, CKK_GENERIC_SECRET);

    curve_rv = tk_ec_derive_base(m, base, &ci);
    TK_CHECK(curve_rv != CKR_KEY_TYPE_INCONSISTENT, curve_rv);
    /* The parameter before the size, as mech.h orders the checks. */
    TK_GUARD(tk_ec_derive_param(m, &p, &kdf));
    TK_GUARD(curve_rv);
    TK_CHECK(ci->bits >= d->min_key && ci->bits <= d->max_key, CKR_KEY_SIZE_RANGE);
    z_len = tk_ossl_ec_sizes(ci->curve)->secret_len;
    TK_GUARD(tk_ec_derive_len(tmpl, n, kdf.md == TK_MD_COUNT ? z_len : tk_ossl_md_size(kdf.md),
                              &len));
    TK_CHECK(kdf.md != TK_MD_COUNT || len <= z_len, CKR_TEMPLATE_INCONSISTENT);
    TK_GUARD(tk_ec_shared(ci, base, &p, *(const int *)d->arg, z));
    key = malloc(len);
    TK_CHECK(key != NULL, CKR_HOST_MEMORY);
    if (kdf.md == TK_MD_COUNT) {
        memcpy(key, z, len);
    } else {
        TK_GUARD(tk_ec_kdf_run(&kdf, z, z_len, p.pSharedData, p.ulSharedDataLen, key, len));
    }
    TK_GUARD(tk_mech_attrs_add(out, CKA_VALUE, key, len));
    if (type != CKK_DES && type != CKK_DES2 && type != CKK_DES3) {
        TK_GUARD(tk_mech_attrs_add_ulong(out, CKA_VALUE_LEN, len));
    }
out:
    tk_wipe(z, sizeof(z));
    tk_free_secret(key, key != NULL ? len : 0);
    return rv;
}
