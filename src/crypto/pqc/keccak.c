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
 * One round at a time with theta, rho+pi, chi and iota written out over
 * the 25 lanes. Long because the lane arithmetic is unrolled by hand: the
 * compiler keeps the lanes in registers that way.
 */
void
tk_keccak_f1600(uint64_t s[25])
{
    static const unsigned int rho[25] = {
        0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43,
        25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14,
    };
    uint64_t b[25];
    uint64_t c[5];
    uint64_t d[5];

    for (int round = 0; round < 24; round++) {
        for (int x = 0; x < 5; x++) {
            c[x] = s[x] ^ s[x + 5] ^ s[x + 10] ^ s[x + 15] ^ s[x + 20];
        }
        for (int x = 0; x < 5; x++) {
            d[x] = c[(x + 4) % 5] ^ TK_ROL64(c[(x + 1) % 5], 1);
        }
        /* rho and pi: lane (x, y) moves to (y, 2x + 3y). */
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 5; x++) {
                int i = x + 5 * y;
                uint64_t v = s[i] ^ d[x];
                b[y + 5 * ((2 * x + 3 * y) % 5)] = TK_ROL64(v, rho[i]);
            }
        }
        for (int y = 0; y < 25; y += 5) {
            for (int x = 0; x < 5; x++) {
                s[y + x] = b[y + x] ^ (~b[y + (x + 1) % 5] & b[y + (x + 2) % 5]);
            }
        }
        s[0] ^= tk_keccak_rc[round];
    }
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
     * equals rate after a previous whole-block squeeze. */
    for (size_t b = 0; b < nblocks; b++) {
        if (c->pos == c->rate) {
            tk_keccak_f1600(c->s);
        }
        for (unsigned int i = 0; i < c->rate; i++) {
            out[i] = tk_keccak_get_byte(c->s, i);
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
