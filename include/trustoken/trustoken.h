/*
 * TrusToken vendor extensions to PKCS#11.
 *
 * PKCS#11 reserves every value with the top bit set for vendors: CKA_, CKK_,
 * CKM_, CKO_, CKR_ and the other enumerations start their vendor range at
 * 0x80000000 (the *_VENDOR_DEFINED constants) [PKCS11 3.2 §3]. When
 * TrusToken needs a value of its own it will take it from
 * CKx_VENDOR_DEFINED | 0x546b0000 ("Tk") upwards, so that it stays clear
 * of values other vendors commonly use and is recognisable in traces.
 * Vendor functions, if any, will be offered as a separate interface named
 * "Vendor TrusToken" through C_GetInterface [PKCS11 3.2 §3].
 *
 * No vendor value is defined yet; the standard 3.2 set covers everything
 * the token implements.
 */
#ifndef TK_TRUSTOKEN_H
#define TK_TRUSTOKEN_H

#include "pkcs11.h"

#endif /* TK_TRUSTOKEN_H */
