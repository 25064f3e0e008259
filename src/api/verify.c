/*
 * Verification entry points, with the signature at the end, with data
 * recovery, and with the signature at init (3.2) [PKCS11 3.2 §5.15]. The
 * message-based ones are in message.c. A bad signature is core's
 * CKR_SIGNATURE_INVALID or CKR_SIGNATURE_LEN_RANGE; neither data nor
 * signatures are logged.
 */
#include "api/api.h"

CK_DEFINE_FUNCTION(CK_RV, C_VerifyInit)(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                                        CK_OBJECT_HANDLE hKey)
{
    return tk_api_op_init("C_VerifyInit", hSession, TK_OP_VERIFY, pMechanism, hKey,
                          CKR_ARGUMENTS_BAD);
}

CK_DEFINE_FUNCTION(CK_RV, C_Verify)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData,
                                    CK_ULONG ulDataLen, CK_BYTE_PTR pSignature,
                                    CK_ULONG ulSignatureLen)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    TK_API_CHECK_BUF(pData, ulDataLen);
    TK_API_CHECK_BUF(pSignature, ulSignatureLen);
    rv = tk_core_verify(hSession, TK_OP_VERIFY, pData, ulDataLen, pSignature, ulSignatureLen);
out:
    TK_DEBUG("C_Verify session=%lu len=%lu sig_len=%lu -> %s", hSession, ulDataLen,
             ulSignatureLen, tk_api_rv_name(rv));
    return rv;
}

CK_DEFINE_FUNCTION(CK_RV, C_VerifyUpdate)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart,
                                          CK_ULONG ulPartLen)
{
    return tk_api_op_update("C_VerifyUpdate", hSession, TK_OP_VERIFY, pPart, ulPartLen, NULL,
                            NULL);
}

CK_DEFINE_FUNCTION(CK_RV, C_VerifyFinal)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pSignature,
                                         CK_ULONG ulSignatureLen)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    TK_API_CHECK_BUF(pSignature, ulSignatureLen);
    rv = tk_core_verify_final(hSession, TK_OP_VERIFY, pSignature, ulSignatureLen);
out:
    TK_DEBUG("C_VerifyFinal session=%lu sig_len=%lu -> %s", hSession, ulSignatureLen,
             tk_api_rv_name(rv));
    return rv;
}

CK_DEFINE_FUNCTION(CK_RV, C_VerifyRecoverInit)(CK_SESSION_HANDLE hSession,
                                               CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey)
{
    return tk_api_op_init("C_VerifyRecoverInit", hSession, TK_OP_VERIFY_RECOVER, pMechanism,
                          hKey, CKR_ARGUMENTS_BAD);
}

CK_DEFINE_FUNCTION(CK_RV, C_VerifyRecover)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pSignature,
                                           CK_ULONG ulSignatureLen, CK_BYTE_PTR pData,
                                           CK_ULONG_PTR pulDataLen)
{
    return tk_api_op_run("C_VerifyRecover", hSession, TK_OP_VERIFY_RECOVER, pSignature,
                         ulSignatureLen, pData, pulDataLen);
}

/*
 * A NULL mechanism ends the active operation [PKCS11 3.2 §5.15]. 3.2 has
 * no C_SessionCancel flag for this kind, so CKF_VERIFY asks core to end it.
 */
CK_DEFINE_FUNCTION(CK_RV, C_VerifySignatureInit)(CK_SESSION_HANDLE hSession,
                                                 CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey,
                                                 CK_BYTE_PTR pSignature, CK_ULONG ulSignatureLen)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    if (pMechanism == NULL) {
        rv = tk_core_session_cancel(hSession, CKF_VERIFY);
        goto out;
    }
    TK_API_CHECK_MECH_PARAM(pMechanism, CKR_ARGUMENTS_BAD);
    TK_API_CHECK_BUF(pSignature, ulSignatureLen);
    rv = tk_core_verify_signature_init(hSession, pMechanism, hKey, pSignature, ulSignatureLen);
out:
    TK_DEBUG("C_VerifySignatureInit session=%lu mech=0x%lx key=%lu sig_len=%lu -> %s",
             hSession, tk_api_mech_type(pMechanism), hKey, ulSignatureLen, tk_api_rv_name(rv));
    return rv;
}

CK_DEFINE_FUNCTION(CK_RV, C_VerifySignature)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData,
                                             CK_ULONG ulDataLen)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    TK_API_CHECK_BUF(pData, ulDataLen);
    rv = tk_core_verify(hSession, TK_OP_VERIFY_SIGNATURE, pData, ulDataLen, NULL, 0);
out:
    TK_DEBUG("C_VerifySignature session=%lu len=%lu -> %s", hSession, ulDataLen,
             tk_api_rv_name(rv));
    return rv;
}

CK_DEFINE_FUNCTION(CK_RV, C_VerifySignatureUpdate)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart,
                                                   CK_ULONG ulPartLen)
{
    return tk_api_op_update("C_VerifySignatureUpdate", hSession, TK_OP_VERIFY_SIGNATURE, pPart,
                            ulPartLen, NULL, NULL);
}

CK_DEFINE_FUNCTION(CK_RV, C_VerifySignatureFinal)(CK_SESSION_HANDLE hSession)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    rv = tk_core_verify_final(hSession, TK_OP_VERIFY_SIGNATURE, NULL, 0);
out:
    TK_DEBUG("C_VerifySignatureFinal session=%lu -> %s", hSession, tk_api_rv_name(rv));
    return rv;
}
