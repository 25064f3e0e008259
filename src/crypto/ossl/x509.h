/*
 * X.509 certificate fields for certificate objects [PKCS11 3.2 §4.6]:
 * the DER encodings the token fills into CKA_SUBJECT, CKA_ISSUER,
 * CKA_SERIAL_NUMBER, CKA_PUBLIC_KEY_INFO and CKA_CHECK_VALUE when a caller
 * gives only CKA_VALUE. No OpenSSL type appears here.
 */
#ifndef TK_CRYPTO_OSSL_X509_H
#define TK_CRYPTO_OSSL_X509_H

#include <stddef.h>
#include <stdint.h>

#include "trustoken/pkcs11.h"

/* Every buffer is malloc'd and owned by the struct; none holds a secret. */
typedef struct {
    uint8_t *subject; /* DER Name */
    size_t subject_len;
    uint8_t *issuer; /* DER Name */
    size_t issuer_len;
    uint8_t *serial; /* DER INTEGER, tag and length included */
    size_t serial_len;
    uint8_t *spki; /* DER SubjectPublicKeyInfo */
    size_t spki_len;
    uint8_t check_value[3]; /* first 3 bytes of SHA-1 over the DER */
} tk_x509_fields;

/*
 * Parse one DER certificate (der, len) and fill *out. The whole input must
 * be the certificate: trailing bytes are refused.
 * Returns CKR_OK; CKR_ATTRIBUTE_VALUE_INVALID when der is not a certificate;
 * CKR_HOST_MEMORY. On failure *out is left empty. Thread safe.
 */
CK_RV
tk_ossl_x509_fields(const uint8_t *der, size_t len, tk_x509_fields *out);

/* Free every buffer of f and empty it; f may be NULL. */
void
tk_ossl_x509_fields_free(tk_x509_fields *f);

#endif
