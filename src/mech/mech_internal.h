/*
 * The mechanism table's entries and the family tables that fill it. Each
 * family (digest.c, mac.c, cipher.c, rsa.c, ec.c, kdf.c, pqc.c) defines
 * one array of descriptors; table.c joins them.
 */
#ifndef TK_MECH_MECH_INTERNAL_H
#define TK_MECH_MECH_INTERNAL_H

#include "crypto/ossl/md.h"
#include "mech/mech.h"

typedef struct tk_mech_desc tk_mech_desc;

struct tk_mech_desc {
    CK_MECHANISM_TYPE type;
    CK_ULONG min_key;   /* [PKCS11 3.2 §6]: bytes for AES/HMAC, bits for RSA/EC */
    CK_ULONG max_key;
    CK_FLAGS flags;     /* CKF_ENCRYPT, CKF_SIGN, CKF_GENERATE, ... */

    /* Start an operation of kind (one whose flag is in flags). */
    CK_RV (*op_init)(const tk_mech_desc *d, tk_op_kind kind, const CK_MECHANISM *m,
                     const tk_key *key, tk_op **out);
    /* Key management; NULL where the mechanism does not do it. */
    CK_RV (*generate)(const tk_mech_desc *d, const CK_MECHANISM *m, const CK_ATTRIBUTE *tmpl,
                      CK_ULONG n, CK_KEY_TYPE *key_type, tk_mech_attrs *out);
    CK_RV (*generate_pair)(const tk_mech_desc *d, const CK_MECHANISM *m,
                           const CK_ATTRIBUTE *pub_tmpl, CK_ULONG n_pub,
                           const CK_ATTRIBUTE *priv_tmpl, CK_ULONG n_priv, CK_KEY_TYPE *key_type,
                           tk_mech_attrs *pub_out, tk_mech_attrs *priv_out);
    CK_RV (*derive)(const tk_mech_desc *d, const CK_MECHANISM *m, const tk_key *base,
                    const CK_ATTRIBUTE *tmpl, CK_ULONG n, tk_mech_attrs *out);
    CK_RV (*wrap)(const tk_mech_desc *d, const CK_MECHANISM *m, const tk_key *wrapping,
                  const tk_key *key, uint8_t *out, CK_ULONG *out_len);
    CK_RV (*unwrap)(const tk_mech_desc *d, const CK_MECHANISM *m, const tk_key *unwrapping,
                    const uint8_t *in, CK_ULONG in_len, const CK_ATTRIBUTE *tmpl, CK_ULONG n,
                    tk_mech_attrs *out);
    CK_RV (*encapsulate)(const tk_mech_desc *d, const CK_MECHANISM *m, const tk_key *pub,
                         const CK_ATTRIBUTE *tmpl, CK_ULONG n, uint8_t *ct, CK_ULONG *ct_len,
                         tk_mech_attrs *out);
    CK_RV (*decapsulate)(const tk_mech_desc *d, const CK_MECHANISM *m, const tk_key *priv,
                         const CK_ATTRIBUTE *tmpl, CK_ULONG n, const uint8_t *ct,
                         CK_ULONG ct_len, tk_mech_attrs *out);
    /* Family-private data for this entry (a digest id, a mode, ...). */
    const void *arg;
};

/* A family's table. */
typedef struct {
    const tk_mech_desc *v;
    size_t n;
} tk_mech_family;

/* One per family file; each returns its table (possibly empty). */
tk_mech_family
tk_mech_family_digest(void);
tk_mech_family
tk_mech_family_mac(void);
tk_mech_family
tk_mech_family_cipher(void);
tk_mech_family
tk_mech_family_rsa(void);
tk_mech_family
tk_mech_family_ec(void);
tk_mech_family
tk_mech_family_kdf(void);
tk_mech_family
tk_mech_family_pqc(void);

/* The digest of a hash mechanism (CKM_SHA256, ...), from the digest table:
 * 1 and *md set, or 0 when mech is not one of its hashes. The one map from
 * hash mechanisms to digests, for families whose parameters name a hash. */
int
tk_mech_digest_md(CK_MECHANISM_TYPE mech, tk_md_id *md);

/* The post-quantum family's part of tk_mech_complete_key (pqc.c). */
CK_RV
tk_mech_pqc_complete_key(CK_OBJECT_CLASS cls, CK_KEY_TYPE type, const CK_ATTRIBUTE *tmpl,
                         CK_ULONG n, tk_mech_attrs *out);

/* The elliptic-curve family's part of tk_mech_complete_key (ec_keys.c). */
CK_RV
tk_mech_ec_complete_key(CK_OBJECT_CLASS cls, CK_KEY_TYPE type, const CK_ATTRIBUTE *tmpl,
                        CK_ULONG n, tk_mech_attrs *out);

/* Set the RSA family's smallest modulus (rsa.c); see tk_mech_configure. */
void
tk_mech_rsa_configure(CK_ULONG min_bits);

/* The descriptor of type, or NULL. */
const tk_mech_desc *
tk_mech_find(CK_MECHANISM_TYPE type);

/* Allocate an operation of size bytes (>= sizeof(tk_op)), zeroed, with
 * its head filled in. */
CK_RV
tk_op_alloc(size_t size, const tk_op_vtbl *vt, tk_op_kind kind, CK_MECHANISM_TYPE mech,
            tk_op **out);

/* Wipe size bytes of op and free it: the usual vt->free body's last step. */
void
tk_op_release(tk_op *op, size_t size);

#endif
