/*
 * The one place where OpenSSL's 1/0 results become CK_RV values.
 */
#ifndef TK_CRYPTO_OSSL_ERR_H
#define TK_CRYPTO_OSSL_ERR_H

#include "trustoken/pkcs11.h"

/*
 * Convert an OpenSSL result: ossl_ok == 1 gives CKR_OK, anything else
 * gives on_fail. Either way the thread's OpenSSL error queue is emptied so
 * a stale entry cannot be blamed on a later call; when the queue held an
 * entry, its reason (never key material) is logged once as an error.
 * For a pointer result pass (ptr != NULL). Thread safe.
 */
CK_RV
tk_ossl_rv(int ossl_ok, CK_RV on_fail);

/*
 * As tk_ossl_rv(), for results the caller's data can cause (a signature
 * that does not verify, a ciphertext that does not decrypt): the queue is
 * emptied and nothing is logged above debug, so bad input from an
 * application never floods the error log.
 */
CK_RV
tk_ossl_rv_expected(int ossl_ok, CK_RV on_fail);

#endif
