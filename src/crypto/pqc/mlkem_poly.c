/* ML-KEM polynomial arithmetic; see mlkem_poly.h. [FIPS 203 §4] */
#include "crypto/pqc/mlkem_poly.h"

#include "crypto/pqc/keccak.h"
#include "util/wipe.h"

/*
 * Signed right shifts of negative values are arithmetic with every compiler
 * we support (gcc, clang); the reductions below rely on that, as C11 leaves
 * it implementation-defined.
 */

#define TK_MLKEM_QINV (-3327)   /* q^-1 mod 2^16, signed */
#define TK_MLKEM_MONT2 1353     /* 2^32 mod q: enters the Montgomery domain */
#define TK_MLKEM_INVNTT_F 1441  /* 2^32 / 128 mod q: scaling of the inverse NTT */
#define TK_MLKEM_INVNTT_ZF 1397 /* zetas[1] * F * 2^-16 mod q, centred */
#define TK_MLKEM_BARRETT_V 20159 /* round(2^26 / q) */
/* Division by q as a multiply and shift: exact for every dividend below
 * 2^23, which covers (x << 11) + q/2 for x < q (checked by the unit test). */
#define TK_MLKEM_DIVQ_M 322542u
#define TK_MLKEM_DIVQ_S 30

/* 17^bitrev7(i) * 2^16 mod q, centred: the twiddles of both transforms. */
static const int16_t tk_mlkem_zetas[128] = {
    -1044, -758,  -359,  -1517, 1493,  1422,  287,   202,   -171,  622,   1577,  182,
    962,   -1202, -1474, 1468,  573,   -1325, 264,   383,   -829,  1458,  -1602, -130,
    -681,  1017,  732,   608,   -1542, 411,   -205,  -1571, 1223,  652,   -552,  1015,
    -1293, 1491,  -282,  -1544, 516,   -8,    -320,  -666,  -1618, -1162, 126,   1469,
    -853,  -90,   -271,  830,   107,   -1421, -247,  -951,  -398,  961,   -1508, -725,
    448,   -1065, 677,   -1275, -1103, 430,   555,   843,   -1251, 871,   1550,  105,
    422,   587,   177,   -235,  -291,  -460,  1574,  1653,  -246,  778,   1159,  -147,
    -777,  1483,  -602,  1119,  -1590, 644,   -872,  349,   418,   329,   -156,  -75,
    817,   1097,  603,   610,   1322,  -1285, -1465, 384,   -1215, -136,  1218,  -1335,
    -874,  220,   -1187, -1659, -1185, -1530, -1278, 794,   -1510, -854,  -870,  478,
    -108,  -308,  996,   991,   958,   -1460, 1522,  1628,
};

/* a * 2^-16 mod q for |a| < 2^15 q; result |r| < q. */
static inline int16_t
tk_mlkem_mont_reduce(int32_t a)
{
    int16_t t = (int16_t)((int16_t)a * TK_MLKEM_QINV);

    return (int16_t)((a - (int32_t)t * TK_MLKEM_Q) >> 16);
}

/*
 * a * b * 2^-16 mod q, |r| < q, for |a * b| < 2^15 q. The same Montgomery
 * step as above, written with 16-bit halves: (p - t q) / 2^16 equals
 * hi(p) - hi(t q) exactly because the low halves cancel. In this form gcc
 * maps the products onto 16-bit vector multiplies (high and low halves).
 */
static inline int16_t
tk_mlkem_fqmul(int16_t a, int16_t b)
{
    int32_t p = (int32_t)a * b;
    int16_t t = (int16_t)((int16_t)p * TK_MLKEM_QINV);
    int16_t hi = (int16_t)(p >> 16);

    return (int16_t)(hi - (int16_t)(((int32_t)t * TK_MLKEM_Q) >> 16));
}

/* Centred representative of a mod q, |r| <= q/2. */
static inline int16_t
tk_mlkem_barrett(int16_t a)
{
    int16_t t = (int16_t)(((int32_t)TK_MLKEM_BARRETT_V * a + (1 << 25)) >> 26);

    return (int16_t)(a - t * TK_MLKEM_Q);
}

/* Map a centred value to 0..q-1 with a mask, not a branch. */
static inline int16_t
tk_mlkem_ct_addq(int16_t a)
{
    return (int16_t)(a + ((a >> 15) & TK_MLKEM_Q));
}

/* One Cooley-Tukey layer. Each layer adds less than q to the magnitude,
 * so from inputs below q the values stay below 8q, inside int16, and no
 * reduction is needed until the end. */
static inline void
tk_mlkem_ntt_layer(int16_t *r, unsigned int len, unsigned int k)
{
    for (unsigned int start = 0; start < TK_MLKEM_N; start += 2 * len) {
        int16_t zeta = tk_mlkem_zetas[k++];

        for (unsigned int j = start; j < start + len; j++) {
            int16_t t = tk_mlkem_fqmul(zeta, r[j + len]);

            r[j + len] = (int16_t)(r[j] - t);
            r[j] = (int16_t)(r[j] + t);
        }
    }
}

void
tk_mlkem_ntt(tk_mlkem_poly *a)
{
    int16_t *r = a->c;

    /* Constant lengths let the compiler vectorise the wide layers. */
    tk_mlkem_ntt_layer(r, 128, 1);
    tk_mlkem_ntt_layer(r, 64, 2);
    tk_mlkem_ntt_layer(r, 32, 4);
    tk_mlkem_ntt_layer(r, 16, 8);
    tk_mlkem_ntt_layer(r, 8, 16);
    tk_mlkem_ntt_layer(r, 4, 32);
    tk_mlkem_ntt_layer(r, 2, 64);
    tk_mlkem_poly_reduce(a);
}

/* One Gentleman-Sande layer without reduction of the sums. With inputs
 * below 4q (the caller's duty) the sum and the difference stay below 8q,
 * inside int16. */
static inline void
tk_mlkem_invntt_layer(int16_t *r, unsigned int len, unsigned int k)
{
    for (unsigned int start = 0; start < TK_MLKEM_N; start += 2 * len) {
        int16_t zeta = tk_mlkem_zetas[k--];

        for (unsigned int j = start; j < start + len; j++) {
            int16_t t = r[j];
            int16_t u = r[j + len];

            r[j] = (int16_t)(t + u);
            r[j + len] = tk_mlkem_fqmul(zeta, (int16_t)(u - t));
        }
    }
}

void
tk_mlkem_invntt_tomont(tk_mlkem_poly *a)
{
    int16_t *r = a->c;

    /* Inputs below q double per layer: the third layer takes inputs below
     * 4q and leaves sums below 8q, so a Barrett pass follows layers 3 and
     * 6. The last layer also applies the factor f = 2^32/128: to the sums
     * directly, to the differences through the precomputed
     * zeta_1 * f * 2^-16. */
    tk_mlkem_invntt_layer(r, 2, 127);
    tk_mlkem_invntt_layer(r, 4, 63);
    tk_mlkem_invntt_layer(r, 8, 31);
    tk_mlkem_poly_reduce(a);
    tk_mlkem_invntt_layer(r, 16, 15);
    tk_mlkem_invntt_layer(r, 32, 7);
    tk_mlkem_invntt_layer(r, 64, 3);
    tk_mlkem_poly_reduce(a);
    for (unsigned int j = 0; j < TK_MLKEM_N / 2; j++) {
        int16_t t = r[j];
        int16_t u = r[j + TK_MLKEM_N / 2];

        r[j] = tk_mlkem_fqmul((int16_t)(t + u), TK_MLKEM_INVNTT_F);
        r[j + TK_MLKEM_N / 2] = tk_mlkem_fqmul((int16_t)(u - t), TK_MLKEM_INVNTT_ZF);
    }
}

void
tk_mlkem_poly_reduce(tk_mlkem_poly *a)
{
    for (unsigned int i = 0; i < TK_MLKEM_N; i++) {
        a->c[i] = tk_mlkem_barrett(a->c[i]);
    }
}

void
tk_mlkem_poly_normalize(tk_mlkem_poly *a)
{
    for (unsigned int i = 0; i < TK_MLKEM_N; i++) {
        a->c[i] = tk_mlkem_ct_addq(tk_mlkem_barrett(a->c[i]));
    }
}

void
tk_mlkem_poly_tomont(tk_mlkem_poly *a)
{
    for (unsigned int i = 0; i < TK_MLKEM_N; i++) {
        a->c[i] = tk_mlkem_fqmul(a->c[i], TK_MLKEM_MONT2);
    }
}

void
tk_mlkem_poly_add(tk_mlkem_poly *r, const tk_mlkem_poly *a)
{
    for (unsigned int i = 0; i < TK_MLKEM_N; i++) {
        r->c[i] = (int16_t)(r->c[i] + a->c[i]);
    }
}

void
tk_mlkem_poly_sub(tk_mlkem_poly *r, const tk_mlkem_poly *a)
{
    for (unsigned int i = 0; i < TK_MLKEM_N; i++) {
        r->c[i] = (int16_t)(r->c[i] - a->c[i]);
    }
}

void
tk_mlkem_mulcache_compute(tk_mlkem_mulcache *mc, const tk_mlkem_poly *b)
{
    /* Pair 2m is reduced modulo X^2 - zeta_m, pair 2m+1 modulo X^2 + zeta_m
     * [FIPS 203 Alg. 11, gamma = 17^(2 bitrev7(i) + 1)]. */
    for (unsigned int m = 0; m < 64; m++) {
        int16_t zeta = tk_mlkem_zetas[64 + m];

        mc->c[2 * m] = tk_mlkem_fqmul(b->c[4 * m + 1], zeta);
        mc->c[2 * m + 1] = tk_mlkem_fqmul(b->c[4 * m + 3], (int16_t)-zeta);
    }
}

void
tk_mlkem_basemul_acc(int32_t acc[TK_MLKEM_N], const tk_mlkem_poly *a, const tk_mlkem_poly *b,
                     const tk_mlkem_mulcache *bc)
{
    /* Each product is below q^2 in magnitude; four accumulated pairs stay
     * below 2^15 q, the input bound of the Montgomery reduction. */
    for (unsigned int i = 0; i < TK_MLKEM_N / 2; i++) {
        int32_t a0 = a->c[2 * i];
        int32_t a1 = a->c[2 * i + 1];
        int32_t b0 = b->c[2 * i];
        int32_t b1 = b->c[2 * i + 1];

        acc[2 * i] += a0 * b0 + a1 * bc->c[i];
        acc[2 * i + 1] += a0 * b1 + a1 * b0;
    }
}

void
tk_mlkem_acc_reduce(tk_mlkem_poly *r, const int32_t acc[TK_MLKEM_N])
{
    for (unsigned int i = 0; i < TK_MLKEM_N; i++) {
        r->c[i] = tk_mlkem_mont_reduce(acc[i]);
    }
}

static inline uint32_t
tk_mlkem_load32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

static inline uint64_t
tk_mlkem_load64(const uint8_t *p)
{
    return (uint64_t)tk_mlkem_load32(p) | ((uint64_t)tk_mlkem_load32(p + 4) << 32);
}

/* Parse 12-bit candidates from buf into r, from index ctr; returns the new
 * count. Rejection depends on rho only, which is public. While two slots
 * are free both candidates are stored unconditionally and the count moves
 * by the comparison result: the acceptance test is then no branch to
 * mispredict. The tail takes the careful path. */
static unsigned int
tk_mlkem_rej_uniform(int16_t *r, unsigned int ctr, const uint8_t *buf, size_t len)
{
    size_t pos = 0;

    /* Eight candidates from each 12 bytes (blocks of 168 and 504 bytes
     * divide evenly), read as one 64-bit and one 32-bit little-endian word. */
    for (; pos + 12 <= len && ctr + 8 <= TK_MLKEM_N; pos += 12) {
        uint64_t t0 = tk_mlkem_load64(buf + pos);
        uint32_t t1 = tk_mlkem_load32(buf + pos + 8);
        uint16_t c[8];

        c[0] = (uint16_t)(t0 & 0xFFF);
        c[1] = (uint16_t)((t0 >> 12) & 0xFFF);
        c[2] = (uint16_t)((t0 >> 24) & 0xFFF);
        c[3] = (uint16_t)((t0 >> 36) & 0xFFF);
        c[4] = (uint16_t)((t0 >> 48) & 0xFFF);
        c[5] = (uint16_t)(((t0 >> 60) | ((uint64_t)t1 << 4)) & 0xFFF);
        c[6] = (uint16_t)((t1 >> 8) & 0xFFF);
        c[7] = (uint16_t)((t1 >> 20) & 0xFFF);
        for (unsigned int k = 0; k < 8; k++) {
            r[ctr] = (int16_t)c[k];
            ctr += c[k] < TK_MLKEM_Q;
        }
    }
    for (; pos + 3 <= len && ctr + 2 <= TK_MLKEM_N; pos += 3) {
        uint16_t d1 = (uint16_t)(buf[pos] | ((uint16_t)(buf[pos + 1] & 0x0F) << 8));
        uint16_t d2 = (uint16_t)((buf[pos + 1] >> 4) | ((uint16_t)buf[pos + 2] << 4));

        r[ctr] = (int16_t)d1;
        ctr += d1 < TK_MLKEM_Q;
        r[ctr] = (int16_t)d2;
        ctr += d2 < TK_MLKEM_Q;
    }
    for (; pos + 3 <= len && ctr < TK_MLKEM_N; pos += 3) {
        uint16_t d1 = (uint16_t)(buf[pos] | ((uint16_t)(buf[pos + 1] & 0x0F) << 8));
        uint16_t d2 = (uint16_t)((buf[pos + 1] >> 4) | ((uint16_t)buf[pos + 2] << 4));

        if (d1 < TK_MLKEM_Q) {
            r[ctr++] = (int16_t)d1;
        }
        if (d2 < TK_MLKEM_Q && ctr < TK_MLKEM_N) {
            r[ctr++] = (int16_t)d2;
        }
    }
    return ctr;
}

void
tk_mlkem_sample_ntt(tk_mlkem_poly *a, const uint8_t rho[32], uint8_t j, uint8_t i)
{
    /* Three blocks give 336 candidates; 256 of them are accepted with
     * probability above 1 - 2^-40, more blocks follow when not. */
    uint8_t buf[3 * TK_SHAKE128_RATE];
    uint8_t idx[2] = {j, i};
    tk_keccak_ctx ctx;
    unsigned int ctr;

    tk_shake128_init(&ctx);
    tk_keccak_absorb(&ctx, rho, 32);
    tk_keccak_absorb(&ctx, idx, 2);
    tk_keccak_finalize(&ctx);
    tk_keccak_squeezeblocks(&ctx, buf, 3);
    ctr = tk_mlkem_rej_uniform(a->c, 0, buf, sizeof(buf));
    while (ctr < TK_MLKEM_N) {
        tk_keccak_squeezeblocks(&ctx, buf, 1);
        ctr = tk_mlkem_rej_uniform(a->c, ctr, buf, TK_SHAKE128_RATE);
    }
}

static void
tk_mlkem_cbd2(tk_mlkem_poly *a, const uint8_t buf[128])
{
    for (unsigned int i = 0; i < TK_MLKEM_N / 8; i++) {
        uint32_t t = tk_mlkem_load32(buf + 4 * i);
        uint32_t d = (t & 0x55555555u) + ((t >> 1) & 0x55555555u);

        for (unsigned int j = 0; j < 8; j++) {
            int16_t x = (int16_t)((d >> (4 * j)) & 3);
            int16_t y = (int16_t)((d >> (4 * j + 2)) & 3);

            a->c[8 * i + j] = (int16_t)(x - y);
        }
    }
}

static void
tk_mlkem_cbd3(tk_mlkem_poly *a, const uint8_t buf[192])
{
    for (unsigned int i = 0; i < TK_MLKEM_N / 4; i++) {
        const uint8_t *p = buf + 3 * i;
        uint32_t t = (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16);
        uint32_t d = (t & 0x249249u) + ((t >> 1) & 0x249249u) + ((t >> 2) & 0x249249u);

        for (unsigned int j = 0; j < 4; j++) {
            int16_t x = (int16_t)((d >> (6 * j)) & 7);
            int16_t y = (int16_t)((d >> (6 * j + 3)) & 7);

            a->c[4 * i + j] = (int16_t)(x - y);
        }
    }
}

void
tk_mlkem_sample_cbd(tk_mlkem_poly *a, const uint8_t sigma[32], uint8_t nonce, unsigned int eta)
{
    uint8_t buf[64 * 3];
    tk_keccak_ctx ctx;

    tk_shake256_init(&ctx);
    tk_keccak_absorb(&ctx, sigma, 32);
    tk_keccak_absorb(&ctx, &nonce, 1);
    tk_keccak_finalize(&ctx);
    tk_keccak_squeeze(&ctx, buf, 64 * eta);
    if (eta == 3) {
        tk_mlkem_cbd3(a, buf);
    } else {
        tk_mlkem_cbd2(a, buf);
    }
    tk_keccak_wipe(&ctx);
    tk_wipe(buf, sizeof(buf));
}

/* ByteEncode_12: two coefficients to three bytes. */
static void
tk_mlkem_poly_encode12(uint8_t out[384], const tk_mlkem_poly *a)
{
    for (unsigned int i = 0; i < TK_MLKEM_N / 2; i++) {
        uint16_t x = (uint16_t)a->c[2 * i];
        uint16_t y = (uint16_t)a->c[2 * i + 1];

        out[3 * i] = (uint8_t)x;
        out[3 * i + 1] = (uint8_t)((x >> 8) | (y << 4));
        out[3 * i + 2] = (uint8_t)(y >> 4);
    }
}

void
tk_mlkem_poly_encode(uint8_t *out, const tk_mlkem_poly *a, unsigned int d)
{
    uint32_t acc = 0;
    unsigned int nbits = 0;

    if (d == 12) {
        tk_mlkem_poly_encode12(out, a);
        return;
    }

    /* Bit-serial packer; the loop shape depends on d only. */
    for (unsigned int i = 0; i < TK_MLKEM_N; i++) {
        acc |= (uint32_t)(uint16_t)a->c[i] << nbits;
        nbits += d;
        while (nbits >= 8) {
            *out++ = (uint8_t)acc;
            acc >>= 8;
            nbits -= 8;
        }
    }
}

void
tk_mlkem_poly_decode(tk_mlkem_poly *a, const uint8_t *in, unsigned int d)
{
    uint32_t acc = 0;
    unsigned int nbits = 0;
    uint32_t mask = (1u << d) - 1;

    for (unsigned int i = 0; i < TK_MLKEM_N; i++) {
        while (nbits < d) {
            acc |= (uint32_t)*in++ << nbits;
            nbits += 8;
        }
        a->c[i] = (int16_t)(acc & mask);
        acc >>= d;
        nbits -= d;
    }
}

void
tk_mlkem_poly_decode12(tk_mlkem_poly *a, const uint8_t in[384])
{
    for (unsigned int i = 0; i < TK_MLKEM_N / 2; i++) {
        const uint8_t *p = in + 3 * i;
        int16_t x = (int16_t)(p[0] | ((p[1] & 0x0F) << 8));
        int16_t y = (int16_t)((p[1] >> 4) | (p[2] << 4));

        /* Values up to 4095 < 2q: one masked subtraction reduces them. */
        a->c[2 * i] = tk_mlkem_ct_addq((int16_t)(x - TK_MLKEM_Q));
        a->c[2 * i + 1] = tk_mlkem_ct_addq((int16_t)(y - TK_MLKEM_Q));
    }
}

int
tk_mlkem_poly_check12(const uint8_t in[384])
{
    for (unsigned int i = 0; i < TK_MLKEM_N / 2; i++) {
        const uint8_t *p = in + 3 * i;
        unsigned int x = p[0] | ((p[1] & 0x0Fu) << 8);
        unsigned int y = (p[1] >> 4) | ((unsigned int)p[2] << 4);

        if (x >= TK_MLKEM_Q || y >= TK_MLKEM_Q) {
            return 0;
        }
    }
    return 1;
}

void
tk_mlkem_poly_compress(tk_mlkem_poly *a, unsigned int d)
{
    uint32_t mask = (1u << d) - 1;

    for (unsigned int i = 0; i < TK_MLKEM_N; i++) {
        uint64_t t = ((uint64_t)(uint16_t)a->c[i] << d) + TK_MLKEM_Q / 2;

        /* round(2^d x / q) as floor((2^d x + (q-1)/2) / q), q being odd. */
        a->c[i] = (int16_t)(((t * TK_MLKEM_DIVQ_M) >> TK_MLKEM_DIVQ_S) & mask);
    }
}

void
tk_mlkem_poly_decompress(tk_mlkem_poly *a, unsigned int d)
{
    for (unsigned int i = 0; i < TK_MLKEM_N; i++) {
        uint32_t y = (uint16_t)a->c[i];

        a->c[i] = (int16_t)((y * TK_MLKEM_Q + (1u << (d - 1))) >> d);
    }
}

void
tk_mlkem_poly_frommsg(tk_mlkem_poly *a, const uint8_t m[32])
{
    for (unsigned int i = 0; i < 32; i++) {
        for (unsigned int j = 0; j < 8; j++) {
            int16_t mask = (int16_t)-(int16_t)((m[i] >> j) & 1);

            a->c[8 * i + j] = (int16_t)(mask & ((TK_MLKEM_Q + 1) / 2));
        }
    }
}

void
tk_mlkem_poly_tomsg(uint8_t m[32], const tk_mlkem_poly *a)
{
    for (unsigned int i = 0; i < 32; i++) {
        uint8_t byte = 0;

        for (unsigned int j = 0; j < 8; j++) {
            int16_t x = tk_mlkem_ct_addq(tk_mlkem_barrett(a->c[8 * i + j]));
            uint64_t t = ((uint64_t)(uint16_t)x << 1) + TK_MLKEM_Q / 2;

            byte |= (uint8_t)(((t * TK_MLKEM_DIVQ_M) >> TK_MLKEM_DIVQ_S) & 1) << j;
        }
        m[i] = byte;
    }
}
