/*
 * Mechanism family: message digests [PKCS11 3.2 §6.20]: SHA-1, SHA-224,
 * SHA-256, SHA-384, SHA-512, SHA-512/224, SHA-512/256 and SHA3-224 to
 * SHA3-512. None takes a parameter or a key. See mech_internal.h for how
 * families plug in.
 *
 * Saved operation state (C_GetOperationState). OpenSSL 3.0 cannot export
 * a hash's internal state, so the state a digest operation saves is the
 * data it has absorbed so far, and restoring it hashes that data again.
 * That keeps the state valid across processes and library versions, at
 * the price of size: only the first TK_DIGEST_STATE_MAX_DATA bytes are
 * kept, and an operation that absorbed more answers CKR_STATE_UNSAVEABLE.
 *
 * The saved state, all integers big-endian (version 1):
 *   offset  0  4 bytes  "TKOS"
 *   offset  4  2 bytes  format version (1)
 *   offset  6  2 bytes  operation kind (tk_op_kind, TK_OP_DIGEST)
 *   offset  8  8 bytes  mechanism type
 *   offset 16  8 bytes  n, the number of data bytes that follow
 *   offset 24  n bytes  the data absorbed so far
 *
 * The state holds the caller's data in the clear; the session layer must
 * refuse to save an operation that absorbed a key (C_DigestKey).
 */
#include <stdlib.h>
#include <string.h>

#include "crypto/ossl/md.h"
#include "mech/mech_internal.h"
#include "util/check.h"
#include "util/wipe.h"

#define TK_DIGEST_STATE_VERSION 1
#define TK_DIGEST_STATE_HDR 24
#define TK_DIGEST_STATE_MAX_DATA ((size_t)1 << 20)

static const uint8_t tk_digest_state_magic[4] = {'T', 'K', 'O', 'S'};

typedef struct {
    tk_op head;
    tk_md_id md;
    tk_ossl_md_ctx *ctx;
    uint8_t *seen;   /* data absorbed so far, for the saved state */
    size_t seen_len;
    size_t seen_cap;
    int unsaveable;  /* more than TK_DIGEST_STATE_MAX_DATA absorbed */
} tk_digest_op;

/*
 * [PKCS11 3.2 §5.2]: 1 when the call only learns the output length (out
 * NULL: CKR_OK) or is refused for a short buffer (CKR_BUFFER_TOO_SMALL);
 * *rv gets that answer and *out_len the length. 0 when out has room.
 */
static int
tk_digest_sized_only(size_t need, const uint8_t *out, CK_ULONG *out_len, CK_RV *rv)
{
    if (out != NULL && *out_len >= need) {
        return 0;
    }
    *rv = out == NULL ? CKR_OK : CKR_BUFFER_TOO_SMALL;
    *out_len = need;
    return 1;
}

static void
tk_digest_forget(tk_digest_op *o)
{
    tk_free_secret(o->seen, o->seen_cap);
    o->seen = NULL;
    o->seen_len = 0;
    o->seen_cap = 0;
}

/*
 * Keep a copy of absorbed data for the saved state. Past the limit, or
 * when memory runs out, the copy is dropped and the operation goes on
 * unsaveable: the digest itself never fails for the state's sake.
 */
static void
tk_digest_remember(tk_digest_op *o, const uint8_t *in, size_t len)
{
    uint8_t *grown;
    size_t cap;

    if (o->unsaveable || len == 0) {
        return;
    }
    if (len > TK_DIGEST_STATE_MAX_DATA - o->seen_len) {
        o->unsaveable = 1;
        tk_digest_forget(o);
        return;
    }
    if (o->seen_len + len > o->seen_cap) {
        cap = o->seen_cap ? o->seen_cap : 256;
        while (cap < o->seen_len + len) {
            cap *= 2;
        }
        /* Not realloc(): the old block would be freed unwiped. */
        grown = malloc(cap);
        if (grown == NULL) {
            o->unsaveable = 1;
            tk_digest_forget(o);
            return;
        }
        if (o->seen_len > 0) {
            memcpy(grown, o->seen, o->seen_len);
        }
        tk_free_secret(o->seen, o->seen_cap);
        o->seen = grown;
        o->seen_cap = cap;
    }
    memcpy(o->seen + o->seen_len, in, len);
    o->seen_len += len;
}

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
    tk_digest_remember(o, in, in_len);
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

static void
tk_digest_put_be(uint8_t *p, uint64_t v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        p[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
    }
}

static uint64_t
tk_digest_get_be(const uint8_t *p, size_t n)
{
    uint64_t v = 0;

    for (size_t i = 0; i < n; i++) {
        v = (v << 8) | p[i];
    }
    return v;
}

/* See the state layout at the top of this file. */
static CK_RV
tk_digest_get_state(tk_op *op, uint8_t *out, CK_ULONG *out_len)
{
    CK_RV rv = CKR_OK;
    tk_digest_op *o = (tk_digest_op *)op;
    size_t need = TK_DIGEST_STATE_HDR + o->seen_len;

    TK_CHECK(!o->unsaveable, CKR_STATE_UNSAVEABLE);
    if (!tk_digest_sized_only(need, out, out_len, &rv)) {
        memcpy(out, tk_digest_state_magic, sizeof(tk_digest_state_magic));
        tk_digest_put_be(out + 4, TK_DIGEST_STATE_VERSION, 2);
        tk_digest_put_be(out + 6, TK_OP_DIGEST, 2);
        tk_digest_put_be(out + 8, op->mech, 8);
        tk_digest_put_be(out + 16, o->seen_len, 8);
        if (o->seen_len > 0) {
            memcpy(out + TK_DIGEST_STATE_HDR, o->seen, o->seen_len);
        }
        *out_len = need;
    }
out:
    return rv;
}

/* Check a saved state's header against this operation. */
static CK_RV
tk_digest_state_check(const tk_op *op, const uint8_t *in, CK_ULONG len)
{
    CK_RV rv = CKR_OK;
    uint64_t n;

    TK_CHECK(in != NULL && len >= TK_DIGEST_STATE_HDR, CKR_SAVED_STATE_INVALID);
    TK_CHECK(memcmp(in, tk_digest_state_magic, sizeof(tk_digest_state_magic)) == 0,
             CKR_SAVED_STATE_INVALID);
    TK_CHECK(tk_digest_get_be(in + 4, 2) == TK_DIGEST_STATE_VERSION, CKR_SAVED_STATE_INVALID);
    TK_CHECK(tk_digest_get_be(in + 6, 2) == TK_OP_DIGEST, CKR_SAVED_STATE_INVALID);
    TK_CHECK(tk_digest_get_be(in + 8, 8) == op->mech, CKR_SAVED_STATE_INVALID);
    n = tk_digest_get_be(in + 16, 8);
    TK_CHECK(n <= TK_DIGEST_STATE_MAX_DATA && n == len - TK_DIGEST_STATE_HDR,
             CKR_SAVED_STATE_INVALID);
out:
    return rv;
}

/* Restart the hash and absorb the saved data again. */
static CK_RV
tk_digest_set_state(tk_op *op, const uint8_t *in, CK_ULONG len)
{
    CK_RV rv = CKR_OK;
    tk_digest_op *o = (tk_digest_op *)op;

    TK_GUARD(tk_digest_state_check(op, in, len));
    TK_GUARD(tk_ossl_md_reset(o->ctx));
    tk_digest_forget(o);
    o->unsaveable = 0;
    TK_GUARD(tk_digest_update(op, in + TK_DIGEST_STATE_HDR, len - TK_DIGEST_STATE_HDR, NULL,
                              NULL));
out:
    return rv;
}

static void
tk_digest_free(tk_op *op)
{
    tk_digest_op *o = (tk_digest_op *)op;

    tk_ossl_md_free(o->ctx);
    tk_digest_forget(o);
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

tk_mech_family
tk_mech_family_digest(void)
{
    tk_mech_family fam = {tk_digest_table, sizeof(tk_digest_table) / sizeof(tk_digest_table[0])};

    return fam;
}
