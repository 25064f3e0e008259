/* AES-GCM for IVs OpenSSL 3.0 refuses; see cipher_gcm_long.h. */
#include "crypto/ossl/cipher_gcm_long.h"

#include <stdlib.h>

#include "crypto/ossl/err.h"
#include "util/check.h"
#include "util/wipe.h"

#define TK_GCM_BLOCK 16
/* Counter blocks encrypted per ECB call: amortises the EVP call. */
#define TK_GCM_BATCH 64
/* [SP 800-38D §5.2.1.1]: len(P) <= 2^39 - 256 bits, len(A) < 2^64 bits. */
#define TK_GCM_MAX_TEXT (((uint64_t)1 << 36) - 32)
#define TK_GCM_MAX_AAD (((uint64_t)1 << 61) - 1)

struct tk_gcm_long {
    EVP_CIPHER_CTX *ecb;
    int enc;
    int started;               /* between start and finish */
    int in_text;               /* the AAD is closed */
    uint64_t h[2];             /* H, high half first */
    uint64_t x[2];             /* GHASH accumulator */
    uint8_t part[TK_GCM_BLOCK]; /* GHASH input not yet a whole block */
    size_t part_len;
    uint8_t ctr[TK_GCM_BLOCK]; /* the next counter block */
    uint8_t ks[TK_GCM_BLOCK];  /* key stream of the current block */
    size_t ks_used;            /* bytes of ks spent; 16 when none left */
    uint8_t ej0[TK_GCM_BLOCK]; /* AES_K(J0) */
    uint8_t tag[TK_GCM_BLOCK]; /* decrypting: the expected tag */
    size_t tag_len;
    uint64_t aad_len;
    uint64_t text_len;
};

static uint64_t
tk_gcm_load64(const uint8_t *p)
{
    uint64_t v = 0;

    for (int i = 0; i < 8; i++) {
        v = (v << 8) | p[i];
    }
    return v;
}

static void
tk_gcm_store64(uint8_t *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--) {
        p[i] = (uint8_t)v;
        v >>= 8;
    }
}

/*
 * x = x * y in GF(2^128) [SP 800-38D §6.3, Algorithm 1], bits numbered
 * from the most significant of the first byte. Every bit of x is turned
 * into a mask, so the time does not depend on x or y.
 */
static void
tk_gcm_mul(uint64_t x[2], const uint64_t y[2])
{
    uint64_t z0 = 0;
    uint64_t z1 = 0;
    uint64_t v0 = y[0];
    uint64_t v1 = y[1];

    for (int i = 0; i < 128; i++) {
        uint64_t bit = (x[i >> 6] >> (63 - (i & 63))) & 1;
        uint64_t m = 0 - bit;
        uint64_t lsb = 0 - (v1 & 1);

        z0 ^= v0 & m;
        z1 ^= v1 & m;
        /* V >> 1, folding with R = 11100001 || 0^120 when a bit fell off. */
        v1 = (v1 >> 1) | (v0 << 63);
        v0 = (v0 >> 1) ^ (0xE100000000000000ULL & lsb);
    }
    x[0] = z0;
    x[1] = z1;
}

/* One GHASH step: X = (X ^ block) * H. */
static void
tk_gcm_ghash_block(tk_gcm_long *g, const uint8_t *block)
{
    g->x[0] ^= tk_gcm_load64(block);
    g->x[1] ^= tk_gcm_load64(block + 8);
    tk_gcm_mul(g->x, g->h);
}

/* Absorb len bytes into GHASH; a partial block waits in g->part. */
static void
tk_gcm_ghash(tk_gcm_long *g, const uint8_t *in, size_t len)
{
    while (len > 0 && g->part_len > 0) {
        g->part[g->part_len++] = *in++;
        len--;
        if (g->part_len == TK_GCM_BLOCK) {
            tk_gcm_ghash_block(g, g->part);
            g->part_len = 0;
        }
    }
    for (; len >= TK_GCM_BLOCK; in += TK_GCM_BLOCK, len -= TK_GCM_BLOCK) {
        tk_gcm_ghash_block(g, in);
    }
    for (size_t i = 0; i < len; i++) {
        g->part[g->part_len++] = in[i];
    }
}

/* Zero-pad a pending partial block and absorb it: ends AAD, text or IV. */
static void
tk_gcm_ghash_pad(tk_gcm_long *g)
{
    if (g->part_len > 0) {
        for (size_t i = g->part_len; i < TK_GCM_BLOCK; i++) {
            g->part[i] = 0;
        }
        tk_gcm_ghash_block(g, g->part);
        g->part_len = 0;
    }
}

/* Absorb the block [a]_64 || [b]_64. */
static void
tk_gcm_ghash_lengths(tk_gcm_long *g, uint64_t a, uint64_t b)
{
    uint8_t blk[TK_GCM_BLOCK];

    tk_gcm_store64(blk, a);
    tk_gcm_store64(blk + 8, b);
    tk_gcm_ghash_block(g, blk);
}

/* inc32: add one to the last 32 bits, modulo 2^32 [SP 800-38D §6.2]. */
static void
tk_gcm_inc32(uint8_t ctr[TK_GCM_BLOCK])
{
    uint32_t c = ((uint32_t)ctr[12] << 24) | ((uint32_t)ctr[13] << 16) |
                 ((uint32_t)ctr[14] << 8) | ctr[15];

    c++;
    ctr[12] = (uint8_t)(c >> 24);
    ctr[13] = (uint8_t)(c >> 16);
    ctr[14] = (uint8_t)(c >> 8);
    ctr[15] = (uint8_t)c;
}

/* AES_K on n whole blocks (in may equal out). */
static CK_RV
tk_gcm_ecb(tk_gcm_long *g, const uint8_t *in, size_t n, uint8_t *out)
{
    int got = 0;
    int ok = EVP_EncryptUpdate(g->ecb, out, &got, in, (int)(n * TK_GCM_BLOCK));

    return tk_ossl_rv(ok == 1 && got == (int)(n * TK_GCM_BLOCK), CKR_FUNCTION_FAILED);
}

CK_RV
tk_gcm_long_new(int enc, const EVP_CIPHER *ecb, const uint8_t *key, tk_gcm_long **out)
{
    CK_RV rv = CKR_OK;
    tk_gcm_long *g = NULL;
    uint8_t h[TK_GCM_BLOCK] = {0};

    g = calloc(1, sizeof(*g));
    TK_CHECK(g != NULL, CKR_HOST_MEMORY);
    g->enc = enc ? 1 : 0;
    g->ecb = EVP_CIPHER_CTX_new();
    TK_GUARD(tk_ossl_rv(g->ecb != NULL, CKR_HOST_MEMORY));
    /* GCM only ever runs the block cipher forward, also to decrypt. */
    TK_GUARD(tk_ossl_rv(EVP_CipherInit_ex2(g->ecb, ecb, key, NULL, 1, NULL),
                        CKR_FUNCTION_FAILED));
    TK_GUARD(tk_ossl_rv(EVP_CIPHER_CTX_set_padding(g->ecb, 0), CKR_FUNCTION_FAILED));
    TK_GUARD(tk_gcm_ecb(g, h, 1, h));
    g->h[0] = tk_gcm_load64(h);
    g->h[1] = tk_gcm_load64(h + 8);
    *out = g;
    g = NULL;
out:
    tk_wipe(h, sizeof(h));
    tk_gcm_long_free(g);
    return rv;
}

void
tk_gcm_long_free(tk_gcm_long *g)
{
    if (g != NULL) {
        EVP_CIPHER_CTX_free(g->ecb);
        tk_free_secret(g, sizeof(*g));
    }
}

/* J0 into g->ctr [SP 800-38D §7.1 step 2]; leaves GHASH state cleared. */
static void
tk_gcm_j0(tk_gcm_long *g, const uint8_t *iv, size_t iv_len)
{
    g->x[0] = 0;
    g->x[1] = 0;
    g->part_len = 0;
    if (iv_len == 12) {
        for (size_t i = 0; i < 12; i++) {
            g->ctr[i] = iv[i];
        }
        g->ctr[12] = 0;
        g->ctr[13] = 0;
        g->ctr[14] = 0;
        g->ctr[15] = 1;
        return;
    }
    tk_gcm_ghash(g, iv, iv_len);
    tk_gcm_ghash_pad(g);
    tk_gcm_ghash_lengths(g, 0, (uint64_t)iv_len * 8);
    tk_gcm_store64(g->ctr, g->x[0]);
    tk_gcm_store64(g->ctr + 8, g->x[1]);
    g->x[0] = 0;
    g->x[1] = 0;
}

CK_RV
tk_gcm_long_start(tk_gcm_long *g, const uint8_t *iv, size_t iv_len, size_t tag_len,
                  const uint8_t *tag)
{
    CK_RV rv = CKR_OK;

    g->started = 0;
    TK_CHECK(iv != NULL && iv_len >= 1 && (uint64_t)iv_len <= TK_GCM_MAX_AAD,
             CKR_MECHANISM_PARAM_INVALID);
    TK_CHECK(tag_len >= 1 && tag_len <= TK_GCM_BLOCK && (g->enc || tag != NULL),
             CKR_MECHANISM_PARAM_INVALID);
    tk_gcm_j0(g, iv, iv_len);
    TK_GUARD(tk_gcm_ecb(g, g->ctr, 1, g->ej0));
    tk_gcm_inc32(g->ctr);
    g->ks_used = TK_GCM_BLOCK;
    g->tag_len = tag_len;
    for (size_t i = 0; i < TK_GCM_BLOCK; i++) {
        g->tag[i] = !g->enc && i < tag_len ? tag[i] : 0;
    }
    g->aad_len = 0;
    g->text_len = 0;
    g->in_text = 0;
    g->started = 1;
out:
    return rv;
}

CK_RV
tk_gcm_long_aad(tk_gcm_long *g, const uint8_t *aad, size_t len)
{
    if (!g->started || g->in_text) {
        return CKR_FUNCTION_FAILED;
    }
    if (len > TK_GCM_MAX_AAD - g->aad_len) {
        return CKR_DATA_LEN_RANGE;
    }
    tk_gcm_ghash(g, aad, len);
    g->aad_len += len;
    return CKR_OK;
}

/* XOR len (<= 16 - ks_used) bytes with what is left of the key stream. */
static void
tk_gcm_ks_xor(tk_gcm_long *g, const uint8_t *in, size_t len, uint8_t *out)
{
    for (size_t i = 0; i < len; i++) {
        out[i] = in[i] ^ g->ks[g->ks_used + i];
    }
    g->ks_used += len;
}

/* CTR over n whole blocks, hashing the ciphertext; buf is scratch. */
static CK_RV
tk_gcm_ctr_blocks(tk_gcm_long *g, const uint8_t *in, size_t n, uint8_t *out, uint8_t *buf)
{
    CK_RV rv = CKR_OK;

    for (size_t b = 0; b < n; b++) {
        for (size_t i = 0; i < TK_GCM_BLOCK; i++) {
            buf[b * TK_GCM_BLOCK + i] = g->ctr[i];
        }
        tk_gcm_inc32(g->ctr);
    }
    TK_GUARD(tk_gcm_ecb(g, buf, n, buf));
    /* Decrypting, hash the input before out (maybe in) is overwritten. */
    if (!g->enc) {
        tk_gcm_ghash(g, in, n * TK_GCM_BLOCK);
    }
    for (size_t i = 0; i < n * TK_GCM_BLOCK; i++) {
        out[i] = in[i] ^ buf[i];
    }
    if (g->enc) {
        tk_gcm_ghash(g, out, n * TK_GCM_BLOCK);
    }
out:
    return rv;
}

/* CTR over len bytes, the key stream of the current block first. */
static CK_RV
tk_gcm_ctr(tk_gcm_long *g, const uint8_t *in, size_t len, uint8_t *out)
{
    CK_RV rv = CKR_OK;
    uint8_t buf[TK_GCM_BATCH * TK_GCM_BLOCK];
    size_t n = TK_GCM_BLOCK - g->ks_used;

    n = n < len ? n : len;
    if (!g->enc) {
        tk_gcm_ghash(g, in, n);
    }
    tk_gcm_ks_xor(g, in, n, out);
    if (g->enc) {
        tk_gcm_ghash(g, out, n);
    }
    in += n;
    out += n;
    len -= n;
    while (len >= TK_GCM_BLOCK) {
        size_t blocks = len / TK_GCM_BLOCK;
        blocks = blocks < TK_GCM_BATCH ? blocks : TK_GCM_BATCH;
        TK_GUARD(tk_gcm_ctr_blocks(g, in, blocks, out, buf));
        in += blocks * TK_GCM_BLOCK;
        out += blocks * TK_GCM_BLOCK;
        len -= blocks * TK_GCM_BLOCK;
    }
    if (len > 0) {
        TK_GUARD(tk_gcm_ecb(g, g->ctr, 1, g->ks));
        tk_gcm_inc32(g->ctr);
        g->ks_used = 0;
        if (!g->enc) {
            tk_gcm_ghash(g, in, len);
        }
        tk_gcm_ks_xor(g, in, len, out);
        if (g->enc) {
            tk_gcm_ghash(g, out, len);
        }
    }
out:
    tk_wipe(buf, sizeof(buf));
    return rv;
}

CK_RV
tk_gcm_long_update(tk_gcm_long *g, const uint8_t *in, size_t len, uint8_t *out)
{
    if (!g->started) {
        return CKR_FUNCTION_FAILED;
    }
    if (len > TK_GCM_MAX_TEXT - g->text_len) {
        return CKR_DATA_LEN_RANGE;
    }
    if (!g->in_text) {
        tk_gcm_ghash_pad(g);
        g->in_text = 1;
    }
    if (len == 0) {
        return CKR_OK;
    }
    g->text_len += len;
    return tk_gcm_ctr(g, in, len, out);
}

CK_RV
tk_gcm_long_finish(tk_gcm_long *g, uint8_t *tag)
{
    CK_RV rv = CKR_OK;
    uint8_t full[TK_GCM_BLOCK];

    TK_CHECK(g->started, CKR_FUNCTION_FAILED);
    g->started = 0;
    tk_gcm_ghash_pad(g);
    tk_gcm_ghash_lengths(g, g->aad_len * 8, g->text_len * 8);
    tk_gcm_store64(full, g->x[0]);
    tk_gcm_store64(full + 8, g->x[1]);
    for (size_t i = 0; i < TK_GCM_BLOCK; i++) {
        full[i] ^= g->ej0[i];
    }
    if (g->enc) {
        for (size_t i = 0; i < g->tag_len; i++) {
            tag[i] = full[i];
        }
    } else {
        TK_CHECK(tk_ct_memcmp(full, g->tag, g->tag_len) == 0, CKR_ENCRYPTED_DATA_INVALID);
    }
out:
    tk_wipe(full, sizeof(full));
    tk_wipe(g->x, sizeof(g->x));
    tk_wipe(g->ks, sizeof(g->ks));
    tk_wipe(g->ej0, sizeof(g->ej0));
    return rv;
}
