/*
 * PKCS#8 PrivateKeyInfo [RFC 5208, RFC 5958] of the classic key types:
 * RSA [RFC 8017 A.1.2], EC on named curves [RFC 5915], Ed25519, Ed448,
 * X25519 and X448 [RFC 8410]. Post-quantum keys are encoded above this
 * layer (src/mech/keyenc.c), since the backend may not know them.
 *
 * Keys cross this header as byte strings, never as backend types:
 *   RSA: the eight RSAPrivateKey integers, unsigned big-endian. A key
 *     given by n, e and d alone is written with its CRT values, which
 *     are recovered from those three; one read without them gives only
 *     n, e and d.
 *   EC: the private scalar, big-endian, exactly the curve's length.
 *   Edwards and Montgomery: the raw RFC 8032 / RFC 7748 private string.
 * Every encoding and every decoded part is secret: the caller wipes it
 * (tk_free_secret) when done.
 */
#ifndef TK_CRYPTO_OSSL_PKCS8_H
#define TK_CRYPTO_OSSL_PKCS8_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/ossl/ec.h"
#include "trustoken/pkcs11.h"

/* The parts of an RSA key, in RSAPrivateKey order. */
typedef enum {
    TK_P8_RSA_N = 0,
    TK_P8_RSA_E,
    TK_P8_RSA_D,
    TK_P8_RSA_P,
    TK_P8_RSA_Q,
    TK_P8_RSA_DP,
    TK_P8_RSA_DQ,
    TK_P8_RSA_QINV,
    TK_P8_PART_COUNT
} tk_p8_part;

/* Which kind of key. */
typedef enum {
    TK_P8_NONE = 0,
    TK_P8_RSA,
    TK_P8_EC /* every tk_ec_curve, Edwards and Montgomery included */
} tk_p8_kind;

/*
 * A key to encode (borrowed parts) or a decoded key (owned parts).
 * RSA uses part[TK_P8_RSA_*]; EC keys use part[0] only. A part with
 * len 0 is absent.
 */
typedef struct {
    tk_p8_kind kind;
    tk_ec_curve curve; /* TK_P8_EC only */
    uint8_t *part[TK_P8_PART_COUNT];
    size_t len[TK_P8_PART_COUNT];
} tk_p8_key;

/*
 * The DER PrivateKeyInfo of key into *der (malloc()ed, the caller's to
 * wipe and free). An RSA key needs n, e and d; p, q and the CRT values
 * all present or all absent (then recovered here). EC keys carry their public key, computed
 * here. CKR_OK, CKR_KEY_NOT_WRAPPABLE (parts missing or refused by the
 * backend), CKR_HOST_MEMORY or CKR_FUNCTION_FAILED; *der untouched on
 * failure. Thread safe.
 */
CK_RV
tk_ossl_pkcs8_encode(const tk_p8_key *key, uint8_t **der, size_t *len);

/*
 * Decode a DER PrivateKeyInfo of one of the classic kinds into *key,
 * whose parts are then malloc()ed (free them with tk_ossl_pkcs8_clear).
 * RSA keys without the CRT values give n, e and d only. A key the
 * backend cannot parse, of another algorithm or curve, with trailing
 * bytes, or an EC scalar out of range is CKR_WRAPPED_KEY_INVALID;
 * else CKR_OK, CKR_HOST_MEMORY. *key is left cleared on failure.
 */
CK_RV
tk_ossl_pkcs8_decode(const uint8_t *der, size_t len, tk_p8_key *key);

/* Wipe and free a decoded key's parts; the struct is zeroed. */
void
tk_ossl_pkcs8_clear(tk_p8_key *key);

#endif
