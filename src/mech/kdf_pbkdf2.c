/*
 * CKM_PKCS5_PBKD2 [PKCS11 3.2 §6.37.4]: a secret key from a password by
 * PBKDF2 [RFC 8018 §5.2], through C_GenerateKey. The key's type and
 * length come from the template (generic secret by default).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/ossl/kdf.h"
#include "mech/kdf_internal.h"
#include "util/check.h"
#include "util/wipe.h"

/*
 * Below this, a CK_PKCS5_PBKD2_PARAMS2 password length; from it on, the
 * older layout's pointer to the length. Linux maps nothing under 64 KiB
 * (vm.mmap_min_addr), and no password is that long.
 */
#define TK_PBKDF2_PTR_FLOOR 65536UL

/* What the parameter asks for, checked. */
typedef struct {
    tk_md_id md;
    const uint8_t *salt;
    CK_ULONG salt_len;
    CK_ULONG iter;
    const uint8_t *pass;
    CK_ULONG pass_len;
} tk_pbkdf2_req;

static CK_RV
tk_pbkdf2_prf(CK_PKCS5_PBKD2_PSEUDO_RANDOM_FUNCTION_TYPE prf, tk_md_id *md)
{
    static const struct {
        CK_ULONG prf;
        tk_md_id md;
    } map[] = {
        {CKP_PKCS5_PBKD2_HMAC_SHA1, TK_MD_SHA1},
        {CKP_PKCS5_PBKD2_HMAC_SHA224, TK_MD_SHA224},
        {CKP_PKCS5_PBKD2_HMAC_SHA256, TK_MD_SHA256},
        {CKP_PKCS5_PBKD2_HMAC_SHA384, TK_MD_SHA384},
        {CKP_PKCS5_PBKD2_HMAC_SHA512, TK_MD_SHA512},
        {CKP_PKCS5_PBKD2_HMAC_SHA512_224, TK_MD_SHA512_224},
        {CKP_PKCS5_PBKD2_HMAC_SHA512_256, TK_MD_SHA512_256},
    };

    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        if (map[i].prf == prf) {
            *md = map[i].md;
            return CKR_OK;
        }
    }
    /* GOST R 34.11 is not offered. */
    return CKR_MECHANISM_PARAM_INVALID;
}

/*
 * The fields both layouts share; pass_len is read by the caller. The two
 * structs differ only in the type of their last member.
 */
static CK_RV
tk_pbkdf2_common(const CK_PKCS5_PBKD2_PARAMS2 *p, tk_pbkdf2_req *req)
{
    CK_RV rv = CKR_OK;

    TK_CHECK(p->saltSource == CKZ_SALT_SPECIFIED, CKR_MECHANISM_PARAM_INVALID);
    TK_CHECK(p->pSaltSourceData != NULL || p->ulSaltSourceDataLen == 0,
             CKR_MECHANISM_PARAM_INVALID);
    TK_CHECK(p->iterations >= 1, CKR_MECHANISM_PARAM_INVALID);
    /* The HMAC PRFs take no data of their own. */
    TK_CHECK(p->ulPrfDataLen == 0, CKR_MECHANISM_PARAM_INVALID);
    TK_GUARD(tk_pbkdf2_prf(p->prf, &req->md));
    req->salt = p->pSaltSourceData;
    req->salt_len = p->ulSaltSourceDataLen;
    req->iter = p->iterations;
    req->pass = p->pPassword;
out:
    return rv;
}

/*
 * [PKCS11 3.2 §6.37.3] tells the two layouts apart by ulParameterLen, but
 * where CK_ULONG and pointers have one size (every Linux ABI) the structs
 * do too. There the password length field is read as a length when it is
 * small and as the old layout's pointer otherwise (TK_PBKDF2_PTR_FLOOR).
 */
static CK_RV
tk_pbkdf2_param(const CK_MECHANISM *m, tk_pbkdf2_req *req)
{
    CK_RV rv = CKR_OK;
    const CK_PKCS5_PBKD2_PARAMS2 *p = m->pParameter;
    const CK_PKCS5_PBKD2_PARAMS *old = m->pParameter;
    int same = sizeof(CK_PKCS5_PBKD2_PARAMS) == sizeof(CK_PKCS5_PBKD2_PARAMS2);
    int is_old;

    TK_CHECK(p != NULL, CKR_MECHANISM_PARAM_INVALID);
    if (m->ulParameterLen == sizeof(CK_PKCS5_PBKD2_PARAMS2)) {
        is_old = same && p->ulPasswordLen >= TK_PBKDF2_PTR_FLOOR;
    } else {
        TK_CHECK(!same && m->ulParameterLen == sizeof(CK_PKCS5_PBKD2_PARAMS),
                 CKR_MECHANISM_PARAM_INVALID);
        is_old = 1;
    }
    if (is_old) {
        TK_CHECK(old->ulPasswordLen != NULL &&
                     (uintptr_t)old->ulPasswordLen % _Alignof(CK_ULONG) == 0,
                 CKR_MECHANISM_PARAM_INVALID);
        req->pass_len = *old->ulPasswordLen;
        TK_CHECK(req->pass_len < TK_PBKDF2_PTR_FLOOR, CKR_MECHANISM_PARAM_INVALID);
    } else {
        req->pass_len = p->ulPasswordLen;
    }
    TK_GUARD(tk_pbkdf2_common(p, req));
    TK_CHECK(req->pass != NULL || req->pass_len == 0, CKR_MECHANISM_PARAM_INVALID);
out:
    return rv;
}

/* See kdf_internal.h. */
CK_RV
tk_kdf_pbkdf2_generate(const tk_mech_desc *d, const CK_MECHANISM *m, const CK_ATTRIBUTE *tmpl,
                       CK_ULONG n, CK_KEY_TYPE *key_type, tk_mech_attrs *out)
{
    CK_RV rv = CKR_OK;
    tk_pbkdf2_req req = {0};
    CK_ULONG len = 0;
    uint8_t *buf = NULL;

    TK_GUARD(tk_pbkdf2_param(m, &req));
    TK_GUARD(tk_kdf_want_len(tmpl, n, d->max_key, &len));
    buf = malloc(len);
    TK_CHECK(buf != NULL, CKR_HOST_MEMORY);
    TK_GUARD(tk_ossl_pbkdf2(req.md, req.pass, req.pass_len, req.salt, req.salt_len, req.iter,
                            buf, len));
    TK_GUARD(tk_mech_attrs_add(out, CKA_VALUE, buf, len));
    TK_GUARD(tk_mech_attrs_add_ulong(out, CKA_VALUE_LEN, len));
    *key_type = tk_tmpl_ulong(tmpl, n, CKA_KEY_TYPE, CKK_GENERIC_SECRET);
out:
    tk_free_secret(buf, buf != NULL ? len : 0);
    return rv;
}
