/*
 * Mechanism family: MACs and the keys they use.
 *
 *   HMAC [PKCS11 3.2 §6.22] over SHA-1, SHA-2 and SHA-3: CKM_<hash>_HMAC
 *   (full tag, no parameter) and CKM_<hash>_HMAC_GENERAL (a
 *   CK_MAC_GENERAL_PARAMS of 1..full bytes). Keys: CKK_GENERIC_SECRET or
 *   the hash's own CKK_<hash>_HMAC type.
 *   AES-CMAC [PKCS11 3.2 §6.14]: CKM_AES_CMAC (16-byte tag) and
 *   CKM_AES_CMAC_GENERAL (1..16 bytes); CKK_AES keys of 16, 24, 32 bytes.
 *   Key generation: CKM_GENERIC_SECRET_KEY_GEN and CKM_<hash>_KEY_GEN.
 *
 * Tags are checked with a constant-time compare; only the tag length,
 * which is public, decides anything early. Multi-part operations can be
 * saved as digest_internal.h describes; the state holds no key.
 */
#include <stdlib.h>
#include <string.h>

#include "crypto/ossl/mac.h"
#include "crypto/ossl/rand.h"
#include "mech/digest_internal.h"
#include "util/check.h"
#include "util/wipe.h"

/*
 * HMAC key sizes in bytes. [PKCS11 3.2 §6.22] sets no bound; one byte is
 * the least a key object holds, and longer keys than a few blocks are
 * only hashed down, so the upper bound just limits what we copy.
 */
#define TK_HMAC_MIN_KEY 1
#define TK_HMAC_MAX_KEY 4096

/* AES key sizes in bytes. */
#define TK_CMAC_MIN_KEY 16
#define TK_CMAC_MAX_KEY 32

typedef struct {
    int cmac;              /* AES-CMAC; else HMAC over md */
    tk_md_id md;
    CK_KEY_TYPE key_type;  /* the dedicated HMAC key type, or CKK_AES */
    int general;           /* takes a CK_MAC_GENERAL_PARAMS */
} tk_mac_info;

typedef struct {
    CK_KEY_TYPE key_type;
    CK_ULONG unit;         /* 8 when the table's key sizes are bits, else 1 */
} tk_keygen_info;

typedef struct {
    tk_op head;
    tk_ossl_mac_ctx *ctx;
    size_t tag_len;        /* what the caller gets: full or general length */
    tk_digest_log seen;    /* data absorbed by updates, for the saved state */
} tk_mac_op;

static CK_RV
tk_mac_update(tk_op *op, const uint8_t *in, CK_ULONG in_len, uint8_t *out, CK_ULONG *out_len)
{
    CK_RV rv = CKR_OK;
    tk_mac_op *o = (tk_mac_op *)op;

    (void)out;
    (void)out_len;
    TK_GUARD(tk_ossl_mac_update(o->ctx, in, in_len));
    tk_digest_log_add(&o->seen, in, in_len);
out:
    return rv;
}

static CK_RV
tk_mac_sign_final(tk_op *op, uint8_t *out, CK_ULONG *out_len)
{
    CK_RV rv = CKR_OK;
    tk_mac_op *o = (tk_mac_op *)op;
    uint8_t tag[TK_MAC_MAX_SIZE];

    if (!tk_digest_sized_only(o->tag_len, out, out_len, &rv)) {
        TK_GUARD(tk_ossl_mac_final(o->ctx, tag));
        memcpy(out, tag, o->tag_len);
        *out_len = o->tag_len;
    }
out:
    tk_wipe(tag, sizeof(tag));
    return rv;
}

static CK_RV
tk_mac_sign(tk_op *op, const uint8_t *in, CK_ULONG in_len, uint8_t *out, CK_ULONG *out_len)
{
    CK_RV rv = CKR_OK;
    tk_mac_op *o = (tk_mac_op *)op;

    /* Size first: after a length query the same data comes again. */
    if (!tk_digest_sized_only(o->tag_len, out, out_len, &rv)) {
        /* Single part: nothing to keep for a saved state. */
        TK_GUARD(tk_ossl_mac_update(o->ctx, in, in_len));
        rv = tk_mac_sign_final(op, out, out_len);
    }
out:
    return rv;
}

static CK_RV
tk_mac_verify_final(tk_op *op, const uint8_t *sig, CK_ULONG sig_len)
{
    CK_RV rv = CKR_OK;
    tk_mac_op *o = (tk_mac_op *)op;
    uint8_t tag[TK_MAC_MAX_SIZE];
    uint64_t differ;

    /* The length is public (fixed by the mechanism): a plain check. */
    TK_CHECK(sig_len == o->tag_len, CKR_SIGNATURE_LEN_RANGE);
    TK_CHECK(sig != NULL, CKR_ARGUMENTS_BAD);
    TK_GUARD(tk_ossl_mac_final(o->ctx, tag));
    /* The answer is selected, not branched to: only the caller, who is
     * told the answer anyway, branches on it. */
    differ = (uint64_t)tk_ct_memcmp(tag, sig, o->tag_len);
    rv = (CK_RV)(CKR_SIGNATURE_INVALID & (0 - differ));
out:
    tk_wipe(tag, sizeof(tag));
    return rv;
}

static CK_RV
tk_mac_verify(tk_op *op, const uint8_t *data, CK_ULONG len, const uint8_t *sig,
              CK_ULONG sig_len)
{
    CK_RV rv = CKR_OK;
    tk_mac_op *o = (tk_mac_op *)op;

    TK_CHECK(sig_len == o->tag_len, CKR_SIGNATURE_LEN_RANGE);
    TK_GUARD(tk_ossl_mac_update(o->ctx, data, len));
    rv = tk_mac_verify_final(op, sig, sig_len);
out:
    return rv;
}

/* The tag length goes into the state: a general-length state must not
 * resume with another length. */
static CK_RV
tk_mac_get_state(tk_op *op, uint8_t *out, CK_ULONG *out_len)
{
    tk_mac_op *o = (tk_mac_op *)op;

    return tk_digest_log_save(&o->seen, op, o->tag_len, out, out_len);
}

/* Restart the MAC under the key it holds and absorb the saved data. */
static CK_RV
tk_mac_set_state(tk_op *op, const uint8_t *in, CK_ULONG len)
{
    CK_RV rv = CKR_OK;
    tk_mac_op *o = (tk_mac_op *)op;
    const uint8_t *data = NULL;
    size_t n = 0;

    TK_GUARD(tk_digest_log_check(op, o->tag_len, in, len, &data, &n));
    TK_GUARD(tk_ossl_mac_reset(o->ctx));
    tk_digest_log_clear(&o->seen);
    TK_GUARD(tk_mac_update(op, data, n, NULL, NULL));
out:
    return rv;
}

static void
tk_mac_free(tk_op *op)
{
    tk_mac_op *o = (tk_mac_op *)op;

    tk_ossl_mac_free(o->ctx);
    tk_digest_log_clear(&o->seen);
    tk_op_release(op, sizeof(*o));
}

static const tk_op_vtbl tk_mac_vt = {
    .run = tk_mac_sign,
    .update = tk_mac_update,
    .final = tk_mac_sign_final,
    .verify = tk_mac_verify,
    .verify_final = tk_mac_verify_final,
    .get_state = tk_mac_get_state,
    .set_state = tk_mac_set_state,
    .free = tk_mac_free,
};

/* Class and type: HMAC takes generic secrets and its own type, CMAC AES. */
static CK_RV
tk_mac_check_key(const tk_mac_info *info, const tk_key *key)
{
    if (key == NULL || key->cls != CKO_SECRET_KEY) {
        return CKR_KEY_TYPE_INCONSISTENT;
    }
    if (key->type == info->key_type || (!info->cmac && key->type == CKK_GENERIC_SECRET)) {
        return CKR_OK;
    }
    return CKR_KEY_TYPE_INCONSISTENT;
}

/* The parameter: none, or a CK_MAC_GENERAL_PARAMS of 1..full bytes. */
static CK_RV
tk_mac_check_param(const tk_mac_info *info, const CK_MECHANISM *m, size_t full,
                   size_t *tag_len)
{
    CK_MAC_GENERAL_PARAMS want;

    if (!info->general) {
        *tag_len = full;
        return m->ulParameterLen == 0 ? CKR_OK : CKR_MECHANISM_PARAM_INVALID;
    }
    if (m->pParameter == NULL || m->ulParameterLen != sizeof(CK_MAC_GENERAL_PARAMS)) {
        return CKR_MECHANISM_PARAM_INVALID;
    }
    memcpy(&want, m->pParameter, sizeof(want));
    if (want < 1 || want > full) {
        return CKR_MECHANISM_PARAM_INVALID;
    }
    *tag_len = want;
    return CKR_OK;
}

/* The key's value, its length within the table's bounds. */
static CK_RV
tk_mac_key_value(const tk_mech_desc *d, const tk_key *key, const CK_ATTRIBUTE **value)
{
    const CK_ATTRIBUTE *v = tk_key_attr(key, CKA_VALUE);

    if (v == NULL || v->pValue == NULL || v->ulValueLen < d->min_key ||
        v->ulValueLen > d->max_key) {
        return CKR_KEY_SIZE_RANGE;
    }
    *value = v;
    return CKR_OK;
}

/*
 * A keyed context kept with the key object, nothing absorbed: a new
 * operation copies it instead of keying OpenSSL afresh, which halves the
 * cost of a short C_SignInit + C_Sign. One per object: a generic secret
 * used with two hashes keeps the first, the other is keyed each time.
 */
typedef struct {
    tk_key_cache head;
    int cmac;
    tk_md_id md;
    tk_ossl_mac_ctx *tpl;  /* only ever copied, never changed */
} tk_mac_cache;

/* The cache owner tag of this family: its address. */
static const char tk_mac_cache_tag = 'M';

static void
tk_mac_cache_free(tk_key_cache *c)
{
    tk_mac_cache *m = (tk_mac_cache *)c;

    tk_ossl_mac_free(m->tpl);
    tk_free_secret(m, sizeof(*m));
}

/* Offer a copy of a freshly keyed context to the object; failing to cache
 * is not an error. */
static void
tk_mac_cache_offer(const tk_mac_info *info, const tk_key *key, const tk_ossl_mac_ctx *fresh)
{
    tk_mac_cache *c = calloc(1, sizeof(*c));
    tk_key_cache *installed;

    if (c == NULL) {
        return;
    }
    c->head.owner = &tk_mac_cache_tag;
    c->head.free = tk_mac_cache_free;
    c->cmac = info->cmac;
    c->md = info->md;
    if (tk_ossl_mac_dup(fresh, &c->tpl) != CKR_OK) {
        free(c);
        return;
    }
    installed = tk_key_cache_offer(key, &c->head);
    /* Another thread's entry won (ours is freed already), or the slot is
     * taken by another family or missing, and ours stays ours to free. */
    if (installed == &c->head && !tk_key_cache_owns(key, &c->head)) {
        tk_mac_cache_free(&c->head);
    }
}

/* A context keyed with v: a copy of the object's template when it has
 * one for this MAC, else keyed afresh (and offered as the template). */
static CK_RV
tk_mac_keyed(const tk_mac_info *info, const tk_key *key, const CK_ATTRIBUTE *v,
             tk_ossl_mac_ctx **out)
{
    CK_RV rv = CKR_OK;
    tk_mac_cache *c = (tk_mac_cache *)tk_key_cache_get(key, &tk_mac_cache_tag);

    if (c != NULL && c->cmac == info->cmac && c->md == info->md) {
        TK_GUARD(tk_ossl_mac_dup(c->tpl, out));
    } else {
        if (info->cmac) {
            TK_GUARD(tk_ossl_cmac_new(v->pValue, v->ulValueLen, out));
        } else {
            TK_GUARD(tk_ossl_hmac_new(info->md, v->pValue, v->ulValueLen, out));
        }
        if (c == NULL && key->cache != NULL) {
            tk_mac_cache_offer(info, key, *out);
        }
    }
out:
    return rv;
}

static CK_RV
tk_mac_op_init(const tk_mech_desc *d, tk_op_kind kind, const CK_MECHANISM *m,
               const tk_key *key, tk_op **out)
{
    CK_RV rv = CKR_OK;
    const tk_mac_info *info = d->arg;
    size_t full = info->cmac ? TK_CMAC_SIZE : tk_ossl_md_size(info->md);
    size_t tag_len = 0;
    const CK_ATTRIBUTE *v = NULL;
    tk_op *op = NULL;
    tk_mac_op *o;

    TK_CHECK(kind == TK_OP_SIGN || kind == TK_OP_VERIFY, CKR_MECHANISM_INVALID);
    TK_GUARD(tk_mac_check_key(info, key));
    TK_GUARD(tk_mac_check_param(info, m, full, &tag_len));
    TK_GUARD(tk_mac_key_value(d, key, &v));
    TK_GUARD(tk_op_alloc(sizeof(tk_mac_op), &tk_mac_vt, kind, m->mechanism, &op));
    o = (tk_mac_op *)op;
    o->tag_len = tag_len;
    /* The context holds its own key: the object may go away now. */
    TK_GUARD(tk_mac_keyed(info, key, v, &o->ctx));
    *out = op;
    op = NULL;
out:
    tk_op_free(op);
    return rv;
}

/* A template's class and key type, when given, must be what we make. */
static CK_RV
tk_keygen_check_tmpl(const CK_ATTRIBUTE *tmpl, CK_ULONG n, CK_KEY_TYPE type)
{
    const CK_ATTRIBUTE *c = tk_tmpl_find(tmpl, n, CKA_CLASS);
    const CK_ATTRIBUTE *k = tk_tmpl_find(tmpl, n, CKA_KEY_TYPE);

    if (c != NULL && tk_tmpl_ulong(tmpl, n, CKA_CLASS, CKO_DATA) != CKO_SECRET_KEY) {
        return CKR_TEMPLATE_INCONSISTENT;
    }
    if (k != NULL && tk_tmpl_ulong(tmpl, n, CKA_KEY_TYPE, CK_UNAVAILABLE_INFORMATION) != type) {
        return CKR_TEMPLATE_INCONSISTENT;
    }
    return CKR_OK;
}

/* CKA_VALUE_LEN of the template, in bytes, within the table's bounds. */
static CK_RV
tk_keygen_len(const tk_mech_desc *d, const tk_keygen_info *info, const CK_ATTRIBUTE *tmpl,
              CK_ULONG n, CK_ULONG *len)
{
    const CK_ATTRIBUTE *a = tk_tmpl_find(tmpl, n, CKA_VALUE_LEN);

    if (a == NULL) {
        return CKR_TEMPLATE_INCOMPLETE;
    }
    if (a->pValue == NULL || a->ulValueLen != sizeof(CK_ULONG)) {
        return CKR_ATTRIBUTE_VALUE_INVALID;
    }
    memcpy(len, a->pValue, sizeof(*len));
    if (*len < d->min_key / info->unit || *len > d->max_key / info->unit) {
        return CKR_KEY_SIZE_RANGE;
    }
    return CKR_OK;
}

/* [PKCS11 3.2 §6.22.4] and the generic secret key generation: random
 * bytes of the length the template asks. */
static CK_RV
tk_keygen_generate(const tk_mech_desc *d, const CK_MECHANISM *m, const CK_ATTRIBUTE *tmpl,
                   CK_ULONG n, CK_KEY_TYPE *key_type, tk_mech_attrs *out)
{
    CK_RV rv = CKR_OK;
    const tk_keygen_info *info = d->arg;
    CK_ULONG len = 0;
    uint8_t *buf = NULL;

    TK_CHECK(m->ulParameterLen == 0, CKR_MECHANISM_PARAM_INVALID);
    TK_GUARD(tk_keygen_check_tmpl(tmpl, n, info->key_type));
    TK_GUARD(tk_keygen_len(d, info, tmpl, n, &len));
    buf = malloc(len);
    TK_CHECK(buf != NULL, CKR_HOST_MEMORY);
    TK_GUARD(tk_ossl_random(buf, len));
    TK_GUARD(tk_mech_attrs_add(out, CKA_VALUE, buf, len));
    TK_GUARD(tk_mech_attrs_add_ulong(out, CKA_VALUE_LEN, len));
    *key_type = info->key_type;
out:
    tk_free_secret(buf, buf != NULL ? len : 0);
    return rv;
}

#define TK_HMAC_ENTRY(mech, id, ktype, gen)                                                    \
    {                                                                                          \
        .type = (mech), .min_key = TK_HMAC_MIN_KEY, .max_key = TK_HMAC_MAX_KEY,                \
        .flags = CKF_SIGN | CKF_VERIFY, .op_init = tk_mac_op_init,                             \
        .arg = &(const tk_mac_info){0, (id), (ktype), (gen)},                                  \
    }

/* Both forms of one hash's HMAC. */
#define TK_HMAC(mech, general, id, ktype)                                                      \
    TK_HMAC_ENTRY(mech, id, ktype, 0), TK_HMAC_ENTRY(general, id, ktype, 1)

#define TK_CMAC(mech, gen)                                                                     \
    {                                                                                          \
        .type = (mech), .min_key = TK_CMAC_MIN_KEY, .max_key = TK_CMAC_MAX_KEY,                \
        .flags = CKF_SIGN | CKF_VERIFY, .op_init = tk_mac_op_init,                             \
        .arg = &(const tk_mac_info){1, TK_MD_COUNT, CKK_AES, (gen)},                           \
    }

/* [PKCS11 3.2 §6.22.4]: CKM_<hash>_KEY_GEN sizes are in bytes. */
#define TK_KEYGEN(mech, ktype)                                                                 \
    {                                                                                          \
        .type = (mech), .min_key = TK_HMAC_MIN_KEY, .max_key = TK_HMAC_MAX_KEY,                \
        .flags = CKF_GENERATE, .generate = tk_keygen_generate,                                 \
        .arg = &(const tk_keygen_info){(ktype), 1},                                            \
    }

static const tk_mech_desc tk_mac_table[] = {
    TK_HMAC(CKM_SHA_1_HMAC, CKM_SHA_1_HMAC_GENERAL, TK_MD_SHA1, CKK_SHA_1_HMAC),
    TK_HMAC(CKM_SHA224_HMAC, CKM_SHA224_HMAC_GENERAL, TK_MD_SHA224, CKK_SHA224_HMAC),
    TK_HMAC(CKM_SHA256_HMAC, CKM_SHA256_HMAC_GENERAL, TK_MD_SHA256, CKK_SHA256_HMAC),
    TK_HMAC(CKM_SHA384_HMAC, CKM_SHA384_HMAC_GENERAL, TK_MD_SHA384, CKK_SHA384_HMAC),
    TK_HMAC(CKM_SHA512_HMAC, CKM_SHA512_HMAC_GENERAL, TK_MD_SHA512, CKK_SHA512_HMAC),
    TK_HMAC(CKM_SHA512_224_HMAC, CKM_SHA512_224_HMAC_GENERAL, TK_MD_SHA512_224,
            CKK_SHA512_224_HMAC),
    TK_HMAC(CKM_SHA512_256_HMAC, CKM_SHA512_256_HMAC_GENERAL, TK_MD_SHA512_256,
            CKK_SHA512_256_HMAC),
    TK_HMAC(CKM_SHA3_224_HMAC, CKM_SHA3_224_HMAC_GENERAL, TK_MD_SHA3_224, CKK_SHA3_224_HMAC),
    TK_HMAC(CKM_SHA3_256_HMAC, CKM_SHA3_256_HMAC_GENERAL, TK_MD_SHA3_256, CKK_SHA3_256_HMAC),
    TK_HMAC(CKM_SHA3_384_HMAC, CKM_SHA3_384_HMAC_GENERAL, TK_MD_SHA3_384, CKK_SHA3_384_HMAC),
    TK_HMAC(CKM_SHA3_512_HMAC, CKM_SHA3_512_HMAC_GENERAL, TK_MD_SHA3_512, CKK_SHA3_512_HMAC),
    TK_CMAC(CKM_AES_CMAC, 0),
    TK_CMAC(CKM_AES_CMAC_GENERAL, 1),
    /* Generic secret key generation counts its sizes in bits. */
    {
        .type = CKM_GENERIC_SECRET_KEY_GEN,
        .min_key = 8 * TK_HMAC_MIN_KEY,
        .max_key = 8 * TK_HMAC_MAX_KEY,
        .flags = CKF_GENERATE,
        .generate = tk_keygen_generate,
        .arg = &(const tk_keygen_info){CKK_GENERIC_SECRET, 8},
    },
    TK_KEYGEN(CKM_SHA_1_KEY_GEN, CKK_SHA_1_HMAC),
    TK_KEYGEN(CKM_SHA224_KEY_GEN, CKK_SHA224_HMAC),
    TK_KEYGEN(CKM_SHA256_KEY_GEN, CKK_SHA256_HMAC),
    TK_KEYGEN(CKM_SHA384_KEY_GEN, CKK_SHA384_HMAC),
    TK_KEYGEN(CKM_SHA512_KEY_GEN, CKK_SHA512_HMAC),
    TK_KEYGEN(CKM_SHA512_224_KEY_GEN, CKK_SHA512_224_HMAC),
    TK_KEYGEN(CKM_SHA512_256_KEY_GEN, CKK_SHA512_256_HMAC),
    TK_KEYGEN(CKM_SHA3_224_KEY_GEN, CKK_SHA3_224_HMAC),
    TK_KEYGEN(CKM_SHA3_256_KEY_GEN, CKK_SHA3_256_HMAC),
    TK_KEYGEN(CKM_SHA3_384_KEY_GEN, CKK_SHA3_384_HMAC),
    TK_KEYGEN(CKM_SHA3_512_KEY_GEN, CKK_SHA3_512_HMAC),
};

tk_mech_family
tk_mech_family_mac(void)
{
    tk_mech_family fam = {tk_mac_table, sizeof(tk_mac_table) / sizeof(tk_mac_table[0])};

    return fam;
}
