/*
 * AES-GCM, AES-CCM [PKCS11 3.2 §6.13] and ChaCha20-Poly1305 [§6.61] for
 * C_Encrypt* / C_Decrypt*: the tag follows the ciphertext.
 *
 * Decryption holds every byte until the final call and releases plaintext
 * only after the tag matched. CCM needs the whole text at once, so its
 * encryption is held too; GCM and ChaCha20-Poly1305 encryption streams.
 *
 * An ended operation, emptied, waits with its key object for the next
 * C_EncryptInit/C_DecryptInit of the same mode and direction, keyed
 * already (cipher_cache.c).
 */
#include <stdlib.h>
#include <string.h>

#include "mech/cipher_internal.h"
#include "util/check.h"
#include "util/wipe.h"

typedef struct {
    tk_op head;
    tk_cipher *c;
    tk_cipher_cache *cache; /* its key object's, counted; the op returns
                               there at its end (cipher_cache.c) */
    tk_cipher_mode backend;
    tk_cmode mode;
    int enc;
    int streaming;          /* encryption has started (GCM, ChaCha20) */
    uint8_t *iv;            /* GCM allows any length [PKCS11 3.2 §6.13] */
    size_t iv_len;
    uint8_t iv_short[16];   /* iv points here unless it is longer */
    uint8_t *aad;
    size_t aad_len;
    size_t tag_len;
    size_t ccm_len;         /* CCM: ulDataLen */
    uint8_t *buf;           /* held input */
    size_t buf_len;
    size_t buf_cap;
} tk_aead_op;

/* Start the backend's message with the saved IV and AAD. */
static CK_RV
tk_aead_begin(tk_aead_op *a, size_t text_len, const uint8_t *tag)
{
    CK_RV rv = CKR_OK;

    TK_GUARD(tk_cipher_aead_start(a->c, a->iv, a->iv_len, a->tag_len, text_len, tag));
    TK_GUARD(tk_cipher_aead_aad(a->c, a->aad, a->aad_len));
out:
    return rv;
}

/* Append len bytes to the held input; old copies are wiped. */
static CK_RV
tk_aead_hold(tk_aead_op *a, const uint8_t *in, size_t len)
{
    return tk_cipher_hold(&a->buf, &a->buf_len, &a->buf_cap, in, len, a->enc);
}

/* Encrypt len bytes of in with the tag appended; out has the room. */
static CK_RV
tk_aead_seal(tk_aead_op *a, const uint8_t *in, size_t len, uint8_t *out)
{
    CK_RV rv = CKR_OK;

    TK_GUARD(tk_aead_begin(a, len, NULL));
    TK_GUARD(tk_cipher_update(a->c, in, len, out));
    TK_GUARD(tk_cipher_aead_finish(a->c, out + len));
out:
    if (rv != CKR_OK) {
        tk_wipe(out, len + a->tag_len);
    }
    return rv;
}

/* Decrypt len bytes of in (text then tag); out gets len - tag_len bytes,
 * or is wiped when the tag does not match. */
static CK_RV
tk_aead_open(tk_aead_op *a, const uint8_t *in, size_t len, uint8_t *out)
{
    CK_RV rv = CKR_OK;
    size_t n = len - a->tag_len;

    TK_GUARD(tk_aead_begin(a, n, in + n));
    TK_GUARD(tk_cipher_update(a->c, in, n, out));
    TK_GUARD(tk_cipher_aead_finish(a->c, NULL));
out:
    if (rv != CKR_OK) {
        tk_wipe(out, n);
    }
    return rv;
}

/* The length rule of a whole input; CCM's is exact. */
static CK_RV
tk_aead_len_ok(const tk_aead_op *a, size_t len)
{
    if (a->enc) {
        return a->mode != TK_CM_CCM || len == a->ccm_len ? CKR_OK : CKR_DATA_LEN_RANGE;
    }
    if (len < a->tag_len || (a->mode == TK_CM_CCM && len - a->tag_len != a->ccm_len)) {
        return CKR_ENCRYPTED_DATA_LEN_RANGE;
    }
    return CKR_OK;
}

static CK_RV
tk_aead_run(tk_op *op, const uint8_t *in, CK_ULONG len, uint8_t *out, CK_ULONG *out_len)
{
    tk_aead_op *a = (tk_aead_op *)op;
    CK_RV rv = CKR_OK;
    CK_ULONG need;

    TK_GUARD(tk_aead_len_ok(a, len));
    need = a->enc ? len + a->tag_len : len - a->tag_len;
    TK_CHECK(need >= len || !a->enc, CKR_DATA_LEN_RANGE);
    if (!tk_cipher_room(out, out_len, need, &rv)) {
        goto out;
    }
    if (a->enc) {
        TK_GUARD(tk_aead_seal(a, in, len, out));
    } else {
        TK_GUARD(tk_aead_open(a, in, len, out));
    }
    *out_len = need;
out:
    return rv;
}

static CK_RV
tk_aead_update(tk_op *op, const uint8_t *in, CK_ULONG len, uint8_t *out, CK_ULONG *out_len)
{
    tk_aead_op *a = (tk_aead_op *)op;
    CK_RV rv = CKR_OK;
    int stream = a->enc && a->mode != TK_CM_CCM;

    /* CCM's total is known: refuse excess as soon as it arrives. */
    if (a->mode == TK_CM_CCM) {
        size_t limit = a->ccm_len + (a->enc ? 0 : a->tag_len);
        TK_CHECK(len <= limit && a->buf_len <= limit - len, tk_cipher_len_err(a->enc));
    }
    if (!tk_cipher_room(out, out_len, stream ? len : 0, &rv)) {
        goto out;
    }
    if (!stream) {
        TK_GUARD(tk_aead_hold(a, in, len));
        *out_len = 0;
        goto out;
    }
    if (!a->streaming) {
        TK_GUARD(tk_aead_begin(a, 0, NULL));
        a->streaming = 1;
    }
    TK_GUARD(tk_cipher_update(a->c, in, len, out));
    *out_len = len;
out:
    return rv;
}

static CK_RV
tk_aead_final(tk_op *op, uint8_t *out, CK_ULONG *out_len)
{
    tk_aead_op *a = (tk_aead_op *)op;
    CK_RV rv = CKR_OK;
    CK_ULONG need;

    if (a->enc && a->mode != TK_CM_CCM) {
        if (!tk_cipher_room(out, out_len, a->tag_len, &rv)) {
            goto out;
        }
        if (!a->streaming) {
            TK_GUARD(tk_aead_begin(a, 0, NULL));
            a->streaming = 1;
        }
        TK_GUARD(tk_cipher_aead_finish(a->c, out));
        *out_len = a->tag_len;
        goto out;
    }
    TK_GUARD(tk_aead_len_ok(a, a->buf_len));
    need = a->enc ? a->buf_len + a->tag_len : a->buf_len - a->tag_len;
    if (!tk_cipher_room(out, out_len, need, &rv)) {
        goto out;
    }
    if (a->enc) {
        TK_GUARD(tk_aead_seal(a, a->buf, a->buf_len, out));
    } else {
        TK_GUARD(tk_aead_open(a, a->buf, a->buf_len, out));
    }
    *out_len = need;
out:
    return rv;
}

/* Free what the parameter and the text left: IV, AAD, held input. */
static void
tk_aead_clear(tk_aead_op *a)
{
    if (a->iv != a->iv_short) {
        free(a->iv);
    }
    tk_free_secret(a->aad, a->aad_len);
    tk_free_secret(a->buf, a->buf_cap);
}

/* See cipher_internal.h. */
void
tk_cipher_aead_destroy(tk_op *op)
{
    tk_aead_op *a = (tk_aead_op *)op;

    if (a != NULL) {
        tk_cipher_free(a->c);
        tk_aead_clear(a);
        tk_op_release(op, sizeof(*a));
    }
}

/*
 * Make an ended operation idle: nothing of its caller's survives, only
 * the keyed context and the table of steps.
 */
static void
tk_aead_idle(tk_aead_op *a)
{
    tk_cipher *c = a->c;
    const tk_op_vtbl *vt = a->head.vt;

    tk_aead_clear(a);
    tk_wipe(a, sizeof(*a));
    a->head.vt = vt;
    a->c = c;
}

/* Ending an operation leaves it with its key object for the next one. */
static void
tk_aead_free(tk_op *op)
{
    tk_aead_op *a = (tk_aead_op *)op;
    tk_cipher_cache *cache = a->cache;
    tk_cipher_mode backend = a->backend;
    int enc = a->enc;

    if (cache == NULL || a->c == NULL) {
        tk_cipher_aead_destroy(op);
        op = NULL;
    } else {
        tk_aead_idle(a);
    }
    tk_cipher_cache_put(cache, backend, enc, op);
}

static const tk_op_vtbl tk_aead_vt = {
    .run = tk_aead_run,
    .update = tk_aead_update,
    .final = tk_aead_final,
    .free = tk_aead_free,
};

/* The fields every AEAD parameter gives, before the checks. */
typedef struct {
    const uint8_t *iv;
    CK_ULONG iv_len;
    const uint8_t *aad;
    CK_ULONG aad_len;
    CK_ULONG tag_len;
    CK_ULONG ccm_len;
} tk_aead_param;

/*
 * GCM tags: [PKCS11 3.2 §6.13] allows 0..128 bits; we take whole bytes
 * from 32 to 128 bits, as a shorter tag gives almost no integrity and
 * [NIST SP 800-38D] defines nothing below 32.
 */
static int
tk_gcm_tag_bits_ok(CK_ULONG bits)
{
    return bits >= 32 && bits <= 128 && bits % 8 == 0;
}

static CK_RV
tk_aead_param_get(tk_cmode mode, const CK_MECHANISM *m, tk_aead_param *p)
{
    if (mode == TK_CM_GCM && m->ulParameterLen == sizeof(CK_GCM_PARAMS) && m->pParameter) {
        const CK_GCM_PARAMS *g = m->pParameter;
        *p = (tk_aead_param){g->pIv, g->ulIvLen, g->pAAD, g->ulAADLen, g->ulTagBits / 8, 0};
        /* ulIvBits is ignored, as 3.x says; ulIvLen decides. IVs longer
         * than OpenSSL takes run on the backend's own GHASH. */
        return g->ulIvLen >= 1 && tk_gcm_tag_bits_ok(g->ulTagBits)
                   ? CKR_OK
                   : CKR_MECHANISM_PARAM_INVALID;
    }
    if (mode == TK_CM_CCM && m->ulParameterLen == sizeof(CK_CCM_PARAMS) && m->pParameter) {
        const CK_CCM_PARAMS *c = m->pParameter;
        CK_ULONG l = 15 - c->ulNonceLen; /* bytes of the length field */
        *p = (tk_aead_param){c->pNonce, c->ulNonceLen, c->pAAD, c->ulAADLen, c->ulMACLen,
                             c->ulDataLen};
        return c->ulNonceLen >= 7 && c->ulNonceLen <= 13 && c->ulMACLen >= 4 &&
                       c->ulMACLen <= 16 && c->ulMACLen % 2 == 0 &&
                       (l >= 8 || c->ulDataLen < ((CK_ULONG)1 << (8 * l)))
                   ? CKR_OK
                   : CKR_MECHANISM_PARAM_INVALID;
    }
    if (mode == TK_CM_CHACHA_POLY &&
        m->ulParameterLen == sizeof(CK_SALSA20_CHACHA20_POLY1305_PARAMS) && m->pParameter) {
        const CK_SALSA20_CHACHA20_POLY1305_PARAMS *s = m->pParameter;
        *p = (tk_aead_param){s->pNonce, TK_CHACHA_NONCE_LEN, s->pAAD, s->ulAADLen,
                             TK_CHACHA_TAG_LEN, 0};
        /* ulNonceLen counts bits. TODO: only the 96-bit IETF nonce
         * [RFC 8439]; the 64-bit original and 192-bit XChaCha20 variants
         * answer CKR_MECHANISM_PARAM_INVALID. */
        return s->ulNonceLen == 8 * TK_CHACHA_NONCE_LEN ? CKR_OK : CKR_MECHANISM_PARAM_INVALID;
    }
    return CKR_MECHANISM_PARAM_INVALID;
}

/* Copy the parameter's IV and AAD into the operation. */
static CK_RV
tk_aead_param_copy(tk_aead_op *a, const tk_aead_param *p)
{
    if (p->iv == NULL || (p->aad == NULL && p->aad_len > 0)) {
        return CKR_MECHANISM_PARAM_INVALID;
    }
    /* The usual IVs (12 bytes) cost no allocation. */
    a->iv = p->iv_len <= sizeof(a->iv_short) ? a->iv_short : malloc(p->iv_len);
    if (a->iv == NULL) {
        return CKR_HOST_MEMORY;
    }
    memcpy(a->iv, p->iv, p->iv_len);
    a->iv_len = p->iv_len;
    a->tag_len = p->tag_len;
    a->ccm_len = p->ccm_len;
    if (p->aad_len > 0) {
        a->aad = malloc(p->aad_len);
        if (a->aad == NULL) {
            return CKR_HOST_MEMORY;
        }
        memcpy(a->aad, p->aad, p->aad_len);
        a->aad_len = p->aad_len;
    }
    return CKR_OK;
}

/*
 * An operation for key: an idle one its key object kept (keyed already)
 * or a new one without a context. Either way it holds a reference to the
 * object's cache, if any, until its end. On failure *out is untouched.
 */
static CK_RV
tk_aead_op_get(const tk_key *key, tk_cipher_mode backend, tk_op_kind kind,
               CK_MECHANISM_TYPE mech, tk_op **out)
{
    int enc = kind == TK_OP_ENCRYPT;
    tk_cipher_cache *cache = tk_cipher_cache_hold(key);
    tk_op *op = tk_cipher_cache_take(cache, backend, enc);
    tk_aead_op *a;

    if (op == NULL && tk_op_alloc(sizeof(tk_aead_op), &tk_aead_vt, kind, mech, &op) != CKR_OK) {
        tk_cipher_cache_put(cache, backend, enc, NULL);
        return CKR_HOST_MEMORY;
    }
    op->kind = kind;
    op->mech = mech;
    a = (tk_aead_op *)op;
    a->cache = cache;
    a->backend = backend;
    a->enc = enc;
    *out = op;
    return CKR_OK;
}

CK_RV
tk_cipher_aead_init(const tk_mech_desc *d, tk_op_kind kind, const CK_MECHANISM *m,
                    const tk_key *key, tk_op **out)
{
    static const tk_cipher_mode backend[] = {
        [TK_CM_GCM] = TK_CIPHER_AES_GCM,
        [TK_CM_CCM] = TK_CIPHER_AES_CCM,
        [TK_CM_CHACHA_POLY] = TK_CIPHER_CHACHA20_POLY1305,
    };
    const tk_cipher_arg *arg = tk_cipher_arg_of(d);
    CK_RV rv = CKR_OK;
    const uint8_t *val = NULL;
    CK_ULONG len = 0;
    tk_aead_param p;
    tk_op *op = NULL;
    tk_aead_op *a;

    if (kind == TK_OP_MSG_ENCRYPT || kind == TK_OP_MSG_DECRYPT) {
        return tk_cipher_msg_init(d, kind, m, key, out);
    }
    TK_CHECK(kind == TK_OP_ENCRYPT || kind == TK_OP_DECRYPT, CKR_MECHANISM_INVALID);
    TK_GUARD(tk_cipher_key(key, arg->key_type, &val, &len));
    TK_GUARD(tk_aead_param_get(arg->mode, m, &p));
    TK_GUARD(tk_cipher_key_size(d, len));
    TK_GUARD(tk_aead_op_get(key, backend[arg->mode], kind, m->mechanism, &op));
    a = (tk_aead_op *)op;
    a->mode = arg->mode;
    TK_GUARD(tk_aead_param_copy(a, &p));
    if (a->c == NULL) {
        TK_GUARD(tk_cipher_new(a->backend, a->enc, val, len, &a->c));
    }
    *out = op;
    op = NULL;
out:
    tk_op_free(op);
    return rv;
}
