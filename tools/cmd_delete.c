/*
 * trustoken delete: destroy every object matching --label / --id and,
 * when given, --class. Logs in so that private objects are found too.
 */
#include "tool.h"

#include <stdio.h>
#include <stdlib.h>

/* Destroy each handle; returns the exit code of the first failure. */
static int
tk_delete_all(struct tk_tool_module *m, CK_SESSION_HANDLE h, const CK_OBJECT_HANDLE *objs,
              size_t n)
{
    size_t i;
    CK_RV rv;

    for (i = 0; i < n; i++) {
        rv = m->fl->C_DestroyObject(h, objs[i]);
        if (rv != CKR_OK) {
            return tk_tool_p11_fail("C_DestroyObject", rv);
        }
    }
    printf("Deleted %zu object%s\n", n, n == 1 ? "" : "s");
    return TK_EXIT_OK;
}

/* See tool.h. */
int
tk_cmd_delete(struct tk_tool_module *m, const struct tk_tool_opts *opts)
{
    struct tk_tool_session s;
    CK_OBJECT_HANDLE *objs = NULL;
    size_t n = 0;
    char *pin = NULL;
    CK_SLOT_ID slot;
    int rc;

    /* Without a label or id the search would match the whole token. */
    if (opts->label == NULL && !opts->have_id) {
        tk_tool_err("delete needs --label or --id");
        return TK_EXIT_USAGE;
    }
    rc = tk_tool_pick_slot(m, opts, &slot);
    if (rc == TK_EXIT_OK) {
        rc = tk_tool_pin_get(opts, TK_PIN_USER, 0, &pin);
    }
    if (rc == TK_EXIT_OK) {
        rc = tk_tool_session_open(m, slot, 1, CKU_USER, pin, &s);
    }
    tk_tool_pin_free(pin);
    if (rc != TK_EXIT_OK) {
        return rc;
    }
    rc = tk_tool_find(m, s.h, opts, &objs, &n);
    if (rc == TK_EXIT_OK && n == 0) {
        tk_tool_err("no object matches");
        rc = TK_EXIT_P11;
    }
    if (rc == TK_EXIT_OK) {
        rc = tk_delete_all(m, s.h, objs, n);
    }
    free(objs);
    tk_tool_session_close(m, &s);
    return rc;
}
