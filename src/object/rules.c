/*
 * The attribute rule table: which attribute each class and key family
 * holds, its value layout, and who may set it [PKCS11 3.2 §4.4-§4.10].
 * One type may have several rows (CKA_VALUE means different things for a
 * data object and a private key); the first row that matches wins.
 */
#include <string.h>

#include "object/object.h"
#include "object/object_internal.h"

#define TK_RULE(t, k, c, f, fl) { (t), TK_KIND_##k, (c), (f), (fl) }

#define TK_R_MOD TK_RF_MOD
#define TK_R_SECRETMAT (TK_RF_SECRET | TK_RF_KEYMAT)

/* A long table, kept in one place so a reviewer sees every rule at once. */
static const tk_attr_rule tk_rules[] = {
    /* storage objects [PKCS11 3.2 §4.4] */
    TK_RULE(CKA_CLASS, ULONG, TK_CB_ALL, 0, 0),
    TK_RULE(CKA_TOKEN, BOOL, TK_CB_ALL, 0, 0),
    TK_RULE(CKA_PRIVATE, BOOL, TK_CB_ALL, 0, 0),
    TK_RULE(CKA_MODIFIABLE, BOOL, TK_CB_ALL, 0, 0),
    TK_RULE(CKA_LABEL, BYTES, TK_CB_ALL, 0, TK_R_MOD),
    TK_RULE(CKA_COPYABLE, BOOL, TK_CB_ALL, 0, TK_R_MOD | TK_RF_TO_FALSE),
    /* only C_CopyObject changes it [PKCS11 3.2 §4.1.3] */
    TK_RULE(CKA_DESTROYABLE, BOOL, TK_CB_ALL, 0, 0),
    TK_RULE(CKA_UNIQUE_ID, BYTES, TK_CB_ALL, 0, TK_RF_TOKEN),

    /* data objects [PKCS11 3.2 §4.5] */
    TK_RULE(CKA_APPLICATION, BYTES, TK_CB_DATA, 0, TK_R_MOD),
    TK_RULE(CKA_OBJECT_ID, BYTES, TK_CB_DATA, 0, TK_R_MOD),
    TK_RULE(CKA_VALUE, BYTES, TK_CB_DATA, 0, TK_R_MOD),

    /* certificates, X.509 public key certificates [PKCS11 3.2 §4.6] */
    TK_RULE(CKA_CERTIFICATE_TYPE, ULONG, TK_CB_CERT, 0, 0),
    TK_RULE(CKA_TRUSTED, BOOL, TK_CB_CERT | TK_CB_PUB | TK_CB_SECRET, 0, TK_R_MOD | TK_RF_SO),
    TK_RULE(CKA_CERTIFICATE_CATEGORY, ULONG, TK_CB_CERT, 0, 0),
    TK_RULE(CKA_CHECK_VALUE, BYTES, TK_CB_CERT, 0, 0),
    /* TODO: no key check value for secret keys yet (it needs a cipher);
     * a caller's value is ignored as [PKCS11 3.2 §4.11] allows, and
     * C_GetAttributeValue reports CKR_ATTRIBUTE_TYPE_INVALID. */
    TK_RULE(CKA_CHECK_VALUE, BYTES, TK_CB_SECRET, 0, TK_RF_IGNORED),
    TK_RULE(CKA_START_DATE, DATE, TK_CB_CERT, 0, 0),
    TK_RULE(CKA_END_DATE, DATE, TK_CB_CERT, 0, 0),
    TK_RULE(CKA_PUBLIC_KEY_INFO, BYTES, TK_CB_CERT | TK_CB_PUB, 0, 0),
    /* A private key's must be checked against the key; we take it only
     * from the token (key generation), as [PKCS11 3.2 §4.10] allows. */
    TK_RULE(CKA_PUBLIC_KEY_INFO, BYTES, TK_CB_PRIV, 0, TK_RF_NOINPUT),
    TK_RULE(CKA_SUBJECT, BYTES, TK_CB_CERT, 0, 0),
    TK_RULE(CKA_ISSUER, BYTES, TK_CB_CERT, 0, TK_R_MOD),
    TK_RULE(CKA_SERIAL_NUMBER, BYTES, TK_CB_CERT, 0, TK_R_MOD),
    TK_RULE(CKA_VALUE, BYTES, TK_CB_CERT, 0, 0),
    TK_RULE(CKA_URL, BYTES, TK_CB_CERT, 0, 0),
    TK_RULE(CKA_HASH_OF_SUBJECT_PUBLIC_KEY, BYTES, TK_CB_CERT, 0, 0),
    TK_RULE(CKA_HASH_OF_ISSUER_PUBLIC_KEY, BYTES, TK_CB_CERT, 0, 0),
    TK_RULE(CKA_JAVA_MIDP_SECURITY_DOMAIN, ULONG, TK_CB_CERT, 0, 0),
    TK_RULE(CKA_NAME_HASH_ALGORITHM, ULONG, TK_CB_CERT, 0, 0),

    /* every key [PKCS11 3.2 §4.8] */
    TK_RULE(CKA_KEY_TYPE, ULONG, TK_CB_KEYS, 0, 0),
    TK_RULE(CKA_ID, BYTES, TK_CB_CERT | TK_CB_KEYS, 0, TK_R_MOD),
    TK_RULE(CKA_START_DATE, DATE, TK_CB_KEYS, 0, TK_R_MOD),
    TK_RULE(CKA_END_DATE, DATE, TK_CB_KEYS, 0, TK_R_MOD),
    TK_RULE(CKA_DERIVE, BOOL, TK_CB_KEYS, 0, TK_R_MOD),
    TK_RULE(CKA_LOCAL, BOOL, TK_CB_KEYS, 0, TK_RF_TOKEN),
    TK_RULE(CKA_KEY_GEN_MECHANISM, ULONG, TK_CB_KEYS, 0, TK_RF_TOKEN),
    TK_RULE(CKA_ALLOWED_MECHANISMS, MECHS, TK_CB_KEYS, 0, 0),

    /* public, private and secret key usage [PKCS11 3.2 §4.9-§4.11] */
    TK_RULE(CKA_SUBJECT, BYTES, TK_CB_PUB | TK_CB_PRIV, 0, TK_R_MOD),
    TK_RULE(CKA_ENCRYPT, BOOL, TK_CB_PUB | TK_CB_SECRET, 0, TK_R_MOD),
    TK_RULE(CKA_VERIFY, BOOL, TK_CB_PUB | TK_CB_SECRET, 0, TK_R_MOD),
    TK_RULE(CKA_VERIFY_RECOVER, BOOL, TK_CB_PUB, 0, TK_R_MOD),
    TK_RULE(CKA_WRAP, BOOL, TK_CB_PUB | TK_CB_SECRET, 0, TK_R_MOD),
    TK_RULE(CKA_WRAP_TEMPLATE, TMPL, TK_CB_PUB | TK_CB_SECRET, 0, 0),
    TK_RULE(CKA_ENCAPSULATE, BOOL, TK_CB_PUB, 0, TK_R_MOD),
    TK_RULE(CKA_ENCAPSULATE_TEMPLATE, TMPL, TK_CB_PUB, 0, 0),
    TK_RULE(CKA_SENSITIVE, BOOL, TK_CB_PRIV | TK_CB_SECRET, 0, TK_R_MOD | TK_RF_TO_TRUE),
    TK_RULE(CKA_DECRYPT, BOOL, TK_CB_PRIV | TK_CB_SECRET, 0, TK_R_MOD),
    TK_RULE(CKA_SIGN, BOOL, TK_CB_PRIV | TK_CB_SECRET, 0, TK_R_MOD),
    TK_RULE(CKA_SIGN_RECOVER, BOOL, TK_CB_PRIV, 0, TK_R_MOD),
    TK_RULE(CKA_UNWRAP, BOOL, TK_CB_PRIV | TK_CB_SECRET, 0, TK_R_MOD),
    TK_RULE(CKA_EXTRACTABLE, BOOL, TK_CB_PRIV | TK_CB_SECRET, 0, TK_R_MOD | TK_RF_TO_FALSE),
    TK_RULE(CKA_ALWAYS_SENSITIVE, BOOL, TK_CB_PRIV | TK_CB_SECRET, 0, TK_RF_TOKEN),
    TK_RULE(CKA_NEVER_EXTRACTABLE, BOOL, TK_CB_PRIV | TK_CB_SECRET, 0, TK_RF_TOKEN),
    TK_RULE(CKA_WRAP_WITH_TRUSTED, BOOL, TK_CB_PRIV | TK_CB_SECRET, 0,
            TK_R_MOD | TK_RF_TO_TRUE),
    TK_RULE(CKA_UNWRAP_TEMPLATE, TMPL, TK_CB_PRIV | TK_CB_SECRET, 0, 0),
    TK_RULE(CKA_DERIVE_TEMPLATE, TMPL, TK_CB_PRIV | TK_CB_SECRET, 0, 0),
    TK_RULE(CKA_ALWAYS_AUTHENTICATE, BOOL, TK_CB_PRIV, 0, 0),
    TK_RULE(CKA_DECAPSULATE, BOOL, TK_CB_PRIV, 0, TK_R_MOD),
    TK_RULE(CKA_DECAPSULATE_TEMPLATE, TMPL, TK_CB_PRIV, 0, 0),

    /* RSA [PKCS11 3.2 §6.1.2-§6.1.3] */
    TK_RULE(CKA_MODULUS, BYTES, TK_CB_PUB | TK_CB_PRIV, TK_FAM_RSA, TK_RF_KEYMAT),
    TK_RULE(CKA_MODULUS_BITS, ULONG, TK_CB_PUB, TK_FAM_RSA, TK_RF_NOCREATE),
    TK_RULE(CKA_PUBLIC_EXPONENT, BYTES, TK_CB_PUB, TK_FAM_RSA, 0),
    TK_RULE(CKA_PUBLIC_EXPONENT, BYTES, TK_CB_PRIV, TK_FAM_RSA, TK_RF_KEYMAT),
    TK_RULE(CKA_PRIVATE_EXPONENT, BYTES, TK_CB_PRIV, TK_FAM_RSA, TK_R_SECRETMAT),
    TK_RULE(CKA_PRIME_1, BYTES, TK_CB_PRIV, TK_FAM_RSA, TK_R_SECRETMAT),
    TK_RULE(CKA_PRIME_2, BYTES, TK_CB_PRIV, TK_FAM_RSA, TK_R_SECRETMAT),
    TK_RULE(CKA_EXPONENT_1, BYTES, TK_CB_PRIV, TK_FAM_RSA, TK_R_SECRETMAT),
    TK_RULE(CKA_EXPONENT_2, BYTES, TK_CB_PRIV, TK_FAM_RSA, TK_R_SECRETMAT),
    TK_RULE(CKA_COEFFICIENT, BYTES, TK_CB_PRIV, TK_FAM_RSA, TK_R_SECRETMAT),

    /* EC, Edwards and Montgomery curves [PKCS11 3.2 §6.3] */
    TK_RULE(CKA_EC_PARAMS, BYTES, TK_CB_PUB | TK_CB_PRIV, TK_FAM_EC, 0),
    TK_RULE(CKA_EC_POINT, BYTES, TK_CB_PUB, TK_FAM_EC, TK_RF_KEYMAT),
    TK_RULE(CKA_VALUE, BYTES, TK_CB_PRIV, TK_FAM_EC, TK_R_SECRETMAT),

    /* secret keys: AES, generic and HMAC, ChaCha20 */
    TK_RULE(CKA_VALUE, BYTES, TK_CB_SECRET, TK_FAM_SYM, TK_R_SECRETMAT),
    TK_RULE(CKA_VALUE_LEN, ULONG, TK_CB_SECRET, TK_FAM_SYM, TK_RF_NOCREATE),

    /* ML-KEM, ML-DSA, SLH-DSA */
    TK_RULE(CKA_PARAMETER_SET, ULONG, TK_CB_PUB | TK_CB_PRIV, TK_FAM_PQC, 0),
    TK_RULE(CKA_VALUE, BYTES, TK_CB_PUB, TK_FAM_PQC, TK_RF_KEYMAT),
    TK_RULE(CKA_VALUE, BYTES, TK_CB_PRIV, TK_FAM_PQC, TK_R_SECRETMAT),
    TK_RULE(CKA_SEED, BYTES, TK_CB_PRIV, TK_FAM_MLKEM | TK_FAM_MLDSA, TK_R_SECRETMAT),

    /* profiles [PKCS11 3.2 §4.13] */
    TK_RULE(CKA_PROFILE_ID, ULONG, TK_CB_PROFILE, 0, 0),
};

/* See object_internal.h. */
uint32_t
tk_rule_class_bit(CK_OBJECT_CLASS cls)
{
    switch (cls) {
    case CKO_DATA:
        return TK_CB_DATA;
    case CKO_CERTIFICATE:
        return TK_CB_CERT;
    case CKO_PUBLIC_KEY:
        return TK_CB_PUB;
    case CKO_PRIVATE_KEY:
        return TK_CB_PRIV;
    case CKO_SECRET_KEY:
        return TK_CB_SECRET;
    case CKO_PROFILE:
        return TK_CB_PROFILE;
    default:
        return 0;
    }
}

static int
tk_rule_is_hmac(CK_KEY_TYPE type)
{
    static const CK_KEY_TYPE hmac[] = {
        CKK_SHA_1_HMAC,      CKK_SHA224_HMAC,     CKK_SHA256_HMAC,   CKK_SHA384_HMAC,
        CKK_SHA512_HMAC,     CKK_SHA3_224_HMAC,   CKK_SHA3_256_HMAC, CKK_SHA3_384_HMAC,
        CKK_SHA3_512_HMAC,   CKK_SHA512_224_HMAC, CKK_SHA512_256_HMAC,
    };

    for (size_t i = 0; i < sizeof(hmac) / sizeof(hmac[0]); i++) {
        if (hmac[i] == type) {
            return 1;
        }
    }
    return 0;
}

/* See object_internal.h. */
uint32_t
tk_rule_family(CK_KEY_TYPE type)
{
    switch (type) {
    case CKK_RSA:
        return TK_FAM_RSA;
    case CKK_EC:
    case CKK_EC_EDWARDS:
    case CKK_EC_MONTGOMERY:
        return TK_FAM_EC;
    case CKK_AES:
        return TK_FAM_AES;
    case CKK_GENERIC_SECRET:
    case CKK_HKDF:
        return TK_FAM_GENERIC;
    case CKK_CHACHA20:
        return TK_FAM_CHACHA;
    case CKK_ML_KEM:
        return TK_FAM_MLKEM;
    case CKK_ML_DSA:
        return TK_FAM_MLDSA;
    case CKK_SLH_DSA:
        return TK_FAM_SLHDSA;
    default:
        return tk_rule_is_hmac(type) ? TK_FAM_GENERIC : 0;
    }
}

/* See object_internal.h. */
const tk_attr_rule *
tk_rule_find(CK_ATTRIBUTE_TYPE type, uint32_t class_bit, uint32_t family)
{
    for (size_t i = 0; i < sizeof(tk_rules) / sizeof(tk_rules[0]); i++) {
        const tk_attr_rule *r = &tk_rules[i];
        if (r->type != type || (r->classes & class_bit) == 0) {
            continue;
        }
        if (r->families == 0 || (r->families & family) != 0) {
            return r;
        }
    }
    return NULL;
}

/* See object_internal.h. */
int
tk_rule_known(CK_ATTRIBUTE_TYPE type)
{
    for (size_t i = 0; i < sizeof(tk_rules) / sizeof(tk_rules[0]); i++) {
        if (tk_rules[i].type == type) {
            return 1;
        }
    }
    return 0;
}

/* See object_internal.h. */
CK_RV
tk_rule_missing_rv(CK_ATTRIBUTE_TYPE type)
{
    return tk_rule_known(type) ? CKR_TEMPLATE_INCONSISTENT : CKR_ATTRIBUTE_TYPE_INVALID;
}

static int
tk_rule_date_ok(const uint8_t *d)
{
    for (size_t i = 0; i < sizeof(CK_DATE); i++) {
        if (d[i] < '0' || d[i] > '9') {
            return 0;
        }
    }
    return 1;
}

/* See object_internal.h. */
CK_RV
tk_rule_check_value(tk_attr_kind kind, const void *value, CK_ULONG len)
{
    const uint8_t *p = value;

    if (len > TK_ATTR_MAX_LEN || (len > 0 && value == NULL)) {
        return CKR_ATTRIBUTE_VALUE_INVALID;
    }
    switch (kind) {
    case TK_KIND_BOOL:
        return len == sizeof(CK_BBOOL) && p[0] <= 1 ? CKR_OK : CKR_ATTRIBUTE_VALUE_INVALID;
    case TK_KIND_ULONG:
        return len == sizeof(CK_ULONG) ? CKR_OK : CKR_ATTRIBUTE_VALUE_INVALID;
    case TK_KIND_DATE:
        /* An empty date is how the spec says "not given". */
        if (len == 0 || (len == sizeof(CK_DATE) && tk_rule_date_ok(p))) {
            return CKR_OK;
        }
        return CKR_ATTRIBUTE_VALUE_INVALID;
    case TK_KIND_MECHS:
        return len % sizeof(CK_MECHANISM_TYPE) == 0 ? CKR_OK : CKR_ATTRIBUTE_VALUE_INVALID;
    case TK_KIND_TMPL:
        return len % sizeof(CK_ATTRIBUTE) == 0 ? CKR_OK : CKR_ATTRIBUTE_VALUE_INVALID;
    case TK_KIND_BYTES:
    default:
        return CKR_OK;
    }
}

/* See object_internal.h. */
void
tk_rule_object_where(const tk_object *obj, uint32_t *class_bit, uint32_t *family)
{
    *class_bit = tk_rule_class_bit(obj->cls);
    *family = 0;
    if ((*class_bit & TK_CB_KEYS) != 0) {
        *family = tk_rule_family(tk_attrs_ulong(&obj->attrs, CKA_KEY_TYPE, 0xffffffffUL));
    }
}

/* See object_internal.h. */
int
tk_rule_is_hidden(const tk_object *obj, CK_ATTRIBUTE_TYPE type)
{
    uint32_t cb = 0;
    uint32_t fam = 0;
    const tk_attr_rule *r;

    /* Cheap exit first: only private and secret keys hold secrets. */
    if (obj->cls != CKO_PRIVATE_KEY && obj->cls != CKO_SECRET_KEY) {
        return 0;
    }
    tk_rule_object_where(obj, &cb, &fam);
    /* A key of no known type (only a damaged store could hold one) is
     * judged by the strictest row of its class. */
    r = tk_rule_find(type, cb, fam != 0 ? fam : ~0u);
    if (r == NULL || (r->flags & TK_RF_SECRET) == 0) {
        return 0;
    }
    return tk_attrs_bool(&obj->attrs, CKA_SENSITIVE, CK_TRUE) ||
           !tk_attrs_bool(&obj->attrs, CKA_EXTRACTABLE, CK_FALSE);
}
