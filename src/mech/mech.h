/*
 * The mechanism layer: the table of what the token can do, and the
 * operations that do it. Everything here speaks PKCS#11 types only; the
 * cryptography itself is in src/crypto (OpenSSL behind src/crypto/ossl,
 * post-quantum code in src/crypto/pqc), whose types never appear here.
 *
 * Keys reach this layer as a tk_key: a borrowed, read-only view of a key
 * object's attributes that is valid only during the call it is passed to.
 * An operation copies what it needs into its own state at init, so the
 * object may change or vanish afterwards.
 *
 * Output buffers follow [PKCS11 3.2 §5.2]: a NULL output asks for the
 * length (CKR_OK, *out_len set), a short buffer gets CKR_BUFFER_TOO_SMALL
 * with *out_len set. The session layer keeps the operation alive after
 * those two answers and ends it after any other error or a finished
 * result; functions here never free an operation themselves.
 */
#ifndef TK_MECH_MECH_H
#define TK_MECH_MECH_H

#include <stddef.h>
#include <stdint.h>

#include "trustoken/pkcs11.h"

/* ---- keys ---- */

/*
 * A prepared backend key (an expanded AES key, an imported EVP key...)
 * kept with a key object so that each C_*Init need not rebuild it. A
 * family embeds this head first in its own struct. The cache is immutable
 * once installed and lives as long as the object; an operation that keeps
 * using it after its init must take its own reference, because the
 * object may be destroyed while the operation runs.
 */
typedef struct tk_key_cache tk_key_cache;

struct tk_key_cache {
    const void *owner;                    /* the family's tag */
    void (*free)(tk_key_cache *cache);    /* wipes and frees */
};

typedef struct {
    CK_OBJECT_CLASS cls;
    CK_KEY_TYPE type;
    const CK_ATTRIBUTE *attrs; /* the object's attributes, borrowed */
    CK_ULONG n;
    void **cache;              /* the object's cache slot, or NULL */
} tk_key;

/* The key's cache if owner installed it, else NULL. Thread safe. */
tk_key_cache *
tk_key_cache_get(const tk_key *key, const void *owner);

/*
 * Offer c as the key's cache. Returns the cache now installed: c, or one
 * another thread installed first (c is then freed). With no slot, or a
 * slot holding another family's cache, returns c and the caller keeps
 * ownership of it (check with tk_key_cache_owns()).
 */
tk_key_cache *
tk_key_cache_offer(const tk_key *key, tk_key_cache *c);

/* 1 when c is installed in the key's slot (the object owns it). */
int
tk_key_cache_owns(const tk_key *key, const tk_key_cache *c);

/* Free a cache slot's content; NULL is fine (object layer, on free). */
void
tk_key_cache_release(void *cache);

/* The attribute of type t, or NULL. */
const CK_ATTRIBUTE *
tk_key_attr(const tk_key *key, CK_ATTRIBUTE_TYPE t);

/* Attributes a mechanism produces (key generation, derivation, unwrap):
 * values are owned, wiped and freed by tk_mech_attrs_clear(). */
typedef struct {
    CK_ATTRIBUTE *v;
    CK_ULONG n;
    CK_ULONG cap;
} tk_mech_attrs;

/* Append a copy of value; CKR_HOST_MEMORY on failure. */
CK_RV
tk_mech_attrs_add(tk_mech_attrs *list, CK_ATTRIBUTE_TYPE type, const void *value,
                  CK_ULONG len);

CK_RV
tk_mech_attrs_add_ulong(tk_mech_attrs *list, CK_ATTRIBUTE_TYPE type, CK_ULONG value);

void
tk_mech_attrs_clear(tk_mech_attrs *list);

/* CK_ULONG/CK_BBOOL from a caller's template; dflt when absent; the
 * template value must have the right length (else CKR_ATTRIBUTE_VALUE_INVALID
 * through *rv when rv is non-NULL). */
CK_ULONG
tk_tmpl_ulong(const CK_ATTRIBUTE *tmpl, CK_ULONG n, CK_ATTRIBUTE_TYPE type, CK_ULONG dflt);

const CK_ATTRIBUTE *
tk_tmpl_find(const CK_ATTRIBUTE *tmpl, CK_ULONG n, CK_ATTRIBUTE_TYPE type);

/* ---- the table ---- */

/* Operation kinds; also the index of a session's operation slots. */
typedef enum {
    TK_OP_ENCRYPT = 0,
    TK_OP_DECRYPT,
    TK_OP_DIGEST,
    TK_OP_SIGN,
    TK_OP_VERIFY,
    TK_OP_SIGN_RECOVER,
    TK_OP_VERIFY_RECOVER,
    TK_OP_VERIFY_SIGNATURE, /* 3.2 C_VerifySignature*: signature at init */
    TK_OP_MSG_ENCRYPT,
    TK_OP_MSG_DECRYPT,
    TK_OP_MSG_SIGN,
    TK_OP_MSG_VERIFY,
    TK_OP_COUNT
} tk_op_kind;

/* The mechanism-info flag an operation kind needs (CKF_ENCRYPT, ...). */
CK_FLAGS
tk_op_kind_flag(tk_op_kind kind);

/* The key attribute an operation kind needs (CKA_ENCRYPT, ...). */
CK_ATTRIBUTE_TYPE
tk_op_kind_key_attr(tk_op_kind kind);

typedef struct tk_op tk_op;

/* What a mechanism family implements for one operation. An entry a
 * mechanism cannot do is NULL; the session layer then answers as the
 * specification says (for example a multi-part call on a mechanism that
 * is single-part only). */
typedef struct {
    /* Single part: C_Encrypt, C_Decrypt, C_Digest, C_Sign, C_SignRecover,
     * C_VerifyRecover. */
    CK_RV (*run)(tk_op *op, const uint8_t *in, CK_ULONG in_len, uint8_t *out,
                 CK_ULONG *out_len);
    /* Multi part: C_*Update; out/out_len are NULL for digest, sign and
     * verify updates. */
    CK_RV (*update)(tk_op *op, const uint8_t *in, CK_ULONG in_len, uint8_t *out,
                    CK_ULONG *out_len);
    /* C_*Final producing output (encrypt, decrypt, digest, sign). */
    CK_RV (*final)(tk_op *op, uint8_t *out, CK_ULONG *out_len);
    /* C_Verify (single part) and C_VerifyFinal: CKR_SIGNATURE_INVALID or
     * CKR_SIGNATURE_LEN_RANGE on a bad signature. */
    CK_RV (*verify)(tk_op *op, const uint8_t *data, CK_ULONG len, const uint8_t *sig,
                    CK_ULONG sig_len);
    CK_RV (*verify_final)(tk_op *op, const uint8_t *sig, CK_ULONG sig_len);
    /* C_GetOperationState / C_SetOperationState (digest, HMAC). */
    CK_RV (*get_state)(tk_op *op, uint8_t *out, CK_ULONG *out_len);
    CK_RV (*set_state)(tk_op *op, const uint8_t *in, CK_ULONG len);
    /* Message-based (3.0): one message with its parameter. */
    CK_RV (*msg_run)(tk_op *op, void *param, CK_ULONG param_len, const uint8_t *aad,
                     CK_ULONG aad_len, const uint8_t *in, CK_ULONG in_len, uint8_t *out,
                     CK_ULONG *out_len);
    CK_RV (*msg_begin)(tk_op *op, void *param, CK_ULONG param_len, const uint8_t *aad,
                       CK_ULONG aad_len);
    /* flags: CKF_END_OF_MESSAGE on the last part. */
    CK_RV (*msg_next)(tk_op *op, void *param, CK_ULONG param_len, const uint8_t *in,
                      CK_ULONG in_len, uint8_t *out, CK_ULONG *out_len, CK_FLAGS flags);
    /* Wipe and free everything, including op itself. */
    void (*free)(tk_op *op);
} tk_op_vtbl;

/* The head of every operation; families allocate a larger struct whose
 * first member is this. */
struct tk_op {
    const tk_op_vtbl *vt;
    tk_op_kind kind;
    CK_MECHANISM_TYPE mech;
    int started;              /* an update has happened (multi-part) */
    int unsaveable;           /* key bytes absorbed (C_DigestKey): the
                                 state would expose them */
    uint8_t *param;           /* saveable operations: a copy of the
                                 mechanism parameter, for the saved state */
    CK_ULONG param_len;
};

/*
 * Start an operation of kind with mechanism m and key (NULL for digests).
 * Checks, in this order: mechanism known (CKR_MECHANISM_INVALID), kind
 * supported by it (CKR_MECHANISM_INVALID), key class and type
 * (CKR_KEY_TYPE_INCONSISTENT), parameter (CKR_MECHANISM_PARAM_INVALID),
 * key size (CKR_KEY_SIZE_RANGE). Key usage attributes and
 * CKA_ALLOWED_MECHANISMS are the caller's (session layer) to check.
 */
CK_RV
tk_mech_op_init(tk_op_kind kind, const CK_MECHANISM *m, const tk_key *key, tk_op **out);

/* For C_VerifySignatureInit: as above, remembering the signature. */
CK_RV
tk_mech_verify_signature_init(const CK_MECHANISM *m, const tk_key *key, const uint8_t *sig,
                              CK_ULONG sig_len, tk_op **out);

/* End an operation (NULL is fine). */
void
tk_op_free(tk_op *op);

/* Settings from the configuration that shape the table. */
typedef struct {
    CK_ULONG rsa_min_bits; /* smallest RSA modulus made or used (>= 1024) */
} tk_mech_config;

/* Apply cfg; called by C_Initialize before any mechanism is used. */
void
tk_mech_configure(const tk_mech_config *cfg);

/* C_GetMechanismList: every mechanism that works. list may be NULL. */
CK_RV
tk_mech_list(CK_MECHANISM_TYPE *list, CK_ULONG *count);

/* C_GetMechanismInfo: CKR_MECHANISM_INVALID for unknown types. */
CK_RV
tk_mech_info(CK_MECHANISM_TYPE type, CK_MECHANISM_INFO *info);

/* ---- key management ---- */

/*
 * C_CreateObject of a key: fill in what the template leaves for the token
 * to compute and check what it gives. ML-KEM, ML-DSA and SLH-DSA private
 * keys given by their seed (CKA_SEED) get their expanded CKA_VALUE; given
 * both, they must agree (CKR_ATTRIBUTE_VALUE_INVALID). EC, Edwards and
 * Montgomery keys are checked (curve, point, scalar) and get
 * CKA_PUBLIC_KEY_INFO. Values to add are appended to out; other key types
 * add nothing and return CKR_OK.
 */
CK_RV
tk_mech_complete_key(CK_OBJECT_CLASS cls, CK_KEY_TYPE type, const CK_ATTRIBUTE *tmpl,
                     CK_ULONG n, tk_mech_attrs *out);

/*
 * C_GenerateKey: the values the new secret key gets from the mechanism
 * (CKA_VALUE, and CKA_VALUE_LEN, CKA_KEY_TYPE) appended to out; the caller
 * builds the object from tmpl plus out. *key_type receives the key type.
 */
CK_RV
tk_mech_generate_key(const CK_MECHANISM *m, const CK_ATTRIBUTE *tmpl, CK_ULONG n,
                     CK_KEY_TYPE *key_type, tk_mech_attrs *out);

/* C_GenerateKeyPair: public and private values, as above. */
CK_RV
tk_mech_generate_key_pair(const CK_MECHANISM *m, const CK_ATTRIBUTE *pub_tmpl, CK_ULONG n_pub,
                          const CK_ATTRIBUTE *priv_tmpl, CK_ULONG n_priv, CK_KEY_TYPE *key_type,
                          tk_mech_attrs *pub_out, tk_mech_attrs *priv_out);

/*
 * C_DeriveKey: the new key's values from base and the mechanism's
 * parameter; tmpl tells the wanted class, type and CKA_VALUE_LEN.
 */
CK_RV
tk_mech_derive(const CK_MECHANISM *m, const tk_key *base, const CK_ATTRIBUTE *tmpl, CK_ULONG n,
               tk_mech_attrs *out);

/* C_WrapKey: wrap key under wrapping; NULL out asks for the length. */
CK_RV
tk_mech_wrap(const CK_MECHANISM *m, const tk_key *wrapping, const tk_key *key, uint8_t *out,
             CK_ULONG *out_len);

/* C_UnwrapKey: the unwrapped key's values (class and type from tmpl). */
CK_RV
tk_mech_unwrap(const CK_MECHANISM *m, const tk_key *unwrapping, const uint8_t *in,
               CK_ULONG in_len, const CK_ATTRIBUTE *tmpl, CK_ULONG n, tk_mech_attrs *out);

/* C_EncapsulateKey: ciphertext (NULL ct asks for its length) and the new
 * key's values. */
CK_RV
tk_mech_encapsulate(const CK_MECHANISM *m, const tk_key *pub, const CK_ATTRIBUTE *tmpl,
                    CK_ULONG n, uint8_t *ct, CK_ULONG *ct_len, tk_mech_attrs *out);

/* C_DecapsulateKey: the new key's values. */
CK_RV
tk_mech_decapsulate(const CK_MECHANISM *m, const tk_key *priv, const CK_ATTRIBUTE *tmpl,
                    CK_ULONG n, const uint8_t *ct, CK_ULONG ct_len, tk_mech_attrs *out);

#endif
