/*
 * Private keys as PKCS#8 PrivateKeyInfo [RFC 5208, RFC 5958]: the form
 * C_WrapKey gives a private key and C_UnwrapKey reads back
 * [PKCS11 3.2 §2.1.4]. Any mechanism family that wraps private keys calls
 * these two functions.
 *
 *   RSA, EC on named curves, Ed25519, Ed448, X25519, X448: through the
 *     backend (src/crypto/ossl/pkcs8.h), as OpenSSL writes them.
 *   ML-KEM, ML-DSA, SLH-DSA: the NIST algorithm identifiers with no
 *     parameters; ML-KEM and ML-DSA keys carry the CHOICE of the IETF
 *     LAMPS profiles (seed [0], expandedKey OCTET STRING, or both in a
 *     SEQUENCE), SLH-DSA keys their 4n bytes SK.seed || SK.prf || PK.seed
 *     || PK.root as the privateKey octets themselves.
 *
 * Encodings hold key material: callers wipe them (tk_free_secret).
 */
#ifndef TK_MECH_KEYENC_H
#define TK_MECH_KEYENC_H

#include <stddef.h>
#include <stdint.h>

#include "mech/mech_internal.h"

/*
 * The PKCS#8 encoding of a private key object into *der (malloc()ed, the
 * caller's to wipe and free). ML-KEM and ML-DSA keys with a CKA_SEED are
 * written in the seed form, others in the expanded form. An RSA key
 * needs at least CKA_MODULUS, CKA_PUBLIC_EXPONENT and
 * CKA_PRIVATE_EXPONENT; without CRT values these are recovered from
 * the three, since RSAPrivateKey has no form without them.
 * Returns CKR_OK, CKR_KEY_NOT_WRAPPABLE (not a private key, a type or
 * curve with no encoding, missing or malformed values), CKR_HOST_MEMORY
 * or CKR_FUNCTION_FAILED. *der untouched on failure.
 */
CK_RV
tk_mech_key_to_pkcs8(const tk_key *key, uint8_t **der, size_t *len);

/*
 * Decode a PKCS#8 private key for C_UnwrapKey: cls and type are those the
 * caller's template (tmpl, n) names; the values the new object gets are
 * appended to out (the key material, CKA_PARAMETER_SET or CKA_EC_PARAMS,
 * and what tk_mech_complete_key() adds: an expanded PQC key from its seed,
 * CKA_PUBLIC_KEY_INFO of EC keys). Seed and expanded key given together
 * must agree.
 * Returns CKR_OK; CKR_TEMPLATE_INCONSISTENT when cls is not
 * CKO_PRIVATE_KEY, type is not the encoded algorithm's, or the template's
 * CKA_PARAMETER_SET / CKA_EC_PARAMS name another set or curve;
 * CKR_WRAPPED_KEY_INVALID for any malformed or inconsistent encoding;
 * CKR_HOST_MEMORY. out is unchanged on failure.
 */
CK_RV
tk_mech_key_from_pkcs8(const uint8_t *der, size_t len, CK_OBJECT_CLASS cls, CK_KEY_TYPE type,
                       const CK_ATTRIBUTE *tmpl, CK_ULONG n, tk_mech_attrs *out);

#endif
