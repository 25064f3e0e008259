/*
 * The core: library state, slots, tokens, sessions and login.
 *
 * src/api checks the caller's pointers and lengths (NULL where the
 * specification forbids it -> CKR_ARGUMENTS_BAD) and then calls exactly one
 * function here. Every function here:
 *  - returns CKR_CRYPTOKI_NOT_INITIALIZED before C_Initialize, after
 *    C_Finalize, and in a forked child that has not called C_Initialize;
 *  - takes the locks it needs itself (callers hold none);
 *  - validates handles (CKR_SLOT_ID_INVALID, CKR_SESSION_HANDLE_INVALID,
 *    CKR_OBJECT_HANDLE_INVALID) and states (login, read-only) itself;
 *  - for output buffers follows [PKCS11 3.2 §5.2]: a NULL buffer asks for
 *    the length (CKR_OK), a short one gets CKR_BUFFER_TOO_SMALL.
 * Pointers that api has checked are non-NULL unless documented otherwise.
 */
#ifndef TK_CORE_CORE_H
#define TK_CORE_CORE_H

#include "mech/mech.h"
#include "trustoken/pkcs11.h"

/* ---- library ---- */

/* 1 when C_Initialize has run in this process (and not C_Finalize). */
int
tk_core_is_initialized(void);

/* args may be NULL; api has checked pReserved and the callback rule. */
CK_RV
tk_core_initialize(const CK_C_INITIALIZE_ARGS *args);

CK_RV
tk_core_finalize(void);

CK_RV
tk_core_get_info(CK_INFO *info);

/* ---- slots and tokens ---- */

/* list may be NULL (length query). */
CK_RV
tk_core_get_slot_list(CK_BBOOL token_present, CK_SLOT_ID *list, CK_ULONG *count);

CK_RV
tk_core_get_slot_info(CK_SLOT_ID slot, CK_SLOT_INFO *info);

CK_RV
tk_core_get_token_info(CK_SLOT_ID slot, CK_TOKEN_INFO *info);

/* No slot events happen in a soft token: CKR_NO_EVENT (or
 * CKR_FUNCTION_NOT_SUPPORTED when blocking is asked for). */
CK_RV
tk_core_wait_for_slot_event(CK_FLAGS flags, CK_SLOT_ID *slot);

/* list may be NULL (length query). */
CK_RV
tk_core_get_mechanism_list(CK_SLOT_ID slot, CK_MECHANISM_TYPE *list, CK_ULONG *count);

CK_RV
tk_core_get_mechanism_info(CK_SLOT_ID slot, CK_MECHANISM_TYPE type, CK_MECHANISM_INFO *info);

/* label: exactly 32 bytes, space padded. pin may be NULL only with len 0. */
CK_RV
tk_core_init_token(CK_SLOT_ID slot, const CK_UTF8CHAR *pin, CK_ULONG pin_len,
                   const CK_UTF8CHAR *label);

CK_RV
tk_core_init_pin(CK_SESSION_HANDLE h, const CK_UTF8CHAR *pin, CK_ULONG pin_len);

CK_RV
tk_core_set_pin(CK_SESSION_HANDLE h, const CK_UTF8CHAR *old_pin, CK_ULONG old_len,
                const CK_UTF8CHAR *new_pin, CK_ULONG new_len);

/* ---- sessions ---- */

CK_RV
tk_core_open_session(CK_SLOT_ID slot, CK_FLAGS flags, void *app, CK_NOTIFY notify,
                     CK_SESSION_HANDLE *h);

CK_RV
tk_core_close_session(CK_SESSION_HANDLE h);

CK_RV
tk_core_close_all_sessions(CK_SLOT_ID slot);

CK_RV
tk_core_get_session_info(CK_SESSION_HANDLE h, CK_SESSION_INFO *info);

CK_RV
tk_core_session_cancel(CK_SESSION_HANDLE h, CK_FLAGS flags);

CK_RV
tk_core_get_session_validation_flags(CK_SESSION_HANDLE h, CK_SESSION_VALIDATION_FLAGS_TYPE type,
                                     CK_FLAGS *flags);

/* state may be NULL (length query). */
CK_RV
tk_core_get_operation_state(CK_SESSION_HANDLE h, CK_BYTE *state, CK_ULONG *len);

CK_RV
tk_core_set_operation_state(CK_SESSION_HANDLE h, const CK_BYTE *state, CK_ULONG len,
                            CK_OBJECT_HANDLE enc_key, CK_OBJECT_HANDLE auth_key);

/* ---- login ---- */

/* username NULL for C_Login; C_LoginUser passes it (ignored: one user). */
CK_RV
tk_core_login(CK_SESSION_HANDLE h, CK_USER_TYPE user, const CK_UTF8CHAR *pin, CK_ULONG pin_len,
              const CK_UTF8CHAR *username, CK_ULONG username_len);

CK_RV
tk_core_logout(CK_SESSION_HANDLE h);

/* ---- objects ---- */

/* tmpl may be NULL only with count 0. */
CK_RV
tk_core_create_object(CK_SESSION_HANDLE h, const CK_ATTRIBUTE *tmpl, CK_ULONG count,
                      CK_OBJECT_HANDLE *obj);

CK_RV
tk_core_copy_object(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE src, const CK_ATTRIBUTE *tmpl,
                    CK_ULONG count, CK_OBJECT_HANDLE *obj);

CK_RV
tk_core_destroy_object(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE obj);

CK_RV
tk_core_get_object_size(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE obj, CK_ULONG *size);

CK_RV
tk_core_get_attribute_value(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE obj, CK_ATTRIBUTE *tmpl,
                            CK_ULONG count);

CK_RV
tk_core_set_attribute_value(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE obj,
                            const CK_ATTRIBUTE *tmpl, CK_ULONG count);

CK_RV
tk_core_find_objects_init(CK_SESSION_HANDLE h, const CK_ATTRIBUTE *tmpl, CK_ULONG count);

CK_RV
tk_core_find_objects(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE *objs, CK_ULONG max,
                     CK_ULONG *count);

CK_RV
tk_core_find_objects_final(CK_SESSION_HANDLE h);

/* ---- random ---- */

CK_RV
tk_core_generate_random(CK_SESSION_HANDLE h, CK_BYTE *out, CK_ULONG len);

CK_RV
tk_core_seed_random(CK_SESSION_HANDLE h, const CK_BYTE *seed, CK_ULONG len);

/* ---- cryptographic operations ----
 *
 * One active operation per kind and session (tk_op_kind from
 * src/mech/mech.h). Rules every call follows [PKCS11 3.2 §5.2, §5.8-5.15]:
 *  - an init while the kind is active: CKR_OPERATION_ACTIVE; a call of a
 *    kind that is not active: CKR_OPERATION_NOT_INITIALIZED; a single-part
 *    call after multi-part updates: CKR_OPERATION_ACTIVE;
 *  - a length query (NULL output) or CKR_BUFFER_TOO_SMALL keeps the
 *    operation; any other error or a finished result ends it;
 *  - the key must be visible (else CKR_KEY_HANDLE_INVALID), allow the
 *    function (CKA_SIGN, ... else CKR_KEY_FUNCTION_NOT_PERMITTED) and the
 *    mechanism (CKA_ALLOWED_MECHANISMS, likewise); a key with
 *    CKA_ALWAYS_AUTHENTICATE needs a CKU_CONTEXT_SPECIFIC login before each
 *    use (else CKR_USER_NOT_LOGGED_IN).
 * Output pointers may be NULL (length query); out_len never is.
 */

/* key is ignored for TK_OP_DIGEST. */
CK_RV
tk_core_op_init(CK_SESSION_HANDLE h, tk_op_kind kind, const CK_MECHANISM *m,
                CK_OBJECT_HANDLE key);

/* C_Encrypt, C_Decrypt, C_Digest, C_Sign, C_SignRecover, C_VerifyRecover. */
CK_RV
tk_core_op_run(CK_SESSION_HANDLE h, tk_op_kind kind, const CK_BYTE *in, CK_ULONG in_len,
               CK_BYTE *out, CK_ULONG *out_len);

/* C_*Update; out and out_len are NULL for digest, sign and verify. */
CK_RV
tk_core_op_update(CK_SESSION_HANDLE h, tk_op_kind kind, const CK_BYTE *in, CK_ULONG in_len,
                  CK_BYTE *out, CK_ULONG *out_len);

/* C_EncryptFinal, C_DecryptFinal, C_DigestFinal, C_SignFinal. */
CK_RV
tk_core_op_final(CK_SESSION_HANDLE h, tk_op_kind kind, CK_BYTE *out, CK_ULONG *out_len);

/* C_Verify (kind TK_OP_VERIFY) and C_VerifySignature (TK_OP_VERIFY_SIGNATURE,
 * sig ignored). */
CK_RV
tk_core_verify(CK_SESSION_HANDLE h, tk_op_kind kind, const CK_BYTE *data, CK_ULONG len,
               const CK_BYTE *sig, CK_ULONG sig_len);

/* C_VerifyFinal and C_VerifySignatureFinal (sig ignored). */
CK_RV
tk_core_verify_final(CK_SESSION_HANDLE h, tk_op_kind kind, const CK_BYTE *sig,
                     CK_ULONG sig_len);

CK_RV
tk_core_verify_signature_init(CK_SESSION_HANDLE h, const CK_MECHANISM *m, CK_OBJECT_HANDLE key,
                              const CK_BYTE *sig, CK_ULONG sig_len);

CK_RV
tk_core_digest_key(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE key);

/*
 * Message-based operations (kind TK_OP_MSG_*). The operation stays active
 * until tk_core_msg_final, whatever a message returns. For verification
 * the signature travels in out/out_len (C_VerifyMessage and the last
 * C_VerifyMessageNext); a part that is not the last passes out and
 * out_len as NULL with flags 0.
 */
CK_RV
tk_core_msg_init(CK_SESSION_HANDLE h, tk_op_kind kind, const CK_MECHANISM *m,
                 CK_OBJECT_HANDLE key);

CK_RV
tk_core_msg_run(CK_SESSION_HANDLE h, tk_op_kind kind, void *param, CK_ULONG param_len,
                const CK_BYTE *aad, CK_ULONG aad_len, const CK_BYTE *in, CK_ULONG in_len,
                CK_BYTE *out, CK_ULONG *out_len);

CK_RV
tk_core_msg_begin(CK_SESSION_HANDLE h, tk_op_kind kind, void *param, CK_ULONG param_len,
                  const CK_BYTE *aad, CK_ULONG aad_len);

CK_RV
tk_core_msg_next(CK_SESSION_HANDLE h, tk_op_kind kind, void *param, CK_ULONG param_len,
                 const CK_BYTE *in, CK_ULONG in_len, CK_BYTE *out, CK_ULONG *out_len,
                 CK_FLAGS flags);

CK_RV
tk_core_msg_final(CK_SESSION_HANDLE h, tk_op_kind kind);

/* ---- key management ---- */

CK_RV
tk_core_generate_key(CK_SESSION_HANDLE h, const CK_MECHANISM *m, const CK_ATTRIBUTE *tmpl,
                     CK_ULONG n, CK_OBJECT_HANDLE *key);

CK_RV
tk_core_generate_key_pair(CK_SESSION_HANDLE h, const CK_MECHANISM *m,
                          const CK_ATTRIBUTE *pub_tmpl, CK_ULONG n_pub,
                          const CK_ATTRIBUTE *priv_tmpl, CK_ULONG n_priv,
                          CK_OBJECT_HANDLE *pub, CK_OBJECT_HANDLE *priv);

/* out may be NULL (length query). */
CK_RV
tk_core_wrap_key(CK_SESSION_HANDLE h, const CK_MECHANISM *m, CK_OBJECT_HANDLE wrapping,
                 CK_OBJECT_HANDLE key, CK_BYTE *out, CK_ULONG *out_len);

CK_RV
tk_core_unwrap_key(CK_SESSION_HANDLE h, const CK_MECHANISM *m, CK_OBJECT_HANDLE unwrapping,
                   const CK_BYTE *in, CK_ULONG in_len, const CK_ATTRIBUTE *tmpl, CK_ULONG n,
                   CK_OBJECT_HANDLE *key);

CK_RV
tk_core_derive_key(CK_SESSION_HANDLE h, const CK_MECHANISM *m, CK_OBJECT_HANDLE base,
                   const CK_ATTRIBUTE *tmpl, CK_ULONG n, CK_OBJECT_HANDLE *key);

/* ct may be NULL (length query: no object is made). */
CK_RV
tk_core_encapsulate_key(CK_SESSION_HANDLE h, const CK_MECHANISM *m, CK_OBJECT_HANDLE pub,
                        const CK_ATTRIBUTE *tmpl, CK_ULONG n, CK_BYTE *ct, CK_ULONG *ct_len,
                        CK_OBJECT_HANDLE *key);

CK_RV
tk_core_decapsulate_key(CK_SESSION_HANDLE h, const CK_MECHANISM *m, CK_OBJECT_HANDLE priv,
                        const CK_ATTRIBUTE *tmpl, CK_ULONG n, const CK_BYTE *ct,
                        CK_ULONG ct_len, CK_OBJECT_HANDLE *key);

#endif
