/*
 * Signing and MACing entry points, with and without data recovery
 * [PKCS11 3.2 §5.13]. The message-based ones are in message.c.
 */
#include "api/api.h"

CK_DEFINE_FUNCTION(CK_RV, C_SignInit)(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                                      CK_OBJECT_HANDLE hKey)
{
    return tk_api_op_init("C_SignInit", hSession, TK_OP_SIGN, pMechanism, hKey,
                          CKR_ARGUMENTS_BAD);
}

CK_DEFINE_FUNCTION(CK_RV, C_Sign)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData, CK_ULONG ulDataLen,
                                  CK_BYTE_PTR pSignature, CK_ULONG_PTR pulSignatureLen)
{
    return tk_api_op_run("C_Sign", hSession, TK_OP_SIGN, pData, ulDataLen, pSignature,
                         pulSignatureLen);
}

CK_DEFINE_FUNCTION(CK_RV, C_SignUpdate)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart,
                                        CK_ULONG ulPartLen)
{
    return tk_api_op_update("C_SignUpdate", hSession, TK_OP_SIGN, pPart, ulPartLen, NULL, NULL);
}

CK_DEFINE_FUNCTION(CK_RV, C_SignFinal)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pSignature,
                                       CK_ULONG_PTR pulSignatureLen)
{
    return tk_api_op_final("C_SignFinal", hSession, TK_OP_SIGN, pSignature, pulSignatureLen);
}

CK_DEFINE_FUNCTION(CK_RV, C_SignRecoverInit)(CK_SESSION_HANDLE hSession,
                                             CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey)
{
    return tk_api_op_init("C_SignRecoverInit", hSession, TK_OP_SIGN_RECOVER, pMechanism, hKey,
                          CKR_ARGUMENTS_BAD);
}

CK_DEFINE_FUNCTION(CK_RV, C_SignRecover)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData,
                                         CK_ULONG ulDataLen, CK_BYTE_PTR pSignature,
                                         CK_ULONG_PTR pulSignatureLen)
{
    return tk_api_op_run("C_SignRecover", hSession, TK_OP_SIGN_RECOVER, pData, ulDataLen,
                         pSignature, pulSignatureLen);
}
