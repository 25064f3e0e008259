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
 * The 24 rounds with the 25 lanes held in local variables, so the
 * compiler keeps them in registers; each round's theta, rho and pi, chi
 * and iota are written out lane by lane [FIPS 202 §3.2]. Long for that
 * reason: a loop over a lane array runs several times slower.
 */
void
tk_keccak_f1600(uint64_t s[25])
{
    uint64_t a00, a01, a02, a03, a04, a05, a06, a07, a08, a09, a10, a11, a12;
    uint64_t a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24;
    uint64_t b00, b01, b02, b03, b04, b05, b06, b07, b08, b09, b10, b11, b12;
    uint64_t b13, b14, b15, b16, b17, b18, b19, b20, b21, b22, b23, b24;
    uint64_t c0, c1, c2, c3, c4, d0, d1, d2, d3, d4;

    a00 = s[0];
    a01 = s[1];
    a02 = s[2];
    a03 = s[3];
    a04 = s[4];
    a05 = s[5];
    a06 = s[6];
    a07 = s[7];
    a08 = s[8];
    a09 = s[9];
    a10 = s[10];
    a11 = s[11];
    a12 = s[12];
    a13 = s[13];
    a14 = s[14];
    a15 = s[15];
    a16 = s[16];
    a17 = s[17];
    a18 = s[18];
    a19 = s[19];
    a20 = s[20];
    a21 = s[21];
    a22 = s[22];
    a23 = s[23];
    a24 = s[24];
    for (int round = 0; round < 24; round++) {
        c0 = a00 ^ a05 ^ a10 ^ a15 ^ a20;
        c1 = a01 ^ a06 ^ a11 ^ a16 ^ a21;
        c2 = a02 ^ a07 ^ a12 ^ a17 ^ a22;
        c3 = a03 ^ a08 ^ a13 ^ a18 ^ a23;
        c4 = a04 ^ a09 ^ a14 ^ a19 ^ a24;
        d0 = c4 ^ TK_ROL64(c1, 1);
        d1 = c0 ^ TK_ROL64(c2, 1);
        d2 = c1 ^ TK_ROL64(c3, 1);
        d3 = c2 ^ TK_ROL64(c4, 1);
        d4 = c3 ^ TK_ROL64(c0, 1);
        /* rho and pi: lane (x, y) moves to (y, 2x + 3y). */
        b00 = a00 ^ d0;
        b10 = TK_ROL64(a01 ^ d1, 1);
        b20 = TK_ROL64(a02 ^ d2, 62);
        b05 = TK_ROL64(a03 ^ d3, 28);
        b15 = TK_ROL64(a04 ^ d4, 27);
        b16 = TK_ROL64(a05 ^ d0, 36);
        b01 = TK_ROL64(a06 ^ d1, 44);
        b11 = TK_ROL64(a07 ^ d2, 6);
        b21 = TK_ROL64(a08 ^ d3, 55);
        b06 = TK_ROL64(a09 ^ d4, 20);
        b07 = TK_ROL64(a10 ^ d0, 3);
        b17 = TK_ROL64(a11 ^ d1, 10);
        b02 = TK_ROL64(a12 ^ d2, 43);
        b12 = TK_ROL64(a13 ^ d3, 25);
        b22 = TK_ROL64(a14 ^ d4, 39);
        b23 = TK_ROL64(a15 ^ d0, 41);
        b08 = TK_ROL64(a16 ^ d1, 45);
        b18 = TK_ROL64(a17 ^ d2, 15);
        b03 = TK_ROL64(a18 ^ d3, 21);
        b13 = TK_ROL64(a19 ^ d4, 8);
        b14 = TK_ROL64(a20 ^ d0, 18);
        b24 = TK_ROL64(a21 ^ d1, 2);
        b09 = TK_ROL64(a22 ^ d2, 61);
        b19 = TK_ROL64(a23 ^ d3, 56);
        b04 = TK_ROL64(a24 ^ d4, 14);
        /* chi, then iota on lane 0. */
        a00 = b00 ^ (~b01 & b02);
        a01 = b01 ^ (~b02 & b03);
        a02 = b02 ^ (~b03 & b04);
        a03 = b03 ^ (~b04 & b00);
        a04 = b04 ^ (~b00 & b01);
        a05 = b05 ^ (~b06 & b07);
        a06 = b06 ^ (~b07 & b08);
        a07 = b07 ^ (~b08 & b09);
        a08 = b08 ^ (~b09 & b05);
        a09 = b09 ^ (~b05 & b06);
        a10 = b10 ^ (~b11 & b12);
        a11 = b11 ^ (~b12 & b13);
        a12 = b12 ^ (~b13 & b14);
        a13 = b13 ^ (~b14 & b10);
        a14 = b14 ^ (~b10 & b11);
        a15 = b15 ^ (~b16 & b17);
        a16 = b16 ^ (~b17 & b18);
        a17 = b17 ^ (~b18 & b19);
        a18 = b18 ^ (~b19 & b15);
        a19 = b19 ^ (~b15 & b16);
        a20 = b20 ^ (~b21 & b22);
        a21 = b21 ^ (~b22 & b23);
        a22 = b22 ^ (~b23 & b24);
        a23 = b23 ^ (~b24 & b20);
        a24 = b24 ^ (~b20 & b21);
        a00 ^= tk_keccak_rc[round];
    }
    s[0] = a00;
    s[1] = a01;
    s[2] = a02;
    s[3] = a03;
    s[4] = a04;
    s[5] = a05;
    s[6] = a06;
    s[7] = a07;
    s[8] = a08;
    s[9] = a09;
    s[10] = a10;
    s[11] = a11;
    s[12] = a12;
    s[13] = a13;
    s[14] = a14;
    s[15] = a15;
    s[16] = a16;
    s[17] = a17;
    s[18] = a18;
    s[19] = a19;
    s[20] = a20;
    s[21] = a21;
    s[22] = a22;
    s[23] = a23;
    s[24] = a24;
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
