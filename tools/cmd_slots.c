/*
 * trustoken slots: one line per slot with the state of its token.
 */
#include "tool.h"

#include <stdio.h>
#include <stdlib.h>

/* Describe the token of one slot in a few words. */
static void
tk_slots_print_one(struct tk_tool_module *m, CK_SLOT_ID id)
{
    CK_SLOT_INFO si;
    CK_TOKEN_INFO ti;
    char desc[65], label[33];
    CK_RV rv;

    rv = m->fl->C_GetSlotInfo(id, &si);
    if (rv != CKR_OK) {
        printf("slot %lu: C_GetSlotInfo: %s\n", (unsigned long)id, tk_tool_ckr_name(rv));
        return;
    }
    tk_tool_trim(desc, si.slotDescription, sizeof(si.slotDescription));
    if ((si.flags & CKF_TOKEN_PRESENT) == 0) {
        printf("slot %lu: %s: no token\n", (unsigned long)id, desc);
        return;
    }
    rv = m->fl->C_GetTokenInfo(id, &ti);
    if (rv != CKR_OK) {
        printf("slot %lu: %s: C_GetTokenInfo: %s\n", (unsigned long)id, desc,
               tk_tool_ckr_name(rv));
        return;
    }
    if ((ti.flags & CKF_TOKEN_INITIALIZED) == 0) {
        printf("slot %lu: %s: empty token (ready for init)\n", (unsigned long)id, desc);
        return;
    }
    tk_tool_trim(label, ti.label, sizeof(ti.label));
    printf("slot %lu: %s: token '%s'%s\n", (unsigned long)id, desc, label,
           (ti.flags & CKF_USER_PIN_INITIALIZED) ? "" : " (user PIN not set)");
}

/* See tool.h. */
int
tk_cmd_slots(struct tk_tool_module *m, const struct tk_tool_opts *opts)
{
    CK_SLOT_ID *ids;
    CK_ULONG n, i;
    int rc;

    (void)opts;
    rc = tk_tool_slot_list(m, 0, &ids, &n);
    if (rc == TK_EXIT_OK && n == 0) {
        printf("no slots\n");
    }
    for (i = 0; rc == TK_EXIT_OK && i < n; i++) {
        tk_slots_print_one(m, ids[i]);
    }
    free(ids);
    return rc;
}
