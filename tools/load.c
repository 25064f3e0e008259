/*
 * Reading certificates and keys from PEM, DER and PKCS#12 files.
 * See tool.h. Only parsing happens here; the module does all key work.
 */
#include "tool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

/* Input files larger than this are refused; no key or certificate is. */
#define TK_LOAD_MAX (4L * 1024 * 1024)

/* A growing list of items. */
struct tk_load_list {
    struct tk_tool_item *v;
    size_t n;
};

/* See tool.h. */
void
tk_tool_items_free(struct tk_tool_item *items, size_t count)
{
    size_t i;

    for (i = 0; i < count; i++) {
        X509_free(items[i].x509);
        EVP_PKEY_free(items[i].pkey);
    }
    free(items);
}

/* Append one item; takes ownership of x509 / pkey. Returns 0 or -1. */
static int
tk_load_add(struct tk_load_list *l, X509 *x509, EVP_PKEY *pkey, int is_private)
{
    struct tk_tool_item *grown;

    grown = realloc(l->v, (l->n + 1) * sizeof(*l->v));
    if (grown == NULL) {
        X509_free(x509);
        EVP_PKEY_free(pkey);
        return -1;
    }
    l->v = grown;
    l->v[l->n].is_cert = x509 != NULL;
    l->v[l->n].is_private = is_private;
    l->v[l->n].x509 = x509;
    l->v[l->n].pkey = pkey;
    l->n++;
    return 0;
}

/* Read the whole file into a malloc'd buffer. Returns 0 or -1. */
static int
tk_load_file(const char *path, unsigned char **buf, size_t *len)
{
    FILE *f;
    long size;
    size_t got;

    f = fopen(path, "rb");
    if (f == NULL) {
        return -1;
    }
    if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || size > TK_LOAD_MAX ||
        fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return -1;
    }
    *buf = malloc((size_t)size + 1);
    if (*buf == NULL) {
        fclose(f);
        return -1;
    }
    got = fread(*buf, 1, (size_t)size, f);
    fclose(f);
    (*buf)[got] = '\0';
    *len = got;
    return got == (size_t)size ? 0 : -1;
}

/* The password callback: hands OpenSSL the --passin value, if any. */
static int
tk_load_pass_cb(char *buf, int size, int rwflag, void *u)
{
    const char *pass = u;
    size_t n;

    (void)rwflag;
    if (pass == NULL) {
        return -1;
    }
    n = strlen(pass);
    if (n > (size_t)size) {
        return -1;
    }
    memcpy(buf, pass, n);
    return (int)n;
}

/* Whether a PEM block name announces an X.509 certificate. */
static int
tk_load_is_cert_block(const char *name)
{
    return strcmp(name, "CERTIFICATE") == 0 || strcmp(name, "TRUSTED CERTIFICATE") == 0 ||
           strcmp(name, "X509 CERTIFICATE") == 0;
}

/*
 * Parse one PEM block, given by its name, header and DER body. Blocks that
 * hold neither a certificate nor a key (e.g. EC PARAMETERS) are skipped.
 * Returns 0 or -1 for a block that should parse but does not.
 */
static int
tk_load_pem_block(struct tk_load_list *l, const char *name, const char *header,
                  const unsigned char *data, long len, const char *passin)
{
    BIO *bio;
    X509 *x509 = NULL;
    EVP_PKEY *pkey = NULL;
    int is_private = strstr(name, "PRIVATE KEY") != NULL;
    int is_cert = tk_load_is_cert_block(name);

    if (!is_private && !is_cert && strcmp(name, "PUBLIC KEY") != 0 &&
        strcmp(name, "RSA PUBLIC KEY") != 0) {
        return 0;
    }

    /* PKCS#1 RSA public keys are plain DER without a PEM reader of their own. */
    if (strcmp(name, "RSA PUBLIC KEY") == 0) {
        const unsigned char *p = data;

        pkey = d2i_PublicKey(EVP_PKEY_RSA, NULL, &p, len);
        return pkey != NULL ? tk_load_add(l, NULL, pkey, 0) : -1;
    }

    /* Rewrite the block alone so that OpenSSL's typed readers see it. */
    bio = BIO_new(BIO_s_mem());
    if (bio == NULL || PEM_write_bio(bio, name, header, data, len) <= 0) {
        BIO_free(bio);
        return -1;
    }
    if (strcmp(name, "TRUSTED CERTIFICATE") == 0) {
        x509 = PEM_read_bio_X509_AUX(bio, NULL, NULL, NULL);
    } else if (is_cert) {
        x509 = PEM_read_bio_X509(bio, NULL, NULL, NULL);
    } else if (is_private) {
        pkey = PEM_read_bio_PrivateKey(bio, NULL, tk_load_pass_cb, (void *)passin);
    } else {
        pkey = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
    }
    BIO_free(bio);
    if (x509 == NULL && pkey == NULL) {
        return -1;
    }
    return tk_load_add(l, x509, pkey, is_private);
}

/* Parse every PEM block in buf. Returns 0 or -1. */
static int
tk_load_pem(struct tk_load_list *l, const unsigned char *buf, size_t len,
            const char *passin)
{
    BIO *bio;
    char *name = NULL, *header = NULL;
    unsigned char *data = NULL;
    long dlen = 0;
    int rc = 0;

    bio = BIO_new_mem_buf(buf, (int)len);
    if (bio == NULL) {
        return -1;
    }
    while (rc == 0 && PEM_read_bio(bio, &name, &header, &data, &dlen) == 1) {
        rc = tk_load_pem_block(l, name, header, data, dlen, passin);
        OPENSSL_free(name);
        OPENSSL_free(header);
        OPENSSL_clear_free(data, (size_t)dlen);
        name = header = NULL;
        data = NULL;
    }

    /* The loop ends with a "no start line" error at end of input. */
    ERR_clear_error();
    BIO_free(bio);
    return rc;
}

/* A PKCS#12 file: its key, its certificate and any chain certificates. */
static int
tk_load_p12(struct tk_load_list *l, PKCS12 *p12, const char *passin)
{
    EVP_PKEY *pkey = NULL;
    X509 *cert = NULL;
    STACK_OF(X509) *ca = NULL;
    int rc = 0;

    if (PKCS12_parse(p12, passin != NULL ? passin : "", &pkey, &cert, &ca) != 1) {
        return -1;
    }
    if (pkey != NULL) {
        rc = tk_load_add(l, NULL, pkey, 1);
    }
    if (rc == 0 && cert != NULL) {
        rc = tk_load_add(l, cert, NULL, 0);
        cert = NULL;
    }
    while (rc == 0 && ca != NULL && sk_X509_num(ca) > 0) {
        rc = tk_load_add(l, sk_X509_shift(ca), NULL, 0);
    }
    X509_free(cert);
    sk_X509_pop_free(ca, X509_free);
    return rc;
}

/*
 * A DER certificate or PKCS#12 file. Returns 0 or -1 when it is one of them
 * (the parser consumed the whole input), 1 when it is neither.
 */
static int
tk_load_der_container(struct tk_load_list *l, const unsigned char *buf, size_t len,
                      const char *passin)
{
    const unsigned char *p = buf;
    X509 *x509;
    PKCS12 *p12;
    int rc;

    x509 = d2i_X509(NULL, &p, (long)len);
    if (x509 != NULL && p == buf + len) {
        return tk_load_add(l, x509, NULL, 0);
    }
    X509_free(x509);

    p = buf;
    p12 = d2i_PKCS12(NULL, &p, (long)len);
    if (p12 != NULL && p == buf + len) {
        rc = tk_load_p12(l, p12, passin);
        PKCS12_free(p12);
        return rc;
    }
    PKCS12_free(p12);
    return 1;
}

/*
 * A DER key: private key (PKCS#8 or traditional), encrypted PKCS#8, or
 * SubjectPublicKeyInfo, tried in that order. Returns 0 or -1.
 */
static int
tk_load_der_key(struct tk_load_list *l, const unsigned char *buf, size_t len,
                const char *passin)
{
    const unsigned char *p = buf;
    EVP_PKEY *pkey;
    BIO *bio;

    pkey = d2i_AutoPrivateKey(NULL, &p, (long)len);
    if (pkey != NULL && p == buf + len) {
        return tk_load_add(l, NULL, pkey, 1);
    }
    EVP_PKEY_free(pkey);

    bio = BIO_new_mem_buf(buf, (int)len);
    pkey = bio != NULL ? d2i_PKCS8PrivateKey_bio(bio, NULL, tk_load_pass_cb, (void *)passin)
                       : NULL;
    BIO_free(bio);
    if (pkey != NULL) {
        return tk_load_add(l, NULL, pkey, 1);
    }

    p = buf;
    pkey = d2i_PUBKEY(NULL, &p, (long)len);
    if (pkey != NULL && p == buf + len) {
        return tk_load_add(l, NULL, pkey, 0);
    }
    EVP_PKEY_free(pkey);
    return -1;
}

/* A DER file of any supported kind. Returns 0 or -1. */
static int
tk_load_der(struct tk_load_list *l, const unsigned char *buf, size_t len,
            const char *passin)
{
    int rc = tk_load_der_container(l, buf, len, passin);

    return rc != 1 ? rc : tk_load_der_key(l, buf, len, passin);
}

/* See tool.h. */
int
tk_tool_load(const char *path, const char *passin, struct tk_tool_item **items,
             size_t *count)
{
    struct tk_load_list l = { NULL, 0 };
    unsigned char *buf = NULL;
    size_t len = 0;
    int rc;

    if (tk_load_file(path, &buf, &len) != 0) {
        tk_tool_err("cannot read %s", path);
        free(buf);
        return TK_EXIT_INPUT;
    }
    if (strstr((char *)buf, "-----BEGIN ") != NULL) {
        rc = tk_load_pem(&l, buf, len, passin);
    } else {
        rc = tk_load_der(&l, buf, len, passin);
    }
    ERR_clear_error();
    OPENSSL_clear_free(buf, len + 1);
    if (rc != 0 || l.n == 0) {
        tk_tool_err("%s: no certificate or key could be read (wrong format or --passin?)",
                    path);
        tk_tool_items_free(l.v, l.n);
        return TK_EXIT_INPUT;
    }
    *items = l.v;
    *count = l.n;
    return TK_EXIT_OK;
}
