/*
 * Mechanism family: ec. See mech_internal.h for how families plug in.
 */
#include "mech/mech_internal.h"

/* TODO: the ec mechanisms are not written yet (issues 3 and 4); the
 * family's table is empty, so C_GetMechanismList does not list them and
 * every call with one of them answers CKR_MECHANISM_INVALID. */
tk_mech_family
tk_mech_family_ec(void)
{
    tk_mech_family fam = {NULL, 0};

    return fam;
}
