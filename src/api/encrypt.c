/*
 * Encryption entry points [PKCS11 3.2 §5.8]. Core keeps the operation
 * state and the rules of [PKCS11 3.2 §5.2] on output buffers; nothing here
 * logs plaintext or ciphertext, only lengths.
 */
#include "api/api.h"

/*
 * The list of return values of C_EncryptInit lacks CKR_ARGUMENTS_BAD, so a
 * NULL mechanism parameter of non-zero length is reported as an invalid
 * mechanism parameter.
 */
CK_DEFINE_FUNCTION(CK_RV, C_EncryptInit)(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                                         CK_OBJECT_HANDLE hKey)
{
    return tk_api_op_init("C_EncryptInit", hSession, TK_OP_ENCRYPT, pMechanism, hKey,
                          CKR_MECHANISM_PARAM_INVALID);
}

CK_DEFINE_FUNCTION(CK_RV, C_Encrypt)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData,
                                     CK_ULONG ulDataLen, CK_BYTE_PTR pEncryptedData,
                                     CK_ULONG_PTR pulEncryptedDataLen)
{
    return tk_api_op_run("C_Encrypt", hSession, TK_OP_ENCRYPT, pData, ulDataLen, pEncryptedData,
                         pulEncryptedDataLen);
}

CK_DEFINE_FUNCTION(CK_RV, C_EncryptUpdate)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart,
                                           CK_ULONG ulPartLen, CK_BYTE_PTR pEncryptedPart,
                                           CK_ULONG_PTR pulEncryptedPartLen)
{
    return tk_api_op_update("C_EncryptUpdate", hSession, TK_OP_ENCRYPT, pPart, ulPartLen,
                            pEncryptedPart, pulEncryptedPartLen);
}

CK_DEFINE_FUNCTION(CK_RV, C_EncryptFinal)(CK_SESSION_HANDLE hSession,
                                          CK_BYTE_PTR pLastEncryptedPart,
                                          CK_ULONG_PTR pulLastEncryptedPartLen)
{
    return tk_api_op_final("C_EncryptFinal", hSession, TK_OP_ENCRYPT, pLastEncryptedPart,
                           pulLastEncryptedPartLen);
}
