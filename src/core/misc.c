/*
 * C_GenerateRandom, C_SeedRandom and the mechanism queries.
 */
#include "core/core.h"
#include "core/core_internal.h"
#include "crypto/ossl/rand.h"
#include "util/check.h"

CK_RV
tk_core_generate_random(CK_SESSION_HANDLE h, CK_BYTE *out, CK_ULONG len)
{
    CK_RV rv = CKR_OK;
    tk_lib *lib = tk_lib_enter();
    tk_session *s = NULL;

    if (lib == NULL) {
        return CKR_CRYPTOKI_NOT_INITIALIZED;
    }
    TK_GUARD(tk_session_get(lib, h, &s));
    TK_GUARD(tk_ossl_random(out, len));
out:
    tk_session_put(s);
    tk_lib_leave();
    return rv;
}

CK_RV
tk_core_seed_random(CK_SESSION_HANDLE h, const CK_BYTE *seed, CK_ULONG len)
{
    CK_RV rv = CKR_OK;
    tk_lib *lib = tk_lib_enter();
    tk_session *s = NULL;

    if (lib == NULL) {
        return CKR_CRYPTOKI_NOT_INITIALIZED;
    }
    TK_GUARD(tk_session_get(lib, h, &s));
    TK_GUARD(tk_ossl_seed(seed, len));
out:
    tk_session_put(s);
    tk_lib_leave();
    return rv;
}

/* Every slot offers the same mechanisms: the table's. */
CK_RV
tk_core_get_mechanism_list(CK_SLOT_ID slot, CK_MECHANISM_TYPE *list, CK_ULONG *count)
{
    CK_RV rv = CKR_OK;
    tk_lib *lib = tk_lib_enter();

    if (lib == NULL) {
        return CKR_CRYPTOKI_NOT_INITIALIZED;
    }
    TK_CHECK(tk_slot_get(lib, slot) != NULL, CKR_SLOT_ID_INVALID);
    rv = tk_mech_list(list, count);
out:
    tk_lib_leave();
    return rv;
}

CK_RV
tk_core_get_mechanism_info(CK_SLOT_ID slot, CK_MECHANISM_TYPE type, CK_MECHANISM_INFO *info)
{
    CK_RV rv = CKR_OK;
    tk_lib *lib = tk_lib_enter();

    if (lib == NULL) {
        return CKR_CRYPTOKI_NOT_INITIALIZED;
    }
    TK_CHECK(tk_slot_get(lib, slot) != NULL, CKR_SLOT_ID_INVALID);
    rv = tk_mech_info(type, info);
out:
    tk_lib_leave();
    return rv;
}
