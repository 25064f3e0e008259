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
