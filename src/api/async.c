/*
 * Asynchronous completion entry points [PKCS11 3.2 §5.21].
 *
 * TODO: no asynchronous operations yet. Every function of this token
 * completes before it returns and none answers CKR_PENDING, so there is
 * never anything to complete, identify or join; core keeps no record of
 * pending work for these to consult. They answer CKR_FUNCTION_NOT_SUPPORTED
 * once the library is initialised.
 */
#include "api/api.h"

/* The common answer: not initialised, or not supported. */
static CK_RV
tk_api_async_unsupported(const char *fn, CK_SESSION_HANDLE h)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    rv = CKR_FUNCTION_NOT_SUPPORTED;
out:
    TK_DEBUG("%s session=%lu -> %s", fn, h, tk_api_rv_name(rv));
    return rv;
}

CK_DEFINE_FUNCTION(CK_RV, C_AsyncComplete)(CK_SESSION_HANDLE hSession,
                                           CK_UTF8CHAR_PTR pFunctionName, CK_ASYNC_DATA_PTR pResult)
{
    return tk_api_async_unsupported("C_AsyncComplete", hSession);
}

CK_DEFINE_FUNCTION(CK_RV, C_AsyncGetID)(CK_SESSION_HANDLE hSession, CK_UTF8CHAR_PTR pFunctionName,
                                        CK_ULONG_PTR pulID)
{
    return tk_api_async_unsupported("C_AsyncGetID", hSession);
}

CK_DEFINE_FUNCTION(CK_RV, C_AsyncJoin)(CK_SESSION_HANDLE hSession, CK_UTF8CHAR_PTR pFunctionName,
                                       CK_ULONG ulID, CK_BYTE_PTR pData, CK_ULONG ulData)
{
    return tk_api_async_unsupported("C_AsyncJoin", hSession);
}
