/* ECDSA and EdDSA signatures; see ec.h. */
#include <pthread.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "crypto/ossl/ec_internal.h"
#include "crypto/ossl/err.h"
#include "util/check.h"
#include "util/wipe.h"

/* A DER ECDSA-Sig-Value of the largest curve (P-521) fits. */
#define TK_ECDSA_DER_MAX (TK_EC_MAX_SIG + 16)

enum { TK_EC_PCTX_SIGN = 1, TK_EC_PCTX_VERIFY = 2 };

/* key's kept context for kind, made on first use. */
static CK_RV
tk_ec_pctx(tk_ossl_ec_key *key, int kind)
{
    CK_RV rv = CKR_OK;
    int ok;

    if (key->pctx != NULL && key->pctx_kind == kind) {
        return CKR_OK;
    }
    EVP_PKEY_CTX_free(key->pctx);
    key->pctx_kind = 0;
    key->pctx = EVP_PKEY_CTX_new_from_pkey(NULL, key->pkey, NULL);
    TK_GUARD(tk_ossl_rv(key->pctx != NULL, CKR_HOST_MEMORY));
    ok = kind == TK_EC_PCTX_SIGN ? EVP_PKEY_sign_init(key->pctx)
                                 : EVP_PKEY_verify_init(key->pctx);
    TK_GUARD(tk_ossl_rv(ok, CKR_FUNCTION_FAILED));
    key->pctx_kind = kind;
out:
    return rv;
}

/* r and s of a DER signature, each padded to flen bytes. */
static CK_RV
tk_ecdsa_der_to_rs(const uint8_t *der, size_t der_len, size_t flen, uint8_t *sig)
{
    CK_RV rv = CKR_OK;
    const unsigned char *p = der;
    ECDSA_SIG *s = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
    const BIGNUM *r = NULL;
    const BIGNUM *sv = NULL;

    TK_GUARD(tk_ossl_rv(s != NULL, CKR_FUNCTION_FAILED));
    ECDSA_SIG_get0(s, &r, &sv);
    TK_GUARD(tk_ossl_rv(BN_bn2binpad(r, sig, (int)flen) == (int)flen, CKR_FUNCTION_FAILED));
    TK_GUARD(tk_ossl_rv(BN_bn2binpad(sv, sig + flen, (int)flen) == (int)flen,
                        CKR_FUNCTION_FAILED));
out:
    ECDSA_SIG_free(s);
    return rv;
}

/* The DER form of r || s (each flen bytes) into der. */
static CK_RV
tk_ecdsa_rs_to_der(const uint8_t *sig, size_t flen, uint8_t *der, size_t *der_len)
{
    CK_RV rv = CKR_OK;
    ECDSA_SIG *s = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(sig, (int)flen, NULL);
    BIGNUM *sv = BN_bin2bn(sig + flen, (int)flen, NULL);
    unsigned char *p = der;
    int n;

    TK_GUARD(tk_ossl_rv(s != NULL && r != NULL && sv != NULL, CKR_HOST_MEMORY));
    TK_GUARD(tk_ossl_rv(ECDSA_SIG_set0(s, r, sv), CKR_FUNCTION_FAILED));
    r = NULL;
    sv = NULL;
    n = i2d_ECDSA_SIG(s, NULL);
    TK_GUARD(tk_ossl_rv(n > 0 && (size_t)n <= TK_ECDSA_DER_MAX, CKR_FUNCTION_FAILED));
    n = i2d_ECDSA_SIG(s, &p);
    TK_GUARD(tk_ossl_rv(n > 0, CKR_FUNCTION_FAILED));
    *der_len = (size_t)n;
out:
    BN_free(r);
    BN_free(sv);
    ECDSA_SIG_free(s);
    return rv;
}

CK_RV
tk_ossl_ecdsa_sign(tk_ossl_ec_key *key, const uint8_t *hash, size_t hash_len, uint8_t *sig)
{
    CK_RV rv = CKR_OK;
    const tk_ec_curve_desc *c = tk_ossl_ec_desc(key->curve);
    uint8_t der[TK_ECDSA_DER_MAX];
    size_t der_len = sizeof(der);

    TK_CHECK(c->group != NULL, CKR_FUNCTION_FAILED);
    TK_GUARD(tk_ec_pctx(key, TK_EC_PCTX_SIGN));
    /* No digest is set on the context, so any hash length is taken and
     * cut to the order's bit length by the library. */
    TK_GUARD(tk_ossl_rv(EVP_PKEY_sign(key->pctx, der, &der_len, hash, hash_len),
                        CKR_FUNCTION_FAILED));
    TK_GUARD(tk_ecdsa_der_to_rs(der, der_len, c->sizes.priv_len, sig));
out:
    return rv;
}

CK_RV
tk_ossl_ecdsa_verify(tk_ossl_ec_key *key, const uint8_t *hash, size_t hash_len,
                     const uint8_t *sig, size_t sig_len)
{
    CK_RV rv = CKR_OK;
    const tk_ec_curve_desc *c = tk_ossl_ec_desc(key->curve);
    uint8_t der[TK_ECDSA_DER_MAX];
    size_t der_len = 0;

    TK_CHECK(c->group != NULL, CKR_FUNCTION_FAILED);
    TK_CHECK(sig_len == c->sizes.sig_len, CKR_SIGNATURE_LEN_RANGE);
    TK_GUARD(tk_ecdsa_rs_to_der(sig, c->sizes.priv_len, der, &der_len));
    TK_GUARD(tk_ec_pctx(key, TK_EC_PCTX_VERIFY));
    /* 0 (a wrong signature) and a negative error both mean invalid;
     * r or s of zero or not below the order end here too. */
    TK_GUARD(tk_ossl_rv(EVP_PKEY_verify(key->pctx, der, der_len, hash, hash_len),
                        CKR_SIGNATURE_INVALID));
out:
    return rv;
}

/* ---- EdDSA ---- */

static int tk_eddsa_variants;
static pthread_once_t tk_eddsa_once = PTHREAD_ONCE_INIT;

/* OpenSSL 3.0 ignores signature parameters it does not know, so whether
 * it takes an EdDSA instance must be asked, not tried. */
static void
tk_eddsa_probe(void)
{
    EVP_SIGNATURE *s = EVP_SIGNATURE_fetch(NULL, "ED25519", NULL);
    const OSSL_PARAM *p = s != NULL ? EVP_SIGNATURE_settable_ctx_params(s) : NULL;

    tk_eddsa_variants = p != NULL && OSSL_PARAM_locate_const(p, "instance") != NULL;
    EVP_SIGNATURE_free(s);
    (void)tk_ossl_rv(1, CKR_OK);
}

int
tk_ossl_eddsa_has_variants(void)
{
    pthread_once(&tk_eddsa_once, tk_eddsa_probe);
    return tk_eddsa_variants;
}

static int
tk_eddsa_is_plain(const tk_eddsa_opts *o)
{
    return o == NULL || (!o->prehash && o->context_len == 0);
}

/* The instance name of a variant [RFC 8032 §5.1, §5.2]. */
static const char *
tk_eddsa_instance(tk_ec_curve curve, const tk_eddsa_opts *o)
{
    if (curve == TK_EC_ED25519) {
        return o->prehash ? "Ed25519ph" : "Ed25519ctx";
    }
    return o->prehash ? "Ed448ph" : "Ed448";
}

/* Ask the library for the variant, where it has them. */
static CK_RV
tk_eddsa_set_variant(tk_ossl_ec_key *key, const tk_eddsa_opts *o)
{
    OSSL_PARAM p[3];
    size_t i = 0;

    if (tk_eddsa_is_plain(o)) {
        return CKR_OK;
    }
    if (!tk_ossl_eddsa_has_variants() || o->context_len > 255) {
        return CKR_MECHANISM_PARAM_INVALID;
    }
    p[i++] = OSSL_PARAM_construct_utf8_string("instance",
                                              (char *)tk_eddsa_instance(key->curve, o), 0);
    if (o->context_len > 0) {
        p[i++] = OSSL_PARAM_construct_octet_string("context-string", (void *)o->context,
                                                   o->context_len);
    }
    p[i] = OSSL_PARAM_construct_end();
    return tk_ossl_rv(EVP_MD_CTX_set_params(key->mctx, p), CKR_MECHANISM_PARAM_INVALID);
}

/* key's kept digest-sign or digest-verify context. */
static CK_RV
tk_eddsa_mctx(tk_ossl_ec_key *key, int kind, const tk_eddsa_opts *o)
{
    CK_RV rv = CKR_OK;
    int ok;

    TK_CHECK(key->curve == TK_EC_ED25519 || key->curve == TK_EC_ED448, CKR_FUNCTION_FAILED);
    if (key->mctx != NULL && key->pctx_kind == kind && tk_eddsa_is_plain(o)) {
        return CKR_OK;
    }
    EVP_MD_CTX_free(key->mctx);
    key->pctx_kind = 0;
    key->mctx = EVP_MD_CTX_new();
    TK_GUARD(tk_ossl_rv(key->mctx != NULL, CKR_HOST_MEMORY));
    ok = kind == TK_EC_PCTX_SIGN
             ? EVP_DigestSignInit_ex(key->mctx, NULL, NULL, NULL, NULL, key->pkey, NULL)
             : EVP_DigestVerifyInit_ex(key->mctx, NULL, NULL, NULL, NULL, key->pkey, NULL);
    TK_GUARD(tk_ossl_rv(ok, CKR_FUNCTION_FAILED));
    TK_GUARD(tk_eddsa_set_variant(key, o));
    /* A variant's context is not kept: the next call may want another. */
    key->pctx_kind = tk_eddsa_is_plain(o) ? kind : 0;
out:
    return rv;
}

CK_RV
tk_ossl_eddsa_sign(tk_ossl_ec_key *key, const tk_eddsa_opts *opts, const uint8_t *msg,
                   size_t msg_len, uint8_t *sig)
{
    CK_RV rv = CKR_OK;
    const tk_ec_curve_desc *c = tk_ossl_ec_desc(key->curve);
    size_t n = c->sizes.sig_len;

    TK_GUARD(tk_eddsa_mctx(key, TK_EC_PCTX_SIGN, opts));
    TK_GUARD(tk_ossl_rv(EVP_DigestSign(key->mctx, sig, &n, msg, msg_len), CKR_FUNCTION_FAILED));
    TK_CHECK(n == c->sizes.sig_len, CKR_FUNCTION_FAILED);
out:
    return rv;
}

CK_RV
tk_ossl_eddsa_verify(tk_ossl_ec_key *key, const tk_eddsa_opts *opts, const uint8_t *msg,
                     size_t msg_len, const uint8_t *sig, size_t sig_len)
{
    CK_RV rv = CKR_OK;
    const tk_ec_curve_desc *c = tk_ossl_ec_desc(key->curve);

    TK_CHECK(sig_len == c->sizes.sig_len, CKR_SIGNATURE_LEN_RANGE);
    TK_GUARD(tk_eddsa_mctx(key, TK_EC_PCTX_VERIFY, opts));
    TK_GUARD(tk_ossl_rv(EVP_DigestVerify(key->mctx, sig, sig_len, msg, msg_len),
                        CKR_SIGNATURE_INVALID));
out:
    return rv;
}
