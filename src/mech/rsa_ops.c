/*
 * RSA operations: single-part signatures, verification, recovery,
 * encryption and decryption, and multi-part hash-and-sign. Lengths follow
 * the tables of [PKCS11 3.2 §6.1]; output buffers follow §5.2 (see
 * mech.h). Every operation owns a backend context made at init; when it
 * ends it goes back to its key object's cache (rsa_cache.c) for the next
 * init of the same kind, unless it carries an OAEP label.
 */
#include <string.h>

#include "crypto/ossl/md.h"
#include "mech/rsa_internal.h"
#include "util/check.h"
#include "util/wipe.h"

typedef struct {
    tk_op head;
    tk_ossl_rsa *rsa;
    tk_ossl_md_ctx *md; /* hash-and-sign only */
    tk_md_id md_id;
    tk_rsa_pad pad;
    size_t k;         /* modulus length in bytes */
    size_t max_in;    /* longest input (PSS without hashing: the exact one) */
    size_t max_plain; /* longest decrypted or recovered output */
    tk_rsa_cache *cache; /* held; NULL when the key has no cache */
    int reusable;        /* no per-init data (an OAEP label) inside */
    tk_md_id mgf_md;     /* the rest of the scheme, for matching */
    size_t salt_len;
} tk_rsa_op;

/*
 * [PKCS11 3.2 §5.2]: 1 when the call only learns the output length (out
 * NULL: CKR_OK) or is refused for a short buffer (CKR_BUFFER_TOO_SMALL);
 * *rv gets that answer and *out_len the length. 0 when out has room.
 */
static int
tk_rsa_sized_only(size_t need, const uint8_t *out, CK_ULONG *out_len, CK_RV *rv)
{
    if (out != NULL && *out_len >= need) {
        return 0;
    }
    *rv = out == NULL ? CKR_OK : CKR_BUFFER_TOO_SMALL;
    *out_len = need;
    return 1;
}

/* The input length rule of signing and verifying without hashing. */
static CK_RV
tk_rsa_check_input(const tk_rsa_op *o, CK_ULONG len)
{
    if (o->pad == TK_RSA_PAD_PSS) {
        return len == o->max_in ? CKR_OK : CKR_DATA_LEN_RANGE;
    }
    return len <= o->max_in ? CKR_OK : CKR_DATA_LEN_RANGE;
}

/* C_Sign and C_SignRecover without hashing: raw, PKCS #1 v1.5, PSS. */
static CK_RV
tk_rsa_sign_run(tk_op *op, const uint8_t *in, CK_ULONG in_len, uint8_t *out, CK_ULONG *out_len)
{
    CK_RV rv = CKR_OK;
    tk_rsa_op *o = (tk_rsa_op *)op;

    TK_GUARD(tk_rsa_check_input(o, in_len));
    if (!tk_rsa_sized_only(o->k, out, out_len, &rv)) {
        /* The backend signs into its own buffer: in and out may overlap. */
        TK_GUARD(tk_ossl_rsa_sign(o->rsa, in, in_len, out));
        *out_len = o->k;
    }
out:
    return rv;
}

/* C_Verify without hashing. */
static CK_RV
tk_rsa_verify_one(tk_op *op, const uint8_t *data, CK_ULONG len, const uint8_t *sig,
                  CK_ULONG sig_len)
{
    CK_RV rv = CKR_OK;
    tk_rsa_op *o = (tk_rsa_op *)op;

    TK_GUARD(tk_rsa_check_input(o, len));
    rv = tk_ossl_rsa_verify(o->rsa, data, len, sig, sig_len);
out:
    return rv;
}

/* C_VerifyRecover: the NULL-buffer answer is the longest possible data. */
static CK_RV
tk_rsa_recover_run(tk_op *op, const uint8_t *in, CK_ULONG in_len, uint8_t *out,
                   CK_ULONG *out_len)
{
    CK_RV rv = CKR_OK;
    tk_rsa_op *o = (tk_rsa_op *)op;
    size_t n;

    TK_CHECK(in_len == o->k, CKR_SIGNATURE_LEN_RANGE);
    if (out == NULL) {
        *out_len = o->max_plain;
        goto out;
    }
    n = *out_len;
    rv = tk_ossl_rsa_verify_recover(o->rsa, in, in_len, out, &n);
    if (rv == CKR_OK || rv == CKR_BUFFER_TOO_SMALL) {
        *out_len = n;
    }
out:
    return rv;
}

static CK_RV
tk_rsa_encrypt_run(tk_op *op, const uint8_t *in, CK_ULONG in_len, uint8_t *out,
                   CK_ULONG *out_len)
{
    CK_RV rv = CKR_OK;
    tk_rsa_op *o = (tk_rsa_op *)op;

    TK_CHECK(in_len <= o->max_in, CKR_DATA_LEN_RANGE);
    if (!tk_rsa_sized_only(o->k, out, out_len, &rv)) {
        TK_GUARD(tk_ossl_rsa_encrypt(o->rsa, in, in_len, out));
        *out_len = o->k;
    }
out:
    return rv;
}

/*
 * C_Decrypt. A NULL buffer learns the longest plaintext the key allows
 * (§5.2 lets the answer exceed the exact length); a buffer shorter than
 * the actual plaintext gets CKR_BUFFER_TOO_SMALL with the exact length.
 */
static CK_RV
tk_rsa_decrypt_run(tk_op *op, const uint8_t *in, CK_ULONG in_len, uint8_t *out,
                   CK_ULONG *out_len)
{
    CK_RV rv = CKR_OK;
    tk_rsa_op *o = (tk_rsa_op *)op;
    size_t n;

    TK_CHECK(in_len == o->k, CKR_ENCRYPTED_DATA_LEN_RANGE);
    if (out == NULL) {
        *out_len = o->max_plain;
        goto out;
    }
    n = *out_len;
    rv = tk_ossl_rsa_decrypt(o->rsa, in, in_len, out, &n);
    if (rv == CKR_OK || rv == CKR_BUFFER_TOO_SMALL) {
        *out_len = n;
    }
out:
    return rv;
}

/* ---- hash-and-sign ---- */

static CK_RV
tk_rsa_hash_update(tk_op *op, const uint8_t *in, CK_ULONG in_len, uint8_t *out,
                   CK_ULONG *out_len)
{
    tk_rsa_op *o = (tk_rsa_op *)op;

    (void)out;
    (void)out_len;
    return tk_ossl_md_update(o->md, in, in_len);
}

static CK_RV
tk_rsa_hash_final(tk_op *op, uint8_t *out, CK_ULONG *out_len)
{
    CK_RV rv = CKR_OK;
    tk_rsa_op *o = (tk_rsa_op *)op;
    uint8_t digest[TK_MD_MAX_SIZE];

    if (!tk_rsa_sized_only(o->k, out, out_len, &rv)) {
        TK_GUARD(tk_ossl_md_final(o->md, digest));
        TK_GUARD(tk_ossl_rsa_sign(o->rsa, digest, tk_ossl_md_size(o->md_id), out));
        *out_len = o->k;
    }
out:
    tk_wipe(digest, sizeof(digest));
    return rv;
}

/* Single part: a length query must not absorb the data it will see again. */
static CK_RV
tk_rsa_hash_sign_run(tk_op *op, const uint8_t *in, CK_ULONG in_len, uint8_t *out,
                     CK_ULONG *out_len)
{
    CK_RV rv = CKR_OK;
    tk_rsa_op *o = (tk_rsa_op *)op;

    if (!tk_rsa_sized_only(o->k, out, out_len, &rv)) {
        TK_GUARD(tk_ossl_md_update(o->md, in, in_len));
        TK_GUARD(tk_rsa_hash_final(op, out, out_len));
    }
out:
    return rv;
}

static CK_RV
tk_rsa_hash_verify_final(tk_op *op, const uint8_t *sig, CK_ULONG sig_len)
{
    CK_RV rv = CKR_OK;
    tk_rsa_op *o = (tk_rsa_op *)op;
    uint8_t digest[TK_MD_MAX_SIZE];

    TK_CHECK(sig_len == o->k, CKR_SIGNATURE_LEN_RANGE);
    TK_GUARD(tk_ossl_md_final(o->md, digest));
    rv = tk_ossl_rsa_verify(o->rsa, digest, tk_ossl_md_size(o->md_id), sig, sig_len);
out:
    return rv;
}

static CK_RV
tk_rsa_hash_verify(tk_op *op, const uint8_t *data, CK_ULONG len, const uint8_t *sig,
                   CK_ULONG sig_len)
{
    CK_RV rv = CKR_OK;
    tk_rsa_op *o = (tk_rsa_op *)op;

    TK_CHECK(sig_len == o->k, CKR_SIGNATURE_LEN_RANGE);
    TK_GUARD(tk_ossl_md_update(o->md, data, len));
    rv = tk_rsa_hash_verify_final(op, sig, sig_len);
out:
    return rv;
}

/* See rsa_internal.h. */
void
tk_rsa_op_destroy(tk_op *op)
{
    tk_rsa_op *o = (tk_rsa_op *)op;

    tk_ossl_rsa_free(o->rsa);
    tk_ossl_md_free(o->md);
    tk_op_release(op, sizeof(*o));
}

/* vt->free: back to the key's cache when it takes it, else destroyed. */
static void
tk_rsa_op_free(tk_op *op)
{
    tk_rsa_op *o = (tk_rsa_op *)op;
    tk_rsa_cache *c = o->cache;

    if (c == NULL || !o->reusable || !tk_rsa_cache_give(c, op)) {
        tk_rsa_op_destroy(op);
    }
    /* Last: this may free the cache and the operation just given to it. */
    tk_rsa_cache_drop(c);
}

/* See rsa_internal.h. */
int
tk_rsa_op_matches(const tk_op *op, tk_op_kind kind, CK_MECHANISM_TYPE mech,
                  const tk_rsa_params *p)
{
    const tk_rsa_op *o = (const tk_rsa_op *)op;

    /* The mechanism fixes the encoding and, with hashing, the hash. */
    return op->kind == kind && op->mech == mech && p->s.label_len == 0 &&
           o->pad == p->s.pad && o->md_id == p->s.md && o->mgf_md == p->s.mgf_md &&
           o->salt_len == p->s.salt_len;
}

/* See rsa_internal.h. */
CK_RV
tk_rsa_op_reset(tk_op *op)
{
    tk_rsa_op *o = (tk_rsa_op *)op;

    op->started = 0;
    return o->md != NULL ? tk_ossl_md_reset(o->md) : CKR_OK;
}

static const tk_op_vtbl tk_rsa_sign_vt = {.run = tk_rsa_sign_run, .free = tk_rsa_op_free};
static const tk_op_vtbl tk_rsa_verify_vt = {.verify = tk_rsa_verify_one, .free = tk_rsa_op_free};
static const tk_op_vtbl tk_rsa_recover_vt = {.run = tk_rsa_recover_run, .free = tk_rsa_op_free};
static const tk_op_vtbl tk_rsa_encrypt_vt = {.run = tk_rsa_encrypt_run, .free = tk_rsa_op_free};
static const tk_op_vtbl tk_rsa_decrypt_vt = {.run = tk_rsa_decrypt_run, .free = tk_rsa_op_free};
static const tk_op_vtbl tk_rsa_hash_sign_vt = {
    .run = tk_rsa_hash_sign_run,
    .update = tk_rsa_hash_update,
    .final = tk_rsa_hash_final,
    .free = tk_rsa_op_free,
};
static const tk_op_vtbl tk_rsa_hash_verify_vt = {
    .update = tk_rsa_hash_update,
    .verify = tk_rsa_hash_verify,
    .verify_final = tk_rsa_hash_verify_final,
    .free = tk_rsa_op_free,
};

/* The backend direction and the vtable of an operation kind. */
static CK_RV
tk_rsa_kind(tk_op_kind kind, int hashed, tk_rsa_dir *dir, const tk_op_vtbl **vt)
{
    switch (kind) {
    case TK_OP_SIGN:
    case TK_OP_SIGN_RECOVER:
        *dir = TK_RSA_SIGN;
        *vt = hashed ? &tk_rsa_hash_sign_vt : &tk_rsa_sign_vt;
        return hashed && kind == TK_OP_SIGN_RECOVER ? CKR_MECHANISM_INVALID : CKR_OK;
    case TK_OP_VERIFY:
        *dir = TK_RSA_VERIFY;
        *vt = hashed ? &tk_rsa_hash_verify_vt : &tk_rsa_verify_vt;
        return CKR_OK;
    case TK_OP_VERIFY_RECOVER:
        *dir = TK_RSA_VERIFY_RECOVER;
        *vt = &tk_rsa_recover_vt;
        return hashed ? CKR_MECHANISM_INVALID : CKR_OK;
    case TK_OP_ENCRYPT:
        *dir = TK_RSA_ENCRYPT;
        *vt = &tk_rsa_encrypt_vt;
        return CKR_OK;
    case TK_OP_DECRYPT:
        *dir = TK_RSA_DECRYPT;
        *vt = &tk_rsa_decrypt_vt;
        return CKR_OK;
    default:
        return CKR_MECHANISM_INVALID;
    }
}

/* See rsa_internal.h. */
CK_RV
tk_rsa_op_start(const tk_mech_desc *d, tk_op_kind kind, const CK_MECHANISM *m,
                const tk_rsa_params *p, tk_ossl_pkey *key, tk_rsa_cache *cache, tk_op **out)
{
    CK_RV rv = CKR_OK;
    const tk_rsa_mech *a = d->arg;
    int hashed = a->md != TK_MD_COUNT;
    tk_rsa_dir dir = TK_RSA_SIGN;
    const tk_op_vtbl *vt = NULL;
    tk_op *op = NULL;
    tk_rsa_op *o;

    TK_GUARD(tk_rsa_kind(kind, hashed, &dir, &vt));
    TK_GUARD(tk_op_alloc(sizeof(tk_rsa_op), vt, kind, m->mechanism, &op));
    o = (tk_rsa_op *)op;
    o->pad = p->s.pad;
    o->md_id = p->s.md;
    o->mgf_md = p->s.mgf_md;
    o->salt_len = p->s.salt_len;
    o->reusable = p->s.label_len == 0;
    TK_GUARD(tk_ossl_rsa_new(key, dir, &p->s, &o->rsa));
    o->k = tk_ossl_rsa_len(o->rsa);
    o->max_in = tk_rsa_max_input(p, o->k);
    o->max_plain = tk_rsa_max_plain(p, o->k);
    if (hashed) {
        TK_GUARD(tk_ossl_md_new(a->md, &o->md));
    }
    if (cache != NULL) {
        tk_rsa_cache_hold(cache);
        o->cache = cache;
    }
    *out = op;
    op = NULL;
out:
    tk_op_free(op);
    return rv;
}
