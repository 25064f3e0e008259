/*
 * trustoken objects: one line per object with class, key type, label and
 * id. Private objects are visible only after --login [PKCS11 3.2 §4.4].
 */
#include "tool.h"

#include <stdio.h>
#include <stdlib.h>

/* A readable word for CKA_CLASS. */
static const char *
tk_objects_class_name(CK_OBJECT_CLASS cls)
{
    switch (cls) {
    case CKO_DATA: return "data";
    case CKO_CERTIFICATE: return "cert";
    case CKO_PUBLIC_KEY: return "pubkey";
    case CKO_PRIVATE_KEY: return "privkey";
    case CKO_SECRET_KEY: return "secret";
    case CKO_PROFILE: return "profile";
    default: return "other";
    }
}

/* A readable word for CKA_KEY_TYPE. */
static const char *
tk_objects_key_name(CK_KEY_TYPE kt)
{
    switch (kt) {
    case CKK_RSA: return "RSA";
    case CKK_EC: return "EC";
    case CKK_EC_EDWARDS: return "EC_EDWARDS";
    case CKK_EC_MONTGOMERY: return "EC_MONTGOMERY";
    case CKK_AES: return "AES";
    case CKK_GENERIC_SECRET: return "GENERIC_SECRET";
    case CKK_ML_KEM: return "ML_KEM";
    case CKK_ML_DSA: return "ML_DSA";
    case CKK_SLH_DSA: return "SLH_DSA";
    default: return "other";
    }
}

/* Print one object's line; attributes it lacks are shown as "-". */
static void
tk_objects_print(struct tk_tool_module *m, CK_SESSION_HANDLE h, CK_OBJECT_HANDLE obj)
{
    CK_OBJECT_CLASS cls = TK_CLASS_ANY;
    CK_KEY_TYPE kt;
    const char *kname = "-";
    unsigned char *label = NULL, *id = NULL;
    size_t label_len = 0, id_len = 0, i;

    tk_tool_get_ulong(m, h, obj, CKA_CLASS, &cls);
    if ((cls == CKO_PUBLIC_KEY || cls == CKO_PRIVATE_KEY || cls == CKO_SECRET_KEY) &&
        tk_tool_get_ulong(m, h, obj, CKA_KEY_TYPE, &kt) == CKR_OK) {
        kname = tk_objects_key_name(kt);
    }
    tk_tool_get_attr(m, h, obj, CKA_LABEL, &label, &label_len);
    tk_tool_get_attr(m, h, obj, CKA_ID, &id, &id_len);

    printf("%-8s %-14s label=%s id=", tk_objects_class_name(cls), kname,
           label != NULL ? (char *)label : "");
    for (i = 0; i < id_len; i++) {
        printf("%02x", id[i]);
    }
    printf("\n");
    free(label);
    free(id);
}

/* See tool.h. */
int
tk_cmd_objects(struct tk_tool_module *m, const struct tk_tool_opts *opts)
{
    struct tk_tool_session s;
    CK_OBJECT_HANDLE *objs = NULL;
    size_t n = 0, i;
    char *pin = NULL;
    CK_SLOT_ID slot;
    int rc;

    rc = tk_tool_pick_slot(m, opts, &slot);
    if (rc == TK_EXIT_OK && opts->login) {
        rc = tk_tool_pin_get(opts, TK_PIN_USER, 0, &pin);
    }
    if (rc != TK_EXIT_OK) {
        return rc;
    }
    rc = tk_tool_session_open(m, slot, 0, opts->login ? CKU_USER : TK_TOOL_NO_LOGIN, pin,
                              &s);
    tk_tool_pin_free(pin);
    if (rc != TK_EXIT_OK) {
        return rc;
    }
    rc = tk_tool_find(m, s.h, opts, &objs, &n);
    for (i = 0; rc == TK_EXIT_OK && i < n; i++) {
        tk_objects_print(m, s.h, objs[i]);
    }
    if (rc == TK_EXIT_OK && n == 0) {
        printf("no objects\n");
    }
    free(objs);
    tk_tool_session_close(m, &s);
    return rc;
}
