/*
 * SLH-DSA, the stateless hash-based signature [FIPS 205], all twelve
 * parameter sets, in portable C.
 *
 * Keys and signatures are the byte strings of FIPS 205: sk = SK.seed ||
 * SK.prf || PK.seed || PK.root (4n bytes), pk = PK.seed || PK.root (2n).
 * Every function is reentrant: no global state, no allocation, no lock.
 * Output buffers belong to the caller and must hold the sizes given by the
 * length functions; on failure they are left untouched or wiped. An input
 * pointer may be NULL when its length is 0 (message, context, M' piece).
 *
 * Timing: SK.seed and SK.prf drive no branch and no memory index. What
 * does drive them is public: the message digest picks the FORS leaves,
 * the hypertree path and the WOTS+ chain lengths, and all of these are
 * readable from the signature itself. Stack copies of secret material
 * (seeds, PRF outputs, WOTS+ chain values, FORS secrets, hash blocks that
 * held them) are wiped before each function returns.
 *
 * Return values: TK_PQC_OK (0) on success, TK_PQC_EPARAM for an unknown
 * parameter set or a bad argument (context longer than 255 bytes, unknown
 * hash OID, digest of the wrong length), TK_PQC_EVERIFY when a signature
 * does not verify, TK_PQC_EBADKEY when tk_slhdsa_check_sk() finds an
 * inconsistent key.
 */
#ifndef TK_CRYPTO_PQC_SLHDSA_H
#define TK_CRYPTO_PQC_SLHDSA_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/pqc/pqc_err.h"

/* The values equal the CKP_SLH_DSA_* parameter set constants. */
typedef enum {
    TK_SLHDSA_SHA2_128S = 1,
    TK_SLHDSA_SHAKE_128S,
    TK_SLHDSA_SHA2_128F,
    TK_SLHDSA_SHAKE_128F,
    TK_SLHDSA_SHA2_192S,
    TK_SLHDSA_SHAKE_192S,
    TK_SLHDSA_SHA2_192F,
    TK_SLHDSA_SHAKE_192F,
    TK_SLHDSA_SHA2_256S,
    TK_SLHDSA_SHAKE_256S,
    TK_SLHDSA_SHA2_256F,
    TK_SLHDSA_SHAKE_256F
} tk_slhdsa_set;

/* Largest sizes over all sets, for callers that size buffers statically. */
#define TK_SLHDSA_MAX_N 32
#define TK_SLHDSA_MAX_PK_LEN 64
#define TK_SLHDSA_MAX_SK_LEN 128
#define TK_SLHDSA_MAX_SIG_LEN 49856

/* Security parameter n in bytes (16, 24 or 32); 0 for an unknown set. */
size_t
tk_slhdsa_n(tk_slhdsa_set set);

/* Public key length 2n; 0 for an unknown set. */
size_t
tk_slhdsa_pk_len(tk_slhdsa_set set);

/* Private key length 4n; 0 for an unknown set. */
size_t
tk_slhdsa_sk_len(tk_slhdsa_set set);

/* Signature length [FIPS 205 Table 2]; 0 for an unknown set. */
size_t
tk_slhdsa_sig_len(tk_slhdsa_set set);

/*
 * Key generation from seeds [FIPS 205 Alg. 18]. sk_seed, sk_prf and
 * pk_seed are n bytes each, drawn by the caller from an approved RNG.
 * Writes sk (4n bytes) and pk (2n bytes).
 */
int
tk_slhdsa_keygen(tk_slhdsa_set set, const uint8_t *sk_seed, const uint8_t *sk_prf,
                 const uint8_t *pk_seed, uint8_t *sk, uint8_t *pk);

/*
 * Internal signing [FIPS 205 Alg. 19] of M' given as nparts pieces
 * mparts[i] of mlens[i] bytes, hashed as their concatenation (so a caller
 * passes prefix, context and message without copying). addrnd is n bytes
 * of fresh randomness for hedged signing, or NULL for the deterministic
 * variant (PK.seed takes its place). Writes tk_slhdsa_sig_len() bytes.
 * The top hypertree root is checked against PK.root in sk: on mismatch
 * (corrupt key or a fault while signing) sig is wiped and
 * TK_PQC_EBADKEY returned, so no faulty signature leaves.
 */
int
tk_slhdsa_sign_internal(tk_slhdsa_set set, const uint8_t *sk, const uint8_t *const *mparts,
                        const size_t *mlens, size_t nparts, const uint8_t *addrnd, uint8_t *sig);

/*
 * Internal verification [FIPS 205 Alg. 20] of M' in pieces as above.
 * Returns TK_PQC_OK when sig (siglen bytes) is valid, TK_PQC_EVERIFY
 * otherwise (wrong length included), TK_PQC_EPARAM for an unknown set.
 */
int
tk_slhdsa_verify_internal(tk_slhdsa_set set, const uint8_t *pk, const uint8_t *const *mparts,
                          const size_t *mlens, size_t nparts, const uint8_t *sig, size_t siglen);

/*
 * Pure signing [FIPS 205 Alg. 22]: M' = 0x00 || len(ctx) || ctx || msg.
 * ctxlen at most 255, else TK_PQC_EPARAM. addrnd as for sign_internal.
 */
int
tk_slhdsa_sign(tk_slhdsa_set set, const uint8_t *sk, const uint8_t *msg, size_t msglen,
               const uint8_t *ctx, size_t ctxlen, const uint8_t *addrnd, uint8_t *sig);

/* Pure verification [FIPS 205 Alg. 24]; returns as verify_internal. */
int
tk_slhdsa_verify(tk_slhdsa_set set, const uint8_t *pk, const uint8_t *msg, size_t msglen,
                 const uint8_t *ctx, size_t ctxlen, const uint8_t *sig, size_t siglen);

/*
 * Pre-hash signing [FIPS 205 Alg. 23]: M' = 0x01 || len(ctx) || ctx ||
 * OID || PH(M). The caller hashes the message; oid is the DER encoding of
 * the hash's object identifier (06 09 60 86 48 01 65 03 04 02 xx, one of
 * SHA-224/256/384/512, SHA-512/224, SHA-512/256, SHA3-224/256/384/512,
 * SHAKE128 (32-byte output), SHAKE256 (64-byte output)) and digest its
 * output. An unknown OID or a digest of the wrong length gives
 * TK_PQC_EPARAM.
 */
int
tk_slhdsa_sign_prehash(tk_slhdsa_set set, const uint8_t *sk, const uint8_t *oid, size_t oidlen,
                       const uint8_t *digest, size_t digestlen, const uint8_t *ctx,
                       size_t ctxlen, const uint8_t *addrnd, uint8_t *sig);

/* Pre-hash verification [FIPS 205 Alg. 25]; returns as verify_internal. */
int
tk_slhdsa_verify_prehash(tk_slhdsa_set set, const uint8_t *pk, const uint8_t *oid,
                         size_t oidlen, const uint8_t *digest, size_t digestlen,
                         const uint8_t *ctx, size_t ctxlen, const uint8_t *sig, size_t siglen);

/*
 * Recompute the top XMSS tree from SK.seed and PK.seed and compare its
 * root with the PK.root stored in sk (4n bytes). As costly as keygen.
 * TK_PQC_OK when they match, TK_PQC_EBADKEY otherwise.
 */
int
tk_slhdsa_check_sk(tk_slhdsa_set set, const uint8_t *sk);

#endif
