/*
 * TrusToken's PKCS#11 3.2 header [PKCS11 3.2].
 *
 * The one header that applications and TrusToken's own sources include for
 * the PKCS#11 interface. It follows the Unix conventions of the
 * specification's platform section [PKCS11 3.2 §2]: CK_PTR is a plain
 * pointer, structures are not packed and CK_ULONG is unsigned long, so the
 * layouts match every other module and application built for the same
 * platform.
 *
 * Organisation:
 *   pkcs11_platform.h    CK_PTR, CK_DECLARE_FUNCTION and friends
 *   pkcs11_types.h       scalar types, information structures, attributes
 *   pkcs11_values.h      CKR_, CKA_, CKO_, CKK_, CKF_, CKP_, ... values
 *   pkcs11_mechanisms.h  CKM_ values
 *   pkcs11_params.h      mechanism parameter structures
 *   pkcs11_functions.h   C_* prototypes, CK_C_* types, function lists
 *
 * TrusToken's vendor extensions are in <trustoken/trustoken.h>.
 */
#ifndef TK_PKCS11_H
#define TK_PKCS11_H

#ifdef __cplusplus
extern "C" {
#endif

#include "pkcs11_platform.h"
#include "pkcs11_types.h"
#include "pkcs11_values.h"
#include "pkcs11_mechanisms.h"
#include "pkcs11_params.h"
#include "pkcs11_functions.h"

#ifdef __cplusplus
}
#endif

#endif /* TK_PKCS11_H */
