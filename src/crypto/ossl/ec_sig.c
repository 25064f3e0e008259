/* ECDSA and EdDSA signatures; see ec.h. */
#include <pthread.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "crypto/ossl/ec_internal.h"
#include "crypto/ossl/err.h"
#include "util/check.h"
#include "util/wipe.h"

/* A DER ECDSA-Sig-Value of the largest curve (P-521) fits. */
#define TK_ECDSA_DER_MAX (TK_EC_MAX_SIG + 16)

/* key's initialised context for kind (TK_EC_CTX_SIGN or _VERIFY). */
static CK_RV
tk_ec_pctx(tk_ossl_ec_key *key, int kind, EVP_PKEY_CTX **out)
{
    CK_RV rv = CKR_OK;
    EVP_PKEY_CTX *c = tk_ossl_ec_ctx_take(key, kind);
    int ok;

    if (c == NULL) {
        c = EVP_PKEY_CTX_new_from_pkey(NULL, key->pkey, NULL);
        TK_GUARD(tk_ossl_rv(c != NULL, CKR_HOST_MEMORY));
        ok = kind == TK_EC_CTX_SIGN ? EVP_PKEY_sign_init(c) : EVP_PKEY_verify_init(c);
        if (ok != 1) {
            EVP_PKEY_CTX_free(c);
            TK_GUARD(tk_ossl_rv(ok, CKR_FUNCTION_FAILED));
        }
        key->ctx = c;
        key->ctx_kind = kind + 1;
    }
    *out = c;
out:
    return rv;
}

/*
 * Signatures are public, so their DER is handled here with plain code
 * rather than with BIGNUM round trips (two allocations per integer).
 */

/* One DER header at der[*off]: tag, then a short or one-byte long form
 * length that fits. 0 when malformed. */
static int
tk_ecdsa_der_hdr(const uint8_t *der, size_t n, size_t *off, uint8_t tag, size_t *len)
{
    size_t o = *off;
    size_t l;

    if (o + 2 > n || der[o] != tag) {
        return 0;
    }
    l = der[o + 1];
    o += 2;
    if (l == 0x81 && o < n) {
        l = der[o++];
    } else if (l >= 0x80) {
        return 0;
    }
    if (l > n - o) {
        return 0;
    }
    *off = o;
    *len = l;
    return 1;
}

/* A non-negative INTEGER into out[flen], left-padded. */
static int
tk_ecdsa_der_int(const uint8_t *der, size_t n, size_t *off, size_t flen, uint8_t *out)
{
    size_t l;
    const uint8_t *v;

    if (!tk_ecdsa_der_hdr(der, n, off, 0x02, &l) || l == 0) {
        return 0;
    }
    v = der + *off;
    *off += l;
    while (l > 0 && v[0] == 0) {
        v++;
        l--;
    }
    if (l > flen) {
        return 0;
    }
    memset(out, 0, flen - l);
    memcpy(out + flen - l, v, l);
    return 1;
}

/* r and s of a DER signature, each padded to flen bytes. */
static CK_RV
tk_ecdsa_der_to_rs(const uint8_t *der, size_t der_len, size_t flen, uint8_t *sig)
{
    size_t off = 0;
    size_t l;

    if (!tk_ecdsa_der_hdr(der, der_len, &off, 0x30, &l) || off + l != der_len ||
        !tk_ecdsa_der_int(der, der_len, &off, flen, sig) ||
        !tk_ecdsa_der_int(der, der_len, &off, flen, sig + flen) || off != der_len) {
        return CKR_FUNCTION_FAILED;
    }
    return CKR_OK;
}

/* One minimal DER INTEGER of the flen-byte unsigned v at out; its size. */
static size_t
tk_ecdsa_put_int(const uint8_t *v, size_t flen, uint8_t *out)
{
    size_t l = flen;
    size_t n = 0;

    while (l > 1 && v[0] == 0) {
        v++;
        l--;
    }
    out[n++] = 0x02;
    out[n++] = (uint8_t)(l + (v[0] >> 7));
    if (v[0] & 0x80) {
        out[n++] = 0;
    }
    memcpy(out + n, v, l);
    return n + l;
}

/* The DER form of r || s (each flen bytes) into der. */
static CK_RV
tk_ecdsa_rs_to_der(const uint8_t *sig, size_t flen, uint8_t *der, size_t *der_len)
{
    uint8_t body[TK_ECDSA_DER_MAX];
    size_t b = 0;
    size_t n = 0;

    b += tk_ecdsa_put_int(sig, flen, body);
    b += tk_ecdsa_put_int(sig + flen, flen, body + b);
    der[n++] = 0x30;
    if (b >= 0x80) {
        der[n++] = 0x81;
    }
    der[n++] = (uint8_t)b;
    memcpy(der + n, body, b);
    *der_len = n + b;
    return CKR_OK;
}

CK_RV
tk_ossl_ecdsa_sign(tk_ossl_ec_key *key, const uint8_t *hash, size_t hash_len, uint8_t *sig)
{
    CK_RV rv = CKR_OK;
    const tk_ec_curve_desc *c = tk_ossl_ec_desc(key->curve);
    uint8_t der[TK_ECDSA_DER_MAX];
    size_t der_len = sizeof(der);
    EVP_PKEY_CTX *pc = NULL;

    TK_CHECK(c->group != NULL, CKR_FUNCTION_FAILED);
    TK_GUARD(tk_ec_pctx(key, TK_EC_CTX_SIGN, &pc));
    /* No digest is set on the context, so any hash length is taken and
     * cut to the order's bit length by the library. */
    TK_GUARD(tk_ossl_rv(EVP_PKEY_sign(pc, der, &der_len, hash, hash_len),
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
    EVP_PKEY_CTX *pc = NULL;

    TK_CHECK(c->group != NULL, CKR_FUNCTION_FAILED);
    /* [PKCS11 3.2 §6.3.1]: r and s may come shorter than the order's
     * length, but as two halves of equal length. */
    TK_CHECK(sig_len >= 2 && sig_len % 2 == 0 && sig_len <= c->sizes.sig_len,
             CKR_SIGNATURE_LEN_RANGE);
    TK_GUARD(tk_ecdsa_rs_to_der(sig, sig_len / 2, der, &der_len));
    TK_GUARD(tk_ec_pctx(key, TK_EC_CTX_VERIFY, &pc));
    /* 0 (a wrong signature) and a negative error both mean invalid;
     * r or s of zero or not below the order end here too. */
    TK_GUARD(tk_ossl_rv_expected(EVP_PKEY_verify(pc, der, der_len, hash, hash_len),
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
tk_eddsa_set_variant(tk_ossl_ec_key *key, EVP_MD_CTX *m, const tk_eddsa_opts *o)
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
    return tk_ossl_rv(EVP_MD_CTX_set_params(m, p), CKR_MECHANISM_PARAM_INVALID);
}

/* key's digest-sign or digest-verify context; a variant's is made anew
 * and never pooled, since the next user may want another. */
static CK_RV
tk_eddsa_mctx(tk_ossl_ec_key *key, int kind, const tk_eddsa_opts *o, EVP_MD_CTX **out)
{
    CK_RV rv = CKR_OK;
    EVP_MD_CTX *m = NULL;
    int ok;

    TK_CHECK(key->curve == TK_EC_ED25519 || key->curve == TK_EC_ED448, CKR_FUNCTION_FAILED);
    if (tk_eddsa_is_plain(o)) {
        m = tk_ossl_ec_ctx_take(key, kind);
    } else {
        tk_ossl_ec_ctx_drop(key);
    }
    if (m == NULL) {
        m = EVP_MD_CTX_new();
        TK_GUARD(tk_ossl_rv(m != NULL, CKR_HOST_MEMORY));
        key->ctx = m;
        key->ctx_kind = 0;
        ok = kind == TK_EC_CTX_SIGN
                 ? EVP_DigestSignInit_ex(m, NULL, NULL, NULL, NULL, key->pkey, NULL)
                 : EVP_DigestVerifyInit_ex(m, NULL, NULL, NULL, NULL, key->pkey, NULL);
        TK_GUARD(tk_ossl_rv(ok, CKR_FUNCTION_FAILED));
        TK_GUARD(tk_eddsa_set_variant(key, m, o));
        key->ctx_kind = tk_eddsa_is_plain(o) ? kind + 1 : 0;
    }
    *out = m;
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
    EVP_MD_CTX *m = NULL;

    TK_GUARD(tk_eddsa_mctx(key, TK_EC_CTX_SIGN, opts, &m));
    TK_GUARD(tk_ossl_rv(EVP_DigestSign(m, sig, &n, msg, msg_len), CKR_FUNCTION_FAILED));
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
    EVP_MD_CTX *m = NULL;

    TK_CHECK(sig_len == c->sizes.sig_len, CKR_SIGNATURE_LEN_RANGE);
    TK_GUARD(tk_eddsa_mctx(key, TK_EC_CTX_VERIFY, opts, &m));
    TK_GUARD(tk_ossl_rv_expected(EVP_DigestVerify(m, sig, sig_len, msg, msg_len),
                                 CKR_SIGNATURE_INVALID));
out:
    return rv;
}
