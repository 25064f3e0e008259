/*
 * The key-derivation family's shared pieces: kdf.c holds the table and
 * CKM_HKDF_KEY_GEN, kdf_hkdf.c HKDF [PKCS11 3.2 §6.62], kdf_pbkdf2.c
 * PBKDF2 [PKCS11 3.2 §6.37], kdf_sp800.c the SP 800-108 counter and
 * feedback modes [PKCS11 3.2 §6.42].
 */
#ifndef TK_MECH_KDF_INTERNAL_H
#define TK_MECH_KDF_INTERNAL_H

#include "crypto/ossl/md.h"
#include "mech/mech_internal.h"

/* The longest output any of these produce on one call: 255 blocks of
 * HKDF-SHA-512 [RFC 5869 §2.3]. Longer requests are refused. */
#define TK_KDF_MAX_OUT (255 * TK_MD_MAX_SIZE)

/*
 * The digest of a hash mechanism (CKM_SHA_1, CKM_SHA256, CKM_SHA3_256...).
 * CKR_MECHANISM_PARAM_INVALID for anything else: the hash always comes
 * from a mechanism parameter.
 */
CK_RV
tk_kdf_hash_md(CK_MECHANISM_TYPE hash, tk_md_id *md);

/*
 * The value of a secret key used as the base of a derivation: its class
 * must be CKO_SECRET_KEY and its type one of the n in types, else
 * CKR_KEY_TYPE_INCONSISTENT; an empty value gives CKR_KEY_SIZE_RANGE.
 * *val is borrowed from key.
 */
CK_RV
tk_kdf_base_value(const tk_key *key, const CK_KEY_TYPE *types, size_t n, const uint8_t **val,
                  CK_ULONG *len);

/*
 * The length of the secret key tmpl asks for: CKA_VALUE_LEN, or the one
 * size its key type has (ChaCha20). CKR_TEMPLATE_INCOMPLETE when neither
 * says; CKR_ATTRIBUTE_VALUE_INVALID for a malformed value, 0, or more
 * than max bytes.
 */
CK_RV
tk_kdf_want_len(const CK_ATTRIBUTE *tmpl, CK_ULONG n, CK_ULONG max, CK_ULONG *len);

/*
 * Append the values of a derived object to out: CKA_CLASS cls, CKA_VALUE
 * and, for a secret key, CKA_VALUE_LEN, and CKA_KEY_TYPE generic secret
 * when tmpl names no type. The object layer refuses a template that
 * contradicts them.
 */
CK_RV
tk_kdf_out(const CK_ATTRIBUTE *tmpl, CK_ULONG n, CK_OBJECT_CLASS cls, const uint8_t *val,
           CK_ULONG len, tk_mech_attrs *out);

/* CKM_HKDF_DERIVE and CKM_HKDF_DATA (kdf_hkdf.c). */
CK_RV
tk_kdf_hkdf_derive(const tk_mech_desc *d, const CK_MECHANISM *m, const tk_key *base,
                   const CK_ATTRIBUTE *tmpl, CK_ULONG n, tk_mech_attrs *out);

/* CKM_PKCS5_PBKD2 through C_GenerateKey (kdf_pbkdf2.c). */
CK_RV
tk_kdf_pbkdf2_generate(const tk_mech_desc *d, const CK_MECHANISM *m, const CK_ATTRIBUTE *tmpl,
                       CK_ULONG n, CK_KEY_TYPE *key_type, tk_mech_attrs *out);

/* CKM_SP800_108_COUNTER_KDF and CKM_SP800_108_FEEDBACK_KDF (kdf_sp800.c). */
CK_RV
tk_kdf_sp800_derive(const tk_mech_desc *d, const CK_MECHANISM *m, const tk_key *base,
                    const CK_ATTRIBUTE *tmpl, CK_ULONG n, tk_mech_attrs *out);

#endif
