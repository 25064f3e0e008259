/*
 * Decryption entry points [PKCS11 3.2 §5.10]. Core keeps the operation
 * state, the output-buffer rules of [PKCS11 3.2 §5.2] and the constant-time
 * collapse of padding failures; nothing here logs plaintext.
 */
#include "api/api.h"

CK_DEFINE_FUNCTION(CK_RV, C_DecryptInit)(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                                         CK_OBJECT_HANDLE hKey)
{
    return tk_api_op_init("C_DecryptInit", hSession, TK_OP_DECRYPT, pMechanism, hKey,
                          CKR_ARGUMENTS_BAD);
}

CK_DEFINE_FUNCTION(CK_RV, C_Decrypt)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pEncryptedData,
                                     CK_ULONG ulEncryptedDataLen, CK_BYTE_PTR pData,
                                     CK_ULONG_PTR pulDataLen)
{
    return tk_api_op_run("C_Decrypt", hSession, TK_OP_DECRYPT, pEncryptedData,
                         ulEncryptedDataLen, pData, pulDataLen);
}

CK_DEFINE_FUNCTION(CK_RV, C_DecryptUpdate)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pEncryptedPart,
                                           CK_ULONG ulEncryptedPartLen, CK_BYTE_PTR pPart,
                                           CK_ULONG_PTR pulPartLen)
{
    return tk_api_op_update("C_DecryptUpdate", hSession, TK_OP_DECRYPT, pEncryptedPart,
                            ulEncryptedPartLen, pPart, pulPartLen);
}

CK_DEFINE_FUNCTION(CK_RV, C_DecryptFinal)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pLastPart,
                                          CK_ULONG_PTR pulLastPartLen)
{
    return tk_api_op_final("C_DecryptFinal", hSession, TK_OP_DECRYPT, pLastPart,
                           pulLastPartLen);
}
