/*
 * RSA [RFC 8017]: key loading and generation, and one-shot operations
 * with raw, PKCS #1 v1.5, PSS and OAEP encodings.
 *
 * Numbers cross this interface as unsigned big-endian byte strings, the
 * way PKCS #11 stores them (leading zero bytes allowed). A key is a
 * tk_ossl_pkey (pkey.h); an operation is a tk_ossl_rsa context set up
 * once for one direction and one encoding, then used for any number of
 * calls by one thread at a time. No OpenSSL type appears here.
 */
#ifndef TK_CRYPTO_OSSL_RSA_H
#define TK_CRYPTO_OSSL_RSA_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/ossl/md.h"
#include "crypto/ossl/pkey.h"
#include "trustoken/pkcs11.h"

/* The largest modulus the backend loads or makes, in bits. */
#define TK_RSA_BACKEND_MAX_BITS 16384

/* Key components, in the order of [PKCS11 3.2 §6.1.3]. */
typedef enum {
    TK_RSA_N = 0,
    TK_RSA_E,
    TK_RSA_D,
    TK_RSA_P,
    TK_RSA_Q,
    TK_RSA_DP,
    TK_RSA_DQ,
    TK_RSA_QINV,
    TK_RSA_PART_COUNT
} tk_rsa_part;

/* One big-endian number, borrowed; len 0 means absent. */
typedef struct {
    const uint8_t *v;
    size_t len;
} tk_rsa_num;

/*
 * Load a key. A public key needs N and E. A private key (priv nonzero)
 * needs N, E and D; with P and Q the missing CRT values (DP, DQ, QINV)
 * are computed, without them the key takes the slower n, d path.
 * The values are copied; the caller keeps ownership of its buffers.
 * Returns CKR_OK, CKR_KEY_TYPE_INCONSISTENT (a needed component missing
 * or a modulus above TK_RSA_BACKEND_MAX_BITS), CKR_HOST_MEMORY or
 * CKR_FUNCTION_FAILED. Free *out with tk_ossl_pkey_free().
 */
CK_RV
tk_ossl_rsa_key_new(const tk_rsa_num parts[TK_RSA_PART_COUNT], int priv, tk_ossl_pkey **out);

/*
 * Generate a key pair of bits bits and public exponent e (big-endian,
 * odd, above 1). CKR_TEMPLATE_INCONSISTENT when the library refuses e,
 * CKR_HOST_MEMORY, CKR_FUNCTION_FAILED. Free *out with
 * tk_ossl_pkey_free(). Slow: seconds for 4096 bits and more.
 */
CK_RV
tk_ossl_rsa_generate(size_t bits, const uint8_t *e, size_t e_len, tk_ossl_pkey **out);

/*
 * Component which of key as a minimal big-endian string in a malloc()ed
 * buffer the caller owns and must release with tk_free_secret(): D, P,
 * Q, DP, DQ and QINV are secrets. CKR_FUNCTION_FAILED when the key does
 * not hold the component; CKR_HOST_MEMORY.
 */
CK_RV
tk_ossl_rsa_export(const tk_ossl_pkey *key, tk_rsa_part which, uint8_t **v, size_t *len);

/* ---- operations ---- */

typedef enum {
    TK_RSA_PAD_RAW = 0, /* RSADP/RSAEP alone (CKM_RSA_X_509) */
    TK_RSA_PAD_PKCS1,   /* PKCS #1 v1.5: block type 1 to sign, 2 to encrypt */
    TK_RSA_PAD_PSS,
    TK_RSA_PAD_OAEP
} tk_rsa_pad;

typedef enum {
    TK_RSA_SIGN = 0,
    TK_RSA_VERIFY,
    TK_RSA_VERIFY_RECOVER,
    TK_RSA_ENCRYPT,
    TK_RSA_DECRYPT
} tk_rsa_dir;

/* How an operation encodes its data. */
typedef struct {
    tk_rsa_pad pad;
    /* PKCS1 signatures: the hash whose DigestInfo the backend builds
     * around the input, or TK_MD_COUNT when the input already is a
     * DigestInfo. PSS and OAEP: the encoding's hash. */
    tk_md_id md;
    tk_md_id mgf_md;        /* PSS and OAEP: the MGF1 hash */
    size_t salt_len;        /* PSS */
    const uint8_t *label;   /* OAEP; copied; NULL when label_len is 0 */
    size_t label_len;
} tk_rsa_scheme;

typedef struct tk_ossl_rsa tk_ossl_rsa;

/*
 * A context for dir with key and scheme s. The context takes its own
 * reference to key, so the caller may free its reference at once.
 * CKR_OK, CKR_MECHANISM_PARAM_INVALID (a hash the library lacks),
 * CKR_HOST_MEMORY, CKR_FUNCTION_FAILED. Free with tk_ossl_rsa_free().
 */
CK_RV
tk_ossl_rsa_new(tk_ossl_pkey *key, tk_rsa_dir dir, const tk_rsa_scheme *s, tk_ossl_rsa **out);

/* Wipe and free c; NULL is fine. */
void
tk_ossl_rsa_free(tk_ossl_rsa *c);

/* k: the modulus length in bytes, the length of every signature and
 * ciphertext. */
size_t
tk_ossl_rsa_len(const tk_ossl_rsa *c);

/*
 * Sign in (a DigestInfo, a hash or raw data, by the scheme; raw data is
 * taken as a number, at most k bytes) into out, which holds k bytes;
 * exactly k are written. CKR_DATA_INVALID when raw data is not below
 * the modulus, CKR_DATA_LEN_RANGE when in is too long for the encoding,
 * CKR_FUNCTION_FAILED. out is left untouched on failure.
 */
CK_RV
tk_ossl_rsa_sign(tk_ossl_rsa *c, const uint8_t *in, size_t in_len, uint8_t *out);

/*
 * Check sig (k bytes) over data (DigestInfo, hash or raw, as for
 * signing). CKR_OK, CKR_SIGNATURE_LEN_RANGE (sig not k bytes),
 * CKR_SIGNATURE_INVALID (every other mismatch), CKR_FUNCTION_FAILED.
 */
CK_RV
tk_ossl_rsa_verify(tk_ossl_rsa *c, const uint8_t *data, size_t len, const uint8_t *sig,
                   size_t sig_len);

/*
 * Recover the data of sig (RAW: all k bytes; PKCS1: what follows the
 * block type 1 padding). *out_len holds out's size and receives the
 * data's length; CKR_BUFFER_TOO_SMALL (nothing written) when it does not
 * fit. CKR_SIGNATURE_LEN_RANGE, CKR_SIGNATURE_INVALID.
 */
CK_RV
tk_ossl_rsa_verify_recover(tk_ossl_rsa *c, const uint8_t *sig, size_t sig_len, uint8_t *out,
                           size_t *out_len);

/*
 * Encrypt in into out (k bytes written). CKR_DATA_LEN_RANGE when in is
 * too long for the encoding, CKR_DATA_INVALID (RAW: not below the
 * modulus), CKR_FUNCTION_FAILED (a key the library cannot use).
 */
CK_RV
tk_ossl_rsa_encrypt(tk_ossl_rsa *c, const uint8_t *in, size_t in_len, uint8_t *out);

/*
 * Decrypt in (k bytes). *out_len holds out's size and receives the
 * plaintext's length; CKR_BUFFER_TOO_SMALL (nothing written) when it
 * does not fit. CKR_ENCRYPTED_DATA_LEN_RANGE when in is not k bytes;
 * every other failure, whatever its cause, is CKR_ENCRYPTED_DATA_INVALID
 * and writes nothing. The PKCS #1 v1.5 and OAEP padding checks run in
 * time independent of the padding's content; only the final verdict and,
 * on success, the plaintext length become visible.
 */
CK_RV
tk_ossl_rsa_decrypt(tk_ossl_rsa *c, const uint8_t *in, size_t in_len, uint8_t *out,
                    size_t *out_len);

/*
 * Constant-time PKCS #1 v1.5 type 2 unpadding of em (k bytes): all-ones
 * when em is 00 02 PS 00 M with at least 8 nonzero PS bytes, else 0.
 * *msg_off receives M's offset in em (meaningful only when valid). Time
 * depends on k only. Exposed for the unit tests.
 */
uint64_t
tk_ossl_rsa_pkcs1_unpad_ct(const uint8_t *em, size_t k, size_t *msg_off);

#endif
