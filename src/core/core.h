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

#endif
