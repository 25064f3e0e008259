/*
 * TrusToken vendor extensions to PKCS#11.
 *
 * PKCS#11 reserves every value with the top bit set for vendors: CKA_, CKK_,
 * CKM_, CKO_, CKR_ and the other enumerations start their vendor range at
 * 0x80000000 (the *_VENDOR_DEFINED constants) [PKCS11 3.2 §3]. TrusToken
 * places its own values at CKx_VENDOR_DEFINED | TK_VENDOR_BASE | n, so that
 * they cannot collide with the standard and are recognisable in traces.
 *
 * No vendor value is defined yet; the standard 3.2 set covers everything
 * the token implements.
 */
#ifndef TK_TRUSTOKEN_H
#define TK_TRUSTOKEN_H

#include "pkcs11.h"

/* Marks TrusToken's part of the vendor range ("Tk" in the high bytes). */
#define TK_VENDOR_BASE 0x546b0000UL

#endif /* TK_TRUSTOKEN_H */
