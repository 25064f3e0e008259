/*
 * Mechanism family: message digests [PKCS11 3.2 §6.20]: SHA-1, SHA-224,
 * SHA-256, SHA-384, SHA-512, SHA-512/224, SHA-512/256 and SHA3-224 to
 * SHA3-512. None takes a parameter or a key. See mech_internal.h for how
 * families plug in.
 *
 * Operations save their state as described in digest_internal.h.
 */
#include "crypto/ossl/md.h"
#include "mech/digest_internal.h"
#include "util/check.h"

typedef struct {
    tk_op head;
    tk_md_id md;
    tk_ossl_md_ctx *ctx;
    tk_digest_log seen;  /* data absorbed so far, for the saved state */
} tk_digest_op;

static CK_RV
tk_digest_run(tk_op *op, const uint8_t *in, CK_ULONG in_len, uint8_t *out, CK_ULONG *out_len)
{
    CK_RV rv = CKR_OK;
    tk_digest_op *o = (tk_digest_op *)op;
    size_t need = tk_ossl_md_size(o->md);

    if (!tk_digest_sized_only(need, out, out_len, &rv)) {
        /* in and out may overlap: everything is absorbed before writing. */
        TK_GUARD(tk_ossl_md_update(o->ctx, in, in_len));
        TK_GUARD(tk_ossl_md_final(o->ctx, out));
        *out_len = need;
    }
out:
    return rv;
}

static CK_RV
tk_digest_update(tk_op *op, const uint8_t *in, CK_ULONG in_len, uint8_t *out,
                 CK_ULONG *out_len)
{
    CK_RV rv = CKR_OK;
    tk_digest_op *o = (tk_digest_op *)op;

    (void)out;
    (void)out_len;
    TK_GUARD(tk_ossl_md_update(o->ctx, in, in_len));
    tk_digest_log_add(&o->seen, in, in_len);
out:
    return rv;
}

static CK_RV
tk_digest_final(tk_op *op, uint8_t *out, CK_ULONG *out_len)
{
    CK_RV rv = CKR_OK;
    tk_digest_op *o = (tk_digest_op *)op;
    size_t need = tk_ossl_md_size(o->md);

    if (!tk_digest_sized_only(need, out, out_len, &rv)) {
        TK_GUARD(tk_ossl_md_final(o->ctx, out));
        *out_len = need;
    }
out:
    return rv;
}

static CK_RV
tk_digest_get_state(tk_op *op, uint8_t *out, CK_ULONG *out_len)
{
    return tk_digest_log_save(&((tk_digest_op *)op)->seen, op, 0, out, out_len);
}

/* Restart the hash and absorb the saved data again. */
static CK_RV
tk_digest_set_state(tk_op *op, const uint8_t *in, CK_ULONG len)
{
    CK_RV rv = CKR_OK;
    tk_digest_op *o = (tk_digest_op *)op;
    const uint8_t *data = NULL;
    size_t n = 0;

    TK_GUARD(tk_digest_log_check(op, 0, in, len, &data, &n));
    TK_GUARD(tk_ossl_md_reset(o->ctx));
    tk_digest_log_clear(&o->seen);
    TK_GUARD(tk_digest_update(op, data, n, NULL, NULL));
out:
    return rv;
}

static void
tk_digest_free(tk_op *op)
{
    tk_digest_op *o = (tk_digest_op *)op;

    tk_ossl_md_free(o->ctx);
    tk_digest_log_clear(&o->seen);
    tk_op_release(op, sizeof(*o));
}

static const tk_op_vtbl tk_digest_vt = {
    .run = tk_digest_run,
    .update = tk_digest_update,
    .final = tk_digest_final,
    .get_state = tk_digest_get_state,
    .set_state = tk_digest_set_state,
    .free = tk_digest_free,
};

static CK_RV
tk_digest_op_init(const tk_mech_desc *d, tk_op_kind kind, const CK_MECHANISM *m,
                  const tk_key *key, tk_op **out)
{
    CK_RV rv = CKR_OK;
    const tk_md_id *md = d->arg;
    tk_op *op = NULL;
    tk_digest_op *o;

    (void)key;
    TK_CHECK(kind == TK_OP_DIGEST, CKR_MECHANISM_INVALID);
    /* [PKCS11 3.2 §6.20]: no digest here has a parameter. */
    TK_CHECK(m->ulParameterLen == 0, CKR_MECHANISM_PARAM_INVALID);
    TK_GUARD(tk_op_alloc(sizeof(tk_digest_op), &tk_digest_vt, kind, m->mechanism, &op));
    o = (tk_digest_op *)op;
    o->md = *md;
    TK_GUARD(tk_ossl_md_new(*md, &o->ctx));
    *out = op;
    op = NULL;
out:
    tk_op_free(op);
    return rv;
}

#define TK_DIGEST(mech, id)                                                                    \
    {                                                                                          \
        .type = (mech), .flags = CKF_DIGEST, .op_init = tk_digest_op_init,                     \
        .arg = &(const tk_md_id){(id)},                                                        \
    }

static const tk_mech_desc tk_digest_table[] = {
    TK_DIGEST(CKM_SHA_1, TK_MD_SHA1),
    TK_DIGEST(CKM_SHA224, TK_MD_SHA224),
    TK_DIGEST(CKM_SHA256, TK_MD_SHA256),
    TK_DIGEST(CKM_SHA384, TK_MD_SHA384),
    TK_DIGEST(CKM_SHA512, TK_MD_SHA512),
    TK_DIGEST(CKM_SHA512_224, TK_MD_SHA512_224),
    TK_DIGEST(CKM_SHA512_256, TK_MD_SHA512_256),
    TK_DIGEST(CKM_SHA3_224, TK_MD_SHA3_224),
    TK_DIGEST(CKM_SHA3_256, TK_MD_SHA3_256),
    TK_DIGEST(CKM_SHA3_384, TK_MD_SHA3_384),
    TK_DIGEST(CKM_SHA3_512, TK_MD_SHA3_512),
};

int
tk_mech_digest_md(CK_MECHANISM_TYPE mech, tk_md_id *md)
{
    for (size_t i = 0; i < sizeof(tk_digest_table) / sizeof(tk_digest_table[0]); i++) {
        if (tk_digest_table[i].type == mech) {
            *md = *(const tk_md_id *)tk_digest_table[i].arg;
            return 1;
        }
    }
    return 0;
}

tk_mech_family
tk_mech_family_digest(void)
{
    tk_mech_family fam = {tk_digest_table, sizeof(tk_digest_table) / sizeof(tk_digest_table[0])};

    return fam;
}
