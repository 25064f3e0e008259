/*
 * Mechanism family: rsa. See mech_internal.h for how families plug in.
 */
#include "mech/mech_internal.h"

/* TODO: the rsa mechanisms are not written yet (issues 3 and 4); the
 * family's table is empty, so C_GetMechanismList does not list them and
 * every call with one of them answers CKR_MECHANISM_INVALID. */
tk_mech_family
tk_mech_family_rsa(void)
{
    tk_mech_family fam = {NULL, 0};

    return fam;
}
