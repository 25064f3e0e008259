/*
 * CKM_HKDF_DERIVE and CKM_HKDF_DATA [PKCS11 3.2 §6.62]: HKDF [RFC 5869]
 * from a CKK_HKDF or generic secret base key, into a secret key or, for
 * CKM_HKDF_DATA, a data object.
 */
#include <stdlib.h>

#include "crypto/ossl/kdf.h"
#include "mech/kdf_internal.h"
#include "util/check.h"
#include "util/wipe.h"

/* What a CK_HKDF_PARAMS asks for, checked. */
typedef struct {
    tk_md_id md;
    tk_hkdf_mode mode;
    const uint8_t *salt;
    CK_ULONG salt_len;
    const uint8_t *info;
    CK_ULONG info_len;
} tk_hkdf_req;

static CK_RV
tk_hkdf_salt(const CK_HKDF_PARAMS *p, tk_hkdf_req *req)
{
    switch (p->ulSaltType) {
    case CKF_HKDF_SALT_NULL:
        return CKR_OK;
    case CKF_HKDF_SALT_DATA:
        /* An empty salt is CKF_HKDF_SALT_NULL's job. */
        if (p->pSalt == NULL || p->ulSaltLen == 0) {
            return CKR_MECHANISM_PARAM_INVALID;
        }
        req->salt = p->pSalt;
        req->salt_len = p->ulSaltLen;
        return CKR_OK;
    default:
        /* TODO: no CKF_HKDF_SALT_KEY yet: hSaltKey is an object handle,
         * which only the session layer can resolve, and tk_mech_derive()
         * has no way to ask it. Callers read the salt key's value
         * themselves and pass it as CKF_HKDF_SALT_DATA. */
        return CKR_MECHANISM_PARAM_INVALID;
    }
}

static CK_RV
tk_hkdf_param(const CK_MECHANISM *m, tk_hkdf_req *req)
{
    CK_RV rv = CKR_OK;
    const CK_HKDF_PARAMS *p = m->pParameter;

    TK_CHECK(p != NULL && m->ulParameterLen == sizeof(*p), CKR_MECHANISM_PARAM_INVALID);
    TK_CHECK(p->bExtract || p->bExpand, CKR_MECHANISM_PARAM_INVALID);
    TK_GUARD(tk_kdf_hash_md(p->prfHashMechanism, &req->md));
    req->mode = !p->bExpand ? TK_HKDF_EXTRACT_ONLY
                : !p->bExtract ? TK_HKDF_EXPAND_ONLY
                               : TK_HKDF_EXTRACT_EXPAND;
    /* The salt means nothing without extraction, the info nothing
     * without expansion [PKCS11 3.2 §6.62.3]: both are then ignored. */
    if (p->bExtract) {
        TK_GUARD(tk_hkdf_salt(p, req));
    }
    if (p->bExpand) {
        TK_CHECK(p->pInfo != NULL || p->ulInfoLen == 0, CKR_MECHANISM_PARAM_INVALID);
        req->info = p->pInfo;
        req->info_len = p->ulInfoLen;
    }
out:
    return rv;
}

/*
 * The output length: what the template asks when expanding, the digest
 * size when only extracting (a CKA_VALUE_LEN must then agree).
 * TODO: a CKO_DATA object has no CKA_VALUE_LEN, and the object layer
 * refuses one in its template, so CKM_HKDF_DATA with expansion always
 * gives HashLen bytes; a longer output needs the session layer to take
 * the length out of the template before it builds the object.
 */
static CK_RV
tk_hkdf_out_len(const tk_hkdf_req *req, CK_OBJECT_CLASS cls, const CK_ATTRIBUTE *tmpl,
                CK_ULONG n, CK_ULONG *len)
{
    CK_ULONG hlen = tk_ossl_md_size(req->md);
    const CK_ATTRIBUTE *vl = tk_tmpl_find(tmpl, n, CKA_VALUE_LEN);

    if (req->mode != TK_HKDF_EXTRACT_ONLY && (cls == CKO_SECRET_KEY || vl != NULL)) {
        return tk_kdf_want_len(tmpl, n, 255 * hlen, len);
    }
    if (vl != NULL && tk_tmpl_ulong(tmpl, n, CKA_VALUE_LEN, 0) != hlen) {
        return CKR_TEMPLATE_INCONSISTENT;
    }
    *len = hlen;
    return CKR_OK;
}

/* See kdf_internal.h. */
CK_RV
tk_kdf_hkdf_derive(const tk_mech_desc *d, const CK_MECHANISM *m, const tk_key *base,
                   const CK_ATTRIBUTE *tmpl, CK_ULONG n, tk_mech_attrs *out)
{
    static const CK_KEY_TYPE types[] = {CKK_HKDF, CKK_GENERIC_SECRET};
    CK_RV rv = CKR_OK;
    CK_OBJECT_CLASS cls = d->type == CKM_HKDF_DATA ? CKO_DATA : CKO_SECRET_KEY;
    tk_hkdf_req req = {0};
    const uint8_t *key = NULL;
    CK_ULONG key_len = 0;
    CK_ULONG len = 0;
    uint8_t *buf = NULL;

    TK_GUARD(tk_kdf_base_value(base, types, sizeof(types) / sizeof(types[0]), &key, &key_len));
    TK_GUARD(tk_hkdf_param(m, &req));
    TK_CHECK(key_len >= d->min_key && key_len <= d->max_key, CKR_KEY_SIZE_RANGE);
    TK_GUARD(tk_hkdf_out_len(&req, cls, tmpl, n, &len));
    buf = malloc(len);
    TK_CHECK(buf != NULL, CKR_HOST_MEMORY);
    TK_GUARD(tk_ossl_hkdf(req.md, req.mode, key, key_len, req.salt, req.salt_len, req.info,
                          req.info_len, buf, len));
    TK_GUARD(tk_kdf_out(tmpl, n, cls, buf, len, out));
out:
    tk_free_secret(buf, buf != NULL ? len : 0);
    return rv;
}
