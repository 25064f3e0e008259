/*
 * AES in ECB, CBC, CBC-PAD, CTR and CTS (CBC-CS3) [PKCS11 3.2 §6.10-6.12],
 * single and multi part. Padding and ciphertext stealing are done here
 * over the backend's raw ECB/CBC; the padding check is constant time.
 */
#include <string.h>

#include "mech/cipher_internal.h"
#include "util/check.h"
#include "util/wipe.h"

#define TK_BLK TK_AES_BLOCK

typedef struct {
    tk_op head;
    tk_cipher *c;            /* CBC/ECB/CTR context; ECB for CTS */
    tk_cmode mode;
    int enc;
    uint8_t iv[TK_BLK];      /* the parameter, to restart single parts */
    uint8_t chain[TK_BLK];   /* CTS: the previous ciphertext block */
    uint8_t buf[2 * TK_BLK]; /* bytes held back between updates */
    size_t buf_len;
    uint8_t last[TK_BLK];    /* CBC-PAD decrypt: last block, decrypted */
    size_t last_len;         /* its plaintext length once decrypted */
    int last_done;
    uint64_t ctr_left;       /* CTR: blocks left before the counter wraps */
    uint64_t ctr_used;       /* CTR: bytes done */
} tk_block_op;

size_t
tk_cipher_ct_unpad(const uint8_t blk[TK_AES_BLOCK], int *ok)
{
    uint32_t pad = blk[TK_BLK - 1];
    uint32_t bad = 0;

    /* 1 <= pad <= 16: both tests as masks, no branch on the value. */
    bad |= (uint32_t)((pad - 1) >> 31);
    bad |= (uint32_t)((16 - pad) >> 31);
    for (uint32_t i = 0; i < TK_BLK; i++) {
        /* in_pad is all ones when byte TK_BLK-1-i is a padding byte. */
        uint32_t in_pad = 0 - ((i - pad) >> 31);
        bad |= in_pad & (uint32_t)(blk[TK_BLK - 1 - i] ^ pad);
    }
    bad = 0 - (uint32_t)((bad | (0 - bad)) >> 31); /* all ones when bad */
    *ok = (int)(~bad & 1);
    /* A bad block reports 0 bytes; the caller fails on *ok anyway. */
    return (size_t)((TK_BLK - pad) & ~bad);
}

/* The number of counter blocks before the ulCounterBits low bits of cb
 * wrap, saturated at UINT64_MAX. */
static uint64_t
tk_ctr_blocks_left(const uint8_t cb[TK_BLK], CK_ULONG bits)
{
    uint64_t low = 0;
    CK_ULONG upper_bits = bits > 64 ? bits - 64 : 0;
    CK_ULONG low_bits = bits > 64 ? 64 : bits;

    for (int i = 8; i < 16; i++) {
        low = (low << 8) | cb[i];
    }
    /* Counter bits above the low 64 that are not all ones leave at least
     * 2^64 blocks. */
    for (CK_ULONG b = 0; b < upper_bits; b++) {
        CK_ULONG byte = 7 - b / 8;
        if (!((cb[byte] >> (b % 8)) & 1)) {
            return UINT64_MAX;
        }
    }
    if (low_bits < 64) {
        low &= ((uint64_t)1 << low_bits) - 1;
        return ((uint64_t)1 << low_bits) - low;
    }
    return low == 0 ? UINT64_MAX : (UINT64_MAX - low) + 1;
}

/* CTR: refuse input that would run the counter past its bits. */
static CK_RV
tk_ctr_charge(tk_block_op *b, CK_ULONG len, int commit)
{
    uint64_t total = b->ctr_used + len;
    uint64_t blocks = total / TK_BLK + (total % TK_BLK != 0);

    if (total < b->ctr_used || blocks > b->ctr_left) {
        return tk_cipher_len_err(b->enc);
    }
    if (commit) {
        b->ctr_used = total;
    }
    return CKR_OK;
}

/* ---- CTS, CBC-CS3 over single-block ECB calls ---- */

static CK_RV
tk_cts_block(tk_block_op *b, const uint8_t *in, uint8_t *out)
{
    CK_RV rv = CKR_OK;
    uint8_t t[TK_BLK];

    if (b->enc) {
        for (int i = 0; i < TK_BLK; i++) {
            t[i] = in[i] ^ b->chain[i];
        }
        TK_GUARD(tk_cipher_update(b->c, t, TK_BLK, out));
        memcpy(b->chain, out, TK_BLK);
    } else {
        uint8_t c[TK_BLK];
        memcpy(c, in, TK_BLK);
        TK_GUARD(tk_cipher_update(b->c, c, TK_BLK, t));
        for (int i = 0; i < TK_BLK; i++) {
            out[i] = t[i] ^ b->chain[i];
        }
        memcpy(b->chain, c, TK_BLK);
    }
out:
    tk_wipe(t, sizeof(t));
    return rv;
}

/* The last 16 < t <= 32 bytes (or a whole 16-byte message). */
static CK_RV
tk_cts_tail(tk_block_op *b, const uint8_t *in, size_t t, uint8_t *out)
{
    CK_RV rv = CKR_OK;
    size_t d = t - TK_BLK;
    uint8_t x[TK_BLK];
    uint8_t y[TK_BLK];

    if (t == TK_BLK) {
        return tk_cts_block(b, in, out);
    }
    if (b->enc) {
        TK_GUARD(tk_cts_block(b, in, x));
        memset(y, 0, sizeof(y));
        memcpy(y, in + TK_BLK, d);
        for (int i = 0; i < TK_BLK; i++) {
            y[i] ^= x[i];
        }
        TK_GUARD(tk_cipher_update(b->c, y, TK_BLK, y));
        memcpy(out, y, TK_BLK);
        memcpy(out + TK_BLK, x, d);
    } else {
        uint8_t z[TK_BLK];
        TK_GUARD(tk_cipher_update(b->c, in, TK_BLK, z));
        memcpy(x, in + TK_BLK, d);
        memcpy(x + d, z + d, TK_BLK - d);
        for (size_t i = 0; i < d; i++) {
            y[i] = z[i] ^ x[i];
        }
        tk_wipe(z, sizeof(z));
        TK_GUARD(tk_cts_block(b, x, out));
        memcpy(out + TK_BLK, y, d);
    }
out:
    tk_wipe(x, sizeof(x));
    tk_wipe(y, sizeof(y));
    return rv;
}

/* ---- multi part ---- */

/* Bytes an update of in_len outputs; the rest stays in buf. */
static size_t
tk_block_update_len(const tk_block_op *b, size_t in_len)
{
    size_t total = b->buf_len + in_len;

    switch (b->mode) {
    case TK_CM_CTR:
        return in_len;
    case TK_CM_CTS:
        /* Keep the last 17..32 bytes: the final two blocks are swapped. */
        return total > 2 * TK_BLK ? ((total - 2 * TK_BLK - 1) / TK_BLK + 1) * TK_BLK : 0;
    case TK_CM_CBC_PAD:
        if (!b->enc) {
            /* Keep the last whole block: it holds the padding. */
            return total > 0 ? ((total - 1) / TK_BLK) * TK_BLK : 0;
        }
        return total - total % TK_BLK;
    default:
        return total - total % TK_BLK;
    }
}

/* Process `need` bytes (whole blocks) of buf then in, and keep the rest. */
static CK_RV
tk_block_process(tk_block_op *b, const uint8_t *in, size_t in_len, uint8_t *out, size_t need)
{
    CK_RV rv = CKR_OK;
    size_t done = 0;

    while (done < need) {
        size_t n = TK_BLK;
        const uint8_t *src = in;
        if (b->buf_len > 0) {
            /* Held-back bytes come first: top them up to a block. */
            size_t take = b->buf_len < TK_BLK ? TK_BLK - b->buf_len : 0;
            take = take < in_len ? take : in_len;
            memcpy(b->buf + b->buf_len, in, take);
            b->buf_len += take;
            in += take;
            in_len -= take;
            src = b->buf;
        } else if (b->mode != TK_CM_CTS) {
            n = need - done;
        }
        if (b->mode == TK_CM_CTS) {
            TK_GUARD(tk_cts_block(b, src, out + done));
        } else {
            TK_GUARD(tk_cipher_update(b->c, src, n, out + done));
        }
        done += n;
        if (src == b->buf) {
            b->buf_len -= TK_BLK;
            memmove(b->buf, b->buf + TK_BLK, b->buf_len);
        } else {
            in += n;
            in_len -= n;
        }
    }
    memcpy(b->buf + b->buf_len, in, in_len);
    b->buf_len += in_len;
out:
    return rv;
}

static CK_RV
tk_block_update(tk_op *op, const uint8_t *in, CK_ULONG in_len, uint8_t *out,
                CK_ULONG *out_len)
{
    tk_block_op *b = (tk_block_op *)op;
    CK_RV rv = CKR_OK;
    size_t need;

    if (b->mode == TK_CM_CTR) {
        TK_GUARD(tk_ctr_charge(b, in_len, 0));
    }
    need = tk_block_update_len(b, in_len);
    if (!tk_cipher_room(out, out_len, need, &rv)) {
        goto out;
    }
    if (b->mode == TK_CM_CTR) {
        TK_GUARD(tk_ctr_charge(b, in_len, 1));
        TK_GUARD(tk_cipher_update(b->c, in, in_len, out));
    } else {
        TK_GUARD(tk_block_process(b, in, in_len, out, need));
    }
    *out_len = need;
out:
    return rv;
}

/* CBC-PAD decrypt final: the held-back block, decrypted once so that a
 * BUFFER_TOO_SMALL retry sees the same answer. */
static CK_RV
tk_block_final_unpad(tk_block_op *b, uint8_t *out, CK_ULONG *out_len)
{
    CK_RV rv = CKR_OK;
    int ok = 0;

    TK_CHECK(b->buf_len == TK_BLK || b->last_done, CKR_ENCRYPTED_DATA_LEN_RANGE);
    if (out == NULL) {
        *out_len = TK_BLK - 1; /* at most 15 bytes follow */
        goto out;
    }
    if (!b->last_done) {
        TK_GUARD(tk_cipher_update(b->c, b->buf, TK_BLK, b->last));
        b->last_len = tk_cipher_ct_unpad(b->last, &ok);
        b->last_done = 1;
        b->buf_len = 0;
        TK_CHECK(ok, CKR_ENCRYPTED_DATA_INVALID);
    }
    if (tk_cipher_room(out, out_len, b->last_len, &rv)) {
        memcpy(out, b->last, b->last_len);
        *out_len = b->last_len;
    }
out:
    return rv;
}

static CK_RV
tk_block_final(tk_op *op, uint8_t *out, CK_ULONG *out_len)
{
    tk_block_op *b = (tk_block_op *)op;
    CK_RV rv = CKR_OK;
    uint8_t pad[TK_BLK];

    switch (b->mode) {
    case TK_CM_CTR:
        *out_len = 0;
        break;
    case TK_CM_CTS:
        TK_CHECK(b->buf_len >= TK_BLK, tk_cipher_len_err(b->enc));
        if (tk_cipher_room(out, out_len, b->buf_len, &rv)) {
            TK_GUARD(tk_cts_tail(b, b->buf, b->buf_len, out));
            *out_len = b->buf_len;
        }
        break;
    case TK_CM_CBC_PAD:
        if (!b->enc) {
            TK_GUARD(tk_block_final_unpad(b, out, out_len));
            break;
        }
        if (tk_cipher_room(out, out_len, TK_BLK, &rv)) {
            memcpy(pad, b->buf, b->buf_len);
            memset(pad + b->buf_len, (int)(TK_BLK - b->buf_len), TK_BLK - b->buf_len);
            TK_GUARD(tk_cipher_update(b->c, pad, TK_BLK, out));
            *out_len = TK_BLK;
        }
        break;
    default:
        TK_CHECK(b->buf_len == 0, tk_cipher_len_err(b->enc));
        *out_len = 0;
        break;
    }
out:
    tk_wipe(pad, sizeof(pad));
    return rv;
}

/* ---- single part ---- */

/* CBC-PAD decrypt of a whole input: the last block first, so the exact
 * output length is known before anything is written. */
static CK_RV
tk_block_run_unpad(tk_block_op *b, const uint8_t *in, CK_ULONG len, uint8_t *out,
                   CK_ULONG *out_len)
{
    CK_RV rv = CKR_OK;
    uint8_t last[TK_BLK];
    size_t n = 0;
    int ok = 0;

    TK_CHECK(len > 0 && len % TK_BLK == 0, CKR_ENCRYPTED_DATA_LEN_RANGE);
    if (out == NULL) {
        *out_len = len; /* an upper bound, as §5.2 allows */
        goto out;
    }
    TK_GUARD(tk_cipher_restart(b->c, len > TK_BLK ? in + len - 2 * TK_BLK : b->iv));
    TK_GUARD(tk_cipher_update(b->c, in + len - TK_BLK, TK_BLK, last));
    n = tk_cipher_ct_unpad(last, &ok);
    TK_CHECK(ok, CKR_ENCRYPTED_DATA_INVALID);
    if (!tk_cipher_room(out, out_len, len - TK_BLK + n, &rv)) {
        goto out;
    }
    TK_GUARD(tk_cipher_restart(b->c, b->iv));
    TK_GUARD(tk_cipher_update(b->c, in, len - TK_BLK, out));
    memcpy(out + len - TK_BLK, last, n);
    *out_len = len - TK_BLK + n;
out:
    tk_wipe(last, sizeof(last));
    return rv;
}

static CK_RV
tk_block_run_pad(tk_block_op *b, const uint8_t *in, CK_ULONG len, uint8_t *out,
                 CK_ULONG *out_len)
{
    CK_RV rv = CKR_OK;
    size_t whole = len - len % TK_BLK;
    uint8_t pad[TK_BLK];

    if (!tk_cipher_room(out, out_len, whole + TK_BLK, &rv)) {
        return rv;
    }
    /* Copy the tail before out (which may be in) is written. */
    memcpy(pad, in + whole, len - whole);
    memset(pad + (len - whole), (int)(TK_BLK - (len - whole)), TK_BLK - (len - whole));
    TK_GUARD(tk_cipher_restart(b->c, b->iv));
    TK_GUARD(tk_cipher_update(b->c, in, whole, out));
    TK_GUARD(tk_cipher_update(b->c, pad, TK_BLK, out + whole));
    *out_len = whole + TK_BLK;
out:
    tk_wipe(pad, sizeof(pad));
    return rv;
}

static CK_RV
tk_block_run_cts(tk_block_op *b, const uint8_t *in, CK_ULONG len, uint8_t *out,
                 CK_ULONG *out_len)
{
    CK_RV rv = CKR_OK;
    size_t done = 0;
    uint8_t tail[2 * TK_BLK];
    size_t t;

    TK_CHECK(len >= TK_BLK, tk_cipher_len_err(b->enc));
    if (!tk_cipher_room(out, out_len, len, &rv)) {
        goto out;
    }
    memcpy(b->chain, b->iv, TK_BLK);
    for (; len - done > 2 * TK_BLK; done += TK_BLK) {
        TK_GUARD(tk_cts_block(b, in + done, out + done));
    }
    t = len - done;
    memcpy(tail, in + done, t);
    TK_GUARD(tk_cts_tail(b, tail, t, out + done));
    *out_len = len;
out:
    tk_wipe(tail, sizeof(tail));
    return rv;
}

static CK_RV
tk_block_run(tk_op *op, const uint8_t *in, CK_ULONG len, uint8_t *out, CK_ULONG *out_len)
{
    tk_block_op *b = (tk_block_op *)op;
    CK_RV rv = CKR_OK;

    switch (b->mode) {
    case TK_CM_CBC_PAD:
        return b->enc ? tk_block_run_pad(b, in, len, out, out_len)
                      : tk_block_run_unpad(b, in, len, out, out_len);
    case TK_CM_CTS:
        return tk_block_run_cts(b, in, len, out, out_len);
    case TK_CM_CTR:
        TK_GUARD(tk_ctr_charge(b, len, 0));
        break;
    default:
        TK_CHECK(len % TK_BLK == 0, tk_cipher_len_err(b->enc));
        break;
    }
    if (!tk_cipher_room(out, out_len, len, &rv)) {
        goto out;
    }
    TK_GUARD(tk_cipher_restart(b->c, b->mode == TK_CM_ECB ? NULL : b->iv));
    TK_GUARD(tk_cipher_update(b->c, in, len, out));
    *out_len = len;
out:
    return rv;
}

static void
tk_block_free(tk_op *op)
{
    tk_block_op *b = (tk_block_op *)op;

    tk_cipher_free(b->c);
    tk_op_release(op, sizeof(*b));
}

static const tk_op_vtbl tk_block_vt = {
    .run = tk_block_run,
    .update = tk_block_update,
    .final = tk_block_final,
    .free = tk_block_free,
};

/* The IV (or counter block) a mode's parameter gives; NULL for ECB. */
static CK_RV
tk_block_param(tk_cmode mode, const CK_MECHANISM *m, uint8_t iv[TK_BLK], uint64_t *ctr_left)
{
    const CK_AES_CTR_PARAMS *p;

    if (mode == TK_CM_ECB) {
        return m->pParameter == NULL && m->ulParameterLen == 0 ? CKR_OK
                                                               : CKR_MECHANISM_PARAM_INVALID;
    }
    if (mode != TK_CM_CTR) {
        if (m->pParameter == NULL || m->ulParameterLen != TK_BLK) {
            return CKR_MECHANISM_PARAM_INVALID;
        }
        memcpy(iv, m->pParameter, TK_BLK);
        return CKR_OK;
    }
    if (m->pParameter == NULL || m->ulParameterLen != sizeof(CK_AES_CTR_PARAMS)) {
        return CKR_MECHANISM_PARAM_INVALID;
    }
    p = m->pParameter;
    if (p->ulCounterBits < 1 || p->ulCounterBits > 128) {
        return CKR_MECHANISM_PARAM_INVALID;
    }
    memcpy(iv, p->cb, TK_BLK);
    *ctr_left = tk_ctr_blocks_left(p->cb, p->ulCounterBits);
    return CKR_OK;
}

CK_RV
tk_cipher_block_init(const tk_mech_desc *d, tk_op_kind kind, const CK_MECHANISM *m,
                     const tk_key *key, tk_op **out)
{
    static const tk_cipher_mode backend[] = {
        [TK_CM_ECB] = TK_CIPHER_AES_ECB, [TK_CM_CBC] = TK_CIPHER_AES_CBC,
        [TK_CM_CBC_PAD] = TK_CIPHER_AES_CBC, [TK_CM_CTR] = TK_CIPHER_AES_CTR,
        [TK_CM_CTS] = TK_CIPHER_AES_ECB,
    };
    CK_RV rv = CKR_OK;
    tk_cmode mode = tk_cipher_arg_of(d)->mode;
    const uint8_t *val = NULL;
    CK_ULONG len = 0;
    uint8_t iv[TK_BLK] = {0};
    uint64_t ctr_left = 0;
    tk_op *op = NULL;
    tk_block_op *b;
    int enc = kind == TK_OP_ENCRYPT;

    TK_CHECK(kind == TK_OP_ENCRYPT || kind == TK_OP_DECRYPT, CKR_MECHANISM_INVALID);
    TK_GUARD(tk_cipher_key(key, CKK_AES, &val, &len));
    TK_GUARD(tk_block_param(mode, m, iv, &ctr_left));
    TK_GUARD(tk_cipher_key_size(d, len));
    TK_GUARD(tk_op_alloc(sizeof(tk_block_op), &tk_block_vt, kind, m->mechanism, &op));
    b = (tk_block_op *)op;
    b->mode = mode;
    b->enc = enc;
    b->ctr_left = ctr_left;
    memcpy(b->iv, iv, TK_BLK);
    memcpy(b->chain, iv, TK_BLK);
    /* CTR decrypts by encrypting; CTS runs raw ECB in either direction. */
    TK_GUARD(tk_cipher_new(backend[mode], enc || mode == TK_CM_CTR, val, len, &b->c));
    if (mode != TK_CM_ECB && mode != TK_CM_CTS) {
        TK_GUARD(tk_cipher_restart(b->c, b->iv));
    }
    *out = op;
    op = NULL;
out:
    tk_op_free(op);
    return rv;
}

CK_RV
tk_cipher_cbc_pad_oneshot(int enc, const uint8_t *key, size_t key_len, const uint8_t *iv,
                          const uint8_t *in, size_t len, uint8_t *out, size_t *out_len)
{
    CK_RV rv = CKR_OK;
    tk_block_op b;
    CK_ULONG n = len + TK_BLK;

    memset(&b, 0, sizeof(b));
    b.mode = TK_CM_CBC_PAD;
    b.enc = enc;
    memcpy(b.iv, iv, TK_BLK);
    TK_GUARD(tk_cipher_new(TK_CIPHER_AES_CBC, enc, key, key_len, &b.c));
    if (enc) {
        TK_GUARD(tk_block_run_pad(&b, in, len, out, &n));
    } else {
        TK_GUARD(tk_block_run_unpad(&b, in, len, out, &n));
    }
    *out_len = n;
out:
    tk_cipher_free(b.c);
    tk_wipe(&b, sizeof(b));
    return rv;
}
