/*
 * trustoken set-pin: change the user PIN, or with --so the SO PIN, by
 * logging in with the old one and calling C_SetPIN [PKCS11 3.2 §5.6].
 */
#include "tool.h"

#include <stdio.h>
#include <string.h>

/* Change the PIN of user on slot from old_pin to new_pin. */
static int
tk_set_pin_run(struct tk_tool_module *m, CK_SLOT_ID slot, CK_USER_TYPE user,
               const char *old_pin, const char *new_pin)
{
    struct tk_tool_session s;
    CK_RV rv;
    int rc;

    rc = tk_tool_session_open(m, slot, 1, user, old_pin, &s);
    if (rc != TK_EXIT_OK) {
        return rc;
    }
    rv = m->fl->C_SetPIN(s.h, (CK_UTF8CHAR_PTR)old_pin, (CK_ULONG)strlen(old_pin),
                         (CK_UTF8CHAR_PTR)new_pin, (CK_ULONG)strlen(new_pin));
    tk_tool_session_close(m, &s);
    if (rv != CKR_OK) {
        return tk_tool_p11_fail("C_SetPIN", rv);
    }
    return TK_EXIT_OK;
}

/* See tool.h. */
int
tk_cmd_set_pin(struct tk_tool_module *m, const struct tk_tool_opts *opts)
{
    char *old_pin = NULL, *new_pin = NULL;
    CK_SLOT_ID slot;
    int rc;

    rc = tk_tool_pick_slot(m, opts, &slot);
    if (rc == TK_EXIT_OK) {
        rc = tk_tool_pin_get(opts, opts->so ? TK_PIN_SO : TK_PIN_USER, 0, &old_pin);
    }
    if (rc == TK_EXIT_OK) {
        rc = tk_tool_pin_get(opts, TK_PIN_NEW, 1, &new_pin);
    }
    if (rc == TK_EXIT_OK) {
        rc = tk_set_pin_run(m, slot, opts->so ? CKU_SO : CKU_USER, old_pin, new_pin);
    }
    if (rc == TK_EXIT_OK) {
        printf("%s PIN changed\n", opts->so ? "SO" : "User");
    }
    tk_tool_pin_free(old_pin);
    tk_tool_pin_free(new_pin);
    return rc;
}
