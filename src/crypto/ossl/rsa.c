/* RSA; see rsa.h. */
#include "crypto/ossl/rsa.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

#include "crypto/ossl/err.h"
#include "crypto/ossl/pkey_internal.h"
#include "util/check.h"
#include "util/wipe.h"

/* OpenSSL's parameter name of each component, in tk_rsa_part order. */
static const char *const tk_rsa_param_names[TK_RSA_PART_COUNT] = {
    OSSL_PKEY_PARAM_RSA_N,         OSSL_PKEY_PARAM_RSA_E,
    OSSL_PKEY_PARAM_RSA_D,         OSSL_PKEY_PARAM_RSA_FACTOR1,
    OSSL_PKEY_PARAM_RSA_FACTOR2,   OSSL_PKEY_PARAM_RSA_EXPONENT1,
    OSSL_PKEY_PARAM_RSA_EXPONENT2, OSSL_PKEY_PARAM_RSA_COEFFICIENT1,
};

struct tk_ossl_rsa {
    EVP_PKEY_CTX *ctx;
    tk_rsa_dir dir;
    tk_rsa_pad pad;
    size_t k;
    size_t hash_len; /* OAEP: the encoding hash's length */
};

/* Significant bits of a big-endian number (leading zeros skipped). */
static size_t
tk_rsa_num_bits(const tk_rsa_num *x)
{
    size_t i = 0;
    size_t bits;
    uint8_t top;

    while (i < x->len && x->v[i] == 0) {
        i++;
    }
    if (i == x->len) {
        return 0;
    }
    bits = 8 * (x->len - i);
    for (top = x->v[i]; (top & 0x80) == 0; top <<= 1) {
        bits--;
    }
    return bits;
}

/*
 * One component as an OpenSSL number. Secret ones are "secure" numbers:
 * the parameter builder then puts them in the block OSSL_PARAM_free()
 * clears (OpenSSL 3.0 has no OSSL_PARAM_clear_free()), and they are
 * flagged constant-time. A NULL x makes an empty secret number.
 */
static CK_RV
tk_rsa_bn(tk_rsa_part which, const tk_rsa_num *x, BIGNUM **bn)
{
    CK_RV rv = CKR_OK;
    int secret = which >= TK_RSA_D;

    *bn = secret ? BN_secure_new() : BN_new();
    TK_GUARD(tk_ossl_rv(*bn != NULL, CKR_HOST_MEMORY));
    if (x != NULL) {
        TK_GUARD(tk_ossl_rv(BN_bin2bn(x->v, (int)x->len, *bn) != NULL, CKR_HOST_MEMORY));
    }
    if (secret) {
        BN_set_flags(*bn, BN_FLG_CONSTTIME);
    }
out:
    return rv;
}

/* Every component given (N, E; D and the CRT values for a private key). */
static CK_RV
tk_rsa_bns(const tk_rsa_num parts[TK_RSA_PART_COUNT], int priv, BIGNUM *bn[TK_RSA_PART_COUNT])
{
    CK_RV rv = CKR_OK;

    for (int i = 0; i < TK_RSA_PART_COUNT; i++) {
        if (i > TK_RSA_E && (!priv || tk_rsa_num_bits(&parts[i]) == 0)) {
            continue;
        }
        TK_GUARD(tk_rsa_bn((tk_rsa_part)i, &parts[i], &bn[i]));
    }
out:
    return rv;
}

/*
 * OpenSSL takes CRT values all together or not at all. A key given with
 * its primes and not every CRT value gets the missing ones from p, q and
 * d: dP = d mod (p-1), dQ = d mod (q-1), qInv = q^-1 mod p [RFC 8017
 * §3.2]. 1 when the key has every CRT value now; 0 (the n, d path, about
 * four times slower) when the primes are missing or do not fit.
 */
static int
tk_rsa_complete_crt(BIGNUM *bn[TK_RSA_PART_COUNT])
{
    BN_CTX *ctx = NULL;
    BIGNUM *pm1 = NULL;
    BIGNUM *qm1 = NULL;
    int ok = 0;

    if (bn[TK_RSA_DP] != NULL && bn[TK_RSA_DQ] != NULL && bn[TK_RSA_QINV] != NULL) {
        return bn[TK_RSA_P] != NULL && bn[TK_RSA_Q] != NULL;
    }
    if (bn[TK_RSA_P] == NULL || bn[TK_RSA_Q] == NULL || bn[TK_RSA_D] == NULL) {
        return 0;
    }
    ctx = BN_CTX_secure_new();
    ok = ctx != NULL && tk_rsa_bn(TK_RSA_P, NULL, &pm1) == CKR_OK &&
         tk_rsa_bn(TK_RSA_Q, NULL, &qm1) == CKR_OK && BN_sub(pm1, bn[TK_RSA_P], BN_value_one()) &&
         BN_sub(qm1, bn[TK_RSA_Q], BN_value_one());
    for (int i = TK_RSA_DP; ok && i <= TK_RSA_QINV; i++) {
        BN_clear_free(bn[i]);
        bn[i] = NULL;
        ok = tk_rsa_bn((tk_rsa_part)i, NULL, &bn[i]) == CKR_OK;
    }
    ok = ok && BN_mod(bn[TK_RSA_DP], bn[TK_RSA_D], pm1, ctx) &&
         BN_mod(bn[TK_RSA_DQ], bn[TK_RSA_D], qm1, ctx) &&
         BN_mod_inverse(bn[TK_RSA_QINV], bn[TK_RSA_Q], bn[TK_RSA_P], ctx) != NULL;
    /* Primes that do not fit leave the key to the n, d path. */
    (void)tk_ossl_rv(1, CKR_OK);
    BN_CTX_free(ctx);
    BN_clear_free(pm1);
    BN_clear_free(qm1);
    return ok;
}

static CK_RV
tk_rsa_check_parts(const tk_rsa_num parts[TK_RSA_PART_COUNT], int priv)
{
    size_t nbits = tk_rsa_num_bits(&parts[TK_RSA_N]);

    if (nbits == 0 || nbits > TK_RSA_BACKEND_MAX_BITS || tk_rsa_num_bits(&parts[TK_RSA_E]) == 0) {
        return CKR_KEY_TYPE_INCONSISTENT;
    }
    if (priv && tk_rsa_num_bits(&parts[TK_RSA_D]) == 0) {
        return CKR_KEY_TYPE_INCONSISTENT;
    }
    return CKR_OK;
}

/* The parameters of the components in bn (CRT values only when crt). */
static CK_RV
tk_rsa_params(BIGNUM *bn[TK_RSA_PART_COUNT], int crt, OSSL_PARAM **params)
{
    CK_RV rv = CKR_OK;
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();

    TK_GUARD(tk_ossl_rv(bld != NULL, CKR_HOST_MEMORY));
    for (int i = 0; i < TK_RSA_PART_COUNT; i++) {
        if (bn[i] == NULL || (i >= TK_RSA_P && !crt)) {
            continue;
        }
        TK_GUARD(tk_ossl_rv(OSSL_PARAM_BLD_push_BN(bld, tk_rsa_param_names[i], bn[i]),
                            CKR_HOST_MEMORY));
    }
    *params = OSSL_PARAM_BLD_to_param(bld);
    TK_GUARD(tk_ossl_rv(*params != NULL, CKR_HOST_MEMORY));
out:
    OSSL_PARAM_BLD_free(bld);
    return rv;
}

/* See rsa.h. */
CK_RV
tk_ossl_rsa_key_new(const tk_rsa_num parts[TK_RSA_PART_COUNT], int priv, tk_ossl_pkey **out)
{
    CK_RV rv = CKR_OK;
    OSSL_PARAM *params = NULL;
    BIGNUM *bn[TK_RSA_PART_COUNT] = {NULL};
    EVP_PKEY_CTX *kctx = NULL;
    EVP_PKEY *pkey = NULL;
    int selection = priv ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY;

    TK_GUARD(tk_rsa_check_parts(parts, priv));
    TK_GUARD(tk_rsa_bns(parts, priv, bn));
    TK_GUARD(tk_rsa_params(bn, priv && tk_rsa_complete_crt(bn), &params));
    kctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
    TK_GUARD(tk_ossl_rv(kctx != NULL, CKR_HOST_MEMORY));
    TK_GUARD(tk_ossl_rv(EVP_PKEY_fromdata_init(kctx), CKR_FUNCTION_FAILED));
    TK_GUARD(tk_ossl_rv(EVP_PKEY_fromdata(kctx, &pkey, selection, params), CKR_FUNCTION_FAILED));
    *out = TK_PKEY_OF(pkey);
out:
    EVP_PKEY_CTX_free(kctx);
    OSSL_PARAM_free(params);
    for (int i = 0; i < TK_RSA_PART_COUNT; i++) {
        BN_clear_free(bn[i]);
    }
    return rv;
}

/* See rsa.h. */
CK_RV
tk_ossl_rsa_generate(size_t bits, const uint8_t *e, size_t e_len, tk_ossl_pkey **out)
{
    CK_RV rv = CKR_OK;
    EVP_PKEY_CTX *ctx = NULL;
    EVP_PKEY *pkey = NULL;
    BIGNUM *be = NULL;

    TK_CHECK(bits <= TK_RSA_BACKEND_MAX_BITS, CKR_FUNCTION_FAILED);
    be = BN_bin2bn(e, (int)e_len, NULL);
    TK_GUARD(tk_ossl_rv(be != NULL, CKR_HOST_MEMORY));
    ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
    TK_GUARD(tk_ossl_rv(ctx != NULL, CKR_HOST_MEMORY));
    TK_GUARD(tk_ossl_rv(EVP_PKEY_keygen_init(ctx), CKR_FUNCTION_FAILED));
    TK_GUARD(tk_ossl_rv(EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, (int)bits), CKR_FUNCTION_FAILED));
    TK_GUARD(tk_ossl_rv(EVP_PKEY_CTX_set1_rsa_keygen_pubexp(ctx, be) > 0,
                        CKR_TEMPLATE_INCONSISTENT));
    /* A refused exponent (even, 1) surfaces here in OpenSSL 3.0. */
    TK_GUARD(tk_ossl_rv(EVP_PKEY_generate(ctx, &pkey) > 0, CKR_TEMPLATE_INCONSISTENT));
    *out = TK_PKEY_OF(pkey);
out:
    BN_free(be);
    EVP_PKEY_CTX_free(ctx);
    return rv;
}

/* See rsa.h. */
CK_RV
tk_ossl_rsa_export(const tk_ossl_pkey *key, tk_rsa_part which, uint8_t **v, size_t *len)
{
    CK_RV rv = CKR_OK;
    BIGNUM *bn = NULL;
    uint8_t *buf = NULL;
    int n;

    TK_CHECK((unsigned)which < TK_RSA_PART_COUNT, CKR_FUNCTION_FAILED);
    TK_GUARD(tk_ossl_rv(EVP_PKEY_get_bn_param(TK_PKEY_EVP(key), tk_rsa_param_names[which], &bn),
                        CKR_FUNCTION_FAILED));
    n = BN_num_bytes(bn);
    TK_CHECK(n > 0, CKR_FUNCTION_FAILED);
    buf = malloc((size_t)n);
    TK_CHECK(buf != NULL, CKR_HOST_MEMORY);
    TK_GUARD(tk_ossl_rv(BN_bn2binpad(bn, buf, n) == n, CKR_FUNCTION_FAILED));
    *v = buf;
    *len = (size_t)n;
    buf = NULL;
out:
    if (buf != NULL) {
        tk_free_secret(buf, (size_t)n);
    }
    BN_clear_free(bn);
    return rv;
}

/* ---- operations ---- */

static int
tk_rsa_ossl_pad(tk_rsa_pad pad, tk_rsa_dir dir)
{
    switch (pad) {
    case TK_RSA_PAD_PKCS1:
        /* Decryption unpads here, in constant time: see rsa.h. */
        return dir == TK_RSA_DECRYPT ? RSA_NO_PADDING : RSA_PKCS1_PADDING;
    case TK_RSA_PAD_PSS:
        return RSA_PKCS1_PSS_PADDING;
    case TK_RSA_PAD_OAEP:
        return RSA_PKCS1_OAEP_PADDING;
    case TK_RSA_PAD_RAW:
    default:
        return RSA_NO_PADDING;
    }
}

static int
tk_rsa_ctx_init(EVP_PKEY_CTX *ctx, tk_rsa_dir dir)
{
    switch (dir) {
    case TK_RSA_SIGN:
        return EVP_PKEY_sign_init(ctx);
    case TK_RSA_VERIFY:
        return EVP_PKEY_verify_init(ctx);
    case TK_RSA_VERIFY_RECOVER:
        return EVP_PKEY_verify_recover_init(ctx);
    case TK_RSA_ENCRYPT:
        return EVP_PKEY_encrypt_init(ctx);
    case TK_RSA_DECRYPT:
    default:
        return EVP_PKEY_decrypt_init(ctx);
    }
}

/* The hash of s that the context needs; NULL when the library lacks it. */
static CK_RV
tk_rsa_md(tk_md_id id, const EVP_MD **md)
{
    *md = tk_ossl_pkey_md(id);
    return *md != NULL ? CKR_OK : CKR_MECHANISM_PARAM_INVALID;
}

static CK_RV
tk_rsa_ctx_pss(EVP_PKEY_CTX *ctx, const tk_rsa_scheme *s)
{
    CK_RV rv = CKR_OK;
    const EVP_MD *md;
    const EVP_MD *mgf;

    TK_GUARD(tk_rsa_md(s->md, &md));
    TK_GUARD(tk_rsa_md(s->mgf_md, &mgf));
    TK_GUARD(tk_ossl_rv(EVP_PKEY_CTX_set_signature_md(ctx, md) > 0, CKR_FUNCTION_FAILED));
    TK_GUARD(tk_ossl_rv(EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, mgf) > 0, CKR_FUNCTION_FAILED));
    TK_GUARD(tk_ossl_rv(EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, (int)s->salt_len) > 0,
                        CKR_MECHANISM_PARAM_INVALID));
out:
    return rv;
}

static CK_RV
tk_rsa_ctx_oaep(EVP_PKEY_CTX *ctx, const tk_rsa_scheme *s)
{
    CK_RV rv = CKR_OK;
    const EVP_MD *md;
    const EVP_MD *mgf;
    OSSL_PARAM label[2];

    TK_GUARD(tk_rsa_md(s->md, &md));
    TK_GUARD(tk_rsa_md(s->mgf_md, &mgf));
    TK_GUARD(tk_ossl_rv(EVP_PKEY_CTX_set_rsa_oaep_md(ctx, md) > 0, CKR_FUNCTION_FAILED));
    TK_GUARD(tk_ossl_rv(EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, mgf) > 0, CKR_FUNCTION_FAILED));
    if (s->label_len > 0) {
        /* Through a parameter: the provider copies it, where the set0
         * call would take ownership of an OPENSSL_malloc()ed buffer. */
        label[0] = OSSL_PARAM_construct_octet_string(OSSL_ASYM_CIPHER_PARAM_OAEP_LABEL,
                                                     (void *)s->label, s->label_len);
        label[1] = OSSL_PARAM_construct_end();
        TK_GUARD(tk_ossl_rv(EVP_PKEY_CTX_set_params(ctx, label), CKR_FUNCTION_FAILED));
    }
out:
    return rv;
}

static CK_RV
tk_rsa_ctx_scheme(EVP_PKEY_CTX *ctx, tk_rsa_dir dir, const tk_rsa_scheme *s)
{
    CK_RV rv = CKR_OK;
    const EVP_MD *md;

    TK_GUARD(tk_ossl_rv(EVP_PKEY_CTX_set_rsa_padding(ctx, tk_rsa_ossl_pad(s->pad, dir)) > 0,
                        CKR_FUNCTION_FAILED));
    if (s->pad == TK_RSA_PAD_PSS) {
        TK_GUARD(tk_rsa_ctx_pss(ctx, s));
    } else if (s->pad == TK_RSA_PAD_OAEP) {
        TK_GUARD(tk_rsa_ctx_oaep(ctx, s));
    } else if (s->pad == TK_RSA_PAD_PKCS1 && s->md != TK_MD_COUNT) {
        TK_GUARD(tk_rsa_md(s->md, &md));
        TK_GUARD(tk_ossl_rv(EVP_PKEY_CTX_set_signature_md(ctx, md) > 0, CKR_FUNCTION_FAILED));
    }
out:
    return rv;
}

/* See rsa.h. */
CK_RV
tk_ossl_rsa_new(tk_ossl_pkey *key, tk_rsa_dir dir, const tk_rsa_scheme *s, tk_ossl_rsa **out)
{
    CK_RV rv = CKR_OK;
    tk_ossl_rsa *c = calloc(1, sizeof(*c));
    int k = EVP_PKEY_get_size(TK_PKEY_EVP(key));

    TK_CHECK(c != NULL, CKR_HOST_MEMORY);
    TK_CHECK(k > 0, CKR_FUNCTION_FAILED);
    c->dir = dir;
    c->pad = s->pad;
    c->k = (size_t)k;
    c->hash_len = s->pad == TK_RSA_PAD_OAEP ? tk_ossl_md_size(s->md) : 0;
    /* The context holds its own reference to the key. */
    c->ctx = EVP_PKEY_CTX_new_from_pkey(NULL, TK_PKEY_EVP(key), NULL);
    TK_GUARD(tk_ossl_rv(c->ctx != NULL, CKR_HOST_MEMORY));
    TK_GUARD(tk_ossl_rv(tk_rsa_ctx_init(c->ctx, dir) > 0, CKR_FUNCTION_FAILED));
    TK_GUARD(tk_rsa_ctx_scheme(c->ctx, dir, s));
    *out = c;
    c = NULL;
out:
    tk_ossl_rsa_free(c);
    return rv;
}

/* See rsa.h. */
void
tk_ossl_rsa_free(tk_ossl_rsa *c)
{
    if (c == NULL) {
        return;
    }
    EVP_PKEY_CTX_free(c->ctx);
    tk_free_secret(c, sizeof(*c));
}

/* See rsa.h. */
size_t
tk_ossl_rsa_len(const tk_ossl_rsa *c)
{
    return c->k;
}

/*
 * RAW input as a k-byte number: zeros on the left [PKCS11 3.2 §6.1.12].
 * buf holds k bytes. 0 when in is longer than k.
 */
static int
tk_rsa_left_pad(const tk_ossl_rsa *c, const uint8_t *in, size_t in_len, uint8_t *buf)
{
    if (in_len > c->k) {
        return 0;
    }
    memset(buf, 0, c->k - in_len);
    if (in_len > 0) {
        memcpy(buf + c->k - in_len, in, in_len);
    }
    return 1;
}

/* A scratch buffer of k bytes; wiped and freed with tk_free_secret(). */
static CK_RV
tk_rsa_scratch(const tk_ossl_rsa *c, uint8_t **buf)
{
    *buf = malloc(c->k);
    return *buf != NULL ? CKR_OK : CKR_HOST_MEMORY;
}

/* See rsa.h. */
CK_RV
tk_ossl_rsa_sign(tk_ossl_rsa *c, const uint8_t *in, size_t in_len, uint8_t *out)
{
    CK_RV rv = CKR_OK;
    uint8_t *buf = NULL;
    uint8_t *sig = NULL;
    size_t sig_len = c->k;

    TK_GUARD(tk_rsa_scratch(c, &sig));
    if (c->pad == TK_RSA_PAD_RAW) {
        TK_GUARD(tk_rsa_scratch(c, &buf));
        TK_CHECK(tk_rsa_left_pad(c, in, in_len, buf), CKR_DATA_LEN_RANGE);
        in = buf;
        in_len = c->k;
    }
    /* RAW data at or above the modulus is the only input OpenSSL refuses
     * once the lengths are right. */
    TK_GUARD(tk_ossl_rv(EVP_PKEY_sign(c->ctx, sig, &sig_len, in, in_len) > 0,
                        c->pad == TK_RSA_PAD_RAW ? CKR_DATA_INVALID : CKR_FUNCTION_FAILED));
    TK_CHECK(sig_len == c->k, CKR_FUNCTION_FAILED);
    memcpy(out, sig, c->k);
out:
    tk_free_secret(buf, c->k);
    tk_free_secret(sig, c->k);
    return rv;
}

/* See rsa.h. */
CK_RV
tk_ossl_rsa_verify(tk_ossl_rsa *c, const uint8_t *data, size_t len, const uint8_t *sig,
                   size_t sig_len)
{
    CK_RV rv = CKR_OK;
    uint8_t *buf = NULL;

    TK_CHECK(sig_len == c->k, CKR_SIGNATURE_LEN_RANGE);
    if (c->pad == TK_RSA_PAD_RAW) {
        TK_GUARD(tk_rsa_scratch(c, &buf));
        TK_CHECK(tk_rsa_left_pad(c, data, len, buf), CKR_SIGNATURE_INVALID);
        data = buf;
        len = c->k;
    }
    rv = tk_ossl_rv_expected(EVP_PKEY_verify(c->ctx, sig, sig_len, data, len) == 1,
                    CKR_SIGNATURE_INVALID);
out:
    tk_free_secret(buf, c->k);
    return rv;
}

/* See rsa.h. */
CK_RV
tk_ossl_rsa_verify_recover(tk_ossl_rsa *c, const uint8_t *sig, size_t sig_len, uint8_t *out,
                           size_t *out_len)
{
    CK_RV rv = CKR_OK;
    uint8_t *buf = NULL;
    size_t n = c->k;

    TK_CHECK(sig_len == c->k, CKR_SIGNATURE_LEN_RANGE);
    TK_GUARD(tk_rsa_scratch(c, &buf));
    TK_GUARD(tk_ossl_rv_expected(EVP_PKEY_verify_recover(c->ctx, buf, &n, sig, sig_len) > 0,
                        CKR_SIGNATURE_INVALID));
    TK_CHECK(n <= c->k, CKR_FUNCTION_FAILED);
    if (n > *out_len) {
        *out_len = n;
        rv = CKR_BUFFER_TOO_SMALL;
        goto out;
    }
    memcpy(out, buf, n);
    *out_len = n;
out:
    tk_free_secret(buf, c->k);
    return rv;
}

/* The longest message the encoding carries [RFC 8017 §7.1.1, §7.2.1]. */
static size_t
tk_rsa_max_plain(const tk_ossl_rsa *c)
{
    if (c->pad == TK_RSA_PAD_OAEP) {
        return c->k >= 2 * c->hash_len + 2 ? c->k - 2 * c->hash_len - 2 : 0;
    }
    return c->k >= 11 ? c->k - 11 : 0;
}

/* See rsa.h. */
CK_RV
tk_ossl_rsa_encrypt(tk_ossl_rsa *c, const uint8_t *in, size_t in_len, uint8_t *out)
{
    CK_RV rv = CKR_OK;
    uint8_t *buf = NULL;
    uint8_t *ct = NULL;
    size_t ct_len = c->k;

    TK_GUARD(tk_rsa_scratch(c, &ct));
    if (c->pad == TK_RSA_PAD_RAW) {
        TK_GUARD(tk_rsa_scratch(c, &buf));
        TK_CHECK(tk_rsa_left_pad(c, in, in_len, buf), CKR_DATA_LEN_RANGE);
        in = buf;
        in_len = c->k;
    }
    TK_CHECK(c->pad == TK_RSA_PAD_RAW || in_len <= tk_rsa_max_plain(c), CKR_DATA_LEN_RANGE);
    TK_GUARD(tk_ossl_rv(EVP_PKEY_encrypt(c->ctx, ct, &ct_len, in, in_len) > 0,
                        c->pad == TK_RSA_PAD_RAW ? CKR_DATA_INVALID : CKR_FUNCTION_FAILED));
    TK_CHECK(ct_len == c->k, CKR_FUNCTION_FAILED);
    memcpy(out, ct, c->k);
out:
    tk_free_secret(buf, c->k);
    tk_free_secret(ct, c->k);
    return rv;
}

/* All-ones when a < b, else 0; both below 2^63. Constant time. */
static uint64_t
tk_rsa_ct_lt_mask(uint64_t a, uint64_t b)
{
    return 0 - ((a - b) >> 63);
}

/* See rsa.h. */
uint64_t
tk_ossl_rsa_pkcs1_unpad_ct(const uint8_t *em, size_t k, size_t *msg_off)
{
    uint64_t good;
    uint64_t seen = 0; /* all-ones once the separating zero was met */
    uint64_t zero_at = 0;

    if (k < 11) {
        /* Public: k is the key's length. */
        *msg_off = 0;
        return 0;
    }
    good = tk_ct_is_zero_mask64(em[0]) & tk_ct_is_zero_mask64(em[1] ^ 2u);
    for (size_t i = 2; i < k; i++) {
        uint64_t is_zero = tk_ct_is_zero_mask64(em[i]);
        zero_at |= is_zero & ~seen & (uint64_t)i;
        seen |= is_zero;
    }
    /* A separator, and at least 8 padding bytes before it. */
    good &= seen & ~tk_rsa_ct_lt_mask(zero_at, 10);
    *msg_off = (size_t)(zero_at + 1);
    return good;
}

/* Copy the decrypted message out, or say how long it is. */
static CK_RV
tk_rsa_emit(const uint8_t *msg, size_t n, uint8_t *out, size_t *out_len)
{
    if (n > *out_len) {
        *out_len = n;
        return CKR_BUFFER_TOO_SMALL;
    }
    if (n > 0) {
        memcpy(out, msg, n);
    }
    *out_len = n;
    return CKR_OK;
}

/* PKCS #1 v1.5: raw RSA, then the constant-time check above. */
static CK_RV
tk_rsa_decrypt_pkcs1(tk_ossl_rsa *c, const uint8_t *in, uint8_t *em, uint8_t *out,
                     size_t *out_len)
{
    size_t n = c->k;
    size_t off = 0;
    uint64_t good;
    int ok = EVP_PKEY_decrypt(c->ctx, em, &n, in, c->k) > 0 && n == c->k;

    /* Only a ciphertext at or above the modulus fails here; that is
     * public (the modulus is), so this exit reveals nothing. */
    if (tk_ossl_rv(ok, CKR_ENCRYPTED_DATA_INVALID) != CKR_OK) {
        return CKR_ENCRYPTED_DATA_INVALID;
    }
    good = tk_ossl_rsa_pkcs1_unpad_ct(em, c->k, &off);
    /* The one branch on the verdict: it becomes the return value. */
    if (good == 0) {
        return CKR_ENCRYPTED_DATA_INVALID;
    }
    return tk_rsa_emit(em + off, c->k - off, out, out_len);
}

/* RAW and OAEP: OpenSSL decodes (OAEP in constant time) into em. */
static CK_RV
tk_rsa_decrypt_lib(tk_ossl_rsa *c, const uint8_t *in, uint8_t *em, uint8_t *out,
                   size_t *out_len)
{
    size_t n = c->k;
    int ok = EVP_PKEY_decrypt(c->ctx, em, &n, in, c->k) > 0;

    if (tk_ossl_rv_expected(ok, CKR_ENCRYPTED_DATA_INVALID) != CKR_OK || n > c->k) {
        return CKR_ENCRYPTED_DATA_INVALID;
    }
    return tk_rsa_emit(em, n, out, out_len);
}

/* See rsa.h. */
CK_RV
tk_ossl_rsa_decrypt(tk_ossl_rsa *c, const uint8_t *in, size_t in_len, uint8_t *out,
                    size_t *out_len)
{
    CK_RV rv = CKR_OK;
    uint8_t *em = NULL;

    TK_CHECK(in_len == c->k, CKR_ENCRYPTED_DATA_LEN_RANGE);
    TK_GUARD(tk_rsa_scratch(c, &em));
    if (c->pad == TK_RSA_PAD_PKCS1) {
        rv = tk_rsa_decrypt_pkcs1(c, in, em, out, out_len);
    } else {
        rv = tk_rsa_decrypt_lib(c, in, em, out, out_len);
    }
out:
    tk_free_secret(em, c->k);
    return rv;
}
