/*
 * What the elliptic-curve mechanism files share (ec.c, ec_keys.c,
 * ec_params.c): the PKCS#11 spelling of each curve and the decoding of
 * the attributes that carry curves, points and scalars [PKCS11 3.2 §6.3].
 */
#ifndef TK_MECH_EC_INTERNAL_H
#define TK_MECH_EC_INTERNAL_H

#include "crypto/ossl/ec.h"
#include "mech/mech_internal.h"

typedef struct {
    tk_ec_curve curve;
    CK_KEY_TYPE key_type;  /* CKK_EC, CKK_EC_EDWARDS or CKK_EC_MONTGOMERY */
    CK_ULONG bits;         /* the size C_GetMechanismInfo counts */
    const uint8_t *oid;    /* DER of the OBJECT IDENTIFIER, tag included */
    size_t oid_len;
    const char *names[3];  /* PrintableString forms; unused entries NULL */
} tk_ec_curve_info;

/*
 * The curve a CKA_EC_PARAMS value names: the DER of a named curve's OID or
 * a DER PrintableString with the curve's name. NULL for anything else
 * (explicit parameters, unknown curves, trailing bytes).
 */
const tk_ec_curve_info *
tk_ec_curve_from_params(const uint8_t *p, size_t len);

/*
 * 1 when p is a well-formed named curve (an OBJECT IDENTIFIER or a
 * PrintableString, short form length, nothing trailing) whether known or
 * not: an unknown one is CKR_CURVE_NOT_SUPPORTED, anything else (explicit
 * parameters, implicitlyCA, garbage) CKR_DOMAIN_PARAMS_INVALID
 * [PKCS11 3.2 §6.3].
 */
int
tk_ec_params_named(const uint8_t *p, size_t len);

/*
 * The curve of key: its CKA_EC_PARAMS must name a known curve
 * (CKR_KEY_SIZE_RANGE otherwise) whose key type is the key's
 * (CKR_KEY_TYPE_INCONSISTENT otherwise).
 */
CK_RV
tk_ec_key_curve(const tk_key *key, const tk_ec_curve_info **out);

/*
 * The raw public key inside in: either the raw encoding itself or a DER
 * OCTET STRING around it, told apart by exact length (the DER form is two
 * or three bytes longer), never by a leading byte. *raw points into in.
 * on_bad when in is neither.
 */
CK_RV
tk_ec_point_unwrap(const tk_ec_curve_info *ci, const uint8_t *in, size_t len, CK_RV on_bad,
                   const uint8_t **raw);

/* DER OCTET STRING of a raw public key into out (pub_len + 3 bytes room);
 * returns the length written. */
size_t
tk_ec_point_der(const uint8_t *raw, size_t raw_len, uint8_t *out);

/*
 * A backend key from a key object: a private key (CKA_VALUE, and the
 * public key from CKA_PUBLIC_KEY_INFO when the token recorded one) or a
 * public key (CKA_EC_POINT). CKR_KEY_SIZE_RANGE for values of the wrong
 * length, CKR_KEY_TYPE_INCONSISTENT for values the curve refuses.
 */
CK_RV
tk_ec_load_key(const tk_ec_curve_info *ci, const tk_key *key, tk_ossl_ec_key **out);

/*
 * C_CreateObject of an EC, Edwards or Montgomery key (mech.h's
 * tk_mech_complete_key; ec_keys.c): the curve must be known
 * (CKR_CURVE_NOT_SUPPORTED) and well formed (CKR_DOMAIN_PARAMS_INVALID),
 * the key type the curve's (CKR_CURVE_NOT_SUPPORTED), the point on the
 * curve or the scalar in range (CKR_ATTRIBUTE_VALUE_INVALID). Appends
 * CKA_PUBLIC_KEY_INFO, computed by the token, so that a private key's
 * operations need not recompute the public key. A template with
 * CKA_EC_PARAMS but without the key's value: CKR_TEMPLATE_INCOMPLETE.
 * Other key types, or no CKA_EC_PARAMS (the object layer refuses that):
 * CKR_OK, nothing added.
 */
CK_RV
tk_mech_ec_complete_key(CK_OBJECT_CLASS cls, CK_KEY_TYPE type, const CK_ATTRIBUTE *tmpl,
                        CK_ULONG n, tk_mech_attrs *out);

/* Key management hooks of the family's table (ec_keys.c). */
CK_RV
tk_ec_generate_pair(const tk_mech_desc *d, const CK_MECHANISM *m, const CK_ATTRIBUTE *pub_tmpl,
                    CK_ULONG n_pub, const CK_ATTRIBUTE *priv_tmpl, CK_ULONG n_priv,
                    CK_KEY_TYPE *key_type, tk_mech_attrs *pub_out, tk_mech_attrs *priv_out);

CK_RV
tk_ec_derive(const tk_mech_desc *d, const CK_MECHANISM *m, const tk_key *base,
             const CK_ATTRIBUTE *tmpl, CK_ULONG n, tk_mech_attrs *out);

/*
 * EdDSA with a context or prehash (ec_eddsa_ext.c): Ed25519ctx, Ed25519ph,
 * Ed448 with a context and Ed448ph, which OpenSSL 3.0 lacks, on our own
 * code (src/crypto/ed). _load copies the key out of the object (the seed
 * of a private key, the raw point of a public one): CKR_KEY_SIZE_RANGE
 * for a seed of the wrong length, CKR_KEY_TYPE_INCONSISTENT for a point
 * off the curve or a curve that is not Edwards. _sign writes the curve's
 * signature length; _verify answers CKR_OK, CKR_SIGNATURE_LEN_RANGE or
 * CKR_SIGNATURE_INVALID. _free wipes; NULL is fine.
 */
typedef struct tk_ec_eddsa_ext tk_ec_eddsa_ext;

CK_RV
tk_ec_eddsa_ext_load(const tk_ec_curve_info *ci, const tk_key *key, tk_ec_eddsa_ext **out);

CK_RV
tk_ec_eddsa_ext_sign(const tk_ec_eddsa_ext *x, const tk_eddsa_opts *opts, const uint8_t *msg,
                     size_t len, uint8_t *sig);

CK_RV
tk_ec_eddsa_ext_verify(const tk_ec_eddsa_ext *x, const tk_eddsa_opts *opts, const uint8_t *msg,
                       size_t len, const uint8_t *sig, size_t sig_len);

void
tk_ec_eddsa_ext_free(tk_ec_eddsa_ext *x);

/* CK_MECHANISM_INFO flags of the Weierstrass mechanisms [PKCS11 3.2 §6.3.1]. */
#define TK_EC_FLAGS (CKF_EC_F_P | CKF_EC_OID | CKF_EC_CURVENAME | CKF_EC_UNCOMPRESS)
/* and of the Edwards and Montgomery ones, whose curves are named only. */
#define TK_ECX_FLAGS (CKF_EC_OID | CKF_EC_CURVENAME)

/* Key sizes in bits [PKCS11 3.2 §6.3]. */
#define TK_EC_MIN_BITS 256
#define TK_EC_MAX_BITS 521
#define TK_ECX_MIN_BITS 255
#define TK_ECX_MAX_BITS 448

#endif
