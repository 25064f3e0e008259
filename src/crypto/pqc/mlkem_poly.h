/*
 * ML-KEM polynomial arithmetic shared by the three parameter sets: the
 * number-theoretic transform, Montgomery and Barrett reduction, sampling
 * and the byte encodings [FIPS 203 §4]. Internal to src/crypto/pqc.
 *
 * Coefficients are int16_t. Each function states the range it expects and
 * the range it returns; "centred" means |x| <= q/2, "normal" means 0..q-1.
 * Everything here runs in time independent of coefficient values.
 */
#ifndef TK_CRYPTO_PQC_MLKEM_POLY_H
#define TK_CRYPTO_PQC_MLKEM_POLY_H

#include <stddef.h>
#include <stdint.h>

#define TK_MLKEM_N 256
#define TK_MLKEM_Q 3329

typedef struct {
    int16_t c[TK_MLKEM_N];
} tk_mlkem_poly;

/* b[2i+1] times the twist zeta of pair i, kept for repeated products. */
typedef struct {
    int16_t c[TK_MLKEM_N / 2];
} tk_mlkem_mulcache;

/* Forward NTT in place [FIPS 203 Alg. 9]; any int16 input with |a| < q,
 * output centred. */
void
tk_mlkem_ntt(tk_mlkem_poly *a);

/* Inverse NTT in place [FIPS 203 Alg. 10] times the Montgomery factor
 * 2^16; input |a| < q, output |a| < q. */
void
tk_mlkem_invntt_tomont(tk_mlkem_poly *a);

/* Barrett reduction of every coefficient to the centred range. */
void
tk_mlkem_poly_reduce(tk_mlkem_poly *a);

/* Reduce to the normal range 0..q-1. */
void
tk_mlkem_poly_normalize(tk_mlkem_poly *a);

/* Multiply by 2^16 mod q (enter the Montgomery domain); output |a| < q. */
void
tk_mlkem_poly_tomont(tk_mlkem_poly *a);

void
tk_mlkem_poly_add(tk_mlkem_poly *r, const tk_mlkem_poly *a);

void
tk_mlkem_poly_sub(tk_mlkem_poly *r, const tk_mlkem_poly *a);

/* Precompute the odd coefficients of b times their pair's zeta. */
void
tk_mlkem_mulcache_compute(tk_mlkem_mulcache *mc, const tk_mlkem_poly *b);

/*
 * acc += a o b in the NTT domain [FIPS 203 Alg. 11], without reduction.
 * |a| <= q and |b| <= q (b in the range of its cache). Up to four calls
 * may accumulate before tk_mlkem_acc_reduce().
 */
void
tk_mlkem_basemul_acc(int32_t acc[TK_MLKEM_N], const tk_mlkem_poly *a, const tk_mlkem_poly *b,
                     const tk_mlkem_mulcache *bc);

/* r = acc * 2^-16 mod q, |r| < q. */
void
tk_mlkem_acc_reduce(tk_mlkem_poly *r, const int32_t acc[TK_MLKEM_N]);

/* SampleNTT(rho || j || i) [FIPS 203 Alg. 7]; output normal. */
void
tk_mlkem_sample_ntt(tk_mlkem_poly *a, const uint8_t rho[32], uint8_t j, uint8_t i);

/* SamplePolyCBD_eta(PRF_eta(sigma, nonce)) [FIPS 203 Alg. 8], eta 2 or 3. */
void
tk_mlkem_sample_cbd(tk_mlkem_poly *a, const uint8_t sigma[32], uint8_t nonce, unsigned int eta);

/* ByteEncode_d [FIPS 203 Alg. 5] of coefficients in 0..2^d-1; writes 32*d
 * bytes. */
void
tk_mlkem_poly_encode(uint8_t *out, const tk_mlkem_poly *a, unsigned int d);

/* ByteDecode_d [FIPS 203 Alg. 6] for d < 12; reads 32*d bytes. */
void
tk_mlkem_poly_decode(tk_mlkem_poly *a, const uint8_t *in, unsigned int d);

/* ByteDecode_12 with the reduction mod q of Alg. 6; output normal. */
void
tk_mlkem_poly_decode12(tk_mlkem_poly *a, const uint8_t in[384]);

/* 1 when every 12-bit value in in[0..383] is below q, else 0. Public data
 * only: it returns early. */
int
tk_mlkem_poly_check12(const uint8_t in[384]);

/* Compress_d [FIPS 203 (4.7)] of normal coefficients, in place. */
void
tk_mlkem_poly_compress(tk_mlkem_poly *a, unsigned int d);

/* Decompress_d [FIPS 203 (4.8)], in place; output normal. */
void
tk_mlkem_poly_decompress(tk_mlkem_poly *a, unsigned int d);

/* Decompress_1(ByteDecode_1(m)): bit i becomes 0 or (q+1)/2. */
void
tk_mlkem_poly_frommsg(tk_mlkem_poly *a, const uint8_t m[32]);

/* ByteEncode_1(Compress_1(a)) of a centred or normal polynomial. */
void
tk_mlkem_poly_tomsg(uint8_t m[32], const tk_mlkem_poly *a);

#endif
