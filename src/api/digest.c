/*
 * Message digesting entry points [PKCS11 3.2 §5.12]. A digest has no key;
 * C_DigestKey feeds a secret key's value, which is never logged.
 */
#include "api/api.h"

CK_DEFINE_FUNCTION(CK_RV, C_DigestInit)(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism)
{
    return tk_api_op_init("C_DigestInit", hSession, TK_OP_DIGEST, pMechanism, CK_INVALID_HANDLE,
                          CKR_ARGUMENTS_BAD);
}

CK_DEFINE_FUNCTION(CK_RV, C_Digest)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData,
                                    CK_ULONG ulDataLen, CK_BYTE_PTR pDigest,
                                    CK_ULONG_PTR pulDigestLen)
{
    return tk_api_op_run("C_Digest", hSession, TK_OP_DIGEST, pData, ulDataLen, pDigest,
                         pulDigestLen);
}

CK_DEFINE_FUNCTION(CK_RV, C_DigestUpdate)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart,
                                          CK_ULONG ulPartLen)
{
    return tk_api_op_update("C_DigestUpdate", hSession, TK_OP_DIGEST, pPart, ulPartLen, NULL,
                            NULL);
}

CK_DEFINE_FUNCTION(CK_RV, C_DigestKey)(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hKey)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    rv = tk_core_digest_key(hSession, hKey);
out:
    TK_DEBUG("C_DigestKey session=%lu key=%lu -> %s", hSession, hKey, tk_api_rv_name(rv));
    return rv;
}

CK_DEFINE_FUNCTION(CK_RV, C_DigestFinal)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pDigest,
                                         CK_ULONG_PTR pulDigestLen)
{
    return tk_api_op_final("C_DigestFinal", hSession, TK_OP_DIGEST, pDigest, pulDigestLen);
}
