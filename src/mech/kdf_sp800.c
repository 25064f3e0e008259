/*
 * CKM_SP800_108_COUNTER_KDF and CKM_SP800_108_FEEDBACK_KDF
 * [PKCS11 3.2 §6.42], [NIST SP 800-108r1 §4.1, §4.2]: HMAC or AES-CMAC
 * over an input the caller lays out as a list of CK_PRF_DATA_PARAM
 * entries, assembled in the caller's order on every iteration. OpenSSL's
 * KBKDF fixes one layout, so the loop is written here over the MAC
 * backend.
 */
#include <stdlib.h>
#include <string.h>

#include "crypto/ossl/mac.h"
#include "mech/kdf_internal.h"
#include "util/check.h"
#include "util/wipe.h"

/* What the parameter asks for, checked. */
typedef struct {
    int feedback;
    CK_MECHANISM_TYPE prf;
    const CK_PRF_DATA_PARAM *dp;
    CK_ULONG ndp;
    const uint8_t *iv;  /* feedback only: K(0) */
    CK_ULONG iv_len;
} tk_sp800_req;

/* The values an iteration's input may hold. */
typedef struct {
    uint64_t counter;   /* i, from 1 */
    uint64_t dkm_bits;  /* L */
    const uint8_t *prev; /* feedback: K(i-1) */
    size_t prev_len;
} tk_sp800_vars;

/* Counters are 8 to 32 bits, whole bytes; a DKM length up to 64. */
static int
tk_sp800_width_ok(CK_ULONG bits, CK_ULONG max)
{
    return bits >= 8 && bits <= max && bits % 8 == 0;
}

static CK_RV
tk_sp800_check_counter(const CK_PRF_DATA_PARAM *e)
{
    const CK_SP800_108_COUNTER_FORMAT *f = e->pValue;

    if (f == NULL || e->ulValueLen != sizeof(*f) || !tk_sp800_width_ok(f->ulWidthInBits, 32)) {
        return CKR_MECHANISM_PARAM_INVALID;
    }
    return CKR_OK;
}

static CK_RV
tk_sp800_check_dkm(const CK_PRF_DATA_PARAM *e)
{
    const CK_SP800_108_DKM_LENGTH_FORMAT *f = e->pValue;

    if (f == NULL || e->ulValueLen != sizeof(*f) || !tk_sp800_width_ok(f->ulWidthInBits, 64) ||
        (f->dkmLengthMethod != CK_SP800_108_DKM_LENGTH_SUM_OF_KEYS &&
         f->dkmLengthMethod != CK_SP800_108_DKM_LENGTH_SUM_OF_SEGMENTS)) {
        return CKR_MECHANISM_PARAM_INVALID;
    }
    return CKR_OK;
}

/*
 * One entry, counted by type in seen[]. The iteration variable is the
 * counter in counter mode (with its format) and K(i-1) in feedback mode
 * (no value); a separate counter exists in feedback mode only.
 */
static CK_RV
tk_sp800_check_entry(const tk_sp800_req *req, const CK_PRF_DATA_PARAM *e, CK_ULONG seen[5])
{
    switch (e->type) {
    case CK_SP800_108_ITERATION_VARIABLE:
        seen[0]++;
        if (req->feedback) {
            return e->pValue == NULL && e->ulValueLen == 0 ? CKR_OK
                                                           : CKR_MECHANISM_PARAM_INVALID;
        }
        return tk_sp800_check_counter(e);
    case CK_SP800_108_COUNTER:
        seen[1]++;
        return req->feedback ? tk_sp800_check_counter(e) : CKR_MECHANISM_PARAM_INVALID;
    case CK_SP800_108_DKM_LENGTH:
        seen[2]++;
        return tk_sp800_check_dkm(e);
    case CK_SP800_108_BYTE_ARRAY:
        return e->pValue != NULL && e->ulValueLen > 0 ? CKR_OK : CKR_MECHANISM_PARAM_INVALID;
    default:
        /* TODO: no CK_SP800_108_KEY_HANDLE yet: its key is an object
         * handle that only the session layer can resolve; such a
         * derivation answers CKR_MECHANISM_PARAM_INVALID. */
        return CKR_MECHANISM_PARAM_INVALID;
    }
}

static CK_RV
tk_sp800_check_entries(const tk_sp800_req *req)
{
    CK_RV rv = CKR_OK;
    CK_ULONG seen[5] = {0};

    TK_CHECK(req->dp != NULL && req->ndp > 0, CKR_MECHANISM_PARAM_INVALID);
    for (CK_ULONG i = 0; i < req->ndp; i++) {
        TK_GUARD(tk_sp800_check_entry(req, &req->dp[i], seen));
    }
    TK_CHECK(seen[0] == 1 && seen[1] <= 1 && seen[2] <= 1, CKR_MECHANISM_PARAM_INVALID);
out:
    return rv;
}

/*
 * TODO: no additional derived keys (pAdditionalDerivedKeys) yet: each
 * needs an object of its own, which the session layer would have to
 * create from this call's output. A request for any answers
 * CKR_MECHANISM_PARAM_INVALID and creates nothing.
 */
static CK_RV
tk_sp800_param(const tk_mech_desc *d, const CK_MECHANISM *m, tk_sp800_req *req)
{
    CK_RV rv = CKR_OK;

    req->feedback = d->type == CKM_SP800_108_FEEDBACK_KDF;
    if (req->feedback) {
        const CK_SP800_108_FEEDBACK_KDF_PARAMS *p = m->pParameter;
        TK_CHECK(p != NULL && m->ulParameterLen == sizeof(*p), CKR_MECHANISM_PARAM_INVALID);
        TK_CHECK(p->ulAdditionalDerivedKeys == 0 && p->pAdditionalDerivedKeys == NULL,
                 CKR_MECHANISM_PARAM_INVALID);
        TK_CHECK((p->pIV == NULL) == (p->ulIVLen == 0), CKR_MECHANISM_PARAM_INVALID);
        *req = (tk_sp800_req){1, p->prfType, p->pDataParams, p->ulNumberOfDataParams, p->pIV,
                              p->ulIVLen};
    } else {
        const CK_SP800_108_KDF_PARAMS *p = m->pParameter;
        TK_CHECK(p != NULL && m->ulParameterLen == sizeof(*p), CKR_MECHANISM_PARAM_INVALID);
        TK_CHECK(p->ulAdditionalDerivedKeys == 0 && p->pAdditionalDerivedKeys == NULL,
                 CKR_MECHANISM_PARAM_INVALID);
        *req = (tk_sp800_req){0, p->prfType, p->pDataParams, p->ulNumberOfDataParams, NULL, 0};
    }
    TK_GUARD(tk_sp800_check_entries(req));
out:
    return rv;
}

/* The HMAC PRFs: digest and the key type that belongs to it. */
static const struct {
    CK_MECHANISM_TYPE prf;
    tk_md_id md;
    CK_KEY_TYPE key_type;
} tk_sp800_hmacs[] = {
    {CKM_SHA_1_HMAC, TK_MD_SHA1, CKK_SHA_1_HMAC},
    {CKM_SHA224_HMAC, TK_MD_SHA224, CKK_SHA224_HMAC},
    {CKM_SHA256_HMAC, TK_MD_SHA256, CKK_SHA256_HMAC},
    {CKM_SHA384_HMAC, TK_MD_SHA384, CKK_SHA384_HMAC},
    {CKM_SHA512_HMAC, TK_MD_SHA512, CKK_SHA512_HMAC},
    {CKM_SHA512_224_HMAC, TK_MD_SHA512_224, CKK_SHA512_224_HMAC},
    {CKM_SHA512_256_HMAC, TK_MD_SHA512_256, CKK_SHA512_256_HMAC},
    {CKM_SHA3_224_HMAC, TK_MD_SHA3_224, CKK_SHA3_224_HMAC},
    {CKM_SHA3_256_HMAC, TK_MD_SHA3_256, CKK_SHA3_256_HMAC},
    {CKM_SHA3_384_HMAC, TK_MD_SHA3_384, CKK_SHA3_384_HMAC},
    {CKM_SHA3_512_HMAC, TK_MD_SHA3_512, CKK_SHA3_512_HMAC},
};

/*
 * The PRF keyed with the base key: AES-CMAC under an AES key, HMAC under
 * a generic secret or an HMAC key of the PRF's own hash.
 */
static CK_RV
tk_sp800_prf(CK_MECHANISM_TYPE prf, const tk_key *base, tk_ossl_mac_ctx **mac)
{
    static const CK_KEY_TYPE aes[] = {CKK_AES};
    CK_RV rv = CKR_OK;
    const uint8_t *key = NULL;
    CK_ULONG len = 0;
    size_t i = 0;

    if (prf == CKM_AES_CMAC) {
        TK_GUARD(tk_kdf_base_value(base, aes, 1, &key, &len));
        TK_GUARD(tk_ossl_cmac_new(key, len, mac));
        goto out;
    }
    while (i < sizeof(tk_sp800_hmacs) / sizeof(tk_sp800_hmacs[0]) &&
           tk_sp800_hmacs[i].prf != prf) {
        i++;
    }
    /* TODO: no CKM_DES3_CMAC PRF: the token has no DES3. */
    TK_CHECK(i < sizeof(tk_sp800_hmacs) / sizeof(tk_sp800_hmacs[0]),
             CKR_MECHANISM_PARAM_INVALID);
    {
        const CK_KEY_TYPE types[] = {CKK_GENERIC_SECRET, tk_sp800_hmacs[i].key_type};
        TK_GUARD(tk_kdf_base_value(base, types, 2, &key, &len));
    }
    TK_GUARD(tk_ossl_hmac_new(tk_sp800_hmacs[i].md, key, len, mac));
out:
    return rv;
}

/* Absorb v as a bits-wide integer, big or little endian. */
static CK_RV
tk_sp800_absorb_int(tk_ossl_mac_ctx *mac, uint64_t v, CK_ULONG bits, CK_BBOOL little)
{
    uint8_t b[8];
    size_t n = bits / 8;

    for (size_t j = 0; j < n; j++) {
        size_t shift = little ? j : n - 1 - j;
        b[j] = (uint8_t)(v >> (8 * shift));
    }
    return tk_ossl_mac_update(mac, b, n);
}

/* One entry of an iteration's input; formats were checked already. */
static CK_RV
tk_sp800_absorb(const tk_sp800_req *req, const CK_PRF_DATA_PARAM *e, const tk_sp800_vars *v,
                tk_ossl_mac_ctx *mac)
{
    const CK_SP800_108_COUNTER_FORMAT *cf = e->pValue;
    const CK_SP800_108_DKM_LENGTH_FORMAT *df = e->pValue;

    switch (e->type) {
    case CK_SP800_108_ITERATION_VARIABLE:
        if (req->feedback) {
            return tk_ossl_mac_update(mac, v->prev, v->prev_len);
        }
        return tk_sp800_absorb_int(mac, v->counter, cf->ulWidthInBits, cf->bLittleEndian);
    case CK_SP800_108_COUNTER:
        return tk_sp800_absorb_int(mac, v->counter, cf->ulWidthInBits, cf->bLittleEndian);
    case CK_SP800_108_DKM_LENGTH:
        return tk_sp800_absorb_int(mac, v->dkm_bits, df->ulWidthInBits, df->bLittleEndian);
    default:
        return tk_ossl_mac_update(mac, e->pValue, e->ulValueLen);
    }
}

/*
 * Whether the iterations' counter and L fit the widths the caller chose
 * [NIST SP 800-108r1 §4]: a counter that wrapped would repeat PRF inputs.
 */
static CK_RV
tk_sp800_fits(const tk_sp800_req *req, uint64_t iters, uint64_t dkm_bits)
{
    for (CK_ULONG i = 0; i < req->ndp; i++) {
        const CK_PRF_DATA_PARAM *e = &req->dp[i];
        int is_counter = e->type == CK_SP800_108_COUNTER ||
                         (e->type == CK_SP800_108_ITERATION_VARIABLE && !req->feedback);
        if (is_counter) {
            const CK_SP800_108_COUNTER_FORMAT *f = e->pValue;
            if (iters > (UINT64_C(1) << f->ulWidthInBits) - 1) {
                return CKR_TEMPLATE_INCONSISTENT;
            }
        } else if (e->type == CK_SP800_108_DKM_LENGTH) {
            const CK_SP800_108_DKM_LENGTH_FORMAT *f = e->pValue;
            if (f->ulWidthInBits < 64 && dkm_bits >> f->ulWidthInBits != 0) {
                return CKR_TEMPLATE_INCONSISTENT;
            }
        }
    }
    return CKR_OK;
}

/* L for the DKM-length entry, if any: its method decides. */
static uint64_t
tk_sp800_dkm_bits(const tk_sp800_req *req, size_t len, uint64_t iters, size_t h)
{
    for (CK_ULONG i = 0; i < req->ndp; i++) {
        const CK_SP800_108_DKM_LENGTH_FORMAT *f = req->dp[i].pValue;
        if (req->dp[i].type == CK_SP800_108_DKM_LENGTH &&
            f->dkmLengthMethod == CK_SP800_108_DKM_LENGTH_SUM_OF_SEGMENTS) {
            return iters * h * 8;
        }
    }
    /* One key only (see tk_sp800_param): the sum of keys is its length. */
    return (uint64_t)len * 8;
}

/* len bytes of keying material into out; the MAC is keyed. */
static CK_RV
tk_sp800_run(const tk_sp800_req *req, tk_ossl_mac_ctx *mac, uint8_t *out, size_t len)
{
    CK_RV rv = CKR_OK;
    size_t h = tk_ossl_mac_size(mac);
    uint64_t iters = (len + h - 1) / h;
    uint8_t seg[TK_MAC_MAX_SIZE];
    tk_sp800_vars v = {0, 0, req->iv, req->iv_len};
    size_t done = 0;

    TK_CHECK(h > 0 && h <= sizeof(seg), CKR_FUNCTION_FAILED);
    v.dkm_bits = tk_sp800_dkm_bits(req, len, iters, h);
    TK_GUARD(tk_sp800_fits(req, iters, v.dkm_bits));
    for (v.counter = 1; v.counter <= iters; v.counter++) {
        size_t take = len - done < h ? len - done : h;
        if (v.counter > 1) {
            TK_GUARD(tk_ossl_mac_reset(mac));
        }
        for (CK_ULONG i = 0; i < req->ndp; i++) {
            TK_GUARD(tk_sp800_absorb(req, &req->dp[i], &v, mac));
        }
        TK_GUARD(tk_ossl_mac_final(mac, seg));
        memcpy(out + done, seg, take);
        done += take;
        /* Feedback mode chains the whole block, not what was kept. */
        v.prev = seg;
        v.prev_len = h;
    }
out:
    tk_wipe(seg, sizeof(seg));
    if (rv != CKR_OK) {
        tk_wipe(out, len);
    }
    return rv;
}

/* See kdf_internal.h. */
CK_RV
tk_kdf_sp800_derive(const tk_mech_desc *d, const CK_MECHANISM *m, const tk_key *base,
                    const CK_ATTRIBUTE *tmpl, CK_ULONG n, tk_mech_attrs *out)
{
    CK_RV rv = CKR_OK;
    tk_sp800_req req = {0};
    tk_ossl_mac_ctx *mac = NULL;
    CK_ULONG len = 0;
    uint8_t *buf = NULL;

    TK_CHECK(base != NULL && base->cls == CKO_SECRET_KEY, CKR_KEY_TYPE_INCONSISTENT);
    TK_GUARD(tk_sp800_param(d, m, &req));
    TK_GUARD(tk_sp800_prf(req.prf, base, &mac));
    TK_GUARD(tk_kdf_want_len(tmpl, n, TK_KDF_MAX_OUT, &len));
    buf = malloc(len);
    TK_CHECK(buf != NULL, CKR_HOST_MEMORY);
    TK_GUARD(tk_sp800_run(&req, mac, buf, len));
    TK_GUARD(tk_kdf_out(tmpl, n, CKO_SECRET_KEY, buf, len, out));
out:
    tk_ossl_mac_free(mac);
    tk_free_secret(buf, buf != NULL ? len : 0);
    return rv;
}
