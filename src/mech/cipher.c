/*
 * Mechanism family: cipher (AES and ChaCha20-Poly1305). See
 * mech_internal.h for how families plug in; the operations are in
 * cipher_block.c, cipher_aead.c, cipher_msg.c and cipher_wrap.c.
 */
#include <stdlib.h>
#include <string.h>

#include "crypto/ossl/rand.h"
#include "mech/cipher_internal.h"
#include "util/check.h"
#include "util/wipe.h"

CK_RV
tk_cipher_key(const tk_key *key, CK_KEY_TYPE type, const uint8_t **val, CK_ULONG *len)
{
    const CK_ATTRIBUTE *v;

    if (key == NULL || key->cls != CKO_SECRET_KEY || key->type != type) {
        return CKR_KEY_TYPE_INCONSISTENT;
    }
    v = tk_key_attr(key, CKA_VALUE);
    if (v == NULL || v->pValue == NULL) {
        return CKR_KEY_TYPE_INCONSISTENT;
    }
    *val = v->pValue;
    *len = v->ulValueLen;
    return CKR_OK;
}

CK_RV
tk_cipher_key_size(const tk_mech_desc *d, CK_ULONG len)
{
    /* AES has three sizes, not a range. */
    if (len < d->min_key || len > d->max_key || len % 8 != 0) {
        return CKR_KEY_SIZE_RANGE;
    }
    return CKR_OK;
}

int
tk_cipher_room(const uint8_t *out, CK_ULONG *out_len, CK_ULONG need, CK_RV *rv)
{
    if (out == NULL) {
        *out_len = need;
        *rv = CKR_OK;
        return 0;
    }
    if (*out_len < need) {
        *out_len = need;
        *rv = CKR_BUFFER_TOO_SMALL;
        return 0;
    }
    return 1;
}

/* See cipher_internal.h. */
CK_RV
tk_cipher_hold(uint8_t **buf, size_t *buf_len, size_t *buf_cap, const uint8_t *in, size_t len,
               int enc)
{
    uint8_t *nb;
    size_t cap;

    if (len == 0) {
        return CKR_OK;
    }
    if (*buf_len + len < len) {
        return tk_cipher_len_err(enc);
    }
    if (*buf_len + len > *buf_cap) {
        cap = *buf_cap ? *buf_cap : 256;
        while (cap < *buf_len + len) {
            cap *= 2;
        }
        nb = malloc(cap);
        if (nb == NULL) {
            return CKR_HOST_MEMORY;
        }
        if (*buf_len > 0) {
            memcpy(nb, *buf, *buf_len);
        }
        tk_free_secret(*buf, *buf_cap);
        *buf = nb;
        *buf_cap = cap;
    }
    memcpy(*buf + *buf_len, in, len);
    *buf_len += len;
    return CKR_OK;
}

static CK_RV
tk_cipher_op_init(const tk_mech_desc *d, tk_op_kind kind, const CK_MECHANISM *m,
                  const tk_key *key, tk_op **out)
{
    switch (tk_cipher_arg_of(d)->mode) {
    case TK_CM_GCM:
    case TK_CM_CCM:
    case TK_CM_CHACHA_POLY:
        return tk_cipher_aead_init(d, kind, m, key, out);
    case TK_CM_KW:
    case TK_CM_KWP:
        return tk_cipher_kw_init(d, kind, m, key, out);
    default:
        return tk_cipher_block_init(d, kind, m, key, out);
    }
}

/* CKM_AES_KEY_GEN (CKA_VALUE_LEN 16, 24 or 32 required) and
 * CKM_CHACHA20_KEY_GEN (32 bytes; CKA_VALUE_LEN optional). */
static CK_RV
tk_cipher_generate(const tk_mech_desc *d, const CK_MECHANISM *m, const CK_ATTRIBUTE *tmpl,
                   CK_ULONG n, CK_KEY_TYPE *key_type, tk_mech_attrs *out)
{
    CK_RV rv = CKR_OK;
    const tk_cipher_arg *arg = tk_cipher_arg_of(d);
    const CK_ATTRIBUTE *vl = tk_tmpl_find(tmpl, n, CKA_VALUE_LEN);
    CK_ULONG dflt = arg->key_type == CKK_CHACHA20 ? TK_CHACHA_KEY_LEN : 0;
    CK_ULONG len = tk_tmpl_ulong(tmpl, n, CKA_VALUE_LEN, dflt);
    uint8_t val[32];

    TK_CHECK(m->pParameter == NULL && m->ulParameterLen == 0, CKR_MECHANISM_PARAM_INVALID);
    TK_CHECK(vl == NULL || vl->ulValueLen == sizeof(CK_ULONG), CKR_ATTRIBUTE_VALUE_INVALID);
    TK_CHECK(vl != NULL || dflt != 0, CKR_TEMPLATE_INCOMPLETE);
    TK_CHECK(tk_cipher_key_size(d, len) == CKR_OK, CKR_ATTRIBUTE_VALUE_INVALID);
    TK_GUARD(tk_ossl_random(val, len));
    TK_GUARD(tk_mech_attrs_add(out, CKA_VALUE, val, len));
    TK_GUARD(tk_mech_attrs_add_ulong(out, CKA_VALUE_LEN, len));
    *key_type = arg->key_type;
out:
    tk_wipe(val, sizeof(val));
    return rv;
}

static const tk_cipher_arg tk_arg_keygen = {TK_CM_KEYGEN, CKK_AES};
static const tk_cipher_arg tk_arg_ecb = {TK_CM_ECB, CKK_AES};
static const tk_cipher_arg tk_arg_cbc = {TK_CM_CBC, CKK_AES};
static const tk_cipher_arg tk_arg_cbc_pad = {TK_CM_CBC_PAD, CKK_AES};
static const tk_cipher_arg tk_arg_ctr = {TK_CM_CTR, CKK_AES};
static const tk_cipher_arg tk_arg_cts = {TK_CM_CTS, CKK_AES};
static const tk_cipher_arg tk_arg_gcm = {TK_CM_GCM, CKK_AES};
static const tk_cipher_arg tk_arg_ccm = {TK_CM_CCM, CKK_AES};
static const tk_cipher_arg tk_arg_kw = {TK_CM_KW, CKK_AES};
static const tk_cipher_arg tk_arg_kwp = {TK_CM_KWP, CKK_AES};
static const tk_cipher_arg tk_arg_der_ecb = {TK_CM_DERIVE_ECB, CKK_AES};
static const tk_cipher_arg tk_arg_der_cbc = {TK_CM_DERIVE_CBC, CKK_AES};
static const tk_cipher_arg tk_arg_cc_keygen = {TK_CM_KEYGEN, CKK_CHACHA20};
static const tk_cipher_arg tk_arg_cc_poly = {TK_CM_CHACHA_POLY, CKK_CHACHA20};

#define TK_ED (CKF_ENCRYPT | CKF_DECRYPT)
#define TK_WU (CKF_WRAP | CKF_UNWRAP)
#define TK_MSG (CKF_MESSAGE_ENCRYPT | CKF_MESSAGE_DECRYPT)

/*
 * Sizes in bytes [PKCS11 3.2 §6.10]. TODO: no AES-XTS, AES-CMAC, GMAC,
 * GCM/CCM key wrapping (CK_GCM_WRAP_PARAMS) or CKM_AES_KEY_WRAP_PKCS7
 * yet; C_GetMechanismList omits them and they answer
 * CKR_MECHANISM_INVALID.
 */
static const tk_mech_desc tk_cipher_table[] = {
    {.type = CKM_AES_KEY_GEN, .min_key = 16, .max_key = 32, .flags = CKF_GENERATE,
     .generate = tk_cipher_generate, .arg = &tk_arg_keygen},
    {.type = CKM_AES_ECB, .min_key = 16, .max_key = 32, .flags = TK_ED,
     .op_init = tk_cipher_op_init, .arg = &tk_arg_ecb},
    {.type = CKM_AES_CBC, .min_key = 16, .max_key = 32, .flags = TK_ED,
     .op_init = tk_cipher_op_init, .arg = &tk_arg_cbc},
    {.type = CKM_AES_CBC_PAD, .min_key = 16, .max_key = 32, .flags = TK_ED | TK_WU,
     .op_init = tk_cipher_op_init, .wrap = tk_cipher_wrap, .unwrap = tk_cipher_unwrap,
     .arg = &tk_arg_cbc_pad},
    {.type = CKM_AES_CTR, .min_key = 16, .max_key = 32, .flags = TK_ED,
     .op_init = tk_cipher_op_init, .arg = &tk_arg_ctr},
    {.type = CKM_AES_CTS, .min_key = 16, .max_key = 32, .flags = TK_ED,
     .op_init = tk_cipher_op_init, .arg = &tk_arg_cts},
    {.type = CKM_AES_GCM, .min_key = 16, .max_key = 32, .flags = TK_ED | TK_MSG,
     .op_init = tk_cipher_op_init, .arg = &tk_arg_gcm},
    {.type = CKM_AES_CCM, .min_key = 16, .max_key = 32, .flags = TK_ED | TK_MSG,
     .op_init = tk_cipher_op_init, .arg = &tk_arg_ccm},
    {.type = CKM_AES_KEY_WRAP, .min_key = 16, .max_key = 32, .flags = TK_ED | TK_WU,
     .op_init = tk_cipher_op_init, .wrap = tk_cipher_wrap, .unwrap = tk_cipher_unwrap,
     .arg = &tk_arg_kw},
    {.type = CKM_AES_KEY_WRAP_KWP, .min_key = 16, .max_key = 32, .flags = TK_ED | TK_WU,
     .op_init = tk_cipher_op_init, .wrap = tk_cipher_wrap, .unwrap = tk_cipher_unwrap,
     .arg = &tk_arg_kwp},
    {.type = CKM_AES_ECB_ENCRYPT_DATA, .min_key = 16, .max_key = 32, .flags = CKF_DERIVE,
     .derive = tk_cipher_derive, .arg = &tk_arg_der_ecb},
    {.type = CKM_AES_CBC_ENCRYPT_DATA, .min_key = 16, .max_key = 32, .flags = CKF_DERIVE,
     .derive = tk_cipher_derive, .arg = &tk_arg_der_cbc},
    {.type = CKM_CHACHA20_KEY_GEN, .min_key = 32, .max_key = 32, .flags = CKF_GENERATE,
     .generate = tk_cipher_generate, .arg = &tk_arg_cc_keygen},
    {.type = CKM_CHACHA20_POLY1305, .min_key = 32, .max_key = 32, .flags = TK_ED | TK_MSG,
     .op_init = tk_cipher_op_init, .arg = &tk_arg_cc_poly},
};

tk_mech_family
tk_mech_family_cipher(void)
{
    tk_mech_family fam = {tk_cipher_table, sizeof(tk_cipher_table) / sizeof(tk_cipher_table[0])};

    return fam;
}
