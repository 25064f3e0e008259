/*
 * trustoken init: create a token in an empty slot and set both PINs
 * [PKCS11 3.2 §5.6 C_InitToken, C_InitPIN].
 */
#include "tool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The first slot holding an uninitialised token, or an exit code. */
static int
tk_init_pick_slot(struct tk_tool_module *m, const struct tk_tool_opts *opts,
                  CK_SLOT_ID *slot)
{
    CK_SLOT_ID *ids;
    CK_TOKEN_INFO ti;
    CK_ULONG n, i;
    int rc;

    if (opts->slot >= 0) {
        *slot = (CK_SLOT_ID)opts->slot;
        return TK_EXIT_OK;
    }
    rc = tk_tool_slot_list(m, 1, &ids, &n);
    for (i = 0; rc == TK_EXIT_OK && i < n; i++) {
        if (m->fl->C_GetTokenInfo(ids[i], &ti) == CKR_OK &&
            (ti.flags & CKF_TOKEN_INITIALIZED) == 0) {
            *slot = ids[i];
            free(ids);
            return TK_EXIT_OK;
        }
    }
    free(ids);
    if (rc == TK_EXIT_OK) {
        tk_tool_err("no empty slot; set empty_slots in the configuration or use --slot");
        rc = TK_EXIT_P11;
    }
    return rc;
}

/* Log in as SO on a fresh session and set the user PIN. */
static int
tk_init_user_pin(struct tk_tool_module *m, CK_SLOT_ID slot, const char *so_pin,
                 const char *pin)
{
    struct tk_tool_session s;
    CK_RV rv;
    int rc;

    rc = tk_tool_session_open(m, slot, 1, CKU_SO, so_pin, &s);
    if (rc != TK_EXIT_OK) {
        return rc;
    }
    rv = m->fl->C_InitPIN(s.h, (CK_UTF8CHAR_PTR)pin, (CK_ULONG)strlen(pin));
    tk_tool_session_close(m, &s);
    if (rv != CKR_OK) {
        return tk_tool_p11_fail("C_InitPIN", rv);
    }
    return TK_EXIT_OK;
}

/* See tool.h. */
int
tk_cmd_init(struct tk_tool_module *m, const struct tk_tool_opts *opts)
{
    CK_UTF8CHAR label[32];
    char *so_pin = NULL, *pin = NULL;
    CK_SLOT_ID slot;
    CK_RV rv;
    int rc;

    if (opts->label == NULL || strlen(opts->label) > sizeof(label)) {
        tk_tool_err("init needs --label of at most %zu bytes", sizeof(label));
        return TK_EXIT_USAGE;
    }
    memset(label, ' ', sizeof(label));
    memcpy(label, opts->label, strlen(opts->label));

    rc = tk_init_pick_slot(m, opts, &slot);
    if (rc == TK_EXIT_OK) {
        rc = tk_tool_pin_get(opts, TK_PIN_SO, 1, &so_pin);
    }
    if (rc == TK_EXIT_OK) {
        rc = tk_tool_pin_get(opts, TK_PIN_USER, 1, &pin);
    }
    if (rc != TK_EXIT_OK) {
        goto out;
    }

    rv = m->fl->C_InitToken(slot, (CK_UTF8CHAR_PTR)so_pin, (CK_ULONG)strlen(so_pin), label);
    if (rv != CKR_OK) {
        rc = tk_tool_p11_fail("C_InitToken", rv);
        goto out;
    }
    rc = tk_init_user_pin(m, slot, so_pin, pin);
    if (rc == TK_EXIT_OK) {
        printf("Token '%s' initialised in slot %lu\n", opts->label, (unsigned long)slot);
    }

out:
    tk_tool_pin_free(so_pin);
    tk_tool_pin_free(pin);
    return rc;
}
