/*
 * AES key wrap [PKCS11 3.2 §6.16] (RFC 3394 and RFC 5649) as single-part
 * encryption and as C_WrapKey/C_UnwrapKey, wrapping with CKM_AES_CBC_PAD
 * (secret keys as their value, private keys as PKCS#8, see keyenc.h),
 * and the key derivations by data encryption [§6.10 AES_*_ENCRYPT_DATA].
 */
#include <stdlib.h>
#include <string.h>

#include "mech/cipher_internal.h"
#include "mech/keyenc.h"
#include "util/check.h"
#include "util/wipe.h"

#define TK_KW_SEMI 8

typedef struct {
    tk_op head;
    int pad;                /* KWP */
    int enc;
    uint8_t key[32];
    size_t key_len;
    uint8_t iv[TK_KW_SEMI];
    int has_iv;
} tk_kw_op;

/* The optional initial value: absent, or exactly 8 (KW) / 4 (KWP) bytes. */
static CK_RV
tk_kw_param(int pad, const CK_MECHANISM *m, uint8_t iv[TK_KW_SEMI], int *has_iv)
{
    CK_ULONG want = pad ? 4 : 8;

    *has_iv = 0;
    if (m->pParameter == NULL && m->ulParameterLen == 0) {
        return CKR_OK;
    }
    if (m->pParameter == NULL || m->ulParameterLen != want) {
        return CKR_MECHANISM_PARAM_INVALID;
    }
    memcpy(iv, m->pParameter, want);
    *has_iv = 1;
    return CKR_OK;
}

/* Input length rules: KW wraps whole semiblocks, at least two; KWP any
 * non-empty input. Wrapped data is whole semiblocks, one more. */
static int
tk_kw_len_ok(int pad, int enc, size_t len)
{
    if (enc) {
        return pad ? len >= 1 : len >= 2 * TK_KW_SEMI && len % TK_KW_SEMI == 0;
    }
    return len % TK_KW_SEMI == 0 && len >= (pad ? 2 : 3) * (size_t)TK_KW_SEMI;
}

/* The output length: exact for wrapping, an upper bound for unwrapping. */
static size_t
tk_kw_out_len(int pad, int enc, size_t len)
{
    if (enc) {
        return (pad ? (len + TK_KW_SEMI - 1) / TK_KW_SEMI * TK_KW_SEMI : len) + TK_KW_SEMI;
    }
    return len - TK_KW_SEMI;
}

/* One wrap or unwrap into out (room for tk_kw_out_len); *n the length. */
static CK_RV
tk_kw_do(int pad, int enc, const uint8_t *key, size_t key_len, const uint8_t *iv,
         const uint8_t *in, size_t len, uint8_t *out, size_t *n)
{
    if (!tk_kw_len_ok(pad, enc, len)) {
        return tk_cipher_len_err(enc);
    }
    return tk_cipher_keywrap(pad, enc, key, key_len, iv, in, len, out, n);
}

static CK_RV
tk_kw_run(tk_op *op, const uint8_t *in, CK_ULONG len, uint8_t *out, CK_ULONG *out_len)
{
    tk_kw_op *k = (tk_kw_op *)op;
    CK_RV rv = CKR_OK;
    uint8_t *tmp = NULL;
    size_t bound;
    size_t n = 0;

    TK_CHECK(tk_kw_len_ok(k->pad, k->enc, len), tk_cipher_len_err(k->enc));
    bound = tk_kw_out_len(k->pad, k->enc, len);
    if (out == NULL || *out_len >= bound || k->enc) {
        if (tk_cipher_room(out, out_len, bound, &rv)) {
            TK_GUARD(tk_kw_do(k->pad, k->enc, k->key, k->key_len, k->has_iv ? k->iv : NULL,
                              in, len, out, &n));
            *out_len = n;
        }
        goto out;
    }
    /* KWP's exact plaintext length is known only after unwrapping. */
    tmp = malloc(bound);
    TK_CHECK(tmp != NULL, CKR_HOST_MEMORY);
    TK_GUARD(tk_kw_do(k->pad, 0, k->key, k->key_len, k->has_iv ? k->iv : NULL, in, len, tmp,
                      &n));
    if (tk_cipher_room(out, out_len, n, &rv)) {
        memcpy(out, tmp, n);
        *out_len = n;
    }
out:
    tk_free_secret(tmp, tmp != NULL ? bound : 0);
    return rv;
}

static void
tk_kw_free(tk_op *op)
{
    tk_op_release(op, sizeof(tk_kw_op));
}

static const tk_op_vtbl tk_kw_vt = {
    .run = tk_kw_run,
    .free = tk_kw_free,
};

CK_RV
tk_cipher_kw_init(const tk_mech_desc *d, tk_op_kind kind, const CK_MECHANISM *m,
                  const tk_key *key, tk_op **out)
{
    CK_RV rv = CKR_OK;
    int pad = tk_cipher_arg_of(d)->mode == TK_CM_KWP;
    const uint8_t *val = NULL;
    CK_ULONG len = 0;
    uint8_t iv[TK_KW_SEMI] = {0};
    int has_iv = 0;
    tk_op *op = NULL;
    tk_kw_op *k;

    TK_CHECK(kind == TK_OP_ENCRYPT || kind == TK_OP_DECRYPT, CKR_MECHANISM_INVALID);
    TK_GUARD(tk_cipher_key(key, CKK_AES, &val, &len));
    TK_GUARD(tk_kw_param(pad, m, iv, &has_iv));
    TK_GUARD(tk_cipher_key_size(d, len));
    TK_GUARD(tk_op_alloc(sizeof(tk_kw_op), &tk_kw_vt, kind, m->mechanism, &op));
    k = (tk_kw_op *)op;
    k->pad = pad;
    k->enc = kind == TK_OP_ENCRYPT;
    memcpy(k->key, val, len);
    k->key_len = len;
    memcpy(k->iv, iv, sizeof(iv));
    k->has_iv = has_iv;
    *out = op;
out:
    return rv;
}

/* ---- C_WrapKey / C_UnwrapKey ---- */

/* The wrapping key's value and the mechanism's IV, checked in order. */
static CK_RV
tk_wrap_setup(const tk_mech_desc *d, const CK_MECHANISM *m, const tk_key *wk,
              const uint8_t **val, CK_ULONG *len, uint8_t iv[TK_AES_BLOCK], int *has_iv)
{
    CK_RV rv = CKR_OK;
    tk_cmode mode = tk_cipher_arg_of(d)->mode;

    TK_GUARD(tk_cipher_key(wk, CKK_AES, val, len));
    if (mode == TK_CM_CBC_PAD) {
        TK_CHECK(m->pParameter != NULL && m->ulParameterLen == TK_AES_BLOCK,
                 CKR_MECHANISM_PARAM_INVALID);
        memcpy(iv, m->pParameter, TK_AES_BLOCK);
        *has_iv = 1;
    } else {
        TK_GUARD(tk_kw_param(mode == TK_CM_KWP, m, iv, has_iv));
    }
    TK_GUARD(tk_cipher_key_size(d, *len));
out:
    return rv;
}

/* A private key's bytes to wrap: its PKCS#8 encoding [PKCS11 3.2 §2.1.4].
 * Plain KW takes it only when it is whole semiblocks: zero padding
 * would not come off again, since DER is read exactly. */
static CK_RV
tk_wrap_private(tk_cmode mode, const tk_key *key, uint8_t **buf, size_t *len)
{
    CK_RV rv = CKR_OK;
    uint8_t *der = NULL;
    size_t n = 0;

    TK_GUARD(tk_mech_key_to_pkcs8(key, &der, &n));
    TK_CHECK(mode != TK_CM_KW || n % TK_KW_SEMI == 0, CKR_KEY_NOT_WRAPPABLE);
    *buf = der;
    *len = n;
    der = NULL;
out:
    tk_free_secret(der, n);
    return rv;
}

/* The bytes to wrap: a secret key's value, zero-padded to semiblocks for
 * plain KW [PKCS11 3.2 §6.16], or a private key's PKCS#8 encoding.
 * *buf is the caller's to wipe and free. */
static CK_RV
tk_wrap_input(tk_cmode mode, const tk_key *key, uint8_t **buf, size_t *len)
{
    const CK_ATTRIBUTE *v;
    size_t n;

    if (key->cls == CKO_PRIVATE_KEY) {
        return tk_wrap_private(mode, key, buf, len);
    }
    if (key->cls != CKO_SECRET_KEY) {
        return CKR_KEY_NOT_WRAPPABLE;
    }
    v = tk_key_attr(key, CKA_VALUE);
    if (v == NULL || v->pValue == NULL || v->ulValueLen == 0) {
        return CKR_KEY_NOT_WRAPPABLE;
    }
    n = v->ulValueLen;
    if (mode == TK_CM_KW) {
        n = (n + TK_KW_SEMI - 1) / TK_KW_SEMI * TK_KW_SEMI;
    }
    *buf = calloc(1, n);
    if (*buf == NULL) {
        return CKR_HOST_MEMORY;
    }
    memcpy(*buf, v->pValue, v->ulValueLen);
    *len = n;
    return CKR_OK;
}

CK_RV
tk_cipher_wrap(const tk_mech_desc *d, const CK_MECHANISM *m, const tk_key *wrapping,
               const tk_key *key, uint8_t *out, CK_ULONG *out_len)
{
    CK_RV rv = CKR_OK;
    tk_cmode mode = tk_cipher_arg_of(d)->mode;
    const uint8_t *wval = NULL;
    CK_ULONG wlen = 0;
    uint8_t iv[TK_AES_BLOCK] = {0};
    int has_iv = 0;
    uint8_t *in = NULL;
    size_t len = 0;
    size_t need;
    size_t n = 0;

    TK_GUARD(tk_wrap_setup(d, m, wrapping, &wval, &wlen, iv, &has_iv));
    TK_GUARD(tk_wrap_input(mode, key, &in, &len));
    if (mode == TK_CM_CBC_PAD) {
        need = len - len % TK_AES_BLOCK + TK_AES_BLOCK;
    } else {
        /* A key too short for RFC 3394 (one semiblock) cannot be wrapped. */
        TK_CHECK(tk_kw_len_ok(mode == TK_CM_KWP, 1, len), CKR_KEY_NOT_WRAPPABLE);
        need = tk_kw_out_len(mode == TK_CM_KWP, 1, len);
    }
    if (!tk_cipher_room(out, out_len, need, &rv)) {
        goto out;
    }
    if (mode == TK_CM_CBC_PAD) {
        TK_GUARD(tk_cipher_cbc_pad_oneshot(1, wval, wlen, iv, in, len, out, &n));
    } else {
        TK_GUARD(tk_kw_do(mode == TK_CM_KWP, 1, wval, wlen, has_iv ? iv : NULL, in, len, out,
                          &n));
    }
    *out_len = n;
out:
    tk_free_secret(in, len);
    return rv;
}

/* Whether the key type has CKA_VALUE_LEN (AES, generic, ChaCha20). */
static int
tk_type_has_value_len(const CK_ATTRIBUTE *tmpl, CK_ULONG n)
{
    CK_ULONG type = tk_tmpl_ulong(tmpl, n, CKA_KEY_TYPE, CKK_GENERIC_SECRET);

    return type == CKK_AES || type == CKK_GENERIC_SECRET || type == CKK_CHACHA20;
}

/* The new secret key's attributes from its value (len bytes kept). */
static CK_RV
tk_secret_out(const CK_ATTRIBUTE *tmpl, CK_ULONG n, const uint8_t *val, size_t len,
              tk_mech_attrs *out)
{
    CK_RV rv = CKR_OK;

    TK_GUARD(tk_mech_attrs_add(out, CKA_VALUE, val, len));
    if (tk_type_has_value_len(tmpl, n)) {
        TK_GUARD(tk_mech_attrs_add_ulong(out, CKA_VALUE_LEN, len));
    }
out:
    return rv;
}

/* Unwrapped bytes to the length the template wants: KW may carry up to 7
 * zero bytes of padding [PKCS11 3.2 §6.16]; others are exact. */
static CK_RV
tk_unwrap_len(tk_cmode mode, const CK_ATTRIBUTE *tmpl, CK_ULONG n, size_t got, size_t *len)
{
    const CK_ATTRIBUTE *vl = tk_tmpl_find(tmpl, n, CKA_VALUE_LEN);
    CK_ULONG want = tk_tmpl_ulong(tmpl, n, CKA_VALUE_LEN, got);

    if (vl != NULL && vl->ulValueLen != sizeof(CK_ULONG)) {
        return CKR_ATTRIBUTE_VALUE_INVALID;
    }
    if (want > got || (mode == TK_CM_KW ? want + TK_KW_SEMI <= got : want != got)) {
        return CKR_TEMPLATE_INCONSISTENT;
    }
    *len = want;
    return CKR_OK;
}

CK_RV
tk_cipher_unwrap(const tk_mech_desc *d, const CK_MECHANISM *m, const tk_key *unwrapping,
                 const uint8_t *in, CK_ULONG in_len, const CK_ATTRIBUTE *tmpl, CK_ULONG n,
                 tk_mech_attrs *out)
{
    CK_RV rv = CKR_OK;
    tk_cmode mode = tk_cipher_arg_of(d)->mode;
    CK_ULONG cls = tk_tmpl_ulong(tmpl, n, CKA_CLASS, CKO_SECRET_KEY);
    CK_ULONG type;
    const uint8_t *wval = NULL;
    CK_ULONG wlen = 0;
    uint8_t iv[TK_AES_BLOCK] = {0};
    int has_iv = 0;
    uint8_t *buf = NULL;
    size_t got = 0;
    size_t len = 0;

    TK_GUARD(tk_wrap_setup(d, m, unwrapping, &wval, &wlen, iv, &has_iv));
    /* Secret keys and PKCS#8 private keys; public keys are not wrapped. */
    TK_CHECK(cls == CKO_SECRET_KEY || cls == CKO_PRIVATE_KEY, CKR_TEMPLATE_INCONSISTENT);
    TK_CHECK(cls == CKO_SECRET_KEY || tk_tmpl_find(tmpl, n, CKA_KEY_TYPE) != NULL,
             CKR_TEMPLATE_INCOMPLETE);
    buf = malloc(in_len + TK_AES_BLOCK);
    TK_CHECK(buf != NULL, CKR_HOST_MEMORY);
    if (mode == TK_CM_CBC_PAD) {
        rv = tk_cipher_cbc_pad_oneshot(0, wval, wlen, iv, in, in_len, buf, &got);
    } else {
        rv = tk_kw_do(mode == TK_CM_KWP, 0, wval, wlen, has_iv ? iv : NULL, in, in_len, buf,
                      &got);
    }
    /* C_UnwrapKey speaks of the wrapped key, not of encrypted data. */
    TK_CHECK(rv != CKR_ENCRYPTED_DATA_LEN_RANGE, CKR_WRAPPED_KEY_LEN_RANGE);
    TK_CHECK(rv != CKR_ENCRYPTED_DATA_INVALID, CKR_WRAPPED_KEY_INVALID);
    TK_GUARD(rv);
    if (cls == CKO_PRIVATE_KEY) {
        type = tk_tmpl_ulong(tmpl, n, CKA_KEY_TYPE, CK_UNAVAILABLE_INFORMATION);
        rv = tk_mech_key_from_pkcs8(buf, got, cls, type, tmpl, n, out);
        goto out;
    }
    TK_GUARD(tk_unwrap_len(mode, tmpl, n, got, &len));
    TK_CHECK(len > 0, CKR_WRAPPED_KEY_INVALID);
    TK_GUARD(tk_secret_out(tmpl, n, buf, len, out));
out:
    tk_free_secret(buf, buf != NULL ? in_len + TK_AES_BLOCK : 0);
    return rv;
}

/* ---- derivation by data encryption ---- */

/* The data and IV of an *_ENCRYPT_DATA parameter. */
static CK_RV
tk_derive_param(tk_cmode mode, const CK_MECHANISM *m, const uint8_t **data, CK_ULONG *len,
                const uint8_t **iv)
{
    if (mode == TK_CM_DERIVE_ECB) {
        const CK_KEY_DERIVATION_STRING_DATA *p = m->pParameter;
        if (p == NULL || m->ulParameterLen != sizeof(*p)) {
            return CKR_MECHANISM_PARAM_INVALID;
        }
        *data = p->pData;
        *len = p->ulLen;
        *iv = NULL;
    } else {
        const CK_AES_CBC_ENCRYPT_DATA_PARAMS *p = m->pParameter;
        if (p == NULL || m->ulParameterLen != sizeof(*p)) {
            return CKR_MECHANISM_PARAM_INVALID;
        }
        *data = p->pData;
        *len = p->length;
        *iv = p->iv;
    }
    /* No padding: the data is whole blocks. */
    if (*len == 0 || *len % TK_AES_BLOCK != 0 || *data == NULL) {
        return CKR_MECHANISM_PARAM_INVALID;
    }
    return CKR_OK;
}

CK_RV
tk_cipher_derive(const tk_mech_desc *d, const CK_MECHANISM *m, const tk_key *base,
                 const CK_ATTRIBUTE *tmpl, CK_ULONG n, tk_mech_attrs *out)
{
    CK_RV rv = CKR_OK;
    tk_cmode mode = tk_cipher_arg_of(d)->mode;
    const uint8_t *val = NULL;
    CK_ULONG vlen = 0;
    const uint8_t *data = NULL;
    const uint8_t *iv = NULL;
    CK_ULONG len = 0;
    CK_ULONG want;
    uint8_t *buf = NULL;
    tk_cipher *c = NULL;

    TK_GUARD(tk_cipher_key(base, CKK_AES, &val, &vlen));
    TK_GUARD(tk_derive_param(mode, m, &data, &len, &iv));
    TK_GUARD(tk_cipher_key_size(d, vlen));
    /* The new key is the first CKA_VALUE_LEN bytes (default: all). */
    want = tk_tmpl_ulong(tmpl, n, CKA_VALUE_LEN, len);
    TK_CHECK(want > 0 && want <= len, CKR_TEMPLATE_INCONSISTENT);
    buf = malloc(len);
    TK_CHECK(buf != NULL, CKR_HOST_MEMORY);
    TK_GUARD(tk_cipher_new(mode == TK_CM_DERIVE_ECB ? TK_CIPHER_AES_ECB : TK_CIPHER_AES_CBC, 1,
                           val, vlen, &c));
    TK_GUARD(tk_cipher_restart(c, iv));
    TK_GUARD(tk_cipher_update(c, data, len, buf));
    TK_GUARD(tk_secret_out(tmpl, n, buf, want, out));
out:
    tk_cipher_free(c);
    tk_free_secret(buf, buf != NULL ? len : 0);
    return rv;
}
