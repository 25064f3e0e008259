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
 * One round from the lanes A<x><y> into E<x><y>, all held in local variables
 * so that the compiler keeps them in registers. Each output plane is built
 * from five temporaries: theta, rho and pi for the plane's five lanes, then
 * chi and iota [FIPS 202 §3.2]. The caller declares the lanes and the
 * temporaries b, c and d; the text is the same for a 64-bit word and a
 * vector of them, which is why it is a macro: written out lane by lane
 * because a loop over a lane array runs several times slower.
 */
#define TK_KECCAK_ROUND(A, E, rc)                   \
    do {                                            \
        c0 = A##00 ^ A##01 ^ A##02 ^ A##03 ^ A##04; \
        c1 = A##10 ^ A##11 ^ A##12 ^ A##13 ^ A##14; \
        c2 = A##20 ^ A##21 ^ A##22 ^ A##23 ^ A##24; \
        c3 = A##30 ^ A##31 ^ A##32 ^ A##33 ^ A##34; \
        c4 = A##40 ^ A##41 ^ A##42 ^ A##43 ^ A##44; \
        d0 = c4 ^ TK_ROL64(c1, 1);                  \
        d1 = c0 ^ TK_ROL64(c2, 1);                  \
        d2 = c1 ^ TK_ROL64(c3, 1);                  \
        d3 = c2 ^ TK_ROL64(c4, 1);                  \
        d4 = c3 ^ TK_ROL64(c0, 1);                  \
        b0 = A##00 ^ d0;                            \
        b1 = TK_ROL64(A##11 ^ d1, 44);              \
        b2 = TK_ROL64(A##22 ^ d2, 43);              \
        b3 = TK_ROL64(A##33 ^ d3, 21);              \
        b4 = TK_ROL64(A##44 ^ d4, 14);              \
        E##00 = b0 ^ (~b1 & b2) ^ (rc);             \
        E##10 = b1 ^ (~b2 & b3);                    \
        E##20 = b2 ^ (~b3 & b4);                    \
        E##30 = b3 ^ (~b4 & b0);                    \
        E##40 = b4 ^ (~b0 & b1);                    \
        b0 = TK_ROL64(A##30 ^ d3, 28);              \
        b1 = TK_ROL64(A##41 ^ d4, 20);              \
        b2 = TK_ROL64(A##02 ^ d0, 3);               \
        b3 = TK_ROL64(A##13 ^ d1, 45);              \
        b4 = TK_ROL64(A##24 ^ d2, 61);              \
        E##01 = b0 ^ (~b1 & b2);                    \
        E##11 = b1 ^ (~b2 & b3);                    \
        E##21 = b2 ^ (~b3 & b4);                    \
        E##31 = b3 ^ (~b4 & b0);                    \
        E##41 = b4 ^ (~b0 & b1);                    \
        b0 = TK_ROL64(A##10 ^ d1, 1);               \
        b1 = TK_ROL64(A##21 ^ d2, 6);               \
        b2 = TK_ROL64(A##32 ^ d3, 25);              \
        b3 = TK_ROL64(A##43 ^ d4, 8);               \
        b4 = TK_ROL64(A##04 ^ d0, 18);              \
        E##02 = b0 ^ (~b1 & b2);                    \
        E##12 = b1 ^ (~b2 & b3);                    \
        E##22 = b2 ^ (~b3 & b4);                    \
        E##32 = b3 ^ (~b4 & b0);                    \
        E##42 = b4 ^ (~b0 & b1);                    \
        b0 = TK_ROL64(A##40 ^ d4, 27);              \
        b1 = TK_ROL64(A##01 ^ d0, 36);              \
        b2 = TK_ROL64(A##12 ^ d1, 10);              \
        b3 = TK_ROL64(A##23 ^ d2, 15);              \
        b4 = TK_ROL64(A##34 ^ d3, 56);              \
        E##03 = b0 ^ (~b1 & b2);                    \
        E##13 = b1 ^ (~b2 & b3);                    \
        E##23 = b2 ^ (~b3 & b4);                    \
        E##33 = b3 ^ (~b4 & b0);                    \
        E##43 = b4 ^ (~b0 & b1);                    \
        b0 = TK_ROL64(A##20 ^ d2, 62);              \
        b1 = TK_ROL64(A##31 ^ d3, 55);              \
        b2 = TK_ROL64(A##42 ^ d4, 39);              \
        b3 = TK_ROL64(A##03 ^ d0, 41);              \
        b4 = TK_ROL64(A##14 ^ d1, 2);               \
        E##04 = b0 ^ (~b1 & b2);                    \
        E##14 = b1 ^ (~b2 & b3);                    \
        E##24 = b2 ^ (~b3 & b4);                    \
        E##34 = b3 ^ (~b4 & b0);                    \
        E##44 = b4 ^ (~b0 & b1);                    \
    } while (0)

/* Two rounds per loop turn, from the a lanes into e and back. */
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
        TK_KECCAK_ROUND(a, e, tk_keccak_rc[round]);
        TK_KECCAK_ROUND(e, a, tk_keccak_rc[round + 1]);
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

#if defined(__GNUC__)
/*
 * Four states side by side, one 64-bit element per state. gcc lowers the
 * vector operations to whatever the build targets (two SSE2 halves on
 * baseline x86-64, one AVX2 register when enabled), and shifts by a
 * constant never depend on the data.
 */
typedef uint64_t tk_keccak_v4 __attribute__((vector_size(32)));

/* See keccak.h. Long for the same reason as tk_keccak_f1600(). */
void
tk_keccak_f1600_x4(uint64_t s[25][4])
{
    tk_keccak_v4 a00, a10, a20, a30, a40, a01, a11, a21, a31, a41, a02, a12, a22;
    tk_keccak_v4 a32, a42, a03, a13, a23, a33, a43, a04, a14, a24, a34, a44;
    tk_keccak_v4 e00, e10, e20, e30, e40, e01, e11, e21, e31, e41, e02, e12, e22;
    tk_keccak_v4 e32, e42, e03, e13, e23, e33, e43, e04, e14, e24, e34, e44;
    tk_keccak_v4 b0, b1, b2, b3, b4, c0, c1, c2, c3, c4, d0, d1, d2, d3, d4;

    memcpy(&a00, s[0], sizeof(a00));
    memcpy(&a10, s[1], sizeof(a10));
    memcpy(&a20, s[2], sizeof(a20));
    memcpy(&a30, s[3], sizeof(a30));
    memcpy(&a40, s[4], sizeof(a40));
    memcpy(&a01, s[5], sizeof(a01));
    memcpy(&a11, s[6], sizeof(a11));
    memcpy(&a21, s[7], sizeof(a21));
    memcpy(&a31, s[8], sizeof(a31));
    memcpy(&a41, s[9], sizeof(a41));
    memcpy(&a02, s[10], sizeof(a02));
    memcpy(&a12, s[11], sizeof(a12));
    memcpy(&a22, s[12], sizeof(a22));
    memcpy(&a32, s[13], sizeof(a32));
    memcpy(&a42, s[14], sizeof(a42));
    memcpy(&a03, s[15], sizeof(a03));
    memcpy(&a13, s[16], sizeof(a13));
    memcpy(&a23, s[17], sizeof(a23));
    memcpy(&a33, s[18], sizeof(a33));
    memcpy(&a43, s[19], sizeof(a43));
    memcpy(&a04, s[20], sizeof(a04));
    memcpy(&a14, s[21], sizeof(a14));
    memcpy(&a24, s[22], sizeof(a24));
    memcpy(&a34, s[23], sizeof(a34));
    memcpy(&a44, s[24], sizeof(a44));
    for (int round = 0; round < 24; round += 2) {
        TK_KECCAK_ROUND(a, e, tk_keccak_rc[round]);
        TK_KECCAK_ROUND(e, a, tk_keccak_rc[round + 1]);
    }
    memcpy(s[0], &a00, sizeof(a00));
    memcpy(s[1], &a10, sizeof(a10));
    memcpy(s[2], &a20, sizeof(a20));
    memcpy(s[3], &a30, sizeof(a30));
    memcpy(s[4], &a40, sizeof(a40));
    memcpy(s[5], &a01, sizeof(a01));
    memcpy(s[6], &a11, sizeof(a11));
    memcpy(s[7], &a21, sizeof(a21));
    memcpy(s[8], &a31, sizeof(a31));
    memcpy(s[9], &a41, sizeof(a41));
    memcpy(s[10], &a02, sizeof(a02));
    memcpy(s[11], &a12, sizeof(a12));
    memcpy(s[12], &a22, sizeof(a22));
    memcpy(s[13], &a32, sizeof(a32));
    memcpy(s[14], &a42, sizeof(a42));
    memcpy(s[15], &a03, sizeof(a03));
    memcpy(s[16], &a13, sizeof(a13));
    memcpy(s[17], &a23, sizeof(a23));
    memcpy(s[18], &a33, sizeof(a33));
    memcpy(s[19], &a43, sizeof(a43));
    memcpy(s[20], &a04, sizeof(a04));
    memcpy(s[21], &a14, sizeof(a14));
    memcpy(s[22], &a24, sizeof(a24));
    memcpy(s[23], &a34, sizeof(a34));
    memcpy(s[24], &a44, sizeof(a44));
}
#else
/* Without vector extensions: the states one after the other. */
void
tk_keccak_f1600_x4(uint64_t s[25][4])
{
    uint64_t t[25];

    for (int l = 0; l < 4; l++) {
        for (int i = 0; i < 25; i++) {
            t[i] = s[i][l];
        }
        tk_keccak_f1600(t);
        for (int i = 0; i < 25; i++) {
            s[i][l] = t[i];
        }
    }
    tk_wipe(t, sizeof(t));
}
#endif

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
