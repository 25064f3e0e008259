/*
 * Message-based AEAD [PKCS11 3.2 §5.9, §5.11] for AES-GCM, AES-CCM and
 * ChaCha20-Poly1305: one keyed context per operation, each message only
 * sets its IV, and the tag travels in the per-message parameter.
 *
 * C_EncryptMessage is the fast path: no allocation, one IV set. A message
 * in parts (C_*MessageBegin/Next) streams GCM and ChaCha20 encryption and
 * holds everything else until the last part, so that a decryption
 * releases no plaintext before its tag matched.
 */
#include <stdlib.h>
#include <string.h>

#include "crypto/ossl/rand.h"
#include "mech/cipher_internal.h"
#include "util/check.h"
#include "util/wipe.h"

typedef struct {
    tk_op head;
    tk_cipher *c;
    tk_cmode mode;
    int enc;
    uint64_t counter;        /* CKG_GENERATE_COUNTER(_XOR): next value */
    int in_msg;              /* between Begin and the last Next */
    uint8_t iv[TK_GCM_MAX_IV_LEN];
    size_t iv_len;
    size_t tag_len;
    size_t data_len;         /* CCM: ulDataLen of the current message */
    uint8_t *aad;            /* held for a deferred start */
    size_t aad_len;
    uint8_t *buf;            /* held text of the current message */
    size_t buf_len;
    size_t buf_cap;
} tk_msg_op;

/* One message's parameter, whatever its structure. */
typedef struct {
    uint8_t *iv;
    size_t iv_len;
    CK_ULONG fixed_bits;
    CK_GENERATOR_FUNCTION gen;
    uint8_t *tag;
    size_t tag_len;
    CK_ULONG data_len;
} tk_msg_param;

/* The size of a mode's per-message parameter structure. */
static CK_ULONG
tk_msg_param_size(tk_cmode mode)
{
    switch (mode) {
    case TK_CM_GCM:
        return sizeof(CK_GCM_MESSAGE_PARAMS);
    case TK_CM_CCM:
        return sizeof(CK_CCM_MESSAGE_PARAMS);
    default:
        return sizeof(CK_SALSA20_CHACHA20_POLY1305_MSG_PARAMS);
    }
}

static CK_RV
tk_msg_param_gcm(const void *param, CK_ULONG len, tk_msg_param *p)
{
    const CK_GCM_MESSAGE_PARAMS *g = param;

    if (len != sizeof(*g)) {
        return CKR_MECHANISM_PARAM_INVALID;
    }
    *p = (tk_msg_param){g->pIv, g->ulIvLen, g->ulIvFixedBits, g->ivGenerator, g->pTag,
                        g->ulTagBits / 8, 0};
    /* Tag lengths as for C_Encrypt: whole bytes, 32..128 bits. */
    if (g->ulIvLen < 1 || g->ulIvLen > TK_GCM_MAX_IV_LEN || g->ulTagBits < 32 ||
        g->ulTagBits > 128 || g->ulTagBits % 8 != 0) {
        return CKR_MECHANISM_PARAM_INVALID;
    }
    return CKR_OK;
}

static CK_RV
tk_msg_param_ccm(const void *param, CK_ULONG len, tk_msg_param *p)
{
    const CK_CCM_MESSAGE_PARAMS *c = param;

    if (len != sizeof(*c)) {
        return CKR_MECHANISM_PARAM_INVALID;
    }
    *p = (tk_msg_param){c->pNonce, c->ulNonceLen, c->ulNonceFixedBits, c->nonceGenerator,
                        c->pMAC, c->ulMACLen, c->ulDataLen};
    if (c->ulNonceLen < 7 || c->ulNonceLen > 13 || c->ulMACLen < 4 || c->ulMACLen > 16 ||
        c->ulMACLen % 2 != 0) {
        return CKR_MECHANISM_PARAM_INVALID;
    }
    /* The length field has 15 - nonce bytes: ulDataLen must fit. */
    if (15 - c->ulNonceLen < 8 && c->ulDataLen >= ((CK_ULONG)1 << (8 * (15 - c->ulNonceLen)))) {
        return CKR_MECHANISM_PARAM_INVALID;
    }
    return CKR_OK;
}

static CK_RV
tk_msg_param_chacha(const void *param, CK_ULONG len, tk_msg_param *p)
{
    const CK_SALSA20_CHACHA20_POLY1305_MSG_PARAMS *s = param;

    if (len != sizeof(*s)) {
        return CKR_MECHANISM_PARAM_INVALID;
    }
    *p = (tk_msg_param){s->pNonce, TK_CHACHA_NONCE_LEN, 0, CKG_NO_GENERATE, s->pTag,
                        TK_CHACHA_TAG_LEN, 0};
    /* ulNonceLen counts bits; only the 96-bit IETF nonce, as for
     * C_Encrypt (see cipher_aead.c). */
    return s->ulNonceLen == 8 * TK_CHACHA_NONCE_LEN ? CKR_OK : CKR_MECHANISM_PARAM_INVALID;
}

static CK_RV
tk_msg_param_get(const tk_msg_op *mo, const void *param, CK_ULONG len, tk_msg_param *p)
{
    CK_RV rv = CKR_MECHANISM_PARAM_INVALID;

    if (param == NULL) {
        return rv;
    }
    switch (mo->mode) {
    case TK_CM_GCM:
        rv = tk_msg_param_gcm(param, len, p);
        break;
    case TK_CM_CCM:
        rv = tk_msg_param_ccm(param, len, p);
        break;
    default:
        rv = tk_msg_param_chacha(param, len, p);
        break;
    }
    if (rv == CKR_OK && (p->iv == NULL || p->tag == NULL)) {
        rv = CKR_MECHANISM_PARAM_INVALID;
    }
    /* Decryption ignores the generator fields [PKCS11 3.2 §6.13]. */
    if (rv == CKR_OK && mo->enc && p->gen != CKG_NO_GENERATE &&
        p->fixed_bits >= 8 * p->iv_len) {
        rv = CKR_MECHANISM_PARAM_INVALID;
    }
    return rv;
}

/*
 * Fill the non-fixed bits of the IV (those after the first fixed_bits)
 * from src, keeping the fixed ones.
 */
static void
tk_msg_iv_merge(uint8_t *iv, size_t len, CK_ULONG fixed_bits, const uint8_t *src, int xor)
{
    for (size_t i = fixed_bits / 8; i < len; i++) {
        /* Bits of this byte that are free: all but the leading fixed ones. */
        uint8_t free_mask = i == fixed_bits / 8 ? (uint8_t)(0xFFu >> (fixed_bits % 8)) : 0xFF;
        uint8_t v = xor ? (uint8_t)(iv[i] ^ src[i]) : src[i];
        iv[i] = (uint8_t)((iv[i] & ~free_mask) | (v & free_mask));
    }
}

/* Generate the IV of the next message into p->iv [PKCS11 3.2 §6.13]. */
static CK_RV
tk_msg_iv_generate(tk_msg_op *mo, tk_msg_param *p)
{
    CK_RV rv = CKR_OK;
    uint8_t src[TK_GCM_MAX_IV_LEN] = {0};
    CK_ULONG free_bits = 8 * p->iv_len - p->fixed_bits;

    switch (p->gen) {
    case CKG_NO_GENERATE:
        goto out;
    case CKG_GENERATE:
    case CKG_GENERATE_RANDOM:
        /* CKG_GENERATE is random too: a counter restarting at zero in
         * each operation would repeat IVs under a long-lived key. */
        TK_GUARD(tk_ossl_random(src, p->iv_len));
        tk_msg_iv_merge(p->iv, p->iv_len, p->fixed_bits, src, 0);
        break;
    case CKG_GENERATE_COUNTER:
    case CKG_GENERATE_COUNTER_XOR:
        /* The counter must not wrap within the free bits: a repeated IV
         * would void GCM's security. */
        TK_CHECK(free_bits >= 64 || mo->counter < ((uint64_t)1 << free_bits),
                 CKR_FUNCTION_FAILED);
        TK_CHECK(mo->counter != UINT64_MAX, CKR_FUNCTION_FAILED);
        for (size_t i = 0; i < 8 && i < p->iv_len; i++) {
            src[p->iv_len - 1 - i] = (uint8_t)(mo->counter >> (8 * i));
        }
        tk_msg_iv_merge(p->iv, p->iv_len, p->fixed_bits, src, p->gen == CKG_GENERATE_COUNTER_XOR);
        mo->counter++;
        break;
    default:
        rv = CKR_MECHANISM_PARAM_INVALID;
        break;
    }
out:
    return rv;
}

/* Start the backend's message; decrypting, with the parameter's tag. */
static CK_RV
tk_msg_start(tk_msg_op *mo, const tk_msg_param *p, size_t text_len, const uint8_t *aad,
             size_t aad_len)
{
    CK_RV rv = CKR_OK;

    TK_CHECK(aad != NULL || aad_len == 0, CKR_ARGUMENTS_BAD);
    TK_GUARD(tk_cipher_aead_start(mo->c, mo->iv, mo->iv_len, p->tag_len, text_len,
                                  mo->enc ? NULL : p->tag));
    TK_GUARD(tk_cipher_aead_aad(mo->c, aad, aad_len));
out:
    return rv;
}

/* CCM's exact length rule for a whole message. */
static CK_RV
tk_msg_len_ok(const tk_msg_op *mo, const tk_msg_param *p, size_t len)
{
    if (mo->mode == TK_CM_CCM && len != p->data_len) {
        return tk_cipher_len_err(mo->enc);
    }
    return CKR_OK;
}

/* The whole text of one message: in to out, tag to or from p. */
static CK_RV
tk_msg_text(tk_msg_op *mo, const tk_msg_param *p, const uint8_t *aad, size_t aad_len,
            const uint8_t *in, size_t len, uint8_t *out)
{
    CK_RV rv = CKR_OK;

    TK_GUARD(tk_msg_start(mo, p, len, aad, aad_len));
    TK_GUARD(tk_cipher_update(mo->c, in, len, out));
    TK_GUARD(tk_cipher_aead_finish(mo->c, mo->enc ? p->tag : NULL));
out:
    if (rv != CKR_OK) {
        tk_wipe(out, len);
    }
    /* The message functions name a failed tag apart [PKCS11 3.2 §5.11]. */
    if (rv == CKR_ENCRYPTED_DATA_INVALID && !mo->enc) {
        rv = CKR_AEAD_DECRYPT_FAILED;
    }
    return rv;
}

static CK_RV
tk_msg_run(tk_op *op, void *param, CK_ULONG param_len, const uint8_t *aad, CK_ULONG aad_len,
           const uint8_t *in, CK_ULONG in_len, uint8_t *out, CK_ULONG *out_len)
{
    tk_msg_op *mo = (tk_msg_op *)op;
    CK_RV rv = CKR_OK;
    tk_msg_param p;

    TK_CHECK(!mo->in_msg, CKR_OPERATION_ACTIVE);
    TK_GUARD(tk_msg_param_get(mo, param, param_len, &p));
    TK_GUARD(tk_msg_len_ok(mo, &p, in_len));
    if (!tk_cipher_room(out, out_len, in_len, &rv)) {
        goto out;
    }
    if (mo->enc) {
        TK_GUARD(tk_msg_iv_generate(mo, &p));
    }
    memcpy(mo->iv, p.iv, p.iv_len);
    mo->iv_len = p.iv_len;
    TK_GUARD(tk_msg_text(mo, &p, aad, aad_len, in, in_len, out));
    *out_len = in_len;
out:
    return rv;
}

/* Whether a message in parts streams (else it is held to the end). */
static int
tk_msg_streams(const tk_msg_op *mo)
{
    return mo->enc && mo->mode != TK_CM_CCM;
}

/* Drop the current message's held data. */
static void
tk_msg_reset(tk_msg_op *mo)
{
    tk_free_secret(mo->aad, mo->aad_len);
    mo->aad = NULL;
    mo->aad_len = 0;
    tk_wipe(mo->buf, mo->buf_len);
    mo->buf_len = 0;
    mo->in_msg = 0;
}

static CK_RV
tk_msg_begin(tk_op *op, void *param, CK_ULONG param_len, const uint8_t *aad,
             CK_ULONG aad_len)
{
    tk_msg_op *mo = (tk_msg_op *)op;
    CK_RV rv = CKR_OK;
    tk_msg_param p;

    TK_CHECK(!mo->in_msg, CKR_OPERATION_ACTIVE);
    TK_CHECK(aad != NULL || aad_len == 0, CKR_ARGUMENTS_BAD);
    TK_GUARD(tk_msg_param_get(mo, param, param_len, &p));
    if (mo->enc) {
        TK_GUARD(tk_msg_iv_generate(mo, &p));
    }
    memcpy(mo->iv, p.iv, p.iv_len);
    mo->iv_len = p.iv_len;
    mo->data_len = p.data_len;
    if (tk_msg_streams(mo)) {
        TK_GUARD(tk_msg_start(mo, &p, 0, aad, aad_len));
    } else if (aad_len > 0) {
        mo->aad = malloc(aad_len);
        TK_CHECK(mo->aad != NULL, CKR_HOST_MEMORY);
        memcpy(mo->aad, aad, aad_len);
        mo->aad_len = aad_len;
    }
    mo->in_msg = 1;
out:
    return rv;
}

/* Append len bytes to the held text; old copies are wiped. */
static CK_RV
tk_msg_hold(tk_msg_op *mo, const uint8_t *in, size_t len)
{
    return tk_cipher_hold(&mo->buf, &mo->buf_len, &mo->buf_cap, in, len, mo->enc);
}

/* A held message's last part: everything at once. */
static CK_RV
tk_msg_next_held(tk_msg_op *mo, const tk_msg_param *p, const uint8_t *in, CK_ULONG in_len,
                 uint8_t *out, CK_ULONG *out_len, int last)
{
    CK_RV rv = CKR_OK;
    size_t total = mo->buf_len + in_len;

    TK_CHECK(total >= in_len, tk_cipher_len_err(mo->enc));
    if (mo->mode == TK_CM_CCM) {
        TK_CHECK(total <= mo->data_len, tk_cipher_len_err(mo->enc));
    }
    if (!last) {
        if (tk_cipher_room(out, out_len, 0, &rv)) {
            TK_GUARD(tk_msg_hold(mo, in, in_len));
            *out_len = 0;
        }
        goto out;
    }
    TK_GUARD(tk_msg_len_ok(mo, p, total));
    if (!tk_cipher_room(out, out_len, total, &rv)) {
        goto out;
    }
    TK_GUARD(tk_msg_hold(mo, in, in_len));
    TK_GUARD(tk_msg_text(mo, p, mo->aad, mo->aad_len, mo->buf, mo->buf_len, out));
    *out_len = total;
    tk_msg_reset(mo);
out:
    return rv;
}

static CK_RV
tk_msg_next(tk_op *op, void *param, CK_ULONG param_len, const uint8_t *in, CK_ULONG in_len,
            uint8_t *out, CK_ULONG *out_len, CK_FLAGS flags)
{
    tk_msg_op *mo = (tk_msg_op *)op;
    CK_RV rv = CKR_OK;
    tk_msg_param p;
    int last = (flags & CKF_END_OF_MESSAGE) != 0;

    TK_CHECK(mo->in_msg, CKR_OPERATION_NOT_INITIALIZED);
    TK_GUARD(tk_msg_param_get(mo, param, param_len, &p));
    /* The IV is the one Begin used (and maybe generated). */
    p.iv = mo->iv;
    p.iv_len = mo->iv_len;
    p.data_len = mo->data_len;
    if (!tk_msg_streams(mo)) {
        TK_GUARD(tk_msg_next_held(mo, &p, in, in_len, out, out_len, last));
        goto out;
    }
    if (!tk_cipher_room(out, out_len, in_len, &rv)) {
        goto out;
    }
    TK_GUARD(tk_cipher_update(mo->c, in, in_len, out));
    if (last) {
        TK_GUARD(tk_cipher_aead_finish(mo->c, p.tag));
        tk_msg_reset(mo);
    }
    *out_len = in_len;
out:
    /* An error ends the message, not the operation [PKCS11 3.2 §5.11]. */
    if (rv != CKR_OK && rv != CKR_BUFFER_TOO_SMALL) {
        tk_msg_reset(mo);
    }
    return rv;
}

static void
tk_msg_free(tk_op *op)
{
    tk_msg_op *mo = (tk_msg_op *)op;

    tk_cipher_free(mo->c);
    tk_free_secret(mo->aad, mo->aad_len);
    tk_free_secret(mo->buf, mo->buf_cap);
    tk_op_release(op, sizeof(*mo));
}

static const tk_op_vtbl tk_msg_vt = {
    .msg_run = tk_msg_run,
    .msg_begin = tk_msg_begin,
    .msg_next = tk_msg_next,
    .free = tk_msg_free,
};

CK_RV
tk_cipher_msg_init(const tk_mech_desc *d, tk_op_kind kind, const CK_MECHANISM *m,
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
    tk_op *op = NULL;
    tk_msg_op *mo;

    TK_GUARD(tk_cipher_key(key, arg->key_type, &val, &len));
    /* The parameters come with each message [PKCS11 3.2 §5.9]; one given
     * at init is accepted when well formed, and ignored. */
    TK_CHECK(m->ulParameterLen == 0 || m->ulParameterLen == tk_msg_param_size(arg->mode),
             CKR_MECHANISM_PARAM_INVALID);
    TK_GUARD(tk_cipher_key_size(d, len));
    TK_GUARD(tk_op_alloc(sizeof(tk_msg_op), &tk_msg_vt, kind, m->mechanism, &op));
    mo = (tk_msg_op *)op;
    mo->mode = arg->mode;
    mo->enc = kind == TK_OP_MSG_ENCRYPT;
    TK_GUARD(tk_cipher_new(backend[arg->mode], mo->enc, val, len, &mo->c));
    *out = op;
    op = NULL;
out:
    tk_op_free(op);
    return rv;
}
