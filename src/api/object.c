/*
 * Object management entry points [PKCS11 3.2 §5.7]. Core validates session
 * and object handles, templates and search state; attribute values are
 * never logged here, only handles and counts.
 */
#include "api/api.h"

CK_DEFINE_FUNCTION(CK_RV, C_CreateObject)(CK_SESSION_HANDLE hSession,
                                          CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount,
                                          CK_OBJECT_HANDLE_PTR phObject)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    TK_API_CHECK_BUF(pTemplate, ulCount);
    TK_API_CHECK_PTR(phObject);
    rv = tk_core_create_object(hSession, pTemplate, ulCount, phObject);
out:
    TK_DEBUG("C_CreateObject session=%lu count=%lu object=%lu -> %s", hSession, ulCount,
             rv == CKR_OK ? *phObject : 0UL, tk_api_rv_name(rv));
    return rv;
}

CK_DEFINE_FUNCTION(CK_RV, C_CopyObject)(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject,
                                        CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount,
                                        CK_OBJECT_HANDLE_PTR phNewObject)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    TK_API_CHECK_BUF(pTemplate, ulCount);
    TK_API_CHECK_PTR(phNewObject);
    rv = tk_core_copy_object(hSession, hObject, pTemplate, ulCount, phNewObject);
out:
    TK_DEBUG("C_CopyObject session=%lu object=%lu count=%lu new=%lu -> %s", hSession,
             hObject, ulCount, rv == CKR_OK ? *phNewObject : 0UL, tk_api_rv_name(rv));
    return rv;
}

CK_DEFINE_FUNCTION(CK_RV, C_DestroyObject)(CK_SESSION_HANDLE hSession,
                                           CK_OBJECT_HANDLE hObject)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    rv = tk_core_destroy_object(hSession, hObject);
out:
    TK_DEBUG("C_DestroyObject session=%lu object=%lu -> %s", hSession, hObject,
             tk_api_rv_name(rv));
    return rv;
}

CK_DEFINE_FUNCTION(CK_RV, C_GetObjectSize)(CK_SESSION_HANDLE hSession,
                                           CK_OBJECT_HANDLE hObject, CK_ULONG_PTR pulSize)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    TK_API_CHECK_PTR(pulSize);
    rv = tk_core_get_object_size(hSession, hObject, pulSize);
out:
    TK_DEBUG("C_GetObjectSize session=%lu object=%lu -> %s", hSession, hObject,
             tk_api_rv_name(rv));
    return rv;
}

CK_DEFINE_FUNCTION(CK_RV, C_GetAttributeValue)(CK_SESSION_HANDLE hSession,
                                               CK_OBJECT_HANDLE hObject,
                                               CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    TK_API_CHECK_BUF(pTemplate, ulCount);
    rv = tk_core_get_attribute_value(hSession, hObject, pTemplate, ulCount);
out:
    TK_DEBUG("C_GetAttributeValue session=%lu object=%lu count=%lu -> %s", hSession,
             hObject, ulCount, tk_api_rv_name(rv));
    return rv;
}

CK_DEFINE_FUNCTION(CK_RV, C_SetAttributeValue)(CK_SESSION_HANDLE hSession,
                                               CK_OBJECT_HANDLE hObject,
                                               CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    TK_API_CHECK_BUF(pTemplate, ulCount);
    rv = tk_core_set_attribute_value(hSession, hObject, pTemplate, ulCount);
out:
    TK_DEBUG("C_SetAttributeValue session=%lu object=%lu count=%lu -> %s", hSession,
             hObject, ulCount, tk_api_rv_name(rv));
    return rv;
}

CK_DEFINE_FUNCTION(CK_RV, C_FindObjectsInit)(CK_SESSION_HANDLE hSession,
                                             CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    TK_API_CHECK_BUF(pTemplate, ulCount);
    rv = tk_core_find_objects_init(hSession, pTemplate, ulCount);
out:
    TK_DEBUG("C_FindObjectsInit session=%lu count=%lu -> %s", hSession, ulCount,
             tk_api_rv_name(rv));
    return rv;
}

CK_DEFINE_FUNCTION(CK_RV, C_FindObjects)(CK_SESSION_HANDLE hSession,
                                         CK_OBJECT_HANDLE_PTR phObject,
                                         CK_ULONG ulMaxObjectCount,
                                         CK_ULONG_PTR pulObjectCount)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    TK_API_CHECK_PTR(phObject);
    TK_API_CHECK_PTR(pulObjectCount);
    rv = tk_core_find_objects(hSession, phObject, ulMaxObjectCount, pulObjectCount);
out:
    TK_DEBUG("C_FindObjects session=%lu max=%lu found=%lu -> %s", hSession,
             ulMaxObjectCount, rv == CKR_OK ? *pulObjectCount : 0UL, tk_api_rv_name(rv));
    return rv;
}

CK_DEFINE_FUNCTION(CK_RV, C_FindObjectsFinal)(CK_SESSION_HANDLE hSession)
{
    CK_RV rv = CKR_OK;

    TK_API_REQUIRE_INIT();
    rv = tk_core_find_objects_final(hSession);
out:
    TK_DEBUG("C_FindObjectsFinal session=%lu -> %s", hSession, tk_api_rv_name(rv));
    return rv;
}
