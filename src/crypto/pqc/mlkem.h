/*
 * ML-KEM, the module-lattice key-encapsulation mechanism [FIPS 203], in
 * portable constant-time C for the three parameter sets.
 *
 * Keys and ciphertexts are the byte strings of FIPS 203: the encapsulation
 * key ek, the decapsulation key dk (dk_PKE || ek || H(ek) || z) and the
 * ciphertext c. Their lengths are fixed per parameter set and are given by
 * the *_len() functions below; every buffer passed in must have exactly that
 * length. Checking a length that came from outside is the caller's job.
 *
 * Constant time: no branch, memory index, loop bound or division depends on
 * d, z, m, dk_PKE or any secret derived from them (rho, derived from d, is
 * public: it is part of ek, and SampleNTT rejects on it). Decapsulation
 * decides between the real and the implicit-rejection key with a masked
 * select. The checks on ek (§7.2) and on H(ek) in dk (§7.3) branch, but
 * only on public data. All intermediate secrets are wiped before return.
 *
 * No function here allocates memory or keeps state; all are thread-safe.
 * The caller owns every buffer. The stack use is below 16 KiB.
 */
#ifndef TK_CRYPTO_PQC_MLKEM_H
#define TK_CRYPTO_PQC_MLKEM_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/pqc/pqc_err.h"

/* Parameter sets; the numbers equal CKP_ML_KEM_512/768/1024. */
typedef enum {
    TK_MLKEM_512 = 1,
    TK_MLKEM_768 = 2,
    TK_MLKEM_1024 = 3
} tk_mlkem_set;

/* Length of the shared secret K, all sets. */
#define TK_MLKEM_SS_LEN 32
/* Length of the key-generation seed d || z, all sets. */
#define TK_MLKEM_SEED_LEN 64

/* Largest sizes over all sets, for callers that size buffers statically. */
#define TK_MLKEM_EK_MAX 1568
#define TK_MLKEM_DK_MAX 3168
#define TK_MLKEM_CT_MAX 1568

/* Length in bytes of ek (800/1184/1568); 0 for an unknown set. */
size_t
tk_mlkem_ek_len(tk_mlkem_set set);

/* Length in bytes of dk (1632/2400/3168); 0 for an unknown set. */
size_t
tk_mlkem_dk_len(tk_mlkem_set set);

/* Length in bytes of the ciphertext (768/1088/1568); 0 for an unknown set. */
size_t
tk_mlkem_ct_len(tk_mlkem_set set);

/*
 * Deterministic key generation, ML-KEM.KeyGen_internal [FIPS 203 Alg. 16].
 * d and z are 32 random bytes each (the 64-byte seed is d || z).
 * Writes ek_len(set) bytes to ek and dk_len(set) bytes to dk.
 * Returns TK_PQC_OK, or TK_PQC_EPARAM for an unknown set (nothing written).
 * Constant time in d and z.
 */
int
tk_mlkem_keygen(tk_mlkem_set set, const uint8_t d[32], const uint8_t z[32], uint8_t *ek,
                uint8_t *dk);

/*
 * Deterministic encapsulation, ML-KEM.Encaps_internal [FIPS 203 Alg. 17].
 * m is 32 random bytes. Writes ct_len(set) bytes to ct and the shared
 * secret to ss.
 * Returns TK_PQC_OK; TK_PQC_EBADKEY if ek fails the modulus check of
 * [FIPS 203 §7.2]; TK_PQC_EPARAM for an unknown set. On error ct and ss
 * are left untouched. Constant time in m (ek is public).
 */
int
tk_mlkem_encaps(tk_mlkem_set set, const uint8_t *ek, const uint8_t m[32], uint8_t *ct,
                uint8_t ss[32]);

/*
 * Decapsulation, ML-KEM.Decaps_internal [FIPS 203 Alg. 18], with implicit
 * rejection: a ciphertext that does not re-encrypt to itself yields
 * J(z || c) instead of an error.
 * Returns TK_PQC_OK; TK_PQC_EBADKEY if dk fails the hash check of
 * [FIPS 203 §7.3]; TK_PQC_EPARAM for an unknown set. On error ss is left
 * untouched. Constant time in dk and in whether c was valid.
 */
int
tk_mlkem_decaps(tk_mlkem_set set, const uint8_t *dk, const uint8_t *ct, uint8_t ss[32]);

/*
 * Encapsulation-key check [FIPS 203 §7.2]: every 12-bit coefficient of ek
 * is below q. Returns TK_PQC_OK, TK_PQC_EBADKEY or TK_PQC_EPARAM.
 */
int
tk_mlkem_check_ek(tk_mlkem_set set, const uint8_t *ek);

/*
 * Decapsulation-key check [FIPS 203 §7.3]: the H(ek) stored in dk matches
 * the ek stored in dk. Returns TK_PQC_OK, TK_PQC_EBADKEY or TK_PQC_EPARAM.
 */
int
tk_mlkem_check_dk(tk_mlkem_set set, const uint8_t *dk);

/*
 * Expanded keys, for callers that use one key many times. Expanding does
 * once what every Encaps or Decaps otherwise repeats from the bytes of the
 * key: sampling the matrix A_hat (k^2 SHAKE-128 streams), decoding t_hat
 * and s_hat, and hashing ek. Results are bit-identical to tk_mlkem_encaps()
 * and tk_mlkem_decaps(). The structures are caller-owned, about 10 and
 * 12 KiB, hold no pointers and may be copied; their contents are private.
 * A tk_mlkem_dkx holds the secret s_hat and z: wipe it with tk_wipe() when
 * done. Constant-time properties are those of the functions above.
 */
#define TK_MLKEM_EKX_BYTES 10272 /* (4*4 + 4) * 512 + 32, for ML-KEM-1024 */
#define TK_MLKEM_DKX_BYTES 12352 /* TK_MLKEM_EKX_BYTES + 4 * 512 + 32 */

typedef struct {
    tk_mlkem_set set;
    uint64_t w[TK_MLKEM_EKX_BYTES / 8];
} tk_mlkem_ekx;

typedef struct {
    tk_mlkem_set set;
    uint64_t w[TK_MLKEM_DKX_BYTES / 8];
} tk_mlkem_dkx;

/* Expand ek after the modulus check [FIPS 203 §7.2]. Returns TK_PQC_OK,
 * TK_PQC_EBADKEY or TK_PQC_EPARAM; x is undefined on error. */
int
tk_mlkem_ekx_init(tk_mlkem_set set, const uint8_t *ek, tk_mlkem_ekx *x);

/* tk_mlkem_encaps() with an expanded key. Returns TK_PQC_OK, or
 * TK_PQC_EPARAM when x was not initialised by tk_mlkem_ekx_init(). */
int
tk_mlkem_encaps_ekx(const tk_mlkem_ekx *x, const uint8_t m[32], uint8_t *ct, uint8_t ss[32]);

/* Expand dk after the hash check [FIPS 203 §7.3]. Returns TK_PQC_OK,
 * TK_PQC_EBADKEY or TK_PQC_EPARAM; x is undefined on error. */
int
tk_mlkem_dkx_init(tk_mlkem_set set, const uint8_t *dk, tk_mlkem_dkx *x);

/* tk_mlkem_decaps() with an expanded key; ct is ct_len(x->set) bytes.
 * Returns TK_PQC_OK, or TK_PQC_EPARAM for an uninitialised x. */
int
tk_mlkem_decaps_dkx(const tk_mlkem_dkx *x, const uint8_t *ct, uint8_t ss[32]);

#endif
