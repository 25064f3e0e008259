/*
 * Dual-function entry points [PKCS11 3.2 §5.17]: one part goes through two
 * active operations of the session. Each keeps the output convention of
 * [PKCS11 3.2 §5.2], and a length query (NULL output) or a short buffer
 * leaves both operations as they were: the digest, signature or
 * verification never sees a part twice when the caller asks again.
 */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "util/wipe.h"

/*
 * Checks before anything moves: the encryption or decryption (kind) can
 * take in and the caller's buffer is long enough for its output (else
 * CKR_BUFFER_TOO_SMALL with *out_len set), and the operation of kind feed
 * is active. Both checks leave the operations as they were: a length query
 * consumes nothing and an empty update feeds nothing. *need receives the
 * output length.
 */
static CK_RV
tk_api_dual_check(CK_SESSION_HANDLE h, tk_op_kind kind, tk_op_kind feed, const CK_BYTE *in,
                  CK_ULONG in_len, CK_ULONG *out_len, CK_ULONG *need)
{
    CK_RV rv = CKR_OK;
    static const CK_BYTE empty[1];

    TK_GUARD(tk_core_op_update(h, kind, in, in_len, NULL, need));
    if (*out_len < *need) {
        *out_len = *need;
        rv = CKR_BUFFER_TOO_SMALL;
        goto out;
    }
    rv = tk_core_op_update(h, feed, empty, 0, NULL, NULL);
out:
    return rv;
}

/*
 * C_DigestEncryptUpdate and C_SignEncryptUpdate: encrypt the part, then
 * feed the plaintext to the operation of kind feed. A part whose
 * encryption fails never reaches the feed [PKCS11 3.2 §5.17]; the
 * plaintext is copied first because the caller may encrypt in place.
 */
static CK_RV
tk_api_encrypt_and_feed(const char *fn, CK_SESSION_HANDLE h, tk_op_kind feed,
                        const CK_BYTE *in, CK_ULONG in_len, CK_BYTE *out, CK_ULONG *out_len)
{
    CK_RV rv = CKR_OK;
    CK_ULONG need = 0;
    size_t alloc = 0;
    CK_BYTE *copy = NULL;

    TK_API_REQUIRE_INIT();
    TK_API_CHECK_BUF(in, in_len);
    TK_API_CHECK_PTR(out_len);
    if (out == NULL) {
        rv = tk_core_op_update(h, TK_OP_ENCRYPT, in, in_len, NULL, out_len);
        goto out;
    }
    TK_GUARD(tk_api_dual_check(h, TK_OP_ENCRYPT, feed, in, in_len, out_len, &need));
    alloc = in_len > 0 ? in_len : 1;
    copy = malloc(alloc);
    TK_CHECK(copy != NULL, CKR_HOST_MEMORY);
    if (in_len > 0) {
        memcpy(copy, in, in_len);
    }
    TK_GUARD(tk_core_op_update(h, TK_OP_ENCRYPT, copy, in_len, out, out_len));
    rv = tk_core_op_update(h, feed, copy, in_len, NULL, NULL);
out:
    tk_free_secret(copy, alloc);
    TK_DEBUG("%s session=%lu in=%lu out=%s out_len=%lu -> %s", fn, h, in_len,
             out != NULL ? "set" : "NULL", tk_api_ulong_or_na(out_len), tk_api_rv_name(rv));
    return rv;
}

/*
 * C_DecryptDigestUpdate and C_DecryptVerifyUpdate: decrypt, then feed the
 * plaintext to the operation of kind feed. The plaintext goes through a
 * buffer of our own so that the caller's buffer gets it only once the feed
 * succeeded; that buffer is wiped.
 */
static CK_RV
tk_api_decrypt_then_feed(const char *fn, CK_SESSION_HANDLE h, tk_op_kind feed,
                         const CK_BYTE *in, CK_ULONG in_len, CK_BYTE *out, CK_ULONG *out_len)
{
    CK_RV rv = CKR_OK;
    CK_ULONG need = 0;
    size_t alloc = 0;
    CK_BYTE *tmp = NULL;

    TK_API_REQUIRE_INIT();
    TK_API_CHECK_BUF(in, in_len);
    TK_API_CHECK_PTR(out_len);
    if (out == NULL) {
        rv = tk_core_op_update(h, TK_OP_DECRYPT, in, in_len, NULL, out_len);
        goto out;
    }
    TK_GUARD(tk_api_dual_check(h, TK_OP_DECRYPT, feed, in, in_len, out_len, &need));
    alloc = need > 0 ? need : 1;
    tmp = malloc(alloc);
    TK_CHECK(tmp != NULL, CKR_HOST_MEMORY);
    TK_GUARD(tk_core_op_update(h, TK_OP_DECRYPT, in, in_len, tmp, &need));
    TK_GUARD(tk_core_op_update(h, feed, tmp, need, NULL, NULL));
    memcpy(out, tmp, need);
    *out_len = need;
out:
    tk_free_secret(tmp, alloc);
    TK_DEBUG("%s session=%lu in=%lu out=%s out_len=%lu -> %s", fn, h, in_len,
             out != NULL ? "set" : "NULL", tk_api_ulong_or_na(out_len), tk_api_rv_name(rv));
    return rv;
}

CK_DEFINE_FUNCTION(CK_RV, C_DigestEncryptUpdate)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart,
                                                 CK_ULONG ulPartLen, CK_BYTE_PTR pEncryptedPart,
                                                 CK_ULONG_PTR pulEncryptedPartLen)
{
    return tk_api_encrypt_and_feed("C_DigestEncryptUpdate", hSession, TK_OP_DIGEST, pPart,
                                   ulPartLen, pEncryptedPart, pulEncryptedPartLen);
}

CK_DEFINE_FUNCTION(CK_RV, C_DecryptDigestUpdate)(CK_SESSION_HANDLE hSession,
                                                 CK_BYTE_PTR pEncryptedPart,
                                                 CK_ULONG ulEncryptedPartLen, CK_BYTE_PTR pPart,
                                                 CK_ULONG_PTR pulPartLen)
{
    return tk_api_decrypt_then_feed("C_DecryptDigestUpdate", hSession, TK_OP_DIGEST,
                                    pEncryptedPart, ulEncryptedPartLen, pPart, pulPartLen);
}

CK_DEFINE_FUNCTION(CK_RV, C_SignEncryptUpdate)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart,
                                               CK_ULONG ulPartLen, CK_BYTE_PTR pEncryptedPart,
                                               CK_ULONG_PTR pulEncryptedPartLen)
{
    return tk_api_encrypt_and_feed("C_SignEncryptUpdate", hSession, TK_OP_SIGN, pPart,
                                   ulPartLen, pEncryptedPart, pulEncryptedPartLen);
}

CK_DEFINE_FUNCTION(CK_RV, C_DecryptVerifyUpdate)(CK_SESSION_HANDLE hSession,
                                                 CK_BYTE_PTR pEncryptedPart,
                                                 CK_ULONG ulEncryptedPartLen, CK_BYTE_PTR pPart,
                                                 CK_ULONG_PTR pulPartLen)
{
    return tk_api_decrypt_then_feed("C_DecryptVerifyUpdate", hSession, TK_OP_VERIFY,
                                    pEncryptedPart, ulEncryptedPartLen, pPart, pulPartLen);
}
