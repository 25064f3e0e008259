/*
 * The RSA family's files share this: rsa.c (the table, parameters and
 * operation init), rsa_ops.c (the operations) and rsa_keys.c (key pair
 * generation, wrapping and unwrapping).
 */
#ifndef TK_MECH_RSA_INTERNAL_H
#define TK_MECH_RSA_INTERNAL_H

#include "crypto/ossl/md.h"
#include "crypto/ossl/rsa.h"
#include "mech/mech_internal.h"

/*
 * The smallest modulus the token makes or uses, in bits, until the
 * configuration's rsa_min_bits changes it (never below TK_RSA_FLOOR_BITS);
 * C_GetMechanismInfo reports the value in force.
 */
#define TK_RSA_MIN_BITS 2048
#define TK_RSA_FLOOR_BITS 1024
#define TK_RSA_MAX_BITS 8192

/* What a table entry's arg says about its mechanism. */
typedef struct {
    tk_rsa_pad pad;
    tk_md_id md; /* hash-and-sign: the message hash; else TK_MD_COUNT */
} tk_rsa_mech;

/* A mechanism's parsed parameter and what it implies for lengths. */
typedef struct {
    tk_rsa_scheme s;
    size_t hash_len; /* PSS and OAEP: hLen; else 0 */
} tk_rsa_params;

/*
 * Parse m's parameter for the entry d (exact structure size, known
 * hashes and MGFs, CKZ_DATA_SPECIFIED): CKR_OK or
 * CKR_MECHANISM_PARAM_INVALID. Borrowed pointers (the OAEP label) stay
 * valid only as long as m.
 */
CK_RV
tk_rsa_parse_params(const tk_mech_desc *d, const CK_MECHANISM *m, tk_rsa_params *p);

/*
 * Check that a key of nbits bits can carry p's encoding (PSS salt and
 * OAEP hash sizes, [PKCS11 3.2 §6.1.8, §6.1.11]): CKR_OK or
 * CKR_MECHANISM_PARAM_INVALID.
 */
CK_RV
tk_rsa_params_fit(const tk_rsa_params *p, size_t nbits);

/* Modulus length in bits of an RSA key view (0 without CKA_MODULUS). */
size_t
tk_rsa_key_bits(const tk_key *key);

/*
 * Build the backend key from the view's attributes; priv selects the
 * private components. CKR_KEY_TYPE_INCONSISTENT when a needed component
 * is missing, CKR_HOST_MEMORY, CKR_FUNCTION_FAILED.
 */
CK_RV
tk_rsa_key_load(const tk_key *key, int priv, tk_ossl_pkey **out);

/* ---- rsa_cache.c: what a key object keeps between operations ---- */

typedef struct tk_rsa_cache tk_rsa_cache;

/*
 * The backend key of an object: from its cache slot when this family
 * filled it, else loaded (as tk_rsa_key_load()) and offered to the slot.
 * *out is a reference of the caller's own (tk_ossl_pkey_free()); *cache
 * a held reference to the object's entry (tk_rsa_cache_drop()), or NULL
 * when the object has no slot for this family. A key object's class
 * decides priv, so one object never needs both forms. The caller holds
 * the token lock (the object cannot vanish meanwhile).
 */
CK_RV
tk_rsa_key_get(const tk_key *key, int priv, tk_ossl_pkey **out, tk_rsa_cache **cache);

/* Take or give back one reference; the last one frees the entry. Drop
 * accepts NULL. Thread safe. */
void
tk_rsa_cache_hold(tk_rsa_cache *c);

void
tk_rsa_cache_drop(tk_rsa_cache *c);

/*
 * An idle operation of the entry that matches kind, m and p, reset and
 * holding a new reference to c; NULL when there is none (or c is NULL).
 * Thread safe.
 */
tk_op *
tk_rsa_cache_take(tk_rsa_cache *c, tk_op_kind kind, const CK_MECHANISM *m,
                  const tk_rsa_params *p);

/* Keep a finished operation for reuse: 1 when kept (the entry owns it
 * now), 0 when the idle list is full. Thread safe. */
int
tk_rsa_cache_give(tk_rsa_cache *c, tk_op *op);

/* ---- rsa_ops.c ---- */

/*
 * Start an operation of kind on a loaded key. The operation takes what it
 * needs from key (the caller still frees its reference) and a reference
 * to cache when it is not NULL, to go back there when it ends.
 */
CK_RV
tk_rsa_op_start(const tk_mech_desc *d, tk_op_kind kind, const CK_MECHANISM *m,
                const tk_rsa_params *p, tk_ossl_pkey *key, tk_rsa_cache *cache, tk_op **out);

/* 1 when the idle operation op does kind with m and p exactly. */
int
tk_rsa_op_matches(const tk_op *op, tk_op_kind kind, CK_MECHANISM_TYPE mech,
                  const tk_rsa_params *p);

/* Make an idle operation new again (its hash restarted). */
CK_RV
tk_rsa_op_reset(tk_op *op);

/* Free an operation for good (not through the cache). */
void
tk_rsa_op_destroy(tk_op *op);

/* The longest input of a single-part encryption, raw or PKCS #1 v1.5
 * signature, for modulus length k: CKR_DATA_LEN_RANGE above it. */
size_t
tk_rsa_max_input(const tk_rsa_params *p, size_t k);

/* The longest plaintext decryption can give (the [PKCS11 3.2 §5.2] length
 * answer when the output buffer is NULL). */
size_t
tk_rsa_max_plain(const tk_rsa_params *p, size_t k);

/* rsa_keys.c: the table hooks. */
CK_RV
tk_rsa_generate_pair(const tk_mech_desc *d, const CK_MECHANISM *m, const CK_ATTRIBUTE *pub_tmpl,
                     CK_ULONG n_pub, const CK_ATTRIBUTE *priv_tmpl, CK_ULONG n_priv,
                     CK_KEY_TYPE *key_type, tk_mech_attrs *pub_out, tk_mech_attrs *priv_out);

CK_RV
tk_rsa_wrap(const tk_mech_desc *d, const CK_MECHANISM *m, const tk_key *wrapping,
            const tk_key *key, uint8_t *out, CK_ULONG *out_len);

CK_RV
tk_rsa_unwrap(const tk_mech_desc *d, const CK_MECHANISM *m, const tk_key *unwrapping,
              const uint8_t *in, CK_ULONG in_len, const CK_ATTRIBUTE *tmpl, CK_ULONG n,
              tk_mech_attrs *out);

#endif
