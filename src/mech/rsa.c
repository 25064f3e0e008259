/*
 * Mechanism family: RSA [PKCS11 3.2 §6.1]. Key pair generation, raw RSA
 * (CKM_RSA_X_509), PKCS #1 v1.5, PSS and OAEP, and hash-and-sign with
 * SHA-1, SHA-2 and SHA-3. See mech_internal.h for how families plug in;
 * rsa_ops.c holds the operations, rsa_keys.c key management and
 * rsa_cache.c what a key object keeps between operations.
 */
#include <string.h>

#include "mech/rsa_internal.h"
#include "util/check.h"

/* ---- parameters ---- */

/* The digest of a hash mechanism allowed in RSA parameters. */
static int
tk_rsa_hash_of(CK_MECHANISM_TYPE hash, tk_md_id *md)
{
    /* Every digest but the truncated SHA-512 forms. */
    return hash != CKM_SHA512_224 && hash != CKM_SHA512_256 && tk_mech_digest_md(hash, md);
}

/* The digest of an MGF1 identifier [PKCS11 3.2 §6.1.6]. */
static int
tk_rsa_mgf_of(CK_RSA_PKCS_MGF_TYPE mgf, tk_md_id *md)
{
    static const struct {
        CK_RSA_PKCS_MGF_TYPE mgf;
        tk_md_id md;
    } map[] = {
        {CKG_MGF1_SHA1, TK_MD_SHA1},         {CKG_MGF1_SHA224, TK_MD_SHA224},
        {CKG_MGF1_SHA256, TK_MD_SHA256},     {CKG_MGF1_SHA384, TK_MD_SHA384},
        {CKG_MGF1_SHA512, TK_MD_SHA512},     {CKG_MGF1_SHA3_224, TK_MD_SHA3_224},
        {CKG_MGF1_SHA3_256, TK_MD_SHA3_256}, {CKG_MGF1_SHA3_384, TK_MD_SHA3_384},
        {CKG_MGF1_SHA3_512, TK_MD_SHA3_512},
    };

    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        if (map[i].mgf == mgf) {
            *md = map[i].md;
            return 1;
        }
    }
    return 0;
}

static CK_RV
tk_rsa_parse_pss(const tk_rsa_mech *a, const CK_MECHANISM *m, tk_rsa_params *p)
{
    CK_RV rv = CKR_OK;
    CK_RSA_PKCS_PSS_PARAMS pss;

    TK_CHECK(m->pParameter != NULL && m->ulParameterLen == sizeof(pss),
             CKR_MECHANISM_PARAM_INVALID);
    memcpy(&pss, m->pParameter, sizeof(pss));
    TK_CHECK(tk_rsa_hash_of(pss.hashAlg, &p->s.md), CKR_MECHANISM_PARAM_INVALID);
    TK_CHECK(tk_rsa_mgf_of(pss.mgf, &p->s.mgf_md), CKR_MECHANISM_PARAM_INVALID);
    /* With hashing, hashAlg must name the mechanism's own hash. */
    TK_CHECK(a->md == TK_MD_COUNT || a->md == p->s.md, CKR_MECHANISM_PARAM_INVALID);
    /* Bounded again against the key; this keeps the int cast safe. */
    TK_CHECK(pss.sLen <= TK_RSA_MAX_BITS / 8, CKR_MECHANISM_PARAM_INVALID);
    p->s.salt_len = pss.sLen;
    p->hash_len = tk_ossl_md_size(p->s.md);
out:
    return rv;
}

/*
 * [PKCS11 3.2 §6.1.7]: the source must be CKZ_DATA_SPECIFIED. A source of
 * 0 with no label is taken too: widely used clients send it to mean the
 * empty label, and it cannot mean anything else.
 */
static CK_RV
tk_rsa_parse_oaep(const CK_MECHANISM *m, tk_rsa_params *p)
{
    CK_RV rv = CKR_OK;
    CK_RSA_PKCS_OAEP_PARAMS oaep;

    TK_CHECK(m->pParameter != NULL && m->ulParameterLen == sizeof(oaep),
             CKR_MECHANISM_PARAM_INVALID);
    memcpy(&oaep, m->pParameter, sizeof(oaep));
    TK_CHECK(tk_rsa_hash_of(oaep.hashAlg, &p->s.md), CKR_MECHANISM_PARAM_INVALID);
    TK_CHECK(tk_rsa_mgf_of(oaep.mgf, &p->s.mgf_md), CKR_MECHANISM_PARAM_INVALID);
    TK_CHECK(oaep.source == CKZ_DATA_SPECIFIED ||
                 (oaep.source == 0 && oaep.ulSourceDataLen == 0),
             CKR_MECHANISM_PARAM_INVALID);
    TK_CHECK(oaep.pSourceData != NULL || oaep.ulSourceDataLen == 0,
             CKR_MECHANISM_PARAM_INVALID);
    p->s.label = oaep.ulSourceDataLen > 0 ? oaep.pSourceData : NULL;
    p->s.label_len = oaep.ulSourceDataLen;
    p->hash_len = tk_ossl_md_size(p->s.md);
out:
    return rv;
}

/* See rsa_internal.h. */
CK_RV
tk_rsa_parse_params(const tk_mech_desc *d, const CK_MECHANISM *m, tk_rsa_params *p)
{
    const tk_rsa_mech *a = d->arg;

    memset(p, 0, sizeof(*p));
    p->s.pad = a->pad;
    p->s.md = a->md;
    p->s.mgf_md = TK_MD_COUNT;
    if (a->pad == TK_RSA_PAD_PSS) {
        return tk_rsa_parse_pss(a, m, p);
    }
    if (a->pad == TK_RSA_PAD_OAEP) {
        return tk_rsa_parse_oaep(m, p);
    }
    /* Raw RSA, PKCS #1 v1.5 and key generation have no parameter. */
    return m->ulParameterLen == 0 ? CKR_OK : CKR_MECHANISM_PARAM_INVALID;
}

/* See rsa_internal.h. */
CK_RV
tk_rsa_params_fit(const tk_rsa_params *p, size_t nbits)
{
    /* PSS: emLen = ceil((modBits - 1) / 8) [RFC 8017 §8.1.1]. */
    size_t em_len = (nbits - 1 + 7) / 8;
    size_t k = (nbits + 7) / 8;

    if (p->s.pad == TK_RSA_PAD_PSS && em_len < p->hash_len + p->s.salt_len + 2) {
        return CKR_MECHANISM_PARAM_INVALID;
    }
    if (p->s.pad == TK_RSA_PAD_OAEP && k < 2 * p->hash_len + 2) {
        return CKR_MECHANISM_PARAM_INVALID;
    }
    return CKR_OK;
}

/* See rsa_internal.h. */
size_t
tk_rsa_max_input(const tk_rsa_params *p, size_t k)
{
    switch (p->s.pad) {
    case TK_RSA_PAD_PKCS1:
        return k - 11;
    case TK_RSA_PAD_OAEP:
        return k - 2 - 2 * p->hash_len;
    case TK_RSA_PAD_PSS:
        return p->hash_len;
    case TK_RSA_PAD_RAW:
    default:
        return k;
    }
}

/* See rsa_internal.h. */
size_t
tk_rsa_max_plain(const tk_rsa_params *p, size_t k)
{
    return tk_rsa_max_input(p, k);
}

/* ---- keys ---- */

static const CK_ATTRIBUTE_TYPE tk_rsa_attr_of[TK_RSA_PART_COUNT] = {
    [TK_RSA_N] = CKA_MODULUS,          [TK_RSA_E] = CKA_PUBLIC_EXPONENT,
    [TK_RSA_D] = CKA_PRIVATE_EXPONENT, [TK_RSA_P] = CKA_PRIME_1,
    [TK_RSA_Q] = CKA_PRIME_2,          [TK_RSA_DP] = CKA_EXPONENT_1,
    [TK_RSA_DQ] = CKA_EXPONENT_2,      [TK_RSA_QINV] = CKA_COEFFICIENT,
};

/* See rsa_internal.h. */
size_t
tk_rsa_key_bits(const tk_key *key)
{
    const CK_ATTRIBUTE *a = tk_key_attr(key, CKA_MODULUS);
    const uint8_t *v;
    size_t i = 0;
    size_t bits;

    if (a == NULL || a->pValue == NULL) {
        return 0;
    }
    v = a->pValue;
    while (i < a->ulValueLen && v[i] == 0) {
        i++;
    }
    if (i == a->ulValueLen) {
        return 0;
    }
    bits = 8 * (a->ulValueLen - i);
    for (uint8_t top = v[i]; (top & 0x80) == 0; top <<= 1) {
        bits--;
    }
    return bits;
}

/* See rsa_internal.h. */
CK_RV
tk_rsa_key_load(const tk_key *key, int priv, tk_ossl_pkey **out)
{
    tk_rsa_num parts[TK_RSA_PART_COUNT];

    memset(parts, 0, sizeof(parts));
    for (int i = 0; i < TK_RSA_PART_COUNT; i++) {
        const CK_ATTRIBUTE *a;
        if (!priv && i > TK_RSA_E) {
            break;
        }
        a = tk_key_attr(key, tk_rsa_attr_of[i]);
        if (a != NULL && a->pValue != NULL) {
            parts[i].v = a->pValue;
            parts[i].len = a->ulValueLen;
        }
    }
    return tk_ossl_rsa_key_new(parts, priv, out);
}

/* ---- operation init ---- */

/* The key class an operation kind uses. */
static CK_OBJECT_CLASS
tk_rsa_class_for(tk_op_kind kind)
{
    switch (kind) {
    case TK_OP_DECRYPT:
    case TK_OP_SIGN:
    case TK_OP_SIGN_RECOVER:
        return CKO_PRIVATE_KEY;
    default:
        return CKO_PUBLIC_KEY;
    }
}

static CK_RV
tk_rsa_op_init(const tk_mech_desc *d, tk_op_kind kind, const CK_MECHANISM *m,
               const tk_key *key, tk_op **out)
{
    CK_RV rv = CKR_OK;
    CK_OBJECT_CLASS cls = tk_rsa_class_for(kind);
    tk_rsa_params p;
    tk_ossl_pkey *pkey = NULL;
    tk_rsa_cache *cache = NULL;
    size_t bits;

    TK_CHECK(key != NULL && key->type == CKK_RSA && key->cls == cls,
             CKR_KEY_TYPE_INCONSISTENT);
    TK_GUARD(tk_rsa_parse_params(d, m, &p));
    bits = tk_rsa_key_bits(key);
    TK_CHECK(bits >= d->min_key && bits <= d->max_key, CKR_KEY_SIZE_RANGE);
    TK_GUARD(tk_rsa_params_fit(&p, bits));
    TK_GUARD(tk_rsa_key_get(key, cls == CKO_PRIVATE_KEY, &pkey, &cache));
    /* A finished operation of the same kind is ready to go again. */
    *out = tk_rsa_cache_take(cache, kind, m, &p);
    if (*out == NULL) {
        TK_GUARD(tk_rsa_op_start(d, kind, m, &p, pkey, cache, out));
    }
out:
    tk_rsa_cache_drop(cache);
    tk_ossl_pkey_free(pkey);
    return rv;
}

/* ---- the table ---- */

/* TODO: no key encapsulation with RSA (C_EncapsulateKey, C_DecapsulateKey
 * with CKM_RSA_PKCS, CKM_RSA_PKCS_OAEP, CKM_RSA_X_509) yet; the entries
 * do not list CKF_ENCAPSULATE, so those calls answer CKR_MECHANISM_INVALID.
 * Nor the 9796, X9.31 and TPM 1.1 forms: C_GetMechanismList omits them. */

#define TK_RSA_ANY (CKF_ENCRYPT | CKF_DECRYPT | CKF_SIGN | CKF_VERIFY | CKF_SIGN_RECOVER | \
                    CKF_VERIFY_RECOVER | CKF_WRAP | CKF_UNWRAP)

#define TK_RSA_ENTRY(mech, fl, padding, hash)                                                  \
    {                                                                                          \
        .type = (mech), .min_key = TK_RSA_MIN_BITS, .max_key = TK_RSA_MAX_BITS,                \
        .flags = (fl), .op_init = tk_rsa_op_init, .wrap = tk_rsa_wrap,                         \
        .unwrap = tk_rsa_unwrap, .arg = &(const tk_rsa_mech){(padding), (hash)},               \
    }

#define TK_RSA_SIG(mech, padding, hash)                                                        \
    TK_RSA_ENTRY(mech, CKF_SIGN | CKF_VERIFY, padding, hash)

/* Not const: tk_mech_rsa_configure() sets the smallest modulus. */
static tk_mech_desc tk_rsa_table[] = {
    {
        .type = CKM_RSA_PKCS_KEY_PAIR_GEN,
        .min_key = TK_RSA_MIN_BITS,
        .max_key = TK_RSA_MAX_BITS,
        .flags = CKF_GENERATE_KEY_PAIR,
        .generate_pair = tk_rsa_generate_pair,
        .arg = &(const tk_rsa_mech){TK_RSA_PAD_RAW, TK_MD_COUNT},
    },
    TK_RSA_ENTRY(CKM_RSA_PKCS, TK_RSA_ANY, TK_RSA_PAD_PKCS1, TK_MD_COUNT),
    TK_RSA_ENTRY(CKM_RSA_X_509, TK_RSA_ANY, TK_RSA_PAD_RAW, TK_MD_COUNT),
    TK_RSA_ENTRY(CKM_RSA_PKCS_OAEP, CKF_ENCRYPT | CKF_DECRYPT | CKF_WRAP | CKF_UNWRAP,
                 TK_RSA_PAD_OAEP, TK_MD_COUNT),
    TK_RSA_SIG(CKM_RSA_PKCS_PSS, TK_RSA_PAD_PSS, TK_MD_COUNT),
    TK_RSA_SIG(CKM_SHA1_RSA_PKCS, TK_RSA_PAD_PKCS1, TK_MD_SHA1),
    TK_RSA_SIG(CKM_SHA224_RSA_PKCS, TK_RSA_PAD_PKCS1, TK_MD_SHA224),
    TK_RSA_SIG(CKM_SHA256_RSA_PKCS, TK_RSA_PAD_PKCS1, TK_MD_SHA256),
    TK_RSA_SIG(CKM_SHA384_RSA_PKCS, TK_RSA_PAD_PKCS1, TK_MD_SHA384),
    TK_RSA_SIG(CKM_SHA512_RSA_PKCS, TK_RSA_PAD_PKCS1, TK_MD_SHA512),
    TK_RSA_SIG(CKM_SHA3_224_RSA_PKCS, TK_RSA_PAD_PKCS1, TK_MD_SHA3_224),
    TK_RSA_SIG(CKM_SHA3_256_RSA_PKCS, TK_RSA_PAD_PKCS1, TK_MD_SHA3_256),
    TK_RSA_SIG(CKM_SHA3_384_RSA_PKCS, TK_RSA_PAD_PKCS1, TK_MD_SHA3_384),
    TK_RSA_SIG(CKM_SHA3_512_RSA_PKCS, TK_RSA_PAD_PKCS1, TK_MD_SHA3_512),
    TK_RSA_SIG(CKM_SHA1_RSA_PKCS_PSS, TK_RSA_PAD_PSS, TK_MD_SHA1),
    TK_RSA_SIG(CKM_SHA224_RSA_PKCS_PSS, TK_RSA_PAD_PSS, TK_MD_SHA224),
    TK_RSA_SIG(CKM_SHA256_RSA_PKCS_PSS, TK_RSA_PAD_PSS, TK_MD_SHA256),
    TK_RSA_SIG(CKM_SHA384_RSA_PKCS_PSS, TK_RSA_PAD_PSS, TK_MD_SHA384),
    TK_RSA_SIG(CKM_SHA512_RSA_PKCS_PSS, TK_RSA_PAD_PSS, TK_MD_SHA512),
    TK_RSA_SIG(CKM_SHA3_224_RSA_PKCS_PSS, TK_RSA_PAD_PSS, TK_MD_SHA3_224),
    TK_RSA_SIG(CKM_SHA3_256_RSA_PKCS_PSS, TK_RSA_PAD_PSS, TK_MD_SHA3_256),
    TK_RSA_SIG(CKM_SHA3_384_RSA_PKCS_PSS, TK_RSA_PAD_PSS, TK_MD_SHA3_384),
    TK_RSA_SIG(CKM_SHA3_512_RSA_PKCS_PSS, TK_RSA_PAD_PSS, TK_MD_SHA3_512),
};

void
tk_mech_rsa_configure(CK_ULONG min_bits)
{
    CK_ULONG bits = min_bits < TK_RSA_FLOOR_BITS ? TK_RSA_FLOOR_BITS : min_bits;

    bits = bits > TK_RSA_MAX_BITS ? TK_RSA_MAX_BITS : bits;
    for (size_t i = 0; i < sizeof(tk_rsa_table) / sizeof(tk_rsa_table[0]); i++) {
        tk_rsa_table[i].min_key = bits;
    }
}

tk_mech_family
tk_mech_family_rsa(void)
{
    tk_mech_family fam = {tk_rsa_table, sizeof(tk_rsa_table) / sizeof(tk_rsa_table[0])};

    return fam;
}
