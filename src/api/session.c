/*
 * Session management [PKCS11 3.2 §5.6], login [PKCS11 3.2 §5.6] and the
 * legacy parallel-function entry points [PKCS11 3.2 §5.20]. Core validates
 * slot IDs, session handles and session state.
 */
#include "api/api.h"

CK_DEFINE_FUNCTION(CK_RV, C_OpenSession)(CK_SLOT_ID slotID, CK_FLAGS flags,
                                         CK_VOID_PTR pApplication, CK_NOTIFY Notify,
                                         CK_SESSION_HANDLE_PTR phSession)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    TK_API_CHECK_PTR(phSession);

    /* Parallel sessions have been gone since 2.01; the flag is mandatory. */
    TK_CHECK((flags & CKF_SERIAL_SESSION) != 0, CKR_SESSION_PARALLEL_NOT_SUPPORTED);
    rv = tk_core_open_session(slotID, flags, pApplication, Notify, phSession);
out:
    TK_DEBUG("C_OpenSession slot=%lu flags=0x%lx session=%lu -> %s", slotID, flags,
             rv == CKR_OK ? *phSession : 0UL, tk_api_rv_name(rv));
    return rv;
}

CK_DEFINE_FUNCTION(CK_RV, C_CloseSession)(CK_SESSION_HANDLE hSession)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    rv = tk_core_close_session(hSession);
out:
    TK_DEBUG("C_CloseSession session=%lu -> %s", hSession, tk_api_rv_name(rv));
    return rv;
}

CK_DEFINE_FUNCTION(CK_RV, C_CloseAllSessions)(CK_SLOT_ID slotID)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    rv = tk_core_close_all_sessions(slotID);
out:
    TK_DEBUG("C_CloseAllSessions slot=%lu -> %s", slotID, tk_api_rv_name(rv));
    return rv;
}

CK_DEFINE_FUNCTION(CK_RV, C_GetSessionInfo)(CK_SESSION_HANDLE hSession,
                                            CK_SESSION_INFO_PTR pInfo)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    TK_API_CHECK_PTR(pInfo);
    rv = tk_core_get_session_info(hSession, pInfo);
out:
    TK_DEBUG("C_GetSessionInfo session=%lu -> %s", hSession, tk_api_rv_name(rv));
    return rv;
}

CK_DEFINE_FUNCTION(CK_RV, C_SessionCancel)(CK_SESSION_HANDLE hSession, CK_FLAGS flags)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    rv = tk_core_session_cancel(hSession, flags);
out:
    TK_DEBUG("C_SessionCancel session=%lu flags=0x%lx -> %s", hSession, flags,
             tk_api_rv_name(rv));
    return rv;
}

CK_DEFINE_FUNCTION(CK_RV, C_GetSessionValidationFlags)(CK_SESSION_HANDLE hSession,
                                                       CK_SESSION_VALIDATION_FLAGS_TYPE type,
                                                       CK_FLAGS_PTR pFlags)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    TK_API_CHECK_PTR(pFlags);
    rv = tk_core_get_session_validation_flags(hSession, type, pFlags);
out:
    TK_DEBUG("C_GetSessionValidationFlags session=%lu type=%lu -> %s", hSession, type,
             tk_api_rv_name(rv));
    return rv;
}

CK_DEFINE_FUNCTION(CK_RV, C_GetOperationState)(CK_SESSION_HANDLE hSession,
                                               CK_BYTE_PTR pOperationState,
                                               CK_ULONG_PTR pulOperationStateLen)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    TK_API_CHECK_PTR(pulOperationStateLen);
    rv = tk_core_get_operation_state(hSession, pOperationState, pulOperationStateLen);
out:
    TK_DEBUG("C_GetOperationState session=%lu -> %s", hSession, tk_api_rv_name(rv));
    return rv;
}

CK_DEFINE_FUNCTION(CK_RV, C_SetOperationState)(CK_SESSION_HANDLE hSession,
                                               CK_BYTE_PTR pOperationState,
                                               CK_ULONG ulOperationStateLen,
                                               CK_OBJECT_HANDLE hEncryptionKey,
                                               CK_OBJECT_HANDLE hAuthenticationKey)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();

    /* A saved state is never empty, so there is always something to read. */
    TK_API_CHECK_PTR(pOperationState);
    rv = tk_core_set_operation_state(hSession, pOperationState, ulOperationStateLen,
                                     hEncryptionKey, hAuthenticationKey);
out:
    TK_DEBUG("C_SetOperationState session=%lu enc_key=%lu auth_key=%lu -> %s", hSession,
             hEncryptionKey, hAuthenticationKey, tk_api_rv_name(rv));
    return rv;
}

CK_DEFINE_FUNCTION(CK_RV, C_Login)(CK_SESSION_HANDLE hSession, CK_USER_TYPE userType,
                                   CK_UTF8CHAR_PTR pPin, CK_ULONG ulPinLen)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    TK_API_CHECK_BUF(pPin, ulPinLen);
    rv = tk_core_login(hSession, userType, pPin, ulPinLen, NULL, 0);
out:
    TK_DEBUG("C_Login session=%lu user=%lu -> %s", hSession, userType, tk_api_rv_name(rv));
    return rv;
}

CK_DEFINE_FUNCTION(CK_RV, C_LoginUser)(CK_SESSION_HANDLE hSession, CK_USER_TYPE userType,
                                       CK_UTF8CHAR_PTR pPin, CK_ULONG ulPinLen,
                                       CK_UTF8CHAR_PTR pUsername, CK_ULONG ulUsernameLen)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    TK_API_CHECK_BUF(pPin, ulPinLen);
    TK_API_CHECK_BUF(pUsername, ulUsernameLen);
    rv = tk_core_login(hSession, userType, pPin, ulPinLen, pUsername, ulUsernameLen);
out:
    TK_DEBUG("C_LoginUser session=%lu user=%lu -> %s", hSession, userType,
             tk_api_rv_name(rv));
    return rv;
}

CK_DEFINE_FUNCTION(CK_RV, C_Logout)(CK_SESSION_HANDLE hSession)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    rv = tk_core_logout(hSession);
out:
    TK_DEBUG("C_Logout session=%lu -> %s", hSession, tk_api_rv_name(rv));
    return rv;
}

/*
 * The legacy parallel functions [PKCS11 3.2 §5.20] answer
 * CKR_FUNCTION_NOT_PARALLEL for a live session. The session is looked up
 * through C_GetSessionInfo's core function so that a bad handle still gets
 * CKR_SESSION_HANDLE_INVALID, as the specification lists.
 */
static CK_RV
tk_api_not_parallel(CK_SESSION_HANDLE h)
{
    CK_SESSION_INFO info;
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    TK_GUARD(tk_core_get_session_info(h, &info));
    rv = CKR_FUNCTION_NOT_PARALLEL;
out:
    return rv;
}

CK_DEFINE_FUNCTION(CK_RV, C_GetFunctionStatus)(CK_SESSION_HANDLE hSession)
{
    CK_RV rv = tk_api_not_parallel(hSession);

    TK_DEBUG("C_GetFunctionStatus session=%lu -> %s", hSession, tk_api_rv_name(rv));
    return rv;
}

CK_DEFINE_FUNCTION(CK_RV, C_CancelFunction)(CK_SESSION_HANDLE hSession)
{
    CK_RV rv = tk_api_not_parallel(hSession);

    TK_DEBUG("C_CancelFunction session=%lu -> %s", hSession, tk_api_rv_name(rv));
    return rv;
}
