/*
 * TrusToken PKCS#11 header: entry points and function lists [PKCS11 3.2 §5].
 *
 * Every function appears once, in one of three lists that follow the
 * published order of the function-list structures: 2.40, the 3.0
 * additions, and the 3.2 additions. From those lists this file derives
 *   - the prototypes (C_Foo),
 *   - the pointer types (CK_C_Foo),
 *   - CK_FUNCTION_LIST, CK_FUNCTION_LIST_3_0 and CK_FUNCTION_LIST_3_2.
 * Deriving all three from one list means a member can never be out of
 * order with respect to its prototype, and the module can use the same
 * lists to fill its tables. Each list entry is X(name, (parameters)).
 *
 * Include <trustoken/pkcs11.h> rather than this file.
 */
#ifndef TK_PKCS11_FUNCTIONS_H
#define TK_PKCS11_FUNCTIONS_H

#include "pkcs11_types.h"

/* ---- Functions of 2.40, in CK_FUNCTION_LIST order ---- */
#define TK_P11_FUNCTIONS_2_40(X)                                                               \
    X(C_Initialize, (CK_VOID_PTR pInitArgs))                                                   \
    X(C_Finalize, (CK_VOID_PTR pReserved))                                                     \
    X(C_GetInfo, (CK_INFO_PTR pInfo))                                                          \
    X(C_GetFunctionList, (CK_FUNCTION_LIST_PTR_PTR ppFunctionList))                            \
    X(C_GetSlotList, (CK_BBOOL tokenPresent, CK_SLOT_ID_PTR pSlotList, CK_ULONG_PTR pulCount)) \
    X(C_GetSlotInfo, (CK_SLOT_ID slotID, CK_SLOT_INFO_PTR pInfo))                              \
    X(C_GetTokenInfo, (CK_SLOT_ID slotID, CK_TOKEN_INFO_PTR pInfo))                            \
    X(C_GetMechanismList, (CK_SLOT_ID slotID, CK_MECHANISM_TYPE_PTR pMechanismList,            \
                           CK_ULONG_PTR pulCount))                                             \
    X(C_GetMechanismInfo, (CK_SLOT_ID slotID, CK_MECHANISM_TYPE type,                          \
                           CK_MECHANISM_INFO_PTR pInfo))                                       \
    X(C_InitToken, (CK_SLOT_ID slotID, CK_UTF8CHAR_PTR pPin, CK_ULONG ulPinLen,                \
                    CK_UTF8CHAR_PTR pLabel))                                                   \
    X(C_InitPIN, (CK_SESSION_HANDLE hSession, CK_UTF8CHAR_PTR pPin, CK_ULONG ulPinLen))        \
    X(C_SetPIN, (CK_SESSION_HANDLE hSession, CK_UTF8CHAR_PTR pOldPin, CK_ULONG ulOldLen,       \
                 CK_UTF8CHAR_PTR pNewPin, CK_ULONG ulNewLen))                                  \
    X(C_OpenSession, (CK_SLOT_ID slotID, CK_FLAGS flags, CK_VOID_PTR pApplication,             \
                      CK_NOTIFY Notify, CK_SESSION_HANDLE_PTR phSession))                      \
    X(C_CloseSession, (CK_SESSION_HANDLE hSession))                                            \
    X(C_CloseAllSessions, (CK_SLOT_ID slotID))                                                 \
    X(C_GetSessionInfo, (CK_SESSION_HANDLE hSession, CK_SESSION_INFO_PTR pInfo))               \
    X(C_GetOperationState, (CK_SESSION_HANDLE hSession, CK_BYTE_PTR pOperationState,           \
                            CK_ULONG_PTR pulOperationStateLen))                                \
    X(C_SetOperationState, (CK_SESSION_HANDLE hSession, CK_BYTE_PTR pOperationState,           \
                            CK_ULONG ulOperationStateLen, CK_OBJECT_HANDLE hEncryptionKey,     \
                            CK_OBJECT_HANDLE hAuthenticationKey))                              \
    X(C_Login, (CK_SESSION_HANDLE hSession, CK_USER_TYPE userType, CK_UTF8CHAR_PTR pPin,       \
                CK_ULONG ulPinLen))                                                            \
    X(C_Logout, (CK_SESSION_HANDLE hSession))                                                  \
    X(C_CreateObject, (CK_SESSION_HANDLE hSession, CK_ATTRIBUTE_PTR pTemplate,                 \
                       CK_ULONG ulCount, CK_OBJECT_HANDLE_PTR phObject))                       \
    X(C_CopyObject, (CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject,                     \
                     CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount,                             \
                     CK_OBJECT_HANDLE_PTR phNewObject))                                        \
    X(C_DestroyObject, (CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject))                 \
    X(C_GetObjectSize, (CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject,                  \
                        CK_ULONG_PTR pulSize))                                                 \
    X(C_GetAttributeValue, (CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject,              \
                            CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount))                     \
    X(C_SetAttributeValue, (CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject,              \
                            CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount))                     \
    X(C_FindObjectsInit, (CK_SESSION_HANDLE hSession, CK_ATTRIBUTE_PTR pTemplate,              \
                          CK_ULONG ulCount))                                                   \
    X(C_FindObjects, (CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE_PTR phObject,               \
                      CK_ULONG ulMaxObjectCount, CK_ULONG_PTR pulObjectCount))                 \
    X(C_FindObjectsFinal, (CK_SESSION_HANDLE hSession))                                        \
    X(C_EncryptInit, (CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,                 \
                      CK_OBJECT_HANDLE hKey))                                                  \
    X(C_Encrypt, (CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData, CK_ULONG ulDataLen,           \
                  CK_BYTE_PTR pEncryptedData, CK_ULONG_PTR pulEncryptedDataLen))               \
    X(C_EncryptUpdate, (CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart, CK_ULONG ulPartLen,     \
                        CK_BYTE_PTR pEncryptedPart, CK_ULONG_PTR pulEncryptedPartLen))         \
    X(C_EncryptFinal, (CK_SESSION_HANDLE hSession, CK_BYTE_PTR pLastEncryptedPart,             \
                       CK_ULONG_PTR pulLastEncryptedPartLen))                                  \
    X(C_DecryptInit, (CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,                 \
                      CK_OBJECT_HANDLE hKey))                                                  \
    X(C_Decrypt, (CK_SESSION_HANDLE hSession, CK_BYTE_PTR pEncryptedData,                      \
                  CK_ULONG ulEncryptedDataLen, CK_BYTE_PTR pData, CK_ULONG_PTR pulDataLen))    \
    X(C_DecryptUpdate, (CK_SESSION_HANDLE hSession, CK_BYTE_PTR pEncryptedPart,                \
                        CK_ULONG ulEncryptedPartLen, CK_BYTE_PTR pPart,                        \
                        CK_ULONG_PTR pulPartLen))                                              \
    X(C_DecryptFinal, (CK_SESSION_HANDLE hSession, CK_BYTE_PTR pLastPart,                      \
                       CK_ULONG_PTR pulLastPartLen))                                           \
    X(C_DigestInit, (CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism))                 \
    X(C_Digest, (CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData, CK_ULONG ulDataLen,            \
                 CK_BYTE_PTR pDigest, CK_ULONG_PTR pulDigestLen))                              \
    X(C_DigestUpdate, (CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart, CK_ULONG ulPartLen))     \
    X(C_DigestKey, (CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hKey))                        \
    X(C_DigestFinal, (CK_SESSION_HANDLE hSession, CK_BYTE_PTR pDigest,                         \
                      CK_ULONG_PTR pulDigestLen))                                              \
    X(C_SignInit, (CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,                    \
                   CK_OBJECT_HANDLE hKey))                                                     \
    X(C_Sign, (CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData, CK_ULONG ulDataLen,              \
               CK_BYTE_PTR pSignature, CK_ULONG_PTR pulSignatureLen))                          \
    X(C_SignUpdate, (CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart, CK_ULONG ulPartLen))       \
    X(C_SignFinal, (CK_SESSION_HANDLE hSession, CK_BYTE_PTR pSignature,                        \
                    CK_ULONG_PTR pulSignatureLen))                                             \
    X(C_SignRecoverInit, (CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,             \
                          CK_OBJECT_HANDLE hKey))                                              \
    X(C_SignRecover, (CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData, CK_ULONG ulDataLen,       \
                      CK_BYTE_PTR pSignature, CK_ULONG_PTR pulSignatureLen))                   \
    X(C_VerifyInit, (CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,                  \
                     CK_OBJECT_HANDLE hKey))                                                   \
    X(C_Verify, (CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData, CK_ULONG ulDataLen,            \
                 CK_BYTE_PTR pSignature, CK_ULONG ulSignatureLen))                             \
    X(C_VerifyUpdate, (CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart, CK_ULONG ulPartLen))     \
    X(C_VerifyFinal, (CK_SESSION_HANDLE hSession, CK_BYTE_PTR pSignature,                      \
                      CK_ULONG ulSignatureLen))                                                \
    X(C_VerifyRecoverInit, (CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,           \
                            CK_OBJECT_HANDLE hKey))                                            \
    X(C_VerifyRecover, (CK_SESSION_HANDLE hSession, CK_BYTE_PTR pSignature,                    \
                        CK_ULONG ulSignatureLen, CK_BYTE_PTR pData, CK_ULONG_PTR pulDataLen))  \
    X(C_DigestEncryptUpdate, (CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart,                   \
                              CK_ULONG ulPartLen, CK_BYTE_PTR pEncryptedPart,                  \
                              CK_ULONG_PTR pulEncryptedPartLen))                               \
    X(C_DecryptDigestUpdate, (CK_SESSION_HANDLE hSession, CK_BYTE_PTR pEncryptedPart,          \
                              CK_ULONG ulEncryptedPartLen, CK_BYTE_PTR pPart,                  \
                              CK_ULONG_PTR pulPartLen))                                        \
    X(C_SignEncryptUpdate, (CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart,                     \
                            CK_ULONG ulPartLen, CK_BYTE_PTR pEncryptedPart,                    \
                            CK_ULONG_PTR pulEncryptedPartLen))                                 \
    X(C_DecryptVerifyUpdate, (CK_SESSION_HANDLE hSession, CK_BYTE_PTR pEncryptedPart,          \
                              CK_ULONG ulEncryptedPartLen, CK_BYTE_PTR pPart,                  \
                              CK_ULONG_PTR pulPartLen))                                        \
    X(C_GenerateKey, (CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,                 \
                      CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount,                            \
                      CK_OBJECT_HANDLE_PTR phKey))                                             \
    X(C_GenerateKeyPair, (CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,             \
                          CK_ATTRIBUTE_PTR pPublicKeyTemplate,                                 \
                          CK_ULONG ulPublicKeyAttributeCount,                                  \
                          CK_ATTRIBUTE_PTR pPrivateKeyTemplate,                                \
                          CK_ULONG ulPrivateKeyAttributeCount,                                 \
                          CK_OBJECT_HANDLE_PTR phPublicKey,                                    \
                          CK_OBJECT_HANDLE_PTR phPrivateKey))                                  \
    X(C_WrapKey, (CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,                     \
                  CK_OBJECT_HANDLE hWrappingKey, CK_OBJECT_HANDLE hKey,                        \
                  CK_BYTE_PTR pWrappedKey, CK_ULONG_PTR pulWrappedKeyLen))                     \
    X(C_UnwrapKey, (CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,                   \
                    CK_OBJECT_HANDLE hUnwrappingKey, CK_BYTE_PTR pWrappedKey,                  \
                    CK_ULONG ulWrappedKeyLen, CK_ATTRIBUTE_PTR pTemplate,                      \
                    CK_ULONG ulAttributeCount, CK_OBJECT_HANDLE_PTR phKey))                    \
    X(C_DeriveKey, (CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,                   \
                    CK_OBJECT_HANDLE hBaseKey, CK_ATTRIBUTE_PTR pTemplate,                     \
                    CK_ULONG ulAttributeCount, CK_OBJECT_HANDLE_PTR phKey))                    \
    X(C_SeedRandom, (CK_SESSION_HANDLE hSession, CK_BYTE_PTR pSeed, CK_ULONG ulSeedLen))       \
    X(C_GenerateRandom, (CK_SESSION_HANDLE hSession, CK_BYTE_PTR RandomData,                   \
                         CK_ULONG ulRandomLen))                                                \
    X(C_GetFunctionStatus, (CK_SESSION_HANDLE hSession))                                       \
    X(C_CancelFunction, (CK_SESSION_HANDLE hSession))                                          \
    X(C_WaitForSlotEvent, (CK_FLAGS flags, CK_SLOT_ID_PTR pSlot, CK_VOID_PTR pReserved))

/* ---- Functions added by 3.0, in CK_FUNCTION_LIST_3_0 order ---- */
#define TK_P11_FUNCTIONS_3_0(X)                                                                \
    X(C_GetInterfaceList, (CK_INTERFACE_PTR pInterfacesList, CK_ULONG_PTR pulCount))           \
    X(C_GetInterface, (CK_UTF8CHAR_PTR pInterfaceName, CK_VERSION_PTR pVersion,                \
                       CK_INTERFACE_PTR_PTR ppInterface, CK_FLAGS flags))                      \
    X(C_LoginUser, (CK_SESSION_HANDLE hSession, CK_USER_TYPE userType, CK_UTF8CHAR_PTR pPin,   \
                    CK_ULONG ulPinLen, CK_UTF8CHAR_PTR pUsername, CK_ULONG ulUsernameLen))     \
    X(C_SessionCancel, (CK_SESSION_HANDLE hSession, CK_FLAGS flags))                           \
    X(C_MessageEncryptInit, (CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,          \
                             CK_OBJECT_HANDLE hKey))                                           \
    X(C_EncryptMessage, (CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,                   \
                         CK_ULONG ulParameterLen, CK_BYTE_PTR pAssociatedData,                 \
                         CK_ULONG ulAssociatedDataLen, CK_BYTE_PTR pPlaintext,                 \
                         CK_ULONG ulPlaintextLen, CK_BYTE_PTR pCiphertext,                     \
                         CK_ULONG_PTR pulCiphertextLen))                                       \
    X(C_EncryptMessageBegin, (CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,              \
                              CK_ULONG ulParameterLen, CK_BYTE_PTR pAssociatedData,            \
                              CK_ULONG ulAssociatedDataLen))                                   \
    X(C_EncryptMessageNext, (CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,               \
                             CK_ULONG ulParameterLen, CK_BYTE_PTR pPlaintextPart,              \
                             CK_ULONG ulPlaintextPartLen, CK_BYTE_PTR pCiphertextPart,         \
                             CK_ULONG_PTR pulCiphertextPartLen, CK_FLAGS flags))               \
    X(C_MessageEncryptFinal, (CK_SESSION_HANDLE hSession))                                     \
    X(C_MessageDecryptInit, (CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,          \
                             CK_OBJECT_HANDLE hKey))                                           \
    X(C_DecryptMessage, (CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,                   \
                         CK_ULONG ulParameterLen, CK_BYTE_PTR pAssociatedData,                 \
                         CK_ULONG ulAssociatedDataLen, CK_BYTE_PTR pCiphertext,                \
                         CK_ULONG ulCiphertextLen, CK_BYTE_PTR pPlaintext,                     \
                         CK_ULONG_PTR pulPlaintextLen))                                        \
    X(C_DecryptMessageBegin, (CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,              \
                              CK_ULONG ulParameterLen, CK_BYTE_PTR pAssociatedData,            \
                              CK_ULONG ulAssociatedDataLen))                                   \
    X(C_DecryptMessageNext, (CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,               \
                             CK_ULONG ulParameterLen, CK_BYTE_PTR pCiphertextPart,             \
                             CK_ULONG ulCiphertextPartLen, CK_BYTE_PTR pPlaintextPart,         \
                             CK_ULONG_PTR pulPlaintextPartLen, CK_FLAGS flags))                \
    X(C_MessageDecryptFinal, (CK_SESSION_HANDLE hSession))                                     \
    X(C_MessageSignInit, (CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,             \
                          CK_OBJECT_HANDLE hKey))                                              \
    X(C_SignMessage, (CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,                      \
                      CK_ULONG ulParameterLen, CK_BYTE_PTR pData, CK_ULONG ulDataLen,          \
                      CK_BYTE_PTR pSignature, CK_ULONG_PTR pulSignatureLen))                   \
    X(C_SignMessageBegin, (CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,                 \
                           CK_ULONG ulParameterLen))                                           \
    X(C_SignMessageNext, (CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,                  \
                          CK_ULONG ulParameterLen, CK_BYTE_PTR pData, CK_ULONG ulDataLen,      \
                          CK_BYTE_PTR pSignature, CK_ULONG_PTR pulSignatureLen))               \
    X(C_MessageSignFinal, (CK_SESSION_HANDLE hSession))                                        \
    X(C_MessageVerifyInit, (CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,           \
                            CK_OBJECT_HANDLE hKey))                                            \
    X(C_VerifyMessage, (CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,                    \
                        CK_ULONG ulParameterLen, CK_BYTE_PTR pData, CK_ULONG ulDataLen,        \
                        CK_BYTE_PTR pSignature, CK_ULONG ulSignatureLen))                      \
    X(C_VerifyMessageBegin, (CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,               \
                             CK_ULONG ulParameterLen))                                         \
    X(C_VerifyMessageNext, (CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,                \
                            CK_ULONG ulParameterLen, CK_BYTE_PTR pData, CK_ULONG ulDataLen,    \
                            CK_BYTE_PTR pSignature, CK_ULONG ulSignatureLen))                  \
    X(C_MessageVerifyFinal, (CK_SESSION_HANDLE hSession))

/* ---- Functions added by 3.2, in CK_FUNCTION_LIST_3_2 order ---- */
#define TK_P11_FUNCTIONS_3_2(X)                                                                \
    X(C_EncapsulateKey, (CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,              \
                         CK_OBJECT_HANDLE hPublicKey, CK_ATTRIBUTE_PTR pTemplate,              \
                         CK_ULONG ulAttributeCount, CK_BYTE_PTR pCiphertext,                   \
                         CK_ULONG_PTR pulCiphertextLen, CK_OBJECT_HANDLE_PTR phKey))           \
    X(C_DecapsulateKey, (CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,              \
                         CK_OBJECT_HANDLE hPrivateKey, CK_ATTRIBUTE_PTR pTemplate,             \
                         CK_ULONG ulAttributeCount, CK_BYTE_PTR pCiphertext,                   \
                         CK_ULONG ulCiphertextLen, CK_OBJECT_HANDLE_PTR phKey))                \
    X(C_VerifySignatureInit, (CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,         \
                              CK_OBJECT_HANDLE hKey, CK_BYTE_PTR pSignature,                   \
                              CK_ULONG ulSignatureLen))                                        \
    X(C_VerifySignature, (CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData, CK_ULONG ulDataLen))  \
    X(C_VerifySignatureUpdate, (CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart,                 \
                                CK_ULONG ulPartLen))                                           \
    X(C_VerifySignatureFinal, (CK_SESSION_HANDLE hSession))                                    \
    X(C_GetSessionValidationFlags, (CK_SESSION_HANDLE hSession,                                \
                                    CK_SESSION_VALIDATION_FLAGS_TYPE type,                     \
                                    CK_FLAGS_PTR pFlags))                                      \
    X(C_AsyncComplete, (CK_SESSION_HANDLE hSession, CK_UTF8CHAR_PTR pFunctionName,             \
                        CK_ASYNC_DATA_PTR pResult))                                            \
    X(C_AsyncGetID, (CK_SESSION_HANDLE hSession, CK_UTF8CHAR_PTR pFunctionName,                \
                     CK_ULONG_PTR pulID))                                                      \
    X(C_AsyncJoin, (CK_SESSION_HANDLE hSession, CK_UTF8CHAR_PTR pFunctionName, CK_ULONG ulID,  \
                    CK_BYTE_PTR pData, CK_ULONG ulData))                                       \
    X(C_WrapKeyAuthenticated, (CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,        \
                               CK_OBJECT_HANDLE hWrappingKey, CK_OBJECT_HANDLE hKey,           \
                               CK_BYTE_PTR pAssociatedData, CK_ULONG ulAssociatedDataLen,      \
                               CK_BYTE_PTR pWrappedKey, CK_ULONG_PTR pulWrappedKeyLen))        \
    X(C_UnwrapKeyAuthenticated, (CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,      \
                                 CK_OBJECT_HANDLE hUnwrappingKey, CK_BYTE_PTR pWrappedKey,     \
                                 CK_ULONG ulWrappedKeyLen, CK_ATTRIBUTE_PTR pTemplate,         \
                                 CK_ULONG ulAttributeCount, CK_BYTE_PTR pAssociatedData,       \
                                 CK_ULONG ulAssociatedDataLen, CK_OBJECT_HANDLE_PTR phKey))

/* ---- Prototypes: C_Foo ---- */
#define TK_P11_PROTOTYPE(name, params) CK_DECLARE_FUNCTION(CK_RV, name) params;
TK_P11_FUNCTIONS_2_40(TK_P11_PROTOTYPE)
TK_P11_FUNCTIONS_3_0(TK_P11_PROTOTYPE)
TK_P11_FUNCTIONS_3_2(TK_P11_PROTOTYPE)
#undef TK_P11_PROTOTYPE

/* ---- Pointer types: CK_C_Foo ---- */
#define TK_P11_POINTER_TYPE(name, params)                                                      \
    typedef CK_DECLARE_FUNCTION_POINTER(CK_RV, CK_##name) params;
TK_P11_FUNCTIONS_2_40(TK_P11_POINTER_TYPE)
TK_P11_FUNCTIONS_3_0(TK_P11_POINTER_TYPE)
TK_P11_FUNCTIONS_3_2(TK_P11_POINTER_TYPE)
#undef TK_P11_POINTER_TYPE

/* ---- Function lists ---- */

/* One member per entry point, named like the function. */
#define TK_P11_LIST_MEMBER(name, params) CK_##name name;

/* The list returned by C_GetFunctionList; version is {2, 40} or higher. */
struct CK_FUNCTION_LIST {
    CK_VERSION version;
    TK_P11_FUNCTIONS_2_40(TK_P11_LIST_MEMBER)
};

/* Interface "PKCS 11" version 3.0: the 2.40 list followed by 24 entries. */
struct CK_FUNCTION_LIST_3_0 {
    CK_VERSION version;
    TK_P11_FUNCTIONS_2_40(TK_P11_LIST_MEMBER)
    TK_P11_FUNCTIONS_3_0(TK_P11_LIST_MEMBER)
};

/* Interface "PKCS 11" version 3.2: the 3.0 list followed by 12 entries. */
struct CK_FUNCTION_LIST_3_2 {
    CK_VERSION version;
    TK_P11_FUNCTIONS_2_40(TK_P11_LIST_MEMBER)
    TK_P11_FUNCTIONS_3_0(TK_P11_LIST_MEMBER)
    TK_P11_FUNCTIONS_3_2(TK_P11_LIST_MEMBER)
};

#undef TK_P11_LIST_MEMBER

#endif /* TK_PKCS11_FUNCTIONS_H */
