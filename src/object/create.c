/*
 * tk_object_create: the creation rules of [PKCS11 3.2 §4.1] per class and
 * key family, then defaults and derived attributes. See object.h.
 */
#include <stdio.h>
#include <string.h>

#include "crypto/ossl/rand.h"
#include "crypto/ossl/x509.h"
#include "object/object.h"
#include "object/object_internal.h"
#include "util/check.h"

/* What kind of object a template asks for. */
typedef struct {
    CK_OBJECT_CLASS cls;
    uint32_t cb;  /* TK_CB_* */
    uint32_t fam; /* TK_FAM_*, 0 for non-keys */
} tk_create_where;

/* Look type up in tmpl (first) or extra; a CK_ULONG of the wrong size is
 * CKR_ATTRIBUTE_VALUE_INVALID, absence CKR_TEMPLATE_INCOMPLETE. */
static CK_RV
tk_create_ulong(const CK_ATTRIBUTE *tmpl, CK_ULONG count, const tk_attrs *extra,
                CK_ATTRIBUTE_TYPE type, CK_ULONG *out)
{
    const tk_attr *a;

    for (CK_ULONG i = 0; i < count; i++) {
        if (tmpl[i].type != type) {
            continue;
        }
        if (tmpl[i].pValue == NULL || tmpl[i].ulValueLen != sizeof(CK_ULONG)) {
            return CKR_ATTRIBUTE_VALUE_INVALID;
        }
        memcpy(out, tmpl[i].pValue, sizeof(CK_ULONG));
        return CKR_OK;
    }
    a = tk_attrs_find(extra, type);
    if (a == NULL) {
        return CKR_TEMPLATE_INCOMPLETE;
    }
    if (a->value == NULL || a->len != sizeof(CK_ULONG)) {
        return CKR_ATTRIBUTE_VALUE_INVALID;
    }
    memcpy(out, a->value, sizeof(CK_ULONG));
    return CKR_OK;
}

/* Class and key family; classes the caller may not create are refused. */
static CK_RV
tk_create_find_where(const CK_ATTRIBUTE *tmpl, CK_ULONG count, const tk_attrs *extra,
                     const tk_obj_ctx *ctx, tk_create_where *w)
{
    CK_RV rv = CKR_OK;
    CK_KEY_TYPE kt = 0;

    TK_GUARD(tk_create_ulong(tmpl, count, extra, CKA_CLASS, &w->cls));
    w->cb = tk_rule_class_bit(w->cls);
    w->fam = 0;
    TK_CHECK(w->cb != 0, CKR_ATTRIBUTE_VALUE_INVALID);
    /* Profile objects describe the token; only the token makes them. */
    TK_CHECK(w->cb != TK_CB_PROFILE || ctx->origin == TK_ORIGIN_STORE,
             CKR_ATTRIBUTE_VALUE_INVALID);
    if ((w->cb & TK_CB_KEYS) == 0) {
        goto out;
    }
    TK_GUARD(tk_create_ulong(tmpl, count, extra, CKA_KEY_TYPE, &kt));
    w->fam = tk_rule_family(kt);
    TK_CHECK(w->fam != 0, CKR_ATTRIBUTE_VALUE_INVALID);
    /* Symmetric key types make secret keys only, the others key pairs. */
    TK_CHECK(((w->fam & TK_FAM_SYM) != 0) == (w->cb == TK_CB_SECRET),
             CKR_TEMPLATE_INCONSISTENT);
out:
    return rv;
}

/* May the caller give this attribute when creating through ctx->origin? */
static CK_RV
tk_create_check_origin(const tk_attr_rule *r, const CK_ATTRIBUTE *a, const tk_obj_ctx *ctx)
{
    if (ctx->origin == TK_ORIGIN_STORE) {
        return CKR_OK;
    }
    if ((r->flags & TK_RF_TOKEN) != 0) {
        return CKR_ATTRIBUTE_READ_ONLY;
    }
    if ((r->flags & TK_RF_NOINPUT) != 0) {
        return CKR_ATTRIBUTE_TYPE_INVALID;
    }
    if ((r->flags & TK_RF_NOCREATE) != 0 && ctx->origin == TK_ORIGIN_CREATE) {
        return CKR_ATTRIBUTE_READ_ONLY;
    }
    /* Generated, derived and unwrapped keys get their material from the
     * operation; a value in the template contradicts it. */
    if ((r->flags & TK_RF_KEYMAT) != 0 && ctx->origin != TK_ORIGIN_CREATE) {
        return CKR_TEMPLATE_INCONSISTENT;
    }
    if ((r->flags & TK_RF_SO) != 0 && ctx->user != CKU_SO && a->ulValueLen == 1 &&
        ((const CK_BBOOL *)a->pValue)[0] == CK_TRUE) {
        return CKR_ATTRIBUTE_READ_ONLY;
    }
    return CKR_OK;
}

/* Same type twice is fine only with the same value. */
static CK_RV
tk_create_check_dup(const CK_ATTRIBUTE *tmpl, CK_ULONG i)
{
    for (CK_ULONG j = 0; j < i; j++) {
        if (tmpl[j].type != tmpl[i].type) {
            continue;
        }
        if (tmpl[j].ulValueLen != tmpl[i].ulValueLen ||
            (tmpl[i].ulValueLen > 0 &&
             memcmp(tmpl[j].pValue, tmpl[i].pValue, tmpl[i].ulValueLen) != 0)) {
            return CKR_TEMPLATE_INCONSISTENT;
        }
    }
    return CKR_OK;
}

static CK_RV
tk_create_check_template(const CK_ATTRIBUTE *tmpl, CK_ULONG count, const tk_obj_ctx *ctx,
                         const tk_create_where *w)
{
    CK_RV rv = CKR_OK;

    for (CK_ULONG i = 0; i < count; i++) {
        const tk_attr_rule *r = tk_rule_find(tmpl[i].type, w->cb, w->fam);
        TK_CHECK(r != NULL, tk_rule_missing_rv(tmpl[i].type));
        TK_GUARD(tk_rule_check_value(r->kind, tmpl[i].pValue, tmpl[i].ulValueLen));
        TK_GUARD(tk_create_check_origin(r, &tmpl[i], ctx));
        TK_GUARD(tk_create_check_dup(tmpl, i));
    }
out:
    return rv;
}

/* 1 when the caller's attribute (may be NULL) equals the token's. */
static int
tk_create_agrees(const tk_attr *mine, const tk_attr *token)
{
    if (mine == NULL) {
        return 1;
    }
    if (mine->nested != NULL || token->nested != NULL || mine->len != token->len) {
        return 0;
    }
    return mine->len == 0 || memcmp(mine->value, token->value, mine->len) == 0;
}

/* The caller's template, then what the token supplies on top. */
static CK_RV
tk_create_fill(tk_object *obj, const CK_ATTRIBUTE *tmpl, CK_ULONG count,
               const tk_attrs *extra, const tk_create_where *w)
{
    CK_RV rv = CKR_OK;
    tk_attrs copy = { 0 };

    for (CK_ULONG i = 0; i < count; i++) {
        const tk_attr_rule *r = tk_rule_find(tmpl[i].type, w->cb, w->fam);
        if (r != NULL && (r->flags & TK_RF_IGNORED) != 0) {
            continue;
        }
        TK_GUARD(tk_attrs_set(&obj->attrs, tmpl[i].type, tmpl[i].pValue, tmpl[i].ulValueLen));
    }
    if (extra == NULL) {
        goto out;
    }
    TK_GUARD(tk_attrs_copy(&copy, extra));
    for (size_t i = 0; i < copy.n; i++) {
        tk_attr *a = &copy.v[i];
        /* The caller may repeat what the operation supplies, not
         * contradict it [PKCS11 3.2 §4.1.1]. */
        TK_CHECK(tk_create_agrees(tk_attrs_find(&obj->attrs, a->type), a),
                 CKR_TEMPLATE_INCONSISTENT);
        if (a->nested != NULL) {
            TK_GUARD(tk_attrs_set_nested(&obj->attrs, a->type, a->nested));
            a->nested = NULL;
        } else {
            TK_GUARD(tk_attrs_set(&obj->attrs, a->type, a->value, a->len));
        }
    }
out:
    tk_attrs_clear(&copy);
    return rv;
}

typedef struct {
    uint32_t cb;
    uint32_t fam; /* 0: any */
    CK_ATTRIBUTE_TYPE type;
} tk_required_rule;

static const tk_required_rule tk_required[] = {
    { TK_CB_CERT, 0, CKA_CERTIFICATE_TYPE },
    { TK_CB_CERT, 0, CKA_VALUE },
    { TK_CB_PROFILE, 0, CKA_PROFILE_ID },
    { TK_CB_PUB, TK_FAM_RSA, CKA_MODULUS },
    { TK_CB_PUB, TK_FAM_RSA, CKA_PUBLIC_EXPONENT },
    { TK_CB_PRIV, TK_FAM_RSA, CKA_MODULUS },
    { TK_CB_PRIV, TK_FAM_RSA, CKA_PRIVATE_EXPONENT },
    /* required since v2.40 so the public key can be recovered */
    { TK_CB_PRIV, TK_FAM_RSA, CKA_PUBLIC_EXPONENT },
    { TK_CB_PUB, TK_FAM_EC, CKA_EC_PARAMS },
    { TK_CB_PUB, TK_FAM_EC, CKA_EC_POINT },
    { TK_CB_PRIV, TK_FAM_EC, CKA_EC_PARAMS },
    { TK_CB_PRIV, TK_FAM_EC, CKA_VALUE },
    { TK_CB_SECRET, TK_FAM_SYM, CKA_VALUE },
    { TK_CB_PUB, TK_FAM_PQC, CKA_PARAMETER_SET },
    { TK_CB_PUB, TK_FAM_PQC, CKA_VALUE },
    { TK_CB_PRIV, TK_FAM_PQC, CKA_PARAMETER_SET },
};

static int
tk_create_has_bytes(const tk_object *obj, CK_ATTRIBUTE_TYPE type)
{
    const tk_attr *a = tk_attrs_find(&obj->attrs, type);

    return a != NULL && a->len > 0;
}

static CK_RV
tk_create_check_required(const tk_object *obj, const tk_create_where *w)
{
    CK_RV rv = CKR_OK;

    for (size_t i = 0; i < sizeof(tk_required) / sizeof(tk_required[0]); i++) {
        const tk_required_rule *q = &tk_required[i];
        if ((q->cb & w->cb) == 0 || (q->fam != 0 && (q->fam & w->fam) == 0)) {
            continue;
        }
        TK_CHECK(tk_attrs_find(&obj->attrs, q->type) != NULL, CKR_TEMPLATE_INCOMPLETE);
    }
    /* A PQC private key is its expanded value, its seed, or both. */
    if (w->cb == TK_CB_PRIV && (w->fam & TK_FAM_PQC) != 0) {
        TK_CHECK(tk_attrs_find(&obj->attrs, CKA_VALUE) != NULL ||
                     tk_attrs_find(&obj->attrs, CKA_SEED) != NULL,
                 CKR_TEMPLATE_INCOMPLETE);
    }
    /* A certificate without a value must say where it lives and whom it
     * names; one given by URL must carry the key hashes that let
     * applications match it [PKCS11 3.2 §4.6.3]. */
    if (w->cb == TK_CB_CERT && !tk_create_has_bytes(obj, CKA_VALUE)) {
        TK_CHECK(tk_create_has_bytes(obj, CKA_URL), CKR_TEMPLATE_INCOMPLETE);
        TK_CHECK(tk_attrs_find(&obj->attrs, CKA_SUBJECT) != NULL, CKR_TEMPLATE_INCOMPLETE);
    }
    if (w->cb == TK_CB_CERT && tk_create_has_bytes(obj, CKA_URL)) {
        TK_CHECK(tk_create_has_bytes(obj, CKA_HASH_OF_SUBJECT_PUBLIC_KEY) &&
                     tk_create_has_bytes(obj, CKA_HASH_OF_ISSUER_PUBLIC_KEY),
                 CKR_TEMPLATE_INCOMPLETE);
    }
out:
    return rv;
}

/* Expected lengths of PQC keys per parameter set; 0 where no set. */
typedef struct {
    uint32_t fam;
    CK_ULONG set;
    size_t pub;
    size_t priv;
    size_t seed;
} tk_pqc_sizes;

static const tk_pqc_sizes tk_pqc_table[] = {
    { TK_FAM_MLKEM, CKP_ML_KEM_512, 800, 1632, 64 },
    { TK_FAM_MLKEM, CKP_ML_KEM_768, 1184, 2400, 64 },
    { TK_FAM_MLKEM, CKP_ML_KEM_1024, 1568, 3168, 64 },
    { TK_FAM_MLDSA, CKP_ML_DSA_44, 1312, 2560, 32 },
    { TK_FAM_MLDSA, CKP_ML_DSA_65, 1952, 4032, 32 },
    { TK_FAM_MLDSA, CKP_ML_DSA_87, 2592, 4896, 32 },
};

static int
tk_create_pqc_sizes(uint32_t fam, CK_ULONG set, tk_pqc_sizes *out)
{
    for (size_t i = 0; i < sizeof(tk_pqc_table) / sizeof(tk_pqc_table[0]); i++) {
        if (tk_pqc_table[i].fam == fam && tk_pqc_table[i].set == set) {
            *out = tk_pqc_table[i];
            return 1;
        }
    }
    /* SLH-DSA: sets 1-4 have n = 16, 5-8 n = 24, 9-12 n = 32; the public
     * key is 2n bytes and the private key 4n [FIPS 205 Table 2]. */
    if (fam == TK_FAM_SLHDSA && set >= CKP_SLH_DSA_SHA2_128S && set <= CKP_SLH_DSA_SHAKE_256F) {
        size_t n = 16 + 8 * ((set - 1) / 4);
        *out = (tk_pqc_sizes){ fam, set, 2 * n, 4 * n, 0 };
        return 1;
    }
    return 0;
}

static CK_RV
tk_create_len_is(const tk_object *obj, CK_ATTRIBUTE_TYPE type, size_t want)
{
    const tk_attr *a = tk_attrs_find(&obj->attrs, type);

    if (a == NULL || a->len == want) {
        return CKR_OK;
    }
    return CKR_ATTRIBUTE_VALUE_INVALID;
}

static CK_RV
tk_create_check_pqc(const tk_object *obj, const tk_create_where *w)
{
    CK_RV rv = CKR_OK;
    tk_pqc_sizes sz;
    CK_ULONG set = tk_attrs_ulong(&obj->attrs, CKA_PARAMETER_SET, 0);

    TK_CHECK(tk_create_pqc_sizes(w->fam, set, &sz), CKR_ATTRIBUTE_VALUE_INVALID);
    if (w->cb == TK_CB_PUB) {
        TK_GUARD(tk_create_len_is(obj, CKA_VALUE, sz.pub));
    } else {
        TK_GUARD(tk_create_len_is(obj, CKA_VALUE, sz.priv));
        TK_GUARD(tk_create_len_is(obj, CKA_SEED, sz.seed));
    }
out:
    return rv;
}

static CK_RV
tk_create_check_secret(const tk_object *obj, const tk_create_where *w)
{
    CK_RV rv = CKR_OK;
    const tk_attr *v = tk_attrs_find(&obj->attrs, CKA_VALUE);
    const tk_attr *vl = tk_attrs_find(&obj->attrs, CKA_VALUE_LEN);

    if (w->fam == TK_FAM_AES) {
        TK_CHECK(v->len == 16 || v->len == 24 || v->len == 32, CKR_ATTRIBUTE_VALUE_INVALID);
    } else if (w->fam == TK_FAM_CHACHA) {
        TK_CHECK(v->len == 32, CKR_ATTRIBUTE_VALUE_INVALID);
    } else {
        TK_CHECK(v->len > 0, CKR_ATTRIBUTE_VALUE_INVALID);
    }
    /* A length asked for on generation must be the length made. */
    TK_CHECK(vl == NULL || tk_attrs_ulong(&obj->attrs, CKA_VALUE_LEN, 0) == v->len,
             CKR_TEMPLATE_INCONSISTENT);
out:
    return rv;
}

static CK_RV
tk_create_check_values(const tk_object *obj, const tk_create_where *w)
{
    CK_RV rv = CKR_OK;

    if (w->cb == TK_CB_CERT) {
        TK_CHECK(tk_attrs_ulong(&obj->attrs, CKA_CERTIFICATE_TYPE, ~0UL) == CKC_X_509,
                 CKR_ATTRIBUTE_VALUE_INVALID);
        TK_CHECK(tk_attrs_ulong(&obj->attrs, CKA_CERTIFICATE_CATEGORY, 0) <=
                     CK_CERTIFICATE_CATEGORY_OTHER_ENTITY,
                 CKR_ATTRIBUTE_VALUE_INVALID);
    } else if (w->cb == TK_CB_SECRET) {
        TK_GUARD(tk_create_check_secret(obj, w));
    } else if (w->fam == TK_FAM_RSA) {
        TK_CHECK(tk_create_has_bytes(obj, CKA_MODULUS), CKR_ATTRIBUTE_VALUE_INVALID);
        TK_CHECK(w->cb == TK_CB_PRIV || tk_create_has_bytes(obj, CKA_PUBLIC_EXPONENT),
                 CKR_ATTRIBUTE_VALUE_INVALID);
    } else if (w->fam == TK_FAM_EC) {
        TK_CHECK(tk_create_has_bytes(obj, CKA_EC_PARAMS), CKR_ATTRIBUTE_VALUE_INVALID);
    } else if ((w->fam & TK_FAM_PQC) != 0) {
        TK_GUARD(tk_create_check_pqc(obj, w));
    }
out:
    return rv;
}

/* Set type from the certificate when the caller did not give it. */
static CK_RV
tk_create_cert_field(tk_object *obj, CK_ATTRIBUTE_TYPE type, const uint8_t *v, size_t len)
{
    if (tk_attrs_find(&obj->attrs, type) != NULL) {
        return CKR_OK;
    }
    return tk_attrs_set(&obj->attrs, type, v, (CK_ULONG)len);
}

static CK_RV
tk_create_cert_fields(tk_object *obj)
{
    CK_RV rv = CKR_OK;
    tk_x509_fields f = { 0 };
    const tk_attr *value = tk_attrs_find(&obj->attrs, CKA_VALUE);
    const tk_attr *check;

    if (value == NULL || value->len == 0) {
        goto out;
    }
    TK_GUARD(tk_ossl_x509_fields(value->value, value->len, &f));
    /* A check value the caller gives must be the certificate's. */
    check = tk_attrs_find(&obj->attrs, CKA_CHECK_VALUE);
    TK_CHECK(check == NULL || (check->len == 3 && memcmp(check->value, f.check_value, 3) == 0),
             CKR_ATTRIBUTE_VALUE_INVALID);
    TK_GUARD(tk_create_cert_field(obj, CKA_SUBJECT, f.subject, f.subject_len));
    TK_GUARD(tk_create_cert_field(obj, CKA_ISSUER, f.issuer, f.issuer_len));
    TK_GUARD(tk_create_cert_field(obj, CKA_SERIAL_NUMBER, f.serial, f.serial_len));
    TK_GUARD(tk_create_cert_field(obj, CKA_PUBLIC_KEY_INFO, f.spki, f.spki_len));
    TK_GUARD(tk_create_cert_field(obj, CKA_CHECK_VALUE, f.check_value, 3));
out:
    tk_ossl_x509_fields_free(&f);
    return rv;
}

/* A default: set when absent. Kind decides the value's layout. */
typedef struct {
    uint32_t cb;
    uint32_t fam; /* 0: any */
    CK_ATTRIBUTE_TYPE type;
    tk_attr_kind kind;
    CK_ULONG value; /* BOOL and ULONG; others default to empty */
} tk_default_rule;

#define TK_DEF_B(cb, fam, t, v) { (cb), (fam), (t), TK_KIND_BOOL, (v) }
#define TK_DEF_U(cb, fam, t, v) { (cb), (fam), (t), TK_KIND_ULONG, (v) }
#define TK_DEF_E(cb, fam, t) { (cb), (fam), (t), TK_KIND_BYTES, 0 }
#define TK_DEF_T(cb, fam, t) { (cb), (fam), (t), TK_KIND_TMPL, 0 }

/* Token defaults: permissive usage flags, but secrets start sensitive and
 * unextractable so a forgotten attribute never exposes a key. */
static const tk_default_rule tk_defaults[] = {
    TK_DEF_B(TK_CB_ALL, 0, CKA_TOKEN, CK_FALSE),
    TK_DEF_B(TK_CB_PRIV | TK_CB_SECRET, 0, CKA_PRIVATE, CK_TRUE),
    TK_DEF_B(TK_CB_DATA | TK_CB_CERT | TK_CB_PUB | TK_CB_PROFILE, 0, CKA_PRIVATE, CK_FALSE),
    TK_DEF_B(TK_CB_ALL, 0, CKA_MODIFIABLE, CK_TRUE),
    TK_DEF_B(TK_CB_ALL, 0, CKA_COPYABLE, CK_TRUE),
    TK_DEF_B(TK_CB_ALL, 0, CKA_DESTROYABLE, CK_TRUE),
    TK_DEF_E(TK_CB_ALL, 0, CKA_LABEL),
    TK_DEF_E(TK_CB_DATA, 0, CKA_APPLICATION),
    TK_DEF_E(TK_CB_DATA, 0, CKA_OBJECT_ID),
    TK_DEF_E(TK_CB_DATA, 0, CKA_VALUE),
    TK_DEF_B(TK_CB_CERT | TK_CB_PUB | TK_CB_SECRET, 0, CKA_TRUSTED, CK_FALSE),
    TK_DEF_U(TK_CB_CERT, 0, CKA_CERTIFICATE_CATEGORY, CK_CERTIFICATE_CATEGORY_UNSPECIFIED),
    TK_DEF_U(TK_CB_CERT, 0, CKA_JAVA_MIDP_SECURITY_DOMAIN, CK_SECURITY_DOMAIN_UNSPECIFIED),
    TK_DEF_U(TK_CB_CERT, 0, CKA_NAME_HASH_ALGORITHM, CKM_SHA_1),
    TK_DEF_E(TK_CB_CERT, 0, CKA_ISSUER),
    TK_DEF_E(TK_CB_CERT, 0, CKA_SERIAL_NUMBER),
    TK_DEF_E(TK_CB_CERT, 0, CKA_URL),
    TK_DEF_E(TK_CB_CERT, 0, CKA_HASH_OF_SUBJECT_PUBLIC_KEY),
    TK_DEF_E(TK_CB_CERT, 0, CKA_HASH_OF_ISSUER_PUBLIC_KEY),
    TK_DEF_E(TK_CB_CERT | TK_CB_KEYS, 0, CKA_ID),
    TK_DEF_E(TK_CB_CERT | TK_CB_KEYS, 0, CKA_START_DATE),
    TK_DEF_E(TK_CB_CERT | TK_CB_KEYS, 0, CKA_END_DATE),
    TK_DEF_E(TK_CB_CERT | TK_CB_PUB | TK_CB_PRIV, 0, CKA_PUBLIC_KEY_INFO),
    TK_DEF_B(TK_CB_KEYS, 0, CKA_DERIVE, CK_FALSE),
    /* no CKA_ALLOWED_MECHANISMS default: absent means unrestricted */
    TK_DEF_E(TK_CB_PUB | TK_CB_PRIV, 0, CKA_SUBJECT),
    TK_DEF_B(TK_CB_PUB | TK_CB_SECRET, 0, CKA_ENCRYPT, CK_TRUE),
    TK_DEF_B(TK_CB_PUB | TK_CB_SECRET, 0, CKA_VERIFY, CK_TRUE),
    TK_DEF_B(TK_CB_PUB, 0, CKA_VERIFY_RECOVER, CK_TRUE),
    TK_DEF_B(TK_CB_PUB | TK_CB_SECRET, 0, CKA_WRAP, CK_TRUE),
    TK_DEF_T(TK_CB_PUB | TK_CB_SECRET, 0, CKA_WRAP_TEMPLATE),
    /* the first matching default wins: KEM keys encapsulate */
    TK_DEF_B(TK_CB_PUB, TK_FAM_MLKEM, CKA_ENCAPSULATE, CK_TRUE),
    TK_DEF_B(TK_CB_PUB, 0, CKA_ENCAPSULATE, CK_FALSE),
    TK_DEF_T(TK_CB_PUB, 0, CKA_ENCAPSULATE_TEMPLATE),
    TK_DEF_B(TK_CB_PRIV, 0, CKA_SENSITIVE, CK_TRUE),
    /* [PKCS11 3.2 §4.11] fixes this default; the key stays hidden anyway
     * while CKA_EXTRACTABLE keeps its CK_FALSE default */
    TK_DEF_B(TK_CB_SECRET, 0, CKA_SENSITIVE, CK_FALSE),
    TK_DEF_B(TK_CB_PRIV | TK_CB_SECRET, 0, CKA_DECRYPT, CK_TRUE),
    TK_DEF_B(TK_CB_PRIV | TK_CB_SECRET, 0, CKA_SIGN, CK_TRUE),
    TK_DEF_B(TK_CB_PRIV, 0, CKA_SIGN_RECOVER, CK_TRUE),
    TK_DEF_B(TK_CB_PRIV | TK_CB_SECRET, 0, CKA_UNWRAP, CK_TRUE),
    TK_DEF_B(TK_CB_PRIV | TK_CB_SECRET, 0, CKA_EXTRACTABLE, CK_FALSE),
    TK_DEF_B(TK_CB_PRIV | TK_CB_SECRET, 0, CKA_WRAP_WITH_TRUSTED, CK_FALSE),
    TK_DEF_T(TK_CB_PRIV | TK_CB_SECRET, 0, CKA_UNWRAP_TEMPLATE),
    TK_DEF_T(TK_CB_PRIV | TK_CB_SECRET, 0, CKA_DERIVE_TEMPLATE),
    TK_DEF_B(TK_CB_PRIV, 0, CKA_ALWAYS_AUTHENTICATE, CK_FALSE),
    TK_DEF_B(TK_CB_PRIV, TK_FAM_MLKEM, CKA_DECAPSULATE, CK_TRUE),
    TK_DEF_B(TK_CB_PRIV, 0, CKA_DECAPSULATE, CK_FALSE),
    TK_DEF_T(TK_CB_PRIV, 0, CKA_DECAPSULATE_TEMPLATE),
};

static CK_RV
tk_create_default(tk_object *obj, const tk_default_rule *d)
{
    CK_BBOOL b = (CK_BBOOL)d->value;
    CK_ULONG u = d->value;

    switch (d->kind) {
    case TK_KIND_BOOL:
        return tk_attrs_set(&obj->attrs, d->type, &b, sizeof(b));
    case TK_KIND_ULONG:
        return tk_attrs_set(&obj->attrs, d->type, &u, sizeof(u));
    default:
        /* Empty byte strings and empty templates alike. */
        return tk_attrs_set(&obj->attrs, d->type, NULL, 0);
    }
}

static CK_RV
tk_create_defaults(tk_object *obj, const tk_create_where *w)
{
    CK_RV rv = CKR_OK;

    for (size_t i = 0; i < sizeof(tk_defaults) / sizeof(tk_defaults[0]); i++) {
        const tk_default_rule *d = &tk_defaults[i];
        if ((d->cb & w->cb) == 0 || (d->fam != 0 && (d->fam & w->fam) == 0)) {
            continue;
        }
        if (tk_attrs_find(&obj->attrs, d->type) == NULL) {
            TK_GUARD(tk_create_default(obj, d));
        }
    }
out:
    return rv;
}

static CK_RV
tk_create_set_bool(tk_object *obj, CK_ATTRIBUTE_TYPE type, int v)
{
    CK_BBOOL b = v ? CK_TRUE : CK_FALSE;

    return tk_attrs_set(&obj->attrs, type, &b, sizeof(b));
}

static CK_RV
tk_create_set_ulong(tk_object *obj, CK_ATTRIBUTE_TYPE type, CK_ULONG v)
{
    return tk_attrs_set(&obj->attrs, type, &v, sizeof(v));
}

/* See object_internal.h. */
CK_RV
tk_object_new_unique_id(tk_attrs *attrs)
{
    CK_RV rv = CKR_OK;
    uint8_t raw[16];
    char hex[2 * sizeof(raw) + 1];

    TK_GUARD(tk_ossl_random(raw, sizeof(raw)));
    for (size_t i = 0; i < sizeof(raw); i++) {
        snprintf(&hex[2 * i], 3, "%02x", raw[i]);
    }
    TK_GUARD(tk_attrs_set(attrs, CKA_UNIQUE_ID, hex, 2 * sizeof(raw)));
out:
    return rv;
}

/* Bits of a big-endian unsigned integer without its leading zeros. */
static CK_ULONG
tk_create_bit_len(const uint8_t *p, size_t len)
{
    size_t i = 0;
    CK_ULONG bits;

    while (i < len && p[i] == 0) {
        i++;
    }
    if (i == len) {
        return 0;
    }
    bits = (CK_ULONG)(len - i - 1) * 8;
    for (uint8_t top = p[i]; top != 0; top >>= 1) {
        bits++;
    }
    return bits;
}

/* ALWAYS_SENSITIVE and NEVER_EXTRACTABLE from where the value came from. */
static CK_RV
tk_create_history(tk_object *obj, const tk_obj_ctx *ctx)
{
    CK_RV rv = CKR_OK;
    int sens = tk_attrs_bool(&obj->attrs, CKA_SENSITIVE, CK_TRUE);
    int extr = tk_attrs_bool(&obj->attrs, CKA_EXTRACTABLE, CK_FALSE);
    int always = 0;
    int never = 0;

    if (ctx->origin == TK_ORIGIN_GENERATE) {
        always = sens;
        never = !extr;
    } else if (ctx->origin == TK_ORIGIN_DERIVE) {
        always = sens && ctx->base_sensitive;
        never = !extr && ctx->base_never_extractable;
    }
    TK_GUARD(tk_create_set_bool(obj, CKA_ALWAYS_SENSITIVE, always));
    TK_GUARD(tk_create_set_bool(obj, CKA_NEVER_EXTRACTABLE, never));
out:
    return rv;
}

static CK_RV
tk_create_derived(tk_object *obj, const tk_create_where *w, const tk_obj_ctx *ctx)
{
    CK_RV rv = CKR_OK;
    int gen = ctx->origin == TK_ORIGIN_GENERATE;
    const tk_attr *a;

    if ((w->cb & TK_CB_KEYS) != 0) {
        TK_GUARD(tk_create_set_bool(obj, CKA_LOCAL, gen));
        TK_GUARD(tk_create_set_ulong(obj, CKA_KEY_GEN_MECHANISM,
                                     gen ? ctx->mech : CK_UNAVAILABLE_INFORMATION));
    }
    if (w->cb == TK_CB_PRIV || w->cb == TK_CB_SECRET) {
        TK_GUARD(tk_create_history(obj, ctx));
    }
    if (w->cb == TK_CB_SECRET) {
        a = tk_attrs_find(&obj->attrs, CKA_VALUE);
        TK_GUARD(tk_create_set_ulong(obj, CKA_VALUE_LEN, a->len));
    }
    if (w->cb == TK_CB_PUB && w->fam == TK_FAM_RSA) {
        a = tk_attrs_find(&obj->attrs, CKA_MODULUS);
        TK_GUARD(tk_create_set_ulong(obj, CKA_MODULUS_BITS, tk_create_bit_len(a->value, a->len)));
    }
    TK_GUARD(tk_object_new_unique_id(&obj->attrs));
out:
    return rv;
}

/* See object_internal.h. */
CK_RV
tk_object_check_consistent(const tk_object *obj)
{
    /* re-authentication only means something for a private object
     * [PKCS11 3.2 §4.10] */
    if (tk_attrs_bool(&obj->attrs, CKA_ALWAYS_AUTHENTICATE, CK_FALSE) &&
        !tk_attrs_bool(&obj->attrs, CKA_PRIVATE, CK_FALSE)) {
        return CKR_TEMPLATE_INCONSISTENT;
    }
    return CKR_OK;
}

/* Keys that arrive from outside the token, unwrapped or encapsulated, are
 * extractable unless the template says otherwise [PKCS11 3.2 §5.18]. */
static CK_RV
tk_create_extractable_default(tk_object *obj, const tk_obj_ctx *ctx, const tk_create_where *w)
{
    int outside = ctx->origin == TK_ORIGIN_UNWRAP || ctx->origin == TK_ORIGIN_ENCAPSULATE;

    if (!outside || (w->cb != TK_CB_PRIV && w->cb != TK_CB_SECRET) ||
        tk_attrs_find(&obj->attrs, CKA_EXTRACTABLE) != NULL) {
        return CKR_OK;
    }
    return tk_create_set_bool(obj, CKA_EXTRACTABLE, CK_TRUE);
}

static CK_RV
tk_create_build(tk_object *obj, const CK_ATTRIBUTE *tmpl, CK_ULONG count,
                const tk_attrs *extra, const tk_obj_ctx *ctx, const tk_create_where *w)
{
    CK_RV rv = CKR_OK;

    TK_GUARD(tk_create_fill(obj, tmpl, count, extra, w));
    TK_GUARD(tk_create_extractable_default(obj, ctx, w));
    TK_GUARD(tk_create_check_required(obj, w));
    TK_GUARD(tk_create_check_values(obj, w));
    if (w->cb == TK_CB_CERT) {
        TK_GUARD(tk_create_cert_fields(obj));
    }
    TK_GUARD(tk_create_defaults(obj, w));
    TK_GUARD(tk_object_check_consistent(obj));
    if (ctx->origin != TK_ORIGIN_STORE) {
        TK_GUARD(tk_create_derived(obj, w, ctx));
    } else if (tk_attrs_find(&obj->attrs, CKA_UNIQUE_ID) == NULL) {
        /* the token's own objects keep what they were given */
        TK_GUARD(tk_object_new_unique_id(&obj->attrs));
    }
out:
    return rv;
}

/* See object.h. */
CK_RV
tk_object_create(const CK_ATTRIBUTE *tmpl, CK_ULONG count, const tk_attrs *extra,
                 const tk_obj_ctx *ctx, tk_object **out)
{
    CK_RV rv = CKR_OK;
    tk_create_where w = { 0 };
    tk_object *obj = NULL;

    TK_CHECK(ctx != NULL && out != NULL && (tmpl != NULL || count == 0), CKR_ARGUMENTS_BAD);
    TK_GUARD(tk_create_find_where(tmpl, count, extra, ctx, &w));
    TK_GUARD(tk_create_check_template(tmpl, count, ctx, &w));
    TK_GUARD(tk_object_alloc(&obj));
    TK_GUARD(tk_create_build(obj, tmpl, count, extra, ctx, &w));
    tk_object_cache(obj);
    *out = obj;
    obj = NULL;
out:
    tk_object_free(obj);
    return rv;
}
