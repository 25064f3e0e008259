/*
 * Checks include/trustoken/pkcs11.h against the published PKCS#11 3.2 ABI
 * [PKCS11 3.2 §3, §5, §6]:
 *   - function-list member order, written out here by hand from the
 *     specification so that it is independent of the header's own lists;
 *   - parameter lists of the 3.2 entry points;
 *   - sizes and offsets of structures on LP64 Linux;
 *   - a sample of constant values;
 *   - at run time, that CK_DEFINE_FUNCTION exports an entry point from a
 *     module built with hidden visibility.
 * Everything but the last step fails the build rather than the run.
 */
#include <trustoken/pkcs11.h>
#include <trustoken/trustoken.h>

#include <dlfcn.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define TK_ASSERT_EQ(a, b) _Static_assert((a) == (b), #a " == " #b)

/* ---- Scalar types: the Unix ABI of [PKCS11 3.2 §2] ---- */

TK_ASSERT_EQ(sizeof(CK_BYTE), 1);
TK_ASSERT_EQ(sizeof(CK_BBOOL), 1);
TK_ASSERT_EQ(sizeof(CK_ULONG), sizeof(unsigned long));
TK_ASSERT_EQ(sizeof(CK_LONG), sizeof(long));
TK_ASSERT_EQ((CK_ULONG)-1 > 0, 1);
TK_ASSERT_EQ(CK_UNAVAILABLE_INFORMATION, (CK_ULONG)-1);
TK_ASSERT_EQ(sizeof(CK_VOID_PTR), sizeof(void *));

/* ---- Function lists ---- */

/* Offset of the first entry: CK_VERSION padded to pointer alignment. */
#define TK_FN_BASE(list) offsetof(list, C_Initialize)
#define TK_FN_AT(list, name, index)                                                            \
    TK_ASSERT_EQ(offsetof(list, name), TK_FN_BASE(list) + (index) * sizeof(void *))

TK_ASSERT_EQ(offsetof(CK_FUNCTION_LIST, version), 0);
TK_ASSERT_EQ(TK_FN_BASE(CK_FUNCTION_LIST), _Alignof(void *));

/* The 2.40 entries, at the same index in all three lists. */
#define TK_FN_2_40(list)                                                                       \
    TK_FN_AT(list, C_Initialize, 0);                                                           \
    TK_FN_AT(list, C_Finalize, 1);                                                             \
    TK_FN_AT(list, C_GetInfo, 2);                                                              \
    TK_FN_AT(list, C_GetFunctionList, 3);                                                      \
    TK_FN_AT(list, C_GetSlotList, 4);                                                          \
    TK_FN_AT(list, C_GetSlotInfo, 5);                                                          \
    TK_FN_AT(list, C_GetTokenInfo, 6);                                                         \
    TK_FN_AT(list, C_GetMechanismList, 7);                                                     \
    TK_FN_AT(list, C_GetMechanismInfo, 8);                                                     \
    TK_FN_AT(list, C_InitToken, 9);                                                            \
    TK_FN_AT(list, C_InitPIN, 10);                                                             \
    TK_FN_AT(list, C_SetPIN, 11);                                                              \
    TK_FN_AT(list, C_OpenSession, 12);                                                         \
    TK_FN_AT(list, C_CloseSession, 13);                                                        \
    TK_FN_AT(list, C_CloseAllSessions, 14);                                                    \
    TK_FN_AT(list, C_GetSessionInfo, 15);                                                      \
    TK_FN_AT(list, C_GetOperationState, 16);                                                   \
    TK_FN_AT(list, C_SetOperationState, 17);                                                   \
    TK_FN_AT(list, C_Login, 18);                                                               \
    TK_FN_AT(list, C_Logout, 19);                                                              \
    TK_FN_AT(list, C_CreateObject, 20);                                                        \
    TK_FN_AT(list, C_CopyObject, 21);                                                          \
    TK_FN_AT(list, C_DestroyObject, 22);                                                       \
    TK_FN_AT(list, C_GetObjectSize, 23);                                                       \
    TK_FN_AT(list, C_GetAttributeValue, 24);                                                   \
    TK_FN_AT(list, C_SetAttributeValue, 25);                                                   \
    TK_FN_AT(list, C_FindObjectsInit, 26);                                                     \
    TK_FN_AT(list, C_FindObjects, 27);                                                         \
    TK_FN_AT(list, C_FindObjectsFinal, 28);                                                    \
    TK_FN_AT(list, C_EncryptInit, 29);                                                         \
    TK_FN_AT(list, C_Encrypt, 30);                                                             \
    TK_FN_AT(list, C_EncryptUpdate, 31);                                                       \
    TK_FN_AT(list, C_EncryptFinal, 32);                                                        \
    TK_FN_AT(list, C_DecryptInit, 33);                                                         \
    TK_FN_AT(list, C_Decrypt, 34);                                                             \
    TK_FN_AT(list, C_DecryptUpdate, 35);                                                       \
    TK_FN_AT(list, C_DecryptFinal, 36);                                                        \
    TK_FN_AT(list, C_DigestInit, 37);                                                          \
    TK_FN_AT(list, C_Digest, 38);                                                              \
    TK_FN_AT(list, C_DigestUpdate, 39);                                                        \
    TK_FN_AT(list, C_DigestKey, 40);                                                           \
    TK_FN_AT(list, C_DigestFinal, 41);                                                         \
    TK_FN_AT(list, C_SignInit, 42);                                                            \
    TK_FN_AT(list, C_Sign, 43);                                                                \
    TK_FN_AT(list, C_SignUpdate, 44);                                                          \
    TK_FN_AT(list, C_SignFinal, 45);                                                           \
    TK_FN_AT(list, C_SignRecoverInit, 46);                                                     \
    TK_FN_AT(list, C_SignRecover, 47);                                                         \
    TK_FN_AT(list, C_VerifyInit, 48);                                                          \
    TK_FN_AT(list, C_Verify, 49);                                                              \
    TK_FN_AT(list, C_VerifyUpdate, 50);                                                        \
    TK_FN_AT(list, C_VerifyFinal, 51);                                                         \
    TK_FN_AT(list, C_VerifyRecoverInit, 52);                                                   \
    TK_FN_AT(list, C_VerifyRecover, 53);                                                       \
    TK_FN_AT(list, C_DigestEncryptUpdate, 54);                                                 \
    TK_FN_AT(list, C_DecryptDigestUpdate, 55);                                                 \
    TK_FN_AT(list, C_SignEncryptUpdate, 56);                                                   \
    TK_FN_AT(list, C_DecryptVerifyUpdate, 57);                                                 \
    TK_FN_AT(list, C_GenerateKey, 58);                                                         \
    TK_FN_AT(list, C_GenerateKeyPair, 59);                                                     \
    TK_FN_AT(list, C_WrapKey, 60);                                                             \
    TK_FN_AT(list, C_UnwrapKey, 61);                                                           \
    TK_FN_AT(list, C_DeriveKey, 62);                                                           \
    TK_FN_AT(list, C_SeedRandom, 63);                                                          \
    TK_FN_AT(list, C_GenerateRandom, 64);                                                      \
    TK_FN_AT(list, C_GetFunctionStatus, 65);                                                   \
    TK_FN_AT(list, C_CancelFunction, 66);                                                      \
    TK_FN_AT(list, C_WaitForSlotEvent, 67)

/* The 3.0 additions, in CK_FUNCTION_LIST_3_0 and CK_FUNCTION_LIST_3_2. */
#define TK_FN_3_0(list)                                                                        \
    TK_FN_AT(list, C_GetInterfaceList, 68);                                                    \
    TK_FN_AT(list, C_GetInterface, 69);                                                        \
    TK_FN_AT(list, C_LoginUser, 70);                                                           \
    TK_FN_AT(list, C_SessionCancel, 71);                                                       \
    TK_FN_AT(list, C_MessageEncryptInit, 72);                                                  \
    TK_FN_AT(list, C_EncryptMessage, 73);                                                      \
    TK_FN_AT(list, C_EncryptMessageBegin, 74);                                                 \
    TK_FN_AT(list, C_EncryptMessageNext, 75);                                                  \
    TK_FN_AT(list, C_MessageEncryptFinal, 76);                                                 \
    TK_FN_AT(list, C_MessageDecryptInit, 77);                                                  \
    TK_FN_AT(list, C_DecryptMessage, 78);                                                      \
    TK_FN_AT(list, C_DecryptMessageBegin, 79);                                                 \
    TK_FN_AT(list, C_DecryptMessageNext, 80);                                                  \
    TK_FN_AT(list, C_MessageDecryptFinal, 81);                                                 \
    TK_FN_AT(list, C_MessageSignInit, 82);                                                     \
    TK_FN_AT(list, C_SignMessage, 83);                                                         \
    TK_FN_AT(list, C_SignMessageBegin, 84);                                                    \
    TK_FN_AT(list, C_SignMessageNext, 85);                                                     \
    TK_FN_AT(list, C_MessageSignFinal, 86);                                                    \
    TK_FN_AT(list, C_MessageVerifyInit, 87);                                                   \
    TK_FN_AT(list, C_VerifyMessage, 88);                                                       \
    TK_FN_AT(list, C_VerifyMessageBegin, 89);                                                  \
    TK_FN_AT(list, C_VerifyMessageNext, 90);                                                   \
    TK_FN_AT(list, C_MessageVerifyFinal, 91)

TK_FN_2_40(CK_FUNCTION_LIST);
TK_ASSERT_EQ(sizeof(CK_FUNCTION_LIST), TK_FN_BASE(CK_FUNCTION_LIST) + 68 * sizeof(void *));

TK_FN_2_40(CK_FUNCTION_LIST_3_0);
TK_FN_3_0(CK_FUNCTION_LIST_3_0);
TK_ASSERT_EQ(sizeof(CK_FUNCTION_LIST_3_0),
             TK_FN_BASE(CK_FUNCTION_LIST_3_0) + 92 * sizeof(void *));

TK_FN_2_40(CK_FUNCTION_LIST_3_2);
TK_FN_3_0(CK_FUNCTION_LIST_3_2);
TK_FN_AT(CK_FUNCTION_LIST_3_2, C_EncapsulateKey, 92);
TK_FN_AT(CK_FUNCTION_LIST_3_2, C_DecapsulateKey, 93);
TK_FN_AT(CK_FUNCTION_LIST_3_2, C_VerifySignatureInit, 94);
TK_FN_AT(CK_FUNCTION_LIST_3_2, C_VerifySignature, 95);
TK_FN_AT(CK_FUNCTION_LIST_3_2, C_VerifySignatureUpdate, 96);
TK_FN_AT(CK_FUNCTION_LIST_3_2, C_VerifySignatureFinal, 97);
TK_FN_AT(CK_FUNCTION_LIST_3_2, C_GetSessionValidationFlags, 98);
TK_FN_AT(CK_FUNCTION_LIST_3_2, C_AsyncComplete, 99);
TK_FN_AT(CK_FUNCTION_LIST_3_2, C_AsyncGetID, 100);
TK_FN_AT(CK_FUNCTION_LIST_3_2, C_AsyncJoin, 101);
TK_FN_AT(CK_FUNCTION_LIST_3_2, C_WrapKeyAuthenticated, 102);
TK_FN_AT(CK_FUNCTION_LIST_3_2, C_UnwrapKeyAuthenticated, 103);
TK_ASSERT_EQ(sizeof(CK_FUNCTION_LIST_3_2),
             TK_FN_BASE(CK_FUNCTION_LIST_3_2) + 104 * sizeof(void *));

/* The encapsulation pair comes straight after the last 3.0 entry. */
TK_ASSERT_EQ(offsetof(CK_FUNCTION_LIST_3_2, C_EncapsulateKey),
             offsetof(CK_FUNCTION_LIST_3_2, C_MessageVerifyFinal) + sizeof(void *));
TK_ASSERT_EQ(offsetof(CK_FUNCTION_LIST_3_2, C_DecapsulateKey),
             offsetof(CK_FUNCTION_LIST_3_2, C_EncapsulateKey) + sizeof(void *));

/* ---- Entry point types ---- */

/* Prototype and pointer type agree for every function of every list. */
#define TK_SAME_TYPE(a, b) __builtin_types_compatible_p(a, b)
#define TK_PROTO_MATCHES(name, params)                                                         \
    _Static_assert(TK_SAME_TYPE(__typeof__(&name), CK_##name), #name " type");
TK_P11_FUNCTIONS_2_40(TK_PROTO_MATCHES)
TK_P11_FUNCTIONS_3_0(TK_PROTO_MATCHES)
TK_P11_FUNCTIONS_3_2(TK_PROTO_MATCHES)

/* The 3.2 parameter lists, written out from [PKCS11 3.2 §5]. */
typedef CK_RV (*tk_expect_encapsulate)(CK_SESSION_HANDLE, CK_MECHANISM_PTR, CK_OBJECT_HANDLE,
                                       CK_ATTRIBUTE_PTR, CK_ULONG, CK_BYTE_PTR, CK_ULONG_PTR,
                                       CK_OBJECT_HANDLE_PTR);
typedef CK_RV (*tk_expect_decapsulate)(CK_SESSION_HANDLE, CK_MECHANISM_PTR, CK_OBJECT_HANDLE,
                                       CK_ATTRIBUTE_PTR, CK_ULONG, CK_BYTE_PTR, CK_ULONG,
                                       CK_OBJECT_HANDLE_PTR);
typedef CK_RV (*tk_expect_verify_sig_init)(CK_SESSION_HANDLE, CK_MECHANISM_PTR,
                                           CK_OBJECT_HANDLE, CK_BYTE_PTR, CK_ULONG);
typedef CK_RV (*tk_expect_verify_sig)(CK_SESSION_HANDLE, CK_BYTE_PTR, CK_ULONG);
typedef CK_RV (*tk_expect_validation_flags)(CK_SESSION_HANDLE, CK_ULONG, CK_FLAGS_PTR);
typedef CK_RV (*tk_expect_async_complete)(CK_SESSION_HANDLE, CK_UTF8CHAR_PTR,
                                          CK_ASYNC_DATA_PTR);
typedef CK_RV (*tk_expect_async_get_id)(CK_SESSION_HANDLE, CK_UTF8CHAR_PTR, CK_ULONG_PTR);
typedef CK_RV (*tk_expect_async_join)(CK_SESSION_HANDLE, CK_UTF8CHAR_PTR, CK_ULONG,
                                      CK_BYTE_PTR, CK_ULONG);
typedef CK_RV (*tk_expect_wrap_auth)(CK_SESSION_HANDLE, CK_MECHANISM_PTR, CK_OBJECT_HANDLE,
                                     CK_OBJECT_HANDLE, CK_BYTE_PTR, CK_ULONG, CK_BYTE_PTR,
                                     CK_ULONG_PTR);
typedef CK_RV (*tk_expect_unwrap_auth)(CK_SESSION_HANDLE, CK_MECHANISM_PTR, CK_OBJECT_HANDLE,
                                       CK_BYTE_PTR, CK_ULONG, CK_ATTRIBUTE_PTR, CK_ULONG,
                                       CK_BYTE_PTR, CK_ULONG, CK_OBJECT_HANDLE_PTR);
typedef CK_RV (*tk_expect_get_interface)(CK_UTF8CHAR_PTR, CK_VERSION_PTR,
                                         CK_INTERFACE_PTR_PTR, CK_FLAGS);

_Static_assert(TK_SAME_TYPE(CK_C_EncapsulateKey, tk_expect_encapsulate), "encapsulate");
_Static_assert(TK_SAME_TYPE(CK_C_DecapsulateKey, tk_expect_decapsulate), "decapsulate");
_Static_assert(TK_SAME_TYPE(CK_C_VerifySignatureInit, tk_expect_verify_sig_init), "vsi");
_Static_assert(TK_SAME_TYPE(CK_C_VerifySignature, tk_expect_verify_sig), "vs");
_Static_assert(TK_SAME_TYPE(CK_C_VerifySignatureUpdate, tk_expect_verify_sig), "vsu");
_Static_assert(TK_SAME_TYPE(CK_C_GetSessionValidationFlags, tk_expect_validation_flags),
               "validation flags");
_Static_assert(TK_SAME_TYPE(CK_C_AsyncComplete, tk_expect_async_complete), "async complete");
_Static_assert(TK_SAME_TYPE(CK_C_AsyncGetID, tk_expect_async_get_id), "async get id");
_Static_assert(TK_SAME_TYPE(CK_C_AsyncJoin, tk_expect_async_join), "async join");
_Static_assert(TK_SAME_TYPE(CK_C_WrapKeyAuthenticated, tk_expect_wrap_auth), "wrap auth");
_Static_assert(TK_SAME_TYPE(CK_C_UnwrapKeyAuthenticated, tk_expect_unwrap_auth), "unwrap auth");
_Static_assert(TK_SAME_TYPE(CK_C_GetInterface, tk_expect_get_interface), "get interface");

/* ---- Structure layouts on LP64 (x86_64, aarch64 Linux) ---- */

#if defined(__LP64__)
TK_ASSERT_EQ(sizeof(CK_VERSION), 2);
TK_ASSERT_EQ(sizeof(CK_INFO), 88);
TK_ASSERT_EQ(offsetof(CK_INFO, manufacturerID), 2);
TK_ASSERT_EQ(offsetof(CK_INFO, flags), 40);
TK_ASSERT_EQ(offsetof(CK_INFO, libraryDescription), 48);
TK_ASSERT_EQ(offsetof(CK_INFO, libraryVersion), 80);
TK_ASSERT_EQ(sizeof(CK_SLOT_INFO), 112);
TK_ASSERT_EQ(offsetof(CK_SLOT_INFO, flags), 96);
TK_ASSERT_EQ(offsetof(CK_SLOT_INFO, firmwareVersion), 106);
TK_ASSERT_EQ(sizeof(CK_TOKEN_INFO), 208);
TK_ASSERT_EQ(offsetof(CK_TOKEN_INFO, serialNumber), 80);
TK_ASSERT_EQ(offsetof(CK_TOKEN_INFO, flags), 96);
TK_ASSERT_EQ(offsetof(CK_TOKEN_INFO, ulMaxSessionCount), 104);
TK_ASSERT_EQ(offsetof(CK_TOKEN_INFO, ulFreePrivateMemory), 176);
TK_ASSERT_EQ(offsetof(CK_TOKEN_INFO, hardwareVersion), 184);
TK_ASSERT_EQ(offsetof(CK_TOKEN_INFO, utcTime), 188);
TK_ASSERT_EQ(sizeof(CK_SESSION_INFO), 32);
TK_ASSERT_EQ(sizeof(CK_ATTRIBUTE), 24);
TK_ASSERT_EQ(offsetof(CK_ATTRIBUTE, pValue), 8);
TK_ASSERT_EQ(offsetof(CK_ATTRIBUTE, ulValueLen), 16);
TK_ASSERT_EQ(sizeof(CK_DATE), 8);
TK_ASSERT_EQ(sizeof(CK_MECHANISM), 24);
TK_ASSERT_EQ(offsetof(CK_MECHANISM, ulParameterLen), 16);
TK_ASSERT_EQ(sizeof(CK_MECHANISM_INFO), 24);
TK_ASSERT_EQ(sizeof(CK_C_INITIALIZE_ARGS), 48);
TK_ASSERT_EQ(offsetof(CK_C_INITIALIZE_ARGS, flags), 32);
TK_ASSERT_EQ(sizeof(CK_INTERFACE), 24);
TK_ASSERT_EQ(offsetof(CK_INTERFACE, flags), 16);
TK_ASSERT_EQ(sizeof(CK_ASYNC_DATA), 40);
TK_ASSERT_EQ(offsetof(CK_ASYNC_DATA, hAdditionalObject), 32);

/* Mechanism parameters. */
TK_ASSERT_EQ(sizeof(CK_RSA_PKCS_OAEP_PARAMS), 40);
TK_ASSERT_EQ(offsetof(CK_RSA_PKCS_OAEP_PARAMS, ulSourceDataLen), 32);
TK_ASSERT_EQ(sizeof(CK_RSA_PKCS_PSS_PARAMS), 24);
TK_ASSERT_EQ(offsetof(CK_RSA_PKCS_PSS_PARAMS, sLen), 16);
TK_ASSERT_EQ(sizeof(CK_ECDH1_DERIVE_PARAMS), 40);
TK_ASSERT_EQ(offsetof(CK_ECDH1_DERIVE_PARAMS, pSharedData), 16);
TK_ASSERT_EQ(offsetof(CK_ECDH1_DERIVE_PARAMS, pPublicData), 32);
TK_ASSERT_EQ(sizeof(CK_ECDH_AES_KEY_WRAP_PARAMS), 32);
TK_ASSERT_EQ(sizeof(CK_EDDSA_PARAMS), 24);
TK_ASSERT_EQ(offsetof(CK_EDDSA_PARAMS, ulContextDataLen), 8);
TK_ASSERT_EQ(sizeof(CK_AES_CTR_PARAMS), 24);
TK_ASSERT_EQ(offsetof(CK_AES_CTR_PARAMS, cb), 8);
TK_ASSERT_EQ(sizeof(CK_GCM_PARAMS), 48);
TK_ASSERT_EQ(offsetof(CK_GCM_PARAMS, ulIvBits), 16);
TK_ASSERT_EQ(offsetof(CK_GCM_PARAMS, ulTagBits), 40);
TK_ASSERT_EQ(sizeof(CK_GCM_MESSAGE_PARAMS), 48);
TK_ASSERT_EQ(offsetof(CK_GCM_MESSAGE_PARAMS, ivGenerator), 24);
TK_ASSERT_EQ(offsetof(CK_GCM_MESSAGE_PARAMS, pTag), 32);
TK_ASSERT_EQ(sizeof(CK_GCM_WRAP_PARAMS), 56);
TK_ASSERT_EQ(offsetof(CK_GCM_WRAP_PARAMS, ulTagBits), 48);
TK_ASSERT_EQ(sizeof(CK_CCM_PARAMS), 48);
TK_ASSERT_EQ(offsetof(CK_CCM_PARAMS, pNonce), 8);
TK_ASSERT_EQ(offsetof(CK_CCM_PARAMS, ulMACLen), 40);
TK_ASSERT_EQ(sizeof(CK_CCM_MESSAGE_PARAMS), 56);
TK_ASSERT_EQ(offsetof(CK_CCM_MESSAGE_PARAMS, nonceGenerator), 32);
TK_ASSERT_EQ(offsetof(CK_CCM_MESSAGE_PARAMS, pMAC), 40);
TK_ASSERT_EQ(sizeof(CK_CCM_WRAP_PARAMS), 64);
TK_ASSERT_EQ(sizeof(CK_SALSA20_CHACHA20_POLY1305_PARAMS), 32);
TK_ASSERT_EQ(sizeof(CK_SALSA20_CHACHA20_POLY1305_MSG_PARAMS), 24);
TK_ASSERT_EQ(offsetof(CK_SALSA20_CHACHA20_POLY1305_MSG_PARAMS, pTag), 16);
TK_ASSERT_EQ(sizeof(CK_CHACHA20_PARAMS), 32);
TK_ASSERT_EQ(sizeof(CK_KEY_DERIVATION_STRING_DATA), 16);
TK_ASSERT_EQ(sizeof(CK_AES_CBC_ENCRYPT_DATA_PARAMS), 32);
TK_ASSERT_EQ(offsetof(CK_AES_CBC_ENCRYPT_DATA_PARAMS, pData), 16);
TK_ASSERT_EQ(sizeof(CK_DES_CBC_ENCRYPT_DATA_PARAMS), 24);
TK_ASSERT_EQ(sizeof(CK_HKDF_PARAMS), 64);
TK_ASSERT_EQ(offsetof(CK_HKDF_PARAMS, bExpand), 1);
TK_ASSERT_EQ(offsetof(CK_HKDF_PARAMS, prfHashMechanism), 8);
TK_ASSERT_EQ(offsetof(CK_HKDF_PARAMS, hSaltKey), 40);
TK_ASSERT_EQ(sizeof(CK_PKCS5_PBKD2_PARAMS2), 72);
TK_ASSERT_EQ(offsetof(CK_PKCS5_PBKD2_PARAMS2, ulPasswordLen), 64);
TK_ASSERT_EQ(sizeof(CK_PKCS5_PBKD2_PARAMS), 72);
TK_ASSERT_EQ(sizeof(CK_PRF_DATA_PARAM), 24);
TK_ASSERT_EQ(sizeof(CK_SP800_108_COUNTER_FORMAT), 16);
TK_ASSERT_EQ(sizeof(CK_SP800_108_DKM_LENGTH_FORMAT), 24);
TK_ASSERT_EQ(sizeof(CK_DERIVED_KEY), 24);
TK_ASSERT_EQ(sizeof(CK_SP800_108_KDF_PARAMS), 40);
TK_ASSERT_EQ(sizeof(CK_SP800_108_FEEDBACK_KDF_PARAMS), 56);
TK_ASSERT_EQ(offsetof(CK_SP800_108_FEEDBACK_KDF_PARAMS, pIV), 32);
TK_ASSERT_EQ(sizeof(CK_SIGN_ADDITIONAL_CONTEXT), 24);
TK_ASSERT_EQ(offsetof(CK_SIGN_ADDITIONAL_CONTEXT, pContext), 8);
TK_ASSERT_EQ(sizeof(CK_HASH_SIGN_ADDITIONAL_CONTEXT), 32);
TK_ASSERT_EQ(offsetof(CK_HASH_SIGN_ADDITIONAL_CONTEXT, hash), 24);
TK_ASSERT_EQ(sizeof(CK_TLS12_EXTENDED_MASTER_KEY_DERIVE_PARAMS), 32);
TK_ASSERT_EQ(sizeof(CK_SSL3_KEY_MAT_PARAMS), 72);
TK_ASSERT_EQ(offsetof(CK_SSL3_KEY_MAT_PARAMS, RandomInfo), 32);
TK_ASSERT_EQ(sizeof(CK_TLS12_KEY_MAT_PARAMS), 80);
TK_ASSERT_EQ(sizeof(CK_IKE1_PRF_DERIVE_PARAMS), 72);
TK_ASSERT_EQ(sizeof(CK_OTP_PARAM), 24);
#endif

/* ---- Constant values [PKCS11 3.2 §3, §5, §6] ---- */

TK_ASSERT_EQ(CRYPTOKI_VERSION_MAJOR, 3);
TK_ASSERT_EQ(CRYPTOKI_VERSION_MINOR, 2);

TK_ASSERT_EQ(CKR_OK, 0x0UL);
TK_ASSERT_EQ(CKR_ARGUMENTS_BAD, 0x7UL);
TK_ASSERT_EQ(CKR_AEAD_DECRYPT_FAILED, 0x42UL);
TK_ASSERT_EQ(CKR_FUNCTION_NOT_SUPPORTED, 0x54UL);
TK_ASSERT_EQ(CKR_KEY_UNEXTRACTABLE, 0x6aUL);
TK_ASSERT_EQ(CKR_SESSION_HANDLE_INVALID, 0xb3UL);
TK_ASSERT_EQ(CKR_BUFFER_TOO_SMALL, 0x150UL);
TK_ASSERT_EQ(CKR_CRYPTOKI_NOT_INITIALIZED, 0x190UL);
TK_ASSERT_EQ(CKR_EXCEEDED_MAX_ITERATIONS, 0x1b5UL);
TK_ASSERT_EQ(CKR_PUBLIC_KEY_INVALID, 0x1b9UL);
TK_ASSERT_EQ(CKR_KEY_EXHAUSTED, 0x203UL);
TK_ASSERT_EQ(CKR_PENDING, 0x204UL);
TK_ASSERT_EQ(CKR_OPERATION_NOT_VALIDATED, 0x207UL);
TK_ASSERT_EQ(CKR_TOKEN_NOT_INITIALIZED, 0x208UL);
TK_ASSERT_EQ(CKR_PARAMETER_SET_NOT_SUPPORTED, 0x209UL);
TK_ASSERT_EQ(CKR_VENDOR_DEFINED, 0x80000000UL);

TK_ASSERT_EQ(CKO_PROFILE, 0x9UL);
TK_ASSERT_EQ(CKO_VALIDATION, 0xaUL);
TK_ASSERT_EQ(CKO_TRUST, 0xbUL);

TK_ASSERT_EQ(CKK_EC, 0x3UL);
TK_ASSERT_EQ(CKK_AES, 0x1fUL);
TK_ASSERT_EQ(CKK_EC_EDWARDS, 0x40UL);
TK_ASSERT_EQ(CKK_HKDF, 0x42UL);
TK_ASSERT_EQ(CKK_ML_KEM, 0x49UL);
TK_ASSERT_EQ(CKK_ML_DSA, 0x4aUL);
TK_ASSERT_EQ(CKK_SLH_DSA, 0x4bUL);

TK_ASSERT_EQ(CKA_VALUE, 0x11UL);
TK_ASSERT_EQ(CKA_EC_POINT, 0x181UL);
TK_ASSERT_EQ(CKA_WRAP_TEMPLATE, 0x40000211UL);
TK_ASSERT_EQ(CKA_ALLOWED_MECHANISMS, 0x40000600UL);
TK_ASSERT_EQ(CKA_PARAMETER_SET, 0x61dUL);
TK_ASSERT_EQ(CKA_ENCAPSULATE_TEMPLATE, 0x62aUL);
TK_ASSERT_EQ(CKA_TRUST_OCSP_SIGNING, 0x632UL);
TK_ASSERT_EQ(CKA_ENCAPSULATE, 0x633UL);
TK_ASSERT_EQ(CKA_DECAPSULATE, 0x634UL);
TK_ASSERT_EQ(CKA_SEED, 0x637UL);

TK_ASSERT_EQ(CKM_ML_KEM_KEY_PAIR_GEN, 0x0fUL);
TK_ASSERT_EQ(CKM_ML_KEM, 0x17UL);
TK_ASSERT_EQ(CKM_ML_DSA_KEY_PAIR_GEN, 0x1cUL);
TK_ASSERT_EQ(CKM_ML_DSA, 0x1dUL);
TK_ASSERT_EQ(CKM_HASH_ML_DSA, 0x1fUL);
TK_ASSERT_EQ(CKM_HASH_ML_DSA_SHA224, 0x23UL);
TK_ASSERT_EQ(CKM_HASH_ML_DSA_SHAKE256, 0x2cUL);
TK_ASSERT_EQ(CKM_SLH_DSA_KEY_PAIR_GEN, 0x2dUL);
TK_ASSERT_EQ(CKM_SLH_DSA, 0x2eUL);
TK_ASSERT_EQ(CKM_HASH_SLH_DSA, 0x34UL);
TK_ASSERT_EQ(CKM_HASH_SLH_DSA_SHA224, 0x36UL);
TK_ASSERT_EQ(CKM_HASH_SLH_DSA_SHAKE256, 0x3fUL);
TK_ASSERT_EQ(CKM_SHA256, 0x250UL);
TK_ASSERT_EQ(CKM_SHA3_256, 0x2b0UL);
TK_ASSERT_EQ(CKM_PKCS5_PBKD2, 0x3b0UL);
TK_ASSERT_EQ(CKM_EC_KEY_PAIR_GEN, 0x1040UL);
TK_ASSERT_EQ(CKM_ECDH1_DERIVE, 0x1050UL);
TK_ASSERT_EQ(CKM_EDDSA, 0x1057UL);
TK_ASSERT_EQ(CKM_AES_GCM, 0x1087UL);
TK_ASSERT_EQ(CKM_AES_KEY_WRAP_PAD, 0x210aUL);
TK_ASSERT_EQ(CKM_CHACHA20_POLY1305, 0x4021UL);
TK_ASSERT_EQ(CKM_HKDF_DERIVE, 0x402aUL);
TK_ASSERT_EQ(CKM_PUB_KEY_FROM_PRIV_KEY, 0x403aUL);

TK_ASSERT_EQ(CKP_ML_KEM_512, 1UL);
TK_ASSERT_EQ(CKP_ML_KEM_1024, 3UL);
TK_ASSERT_EQ(CKP_ML_DSA_44, 1UL);
TK_ASSERT_EQ(CKP_ML_DSA_87, 3UL);
TK_ASSERT_EQ(CKP_SLH_DSA_SHA2_128S, 1UL);
TK_ASSERT_EQ(CKP_SLH_DSA_SHAKE_128F, 4UL);
TK_ASSERT_EQ(CKP_SLH_DSA_SHA2_192S, 5UL);
TK_ASSERT_EQ(CKP_SLH_DSA_SHAKE_256F, 12UL);
TK_ASSERT_EQ(CKH_HEDGE_PREFERRED, 0UL);
TK_ASSERT_EQ(CKH_DETERMINISTIC_REQUIRED, 2UL);

TK_ASSERT_EQ(CKF_RW_SESSION, 0x2UL);
TK_ASSERT_EQ(CKF_SERIAL_SESSION, 0x4UL);
TK_ASSERT_EQ(CKF_ASYNC_SESSION, 0x8UL);
TK_ASSERT_EQ(CKF_TOKEN_INITIALIZED, 0x400UL);
TK_ASSERT_EQ(CKF_ASYNC_SESSION_SUPPORTED, 0x4000000UL);
TK_ASSERT_EQ(CKF_GENERATE_KEY_PAIR, 0x10000UL);
TK_ASSERT_EQ(CKF_ENCAPSULATE, 0x10000000UL);
TK_ASSERT_EQ(CKF_DECAPSULATE, 0x20000000UL);
TK_ASSERT_EQ(CKU_CONTEXT_SPECIFIC, 2UL);
TK_ASSERT_EQ(CKS_RW_SO_FUNCTIONS, 4UL);
TK_ASSERT_EQ(CKS_LAST_VALIDATION_OK, 1UL);
TK_ASSERT_EQ(CKG_MGF1_SHA224, 5UL);
TK_ASSERT_EQ(CKG_GENERATE_COUNTER_XOR, 4UL);
TK_ASSERT_EQ(CKZ_DATA_SPECIFIED, 1UL);
TK_ASSERT_EQ(CKD_SHA256_KDF, 6UL);
TK_ASSERT_EQ(CKD_BLAKE2B_512_KDF, 0x1aUL);
TK_ASSERT_EQ(CKT_TRUST_MUST_VERIFY_TRUST, 4UL);
TK_ASSERT_EQ(CKV_AUTHORITY_TYPE_COMMON_CRITERIA, 2UL);

/* ---- Run time: export of entry points ---- */

static int tk_failures;

static void
tk_check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "FAIL: %s\n", what);
        tk_failures++;
    }
}

/* Loads the probe module and calls the entry point it exports. */
static void
tk_check_visibility(void)
{
    void *module = dlopen(TK_HEADER_PROBE_MODULE, RTLD_NOW | RTLD_LOCAL);
    tk_check(module != NULL, "probe module loads");
    if (module == NULL) {
        fprintf(stderr, "dlopen: %s\n", dlerror());
        return;
    }

    CK_C_GetInfo get_info = NULL;
    void *sym = dlsym(module, "C_GetInfo");
    tk_check(sym != NULL, "CK_DEFINE_FUNCTION exports C_GetInfo");
    tk_check(dlsym(module, "tk_header_probe_hidden") == NULL,
             "ordinary functions stay hidden");

    if (sym != NULL) {
        CK_INFO info;
        memcpy(&get_info, &sym, sizeof(get_info));
        memset(&info, 0, sizeof(info));
        tk_check(get_info(&info) == CKR_OK, "C_GetInfo returns CKR_OK");
        tk_check(info.cryptokiVersion.major == 3 && info.cryptokiVersion.minor == 2,
                 "C_GetInfo reports version 3.2");
        tk_check(get_info(NULL_PTR) == CKR_ARGUMENTS_BAD, "C_GetInfo rejects NULL");
    }
    dlclose(module);
}

int
main(void)
{
    tk_check_visibility();
    if (tk_failures != 0) {
        return 1;
    }
    printf("header: all checks passed\n");
    return 0;
}
