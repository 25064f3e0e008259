/*
 * Entry points whose mechanism work is not written yet: encryption,
 * decryption, digests, signing, verification, dual-function updates, key
 * management, the message-based functions, KEMs and asynchronous completion.
 *
 * Each one already has its exported definition and its slot in every
 * function list, so applications see a complete 3.2 interface. When a
 * family lands, its bodies here become argument checks plus one call into
 * src/core, like the entry points of session.c and object.c.
 */
#include "api/api.h"

/*
 * The common answer of an unfinished entry point: not initialised, or not
 * supported. Logs the call at debug level.
 */
static CK_RV
tk_api_stub(const char *fn, CK_SESSION_HANDLE h)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    rv = CKR_FUNCTION_NOT_SUPPORTED;
out:
    TK_DEBUG("%s session=%lu -> %s", fn, h, tk_api_rv_name(rv));
    return rv;
}

/* As tk_api_stub(), for functions that take a mechanism and a key. */
static CK_RV
tk_api_stub_mech(const char *fn, CK_SESSION_HANDLE h, const CK_MECHANISM *mech,
                 CK_OBJECT_HANDLE key)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    rv = CKR_FUNCTION_NOT_SUPPORTED;
out:
    TK_DEBUG("%s session=%lu mech=0x%lx key=%lu -> %s", fn, h, tk_api_mech_type(mech), key,
             tk_api_rv_name(rv));
    return rv;
}

/* ---- Encryption [PKCS11 3.2 §5.8] ---- */

/*
 * TODO: no single- and multi-part encryption yet; issue 3/4 brings them.
 * Until then each of these answers CKR_FUNCTION_NOT_SUPPORTED once the
 * library is initialised.
 */

CK_DEFINE_FUNCTION(CK_RV, C_EncryptInit)(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                                         CK_OBJECT_HANDLE hKey)
{
    return tk_api_stub_mech("C_EncryptInit", hSession, pMechanism, hKey);
}

CK_DEFINE_FUNCTION(CK_RV, C_Encrypt)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData,
                                     CK_ULONG ulDataLen, CK_BYTE_PTR pEncryptedData,
                                     CK_ULONG_PTR pulEncryptedDataLen)
{
    return tk_api_stub("C_Encrypt", hSession);
}

CK_DEFINE_FUNCTION(CK_RV, C_EncryptUpdate)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart,
                                           CK_ULONG ulPartLen, CK_BYTE_PTR pEncryptedPart,
                                           CK_ULONG_PTR pulEncryptedPartLen)
{
    return tk_api_stub("C_EncryptUpdate", hSession);
}

CK_DEFINE_FUNCTION(CK_RV, C_EncryptFinal)(CK_SESSION_HANDLE hSession,
                                          CK_BYTE_PTR pLastEncryptedPart,
                                          CK_ULONG_PTR pulLastEncryptedPartLen)
{
    return tk_api_stub("C_EncryptFinal", hSession);
}

/* ---- Decryption [PKCS11 3.2 §5.10] ---- */

/*
 * TODO: no single- and multi-part decryption yet; issue 3/4 brings them.
 * Until then each of these answers CKR_FUNCTION_NOT_SUPPORTED once the
 * library is initialised.
 */

CK_DEFINE_FUNCTION(CK_RV, C_DecryptInit)(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                                         CK_OBJECT_HANDLE hKey)
{
    return tk_api_stub_mech("C_DecryptInit", hSession, pMechanism, hKey);
}

CK_DEFINE_FUNCTION(CK_RV, C_Decrypt)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pEncryptedData,
                                     CK_ULONG ulEncryptedDataLen, CK_BYTE_PTR pData,
                                     CK_ULONG_PTR pulDataLen)
{
    return tk_api_stub("C_Decrypt", hSession);
}

CK_DEFINE_FUNCTION(CK_RV, C_DecryptUpdate)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pEncryptedPart,
                                           CK_ULONG ulEncryptedPartLen, CK_BYTE_PTR pPart,
                                           CK_ULONG_PTR pulPartLen)
{
    return tk_api_stub("C_DecryptUpdate", hSession);
}

CK_DEFINE_FUNCTION(CK_RV, C_DecryptFinal)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pLastPart,
                                          CK_ULONG_PTR pulLastPartLen)
{
    return tk_api_stub("C_DecryptFinal", hSession);
}

/* ---- Message digesting [PKCS11 3.2 §5.12] ---- */

/*
 * TODO: no digests yet; issue 3/4 brings them. Until then each of these
 * answers CKR_FUNCTION_NOT_SUPPORTED once the library is initialised.
 */

CK_DEFINE_FUNCTION(CK_RV, C_DigestInit)(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism)
{
    return tk_api_stub_mech("C_DigestInit", hSession, pMechanism, CK_INVALID_HANDLE);
}

CK_DEFINE_FUNCTION(CK_RV, C_Digest)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData,
                                    CK_ULONG ulDataLen, CK_BYTE_PTR pDigest,
                                    CK_ULONG_PTR pulDigestLen)
{
    return tk_api_stub("C_Digest", hSession);
}

CK_DEFINE_FUNCTION(CK_RV, C_DigestUpdate)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart,
                                          CK_ULONG ulPartLen)
{
    return tk_api_stub("C_DigestUpdate", hSession);
}

CK_DEFINE_FUNCTION(CK_RV, C_DigestKey)(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hKey)
{
    return tk_api_stub("C_DigestKey", hSession);
}

CK_DEFINE_FUNCTION(CK_RV, C_DigestFinal)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pDigest,
                                         CK_ULONG_PTR pulDigestLen)
{
    return tk_api_stub("C_DigestFinal", hSession);
}

/* ---- Signing and MACing [PKCS11 3.2 §5.13] ---- */

/*
 * TODO: no signatures and MACs yet; issue 3/4 brings them. Until then each
 * of these answers CKR_FUNCTION_NOT_SUPPORTED once the library is
 * initialised.
 */

CK_DEFINE_FUNCTION(CK_RV, C_SignInit)(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                                      CK_OBJECT_HANDLE hKey)
{
    return tk_api_stub_mech("C_SignInit", hSession, pMechanism, hKey);
}

CK_DEFINE_FUNCTION(CK_RV, C_Sign)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData, CK_ULONG ulDataLen,
                                  CK_BYTE_PTR pSignature, CK_ULONG_PTR pulSignatureLen)
{
    return tk_api_stub("C_Sign", hSession);
}

CK_DEFINE_FUNCTION(CK_RV, C_SignUpdate)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart,
                                        CK_ULONG ulPartLen)
{
    return tk_api_stub("C_SignUpdate", hSession);
}

CK_DEFINE_FUNCTION(CK_RV, C_SignFinal)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pSignature,
                                       CK_ULONG_PTR pulSignatureLen)
{
    return tk_api_stub("C_SignFinal", hSession);
}

CK_DEFINE_FUNCTION(CK_RV, C_SignRecoverInit)(CK_SESSION_HANDLE hSession,
                                             CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey)
{
    return tk_api_stub_mech("C_SignRecoverInit", hSession, pMechanism, hKey);
}

CK_DEFINE_FUNCTION(CK_RV, C_SignRecover)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData,
                                         CK_ULONG ulDataLen, CK_BYTE_PTR pSignature,
                                         CK_ULONG_PTR pulSignatureLen)
{
    return tk_api_stub("C_SignRecover", hSession);
}

/* ---- Verifying signatures and MACs [PKCS11 3.2 §5.15] ---- */

/*
 * TODO: no verification yet; issue 3/4 brings them. Until then each of these
 * answers CKR_FUNCTION_NOT_SUPPORTED once the library is initialised.
 */

CK_DEFINE_FUNCTION(CK_RV, C_VerifyInit)(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                                        CK_OBJECT_HANDLE hKey)
{
    return tk_api_stub_mech("C_VerifyInit", hSession, pMechanism, hKey);
}

CK_DEFINE_FUNCTION(CK_RV, C_Verify)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData,
                                    CK_ULONG ulDataLen, CK_BYTE_PTR pSignature,
                                    CK_ULONG ulSignatureLen)
{
    return tk_api_stub("C_Verify", hSession);
}

CK_DEFINE_FUNCTION(CK_RV, C_VerifyUpdate)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart,
                                          CK_ULONG ulPartLen)
{
    return tk_api_stub("C_VerifyUpdate", hSession);
}

CK_DEFINE_FUNCTION(CK_RV, C_VerifyFinal)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pSignature,
                                         CK_ULONG ulSignatureLen)
{
    return tk_api_stub("C_VerifyFinal", hSession);
}

CK_DEFINE_FUNCTION(CK_RV, C_VerifyRecoverInit)(CK_SESSION_HANDLE hSession,
                                               CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey)
{
    return tk_api_stub_mech("C_VerifyRecoverInit", hSession, pMechanism, hKey);
}

CK_DEFINE_FUNCTION(CK_RV, C_VerifyRecover)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pSignature,
                                           CK_ULONG ulSignatureLen, CK_BYTE_PTR pData,
                                           CK_ULONG_PTR pulDataLen)
{
    return tk_api_stub("C_VerifyRecover", hSession);
}

CK_DEFINE_FUNCTION(CK_RV, C_VerifySignatureInit)(CK_SESSION_HANDLE hSession,
                                                 CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey,
                                                 CK_BYTE_PTR pSignature, CK_ULONG ulSignatureLen)
{
    return tk_api_stub_mech("C_VerifySignatureInit", hSession, pMechanism, hKey);
}

CK_DEFINE_FUNCTION(CK_RV, C_VerifySignature)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData,
                                             CK_ULONG ulDataLen)
{
    return tk_api_stub("C_VerifySignature", hSession);
}

CK_DEFINE_FUNCTION(CK_RV, C_VerifySignatureUpdate)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart,
                                                   CK_ULONG ulPartLen)
{
    return tk_api_stub("C_VerifySignatureUpdate", hSession);
}

CK_DEFINE_FUNCTION(CK_RV, C_VerifySignatureFinal)(CK_SESSION_HANDLE hSession)
{
    return tk_api_stub("C_VerifySignatureFinal", hSession);
}

/* ---- Dual-function operations [PKCS11 3.2 §5.17] ---- */

/*
 * TODO: no dual-function updates yet; issue 3/4 brings them. Until then each
 * of these answers CKR_FUNCTION_NOT_SUPPORTED once the library is
 * initialised.
 */

CK_DEFINE_FUNCTION(CK_RV, C_DigestEncryptUpdate)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart,
                                                 CK_ULONG ulPartLen, CK_BYTE_PTR pEncryptedPart,
                                                 CK_ULONG_PTR pulEncryptedPartLen)
{
    return tk_api_stub("C_DigestEncryptUpdate", hSession);
}

CK_DEFINE_FUNCTION(CK_RV, C_DecryptDigestUpdate)(CK_SESSION_HANDLE hSession,
                                                 CK_BYTE_PTR pEncryptedPart,
                                                 CK_ULONG ulEncryptedPartLen, CK_BYTE_PTR pPart,
                                                 CK_ULONG_PTR pulPartLen)
{
    return tk_api_stub("C_DecryptDigestUpdate", hSession);
}

CK_DEFINE_FUNCTION(CK_RV, C_SignEncryptUpdate)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart,
                                               CK_ULONG ulPartLen, CK_BYTE_PTR pEncryptedPart,
                                               CK_ULONG_PTR pulEncryptedPartLen)
{
    return tk_api_stub("C_SignEncryptUpdate", hSession);
}

CK_DEFINE_FUNCTION(CK_RV, C_DecryptVerifyUpdate)(CK_SESSION_HANDLE hSession,
                                                 CK_BYTE_PTR pEncryptedPart,
                                                 CK_ULONG ulEncryptedPartLen, CK_BYTE_PTR pPart,
                                                 CK_ULONG_PTR pulPartLen)
{
    return tk_api_stub("C_DecryptVerifyUpdate", hSession);
}

/* ---- Key management [PKCS11 3.2 §5.18] ---- */

/*
 * TODO: no key generation, wrapping, unwrapping, derivation and KEMs yet;
 * issue 3/4 brings them. Until then each of these answers
 * CKR_FUNCTION_NOT_SUPPORTED once the library is initialised.
 */

CK_DEFINE_FUNCTION(CK_RV, C_GenerateKey)(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                                         CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount,
                                         CK_OBJECT_HANDLE_PTR phKey)
{
    return tk_api_stub_mech("C_GenerateKey", hSession, pMechanism, CK_INVALID_HANDLE);
}

CK_DEFINE_FUNCTION(CK_RV, C_GenerateKeyPair)(CK_SESSION_HANDLE hSession,
                                             CK_MECHANISM_PTR pMechanism,
                                             CK_ATTRIBUTE_PTR pPublicKeyTemplate,
                                             CK_ULONG ulPublicKeyAttributeCount,
                                             CK_ATTRIBUTE_PTR pPrivateKeyTemplate,
                                             CK_ULONG ulPrivateKeyAttributeCount,
                                             CK_OBJECT_HANDLE_PTR phPublicKey,
                                             CK_OBJECT_HANDLE_PTR phPrivateKey)
{
    return tk_api_stub_mech("C_GenerateKeyPair", hSession, pMechanism, CK_INVALID_HANDLE);
}

CK_DEFINE_FUNCTION(CK_RV, C_WrapKey)(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                                     CK_OBJECT_HANDLE hWrappingKey, CK_OBJECT_HANDLE hKey,
                                     CK_BYTE_PTR pWrappedKey, CK_ULONG_PTR pulWrappedKeyLen)
{
    return tk_api_stub_mech("C_WrapKey", hSession, pMechanism, hWrappingKey);
}

CK_DEFINE_FUNCTION(CK_RV, C_UnwrapKey)(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                                       CK_OBJECT_HANDLE hUnwrappingKey, CK_BYTE_PTR pWrappedKey,
                                       CK_ULONG ulWrappedKeyLen, CK_ATTRIBUTE_PTR pTemplate,
                                       CK_ULONG ulAttributeCount, CK_OBJECT_HANDLE_PTR phKey)
{
    return tk_api_stub_mech("C_UnwrapKey", hSession, pMechanism, hUnwrappingKey);
}

CK_DEFINE_FUNCTION(CK_RV, C_DeriveKey)(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                                       CK_OBJECT_HANDLE hBaseKey, CK_ATTRIBUTE_PTR pTemplate,
                                       CK_ULONG ulAttributeCount, CK_OBJECT_HANDLE_PTR phKey)
{
    return tk_api_stub_mech("C_DeriveKey", hSession, pMechanism, hBaseKey);
}

CK_DEFINE_FUNCTION(CK_RV, C_EncapsulateKey)(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                                            CK_OBJECT_HANDLE hPublicKey, CK_ATTRIBUTE_PTR pTemplate,
                                            CK_ULONG ulAttributeCount, CK_BYTE_PTR pCiphertext,
                                            CK_ULONG_PTR pulCiphertextLen,
                                            CK_OBJECT_HANDLE_PTR phKey)
{
    return tk_api_stub_mech("C_EncapsulateKey", hSession, pMechanism, hPublicKey);
}

CK_DEFINE_FUNCTION(CK_RV, C_DecapsulateKey)(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                                            CK_OBJECT_HANDLE hPrivateKey,
                                            CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulAttributeCount,
                                            CK_BYTE_PTR pCiphertext, CK_ULONG ulCiphertextLen,
                                            CK_OBJECT_HANDLE_PTR phKey)
{
    return tk_api_stub_mech("C_DecapsulateKey", hSession, pMechanism, hPrivateKey);
}

CK_DEFINE_FUNCTION(CK_RV, C_WrapKeyAuthenticated)(CK_SESSION_HANDLE hSession,
                                                  CK_MECHANISM_PTR pMechanism,
                                                  CK_OBJECT_HANDLE hWrappingKey,
                                                  CK_OBJECT_HANDLE hKey,
                                                  CK_BYTE_PTR pAssociatedData,
                                                  CK_ULONG ulAssociatedDataLen,
                                                  CK_BYTE_PTR pWrappedKey,
                                                  CK_ULONG_PTR pulWrappedKeyLen)
{
    return tk_api_stub_mech("C_WrapKeyAuthenticated", hSession, pMechanism, hWrappingKey);
}

CK_DEFINE_FUNCTION(CK_RV, C_UnwrapKeyAuthenticated)(CK_SESSION_HANDLE hSession,
                                                    CK_MECHANISM_PTR pMechanism,
                                                    CK_OBJECT_HANDLE hUnwrappingKey,
                                                    CK_BYTE_PTR pWrappedKey,
                                                    CK_ULONG ulWrappedKeyLen,
                                                    CK_ATTRIBUTE_PTR pTemplate,
                                                    CK_ULONG ulAttributeCount,
                                                    CK_BYTE_PTR pAssociatedData,
                                                    CK_ULONG ulAssociatedDataLen,
                                                    CK_OBJECT_HANDLE_PTR phKey)
{
    return tk_api_stub_mech("C_UnwrapKeyAuthenticated", hSession, pMechanism, hUnwrappingKey);
}

/* ---- Message-based encryption and decryption [PKCS11 3.2 §5.9, §5.11] ---- */

/*
 * TODO: no message-based encryption yet; issue 3/4 brings them. Until then
 * each of these answers CKR_FUNCTION_NOT_SUPPORTED once the library is
 * initialised.
 */

CK_DEFINE_FUNCTION(CK_RV, C_MessageEncryptInit)(CK_SESSION_HANDLE hSession,
                                                CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey)
{
    return tk_api_stub_mech("C_MessageEncryptInit", hSession, pMechanism, hKey);
}

CK_DEFINE_FUNCTION(CK_RV, C_EncryptMessage)(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,
                                            CK_ULONG ulParameterLen, CK_BYTE_PTR pAssociatedData,
                                            CK_ULONG ulAssociatedDataLen, CK_BYTE_PTR pPlaintext,
                                            CK_ULONG ulPlaintextLen, CK_BYTE_PTR pCiphertext,
                                            CK_ULONG_PTR pulCiphertextLen)
{
    return tk_api_stub("C_EncryptMessage", hSession);
}

CK_DEFINE_FUNCTION(CK_RV, C_EncryptMessageBegin)(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,
                                                 CK_ULONG ulParameterLen,
                                                 CK_BYTE_PTR pAssociatedData,
                                                 CK_ULONG ulAssociatedDataLen)
{
    return tk_api_stub("C_EncryptMessageBegin", hSession);
}

CK_DEFINE_FUNCTION(CK_RV, C_EncryptMessageNext)(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,
                                                CK_ULONG ulParameterLen, CK_BYTE_PTR pPlaintextPart,
                                                CK_ULONG ulPlaintextPartLen,
                                                CK_BYTE_PTR pCiphertextPart,
                                                CK_ULONG_PTR pulCiphertextPartLen, CK_FLAGS flags)
{
    return tk_api_stub("C_EncryptMessageNext", hSession);
}

CK_DEFINE_FUNCTION(CK_RV, C_MessageEncryptFinal)(CK_SESSION_HANDLE hSession)
{
    return tk_api_stub("C_MessageEncryptFinal", hSession);
}

CK_DEFINE_FUNCTION(CK_RV, C_MessageDecryptInit)(CK_SESSION_HANDLE hSession,
                                                CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey)
{
    return tk_api_stub_mech("C_MessageDecryptInit", hSession, pMechanism, hKey);
}

CK_DEFINE_FUNCTION(CK_RV, C_DecryptMessage)(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,
                                            CK_ULONG ulParameterLen, CK_BYTE_PTR pAssociatedData,
                                            CK_ULONG ulAssociatedDataLen, CK_BYTE_PTR pCiphertext,
                                            CK_ULONG ulCiphertextLen, CK_BYTE_PTR pPlaintext,
                                            CK_ULONG_PTR pulPlaintextLen)
{
    return tk_api_stub("C_DecryptMessage", hSession);
}

CK_DEFINE_FUNCTION(CK_RV, C_DecryptMessageBegin)(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,
                                                 CK_ULONG ulParameterLen,
                                                 CK_BYTE_PTR pAssociatedData,
                                                 CK_ULONG ulAssociatedDataLen)
{
    return tk_api_stub("C_DecryptMessageBegin", hSession);
}

CK_DEFINE_FUNCTION(CK_RV, C_DecryptMessageNext)(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,
                                                CK_ULONG ulParameterLen,
                                                CK_BYTE_PTR pCiphertextPart,
                                                CK_ULONG ulCiphertextPartLen,
                                                CK_BYTE_PTR pPlaintextPart,
                                                CK_ULONG_PTR pulPlaintextPartLen, CK_FLAGS flags)
{
    return tk_api_stub("C_DecryptMessageNext", hSession);
}

CK_DEFINE_FUNCTION(CK_RV, C_MessageDecryptFinal)(CK_SESSION_HANDLE hSession)
{
    return tk_api_stub("C_MessageDecryptFinal", hSession);
}

/* ---- Message-based signing and verification [PKCS11 3.2 §5.14, §5.16] ---- */

/*
 * TODO: no message-based signing yet; issue 3/4 brings them. Until then each
 * of these answers CKR_FUNCTION_NOT_SUPPORTED once the library is
 * initialised.
 */

CK_DEFINE_FUNCTION(CK_RV, C_MessageSignInit)(CK_SESSION_HANDLE hSession,
                                             CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey)
{
    return tk_api_stub_mech("C_MessageSignInit", hSession, pMechanism, hKey);
}

CK_DEFINE_FUNCTION(CK_RV, C_SignMessage)(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,
                                         CK_ULONG ulParameterLen, CK_BYTE_PTR pData,
                                         CK_ULONG ulDataLen, CK_BYTE_PTR pSignature,
                                         CK_ULONG_PTR pulSignatureLen)
{
    return tk_api_stub("C_SignMessage", hSession);
}

CK_DEFINE_FUNCTION(CK_RV, C_SignMessageBegin)(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,
                                              CK_ULONG ulParameterLen)
{
    return tk_api_stub("C_SignMessageBegin", hSession);
}

CK_DEFINE_FUNCTION(CK_RV, C_SignMessageNext)(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,
                                             CK_ULONG ulParameterLen, CK_BYTE_PTR pData,
                                             CK_ULONG ulDataLen, CK_BYTE_PTR pSignature,
                                             CK_ULONG_PTR pulSignatureLen)
{
    return tk_api_stub("C_SignMessageNext", hSession);
}

CK_DEFINE_FUNCTION(CK_RV, C_MessageSignFinal)(CK_SESSION_HANDLE hSession)
{
    return tk_api_stub("C_MessageSignFinal", hSession);
}

CK_DEFINE_FUNCTION(CK_RV, C_MessageVerifyInit)(CK_SESSION_HANDLE hSession,
                                               CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey)
{
    return tk_api_stub_mech("C_MessageVerifyInit", hSession, pMechanism, hKey);
}

CK_DEFINE_FUNCTION(CK_RV, C_VerifyMessage)(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,
                                           CK_ULONG ulParameterLen, CK_BYTE_PTR pData,
                                           CK_ULONG ulDataLen, CK_BYTE_PTR pSignature,
                                           CK_ULONG ulSignatureLen)
{
    return tk_api_stub("C_VerifyMessage", hSession);
}

CK_DEFINE_FUNCTION(CK_RV, C_VerifyMessageBegin)(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,
                                                CK_ULONG ulParameterLen)
{
    return tk_api_stub("C_VerifyMessageBegin", hSession);
}

CK_DEFINE_FUNCTION(CK_RV, C_VerifyMessageNext)(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,
                                               CK_ULONG ulParameterLen, CK_BYTE_PTR pData,
                                               CK_ULONG ulDataLen, CK_BYTE_PTR pSignature,
                                               CK_ULONG ulSignatureLen)
{
    return tk_api_stub("C_VerifyMessageNext", hSession);
}

CK_DEFINE_FUNCTION(CK_RV, C_MessageVerifyFinal)(CK_SESSION_HANDLE hSession)
{
    return tk_api_stub("C_MessageVerifyFinal", hSession);
}

/* ---- Asynchronous operations [PKCS11 3.2 §5.21] ---- */

/*
 * TODO: no asynchronous completion yet; issue 3/4 brings them. Until then
 * each of these answers CKR_FUNCTION_NOT_SUPPORTED once the library is
 * initialised.
 */

CK_DEFINE_FUNCTION(CK_RV, C_AsyncComplete)(CK_SESSION_HANDLE hSession,
                                           CK_UTF8CHAR_PTR pFunctionName, CK_ASYNC_DATA_PTR pResult)
{
    return tk_api_stub("C_AsyncComplete", hSession);
}

CK_DEFINE_FUNCTION(CK_RV, C_AsyncGetID)(CK_SESSION_HANDLE hSession, CK_UTF8CHAR_PTR pFunctionName,
                                        CK_ULONG_PTR pulID)
{
    return tk_api_stub("C_AsyncGetID", hSession);
}

CK_DEFINE_FUNCTION(CK_RV, C_AsyncJoin)(CK_SESSION_HANDLE hSession, CK_UTF8CHAR_PTR pFunctionName,
                                       CK_ULONG ulID, CK_BYTE_PTR pData, CK_ULONG ulData)
{
    return tk_api_stub("C_AsyncJoin", hSession);
}
