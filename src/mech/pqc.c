/*
 * Mechanism family: pqc. See mech_internal.h for how families plug in.
 */
#include "mech/mech_internal.h"

/* TODO: the pqc mechanisms are not written yet (issues 3 and 4); the
 * family's table is empty, so C_GetMechanismList does not list them and
 * every call with one of them answers CKR_MECHANISM_INVALID. */
tk_mech_family
tk_mech_family_pqc(void)
{
    tk_mech_family fam = {NULL, 0};

    return fam;
}

/* TODO: importing post-quantum keys from their seed comes with the
 * family (issue 4); until then nothing is added or checked here. */
CK_RV
tk_mech_pqc_complete_key(CK_OBJECT_CLASS cls, CK_KEY_TYPE type, const CK_ATTRIBUTE *tmpl,
                         CK_ULONG n, tk_mech_attrs *out)
{
    (void)cls;
    (void)type;
    (void)tmpl;
    (void)n;
    (void)out;
    return CKR_OK;
}
