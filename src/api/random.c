/*
 * Random number generation entry points [PKCS11 3.2 §5.19]. Neither the
 * seed nor the output is ever logged, only lengths.
 */
#include "api/api.h"

CK_DEFINE_FUNCTION(CK_RV, C_SeedRandom)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pSeed,
                                        CK_ULONG ulSeedLen)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    TK_API_CHECK_BUF(pSeed, ulSeedLen);
    rv = tk_core_seed_random(hSession, pSeed, ulSeedLen);
out:
    TK_DEBUG("C_SeedRandom session=%lu len=%lu -> %s", hSession, ulSeedLen,
             tk_api_rv_name(rv));
    return rv;
}

CK_DEFINE_FUNCTION(CK_RV, C_GenerateRandom)(CK_SESSION_HANDLE hSession,
                                            CK_BYTE_PTR RandomData, CK_ULONG ulRandomLen)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    TK_API_CHECK_BUF(RandomData, ulRandomLen);
    rv = tk_core_generate_random(hSession, RandomData, ulRandomLen);
out:
    TK_DEBUG("C_GenerateRandom session=%lu len=%lu -> %s", hSession, ulRandomLen,
             tk_api_rv_name(rv));
    return rv;
}
