/*
 * The post-quantum family's shared parts: ML-KEM [FIPS 203], ML-DSA
 * [FIPS 204] and SLH-DSA [FIPS 205] as PKCS#11 mechanisms
 * [PKCS11 3.2 §6.67 and the ML-KEM and SLH-DSA sections].
 *
 *   pqc.c       the table, key lookup helpers, tk_mech_pqc_complete_key()
 *   pqc_keys.c  key pair generation and the checks of imported keys
 *   pqc_kem.c   CKM_ML_KEM: C_EncapsulateKey / C_DecapsulateKey
 *   pqc_sig.c   signatures: pure, pre-hash given, pre-hash on the token
 *   pqc_hash.c  the pre-hash functions (SHA-2, SHA-3, SHAKE)
 *
 * Parameter set numbers equal the CKP_ values and the tk_*_set values of
 * src/crypto/pqc, so they pass through unchanged.
 */
#ifndef TK_MECH_PQC_INTERNAL_H
#define TK_MECH_PQC_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/ossl/md.h"
#include "crypto/pqc/keccak.h"
#include "crypto/pqc/mldsa.h"
#include "mech/mech_internal.h"

/* The three algorithms, by key type. */
typedef enum {
    TK_PQC_MLKEM = 1,
    TK_PQC_MLDSA,
    TK_PQC_SLHDSA
} tk_pqc_alg;

/* Byte lengths of one parameter set's objects; zero where none. */
typedef struct {
    size_t pub;   /* ek or pk */
    size_t priv;  /* dk or sk */
    size_t seed;  /* CKA_SEED: d || z, xi; 0 for SLH-DSA */
    size_t out;   /* ciphertext or signature */
} tk_pqc_sizes;

/* The key type of alg (CKK_ML_KEM, ...). */
CK_KEY_TYPE
tk_pqc_key_type(tk_pqc_alg alg);

/* Sizes of set; 0 when set is not one of alg's (sz then zeroed). */
int
tk_pqc_sizes_of(tk_pqc_alg alg, CK_ULONG set, tk_pqc_sizes *sz);

/*
 * The parameter set and CKA_VALUE of a key of class cls and alg's type.
 * *value is borrowed from key. CKR_KEY_TYPE_INCONSISTENT for another
 * class or type; a missing or malformed set or value gives the same,
 * since the object layer refuses such objects at creation.
 */
CK_RV
tk_pqc_key_value(const tk_key *key, CK_OBJECT_CLASS cls, tk_pqc_alg alg, CK_ULONG *set,
                 const uint8_t **value);

/* Key pair generation, all three algorithms (pqc_keys.c); d->arg is a
 * const tk_pqc_alg *. */
CK_RV
tk_pqc_generate_pair(const tk_mech_desc *d, const CK_MECHANISM *m, const CK_ATTRIBUTE *pub_tmpl,
                     CK_ULONG n_pub, const CK_ATTRIBUTE *priv_tmpl, CK_ULONG n_priv,
                     CK_KEY_TYPE *key_type, tk_mech_attrs *pub_out, tk_mech_attrs *priv_out);

/* tk_mech_pqc_complete_key() for one algorithm (pqc_keys.c). */
CK_RV
tk_pqc_complete(CK_OBJECT_CLASS cls, tk_pqc_alg alg, const CK_ATTRIBUTE *tmpl, CK_ULONG n,
                tk_mech_attrs *out);

/* CKM_ML_KEM (pqc_kem.c); see mech_internal.h for the hooks. */
CK_RV
tk_pqc_encapsulate(const tk_mech_desc *d, const CK_MECHANISM *m, const tk_key *pub,
                   const CK_ATTRIBUTE *tmpl, CK_ULONG n, uint8_t *ct, CK_ULONG *ct_len,
                   tk_mech_attrs *out);

CK_RV
tk_pqc_decapsulate(const tk_mech_desc *d, const CK_MECHANISM *m, const tk_key *priv,
                   const CK_ATTRIBUTE *tmpl, CK_ULONG n, const uint8_t *ct, CK_ULONG ct_len,
                   tk_mech_attrs *out);

/* How a signature mechanism treats its input (d->arg of pqc_sig.c). */
typedef enum {
    TK_PQC_PURE = 1,     /* CKM_ML_DSA, CKM_SLH_DSA: the message */
    TK_PQC_PH_GIVEN,     /* CKM_HASH_ML_DSA, CKM_HASH_SLH_DSA: PH(M) */
    TK_PQC_PH_TOKEN      /* CKM_HASH_*_<hash>: the token hashes M */
} tk_pqc_sig_mode;

typedef struct {
    tk_pqc_alg alg;             /* TK_PQC_MLDSA or TK_PQC_SLHDSA */
    tk_pqc_sig_mode mode;
    tk_mldsa_prehash ph;        /* TK_PQC_PH_TOKEN only */
} tk_pqc_sig_info;

/* Sign and verify operations (pqc_sig.c). */
CK_RV
tk_pqc_sig_op_init(const tk_mech_desc *d, tk_op_kind kind, const CK_MECHANISM *m,
                   const tk_key *key, tk_op **out);

/* ---- pre-hash functions (pqc_hash.c) ---- */

/* One running PH(M): SHA-2 and SHA-3 through crypto/ossl/md.h, SHAKE
 * through our own Keccak (the digest API has no XOF). */
typedef struct {
    tk_mldsa_prehash ph;
    tk_ossl_md_ctx *md;   /* NULL for SHAKE */
    tk_keccak_ctx xof;
} tk_pqc_hash;

/* The pre-hash a CK_HASH_SIGN_ADDITIONAL_CONTEXT.hash names; 0 when it
 * names none that FIPS 204 / 205 allow. SHAKE128 and SHAKE256 are named
 * by CKM_SHAKE_128_KEY_DERIVATION / CKM_SHAKE_256_KEY_DERIVATION, the
 * only SHAKE mechanism numbers PKCS #11 defines. */
tk_mldsa_prehash
tk_pqc_hash_from_mech(CK_MECHANISM_TYPE hash);

/* Start PH(M). CKR_OK, CKR_HOST_MEMORY, CKR_MECHANISM_INVALID. */
CK_RV
tk_pqc_hash_begin(tk_pqc_hash *h, tk_mldsa_prehash ph);

CK_RV
tk_pqc_hash_update(tk_pqc_hash *h, const uint8_t *in, size_t len);

/* Write the digest (its length from tk_mldsa_prehash_info()) to out. */
CK_RV
tk_pqc_hash_final(tk_pqc_hash *h, uint8_t *out);

/* Release; the struct may be zeroed or half set up. */
void
tk_pqc_hash_free(tk_pqc_hash *h);

#endif
