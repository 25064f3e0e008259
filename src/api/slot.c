/*
 * Slot and token management entry points [PKCS11 3.2 §5.5]. Core validates
 * slot IDs, session handles and login state.
 */
#include "api/api.h"

CK_DEFINE_FUNCTION(CK_RV, C_GetSlotList)(CK_BBOOL tokenPresent, CK_SLOT_ID_PTR pSlotList,
                                         CK_ULONG_PTR pulCount)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    TK_API_CHECK_PTR(pulCount);
    rv = tk_core_get_slot_list(tokenPresent, pSlotList, pulCount);
out:
    TK_DEBUG("C_GetSlotList present=%u list=%s count=%lu -> %s", (unsigned)tokenPresent,
             pSlotList != NULL ? "set" : "NULL", tk_api_ulong_or_na(pulCount),
             tk_api_rv_name(rv));
    return rv;
}

CK_DEFINE_FUNCTION(CK_RV, C_GetSlotInfo)(CK_SLOT_ID slotID, CK_SLOT_INFO_PTR pInfo)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    TK_API_CHECK_PTR(pInfo);
    rv = tk_core_get_slot_info(slotID, pInfo);
out:
    TK_DEBUG("C_GetSlotInfo slot=%lu -> %s", slotID, tk_api_rv_name(rv));
    return rv;
}

CK_DEFINE_FUNCTION(CK_RV, C_GetTokenInfo)(CK_SLOT_ID slotID, CK_TOKEN_INFO_PTR pInfo)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    TK_API_CHECK_PTR(pInfo);
    rv = tk_core_get_token_info(slotID, pInfo);
out:
    TK_DEBUG("C_GetTokenInfo slot=%lu -> %s", slotID, tk_api_rv_name(rv));
    return rv;
}

CK_DEFINE_FUNCTION(CK_RV, C_WaitForSlotEvent)(CK_FLAGS flags, CK_SLOT_ID_PTR pSlot,
                                              CK_VOID_PTR pReserved)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    TK_API_CHECK_PTR(pSlot);
    TK_CHECK(pReserved == NULL, CKR_ARGUMENTS_BAD);
    rv = tk_core_wait_for_slot_event(flags, pSlot);
out:
    TK_DEBUG("C_WaitForSlotEvent flags=0x%lx -> %s", flags, tk_api_rv_name(rv));
    return rv;
}

CK_DEFINE_FUNCTION(CK_RV, C_GetMechanismList)(CK_SLOT_ID slotID,
                                              CK_MECHANISM_TYPE_PTR pMechanismList,
                                              CK_ULONG_PTR pulCount)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    TK_API_CHECK_PTR(pulCount);
    rv = tk_core_get_mechanism_list(slotID, pMechanismList, pulCount);
out:
    TK_DEBUG("C_GetMechanismList slot=%lu list=%s count=%lu -> %s", slotID,
             pMechanismList != NULL ? "set" : "NULL", tk_api_ulong_or_na(pulCount),
             tk_api_rv_name(rv));
    return rv;
}

CK_DEFINE_FUNCTION(CK_RV, C_GetMechanismInfo)(CK_SLOT_ID slotID, CK_MECHANISM_TYPE type,
                                              CK_MECHANISM_INFO_PTR pInfo)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    TK_API_CHECK_PTR(pInfo);
    rv = tk_core_get_mechanism_info(slotID, type, pInfo);
out:
    TK_DEBUG("C_GetMechanismInfo slot=%lu mech=0x%lx -> %s", slotID, type,
             tk_api_rv_name(rv));
    return rv;
}

CK_DEFINE_FUNCTION(CK_RV, C_InitToken)(CK_SLOT_ID slotID, CK_UTF8CHAR_PTR pPin,
                                       CK_ULONG ulPinLen, CK_UTF8CHAR_PTR pLabel)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();

    /* A NULL PIN of length zero asks for the protected path; core decides. */
    TK_API_CHECK_BUF(pPin, ulPinLen);
    TK_API_CHECK_PTR(pLabel);
    rv = tk_core_init_token(slotID, pPin, ulPinLen, pLabel);
out:
    TK_DEBUG("C_InitToken slot=%lu -> %s", slotID, tk_api_rv_name(rv));
    return rv;
}

CK_DEFINE_FUNCTION(CK_RV, C_InitPIN)(CK_SESSION_HANDLE hSession, CK_UTF8CHAR_PTR pPin,
                                     CK_ULONG ulPinLen)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    TK_API_CHECK_BUF(pPin, ulPinLen);
    rv = tk_core_init_pin(hSession, pPin, ulPinLen);
out:
    TK_DEBUG("C_InitPIN session=%lu -> %s", hSession, tk_api_rv_name(rv));
    return rv;
}

CK_DEFINE_FUNCTION(CK_RV, C_SetPIN)(CK_SESSION_HANDLE hSession, CK_UTF8CHAR_PTR pOldPin,
                                    CK_ULONG ulOldLen, CK_UTF8CHAR_PTR pNewPin,
                                    CK_ULONG ulNewLen)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    TK_API_CHECK_BUF(pOldPin, ulOldLen);
    TK_API_CHECK_BUF(pNewPin, ulNewLen);
    rv = tk_core_set_pin(hSession, pOldPin, ulOldLen, pNewPin, ulNewLen);
out:
    TK_DEBUG("C_SetPIN session=%lu -> %s", hSession, tk_api_rv_name(rv));
    return rv;
}
