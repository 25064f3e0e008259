/*
 * ML-DSA, the module-lattice signature scheme [FIPS 204], in portable C.
 *
 * One source is compiled once per parameter set; the functions here pick
 * the set at run time. Keys and signatures are the byte strings of
 * [FIPS 204 §7.2]; the private key is the expanded form (rho, K, tr, s1,
 * s2, t0), which is what a seed expands to with tk_mldsa_keygen().
 *
 * Lengths are the caller's job: every function takes key buffers of exactly
 * tk_mldsa_pk_len() / tk_mldsa_sk_len() bytes, so a caller holding a byte
 * string of another length must reject it before calling in.
 *
 * Return values: TK_PQC_OK (0) on success, TK_PQC_EPARAM for an unknown set
 * or a context longer than 255 bytes, TK_PQC_EBADKEY for a malformed
 * private key, TK_PQC_EVERIFY for a signature that does not verify.
 *
 * Everything that touches the private key, the seed or rnd runs in time
 * that does not depend on them, with two exceptions by design: the
 * number of signing iterations [FIPS 204 §3.6.3], and which bytes the
 * s1/s2 sampler rejects in key generation (not the values it keeps).
 * tests/unit/crypto/pqc/mldsa_ct_test.c checks this under valgrind.
 *
 * No function allocates memory; signing uses about 54, 82 and 126 KiB of
 * stack for ML-DSA-44, -65 and -87, the key checks up to 46 KiB. All
 * functions are reentrant; none takes a lock.
 */
#ifndef TK_CRYPTO_PQC_MLDSA_H
#define TK_CRYPTO_PQC_MLDSA_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/pqc/keccak.h"
#include "crypto/pqc/pqc_err.h"

/* Parameter sets; the numbers are those of CKP_ML_DSA_44/65/87. */
typedef enum {
    TK_MLDSA_44 = 1,
    TK_MLDSA_65 = 2,
    TK_MLDSA_87 = 3
} tk_mldsa_set;

#define TK_MLDSA_SEED_LEN 32
#define TK_MLDSA_RND_LEN 32
#define TK_MLDSA_TR_LEN 64
#define TK_MLDSA_MU_LEN 64
#define TK_MLDSA_CTX_MAX 255

/* Sizes in bytes of a public key, private key and signature; 0 for an
 * unknown set. */
size_t
tk_mldsa_pk_len(tk_mldsa_set set);

size_t
tk_mldsa_sk_len(tk_mldsa_set set);

size_t
tk_mldsa_sig_len(tk_mldsa_set set);

/*
 * Key pair from the 32-byte seed xi [FIPS 204 Alg. 6]. Writes
 * tk_mldsa_pk_len(set) bytes to pk and tk_mldsa_sk_len(set) bytes to sk.
 * Constant time in xi. Returns TK_PQC_OK or TK_PQC_EPARAM (nothing
 * written).
 */
int
tk_mldsa_keygen(tk_mldsa_set set, const uint8_t xi[TK_MLDSA_SEED_LEN], uint8_t *pk,
                uint8_t *sk);

/*
 * Full consistency check of an imported expanded private key: s1 and s2
 * within [-eta, eta], t0 equal to the low bits of A*s1 + s2, tr equal to
 * H(pk) of the public key the private key implies, and, when pk is not
 * NULL, that public key equal to pk. Costs about one key generation.
 * Constant time in sk. Returns TK_PQC_OK, TK_PQC_EBADKEY or TK_PQC_EPARAM.
 */
int
tk_mldsa_check_sk(tk_mldsa_set set, const uint8_t *sk, const uint8_t *pk);

/*
 * Public key of an expanded private key: t1 recomputed from rho, s1, s2.
 * Checks only that s1 and s2 are in range (TK_PQC_EBADKEY otherwise, pk
 * untouched); tk_mldsa_check_sk() is the full check. Constant time in sk.
 */
int
tk_mldsa_pk_from_sk(tk_mldsa_set set, const uint8_t *sk, uint8_t *pk);

/* tr = H(pk, 64) [FIPS 204 Alg. 6 line 9]. Unknown set: tr zeroed. */
void
tk_mldsa_tr_from_pk(tk_mldsa_set set, const uint8_t *pk, uint8_t tr[TK_MLDSA_TR_LEN]);

/* Pointer to the 64-byte tr stored inside an expanded private key. */
const uint8_t *
tk_mldsa_sk_tr(tk_mldsa_set set, const uint8_t *sk);

/*
 * Incremental mu = H(tr || M', 64) [FIPS 204 Alg. 7 line 6, Alg. 8 line 7],
 * for multi-part signing and verification. The caller feeds M' in pieces:
 * either through tk_mldsa_mu_begin_pure() / _begin_prehash(), which absorb
 * the domain-separation prefix of [FIPS 204 Alg. 2, 4], then the message
 * (or its digest) with _update(); or through _init() and _update() for the
 * internal interface, where M' is given whole. The context holds no secret
 * unless the message is one; _final() wipes it.
 */
typedef struct {
    tk_keccak_ctx h;
} tk_mldsa_mu_ctx;

void
tk_mldsa_mu_init(tk_mldsa_mu_ctx *c, const uint8_t tr[TK_MLDSA_TR_LEN]);

void
tk_mldsa_mu_update(tk_mldsa_mu_ctx *c, const uint8_t *in, size_t len);

void
tk_mldsa_mu_final(tk_mldsa_mu_ctx *c, uint8_t mu[TK_MLDSA_MU_LEN]);

/* Absorbs tr, then 0x00 || len(ctx) || ctx; the message follows with
 * _update(). Returns TK_PQC_EPARAM (context untouched) when ctxlen > 255. */
int
tk_mldsa_mu_begin_pure(tk_mldsa_mu_ctx *c, const uint8_t tr[TK_MLDSA_TR_LEN],
                       const uint8_t *context, size_t ctxlen);

/* Absorbs tr, then 0x01 || len(ctx) || ctx || OID (DER, tag and length
 * included); the digest PH(M) follows with _update() [FIPS 204 Alg. 4].
 * Returns TK_PQC_EPARAM when ctxlen > 255 or the OID is empty. */
int
tk_mldsa_mu_begin_prehash(tk_mldsa_mu_ctx *c, const uint8_t tr[TK_MLDSA_TR_LEN],
                          const uint8_t *context, size_t ctxlen, const uint8_t *oid_der,
                          size_t oid_len);

/* Pre-hash functions that HashML-DSA allows [FIPS 204 §5.4]. */
typedef enum {
    TK_MLDSA_PH_SHA224 = 1,
    TK_MLDSA_PH_SHA256,
    TK_MLDSA_PH_SHA384,
    TK_MLDSA_PH_SHA512,
    TK_MLDSA_PH_SHA512_224,
    TK_MLDSA_PH_SHA512_256,
    TK_MLDSA_PH_SHA3_224,
    TK_MLDSA_PH_SHA3_256,
    TK_MLDSA_PH_SHA3_384,
    TK_MLDSA_PH_SHA3_512,
    TK_MLDSA_PH_SHAKE128,
    TK_MLDSA_PH_SHAKE256
} tk_mldsa_prehash;

/*
 * DER encoding of the hash's OID (tag 06, length, value: 11 bytes for all
 * of them) and the digest length PH(M) must have: the hash's own output
 * length, 32 bytes for SHAKE128 and 64 for SHAKE256 [FIPS 204 §5.4].
 * Returns TK_PQC_OK, or TK_PQC_EPARAM for an unknown hash (outputs
 * untouched). Either output pointer may be NULL.
 */
int
tk_mldsa_prehash_info(tk_mldsa_prehash ph, const uint8_t **oid_der, size_t *oid_len,
                      size_t *digest_len);

/*
 * ML-DSA.Sign_internal on mu [FIPS 204 Alg. 7]. rnd is 32 random bytes
 * (hedged) or 32 zero bytes (deterministic). Writes tk_mldsa_sig_len(set)
 * bytes to sig. Returns TK_PQC_OK, TK_PQC_EBADKEY when s1 or s2 are out of
 * range (sig wiped), or TK_PQC_EPARAM. Constant time in sk and rnd apart
 * from the iteration count.
 */
int
tk_mldsa_sign_mu(tk_mldsa_set set, const uint8_t *sk, const uint8_t mu[TK_MLDSA_MU_LEN],
                 const uint8_t rnd[TK_MLDSA_RND_LEN], uint8_t *sig);

/*
 * ML-DSA.Verify_internal on mu [FIPS 204 Alg. 8]. Returns TK_PQC_OK for a
 * valid signature, TK_PQC_EVERIFY otherwise (including siglen not equal to
 * tk_mldsa_sig_len(set)), TK_PQC_EPARAM for an unknown set.
 */
int
tk_mldsa_verify_mu(tk_mldsa_set set, const uint8_t *pk, const uint8_t mu[TK_MLDSA_MU_LEN],
                   const uint8_t *sig, size_t siglen);

/* One-shot pure ML-DSA.Sign [FIPS 204 Alg. 2] with its context string. */
int
tk_mldsa_sign(tk_mldsa_set set, const uint8_t *sk, const uint8_t *msg, size_t len,
              const uint8_t *context, size_t ctxlen, const uint8_t rnd[TK_MLDSA_RND_LEN],
              uint8_t *sig);

/* One-shot pure ML-DSA.Verify [FIPS 204 Alg. 3]; a context longer than
 * 255 bytes gives TK_PQC_EPARAM. */
int
tk_mldsa_verify(tk_mldsa_set set, const uint8_t *pk, const uint8_t *msg, size_t len,
                const uint8_t *context, size_t ctxlen, const uint8_t *sig, size_t siglen);

#endif
