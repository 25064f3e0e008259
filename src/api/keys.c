/*
 * Key management entry points [PKCS11 3.2 §5.18]: generation, wrapping,
 * unwrapping, derivation and the 3.2 KEM functions. Templates, wrapped keys
 * and ciphertexts are never logged, only handles, counts and lengths.
 */
#include "api/api.h"

CK_DEFINE_FUNCTION(CK_RV, C_GenerateKey)(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                                         CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount,
                                         CK_OBJECT_HANDLE_PTR phKey)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    TK_API_CHECK_PTR(pMechanism);
    TK_API_CHECK_MECH_PARAM(pMechanism, CKR_ARGUMENTS_BAD);
    TK_API_CHECK_BUF(pTemplate, ulCount);
    TK_API_CHECK_PTR(phKey);
    rv = tk_core_generate_key(hSession, pMechanism, pTemplate, ulCount, phKey);
out:
    TK_DEBUG("C_GenerateKey session=%lu mech=0x%lx count=%lu key=%lu -> %s", hSession,
             tk_api_mech_type(pMechanism), ulCount, rv == CKR_OK ? *phKey : 0UL,
             tk_api_rv_name(rv));
    return rv;
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
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    TK_API_CHECK_PTR(pMechanism);
    TK_API_CHECK_MECH_PARAM(pMechanism, CKR_ARGUMENTS_BAD);
    TK_API_CHECK_BUF(pPublicKeyTemplate, ulPublicKeyAttributeCount);
    TK_API_CHECK_BUF(pPrivateKeyTemplate, ulPrivateKeyAttributeCount);
    TK_API_CHECK_PTR(phPublicKey);
    TK_API_CHECK_PTR(phPrivateKey);
    rv = tk_core_generate_key_pair(hSession, pMechanism, pPublicKeyTemplate,
                                   ulPublicKeyAttributeCount, pPrivateKeyTemplate,
                                   ulPrivateKeyAttributeCount, phPublicKey, phPrivateKey);
out:
    TK_DEBUG("C_GenerateKeyPair session=%lu mech=0x%lx public=%lu private=%lu -> %s", hSession,
             tk_api_mech_type(pMechanism), rv == CKR_OK ? *phPublicKey : 0UL,
             rv == CKR_OK ? *phPrivateKey : 0UL, tk_api_rv_name(rv));
    return rv;
}

CK_DEFINE_FUNCTION(CK_RV, C_WrapKey)(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                                     CK_OBJECT_HANDLE hWrappingKey, CK_OBJECT_HANDLE hKey,
                                     CK_BYTE_PTR pWrappedKey, CK_ULONG_PTR pulWrappedKeyLen)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    TK_API_CHECK_PTR(pMechanism);
    TK_API_CHECK_MECH_PARAM(pMechanism, CKR_ARGUMENTS_BAD);
    TK_API_CHECK_PTR(pulWrappedKeyLen);
    rv = tk_core_wrap_key(hSession, pMechanism, hWrappingKey, hKey, pWrappedKey,
                          pulWrappedKeyLen);
out:
    TK_DEBUG("C_WrapKey session=%lu mech=0x%lx wrapping=%lu key=%lu out=%s len=%lu -> %s",
             hSession, tk_api_mech_type(pMechanism), hWrappingKey, hKey,
             pWrappedKey != NULL ? "set" : "NULL", tk_api_ulong_or_na(pulWrappedKeyLen),
             tk_api_rv_name(rv));
    return rv;
}

CK_DEFINE_FUNCTION(CK_RV, C_UnwrapKey)(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                                       CK_OBJECT_HANDLE hUnwrappingKey, CK_BYTE_PTR pWrappedKey,
                                       CK_ULONG ulWrappedKeyLen, CK_ATTRIBUTE_PTR pTemplate,
                                       CK_ULONG ulAttributeCount, CK_OBJECT_HANDLE_PTR phKey)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    TK_API_CHECK_PTR(pMechanism);
    TK_API_CHECK_MECH_PARAM(pMechanism, CKR_ARGUMENTS_BAD);
    TK_API_CHECK_BUF(pWrappedKey, ulWrappedKeyLen);
    TK_API_CHECK_BUF(pTemplate, ulAttributeCount);
    TK_API_CHECK_PTR(phKey);
    rv = tk_core_unwrap_key(hSession, pMechanism, hUnwrappingKey, pWrappedKey, ulWrappedKeyLen,
                            pTemplate, ulAttributeCount, phKey);
out:
    TK_DEBUG("C_UnwrapKey session=%lu mech=0x%lx unwrapping=%lu len=%lu count=%lu key=%lu -> %s",
             hSession, tk_api_mech_type(pMechanism), hUnwrappingKey, ulWrappedKeyLen,
             ulAttributeCount, rv == CKR_OK ? *phKey : 0UL, tk_api_rv_name(rv));
    return rv;
}

/*
 * phKey is required: no mechanism of this token returns its keys through
 * the parameter instead (as the SSL and TLS key-and-MAC derivations do).
 */
CK_DEFINE_FUNCTION(CK_RV, C_DeriveKey)(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                                       CK_OBJECT_HANDLE hBaseKey, CK_ATTRIBUTE_PTR pTemplate,
                                       CK_ULONG ulAttributeCount, CK_OBJECT_HANDLE_PTR phKey)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    TK_API_CHECK_PTR(pMechanism);
    TK_API_CHECK_MECH_PARAM(pMechanism, CKR_ARGUMENTS_BAD);
    TK_API_CHECK_BUF(pTemplate, ulAttributeCount);
    TK_API_CHECK_PTR(phKey);
    rv = tk_core_derive_key(hSession, pMechanism, hBaseKey, pTemplate, ulAttributeCount, phKey);
out:
    TK_DEBUG("C_DeriveKey session=%lu mech=0x%lx base=%lu count=%lu key=%lu -> %s", hSession,
             tk_api_mech_type(pMechanism), hBaseKey, ulAttributeCount,
             rv == CKR_OK ? *phKey : 0UL, tk_api_rv_name(rv));
    return rv;
}

/* A NULL pCiphertext asks for the length and makes no key (core.h). */
CK_DEFINE_FUNCTION(CK_RV, C_EncapsulateKey)(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                                            CK_OBJECT_HANDLE hPublicKey, CK_ATTRIBUTE_PTR pTemplate,
                                            CK_ULONG ulAttributeCount, CK_BYTE_PTR pCiphertext,
                                            CK_ULONG_PTR pulCiphertextLen,
                                            CK_OBJECT_HANDLE_PTR phKey)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    TK_API_CHECK_PTR(pMechanism);
    TK_API_CHECK_MECH_PARAM(pMechanism, CKR_ARGUMENTS_BAD);
    TK_API_CHECK_BUF(pTemplate, ulAttributeCount);
    TK_API_CHECK_PTR(pulCiphertextLen);
    TK_API_CHECK_PTR(phKey);
    rv = tk_core_encapsulate_key(hSession, pMechanism, hPublicKey, pTemplate, ulAttributeCount,
                                 pCiphertext, pulCiphertextLen, phKey);
out:
    TK_DEBUG("C_EncapsulateKey session=%lu mech=0x%lx public=%lu count=%lu ct=%s ct_len=%lu "
             "key=%lu -> %s",
             hSession, tk_api_mech_type(pMechanism), hPublicKey, ulAttributeCount,
             pCiphertext != NULL ? "set" : "NULL", tk_api_ulong_or_na(pulCiphertextLen),
             rv == CKR_OK && pCiphertext != NULL ? *phKey : 0UL, tk_api_rv_name(rv));
    return rv;
}

CK_DEFINE_FUNCTION(CK_RV, C_DecapsulateKey)(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                                            CK_OBJECT_HANDLE hPrivateKey,
                                            CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulAttributeCount,
                                            CK_BYTE_PTR pCiphertext, CK_ULONG ulCiphertextLen,
                                            CK_OBJECT_HANDLE_PTR phKey)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    TK_API_CHECK_PTR(pMechanism);
    TK_API_CHECK_MECH_PARAM(pMechanism, CKR_ARGUMENTS_BAD);
    TK_API_CHECK_BUF(pTemplate, ulAttributeCount);
    TK_API_CHECK_BUF(pCiphertext, ulCiphertextLen);
    TK_API_CHECK_PTR(phKey);
    rv = tk_core_decapsulate_key(hSession, pMechanism, hPrivateKey, pTemplate, ulAttributeCount,
                                 pCiphertext, ulCiphertextLen, phKey);
out:
    TK_DEBUG("C_DecapsulateKey session=%lu mech=0x%lx private=%lu count=%lu ct_len=%lu "
             "key=%lu -> %s",
             hSession, tk_api_mech_type(pMechanism), hPrivateKey, ulAttributeCount,
             ulCiphertextLen, rv == CKR_OK ? *phKey : 0UL, tk_api_rv_name(rv));
    return rv;
}

/*
 * TODO: no authenticated wrapping yet. core has no wrap/unwrap entry that
 * takes associated data, and mech has no AEAD key-wrap path (AES-GCM or
 * AES-CCM with message parameters), so these two answer
 * CKR_FUNCTION_NOT_SUPPORTED once the library is initialised; plain
 * C_WrapKey/C_UnwrapKey work meanwhile.
 */

CK_DEFINE_FUNCTION(CK_RV, C_WrapKeyAuthenticated)(CK_SESSION_HANDLE hSession,
                                                  CK_MECHANISM_PTR pMechanism,
                                                  CK_OBJECT_HANDLE hWrappingKey,
                                                  CK_OBJECT_HANDLE hKey,
                                                  CK_BYTE_PTR pAssociatedData,
                                                  CK_ULONG ulAssociatedDataLen,
                                                  CK_BYTE_PTR pWrappedKey,
                                                  CK_ULONG_PTR pulWrappedKeyLen)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    rv = CKR_FUNCTION_NOT_SUPPORTED;
out:
    TK_DEBUG("C_WrapKeyAuthenticated session=%lu mech=0x%lx wrapping=%lu key=%lu -> %s",
             hSession, tk_api_mech_type(pMechanism), hWrappingKey, hKey, tk_api_rv_name(rv));
    return rv;
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
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    rv = CKR_FUNCTION_NOT_SUPPORTED;
out:
    TK_DEBUG("C_UnwrapKeyAuthenticated session=%lu mech=0x%lx unwrapping=%lu -> %s", hSession,
             tk_api_mech_type(pMechanism), hUnwrappingKey, tk_api_rv_name(rv));
    return rv;
}
