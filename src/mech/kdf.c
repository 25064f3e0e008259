/*
 * Mechanism family: key derivation. See mech_internal.h for how families
 * plug in and kdf_internal.h for where each mechanism lives; this file
 * has the table, the helpers the mechanisms share and CKM_HKDF_KEY_GEN.
 */
#include <string.h>

#include "crypto/ossl/rand.h"
#include "mech/kdf_internal.h"
#include "util/check.h"
#include "util/wipe.h"

/* The longest CKK_HKDF key CKM_HKDF_KEY_GEN makes, in bytes. */
#define TK_HKDF_GEN_MAX 1024

CK_RV
tk_kdf_hash_md(CK_MECHANISM_TYPE hash, tk_md_id *md)
{
    return tk_mech_digest_md(hash, md) ? CKR_OK : CKR_MECHANISM_PARAM_INVALID;
}

CK_RV
tk_kdf_base_value(const tk_key *key, const CK_KEY_TYPE *types, size_t n, const uint8_t **val,
                  CK_ULONG *len)
{
    const CK_ATTRIBUTE *v;
    size_t i = 0;

    if (key == NULL || key->cls != CKO_SECRET_KEY) {
        return CKR_KEY_TYPE_INCONSISTENT;
    }
    while (i < n && types[i] != key->type) {
        i++;
    }
    if (i == n) {
        return CKR_KEY_TYPE_INCONSISTENT;
    }
    v = tk_key_attr(key, CKA_VALUE);
    if (v == NULL || v->pValue == NULL || v->ulValueLen == 0) {
        return CKR_KEY_SIZE_RANGE;
    }
    *val = v->pValue;
    *len = v->ulValueLen;
    return CKR_OK;
}

CK_RV
tk_kdf_want_len(const CK_ATTRIBUTE *tmpl, CK_ULONG n, CK_ULONG max, CK_ULONG *len)
{
    CK_RV rv = CKR_OK;
    const CK_ATTRIBUTE *vl = tk_tmpl_find(tmpl, n, CKA_VALUE_LEN);
    CK_KEY_TYPE type = tk_tmpl_ulong(tmpl, n, CKA_KEY_TYPE, CKK_GENERIC_SECRET);
    CK_ULONG want;

    if (vl == NULL) {
        /* Only ChaCha20 has one size; AES has three, the rest any. */
        TK_CHECK(type == CKK_CHACHA20, CKR_TEMPLATE_INCOMPLETE);
        want = 32;
    } else {
        TK_CHECK(vl->pValue != NULL && vl->ulValueLen == sizeof(CK_ULONG),
                 CKR_ATTRIBUTE_VALUE_INVALID);
        memcpy(&want, vl->pValue, sizeof(want));
    }
    TK_CHECK(want > 0 && want <= max, CKR_ATTRIBUTE_VALUE_INVALID);
    *len = want;
out:
    return rv;
}

CK_RV
tk_kdf_out(const CK_ATTRIBUTE *tmpl, CK_ULONG n, CK_OBJECT_CLASS cls, const uint8_t *val,
           CK_ULONG len, tk_mech_attrs *out)
{
    CK_RV rv = CKR_OK;

    TK_GUARD(tk_mech_attrs_add(out, CKA_CLASS, &cls, sizeof(cls)));
    TK_GUARD(tk_mech_attrs_add(out, CKA_VALUE, val, len));
    if (cls != CKO_SECRET_KEY) {
        goto out;
    }
    TK_GUARD(tk_mech_attrs_add_ulong(out, CKA_VALUE_LEN, len));
    if (tk_tmpl_find(tmpl, n, CKA_KEY_TYPE) == NULL) {
        TK_GUARD(tk_mech_attrs_add_ulong(out, CKA_KEY_TYPE, CKK_GENERIC_SECRET));
    }
out:
    return rv;
}

/* CKM_HKDF_KEY_GEN: CKA_VALUE_LEN random bytes [PKCS11 3.2 §6.62.6]. */
static CK_RV
tk_kdf_hkdf_generate(const tk_mech_desc *d, const CK_MECHANISM *m, const CK_ATTRIBUTE *tmpl,
                     CK_ULONG n, CK_KEY_TYPE *key_type, tk_mech_attrs *out)
{
    CK_RV rv = CKR_OK;
    const CK_ATTRIBUTE *vl = tk_tmpl_find(tmpl, n, CKA_VALUE_LEN);
    uint8_t val[TK_HKDF_GEN_MAX];
    CK_ULONG len = 0;

    TK_CHECK(m->pParameter == NULL && m->ulParameterLen == 0, CKR_MECHANISM_PARAM_INVALID);
    /* Required even though the template's key type may not need it. */
    TK_CHECK(vl != NULL, CKR_TEMPLATE_INCOMPLETE);
    TK_GUARD(tk_kdf_want_len(tmpl, n, d->max_key, &len));
    TK_GUARD(tk_ossl_random(val, len));
    TK_GUARD(tk_mech_attrs_add(out, CKA_VALUE, val, len));
    TK_GUARD(tk_mech_attrs_add_ulong(out, CKA_VALUE_LEN, len));
    *key_type = CKK_HKDF;
out:
    tk_wipe(val, sizeof(val));
    return rv;
}

/*
 * Key sizes: bytes for HKDF and PBKDF2 (the key they take or make), bits
 * for SP 800-108, whose base key [PKCS11 3.2 §6.42] counts in bits.
 * TODO: no CKM_SP800_108_DOUBLE_PIPELINE_KDF yet, and no additional
 * derived keys or CK_SP800_108_KEY_HANDLE inputs in the other two (see
 * kdf_sp800.c); C_GetMechanismList omits the first, and the others answer
 * CKR_MECHANISM_PARAM_INVALID.
 */
static const tk_mech_desc tk_kdf_table[] = {
    {.type = CKM_SP800_108_COUNTER_KDF, .min_key = 8, .max_key = TK_KDF_MAX_OUT * 8,
     .flags = CKF_DERIVE, .derive = tk_kdf_sp800_derive},
    {.type = CKM_SP800_108_FEEDBACK_KDF, .min_key = 8, .max_key = TK_KDF_MAX_OUT * 8,
     .flags = CKF_DERIVE, .derive = tk_kdf_sp800_derive},
    {.type = CKM_PKCS5_PBKD2, .min_key = 1, .max_key = TK_KDF_MAX_OUT, .flags = CKF_GENERATE,
     .generate = tk_kdf_pbkdf2_generate},
    {.type = CKM_HKDF_DERIVE, .min_key = 1, .max_key = TK_KDF_MAX_OUT, .flags = CKF_DERIVE,
     .derive = tk_kdf_hkdf_derive},
    {.type = CKM_HKDF_DATA, .min_key = 1, .max_key = TK_KDF_MAX_OUT, .flags = CKF_DERIVE,
     .derive = tk_kdf_hkdf_derive},
    {.type = CKM_HKDF_KEY_GEN, .min_key = 1, .max_key = TK_HKDF_GEN_MAX, .flags = CKF_GENERATE,
     .generate = tk_kdf_hkdf_generate},
};

tk_mech_family
tk_mech_family_kdf(void)
{
    tk_mech_family fam = {tk_kdf_table, sizeof(tk_kdf_table) / sizeof(tk_kdf_table[0])};

    return fam;
}
