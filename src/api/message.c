/*
 * Message-based encryption, decryption, signing and verification
 * [PKCS11 3.2 §5.9, §5.11, §5.14, §5.16]: one init, then any number of
 * messages, each in one call or as Begin plus Next parts, then a final.
 * Parameters (IVs, nonces, tags), associated data and message contents are
 * never logged.
 */
#include "api/api.h"

/* CKF_END_OF_MESSAGE is the only flag a Next call may carry. */
#define TK_API_CHECK_MSG_FLAGS(flags)                                      \
    TK_CHECK(((flags) & ~CKF_END_OF_MESSAGE) == 0, CKR_ARGUMENTS_BAD)

/* C_MessageEncryptFinal and its three siblings. */
static CK_RV
tk_api_msg_final(const char *fn, CK_SESSION_HANDLE h, tk_op_kind kind)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    rv = tk_core_msg_final(h, kind);
out:
    TK_DEBUG("%s session=%lu -> %s", fn, h, tk_api_rv_name(rv));
    return rv;
}

/* C_EncryptMessage, C_DecryptMessage and C_SignMessage. */
static CK_RV
tk_api_msg_run(const char *fn, CK_SESSION_HANDLE h, tk_op_kind kind, void *param,
               CK_ULONG param_len, const CK_BYTE *aad, CK_ULONG aad_len, const CK_BYTE *in,
               CK_ULONG in_len, CK_BYTE *out, CK_ULONG *out_len)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    TK_API_CHECK_BUF(param, param_len);
    TK_API_CHECK_BUF(aad, aad_len);
    TK_API_CHECK_BUF(in, in_len);
    TK_API_CHECK_PTR(out_len);
    rv = tk_core_msg_run(h, kind, param, param_len, aad, aad_len, in, in_len, out, out_len);
out:
    TK_DEBUG("%s session=%lu param_len=%lu aad_len=%lu in=%lu out=%s out_len=%lu -> %s", fn, h,
             param_len, aad_len, in_len, out != NULL ? "set" : "NULL",
             tk_api_ulong_or_na(out_len), tk_api_rv_name(rv));
    return rv;
}

/*
 * The Begin calls. bad_rv answers a NULL buffer of non-zero length: the
 * list of return values of C_EncryptMessageBegin lacks CKR_ARGUMENTS_BAD.
 */
static CK_RV
tk_api_msg_begin(const char *fn, CK_SESSION_HANDLE h, tk_op_kind kind, void *param,
                 CK_ULONG param_len, const CK_BYTE *aad, CK_ULONG aad_len, CK_RV bad_rv)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    TK_CHECK(param != NULL || param_len == 0, bad_rv);
    TK_CHECK(aad != NULL || aad_len == 0, bad_rv);
    rv = tk_core_msg_begin(h, kind, param, param_len, aad, aad_len);
out:
    TK_DEBUG("%s session=%lu param_len=%lu aad_len=%lu -> %s", fn, h, param_len, aad_len,
             tk_api_rv_name(rv));
    return rv;
}

/* C_EncryptMessageNext and C_DecryptMessageNext. */
static CK_RV
tk_api_msg_next_crypt(const char *fn, CK_SESSION_HANDLE h, tk_op_kind kind, void *param,
                      CK_ULONG param_len, const CK_BYTE *in, CK_ULONG in_len, CK_BYTE *out,
                      CK_ULONG *out_len, CK_FLAGS flags)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    TK_API_CHECK_BUF(param, param_len);
    TK_API_CHECK_BUF(in, in_len);
    TK_API_CHECK_PTR(out_len);
    TK_API_CHECK_MSG_FLAGS(flags);
    rv = tk_core_msg_next(h, kind, param, param_len, in, in_len, out, out_len, flags);
out:
    TK_DEBUG("%s session=%lu param_len=%lu in=%lu out=%s out_len=%lu flags=0x%lx -> %s", fn, h,
             param_len, in_len, out != NULL ? "set" : "NULL", tk_api_ulong_or_na(out_len),
             flags, tk_api_rv_name(rv));
    return rv;
}

/* ---- encryption [PKCS11 3.2 §5.9] ---- */

/* As C_EncryptInit, a NULL parameter is CKR_MECHANISM_PARAM_INVALID here. */
CK_DEFINE_FUNCTION(CK_RV, C_MessageEncryptInit)(CK_SESSION_HANDLE hSession,
                                                CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey)
{
    return tk_api_op_init("C_MessageEncryptInit", hSession, TK_OP_MSG_ENCRYPT, pMechanism, hKey,
                          CKR_MECHANISM_PARAM_INVALID);
}

CK_DEFINE_FUNCTION(CK_RV, C_EncryptMessage)(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,
                                            CK_ULONG ulParameterLen, CK_BYTE_PTR pAssociatedData,
                                            CK_ULONG ulAssociatedDataLen, CK_BYTE_PTR pPlaintext,
                                            CK_ULONG ulPlaintextLen, CK_BYTE_PTR pCiphertext,
                                            CK_ULONG_PTR pulCiphertextLen)
{
    return tk_api_msg_run("C_EncryptMessage", hSession, TK_OP_MSG_ENCRYPT, pParameter,
                          ulParameterLen, pAssociatedData, ulAssociatedDataLen, pPlaintext,
                          ulPlaintextLen, pCiphertext, pulCiphertextLen);
}

CK_DEFINE_FUNCTION(CK_RV, C_EncryptMessageBegin)(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,
                                                 CK_ULONG ulParameterLen,
                                                 CK_BYTE_PTR pAssociatedData,
                                                 CK_ULONG ulAssociatedDataLen)
{
    return tk_api_msg_begin("C_EncryptMessageBegin", hSession, TK_OP_MSG_ENCRYPT, pParameter,
                            ulParameterLen, pAssociatedData, ulAssociatedDataLen,
                            CKR_MECHANISM_PARAM_INVALID);
}

CK_DEFINE_FUNCTION(CK_RV, C_EncryptMessageNext)(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,
                                                CK_ULONG ulParameterLen, CK_BYTE_PTR pPlaintextPart,
                                                CK_ULONG ulPlaintextPartLen,
                                                CK_BYTE_PTR pCiphertextPart,
                                                CK_ULONG_PTR pulCiphertextPartLen, CK_FLAGS flags)
{
    return tk_api_msg_next_crypt("C_EncryptMessageNext", hSession, TK_OP_MSG_ENCRYPT,
                                 pParameter, ulParameterLen, pPlaintextPart, ulPlaintextPartLen,
                                 pCiphertextPart, pulCiphertextPartLen, flags);
}

CK_DEFINE_FUNCTION(CK_RV, C_MessageEncryptFinal)(CK_SESSION_HANDLE hSession)
{
    return tk_api_msg_final("C_MessageEncryptFinal", hSession, TK_OP_MSG_ENCRYPT);
}

/* ---- decryption [PKCS11 3.2 §5.11] ---- */

CK_DEFINE_FUNCTION(CK_RV, C_MessageDecryptInit)(CK_SESSION_HANDLE hSession,
                                                CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey)
{
    return tk_api_op_init("C_MessageDecryptInit", hSession, TK_OP_MSG_DECRYPT, pMechanism, hKey,
                          CKR_ARGUMENTS_BAD);
}

CK_DEFINE_FUNCTION(CK_RV, C_DecryptMessage)(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,
                                            CK_ULONG ulParameterLen, CK_BYTE_PTR pAssociatedData,
                                            CK_ULONG ulAssociatedDataLen, CK_BYTE_PTR pCiphertext,
                                            CK_ULONG ulCiphertextLen, CK_BYTE_PTR pPlaintext,
                                            CK_ULONG_PTR pulPlaintextLen)
{
    return tk_api_msg_run("C_DecryptMessage", hSession, TK_OP_MSG_DECRYPT, pParameter,
                          ulParameterLen, pAssociatedData, ulAssociatedDataLen, pCiphertext,
                          ulCiphertextLen, pPlaintext, pulPlaintextLen);
}

CK_DEFINE_FUNCTION(CK_RV, C_DecryptMessageBegin)(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,
                                                 CK_ULONG ulParameterLen,
                                                 CK_BYTE_PTR pAssociatedData,
                                                 CK_ULONG ulAssociatedDataLen)
{
    return tk_api_msg_begin("C_DecryptMessageBegin", hSession, TK_OP_MSG_DECRYPT, pParameter,
                            ulParameterLen, pAssociatedData, ulAssociatedDataLen,
                            CKR_ARGUMENTS_BAD);
}

CK_DEFINE_FUNCTION(CK_RV, C_DecryptMessageNext)(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,
                                                CK_ULONG ulParameterLen,
                                                CK_BYTE_PTR pCiphertextPart,
                                                CK_ULONG ulCiphertextPartLen,
                                                CK_BYTE_PTR pPlaintextPart,
                                                CK_ULONG_PTR pulPlaintextPartLen, CK_FLAGS flags)
{
    return tk_api_msg_next_crypt("C_DecryptMessageNext", hSession, TK_OP_MSG_DECRYPT,
                                 pParameter, ulParameterLen, pCiphertextPart,
                                 ulCiphertextPartLen, pPlaintextPart, pulPlaintextPartLen, flags);
}

CK_DEFINE_FUNCTION(CK_RV, C_MessageDecryptFinal)(CK_SESSION_HANDLE hSession)
{
    return tk_api_msg_final("C_MessageDecryptFinal", hSession, TK_OP_MSG_DECRYPT);
}

/* ---- signing [PKCS11 3.2 §5.14] ---- */

CK_DEFINE_FUNCTION(CK_RV, C_MessageSignInit)(CK_SESSION_HANDLE hSession,
                                             CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey)
{
    return tk_api_op_init("C_MessageSignInit", hSession, TK_OP_MSG_SIGN, pMechanism, hKey,
                          CKR_ARGUMENTS_BAD);
}

CK_DEFINE_FUNCTION(CK_RV, C_SignMessage)(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,
                                         CK_ULONG ulParameterLen, CK_BYTE_PTR pData,
                                         CK_ULONG ulDataLen, CK_BYTE_PTR pSignature,
                                         CK_ULONG_PTR pulSignatureLen)
{
    return tk_api_msg_run("C_SignMessage", hSession, TK_OP_MSG_SIGN, pParameter, ulParameterLen,
                          NULL, 0, pData, ulDataLen, pSignature, pulSignatureLen);
}

CK_DEFINE_FUNCTION(CK_RV, C_SignMessageBegin)(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,
                                              CK_ULONG ulParameterLen)
{
    return tk_api_msg_begin("C_SignMessageBegin", hSession, TK_OP_MSG_SIGN, pParameter,
                            ulParameterLen, NULL, 0, CKR_ARGUMENTS_BAD);
}

/*
 * A NULL pulSignatureLen means more parts follow [PKCS11 3.2 §5.14]: the
 * part is fed with no output (out and out_len NULL, flags 0). A non-NULL
 * one makes this the last part (CKF_END_OF_MESSAGE), with the usual length
 * query when pSignature is NULL.
 */
CK_DEFINE_FUNCTION(CK_RV, C_SignMessageNext)(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,
                                             CK_ULONG ulParameterLen, CK_BYTE_PTR pData,
                                             CK_ULONG ulDataLen, CK_BYTE_PTR pSignature,
                                             CK_ULONG_PTR pulSignatureLen)
{
    CK_RV rv = CKR_OK;
    CK_FLAGS flags = pulSignatureLen != NULL ? CKF_END_OF_MESSAGE : 0;

    TK_API_REQUIRE_INIT();
    TK_API_CHECK_BUF(pParameter, ulParameterLen);
    TK_API_CHECK_BUF(pData, ulDataLen);
    rv = tk_core_msg_next(hSession, TK_OP_MSG_SIGN, pParameter, ulParameterLen, pData,
                          ulDataLen, flags != 0 ? pSignature : NULL, pulSignatureLen, flags);
out:
    TK_DEBUG("C_SignMessageNext session=%lu param_len=%lu len=%lu sig=%s sig_len=%lu -> %s",
             hSession, ulParameterLen, ulDataLen, pSignature != NULL ? "set" : "NULL",
             tk_api_ulong_or_na(pulSignatureLen), tk_api_rv_name(rv));
    return rv;
}

CK_DEFINE_FUNCTION(CK_RV, C_MessageSignFinal)(CK_SESSION_HANDLE hSession)
{
    return tk_api_msg_final("C_MessageSignFinal", hSession, TK_OP_MSG_SIGN);
}

/* ---- verification [PKCS11 3.2 §5.16] ---- */

CK_DEFINE_FUNCTION(CK_RV, C_MessageVerifyInit)(CK_SESSION_HANDLE hSession,
                                               CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey)
{
    return tk_api_op_init("C_MessageVerifyInit", hSession, TK_OP_MSG_VERIFY, pMechanism, hKey,
                          CKR_ARGUMENTS_BAD);
}

/*
 * core's message calls have no signature argument of their own; for
 * TK_OP_MSG_VERIFY the signature to check travels in out and out_len,
 * which core only reads.
 */
CK_DEFINE_FUNCTION(CK_RV, C_VerifyMessage)(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,
                                           CK_ULONG ulParameterLen, CK_BYTE_PTR pData,
                                           CK_ULONG ulDataLen, CK_BYTE_PTR pSignature,
                                           CK_ULONG ulSignatureLen)
{
    CK_RV rv = CKR_OK;
    CK_ULONG sig_len = ulSignatureLen;

    TK_API_REQUIRE_INIT();
    TK_API_CHECK_BUF(pParameter, ulParameterLen);
    TK_API_CHECK_BUF(pData, ulDataLen);
    TK_API_CHECK_BUF(pSignature, ulSignatureLen);
    rv = tk_core_msg_run(hSession, TK_OP_MSG_VERIFY, pParameter, ulParameterLen, NULL, 0, pData,
                         ulDataLen, pSignature, &sig_len);
out:
    TK_DEBUG("C_VerifyMessage session=%lu param_len=%lu len=%lu sig_len=%lu -> %s", hSession,
             ulParameterLen, ulDataLen, ulSignatureLen, tk_api_rv_name(rv));
    return rv;
}

CK_DEFINE_FUNCTION(CK_RV, C_VerifyMessageBegin)(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,
                                                CK_ULONG ulParameterLen)
{
    return tk_api_msg_begin("C_VerifyMessageBegin", hSession, TK_OP_MSG_VERIFY, pParameter,
                            ulParameterLen, NULL, 0, CKR_ARGUMENTS_BAD);
}

/*
 * A NULL pSignature means more parts follow [PKCS11 3.2 §5.16]; a non-NULL
 * one is the signature to check against the whole message, as in
 * C_VerifyMessage.
 */
CK_DEFINE_FUNCTION(CK_RV, C_VerifyMessageNext)(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,
                                               CK_ULONG ulParameterLen, CK_BYTE_PTR pData,
                                               CK_ULONG ulDataLen, CK_BYTE_PTR pSignature,
                                               CK_ULONG ulSignatureLen)
{
    CK_RV rv = CKR_OK;
    CK_ULONG sig_len = ulSignatureLen;
    CK_FLAGS flags = pSignature != NULL ? CKF_END_OF_MESSAGE : 0;

    TK_API_REQUIRE_INIT();
    TK_API_CHECK_BUF(pParameter, ulParameterLen);
    TK_API_CHECK_BUF(pData, ulDataLen);
    rv = tk_core_msg_next(hSession, TK_OP_MSG_VERIFY, pParameter, ulParameterLen, pData,
                          ulDataLen, pSignature, flags != 0 ? &sig_len : NULL, flags);
out:
    TK_DEBUG("C_VerifyMessageNext session=%lu param_len=%lu len=%lu sig_len=%lu last=%d -> %s",
             hSession, ulParameterLen, ulDataLen, ulSignatureLen, flags != 0,
             tk_api_rv_name(rv));
    return rv;
}

CK_DEFINE_FUNCTION(CK_RV, C_MessageVerifyFinal)(CK_SESSION_HANDLE hSession)
{
    return tk_api_msg_final("C_MessageVerifyFinal", hSession, TK_OP_MSG_VERIFY);
}
