/*
 * ML-DSA and SLH-DSA signatures in three forms [PKCS11 3.2 §6.67 and the
 * SLH-DSA section]:
 *   pure (CKM_ML_DSA, CKM_SLH_DSA): the input is M, single or multi-part;
 *   pre-hash given (CKM_HASH_ML_DSA, CKM_HASH_SLH_DSA): the input is
 *     PH(M) for the hash the parameter names, single part only;
 *   pre-hash on the token (CKM_HASH_*_<hash>): the input is M, hashed
 *     here, single or multi-part.
 *
 * Multi-part pure ML-DSA absorbs M into mu as it comes [FIPS 204 Alg. 7
 * line 6]; pure SLH-DSA must keep all of M, since signing reads it twice
 * (for R and for the digest) [FIPS 205 Alg. 19].
 *
 * [PKCS11 3.2 §6.67.6] allows multi-part verification of the pure forms
 * only through C_VerifySignature*; this layer cannot tell C_VerifyUpdate
 * from C_VerifySignatureUpdate (both reach the same update hook), so it
 * accepts both rather than refuse the one the specification allows.
 *
 * The parameter CK_SIGN_ADDITIONAL_CONTEXT (or the HASH_ form) gives the
 * context string (at most 255 bytes) and the hedge: CKH_HEDGE_PREFERRED
 * and CKH_HEDGE_REQUIRED sign with fresh randomness, while
 * CKH_DETERMINISTIC_REQUIRED signs deterministically.
 */
#include <stdlib.h>
#include <string.h>

#include "crypto/ossl/rand.h"
#include "crypto/pqc/slhdsa.h"
#include "mech/pqc_internal.h"
#include "util/check.h"
#include "util/wipe.h"

typedef struct {
    tk_op head;
    const tk_pqc_sig_info *info;
    CK_ULONG set;
    tk_pqc_sizes sz;
    uint8_t *key;              /* sk (secret) or pk, owned */
    size_t key_len;
    CK_HEDGE_TYPE hedge;
    uint8_t ctx[TK_MLDSA_CTX_MAX];
    size_t ctx_len;
    tk_mldsa_prehash ph;       /* the pre-hash forms */
    uint8_t tr[TK_MLDSA_TR_LEN]; /* ML-DSA: H(pk) */
    tk_mldsa_mu_ctx mu;        /* pure ML-DSA: mu so far */
    tk_pqc_hash hash;          /* pre-hash on the token: PH(M) so far */
    uint8_t *msg;              /* pure SLH-DSA: M so far */
    size_t msg_len;
    size_t msg_cap;
} tk_pqc_sig_op;

/* ---- ML-DSA tr cache ---- */

/* A public key's tr = H(pk), kept with the object so verification need
 * not hash the key each time. */
typedef struct {
    tk_key_cache head;
    uint8_t tr[TK_MLDSA_TR_LEN];
} tk_mldsa_tr_cache;

static const char tk_mldsa_tr_owner = 't';

static void
tk_mldsa_tr_cache_free(tk_key_cache *c)
{
    free(c);
}

/* Copy the tr of public key pk (object key) into tr. */
static CK_RV
tk_mldsa_pub_tr(const tk_key *key, CK_ULONG set, const uint8_t *pk, uint8_t *tr)
{
    tk_mldsa_tr_cache *c = (tk_mldsa_tr_cache *)tk_key_cache_get(key, &tk_mldsa_tr_owner);

    if (c == NULL) {
        c = calloc(1, sizeof(*c));
        if (c == NULL) {
            return CKR_HOST_MEMORY;
        }
        c->head.owner = &tk_mldsa_tr_owner;
        c->head.free = tk_mldsa_tr_cache_free;
        tk_mldsa_tr_from_pk((tk_mldsa_set)set, pk, c->tr);
        c = (tk_mldsa_tr_cache *)tk_key_cache_offer(key, &c->head);
    }
    memcpy(tr, c->tr, TK_MLDSA_TR_LEN);
    if (!tk_key_cache_owns(key, &c->head)) {
        free(c);
    }
    return CKR_OK;
}

/* ---- parameters ---- */

/* Hedge and context, shared by both parameter structures. */
static CK_RV
tk_pqc_sig_ctx(tk_pqc_sig_op *o, CK_HEDGE_TYPE hedge, const CK_BYTE *ctx, CK_ULONG ctx_len)
{
    CK_RV rv = CKR_OK;

    TK_CHECK(hedge == CKH_HEDGE_PREFERRED || hedge == CKH_HEDGE_REQUIRED ||
                 hedge == CKH_DETERMINISTIC_REQUIRED,
             CKR_MECHANISM_PARAM_INVALID);
    TK_CHECK(ctx_len <= TK_MLDSA_CTX_MAX, CKR_MECHANISM_PARAM_INVALID);
    TK_CHECK(ctx_len == 0 || ctx != NULL, CKR_MECHANISM_PARAM_INVALID);
    o->hedge = hedge;
    o->ctx_len = ctx_len;
    if (ctx_len > 0) {
        memcpy(o->ctx, ctx, ctx_len);
    }
out:
    return rv;
}

/* The mechanism's parameter: required CK_HASH_SIGN_ADDITIONAL_CONTEXT for
 * the pre-hash-given forms, optional CK_SIGN_ADDITIONAL_CONTEXT else. */
static CK_RV
tk_pqc_sig_param(tk_pqc_sig_op *o, const CK_MECHANISM *m)
{
    CK_RV rv = CKR_OK;
    CK_SIGN_ADDITIONAL_CONTEXT p;
    CK_HASH_SIGN_ADDITIONAL_CONTEXT hp;

    if (o->info->mode == TK_PQC_PH_GIVEN) {
        TK_CHECK(m->pParameter != NULL && m->ulParameterLen == sizeof(hp),
                 CKR_MECHANISM_PARAM_INVALID);
        memcpy(&hp, m->pParameter, sizeof(hp));
        o->ph = tk_pqc_hash_from_mech(hp.hash);
        TK_CHECK(o->ph != 0, CKR_MECHANISM_PARAM_INVALID);
        rv = tk_pqc_sig_ctx(o, hp.hedgeVariant, hp.pContext, hp.ulContextLen);
        goto out;
    }
    o->ph = o->info->ph;
    if (m->pParameter == NULL && m->ulParameterLen == 0) {
        o->hedge = CKH_HEDGE_PREFERRED;
        goto out;
    }
    TK_CHECK(m->pParameter != NULL && m->ulParameterLen == sizeof(p),
             CKR_MECHANISM_PARAM_INVALID);
    memcpy(&p, m->pParameter, sizeof(p));
    rv = tk_pqc_sig_ctx(o, p.hedgeVariant, p.pContext, p.ulContextLen);
out:
    return rv;
}

/* ---- absorbing the input ---- */

/* Append to the buffered message (pure SLH-DSA). */
static CK_RV
tk_pqc_sig_buffer(tk_pqc_sig_op *o, const uint8_t *in, size_t len)
{
    size_t cap = o->msg_cap ? o->msg_cap : 256;
    uint8_t *nb;

    if (len > SIZE_MAX / 2 - o->msg_len) {
        return CKR_DATA_LEN_RANGE;
    }
    while (cap < o->msg_len + len) {
        cap *= 2;
    }
    if (cap != o->msg_cap) {
        /* A fresh copy, so the old buffer can be wiped before it goes. */
        nb = malloc(cap);
        if (nb == NULL) {
            return CKR_HOST_MEMORY;
        }
        if (o->msg_len > 0) {
            memcpy(nb, o->msg, o->msg_len);
        }
        tk_free_secret(o->msg, o->msg_cap);
        o->msg = nb;
        o->msg_cap = cap;
    }
    if (len > 0) {
        memcpy(o->msg + o->msg_len, in, len);
    }
    o->msg_len += len;
    return CKR_OK;
}

/* One piece of M (not for the pre-hash-given forms). */
static CK_RV
tk_pqc_sig_absorb(tk_pqc_sig_op *o, const uint8_t *in, size_t len)
{
    if (o->info->mode == TK_PQC_PH_TOKEN) {
        return tk_pqc_hash_update(&o->hash, in, len);
    }
    if (o->info->alg == TK_PQC_MLDSA) {
        tk_mldsa_mu_update(&o->mu, in, len);
        return CKR_OK;
    }
    return tk_pqc_sig_buffer(o, in, len);
}

/* PH(M): computed here, or given (its length must be the hash's). */
static CK_RV
tk_pqc_sig_digest(tk_pqc_sig_op *o, const uint8_t *given, size_t given_len, uint8_t *dig,
                  size_t *dig_len)
{
    CK_RV rv = CKR_OK;

    TK_CHECK(tk_mldsa_prehash_info(o->ph, NULL, NULL, dig_len) == TK_PQC_OK,
             CKR_GENERAL_ERROR);
    if (o->info->mode == TK_PQC_PH_TOKEN) {
        TK_GUARD(tk_pqc_hash_final(&o->hash, dig));
    } else {
        TK_CHECK(given_len == *dig_len, CKR_DATA_LEN_RANGE);
        memcpy(dig, given, given_len);
    }
out:
    return rv;
}

/* ML-DSA's mu for everything absorbed (plus PH(M) for the hash forms). */
static CK_RV
tk_mldsa_sig_mu(tk_pqc_sig_op *o, const uint8_t *given, size_t given_len, uint8_t *mu)
{
    CK_RV rv = CKR_OK;
    uint8_t dig[TK_MD_MAX_SIZE];
    size_t dig_len = 0;
    const uint8_t *oid = NULL;
    size_t oid_len = 0;

    if (o->info->mode == TK_PQC_PURE) {
        tk_mldsa_mu_final(&o->mu, mu);
        goto out;
    }
    TK_GUARD(tk_pqc_sig_digest(o, given, given_len, dig, &dig_len));
    TK_CHECK(tk_mldsa_prehash_info(o->ph, &oid, &oid_len, NULL) == TK_PQC_OK,
             CKR_GENERAL_ERROR);
    TK_CHECK(tk_mldsa_mu_begin_prehash(&o->mu, o->tr, o->ctx, o->ctx_len, oid, oid_len) ==
                 TK_PQC_OK,
             CKR_MECHANISM_PARAM_INVALID);
    tk_mldsa_mu_update(&o->mu, dig, dig_len);
    tk_mldsa_mu_final(&o->mu, mu);
out:
    tk_wipe(dig, sizeof(dig));
    return rv;
}

/* ---- sign and verify ---- */

/* A crypto-layer result as CK_RV: a failed verification is
 * CKR_SIGNATURE_INVALID, any other failure bad. */
static CK_RV
tk_pqc_sig_rc(int rc, CK_RV bad)
{
    if (rc == TK_PQC_OK) {
        return CKR_OK;
    }
    return rc == TK_PQC_EVERIFY ? CKR_SIGNATURE_INVALID : bad;
}

static CK_RV
tk_mldsa_sig_sign(tk_pqc_sig_op *o, const uint8_t *given, size_t given_len, uint8_t *sig)
{
    CK_RV rv = CKR_OK;
    uint8_t mu[TK_MLDSA_MU_LEN];
    uint8_t rnd[TK_MLDSA_RND_LEN] = {0};

    TK_GUARD(tk_mldsa_sig_mu(o, given, given_len, mu));
    if (o->hedge != CKH_DETERMINISTIC_REQUIRED) {
        TK_GUARD(tk_ossl_random(rnd, sizeof(rnd)));
    }
    rv = tk_pqc_sig_rc(tk_mldsa_sign_mu((tk_mldsa_set)o->set, o->key, mu, rnd, sig),
                       CKR_FUNCTION_FAILED);
out:
    tk_wipe(mu, sizeof(mu));
    tk_wipe(rnd, sizeof(rnd));
    return rv;
}

static CK_RV
tk_mldsa_sig_verify(tk_pqc_sig_op *o, const uint8_t *given, size_t given_len,
                    const uint8_t *sig, size_t sig_len)
{
    CK_RV rv = CKR_OK;
    uint8_t mu[TK_MLDSA_MU_LEN];

    TK_GUARD(tk_mldsa_sig_mu(o, given, given_len, mu));
    rv = tk_pqc_sig_rc(tk_mldsa_verify_mu((tk_mldsa_set)o->set, o->key, mu, sig, sig_len),
                       CKR_FUNCTION_FAILED);
out:
    return rv;
}

/* SLH-DSA, pure or pre-hash; sig NULL verifies vsig instead of signing. */
static CK_RV
tk_slhdsa_sig_run(tk_pqc_sig_op *o, const uint8_t *given, size_t given_len, uint8_t *sig,
                  const uint8_t *vsig, size_t vsig_len)
{
    CK_RV rv = CKR_OK;
    tk_slhdsa_set set = (tk_slhdsa_set)o->set;
    uint8_t dig[TK_MD_MAX_SIZE];
    size_t dig_len = 0;
    const uint8_t *oid = NULL;
    size_t oid_len = 0;
    uint8_t addrnd[TK_SLHDSA_MAX_N];
    const uint8_t *rnd = NULL;
    int rc;

    if (sig != NULL && o->hedge != CKH_DETERMINISTIC_REQUIRED) {
        TK_GUARD(tk_ossl_random(addrnd, tk_slhdsa_n(set)));
        rnd = addrnd;
    }
    if (o->info->mode == TK_PQC_PURE) {
        rc = sig != NULL ? tk_slhdsa_sign(set, o->key, o->msg, o->msg_len, o->ctx, o->ctx_len,
                                          rnd, sig)
                         : tk_slhdsa_verify(set, o->key, o->msg, o->msg_len, o->ctx,
                                            o->ctx_len, vsig, vsig_len);
    } else {
        TK_GUARD(tk_pqc_sig_digest(o, given, given_len, dig, &dig_len));
        TK_CHECK(tk_mldsa_prehash_info(o->ph, &oid, &oid_len, NULL) == TK_PQC_OK,
                 CKR_GENERAL_ERROR);
        rc = sig != NULL ? tk_slhdsa_sign_prehash(set, o->key, oid, oid_len, dig, dig_len,
                                                  o->ctx, o->ctx_len, rnd, sig)
                         : tk_slhdsa_verify_prehash(set, o->key, oid, oid_len, dig, dig_len,
                                                    o->ctx, o->ctx_len, vsig, vsig_len);
    }
    rv = tk_pqc_sig_rc(rc, CKR_FUNCTION_FAILED);
out:
    tk_wipe(addrnd, sizeof(addrnd));
    tk_wipe(dig, sizeof(dig));
    return rv;
}

/* The signature of everything absorbed; sig holds sz.out bytes. */
static CK_RV
tk_pqc_sig_make(tk_pqc_sig_op *o, const uint8_t *given, size_t given_len, uint8_t *sig)
{
    if (o->info->alg == TK_PQC_MLDSA) {
        return tk_mldsa_sig_sign(o, given, given_len, sig);
    }
    return tk_slhdsa_sig_run(o, given, given_len, sig, NULL, 0);
}

static CK_RV
tk_pqc_sig_check(tk_pqc_sig_op *o, const uint8_t *given, size_t given_len, const uint8_t *sig,
                 size_t sig_len)
{
    if (sig_len != o->sz.out) {
        return CKR_SIGNATURE_LEN_RANGE;
    }
    if (o->info->alg == TK_PQC_MLDSA) {
        return tk_mldsa_sig_verify(o, given, given_len, sig, sig_len);
    }
    return tk_slhdsa_sig_run(o, given, given_len, NULL, sig, sig_len);
}

/* [PKCS11 3.2 §5.2]: 1 when the call only learns the length. */
static int
tk_pqc_sig_sized_only(const tk_pqc_sig_op *o, const uint8_t *out, CK_ULONG *out_len, CK_RV *rv)
{
    if (out != NULL && *out_len >= o->sz.out) {
        return 0;
    }
    *rv = out == NULL ? CKR_OK : CKR_BUFFER_TOO_SMALL;
    *out_len = o->sz.out;
    return 1;
}

/* ---- the operation's hooks ---- */

static CK_RV
tk_pqc_op_run(tk_op *op, const uint8_t *in, CK_ULONG in_len, uint8_t *out, CK_ULONG *out_len)
{
    CK_RV rv = CKR_OK;
    tk_pqc_sig_op *o = (tk_pqc_sig_op *)op;

    if (tk_pqc_sig_sized_only(o, out, out_len, &rv)) {
        return rv;
    }
    if (o->info->mode != TK_PQC_PH_GIVEN) {
        TK_GUARD(tk_pqc_sig_absorb(o, in, in_len));
    }
    TK_GUARD(tk_pqc_sig_make(o, in, in_len, out));
    *out_len = o->sz.out;
out:
    return rv;
}

static CK_RV
tk_pqc_op_update(tk_op *op, const uint8_t *in, CK_ULONG in_len, uint8_t *out, CK_ULONG *out_len)
{
    (void)out;
    (void)out_len;
    return tk_pqc_sig_absorb((tk_pqc_sig_op *)op, in, in_len);
}

static CK_RV
tk_pqc_op_final(tk_op *op, uint8_t *out, CK_ULONG *out_len)
{
    CK_RV rv = CKR_OK;
    tk_pqc_sig_op *o = (tk_pqc_sig_op *)op;

    if (tk_pqc_sig_sized_only(o, out, out_len, &rv)) {
        return rv;
    }
    TK_GUARD(tk_pqc_sig_make(o, NULL, 0, out));
    *out_len = o->sz.out;
out:
    return rv;
}

static CK_RV
tk_pqc_op_verify(tk_op *op, const uint8_t *data, CK_ULONG len, const uint8_t *sig,
                 CK_ULONG sig_len)
{
    CK_RV rv = CKR_OK;
    tk_pqc_sig_op *o = (tk_pqc_sig_op *)op;

    TK_CHECK(sig_len == o->sz.out, CKR_SIGNATURE_LEN_RANGE);
    if (o->info->mode != TK_PQC_PH_GIVEN) {
        TK_GUARD(tk_pqc_sig_absorb(o, data, len));
    }
    rv = tk_pqc_sig_check(o, data, len, sig, sig_len);
out:
    return rv;
}

static CK_RV
tk_pqc_op_verify_final(tk_op *op, const uint8_t *sig, CK_ULONG sig_len)
{
    return tk_pqc_sig_check((tk_pqc_sig_op *)op, NULL, 0, sig, sig_len);
}

static void
tk_pqc_op_free(tk_op *op)
{
    tk_pqc_sig_op *o = (tk_pqc_sig_op *)op;

    tk_free_secret(o->key, o->key_len);
    tk_free_secret(o->msg, o->msg_cap);
    tk_pqc_hash_free(&o->hash);
    tk_op_release(op, sizeof(*o));
}

/* Single and multi-part. */
static const tk_op_vtbl tk_pqc_multi_vt = {
    .run = tk_pqc_op_run,
    .update = tk_pqc_op_update,
    .final = tk_pqc_op_final,
    .verify = tk_pqc_op_verify,
    .verify_final = tk_pqc_op_verify_final,
    .free = tk_pqc_op_free,
};

/* The pre-hash-given forms are single-part only [PKCS11 3.2 §6.67.7]. */
static const tk_op_vtbl tk_pqc_single_vt = {
    .run = tk_pqc_op_run,
    .verify = tk_pqc_op_verify,
    .free = tk_pqc_op_free,
};

/* ---- init ---- */

/* Copy the key and start absorbing: tr and the pure prefix (ML-DSA) or
 * the hash (pre-hash on the token). */
static CK_RV
tk_pqc_sig_start(tk_pqc_sig_op *o, const tk_key *key, const uint8_t *value)
{
    CK_RV rv = CKR_OK;
    int sign = o->head.kind == TK_OP_SIGN;

    o->key_len = sign ? o->sz.priv : o->sz.pub;
    o->key = malloc(o->key_len);
    TK_CHECK(o->key != NULL, CKR_HOST_MEMORY);
    memcpy(o->key, value, o->key_len);
    if (o->info->alg == TK_PQC_MLDSA) {
        if (sign) {
            memcpy(o->tr, tk_mldsa_sk_tr((tk_mldsa_set)o->set, o->key), TK_MLDSA_TR_LEN);
        } else {
            TK_GUARD(tk_mldsa_pub_tr(key, o->set, o->key, o->tr));
        }
    }
    if (o->info->mode == TK_PQC_PH_TOKEN) {
        TK_GUARD(tk_pqc_hash_begin(&o->hash, o->ph));
    } else if (o->info->mode == TK_PQC_PURE && o->info->alg == TK_PQC_MLDSA) {
        TK_CHECK(tk_mldsa_mu_begin_pure(&o->mu, o->tr, o->ctx, o->ctx_len) == TK_PQC_OK,
                 CKR_MECHANISM_PARAM_INVALID);
    }
out:
    return rv;
}

/* See pqc_internal.h. */
CK_RV
tk_pqc_sig_op_init(const tk_mech_desc *d, tk_op_kind kind, const CK_MECHANISM *m,
                   const tk_key *key, tk_op **out)
{
    CK_RV rv = CKR_OK;
    const tk_pqc_sig_info *info = d->arg;
    CK_OBJECT_CLASS cls = kind == TK_OP_SIGN ? CKO_PRIVATE_KEY : CKO_PUBLIC_KEY;
    const uint8_t *value = NULL;
    CK_ULONG set = 0;
    tk_op *op = NULL;
    tk_pqc_sig_op *o;

    TK_CHECK(kind == TK_OP_SIGN || kind == TK_OP_VERIFY, CKR_MECHANISM_INVALID);
    TK_GUARD(tk_pqc_key_value(key, cls, info->alg, &set, &value));
    TK_GUARD(tk_op_alloc(sizeof(tk_pqc_sig_op),
                         info->mode == TK_PQC_PH_GIVEN ? &tk_pqc_single_vt : &tk_pqc_multi_vt,
                         kind, m->mechanism, &op));
    o = (tk_pqc_sig_op *)op;
    o->info = info;
    o->set = set;
    tk_pqc_sizes_of(info->alg, set, &o->sz);
    TK_GUARD(tk_pqc_sig_param(o, m));
    TK_CHECK(o->sz.pub >= d->min_key && o->sz.pub <= d->max_key, CKR_KEY_SIZE_RANGE);
    TK_GUARD(tk_pqc_sig_start(o, key, value));
    *out = op;
    op = NULL;
out:
    tk_op_free(op);
    return rv;
}
