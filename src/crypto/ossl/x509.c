/* X.509 field extraction; see x509.h. */
#include "crypto/ossl/x509.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "util/check.h"

/* One conversion of OpenSSL's 1/0 results: clears the error queue so a
 * later call does not report a stale failure. */
static CK_RV
tk_x509_ossl_rv(int ok, CK_RV code)
{
    if (ok) {
        return CKR_OK;
    }
    ERR_clear_error();
    return code;
}

/* i2d into a fresh malloc'd buffer. The i2d functions differ in their
 * argument type, so the caller passes the encoded length and bytes. */
static CK_RV
tk_x509_dup_der(const unsigned char *der, int len, uint8_t **out, size_t *out_len)
{
    CK_RV rv = CKR_OK;

    TK_GUARD(tk_x509_ossl_rv(len > 0 && der != NULL, CKR_ATTRIBUTE_VALUE_INVALID));
    *out = malloc((size_t)len);
    TK_CHECK(*out != NULL, CKR_HOST_MEMORY);
    memcpy(*out, der, (size_t)len);
    *out_len = (size_t)len;
out:
    return rv;
}

static CK_RV
tk_x509_name(const X509_NAME *name, uint8_t **out, size_t *out_len)
{
    CK_RV rv = CKR_OK;
    const unsigned char *der = NULL;
    size_t der_len = 0;

    TK_GUARD(tk_x509_ossl_rv(X509_NAME_get0_der(name, &der, &der_len) == 1 &&
                                 der_len <= INT_MAX,
                             CKR_ATTRIBUTE_VALUE_INVALID));
    TK_GUARD(tk_x509_dup_der(der, (int)der_len, out, out_len));
out:
    return rv;
}

static CK_RV
tk_x509_serial(const X509 *cert, uint8_t **out, size_t *out_len)
{
    CK_RV rv = CKR_OK;
    unsigned char *der = NULL;
    int len = i2d_ASN1_INTEGER(X509_get0_serialNumber(cert), &der);

    TK_GUARD(tk_x509_dup_der(der, len, out, out_len));
out:
    OPENSSL_free(der);
    return rv;
}

static CK_RV
tk_x509_spki(X509 *cert, uint8_t **out, size_t *out_len)
{
    CK_RV rv = CKR_OK;
    unsigned char *der = NULL;
    int len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert), &der);

    TK_GUARD(tk_x509_dup_der(der, len, out, out_len));
out:
    OPENSSL_free(der);
    return rv;
}

static CK_RV
tk_x509_check_value(const uint8_t *der, size_t len, uint8_t check[3])
{
    CK_RV rv = CKR_OK;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;

    TK_GUARD(tk_x509_ossl_rv(EVP_Digest(der, len, md, &md_len, EVP_sha1(), NULL) == 1,
                             CKR_FUNCTION_FAILED));
    memcpy(check, md, 3);
out:
    return rv;
}

/* See x509.h. */
CK_RV
tk_ossl_x509_fields(const uint8_t *der, size_t len, tk_x509_fields *out)
{
    CK_RV rv = CKR_OK;
    X509 *cert = NULL;
    const unsigned char *p = der;

    memset(out, 0, sizeof(*out));
    TK_CHECK(der != NULL && len > 0 && len <= LONG_MAX, CKR_ATTRIBUTE_VALUE_INVALID);
    cert = d2i_X509(NULL, &p, (long)len);
    TK_GUARD(tk_x509_ossl_rv(cert != NULL, CKR_ATTRIBUTE_VALUE_INVALID));
    /* Trailing bytes would make CKA_VALUE differ from the certificate. */
    TK_CHECK(p == der + len, CKR_ATTRIBUTE_VALUE_INVALID);

    TK_GUARD(tk_x509_name(X509_get_subject_name(cert), &out->subject, &out->subject_len));
    TK_GUARD(tk_x509_name(X509_get_issuer_name(cert), &out->issuer, &out->issuer_len));
    TK_GUARD(tk_x509_serial(cert, &out->serial, &out->serial_len));
    TK_GUARD(tk_x509_spki(cert, &out->spki, &out->spki_len));
    TK_GUARD(tk_x509_check_value(der, len, out->check_value));
out:
    X509_free(cert);
    if (rv != CKR_OK) {
        tk_ossl_x509_fields_free(out);
    }
    return rv;
}

/* See x509.h. */
void
tk_ossl_x509_fields_free(tk_x509_fields *f)
{
    if (f == NULL) {
        return;
    }
    free(f->subject);
    free(f->issuer);
    free(f->serial);
    free(f->spki);
    memset(f, 0, sizeof(*f));
}
