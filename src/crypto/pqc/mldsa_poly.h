/*
 * ML-DSA polynomial arithmetic shared by every parameter set: the ring
 * Z_q[X]/(X^256 + 1), its NTT, sampling of A, the challenge, and bit
 * packing [FIPS 204 §7]. Internal to src/crypto/pqc.
 *
 * Coefficients are int32_t and, unless a function says otherwise, any
 * representative of their class with |a| < 2^31 - 2^22. The NTT domain
 * multiplies with Montgomery reduction (R = 2^32): a pointwise product
 * carries a factor R^-1 that tk_mldsa_poly_invntt_tomont() takes back out.
 *
 * Nothing here branches on or indexes by coefficient values or by the
 * challenge seed; the sampler of A rejects on bytes from the public rho.
 */
#ifndef TK_CRYPTO_PQC_MLDSA_POLY_H
#define TK_CRYPTO_PQC_MLDSA_POLY_H

#include <stddef.h>
#include <stdint.h>

#define TK_MLDSA_N 256
#define TK_MLDSA_Q 8380417
#define TK_MLDSA_D 13
/* q^-1 mod 2^32, for Montgomery reduction. */
#define TK_MLDSA_QINV 58728449

typedef struct {
    int32_t c[TK_MLDSA_N];
} tk_mldsa_poly;

/*
 * Marks a value derived from secrets as public: a verdict the caller
 * learns anyway, or data that ends up in a key or signature. It does
 * nothing in the library; the constant-time test builds these sources
 * with TK_MLDSA_CT_TESTING, runs them under valgrind with the secrets
 * marked undefined, and this tells valgrind which branches are allowed.
 */
#ifdef TK_MLDSA_CT_TESTING
#include <valgrind/memcheck.h>
#define TK_MLDSA_PUBLIC(p, n) ((void)VALGRIND_MAKE_MEM_DEFINED((p), (n)))
#else
#define TK_MLDSA_PUBLIC(p, n) ((void)(p), (void)(n))
#endif

/* a * 2^-32 mod q, result in (-q, q) for |a| < 2^31 * q. */
static inline int32_t
tk_mldsa_mont_reduce(int64_t a)
{
    int32_t t = (int32_t)(uint32_t)((uint64_t)a * TK_MLDSA_QINV);

    return (int32_t)((a - (int64_t)t * TK_MLDSA_Q) >> 32);
}

/* Representative in [-6283008, 6283008] for a <= 2^31 - 2^22 - 1; it is
 * the centred one whenever that has absolute value below 2097409. */
static inline int32_t
tk_mldsa_reduce32(int32_t a)
{
    int32_t t = (a + (1 << 22)) >> 23;

    return a - t * TK_MLDSA_Q;
}

/* Adds q to a negative a, so (-q, q) maps to [0, q). */
static inline int32_t
tk_mldsa_caddq(int32_t a)
{
    return a + ((a >> 31) & TK_MLDSA_Q);
}

/* In-place forward NTT [FIPS 204 Alg. 41]; input |a| < q gives |a| < 9q. */
void
tk_mldsa_poly_ntt(tk_mldsa_poly *a);

/* In-place inverse NTT times R [FIPS 204 Alg. 42]; input |a| < q, output
 * |a| < q. */
void
tk_mldsa_poly_invntt_tomont(tk_mldsa_poly *a);

/* r = a * b * R^-1 coefficient-wise (NTT domain); |a*b| < 2^31 * q. */
void
tk_mldsa_poly_pointwise(tk_mldsa_poly *r, const tk_mldsa_poly *a, const tk_mldsa_poly *b);

/* r = sum over i < n of a[i] * b[i] * R^-1 with one reduction per
 * coefficient; the sum of |products| stays below 2^31 * q. */
void
tk_mldsa_poly_dot(tk_mldsa_poly *r, const tk_mldsa_poly *a, const tk_mldsa_poly *b,
                  unsigned int n);

void
tk_mldsa_poly_reduce(tk_mldsa_poly *a);

void
tk_mldsa_poly_caddq(tk_mldsa_poly *a);

void
tk_mldsa_poly_add(tk_mldsa_poly *r, const tk_mldsa_poly *a, const tk_mldsa_poly *b);

void
tk_mldsa_poly_sub(tk_mldsa_poly *r, const tk_mldsa_poly *a, const tk_mldsa_poly *b);

/* a = a * 2^d. */
void
tk_mldsa_poly_shiftl(tk_mldsa_poly *a);

/*
 * 1 when some coefficient, taken as its centred representative, has
 * absolute value >= bound, else 0. Bound at most 2097408. Looks at every
 * coefficient whatever it finds: constant time.
 */
unsigned int
tk_mldsa_poly_ct_norm_ge(const tk_mldsa_poly *a, int32_t bound);

/* Entry A[row][col] of the matrix, in NTT form, from rho [FIPS 204
 * Alg. 30, 32]. */
void
tk_mldsa_poly_uniform(tk_mldsa_poly *a, const uint8_t rho[32], unsigned int row,
                      unsigned int col);

/* Challenge c with tau coefficients +-1 from c~ [FIPS 204 Alg. 29];
 * constant time in c~. */
void
tk_mldsa_poly_challenge(tk_mldsa_poly *c, const uint8_t *ctilde, size_t ctlen,
                        unsigned int tau);

/* (a1, a0) with a = a1 * 2^d + a0 [FIPS 204 Alg. 35]; a in [0, q). */
void
tk_mldsa_poly_power2round(tk_mldsa_poly *a1, tk_mldsa_poly *a0, const tk_mldsa_poly *a);

/*
 * Bit packing of 256 coefficients, little-endian, bits per field
 * [FIPS 204 Alg. 16-19]. _plain stores a (0 <= a < 2^bits); _sub stores
 * off - a, as BitPack(w, a, b) does with off = b. Unpacking reverses it;
 * fields are masked to bits, so every input decodes to something.
 * Constant time.
 */
void
tk_mldsa_pack_plain(uint8_t *out, const tk_mldsa_poly *a, unsigned int bits);

void
tk_mldsa_pack_sub(uint8_t *out, const tk_mldsa_poly *a, int32_t off, unsigned int bits);

void
tk_mldsa_unpack_plain(tk_mldsa_poly *a, const uint8_t *in, unsigned int bits);

void
tk_mldsa_unpack_sub(tk_mldsa_poly *a, const uint8_t *in, int32_t off, unsigned int bits);

#endif
