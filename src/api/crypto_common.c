/*
 * The steps every init, single-part, update and final entry point of the
 * cryptographic families shares; see api.h. Only handles, mechanism types,
 * lengths and return values are logged, never data.
 */
#include "api/api.h"

/*
 * The C_SessionCancel flag that ends an operation of kind. Verification
 * with the signature at init has no flag of its own in 3.2, so it shares
 * CKF_VERIFY with C_VerifyInit.
 */
static CK_FLAGS
tk_api_cancel_flag(tk_op_kind kind)
{
    switch (kind) {
    case TK_OP_ENCRYPT:
        return CKF_ENCRYPT;
    case TK_OP_DECRYPT:
        return CKF_DECRYPT;
    case TK_OP_DIGEST:
        return CKF_DIGEST;
    case TK_OP_SIGN:
        return CKF_SIGN;
    case TK_OP_VERIFY:
    case TK_OP_VERIFY_SIGNATURE:
        return CKF_VERIFY;
    case TK_OP_SIGN_RECOVER:
        return CKF_SIGN_RECOVER;
    case TK_OP_VERIFY_RECOVER:
        return CKF_VERIFY_RECOVER;
    case TK_OP_MSG_ENCRYPT:
        return CKF_MESSAGE_ENCRYPT;
    case TK_OP_MSG_DECRYPT:
        return CKF_MESSAGE_DECRYPT;
    case TK_OP_MSG_SIGN:
        return CKF_MESSAGE_SIGN;
    case TK_OP_MSG_VERIFY:
        return CKF_MESSAGE_VERIFY;
    default:
        return 0;
    }
}

static int
tk_api_is_msg_kind(tk_op_kind kind)
{
    return kind == TK_OP_MSG_ENCRYPT || kind == TK_OP_MSG_DECRYPT || kind == TK_OP_MSG_SIGN ||
           kind == TK_OP_MSG_VERIFY;
}

/*
 * 1 when a NULL mechanism at init ends the active operation of kind. The
 * specification says so for the functions of 2.40 and for
 * C_MessageEncryptInit; C_MessageDecryptInit, C_MessageSignInit and
 * C_MessageVerifyInit say nothing of it, so there NULL is a bad argument.
 */
static int
tk_api_null_mech_ends(tk_op_kind kind)
{
    return !tk_api_is_msg_kind(kind) || kind == TK_OP_MSG_ENCRYPT;
}

/* See api.h. */
CK_RV
tk_api_op_init(const char *fn, CK_SESSION_HANDLE h, tk_op_kind kind, const CK_MECHANISM *mech,
               CK_OBJECT_HANDLE key, CK_RV param_rv)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    TK_CHECK(mech != NULL || tk_api_null_mech_ends(kind), CKR_ARGUMENTS_BAD);
    if (mech == NULL) {
        /* [PKCS11 3.2 §5.8]: a NULL mechanism ends the active operation. */
        rv = tk_core_session_cancel(h, tk_api_cancel_flag(kind));
        goto out;
    }
    TK_API_CHECK_MECH_PARAM(mech, param_rv);
    if (tk_api_is_msg_kind(kind)) {
        rv = tk_core_msg_init(h, kind, mech, key);
    } else {
        rv = tk_core_op_init(h, kind, mech, key);
    }
out:
    TK_DEBUG("%s session=%lu mech=0x%lx key=%lu -> %s", fn, h, tk_api_mech_type(mech), key,
             tk_api_rv_name(rv));
    return rv;
}

/*
 * A call that fails its argument checks ends the active operation like any
 * other error but CKR_BUFFER_TOO_SMALL [PKCS11 3.2 §5.8-5.13].
 */
static void
tk_api_end_after_bad_args(CK_SESSION_HANDLE h, tk_op_kind kind, CK_RV rv)
{
    if (rv == CKR_ARGUMENTS_BAD && tk_core_is_initialized()) {
        (void)tk_core_session_cancel(h, tk_api_cancel_flag(kind));
    }
}

/* See api.h. */
CK_RV
tk_api_op_run(const char *fn, CK_SESSION_HANDLE h, tk_op_kind kind, const CK_BYTE *in,
              CK_ULONG in_len, CK_BYTE *out, CK_ULONG *out_len)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    TK_API_CHECK_BUF(in, in_len);
    TK_API_CHECK_PTR(out_len);
    rv = tk_core_op_run(h, kind, in, in_len, out, out_len);
out:
    tk_api_end_after_bad_args(h, kind, rv);
    TK_DEBUG("%s session=%lu in=%lu out=%s out_len=%lu -> %s", fn, h, in_len,
             out != NULL ? "set" : "NULL", tk_api_ulong_or_na(out_len), tk_api_rv_name(rv));
    return rv;
}

/* See api.h. */
CK_RV
tk_api_op_update(const char *fn, CK_SESSION_HANDLE h, tk_op_kind kind, const CK_BYTE *in,
                 CK_ULONG in_len, CK_BYTE *out, CK_ULONG *out_len)
{
    CK_RV rv = CKR_OK;
    int has_output = kind == TK_OP_ENCRYPT || kind == TK_OP_DECRYPT;

    TK_API_REQUIRE_INIT();
    TK_API_CHECK_BUF(in, in_len);
    if (has_output) {
        TK_API_CHECK_PTR(out_len);
    }
    rv = tk_core_op_update(h, kind, in, in_len, out, out_len);
out:
    tk_api_end_after_bad_args(h, kind, rv);
    TK_DEBUG("%s session=%lu in=%lu out_len=%lu -> %s", fn, h, in_len,
             tk_api_ulong_or_na(out_len), tk_api_rv_name(rv));
    return rv;
}

/* See api.h. */
CK_RV
tk_api_op_final(const char *fn, CK_SESSION_HANDLE h, tk_op_kind kind, CK_BYTE *out,
                CK_ULONG *out_len)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    TK_API_CHECK_PTR(out_len);
    rv = tk_core_op_final(h, kind, out, out_len);
out:
    tk_api_end_after_bad_args(h, kind, rv);
    TK_DEBUG("%s session=%lu out=%s out_len=%lu -> %s", fn, h, out != NULL ? "set" : "NULL",
             tk_api_ulong_or_na(out_len), tk_api_rv_name(rv));
    return rv;
}
