/*
 * Shared parts of the cipher family (cipher.c, cipher_block.c,
 * cipher_aead.c, cipher_msg.c, cipher_wrap.c): AES and ChaCha20-Poly1305.
 */
#ifndef TK_MECH_CIPHER_INTERNAL_H
#define TK_MECH_CIPHER_INTERNAL_H

#include "crypto/ossl/cipher.h"
#include "mech/mech_internal.h"

/* What a descriptor's arg says about its mechanism. */
typedef enum {
    TK_CM_ECB = 0,
    TK_CM_CBC,
    TK_CM_CBC_PAD,
    TK_CM_CTR,
    TK_CM_CTS,
    TK_CM_GCM,
    TK_CM_CCM,
    TK_CM_CHACHA_POLY,
    TK_CM_KW,
    TK_CM_KWP,
    TK_CM_KEYGEN,
    TK_CM_DERIVE_ECB,
    TK_CM_DERIVE_CBC
} tk_cmode;

typedef struct {
    tk_cmode mode;
    CK_KEY_TYPE key_type; /* CKK_AES or CKK_CHACHA20 */
} tk_cipher_arg;

/* The arg of descriptor d. */
static inline const tk_cipher_arg *
tk_cipher_arg_of(const tk_mech_desc *d)
{
    return (const tk_cipher_arg *)d->arg;
}

/*
 * The value of a secret key of type `type` (CKR_KEY_TYPE_INCONSISTENT for
 * another class or type, or a key without a value). *val is borrowed from
 * key. The size check is separate (tk_cipher_key_size) because the
 * parameter is checked between the two.
 */
CK_RV
tk_cipher_key(const tk_key *key, CK_KEY_TYPE type, const uint8_t **val, CK_ULONG *len);

/* CKR_KEY_SIZE_RANGE unless len is a size d supports. */
CK_RV
tk_cipher_key_size(const tk_mech_desc *d, CK_ULONG len);

/*
 * [PKCS11 3.2 §5.2] output rules for need bytes: returns 1 when out has
 * room and the caller goes on; else 0 with *rv set (CKR_OK for a length
 * query, CKR_BUFFER_TOO_SMALL) and *out_len = need.
 */
int
tk_cipher_room(const uint8_t *out, CK_ULONG *out_len, CK_ULONG need, CK_RV *rv);

/*
 * Append len bytes of in to a held buffer: *buf has *buf_len bytes in use
 * of *buf_cap. A full buffer is replaced by one of twice the size (256
 * bytes at first); the old copy is wiped and freed. enc (1 encrypt, 0
 * decrypt) picks the length-range error for a total that overflows.
 * Returns CKR_OK, CKR_HOST_MEMORY or that error; on failure nothing
 * changes. Not constant time in len.
 */
CK_RV
tk_cipher_hold(uint8_t **buf, size_t *buf_len, size_t *buf_cap, const uint8_t *in, size_t len,
               int enc);

/* The length-range error of an encrypt (1) or decrypt (0) operation. */
static inline CK_RV
tk_cipher_len_err(int enc)
{
    return enc ? CKR_DATA_LEN_RANGE : CKR_ENCRYPTED_DATA_LEN_RANGE;
}

/*
 * Ended single-part AEAD operations kept with a secret key object, with
 * their keyed contexts, for its next operations (cipher_cache.c). Thread
 * safe; no lock is held on return.
 */
typedef struct tk_cipher_cache tk_cipher_cache;

/*
 * The key's entry with a reference for the caller, made empty at the
 * key's first use. NULL when the key has no cache slot, its slot holds
 * another family's cache, or memory ran out: the caller then works
 * without (tk_cipher_cache_take and _put accept NULL). The caller holds
 * the token lock, as during any op_init.
 */
tk_cipher_cache *
tk_cipher_cache_hold(const tk_key *key);

/*
 * An idle operation for (mode, enc) left in c, or NULL (also for a NULL
 * c). It is the caller's alone; its context is keyed with c's key.
 */
tk_op *
tk_cipher_cache_take(tk_cipher_cache *c, tk_cipher_mode mode, int enc);

/*
 * Hand back op (NULL is fine), an ended operation emptied of its
 * caller's data and keyed for (mode, enc) with c's key: kept when c has room, else
 * destroyed. Then drops the caller's reference to c, which may free c;
 * c may be NULL.
 */
void
tk_cipher_cache_put(tk_cipher_cache *c, tk_cipher_mode mode, int enc, tk_op *op);

/* Wipe and free an idle single-part AEAD operation and its context
 * (cipher_aead.c); NULL is fine. */
void
tk_cipher_aead_destroy(tk_op *op);

/* Operations of ECB, CBC, CBC-PAD, CTR and CTS (cipher_block.c). */
CK_RV
tk_cipher_block_init(const tk_mech_desc *d, tk_op_kind kind, const CK_MECHANISM *m,
                     const tk_key *key, tk_op **out);

/* Single- and multi-part GCM, CCM and ChaCha20-Poly1305 (cipher_aead.c). */
CK_RV
tk_cipher_aead_init(const tk_mech_desc *d, tk_op_kind kind, const CK_MECHANISM *m,
                    const tk_key *key, tk_op **out);

/* Message-based GCM, CCM and ChaCha20-Poly1305 (cipher_msg.c). */
CK_RV
tk_cipher_msg_init(const tk_mech_desc *d, tk_op_kind kind, const CK_MECHANISM *m,
                   const tk_key *key, tk_op **out);

/* AES key wrap as C_Encrypt/C_Decrypt (cipher_wrap.c). */
CK_RV
tk_cipher_kw_init(const tk_mech_desc *d, tk_op_kind kind, const CK_MECHANISM *m,
                  const tk_key *key, tk_op **out);

/* C_WrapKey / C_UnwrapKey with KW, KWP and CBC-PAD (cipher_wrap.c). */
CK_RV
tk_cipher_wrap(const tk_mech_desc *d, const CK_MECHANISM *m, const tk_key *wrapping,
               const tk_key *key, uint8_t *out, CK_ULONG *out_len);

CK_RV
tk_cipher_unwrap(const tk_mech_desc *d, const CK_MECHANISM *m, const tk_key *unwrapping,
                 const uint8_t *in, CK_ULONG in_len, const CK_ATTRIBUTE *tmpl, CK_ULONG n,
                 tk_mech_attrs *out);

/* CKM_AES_ECB_ENCRYPT_DATA and CKM_AES_CBC_ENCRYPT_DATA (cipher_wrap.c). */
CK_RV
tk_cipher_derive(const tk_mech_desc *d, const CK_MECHANISM *m, const tk_key *base,
                 const CK_ATTRIBUTE *tmpl, CK_ULONG n, tk_mech_attrs *out);

/*
 * One CBC-PAD pass over a whole input with a fresh CBC context: used by
 * the wrap and derive hooks. Encrypting writes len rounded up to the next
 * block (always adding one); decrypting checks and strips the padding in
 * constant time (CKR_ENCRYPTED_DATA_INVALID). out needs len + 16 bytes;
 * *out_len receives the length written.
 */
CK_RV
tk_cipher_cbc_pad_oneshot(int enc, const uint8_t *key, size_t key_len, const uint8_t *iv,
                          const uint8_t *in, size_t len, uint8_t *out, size_t *out_len);

/*
 * Remove PKCS#7 padding from the last block: returns the number of
 * plaintext bytes in it (0..15) and sets *ok to 1 or 0. Constant time.
 */
size_t
tk_cipher_ct_unpad(const uint8_t blk[TK_AES_BLOCK], int *ok);

#endif
