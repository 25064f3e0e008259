/*
 * Mechanism family: elliptic curves [PKCS11 3.2 §6.3].
 *
 *   CKM_EC_KEY_PAIR_GEN on P-256, P-384, P-521, secp256k1 and
 *   brainpoolP256r1/384r1/512r1; CKM_EC_EDWARDS_KEY_PAIR_GEN (Ed25519,
 *   Ed448); CKM_EC_MONTGOMERY_KEY_PAIR_GEN (X25519, X448).
 *   CKM_ECDSA over a caller's hash (single part) and CKM_ECDSA_<hash>
 *   (single and multi part); signatures are r || s, each as long as the
 *   order's byte length.
 *   CKM_EDDSA with an optional CK_EDDSA_PARAMS (single and multi part;
 *   multi part keeps the data until the final call). Pure Ed25519 and
 *   Ed448 run on OpenSSL; Ed25519ctx, Ed25519ph, Ed448 with a context and
 *   Ed448ph on our own code (ec_eddsa_ext.c, src/crypto/ed).
 *   CKM_ECDH1_DERIVE (Weierstrass and Montgomery keys) and
 *   CKM_ECDH1_COFACTOR_DERIVE (Weierstrass), in ec_keys.c.
 *
 * Curves are named in CKA_EC_PARAMS as an OID or a PrintableString; see
 * ec_params.c. Operations build their backend key once at init from the
 * object's attributes and keep it; nothing of the object is kept.
 */
#include <stdlib.h>
#include <string.h>

#include "crypto/ossl/md.h"
#include "mech/ec_internal.h"
#include "util/check.h"
#include "util/wipe.h"

typedef struct {
    int eddsa;
    tk_md_id md;  /* TK_MD_COUNT: the caller hashes (CKM_ECDSA) */
} tk_ec_sig_info;

/* The most data a multi-part EdDSA operation keeps: pure EdDSA reads the
 * message twice, so all of it waits for the final call [PKCS11 3.2
 * §6.3.14]; past this, CKR_TOKEN_RESOURCE_EXCEEDED. */
#define TK_EDDSA_MAX_DATA ((size_t)1 << 24)

typedef struct {
    tk_op head;
    tk_ossl_ec_key *key;
    size_t sig_len;
    tk_md_id md;
    tk_ossl_md_ctx *md_ctx;  /* CKM_ECDSA_<hash> */
    tk_eddsa_opts opts;      /* CKM_EDDSA; context points into ctx_buf */
    tk_ec_eddsa_ext *ext;    /* CKM_EDDSA with a context or prehash */
    uint8_t ctx_buf[255];
    uint8_t *buf;            /* CKM_EDDSA multi part: the data so far */
    size_t len;
    size_t cap;
} tk_ec_op;

/* [PKCS11 3.2 §5.2], as in digest.c: 1 when only sizing the output. */
static int
tk_ec_sized_only(size_t need, const uint8_t *out, CK_ULONG *out_len, CK_RV *rv)
{
    if (out != NULL && *out_len >= need) {
        return 0;
    }
    *rv = out == NULL ? CKR_OK : CKR_BUFFER_TOO_SMALL;
    *out_len = need;
    return 1;
}

/* Sign msg: the hash (ECDSA) or the message (EdDSA). */
static CK_RV
tk_ec_sign_now(tk_ec_op *o, const uint8_t *msg, size_t len, uint8_t *out, CK_ULONG *out_len)
{
    CK_RV rv = CKR_OK;

    if (o->ext != NULL) {
        TK_GUARD(tk_ec_eddsa_ext_sign(o->ext, &o->opts, msg, len, out));
    } else if (o->head.mech == CKM_EDDSA) {
        TK_GUARD(tk_ossl_eddsa_sign(o->key, &o->opts, msg, len, out));
    } else {
        TK_GUARD(tk_ossl_ecdsa_sign(o->key, msg, len, out));
    }
    *out_len = o->sig_len;
out:
    return rv;
}

static CK_RV
tk_ec_verify_now(tk_ec_op *o, const uint8_t *msg, size_t len, const uint8_t *sig,
                 CK_ULONG sig_len)
{
    if (sig == NULL && sig_len > 0) {
        return CKR_ARGUMENTS_BAD;
    }
    if (o->ext != NULL) {
        return tk_ec_eddsa_ext_verify(o->ext, &o->opts, msg, len, sig, sig_len);
    }
    if (o->head.mech == CKM_EDDSA) {
        return tk_ossl_eddsa_verify(o->key, &o->opts, msg, len, sig, sig_len);
    }
    return tk_ossl_ecdsa_verify(o->key, msg, len, sig, sig_len);
}

/* Keep EdDSA data for the final call. Not realloc(): the old block
 * would be freed unwiped, and the data may be confidential. */
static CK_RV
tk_ec_keep(tk_ec_op *o, const uint8_t *in, size_t len)
{
    uint8_t *grown;
    size_t cap;

    if (len == 0) {
        return CKR_OK;
    }
    if (len > TK_EDDSA_MAX_DATA - o->len) {
        return CKR_TOKEN_RESOURCE_EXCEEDED;
    }
    if (o->len + len > o->cap) {
        cap = o->cap ? o->cap : 1024;
        while (cap < o->len + len) {
            cap *= 2;
        }
        grown = malloc(cap);
        if (grown == NULL) {
            return CKR_HOST_MEMORY;
        }
        if (o->len > 0) {
            memcpy(grown, o->buf, o->len);
        }
        tk_free_secret(o->buf, o->cap);
        o->buf = grown;
        o->cap = cap;
    }
    memcpy(o->buf + o->len, in, len);
    o->len += len;
    return CKR_OK;
}

static CK_RV
tk_ec_update(tk_op *op, const uint8_t *in, CK_ULONG in_len, uint8_t *out, CK_ULONG *out_len)
{
    tk_ec_op *o = (tk_ec_op *)op;

    (void)out;
    (void)out_len;
    if (o->md_ctx == NULL) {
        return tk_ec_keep(o, in, in_len);
    }
    return tk_ossl_md_update(o->md_ctx, in, in_len);
}

/* What the signature covers once the data is complete: the hash, or
 * for EdDSA the kept message. */
static CK_RV
tk_ec_finish(tk_ec_op *o, uint8_t *h, const uint8_t **msg, size_t *len)
{
    CK_RV rv = CKR_OK;

    if (o->md_ctx == NULL) {
        *msg = o->buf;
        *len = o->len;
    } else {
        TK_GUARD(tk_ossl_md_final(o->md_ctx, h));
        *msg = h;
        *len = tk_ossl_md_size(o->md);
    }
out:
    return rv;
}

static CK_RV
tk_ec_sign_final(tk_op *op, uint8_t *out, CK_ULONG *out_len)
{
    CK_RV rv = CKR_OK;
    tk_ec_op *o = (tk_ec_op *)op;
    uint8_t h[TK_MD_MAX_SIZE];
    const uint8_t *msg = NULL;
    size_t len = 0;

    if (!tk_ec_sized_only(o->sig_len, out, out_len, &rv)) {
        TK_GUARD(tk_ec_finish(o, h, &msg, &len));
        TK_GUARD(tk_ec_sign_now(o, msg, len, out, out_len));
    }
out:
    tk_wipe(h, sizeof(h));
    return rv;
}

static CK_RV
tk_ec_sign(tk_op *op, const uint8_t *in, CK_ULONG in_len, uint8_t *out, CK_ULONG *out_len)
{
    CK_RV rv = CKR_OK;
    tk_ec_op *o = (tk_ec_op *)op;

    /* Size first: after a length query the same data comes again. */
    if (tk_ec_sized_only(o->sig_len, out, out_len, &rv)) {
        return rv;
    }
    if (o->md_ctx == NULL) {
        return tk_ec_sign_now(o, in, in_len, out, out_len);
    }
    TK_GUARD(tk_ossl_md_update(o->md_ctx, in, in_len));
    rv = tk_ec_sign_final(op, out, out_len);
out:
    return rv;
}

static CK_RV
tk_ec_verify_final(tk_op *op, const uint8_t *sig, CK_ULONG sig_len)
{
    CK_RV rv = CKR_OK;
    tk_ec_op *o = (tk_ec_op *)op;
    uint8_t h[TK_MD_MAX_SIZE];
    const uint8_t *msg = NULL;
    size_t len = 0;

    TK_GUARD(tk_ec_finish(o, h, &msg, &len));
    rv = tk_ec_verify_now(o, msg, len, sig, sig_len);
out:
    tk_wipe(h, sizeof(h));
    return rv;
}

static CK_RV
tk_ec_verify(tk_op *op, const uint8_t *data, CK_ULONG len, const uint8_t *sig,
             CK_ULONG sig_len)
{
    CK_RV rv = CKR_OK;
    tk_ec_op *o = (tk_ec_op *)op;

    if (o->md_ctx == NULL) {
        return tk_ec_verify_now(o, data, len, sig, sig_len);
    }
    TK_GUARD(tk_ossl_md_update(o->md_ctx, data, len));
    rv = tk_ec_verify_final(op, sig, sig_len);
out:
    return rv;
}

static void
tk_ec_free(tk_op *op)
{
    tk_ec_op *o = (tk_ec_op *)op;

    tk_ossl_ec_key_free(o->key);
    tk_ec_eddsa_ext_free(o->ext);
    tk_ossl_md_free(o->md_ctx);
    tk_free_secret(o->buf, o->cap);
    tk_op_release(op, sizeof(*o));
}

/* CKM_ECDSA takes the whole hash in one call [PKCS11 3.2 §6.3.9]. */
static const tk_op_vtbl tk_ec_single_vt = {
    .run = tk_ec_sign,
    .verify = tk_ec_verify,
    .free = tk_ec_free,
};

static const tk_op_vtbl tk_ec_multi_vt = {
    .run = tk_ec_sign,
    .update = tk_ec_update,
    .final = tk_ec_sign_final,
    .verify = tk_ec_verify,
    .verify_final = tk_ec_verify_final,
    .free = tk_ec_free,
};

/* CK_EDDSA_PARAMS, optional [PKCS11 3.2 §6.3.14]: a prehash flag and a
 * context of at most 255 bytes, copied into the operation. ci is NULL
 * for a curve the token does not know (refused next). */
static CK_RV
tk_ec_eddsa_param(const CK_MECHANISM *m, const tk_ec_curve_info *ci, tk_ec_op *o)
{
    CK_EDDSA_PARAMS p;

    if (m->pParameter == NULL && m->ulParameterLen == 0) {
        return CKR_OK;
    }
    if (m->pParameter == NULL || m->ulParameterLen != sizeof(p)) {
        return CKR_MECHANISM_PARAM_INVALID;
    }
    memcpy(&p, m->pParameter, sizeof(p));
    if (p.ulContextDataLen > sizeof(o->ctx_buf) ||
        (p.ulContextDataLen > 0 && p.pContextData == NULL)) {
        return CKR_MECHANISM_PARAM_INVALID;
    }
    o->opts.prehash = p.phFlag != CK_FALSE;
    /* A parameter on Ed25519 asks for Ed25519ctx (or ph); with an empty
     * context that would be a scheme RFC 8032 §5.1 advises against, and
     * no silent fall back to pure Ed25519 either. */
    if (ci != NULL && ci->curve == TK_EC_ED25519 && !o->opts.prehash &&
        p.ulContextDataLen == 0) {
        return CKR_MECHANISM_PARAM_INVALID;
    }
    if (p.ulContextDataLen > 0) {
        memcpy(o->ctx_buf, p.pContextData, p.ulContextDataLen);
        o->opts.context = o->ctx_buf;
        o->opts.context_len = p.ulContextDataLen;
    }
    return CKR_OK;
}

/* Class for kind, key type for the mechanism. */
static CK_RV
tk_ec_check_key(const tk_ec_sig_info *info, tk_op_kind kind, const tk_key *key)
{
    CK_OBJECT_CLASS want = kind == TK_OP_SIGN ? CKO_PRIVATE_KEY : CKO_PUBLIC_KEY;
    CK_KEY_TYPE type = info->eddsa ? CKK_EC_EDWARDS : CKK_EC;

    if (key == NULL || key->cls != want || key->type != type) {
        return CKR_KEY_TYPE_INCONSISTENT;
    }
    return CKR_OK;
}

static CK_RV
tk_ec_op_init(const tk_mech_desc *d, tk_op_kind kind, const CK_MECHANISM *m, const tk_key *key,
              tk_op **out)
{
    CK_RV rv = CKR_OK;
    const tk_ec_sig_info *info = d->arg;
    const tk_ec_curve_info *ci = NULL;
    int multi = info->eddsa || info->md != TK_MD_COUNT;
    CK_RV curve_rv;
    tk_op *op = NULL;
    tk_ec_op *o;

    TK_CHECK(kind == TK_OP_SIGN || kind == TK_OP_VERIFY, CKR_MECHANISM_INVALID);
    TK_GUARD(tk_ec_check_key(info, kind, key));
    curve_rv = tk_ec_key_curve(key, &ci);
    TK_CHECK(curve_rv != CKR_KEY_TYPE_INCONSISTENT, curve_rv);
    TK_GUARD(tk_op_alloc(sizeof(tk_ec_op), multi ? &tk_ec_multi_vt : &tk_ec_single_vt, kind,
                         m->mechanism, &op));
    o = (tk_ec_op *)op;
    /* The parameter before the size, as mech.h orders the checks. */
    if (info->eddsa) {
        TK_GUARD(tk_ec_eddsa_param(m, ci, o));
    } else {
        TK_CHECK(m->ulParameterLen == 0, CKR_MECHANISM_PARAM_INVALID);
    }
    TK_GUARD(curve_rv);
    TK_CHECK(ci->bits >= d->min_key && ci->bits <= d->max_key, CKR_KEY_SIZE_RANGE);
    o->sig_len = tk_ossl_ec_sizes(ci->curve)->sig_len;
    o->md = info->md;
    if (!info->eddsa && info->md != TK_MD_COUNT) {
        TK_GUARD(tk_ossl_md_new(info->md, &o->md_ctx));
    }
    TK_GUARD(tk_ec_load_key(ci, key, &o->key));
    /* OpenSSL 3.0 signs only pure Ed25519 and Ed448 without a context:
     * the other instances run on our own code (ec_eddsa_ext.c). */
    if (info->eddsa && (o->opts.prehash || o->opts.context_len > 0)) {
        TK_GUARD(tk_ec_eddsa_ext_load(ci, key, &o->ext));
    }
    *out = op;
    op = NULL;
out:
    tk_op_free(op);
    return rv;
}

#define TK_ECDSA(mech, id)                                                                     \
    {                                                                                          \
        .type = (mech), .min_key = TK_EC_MIN_BITS, .max_key = TK_EC_MAX_BITS,                  \
        .flags = CKF_SIGN | CKF_VERIFY | TK_EC_FLAGS, .op_init = tk_ec_op_init,                \
        .arg = &(const tk_ec_sig_info){0, (id)},                                               \
    }

static const tk_mech_desc tk_ec_table[] = {
    {
        .type = CKM_EC_KEY_PAIR_GEN,
        .min_key = TK_EC_MIN_BITS,
        .max_key = TK_EC_MAX_BITS,
        .flags = CKF_GENERATE_KEY_PAIR | TK_EC_FLAGS,
        .generate_pair = tk_ec_generate_pair,
        .arg = &(const CK_KEY_TYPE){CKK_EC},
    },
    {
        .type = CKM_EC_EDWARDS_KEY_PAIR_GEN,
        .min_key = TK_ECX_MIN_BITS,
        .max_key = TK_ECX_MAX_BITS,
        .flags = CKF_GENERATE_KEY_PAIR | TK_ECX_FLAGS,
        .generate_pair = tk_ec_generate_pair,
        .arg = &(const CK_KEY_TYPE){CKK_EC_EDWARDS},
    },
    {
        .type = CKM_EC_MONTGOMERY_KEY_PAIR_GEN,
        .min_key = TK_ECX_MIN_BITS,
        .max_key = TK_ECX_MAX_BITS,
        .flags = CKF_GENERATE_KEY_PAIR | TK_ECX_FLAGS,
        .generate_pair = tk_ec_generate_pair,
        .arg = &(const CK_KEY_TYPE){CKK_EC_MONTGOMERY},
    },
    TK_ECDSA(CKM_ECDSA, TK_MD_COUNT),
    TK_ECDSA(CKM_ECDSA_SHA1, TK_MD_SHA1),
    TK_ECDSA(CKM_ECDSA_SHA224, TK_MD_SHA224),
    TK_ECDSA(CKM_ECDSA_SHA256, TK_MD_SHA256),
    TK_ECDSA(CKM_ECDSA_SHA384, TK_MD_SHA384),
    TK_ECDSA(CKM_ECDSA_SHA512, TK_MD_SHA512),
    TK_ECDSA(CKM_ECDSA_SHA3_224, TK_MD_SHA3_224),
    TK_ECDSA(CKM_ECDSA_SHA3_256, TK_MD_SHA3_256),
    TK_ECDSA(CKM_ECDSA_SHA3_384, TK_MD_SHA3_384),
    TK_ECDSA(CKM_ECDSA_SHA3_512, TK_MD_SHA3_512),
    {
        .type = CKM_EDDSA,
        .min_key = TK_ECX_MIN_BITS,
        .max_key = TK_ECX_MAX_BITS,
        .flags = CKF_SIGN | CKF_VERIFY | TK_ECX_FLAGS,
        .op_init = tk_ec_op_init,
        .arg = &(const tk_ec_sig_info){1, TK_MD_COUNT},
    },
    /* Serves Montgomery keys too, hence the sizes from 255 bits. */
    {
        .type = CKM_ECDH1_DERIVE,
        .min_key = TK_ECX_MIN_BITS,
        .max_key = TK_EC_MAX_BITS,
        .flags = CKF_DERIVE | TK_EC_FLAGS,
        .derive = tk_ec_derive,
        .arg = &(const int){0},
    },
    {
        .type = CKM_ECDH1_COFACTOR_DERIVE,
        .min_key = TK_EC_MIN_BITS,
        .max_key = TK_EC_MAX_BITS,
        .flags = CKF_DERIVE | TK_EC_FLAGS,
        .derive = tk_ec_derive,
        .arg = &(const int){1},
    },
};

tk_mech_family
tk_mech_family_ec(void)
{
    tk_mech_family fam = {tk_ec_table, sizeof(tk_ec_table) / sizeof(tk_ec_table[0])};

    return fam;
}
