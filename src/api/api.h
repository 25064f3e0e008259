/*
 * Helpers shared by the exported C_* entry points of src/api.
 *
 * Every entry point follows the same steps: refuse work before C_Initialize,
 * check the caller's pointers and lengths, call exactly one function of
 * src/core (which validates handles and state and takes its own locks), log
 * the call at debug level and return. Nothing here holds a lock.
 */
#ifndef TK_API_API_H
#define TK_API_API_H

#include <stddef.h>

#include "core/core.h"
#include "trustoken/pkcs11.h"
#include "util/check.h"
#include "util/log.h"

/*
 * Fails the calling entry point with CKR_CRYPTOKI_NOT_INITIALIZED before
 * C_Initialize and after C_Finalize. Needs `rv` and an `out:` label.
 */
#define TK_API_REQUIRE_INIT() TK_CHECK(tk_core_is_initialized(), CKR_CRYPTOKI_NOT_INITIALIZED)

/*
 * Fails with CKR_ARGUMENTS_BAD when a buffer of `len` elements is NULL but
 * not empty; a NULL buffer of length zero is allowed.
 */
#define TK_API_CHECK_BUF(ptr, len) TK_CHECK((ptr) != NULL || (len) == 0, CKR_ARGUMENTS_BAD)

/* Fails with CKR_ARGUMENTS_BAD when a required pointer is NULL. */
#define TK_API_CHECK_PTR(ptr) TK_CHECK((ptr) != NULL, CKR_ARGUMENTS_BAD)

/*
 * Fails with `code` when a mechanism's parameter is NULL but not empty. The
 * contents of the parameter are core's and mech's to judge. Most functions
 * answer CKR_ARGUMENTS_BAD; those whose list of return values lacks it
 * (C_EncryptInit, C_MessageEncryptInit) answer CKR_MECHANISM_PARAM_INVALID.
 */
#define TK_API_CHECK_MECH_PARAM(mech, code)                                \
    TK_CHECK((mech)->pParameter != NULL || (mech)->ulParameterLen == 0, code)

/* ---- cryptographic operations (crypto_common.c) ---- */

/*
 * The body of C_EncryptInit, C_DecryptInit, C_DigestInit, C_SignInit,
 * C_SignRecoverInit, C_VerifyInit, C_VerifyRecoverInit and the four
 * C_Message*Init. A NULL mech terminates the active operation of that kind
 * [PKCS11 3.2 §5.8-5.15] through tk_core_session_cancel(), except for the
 * message decrypt, sign and verify kinds (CKR_ARGUMENTS_BAD); otherwise
 * the parameter is checked (param_rv when NULL but not empty) and
 * tk_core_op_init() or tk_core_msg_init() starts the operation. fn names
 * the entry point in the debug log. key is ignored for TK_OP_DIGEST.
 */
CK_RV
tk_api_op_init(const char *fn, CK_SESSION_HANDLE h, tk_op_kind kind, const CK_MECHANISM *mech,
               CK_OBJECT_HANDLE key, CK_RV param_rv);

/*
 * The body of the single-part calls C_Encrypt, C_Decrypt, C_Digest,
 * C_Sign, C_SignRecover and C_VerifyRecover: in may be NULL only when
 * empty, out may be NULL (length query), out_len must not be NULL.
 */
CK_RV
tk_api_op_run(const char *fn, CK_SESSION_HANDLE h, tk_op_kind kind, const CK_BYTE *in,
              CK_ULONG in_len, CK_BYTE *out, CK_ULONG *out_len);

/*
 * The body of C_*Update. For encrypt and decrypt out_len must not be NULL
 * (out may be, for a length query); for digest, sign and verify the caller
 * passes out and out_len NULL.
 */
CK_RV
tk_api_op_update(const char *fn, CK_SESSION_HANDLE h, tk_op_kind kind, const CK_BYTE *in,
                 CK_ULONG in_len, CK_BYTE *out, CK_ULONG *out_len);

/* The body of C_EncryptFinal, C_DecryptFinal, C_DigestFinal, C_SignFinal. */
CK_RV
tk_api_op_final(const char *fn, CK_SESSION_HANDLE h, tk_op_kind kind, CK_BYTE *out,
                CK_ULONG *out_len);

/*
 * Name of a return value for the debug log, such as "CKR_OK"; "CKR_?" for a
 * value this version does not know. The string is static.
 */
const char *
tk_api_rv_name(CK_RV rv);

/*
 * The mechanism type for the debug log, CK_UNAVAILABLE_INFORMATION when the
 * caller passed no mechanism. Reads only the type, never the parameter.
 */
CK_MECHANISM_TYPE
tk_api_mech_type(const CK_MECHANISM *mech);

/* *p for the debug log, or CK_UNAVAILABLE_INFORMATION when p is NULL. */
CK_ULONG
tk_api_ulong_or_na(const CK_ULONG *p);

#endif /* TK_API_API_H */
