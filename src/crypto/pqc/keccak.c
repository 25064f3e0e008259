/* Keccak, SHA3 and SHAKE; see keccak.h. [FIPS 202] */
#include "crypto/pqc/keccak.h"

#include <string.h>

#include "util/wipe.h"

static const uint64_t tk_keccak_rc[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL,
    0x8000000080008000ULL, 0x000000000000808bULL, 0x0000000080000001ULL,
    0x8000000080008081ULL, 0x8000000000008009ULL, 0x000000000000008aULL,
    0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
    0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL,
    0x8000000000008003ULL, 0x8000000000008002ULL, 0x8000000000000080ULL,
    0x000000000000800aULL, 0x800000008000000aULL, 0x8000000080008081ULL,
    0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};

#define TK_ROL64(x, n) (((x) << (n)) | ((x) >> ((64 - (n)) & 63)))

/*
 * Two rounds per loop turn, from the lanes a<x><y> into e<x><y> and back,
 * all held in local variables so that the compiler keeps them in
 * registers. Each output plane is built from five temporaries: theta, rho
 * and pi for the plane's five lanes, then chi and iota [FIPS 202 §3.2].
 * Long because it is written out lane by lane: a loop over a lane array
 * runs several times slower.
 */
void
tk_keccak_f1600(uint64_t s[25])
{
    uint64_t a00, a10, a20, a30, a40, a01, a11, a21, a31, a41, a02, a12, a22;
    uint64_t a32, a42, a03, a13, a23, a33, a43, a04, a14, a24, a34, a44;
    uint64_t e00, e10, e20, e30, e40, e01, e11, e21, e31, e41, e02, e12, e22;
    uint64_t e32, e42, e03, e13, e23, e33, e43, e04, e14, e24, e34, e44;
    uint64_t b0, b1, b2, b3, b4, c0, c1, c2, c3, c4, d0, d1, d2, d3, d4;

    a00 = s[0];
    a10 = s[1];
    a20 = s[2];
    a30 = s[3];
    a40 = s[4];
    a01 = s[5];
    a11 = s[6];
    a21 = s[7];
    a31 = s[8];
    a41 = s[9];
    a02 = s[10];
    a12 = s[11];
    a22 = s[12];
    a32 = s[13];
    a42 = s[14];
    a03 = s[15];
    a13 = s[16];
    a23 = s[17];
    a33 = s[18];
    a43 = s[19];
    a04 = s[20];
    a14 = s[21];
    a24 = s[22];
    a34 = s[23];
    a44 = s[24];
    for (int round = 0; round < 24; round += 2) {
        c0 = a00 ^ a01 ^ a02 ^ a03 ^ a04;
        c1 = a10 ^ a11 ^ a12 ^ a13 ^ a14;
        c2 = a20 ^ a21 ^ a22 ^ a23 ^ a24;
        c3 = a30 ^ a31 ^ a32 ^ a33 ^ a34;
        c4 = a40 ^ a41 ^ a42 ^ a43 ^ a44;
        d0 = c4 ^ TK_ROL64(c1, 1);
        d1 = c0 ^ TK_ROL64(c2, 1);
        d2 = c1 ^ TK_ROL64(c3, 1);
        d3 = c2 ^ TK_ROL64(c4, 1);
        d4 = c3 ^ TK_ROL64(c0, 1);
        b0 = a00 ^ d0;
        b1 = TK_ROL64(a11 ^ d1, 44);
        b2 = TK_ROL64(a22 ^ d2, 43);
        b3 = TK_ROL64(a33 ^ d3, 21);
        b4 = TK_ROL64(a44 ^ d4, 14);
        e00 = b0 ^ (~b1 & b2) ^ tk_keccak_rc[round];
        e10 = b1 ^ (~b2 & b3);
        e20 = b2 ^ (~b3 & b4);
        e30 = b3 ^ (~b4 & b0);
        e40 = b4 ^ (~b0 & b1);
        b0 = TK_ROL64(a30 ^ d3, 28);
        b1 = TK_ROL64(a41 ^ d4, 20);
        b2 = TK_ROL64(a02 ^ d0, 3);
        b3 = TK_ROL64(a13 ^ d1, 45);
        b4 = TK_ROL64(a24 ^ d2, 61);
        e01 = b0 ^ (~b1 & b2);
        e11 = b1 ^ (~b2 & b3);
        e21 = b2 ^ (~b3 & b4);
        e31 = b3 ^ (~b4 & b0);
        e41 = b4 ^ (~b0 & b1);
        b0 = TK_ROL64(a10 ^ d1, 1);
        b1 = TK_ROL64(a21 ^ d2, 6);
        b2 = TK_ROL64(a32 ^ d3, 25);
        b3 = TK_ROL64(a43 ^ d4, 8);
        b4 = TK_ROL64(a04 ^ d0, 18);
        e02 = b0 ^ (~b1 & b2);
        e12 = b1 ^ (~b2 & b3);
        e22 = b2 ^ (~b3 & b4);
        e32 = b3 ^ (~b4 & b0);
        e42 = b4 ^ (~b0 & b1);
        b0 = TK_ROL64(a40 ^ d4, 27);
        b1 = TK_ROL64(a01 ^ d0, 36);
        b2 = TK_ROL64(a12 ^ d1, 10);
        b3 = TK_ROL64(a23 ^ d2, 15);
        b4 = TK_ROL64(a34 ^ d3, 56);
        e03 = b0 ^ (~b1 & b2);
        e13 = b1 ^ (~b2 & b3);
        e23 = b2 ^ (~b3 & b4);
        e33 = b3 ^ (~b4 & b0);
        e43 = b4 ^ (~b0 & b1);
        b0 = TK_ROL64(a20 ^ d2, 62);
        b1 = TK_ROL64(a31 ^ d3, 55);
        b2 = TK_ROL64(a42 ^ d4, 39);
        b3 = TK_ROL64(a03 ^ d0, 41);
        b4 = TK_ROL64(a14 ^ d1, 2);
        e04 = b0 ^ (~b1 & b2);
        e14 = b1 ^ (~b2 & b3);
        e24 = b2 ^ (~b3 & b4);
        e34 = b3 ^ (~b4 & b0);
        e44 = b4 ^ (~b0 & b1);
        c0 = e00 ^ e01 ^ e02 ^ e03 ^ e04;
        c1 = e10 ^ e11 ^ e12 ^ e13 ^ e14;
        c2 = e20 ^ e21 ^ e22 ^ e23 ^ e24;
        c3 = e30 ^ e31 ^ e32 ^ e33 ^ e34;
        c4 = e40 ^ e41 ^ e42 ^ e43 ^ e44;
        d0 = c4 ^ TK_ROL64(c1, 1);
        d1 = c0 ^ TK_ROL64(c2, 1);
        d2 = c1 ^ TK_ROL64(c3, 1);
        d3 = c2 ^ TK_ROL64(c4, 1);
        d4 = c3 ^ TK_ROL64(c0, 1);
        b0 = e00 ^ d0;
        b1 = TK_ROL64(e11 ^ d1, 44);
        b2 = TK_ROL64(e22 ^ d2, 43);
        b3 = TK_ROL64(e33 ^ d3, 21);
        b4 = TK_ROL64(e44 ^ d4, 14);
        a00 = b0 ^ (~b1 & b2) ^ tk_keccak_rc[round + 1];
        a10 = b1 ^ (~b2 & b3);
        a20 = b2 ^ (~b3 & b4);
        a30 = b3 ^ (~b4 & b0);
        a40 = b4 ^ (~b0 & b1);
        b0 = TK_ROL64(e30 ^ d3, 28);
        b1 = TK_ROL64(e41 ^ d4, 20);
        b2 = TK_ROL64(e02 ^ d0, 3);
        b3 = TK_ROL64(e13 ^ d1, 45);
        b4 = TK_ROL64(e24 ^ d2, 61);
        a01 = b0 ^ (~b1 & b2);
        a11 = b1 ^ (~b2 & b3);
        a21 = b2 ^ (~b3 & b4);
        a31 = b3 ^ (~b4 & b0);
        a41 = b4 ^ (~b0 & b1);
        b0 = TK_ROL64(e10 ^ d1, 1);
        b1 = TK_ROL64(e21 ^ d2, 6);
        b2 = TK_ROL64(e32 ^ d3, 25);
        b3 = TK_ROL64(e43 ^ d4, 8);
        b4 = TK_ROL64(e04 ^ d0, 18);
        a02 = b0 ^ (~b1 & b2);
        a12 = b1 ^ (~b2 & b3);
        a22 = b2 ^ (~b3 & b4);
        a32 = b3 ^ (~b4 & b0);
        a42 = b4 ^ (~b0 & b1);
        b0 = TK_ROL64(e40 ^ d4, 27);
        b1 = TK_ROL64(e01 ^ d0, 36);
        b2 = TK_ROL64(e12 ^ d1, 10);
        b3 = TK_ROL64(e23 ^ d2, 15);
        b4 = TK_ROL64(e34 ^ d3, 56);
        a03 = b0 ^ (~b1 & b2);
        a13 = b1 ^ (~b2 & b3);
        a23 = b2 ^ (~b3 & b4);
        a33 = b3 ^ (~b4 & b0);
        a43 = b4 ^ (~b0 & b1);
        b0 = TK_ROL64(e20 ^ d2, 62);
        b1 = TK_ROL64(e31 ^ d3, 55);
        b2 = TK_ROL64(e42 ^ d4, 39);
        b3 = TK_ROL64(e03 ^ d0, 41);
        b4 = TK_ROL64(e14 ^ d1, 2);
        a04 = b0 ^ (~b1 & b2);
        a14 = b1 ^ (~b2 & b3);
        a24 = b2 ^ (~b3 & b4);
        a34 = b3 ^ (~b4 & b0);
        a44 = b4 ^ (~b0 & b1);
    }
    s[0] = a00;
    s[1] = a10;
    s[2] = a20;
    s[3] = a30;
    s[4] = a40;
    s[5] = a01;
    s[6] = a11;
    s[7] = a21;
    s[8] = a31;
    s[9] = a41;
    s[10] = a02;
    s[11] = a12;
    s[12] = a22;
    s[13] = a32;
    s[14] = a42;
    s[15] = a03;
    s[16] = a13;
    s[17] = a23;
    s[18] = a33;
    s[19] = a43;
    s[20] = a04;
    s[21] = a14;
    s[22] = a24;
    s[23] = a34;
    s[24] = a44;
}

void
tk_keccak_init(tk_keccak_ctx *c, unsigned int rate, uint8_t dsep)
{
    memset(c->s, 0, sizeof(c->s));
    c->pos = 0;
    c->rate = rate;
    c->dsep = dsep;
    c->squeezing = 0;
}

void
tk_shake128_init(tk_keccak_ctx *c)
{
    tk_keccak_init(c, TK_SHAKE128_RATE, 0x1F);
}

void
tk_shake256_init(tk_keccak_ctx *c)
{
    tk_keccak_init(c, TK_SHAKE256_RATE, 0x1F);
}

static void
tk_keccak_xor_byte(uint64_t s[25], unsigned int i, uint8_t v)
{
    s[i / 8] ^= (uint64_t)v << (8 * (i % 8));
}

static uint8_t
tk_keccak_get_byte(const uint64_t s[25], unsigned int i)
{
    return (uint8_t)(s[i / 8] >> (8 * (i % 8)));
}

void
tk_keccak_absorb(tk_keccak_ctx *c, const uint8_t *in, size_t len)
{
    /* Whole lanes at a time when aligned to a lane boundary. */
    while (len > 0) {
        if (c->pos % 8 == 0 && len >= 8 && c->pos + 8 <= c->rate) {
            uint64_t v = 0;
            for (int k = 0; k < 8; k++) {
                v |= (uint64_t)in[k] << (8 * k);
            }
            c->s[c->pos / 8] ^= v;
            c->pos += 8;
            in += 8;
            len -= 8;
        } else {
            tk_keccak_xor_byte(c->s, c->pos, *in);
            c->pos++;
            in++;
            len--;
        }
        if (c->pos == c->rate) {
            tk_keccak_f1600(c->s);
            c->pos = 0;
        }
    }
}

void
tk_keccak_finalize(tk_keccak_ctx *c)
{
    tk_keccak_xor_byte(c->s, c->pos, c->dsep);
    tk_keccak_xor_byte(c->s, c->rate - 1, 0x80);
    tk_keccak_f1600(c->s);
    c->pos = 0;
    c->squeezing = 1;
}

void
tk_keccak_squeeze(tk_keccak_ctx *c, uint8_t *out, size_t len)
{
    while (len > 0) {
        if (c->pos == c->rate) {
            tk_keccak_f1600(c->s);
            c->pos = 0;
        }
        /* Whole lanes when on a lane boundary, else byte by byte. */
        if (c->pos % 8 == 0 && len >= 8) {
            uint64_t v = c->s[c->pos / 8];
            for (int k = 0; k < 8; k++) {
                out[k] = (uint8_t)(v >> (8 * k));
            }
            out += 8;
            c->pos += 8;
            len -= 8;
            continue;
        }
        *out++ = tk_keccak_get_byte(c->s, c->pos);
        c->pos++;
        len--;
    }
}

void
tk_keccak_squeezeblocks(tk_keccak_ctx *c, uint8_t *out, size_t nblocks)
{
    /* Only valid on a block boundary: pos is 0 right after finalize, and
     * equals rate after a previous whole-block squeeze. Rates are whole
     * lanes, so the block is copied a lane at a time. */
    for (size_t b = 0; b < nblocks; b++) {
        if (c->pos == c->rate) {
            tk_keccak_f1600(c->s);
        }
        for (unsigned int i = 0; i < c->rate / 8; i++) {
            uint64_t v = c->s[i];
            for (int k = 0; k < 8; k++) {
                out[8 * i + k] = (uint8_t)(v >> (8 * k));
            }
        }
        c->pos = c->rate;
        out += c->rate;
    }
}

void
tk_keccak_wipe(tk_keccak_ctx *c)
{
    tk_wipe(c, sizeof(*c));
}

static void
tk_keccak_oneshot(unsigned int rate, uint8_t dsep, uint8_t *out, size_t outlen,
                  const uint8_t *in, size_t inlen)
{
    tk_keccak_ctx c;

    tk_keccak_init(&c, rate, dsep);
    tk_keccak_absorb(&c, in, inlen);
    tk_keccak_finalize(&c);
    tk_keccak_squeeze(&c, out, outlen);
    tk_keccak_wipe(&c);
}

void
tk_sha3_256(uint8_t out[32], const uint8_t *in, size_t len)
{
    tk_keccak_oneshot(TK_SHA3_256_RATE, 0x06, out, 32, in, len);
}

void
tk_sha3_512(uint8_t out[64], const uint8_t *in, size_t len)
{
    tk_keccak_oneshot(TK_SHA3_512_RATE, 0x06, out, 64, in, len);
}

void
tk_shake128(uint8_t *out, size_t outlen, const uint8_t *in, size_t inlen)
{
    tk_keccak_oneshot(TK_SHAKE128_RATE, 0x1F, out, outlen, in, inlen);
}

void
tk_shake256(uint8_t *out, size_t outlen, const uint8_t *in, size_t inlen)
{
    tk_keccak_oneshot(TK_SHAKE256_RATE, 0x1F, out, outlen, in, inlen);
}
