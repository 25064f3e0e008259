/*
 * CKM_EDDSA with a context or a prehash flag [PKCS11 3.2 §6.3.14]:
 * Ed25519ctx, Ed25519ph, Ed448 with a context and Ed448ph [RFC 8032 §5].
 * OpenSSL 3.0 signs none of these, so ec.c sends them here, to our own
 * code in src/crypto/ed. Pure Ed25519 and Ed448 stay with OpenSSL.
 *
 * The key is copied out of the object at init, as ec.c keeps nothing of
 * the object: a private key is its seed (CKA_VALUE) and the public key
 * computed from it; a public key is its raw CKA_EC_POINT.
 */
#include <stdlib.h>
#include <string.h>

#include "crypto/ed/ed.h"
#include "mech/ec_internal.h"
#include "util/check.h"
#include "util/wipe.h"

struct tk_ec_eddsa_ext {
    int ed448;
    int has_seed;
    uint8_t seed[TK_ED448_SEED];
    uint8_t pub[TK_ED448_PUB];
};

static CK_RV
tk_ec_eddsa_ext_private(tk_ec_eddsa_ext *x, const tk_key *key, size_t seed_len)
{
    const CK_ATTRIBUTE *v = tk_key_attr(key, CKA_VALUE);

    if (v == NULL || v->pValue == NULL) {
        return CKR_KEY_TYPE_INCONSISTENT;
    }
    /* A seed is a string of exactly this length [RFC 8032 §5.1.5]. */
    if (v->ulValueLen != seed_len) {
        return CKR_KEY_SIZE_RANGE;
    }
    memcpy(x->seed, v->pValue, seed_len);
    x->has_seed = 1;
    if (x->ed448) {
        tk_ed448_public(x->pub, x->seed);
    } else {
        tk_ed25519_public(x->pub, x->seed);
    }
    return CKR_OK;
}

static CK_RV
tk_ec_eddsa_ext_public(tk_ec_eddsa_ext *x, const tk_ec_curve_info *ci, const tk_key *key,
                       size_t pub_len)
{
    CK_RV rv = CKR_OK;
    const CK_ATTRIBUTE *a = tk_key_attr(key, CKA_EC_POINT);
    const uint8_t *raw = NULL;
    int bad;

    TK_CHECK(a != NULL, CKR_KEY_TYPE_INCONSISTENT);
    TK_GUARD(tk_ec_point_unwrap(ci, a->pValue, a->ulValueLen, CKR_KEY_SIZE_RANGE, &raw));
    memcpy(x->pub, raw, pub_len);
    bad = x->ed448 ? tk_ed448_check_public(x->pub) : tk_ed25519_check_public(x->pub);
    TK_CHECK(bad == 0, CKR_KEY_TYPE_INCONSISTENT);
out:
    return rv;
}

/* See ec_internal.h. */
CK_RV
tk_ec_eddsa_ext_load(const tk_ec_curve_info *ci, const tk_key *key, tk_ec_eddsa_ext **out)
{
    CK_RV rv = CKR_OK;
    tk_ec_eddsa_ext *x = NULL;
    size_t len;

    TK_CHECK(ci->curve == TK_EC_ED25519 || ci->curve == TK_EC_ED448,
             CKR_KEY_TYPE_INCONSISTENT);
    x = calloc(1, sizeof(*x));
    TK_CHECK(x != NULL, CKR_HOST_MEMORY);
    x->ed448 = ci->curve == TK_EC_ED448;
    len = x->ed448 ? TK_ED448_SEED : TK_ED25519_SEED;
    if (key->cls == CKO_PRIVATE_KEY) {
        TK_GUARD(tk_ec_eddsa_ext_private(x, key, len));
    } else {
        TK_GUARD(tk_ec_eddsa_ext_public(x, ci, key, len));
    }
    *out = x;
    x = NULL;
out:
    tk_ec_eddsa_ext_free(x);
    return rv;
}

/* Ed25519 with a parameter always carries dom2; ec.c refused the one
 * parameter that would not (no prehash and an empty context). */
static tk_ed_params
tk_ec_eddsa_ext_params(const tk_eddsa_opts *opts)
{
    tk_ed_params p = {1, opts->prehash, opts->context, opts->context_len};

    return p;
}

/* See ec_internal.h. */
CK_RV
tk_ec_eddsa_ext_sign(const tk_ec_eddsa_ext *x, const tk_eddsa_opts *opts, const uint8_t *msg,
                     size_t len, uint8_t *sig)
{
    tk_ed_params p = tk_ec_eddsa_ext_params(opts);
    int rc;

    if (!x->has_seed) {
        return CKR_KEY_TYPE_INCONSISTENT;
    }
    if (x->ed448) {
        rc = tk_ed448_sign(sig, x->seed, x->pub, &p, msg, len);
    } else {
        rc = tk_ed25519_sign(sig, x->seed, x->pub, &p, msg, len);
    }
    return rc == 0 ? CKR_OK : CKR_MECHANISM_PARAM_INVALID;
}

/* See ec_internal.h. */
CK_RV
tk_ec_eddsa_ext_verify(const tk_ec_eddsa_ext *x, const tk_eddsa_opts *opts, const uint8_t *msg,
                       size_t len, const uint8_t *sig, size_t sig_len)
{
    tk_ed_params p = tk_ec_eddsa_ext_params(opts);
    int rc;

    if (sig_len != (x->ed448 ? TK_ED448_SIG : TK_ED25519_SIG)) {
        return CKR_SIGNATURE_LEN_RANGE;
    }
    if (x->ed448) {
        rc = tk_ed448_verify(sig, x->pub, &p, msg, len);
    } else {
        rc = tk_ed25519_verify(sig, x->pub, &p, msg, len);
    }
    return rc == 0 ? CKR_OK : CKR_SIGNATURE_INVALID;
}

/* See ec_internal.h. */
void
tk_ec_eddsa_ext_free(tk_ec_eddsa_ext *x)
{
    tk_free_secret(x, x != NULL ? sizeof(*x) : 0);
}
