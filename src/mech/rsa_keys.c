/*
 * RSA key management: key pair generation [PKCS11 3.2 §6.1.4] and the
 * wrapping of secret keys with raw RSA, PKCS #1 v1.5 and OAEP: the
 * wrapped data is the secret key's CKA_VALUE, nothing else.
 */
#include <stdlib.h>
#include <string.h>

#include "mech/rsa_internal.h"
#include "util/check.h"
#include "util/wipe.h"

/* 65537, the exponent when the template names none. */
static const uint8_t tk_rsa_f4[] = {0x01, 0x00, 0x01};

/* The public exponents the token makes keys with: odd, at least 3, at
 * most 256 bits (what OpenSSL's generator accepts for every size). */
static int
tk_rsa_exponent_ok(const uint8_t *e, size_t len)
{
    size_t i = 0;

    while (i < len && e[i] == 0) {
        i++;
    }
    if (i == len || len - i > 32 || (e[len - 1] & 1) == 0) {
        return 0;
    }
    return len - i > 1 || e[len - 1] >= 3;
}

/* CKA_MODULUS_BITS and CKA_PUBLIC_EXPONENT from the public template. */
static CK_RV
tk_rsa_gen_inputs(const tk_mech_desc *d, const CK_ATTRIBUTE *tmpl, CK_ULONG n, CK_ULONG *bits,
                  const uint8_t **e, size_t *e_len)
{
    CK_RV rv = CKR_OK;
    const CK_ATTRIBUTE *a = tk_tmpl_find(tmpl, n, CKA_MODULUS_BITS);

    TK_CHECK(a != NULL, CKR_TEMPLATE_INCOMPLETE);
    TK_CHECK(a->pValue != NULL && a->ulValueLen == sizeof(CK_ULONG), CKR_ATTRIBUTE_VALUE_INVALID);
    memcpy(bits, a->pValue, sizeof(*bits));
    TK_CHECK(*bits >= d->min_key && *bits <= d->max_key, CKR_KEY_SIZE_RANGE);
    a = tk_tmpl_find(tmpl, n, CKA_PUBLIC_EXPONENT);
    if (a == NULL) {
        *e = tk_rsa_f4;
        *e_len = sizeof(tk_rsa_f4);
        goto out;
    }
    TK_CHECK(a->pValue != NULL && a->ulValueLen > 0, CKR_ATTRIBUTE_VALUE_INVALID);
    /* [PKCS11 3.2 §6.1.4]: an exponent the token cannot use. */
    TK_CHECK(tk_rsa_exponent_ok(a->pValue, a->ulValueLen), CKR_TEMPLATE_INCONSISTENT);
    *e = a->pValue;
    *e_len = a->ulValueLen;
out:
    return rv;
}

/* Append component which of key to list under type. */
static CK_RV
tk_rsa_put(tk_mech_attrs *list, CK_ATTRIBUTE_TYPE type, const tk_ossl_pkey *key,
           tk_rsa_part which)
{
    CK_RV rv = CKR_OK;
    uint8_t *v = NULL;
    size_t len = 0;

    TK_GUARD(tk_ossl_rsa_export(key, which, &v, &len));
    TK_GUARD(tk_mech_attrs_add(list, type, v, len));
out:
    tk_free_secret(v, len);
    return rv;
}

static CK_RV
tk_rsa_put_spki(tk_mech_attrs *pub, tk_mech_attrs *priv, const tk_ossl_pkey *key)
{
    CK_RV rv = CKR_OK;
    uint8_t *der = NULL;
    size_t len = 0;

    TK_GUARD(tk_ossl_pkey_spki(key, &der, &len));
    TK_GUARD(tk_mech_attrs_add(pub, CKA_PUBLIC_KEY_INFO, der, len));
    TK_GUARD(tk_mech_attrs_add(priv, CKA_PUBLIC_KEY_INFO, der, len));
out:
    free(der);
    return rv;
}

/* The private key's values, in the order of [PKCS11 3.2 §6.1.3]. */
static CK_RV
tk_rsa_put_private(tk_mech_attrs *priv, const tk_ossl_pkey *key)
{
    static const struct {
        CK_ATTRIBUTE_TYPE type;
        tk_rsa_part part;
    } map[] = {
        {CKA_MODULUS, TK_RSA_N},          {CKA_PUBLIC_EXPONENT, TK_RSA_E},
        {CKA_PRIVATE_EXPONENT, TK_RSA_D}, {CKA_PRIME_1, TK_RSA_P},
        {CKA_PRIME_2, TK_RSA_Q},          {CKA_EXPONENT_1, TK_RSA_DP},
        {CKA_EXPONENT_2, TK_RSA_DQ},      {CKA_COEFFICIENT, TK_RSA_QINV},
    };
    CK_RV rv = CKR_OK;

    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        TK_GUARD(tk_rsa_put(priv, map[i].type, key, map[i].part));
    }
out:
    return rv;
}

/* See rsa_internal.h. */
CK_RV
tk_rsa_generate_pair(const tk_mech_desc *d, const CK_MECHANISM *m, const CK_ATTRIBUTE *pub_tmpl,
                     CK_ULONG n_pub, const CK_ATTRIBUTE *priv_tmpl, CK_ULONG n_priv,
                     CK_KEY_TYPE *key_type, tk_mech_attrs *pub_out, tk_mech_attrs *priv_out)
{
    CK_RV rv = CKR_OK;
    tk_rsa_params p;
    CK_ULONG bits = 0;
    const uint8_t *e = NULL;
    size_t e_len = 0;
    tk_ossl_pkey *key = NULL;

    (void)priv_tmpl;
    (void)n_priv;
    TK_GUARD(tk_rsa_parse_params(d, m, &p));
    TK_GUARD(tk_rsa_gen_inputs(d, pub_tmpl, n_pub, &bits, &e, &e_len));
    TK_GUARD(tk_ossl_rsa_generate(bits, e, e_len, &key));
    TK_GUARD(tk_rsa_put(pub_out, CKA_MODULUS, key, TK_RSA_N));
    /* Copied as given [PKCS11 3.2 §6.1.4], so the template agrees. */
    TK_GUARD(tk_mech_attrs_add(pub_out, CKA_PUBLIC_EXPONENT, e, e_len));
    TK_GUARD(tk_rsa_put_private(priv_out, key));
    TK_GUARD(tk_rsa_put_spki(pub_out, priv_out, key));
    *key_type = CKK_RSA;
out:
    tk_ossl_pkey_free(key);
    return rv;
}

/* ---- wrapping ---- */

/* Parameter, size and fit checks shared by wrap and unwrap. */
static CK_RV
tk_rsa_wrap_setup(const tk_mech_desc *d, const CK_MECHANISM *m, const tk_key *key,
                  CK_OBJECT_CLASS cls, CK_RV bad_type, CK_RV bad_size, tk_rsa_params *p,
                  size_t *k)
{
    CK_RV rv = CKR_OK;
    size_t bits;

    TK_CHECK(key->type == CKK_RSA && key->cls == cls, bad_type);
    TK_GUARD(tk_rsa_parse_params(d, m, p));
    bits = tk_rsa_key_bits(key);
    TK_CHECK(bits >= d->min_key && bits <= d->max_key, bad_size);
    TK_GUARD(tk_rsa_params_fit(p, bits));
    *k = (bits + 7) / 8;
out:
    return rv;
}

/* Encrypt a secret value under a loaded public key into out (k bytes). */
static CK_RV
tk_rsa_wrap_value(const tk_key *wrapping, const tk_rsa_params *p, const CK_ATTRIBUTE *v,
                  uint8_t *out)
{
    CK_RV rv = CKR_OK;
    tk_ossl_pkey *pkey = NULL;
    tk_rsa_cache *cache = NULL;
    tk_ossl_rsa *c = NULL;

    TK_GUARD(tk_rsa_key_get(wrapping, 0, &pkey, &cache));
    TK_GUARD(tk_ossl_rsa_new(pkey, TK_RSA_ENCRYPT, &p->s, &c));
    rv = tk_ossl_rsa_encrypt(c, v->pValue, v->ulValueLen, out);
    /* Raw RSA: a value at or above the modulus cannot be wrapped. */
    if (rv == CKR_DATA_INVALID || rv == CKR_DATA_LEN_RANGE) {
        rv = CKR_KEY_SIZE_RANGE;
    }
out:
    tk_ossl_rsa_free(c);
    tk_rsa_cache_drop(cache);
    tk_ossl_pkey_free(pkey);
    return rv;
}

/* See rsa_internal.h. */
CK_RV
tk_rsa_wrap(const tk_mech_desc *d, const CK_MECHANISM *m, const tk_key *wrapping,
            const tk_key *key, uint8_t *out, CK_ULONG *out_len)
{
    CK_RV rv = CKR_OK;
    tk_rsa_params p;
    size_t k = 0;
    const CK_ATTRIBUTE *v = tk_key_attr(key, CKA_VALUE);

    TK_GUARD(tk_rsa_wrap_setup(d, m, wrapping, CKO_PUBLIC_KEY, CKR_WRAPPING_KEY_TYPE_INCONSISTENT,
                               CKR_WRAPPING_KEY_SIZE_RANGE, &p, &k));
    /* Only a secret key's value fits in one RSA block. */
    TK_CHECK(key->cls == CKO_SECRET_KEY && v != NULL && v->pValue != NULL && v->ulValueLen > 0,
             CKR_KEY_NOT_WRAPPABLE);
    TK_CHECK(v->ulValueLen <= tk_rsa_max_input(&p, k), CKR_KEY_SIZE_RANGE);
    if (out == NULL || *out_len < k) {
        rv = out == NULL ? CKR_OK : CKR_BUFFER_TOO_SMALL;
        *out_len = k;
        goto out;
    }
    TK_GUARD(tk_rsa_wrap_value(wrapping, &p, v, out));
    *out_len = k;
out:
    return rv;
}

/*
 * How many bytes of the decrypted block are the key: all of them, except
 * for raw RSA, where the template's CKA_VALUE_LEN says how many are taken
 * from the end [PKCS11 3.2 §6.1.12].
 */
static CK_RV
tk_rsa_unwrap_len(const tk_rsa_params *p, size_t k, const CK_ATTRIBUTE *tmpl, CK_ULONG n,
                  size_t *want)
{
    CK_RV rv = CKR_OK;
    CK_ULONG len = tk_tmpl_ulong(tmpl, n, CKA_VALUE_LEN, 0);

    *want = 0;
    TK_CHECK(tk_tmpl_ulong(tmpl, n, CKA_CLASS, CKO_SECRET_KEY) == CKO_SECRET_KEY,
             CKR_TEMPLATE_INCONSISTENT);
    if (p->s.pad == TK_RSA_PAD_RAW) {
        TK_CHECK(len > 0, CKR_TEMPLATE_INCOMPLETE);
        TK_CHECK(len <= k, CKR_TEMPLATE_INCONSISTENT);
        *want = len;
    }
out:
    return rv;
}

/* Decrypt in (k bytes) into plain (k bytes); *len gets the plaintext's. */
static CK_RV
tk_rsa_unwrap_block(const tk_key *unwrapping, const tk_rsa_params *p, const uint8_t *in,
                    size_t k, uint8_t *plain, size_t *len)
{
    CK_RV rv = CKR_OK;
    tk_ossl_pkey *pkey = NULL;
    tk_rsa_cache *cache = NULL;
    tk_ossl_rsa *c = NULL;

    TK_GUARD(tk_rsa_key_get(unwrapping, 1, &pkey, &cache));
    TK_GUARD(tk_ossl_rsa_new(pkey, TK_RSA_DECRYPT, &p->s, &c));
    *len = k;
    rv = tk_ossl_rsa_decrypt(c, in, k, plain, len);
    /* One answer for every bad block, as for C_Decrypt. */
    if (rv == CKR_ENCRYPTED_DATA_INVALID) {
        rv = CKR_WRAPPED_KEY_INVALID;
    }
out:
    tk_ossl_rsa_free(c);
    tk_rsa_cache_drop(cache);
    tk_ossl_pkey_free(pkey);
    return rv;
}

static CK_RV
tk_rsa_unwrap_emit(const uint8_t *v, size_t len, tk_mech_attrs *out)
{
    CK_RV rv = CKR_OK;

    TK_CHECK(len > 0, CKR_WRAPPED_KEY_INVALID);
    TK_GUARD(tk_mech_attrs_add_ulong(out, CKA_CLASS, CKO_SECRET_KEY));
    TK_GUARD(tk_mech_attrs_add(out, CKA_VALUE, v, len));
    TK_GUARD(tk_mech_attrs_add_ulong(out, CKA_VALUE_LEN, len));
out:
    return rv;
}

/* See rsa_internal.h. */
CK_RV
tk_rsa_unwrap(const tk_mech_desc *d, const CK_MECHANISM *m, const tk_key *unwrapping,
              const uint8_t *in, CK_ULONG in_len, const CK_ATTRIBUTE *tmpl, CK_ULONG n,
              tk_mech_attrs *out)
{
    CK_RV rv = CKR_OK;
    tk_rsa_params p;
    size_t k = 0;
    size_t want = 0;
    size_t len = 0;
    uint8_t *plain = NULL;

    TK_GUARD(tk_rsa_wrap_setup(d, m, unwrapping, CKO_PRIVATE_KEY,
                               CKR_UNWRAPPING_KEY_TYPE_INCONSISTENT,
                               CKR_UNWRAPPING_KEY_SIZE_RANGE, &p, &k));
    TK_CHECK(in_len == k, CKR_WRAPPED_KEY_LEN_RANGE);
    TK_GUARD(tk_rsa_unwrap_len(&p, k, tmpl, n, &want));
    plain = malloc(k);
    TK_CHECK(plain != NULL, CKR_HOST_MEMORY);
    TK_GUARD(tk_rsa_unwrap_block(unwrapping, &p, in, k, plain, &len));
    if (want > 0) {
        TK_GUARD(tk_rsa_unwrap_emit(plain + len - want, want, out));
    } else {
        TK_GUARD(tk_rsa_unwrap_emit(plain, len, out));
    }
out:
    tk_free_secret(plain, k);
    return rv;
}
