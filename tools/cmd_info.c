/*
 * trustoken info: library information and the details of each token.
 */
#include "tool.h"

#include <stdio.h>
#include <stdlib.h>

/* Print a CK_ULONG count that may be CK_UNAVAILABLE_INFORMATION. */
static void
tk_info_count(const char *name, CK_ULONG v)
{
    if (v == CK_UNAVAILABLE_INFORMATION) {
        printf("  %-22s unavailable\n", name);
    } else {
        printf("  %-22s %lu\n", name, (unsigned long)v);
    }
}

/* Print the CK_INFO of the library. */
static int
tk_info_library(struct tk_tool_module *m)
{
    CK_INFO info;
    char manuf[33], desc[33];
    CK_RV rv;

    rv = m->fl->C_GetInfo(&info);
    if (rv != CKR_OK) {
        return tk_tool_p11_fail("C_GetInfo", rv);
    }
    tk_tool_trim(manuf, info.manufacturerID, sizeof(info.manufacturerID));
    tk_tool_trim(desc, info.libraryDescription, sizeof(info.libraryDescription));
    printf("Library\n");
    printf("  %-22s %u.%u\n", "cryptoki version", info.cryptokiVersion.major,
           info.cryptokiVersion.minor);
    printf("  %-22s %s\n", "manufacturer", manuf);
    printf("  %-22s %s\n", "description", desc);
    printf("  %-22s %u.%u\n", "library version", info.libraryVersion.major,
           info.libraryVersion.minor);
    return TK_EXIT_OK;
}

/* Print the flags of a token that matter to a user. */
static void
tk_info_flags(CK_FLAGS f)
{
    printf("  %-22s%s%s%s%s%s\n", "flags", (f & CKF_TOKEN_INITIALIZED) ? " initialized" : "",
           (f & CKF_USER_PIN_INITIALIZED) ? " user-pin-set" : "",
           (f & CKF_LOGIN_REQUIRED) ? " login-required" : "",
           (f & CKF_RNG) ? " rng" : "", (f & CKF_USER_PIN_LOCKED) ? " user-pin-locked" : "");
}

/* Print the CK_TOKEN_INFO of one slot. */
static void
tk_info_token(struct tk_tool_module *m, CK_SLOT_ID slot)
{
    CK_TOKEN_INFO ti;
    char label[33], manuf[33], model[17], serial[17];
    CK_RV rv;

    printf("Slot %lu\n", (unsigned long)slot);
    rv = m->fl->C_GetTokenInfo(slot, &ti);
    if (rv != CKR_OK) {
        printf("  C_GetTokenInfo: %s\n", tk_tool_ckr_name(rv));
        return;
    }
    tk_tool_trim(label, ti.label, sizeof(ti.label));
    tk_tool_trim(manuf, ti.manufacturerID, sizeof(ti.manufacturerID));
    tk_tool_trim(model, ti.model, sizeof(ti.model));
    tk_tool_trim(serial, ti.serialNumber, sizeof(ti.serialNumber));
    printf("  %-22s %s\n", "label", label);
    printf("  %-22s %s\n", "manufacturer", manuf);
    printf("  %-22s %s\n", "model", model);
    printf("  %-22s %s\n", "serial", serial);
    tk_info_flags(ti.flags);
    printf("  %-22s %lu..%lu\n", "PIN length", (unsigned long)ti.ulMinPinLen,
           (unsigned long)ti.ulMaxPinLen);
    tk_info_count("sessions open", ti.ulSessionCount);
    if (ti.ulMaxSessionCount == CK_EFFECTIVELY_INFINITE) {
        printf("  %-22s unlimited\n", "max sessions");
    } else {
        tk_info_count("max sessions", ti.ulMaxSessionCount);
    }
    tk_info_count("free public memory", ti.ulFreePublicMemory);
    printf("  %-22s %u.%u / %u.%u\n", "hardware / firmware", ti.hardwareVersion.major,
           ti.hardwareVersion.minor, ti.firmwareVersion.major, ti.firmwareVersion.minor);
}

/* See tool.h. */
int
tk_cmd_info(struct tk_tool_module *m, const struct tk_tool_opts *opts)
{
    CK_SLOT_ID *ids;
    CK_ULONG n, i;
    int rc;

    rc = tk_info_library(m);
    if (rc != TK_EXIT_OK) {
        return rc;
    }
    if (opts->slot >= 0) {
        tk_info_token(m, (CK_SLOT_ID)opts->slot);
        return TK_EXIT_OK;
    }
    rc = tk_tool_slot_list(m, 1, &ids, &n);
    for (i = 0; rc == TK_EXIT_OK && i < n; i++) {
        tk_info_token(m, ids[i]);
    }
    free(ids);
    return rc;
}
