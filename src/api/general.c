/*
 * General-purpose entry points [PKCS11 3.2 §5.4]: C_Initialize, C_Finalize
 * and C_GetInfo. The function-list and interface entry points are in
 * interface.c.
 */
#include "api/api.h"

/*
 * Checks the C_Initialize arguments [PKCS11 3.2 §5.4]: pReserved must be
 * NULL, and the four mutex callbacks come all together or not at all.
 * Callbacks without CKF_OS_LOCKING_OK are allowed; core decides how to lock.
 */
static CK_RV
tk_api_check_init_args(const CK_C_INITIALIZE_ARGS *args)
{
    CK_RV rv = CKR_OK;
    int set;

    if (args == NULL) {
        goto out;
    }
    TK_CHECK(args->pReserved == NULL, CKR_ARGUMENTS_BAD);
    set = (args->CreateMutex != NULL) + (args->DestroyMutex != NULL) +
          (args->LockMutex != NULL) + (args->UnlockMutex != NULL);
    TK_CHECK(set == 0 || set == 4, CKR_ARGUMENTS_BAD);
out:
    return rv;
}

CK_DEFINE_FUNCTION(CK_RV, C_Initialize)(CK_VOID_PTR pInitArgs)
{
    const CK_C_INITIALIZE_ARGS *args = pInitArgs;
    CK_RV rv = CKR_OK;

    /* Core answers CKR_CRYPTOKI_ALREADY_INITIALIZED itself. */
    TK_GUARD(tk_api_check_init_args(args));
    rv = tk_core_initialize(args);
out:
    TK_DEBUG("C_Initialize args=%s flags=0x%lx -> %s", args != NULL ? "set" : "NULL",
             args != NULL ? args->flags : 0UL, tk_api_rv_name(rv));
    return rv;
}

CK_DEFINE_FUNCTION(CK_RV, C_Finalize)(CK_VOID_PTR pReserved)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    TK_CHECK(pReserved == NULL, CKR_ARGUMENTS_BAD);
    rv = tk_core_finalize();
out:
    TK_DEBUG("C_Finalize -> %s", tk_api_rv_name(rv));
    return rv;
}

CK_DEFINE_FUNCTION(CK_RV, C_GetInfo)(CK_INFO_PTR pInfo)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    TK_API_CHECK_PTR(pInfo);
    rv = tk_core_get_info(pInfo);
out:
    TK_DEBUG("C_GetInfo -> %s", tk_api_rv_name(rv));
    return rv;
}
