/*
 * Function lists and interfaces [PKCS11 3.2 §5.4]: C_GetFunctionList,
 * C_GetInterfaceList and C_GetInterface.
 *
 * The module offers the interface "PKCS 11" in versions 3.2, 3.0 and 2.40,
 * newest first. The three tables are filled from the same X-macro lists
 * that define the structures in pkcs11_functions.h, so every member is
 * initialised by name and in the header's order.
 *
 * No interface carries CKF_INTERFACE_FORK_SAFE: a forked child must call
 * C_Initialize again, because the library keeps no state across fork.
 */
#include "api/api.h"

#include <string.h>

#define TK_API_INTERFACE_NAME "PKCS 11"
#define TK_API_INTERFACE_COUNT 3

#define TK_API_TABLE_ENTRY(name, params) .name = name,

static const CK_FUNCTION_LIST tk_api_list_2_40 = {
    .version = {2, 40},
    TK_P11_FUNCTIONS_2_40(TK_API_TABLE_ENTRY)
};

static const CK_FUNCTION_LIST_3_0 tk_api_list_3_0 = {
    .version = {3, 0},
    TK_P11_FUNCTIONS_2_40(TK_API_TABLE_ENTRY)
    TK_P11_FUNCTIONS_3_0(TK_API_TABLE_ENTRY)
};

static const CK_FUNCTION_LIST_3_2 tk_api_list_3_2 = {
    .version = {3, 2},
    TK_P11_FUNCTIONS_2_40(TK_API_TABLE_ENTRY)
    TK_P11_FUNCTIONS_3_0(TK_API_TABLE_ENTRY)
    TK_P11_FUNCTIONS_3_2(TK_API_TABLE_ENTRY)
};

#undef TK_API_TABLE_ENTRY

/*
 * Newest first: callers that take the first "PKCS 11" entry get 3.2. The
 * structure type has non-const pointers; the tables stay read-only and
 * applications must not write through them.
 */
static const CK_INTERFACE tk_api_interfaces[TK_API_INTERFACE_COUNT] = {
    {(CK_CHAR_PTR)TK_API_INTERFACE_NAME, (CK_VOID_PTR)&tk_api_list_3_2, 0},
    {(CK_CHAR_PTR)TK_API_INTERFACE_NAME, (CK_VOID_PTR)&tk_api_list_3_0, 0},
    {(CK_CHAR_PTR)TK_API_INTERFACE_NAME, (CK_VOID_PTR)&tk_api_list_2_40, 0},
};

/* Every function list starts with its CK_VERSION. */
static const CK_VERSION *
tk_api_interface_version(const CK_INTERFACE *iface)
{
    return (const CK_VERSION *)iface->pFunctionList;
}

/*
 * The interface matching a C_GetInterface request, or NULL. A NULL name
 * means "PKCS 11"; a NULL version means the newest. Requested flags must be
 * offered by the interface, and none are offered.
 */
static const CK_INTERFACE *
tk_api_find_interface(const CK_UTF8CHAR *name, const CK_VERSION *version, CK_FLAGS flags)
{
    if (name != NULL && strcmp((const char *)name, TK_API_INTERFACE_NAME) != 0) {
        return NULL;
    }
    for (size_t i = 0; i < TK_API_INTERFACE_COUNT; i++) {
        const CK_INTERFACE *iface = &tk_api_interfaces[i];
        const CK_VERSION *v = tk_api_interface_version(iface);

        if ((flags & ~iface->flags) != 0) {
            continue;
        }
        if (version == NULL ||
            (version->major == v->major && version->minor == v->minor)) {
            return iface;
        }
    }
    return NULL;
}

CK_DEFINE_FUNCTION(CK_RV, C_GetFunctionList)(CK_FUNCTION_LIST_PTR_PTR ppFunctionList)
{
    CK_RV rv = CKR_OK;

    /* Allowed before C_Initialize: it is how applications find it. */
    TK_API_CHECK_PTR(ppFunctionList);
    *ppFunctionList = (CK_FUNCTION_LIST_PTR)&tk_api_list_2_40;
out:
    TK_DEBUG("C_GetFunctionList -> %s", tk_api_rv_name(rv));
    return rv;
}

CK_DEFINE_FUNCTION(CK_RV, C_GetInterfaceList)(CK_INTERFACE_PTR pInterfacesList,
                                              CK_ULONG_PTR pulCount)
{
    CK_RV rv = CKR_OK;

    TK_API_CHECK_PTR(pulCount);

    /* [PKCS11 3.2 §5.2]: a NULL list asks for the count only. */
    if (pInterfacesList == NULL) {
        *pulCount = TK_API_INTERFACE_COUNT;
        goto out;
    }
    if (*pulCount < TK_API_INTERFACE_COUNT) {
        *pulCount = TK_API_INTERFACE_COUNT;
        rv = CKR_BUFFER_TOO_SMALL;
        goto out;
    }
    memcpy(pInterfacesList, tk_api_interfaces, sizeof(tk_api_interfaces));
    *pulCount = TK_API_INTERFACE_COUNT;
out:
    TK_DEBUG("C_GetInterfaceList list=%s -> %s", pInterfacesList != NULL ? "set" : "NULL",
             tk_api_rv_name(rv));
    return rv;
}

CK_DEFINE_FUNCTION(CK_RV, C_GetInterface)(CK_UTF8CHAR_PTR pInterfaceName,
                                          CK_VERSION_PTR pVersion,
                                          CK_INTERFACE_PTR_PTR ppInterface, CK_FLAGS flags)
{
    const CK_INTERFACE *iface = NULL;
    CK_RV rv = CKR_OK;

    TK_API_CHECK_PTR(ppInterface);

    /* Unknown names (NSS probes its own vendor interface) and versions fail. */
    iface = tk_api_find_interface(pInterfaceName, pVersion, flags);
    TK_CHECK(iface != NULL, CKR_ARGUMENTS_BAD);
    *ppInterface = (CK_INTERFACE_PTR)iface;
out:
    TK_DEBUG("C_GetInterface name=%s version=%d.%d flags=0x%lx -> %s",
             pInterfaceName != NULL ? "set" : "NULL", pVersion != NULL ? pVersion->major : -1,
             pVersion != NULL ? pVersion->minor : -1, flags, tk_api_rv_name(rv));
    return rv;
}
