/*
 * Elliptic curves: ECDSA and ECDH on short Weierstrass curves [FIPS 186-5,
 * SEC 1], EdDSA on Ed25519 and Ed448 [RFC 8032], X25519 and X448
 * [RFC 7748].
 *
 * A curve is named by tk_ec_curve; how PKCS#11 spells it (CKA_EC_PARAMS)
 * is the mechanism layer's business. Keys are opaque tk_ossl_ec_key
 * handles built from raw encodings:
 *   Weierstrass private: the scalar d, big-endian, exactly sizes->priv_len
 *     bytes; public: the uncompressed point 0x04 || X || Y.
 *   Edwards and Montgomery: the raw RFC 8032 / RFC 7748 strings.
 * Freeing a key wipes its private part (OpenSSL clears key memory).
 */
#ifndef TK_CRYPTO_OSSL_EC_H
#define TK_CRYPTO_OSSL_EC_H

#include <stddef.h>
#include <stdint.h>

#include "trustoken/pkcs11.h"

typedef enum {
    TK_EC_P256 = 0,
    TK_EC_P384,
    TK_EC_P521,
    TK_EC_SECP256K1,
    TK_EC_BP256R1,
    TK_EC_BP384R1,
    TK_EC_BP512R1,
    TK_EC_ED25519,
    TK_EC_ED448,
    TK_EC_X25519,
    TK_EC_X448,
    TK_EC_COUNT
} tk_ec_curve;

/* The longest encodings of any curve above, in bytes (P-521 and Ed448). */
#define TK_EC_MAX_PRIV 66
#define TK_EC_MAX_PUB 133
#define TK_EC_MAX_SIG 132
#define TK_EC_MAX_SECRET 66

typedef struct {
    size_t priv_len; /* private scalar or seed */
    size_t pub_len;  /* public key: uncompressed point or raw string */
    size_t sig_len;  /* signature (r || s, or R || S); 0: no signing */
    size_t secret_len; /* raw shared secret; 0: no key agreement */
} tk_ec_sizes;

typedef struct tk_ossl_ec_key tk_ossl_ec_key;

/* Sizes of curve (NULL outside the list). */
const tk_ec_sizes *
tk_ossl_ec_sizes(tk_ec_curve curve);

/*
 * A private key from priv (sizes->priv_len bytes). pub is the matching
 * public key or NULL; passing it spares a scalar multiplication, so it
 * must come from a trusted place (the token's own record): an Edwards
 * signature made with a wrong public key gives the private key away.
 * Without pub, a Weierstrass scalar is checked to lie in [1, n-1].
 * Returns CKR_OK, CKR_KEY_SIZE_RANGE (lengths), CKR_KEY_TYPE_INCONSISTENT
 * (a scalar out of range), CKR_HOST_MEMORY or CKR_FUNCTION_FAILED.
 * *out is set on success only. Thread safe.
 */
CK_RV
tk_ossl_ec_key_private(tk_ec_curve curve, const uint8_t *priv, size_t priv_len,
                       const uint8_t *pub, size_t pub_len, tk_ossl_ec_key **out);

/*
 * A public key from pub (sizes->pub_len bytes). A Weierstrass point must
 * lie on the curve (else on_invalid is returned); Edwards and Montgomery
 * strings are taken as they are. Thread safe.
 */
CK_RV
tk_ossl_ec_key_public(tk_ec_curve curve, const uint8_t *pub, size_t pub_len, CK_RV on_invalid,
                      tk_ossl_ec_key **out);

/*
 * A second handle on key's key material (reference counted, not copied),
 * with none of key's per-operation state: for an operation that must
 * outlive the object holding key. The material is read-only, so both
 * handles may be used by different threads at once. CKR_OK or
 * CKR_HOST_MEMORY.
 */
CK_RV
tk_ossl_ec_key_share(const tk_ossl_ec_key *key, tk_ossl_ec_key **out);

/* Free a key; NULL is fine. */
void
tk_ossl_ec_key_free(tk_ossl_ec_key *key);

/*
 * Generate a key pair: priv gets sizes->priv_len bytes, pub
 * sizes->pub_len bytes, spki (when not NULL) a freshly allocated
 * SubjectPublicKeyInfo DER that the caller frees (*spki_len its length).
 * CKR_OK, CKR_HOST_MEMORY or CKR_FUNCTION_FAILED (outputs wiped).
 */
CK_RV
tk_ossl_ec_generate(tk_ec_curve curve, uint8_t *priv, uint8_t *pub, uint8_t **spki,
                    size_t *spki_len);

/*
 * For a key imported with C_CreateObject: check a private key (as
 * tk_ossl_ec_key_private() without pub) and compute its public key into
 * pub (sizes->pub_len bytes), or check a public key (pub given, priv
 * NULL); either way *spki gets an allocated SubjectPublicKeyInfo the
 * caller frees. on_invalid for values the curve refuses; else CKR_OK,
 * CKR_HOST_MEMORY or CKR_FUNCTION_FAILED.
 */
CK_RV
tk_ossl_ec_complete(tk_ec_curve curve, const uint8_t *priv, size_t priv_len, uint8_t *pub,
                    CK_RV on_invalid, uint8_t **spki, size_t *spki_len);

/*
 * ECDSA over a caller's hash of any length (cut to the order's bit length
 * as FIPS 186 says). sig gets r || s, sizes->sig_len bytes. The key must
 * be private and Weierstrass. CKR_OK or CKR_FUNCTION_FAILED.
 */
CK_RV
tk_ossl_ecdsa_sign(tk_ossl_ec_key *key, const uint8_t *hash, size_t hash_len, uint8_t *sig);

/* Check r || s over hash; r and s may be shorter than the order's length
 * but must be of equal length. CKR_OK, CKR_SIGNATURE_LEN_RANGE (an odd or
 * too long signature) or CKR_SIGNATURE_INVALID. */
CK_RV
tk_ossl_ecdsa_verify(tk_ossl_ec_key *key, const uint8_t *hash, size_t hash_len,
                     const uint8_t *sig, size_t sig_len);

/* EdDSA variants: pure, with a context string, or prehashed. */
typedef struct {
    int prehash;
    const uint8_t *context; /* NULL when none */
    size_t context_len;     /* at most 255 */
} tk_eddsa_opts;

/* 1 when the library offers contexts and prehashing (OpenSSL 3.2 and
 * later); 0 when only pure Ed25519 and Ed448 without context work. */
int
tk_ossl_eddsa_has_variants(void);

/*
 * EdDSA signature of msg under an Edwards private key; sig gets
 * sizes->sig_len bytes. CKR_MECHANISM_PARAM_INVALID when opts asks for a
 * variant the library lacks; else CKR_OK or CKR_FUNCTION_FAILED.
 */
CK_RV
tk_ossl_eddsa_sign(tk_ossl_ec_key *key, const tk_eddsa_opts *opts, const uint8_t *msg,
                   size_t msg_len, uint8_t *sig);

/* Verify as above: CKR_OK, CKR_SIGNATURE_LEN_RANGE, CKR_SIGNATURE_INVALID. */
CK_RV
tk_ossl_eddsa_verify(tk_ossl_ec_key *key, const tk_eddsa_opts *opts, const uint8_t *msg,
                     size_t msg_len, const uint8_t *sig, size_t sig_len);

/*
 * Raw (EC)DH: secret gets sizes->secret_len bytes, the x coordinate or
 * the X25519/X448 output. cofactor asks for cofactor ECDH (the same on
 * the curves here, whose cofactor is 1). An all-zero Montgomery result
 * is refused. CKR_OK, on_invalid (a peer the curve refuses) or
 * CKR_FUNCTION_FAILED; secret wiped on failure.
 */
CK_RV
tk_ossl_ec_derive(tk_ossl_ec_key *priv, tk_ossl_ec_key *peer, int cofactor, CK_RV on_invalid,
                  uint8_t *secret);

#endif
