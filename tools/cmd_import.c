/*
 * trustoken import: store certificates and keys read from a file as token
 * objects. Each key becomes the attribute template of its PKCS#11 key type
 * [PKCS11 3.2 §6.1 RSA, §6.3 EC, §6.5 EC Edwards and Montgomery, §6.67
 * ML-DSA and the ML-KEM and SLH-DSA sections]; a private key also brings
 * its public key object, with the same label and id, except an ML-DSA key
 * given without its public key (the tool does not compute one). ML-KEM,
 * ML-DSA and SLH-DSA keys (SPKI, PKCS#8 or --raw bytes) are read by
 * pqc_der.c, since OpenSSL 3.0 does not know them.
 */
#include "tool.h"
#include "pqc_der.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#define TK_TMPL_MAX    24
#define TK_TMPL_OWNED  12
#define TK_TMPL_ULONGS 4

/* An attribute template and the buffers it points into. */
struct tk_tmpl {
    CK_ATTRIBUTE a[TK_TMPL_MAX];
    CK_ULONG n;
    unsigned char *owned[TK_TMPL_OWNED];
    size_t owned_len[TK_TMPL_OWNED];
    int nowned;
    CK_ULONG ulongs[TK_TMPL_ULONGS];
    int nulongs;
    int failed;
};

static const CK_BBOOL tk_import_true = CK_TRUE;
static const CK_BBOOL tk_import_false = CK_FALSE;

/* Wipe and free the buffers of t; key material lives in some of them. */
static void
tk_tmpl_free(struct tk_tmpl *t)
{
    int i;

    for (i = 0; i < t->nowned; i++) {
        OPENSSL_clear_free(t->owned[i], t->owned_len[i]);
    }
    t->nowned = 0;
}

/* Add an attribute pointing at memory the caller keeps alive. */
static void
tk_tmpl_add(struct tk_tmpl *t, CK_ATTRIBUTE_TYPE type, const void *p, size_t len)
{
    if (t->n >= TK_TMPL_MAX) {
        t->failed = 1;
        return;
    }
    t->a[t->n].type = type;
    t->a[t->n].pValue = (void *)p;
    t->a[t->n].ulValueLen = (CK_ULONG)len;
    t->n++;
}

/* Add an attribute whose buffer t now owns; a NULL buffer marks failure. */
static void
tk_tmpl_add_owned(struct tk_tmpl *t, CK_ATTRIBUTE_TYPE type, unsigned char *p, size_t len)
{
    if (p == NULL || t->nowned >= TK_TMPL_OWNED) {
        OPENSSL_clear_free(p, len);
        t->failed = 1;
        return;
    }
    t->owned[t->nowned] = p;
    t->owned_len[t->nowned] = len;
    t->nowned++;
    tk_tmpl_add(t, type, p, len);
}

/* Add a CK_ULONG attribute. */
static void
tk_tmpl_add_ulong(struct tk_tmpl *t, CK_ATTRIBUTE_TYPE type, CK_ULONG v)
{
    if (t->nulongs >= TK_TMPL_ULONGS) {
        t->failed = 1;
        return;
    }
    t->ulongs[t->nulongs] = v;
    tk_tmpl_add(t, type, &t->ulongs[t->nulongs], sizeof(CK_ULONG));
    t->nulongs++;
}

/* Add a CK_BBOOL attribute. */
static void
tk_tmpl_add_bool(struct tk_tmpl *t, CK_ATTRIBUTE_TYPE type, int v)
{
    tk_tmpl_add(t, type, v ? &tk_import_true : &tk_import_false, sizeof(CK_BBOOL));
}

/* Add a big-number parameter of pkey, big-endian, left-padded to pad bytes. */
static void
tk_tmpl_add_bn(struct tk_tmpl *t, CK_ATTRIBUTE_TYPE type, const EVP_PKEY *pkey,
               const char *param, int pad)
{
    BIGNUM *bn = NULL;
    unsigned char *buf = NULL;
    int len;

    if (EVP_PKEY_get_bn_param(pkey, param, &bn) != 1) {
        t->failed = 1;
        return;
    }
    len = pad > BN_num_bytes(bn) ? pad : BN_num_bytes(bn);
    buf = OPENSSL_malloc(len > 0 ? (size_t)len : 1);
    if (buf != NULL && BN_bn2binpad(bn, buf, len) != len) {
        OPENSSL_clear_free(buf, (size_t)len);
        buf = NULL;
    }
    BN_clear_free(bn);
    tk_tmpl_add_owned(t, type, buf, (size_t)len);
}

/* Add the DER encoding of an ASN.1 object identifier given by its NID. */
static void
tk_tmpl_add_oid(struct tk_tmpl *t, CK_ATTRIBUTE_TYPE type, int nid)
{
    const ASN1_OBJECT *obj = OBJ_nid2obj(nid);
    unsigned char *der = NULL;
    int len;

    len = obj != NULL ? i2d_ASN1_OBJECT(obj, &der) : -1;
    tk_tmpl_add_owned(t, type, len > 0 ? der : NULL, len > 0 ? (size_t)len : 0);
}

/* The attributes every object gets: class, token, label and id. */
static void
tk_tmpl_common(struct tk_tmpl *t, CK_OBJECT_CLASS cls, const struct tk_tool_opts *opts,
               const unsigned char *id, size_t id_len)
{
    tk_tmpl_add_ulong(t, CKA_CLASS, cls);
    tk_tmpl_add_bool(t, CKA_TOKEN, 1);
    if (opts->label != NULL) {
        tk_tmpl_add(t, CKA_LABEL, opts->label, strlen(opts->label));
    }
    tk_tmpl_add(t, CKA_ID, id, id_len);
}

/* Add an X.509 name or integer in DER, through the given i2d function. */
#define TK_TMPL_ADD_I2D(t, type, i2d, v)                                              \
    do {                                                                              \
        unsigned char *der_ = NULL;                                                   \
        int len_ = i2d(v, &der_);                                                     \
        tk_tmpl_add_owned(t, type, len_ > 0 ? der_ : NULL, len_ > 0 ? (size_t)len_ : 0); \
    } while (0)

/* A certificate object [PKCS11 3.2 §4.6.3]. */
static void
tk_import_cert_tmpl(struct tk_tmpl *t, X509 *x509)
{
    tk_tmpl_add_ulong(t, CKA_CERTIFICATE_TYPE, CKC_X_509);
    tk_tmpl_add_bool(t, CKA_PRIVATE, 0);
    TK_TMPL_ADD_I2D(t, CKA_SUBJECT, i2d_X509_NAME, X509_get_subject_name(x509));
    TK_TMPL_ADD_I2D(t, CKA_ISSUER, i2d_X509_NAME, X509_get_issuer_name(x509));
    TK_TMPL_ADD_I2D(t, CKA_SERIAL_NUMBER, i2d_ASN1_INTEGER, X509_get_serialNumber(x509));
    TK_TMPL_ADD_I2D(t, CKA_VALUE, i2d_X509, x509);
}

/* RSA: public part always, CRT parts for a private key [PKCS11 3.2 §6.1]. */
static void
tk_import_rsa_tmpl(struct tk_tmpl *t, const EVP_PKEY *pkey, int priv)
{
    tk_tmpl_add_bn(t, CKA_MODULUS, pkey, OSSL_PKEY_PARAM_RSA_N, 0);
    tk_tmpl_add_bn(t, CKA_PUBLIC_EXPONENT, pkey, OSSL_PKEY_PARAM_RSA_E, 0);
    if (!priv) {
        tk_tmpl_add_bool(t, CKA_VERIFY, 1);
        tk_tmpl_add_bool(t, CKA_ENCRYPT, 1);
        return;
    }
    tk_tmpl_add_bn(t, CKA_PRIVATE_EXPONENT, pkey, OSSL_PKEY_PARAM_RSA_D, 0);
    tk_tmpl_add_bn(t, CKA_PRIME_1, pkey, OSSL_PKEY_PARAM_RSA_FACTOR1, 0);
    tk_tmpl_add_bn(t, CKA_PRIME_2, pkey, OSSL_PKEY_PARAM_RSA_FACTOR2, 0);
    tk_tmpl_add_bn(t, CKA_EXPONENT_1, pkey, OSSL_PKEY_PARAM_RSA_EXPONENT1, 0);
    tk_tmpl_add_bn(t, CKA_EXPONENT_2, pkey, OSSL_PKEY_PARAM_RSA_EXPONENT2, 0);
    tk_tmpl_add_bn(t, CKA_COEFFICIENT, pkey, OSSL_PKEY_PARAM_RSA_COEFFICIENT1, 0);
    tk_tmpl_add_bool(t, CKA_SIGN, 1);
    tk_tmpl_add_bool(t, CKA_DECRYPT, 1);
}

/* The uncompressed point of an EC key wrapped in a DER OCTET STRING. */
static void
tk_import_ec_point(struct tk_tmpl *t, EVP_PKEY *pkey)
{
    unsigned char point[256];
    size_t len = 0;
    ASN1_OCTET_STRING *os = NULL;
    unsigned char *der = NULL;
    int dlen = -1;

    EVP_PKEY_set_utf8_string_param(pkey, OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT,
                                   "uncompressed");
    if (EVP_PKEY_get_octet_string_param(pkey, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof(point),
                                        &len) == 1) {
        os = ASN1_OCTET_STRING_new();
    }
    if (os != NULL && ASN1_OCTET_STRING_set(os, point, (int)len) == 1) {
        dlen = i2d_ASN1_OCTET_STRING(os, &der);
    }
    ASN1_OCTET_STRING_free(os);
    tk_tmpl_add_owned(t, CKA_EC_POINT, dlen > 0 ? der : NULL, dlen > 0 ? (size_t)dlen : 0);
}

/* The named curve of a Weierstrass key as a NID, or NID_undef. */
static int
tk_import_ec_nid(const EVP_PKEY *pkey)
{
    char name[80];
    size_t len = 0;
    int nid;

    if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, name, sizeof(name),
                                       &len) != 1) {
        return NID_undef;
    }
    nid = OBJ_txt2nid(name);
    if (nid == NID_undef) {
        nid = EC_curve_nist2nid(name);
    }
    return nid;
}

/*
 * Weierstrass EC: CKA_EC_PARAMS is the named-curve OID, CKA_EC_POINT a DER
 * OCTET STRING and CKA_VALUE the scalar padded to the order's length.
 */
static void
tk_import_ec_tmpl(struct tk_tmpl *t, EVP_PKEY *pkey, int priv)
{
    int nid = tk_import_ec_nid(pkey);

    if (nid == NID_undef) {
        tk_tool_err("EC key without a named curve; explicit parameters are not supported");
        t->failed = 1;
        return;
    }
    tk_tmpl_add_oid(t, CKA_EC_PARAMS, nid);
    if (!priv) {
        tk_import_ec_point(t, pkey);
        tk_tmpl_add_bool(t, CKA_VERIFY, 1);
        return;
    }
    tk_tmpl_add_bn(t, CKA_VALUE, pkey, OSSL_PKEY_PARAM_PRIV_KEY, (EVP_PKEY_get_bits(pkey) + 7) / 8);
    tk_tmpl_add_bool(t, CKA_SIGN, 1);
    tk_tmpl_add_bool(t, CKA_DERIVE, 1);
}

/* Raw public or private bytes of an Edwards or Montgomery key. */
static void
tk_import_raw(struct tk_tmpl *t, CK_ATTRIBUTE_TYPE type, const EVP_PKEY *pkey, int priv)
{
    unsigned char *buf;
    size_t len = 0;
    int ok;

    ok = priv ? EVP_PKEY_get_raw_private_key(pkey, NULL, &len)
              : EVP_PKEY_get_raw_public_key(pkey, NULL, &len);
    buf = ok == 1 ? OPENSSL_malloc(len) : NULL;
    if (buf != NULL) {
        ok = priv ? EVP_PKEY_get_raw_private_key(pkey, buf, &len)
                  : EVP_PKEY_get_raw_public_key(pkey, buf, &len);
    }
    if (buf != NULL && ok != 1) {
        OPENSSL_clear_free(buf, len);
        buf = NULL;
    }
    tk_tmpl_add_owned(t, type, buf, len);
}

/*
 * Edwards and Montgomery keys: CKA_EC_PARAMS is the RFC 8410 OID and the
 * point and value are the raw encodings [PKCS11 3.2 §6.5].
 */
static void
tk_import_okp_tmpl(struct tk_tmpl *t, const EVP_PKEY *pkey, int nid, int priv)
{
    int edwards = nid == NID_ED25519 || nid == NID_ED448;

    tk_tmpl_add_oid(t, CKA_EC_PARAMS, nid);
    tk_import_raw(t, priv ? CKA_VALUE : CKA_EC_POINT, pkey, priv);
    if (edwards) {
        tk_tmpl_add_bool(t, priv ? CKA_SIGN : CKA_VERIFY, 1);
    } else {
        tk_tmpl_add_bool(t, CKA_DERIVE, 1);
    }
}

/* The PKCS#11 key type of pkey, or ~0 for an unsupported algorithm. */
static CK_KEY_TYPE
tk_import_key_type(const EVP_PKEY *pkey)
{
    switch (EVP_PKEY_get_base_id(pkey)) {
    case EVP_PKEY_RSA: return CKK_RSA;
    case EVP_PKEY_EC: return CKK_EC;
    case EVP_PKEY_ED25519:
    case EVP_PKEY_ED448: return CKK_EC_EDWARDS;
    case EVP_PKEY_X25519:
    case EVP_PKEY_X448: return CKK_EC_MONTGOMERY;
    default: return ~(CK_KEY_TYPE)0;
    }
}

/* Fill t with the key-specific attributes; returns 0 or -1. */
static int
tk_import_key_tmpl(struct tk_tmpl *t, EVP_PKEY *pkey, int priv)
{
    CK_KEY_TYPE kt = tk_import_key_type(pkey);

    if (kt == ~(CK_KEY_TYPE)0) {
        tk_tool_err("unsupported key algorithm %s", EVP_PKEY_get0_type_name(pkey));
        return -1;
    }
    tk_tmpl_add_ulong(t, CKA_KEY_TYPE, kt);
    if (priv) {
        tk_tmpl_add_bool(t, CKA_PRIVATE, 1);
        tk_tmpl_add_bool(t, CKA_SENSITIVE, 1);
    }
    if (kt == CKK_RSA) {
        tk_import_rsa_tmpl(t, pkey, priv);
    } else if (kt == CKK_EC) {
        tk_import_ec_tmpl(t, pkey, priv);
    } else {
        tk_import_okp_tmpl(t, pkey, EVP_PKEY_get_base_id(pkey), priv);
    }
    return t->failed ? -1 : 0;
}

/*
 * The CKA_ID of an item: --id when given, else the SHA-1 of the public key
 * (SubjectPublicKeyInfo DER), so that a certificate and its key match.
 */
static int
tk_import_id(const struct tk_tool_opts *opts, EVP_PKEY *pub, unsigned char *id,
             size_t *id_len)
{
    unsigned char *der = NULL;
    unsigned int mdlen = 0;
    int len;

    if (opts->have_id) {
        memcpy(id, opts->id, opts->id_len);
        *id_len = opts->id_len;
        return 0;
    }
    len = pub != NULL ? i2d_PUBKEY(pub, &der) : -1;
    if (len <= 0 || EVP_Digest(der, (size_t)len, id, &mdlen, EVP_sha1(), NULL) != 1) {
        OPENSSL_free(der);
        return -1;
    }
    OPENSSL_free(der);
    *id_len = mdlen;
    return 0;
}

/* Create the object described by t and report it. */
static int
tk_import_create(struct tk_tool_module *m, CK_SESSION_HANDLE h, struct tk_tmpl *t,
                 const char *what, const unsigned char *id, size_t id_len)
{
    CK_OBJECT_HANDLE obj;
    CK_RV rv;
    size_t i;

    rv = m->fl->C_CreateObject(h, t->a, t->n, &obj);
    if (rv != CKR_OK) {
        tk_tool_err("storing the %s failed: %s", what, tk_tool_ckr_name(rv));
        return TK_EXIT_P11;
    }
    printf("Imported %s id=", what);
    for (i = 0; i < id_len; i++) {
        printf("%02x", id[i]);
    }
    printf("\n");
    return TK_EXIT_OK;
}

/* Store one object of class cls built from item (private part when priv). */
static int
tk_import_object(struct tk_tool_module *m, CK_SESSION_HANDLE h,
                 const struct tk_tool_opts *opts, const struct tk_tool_item *it,
                 CK_OBJECT_CLASS cls)
{
    struct tk_tmpl t;
    unsigned char id[TK_TOOL_MAX_ID];
    size_t id_len = 0;
    EVP_PKEY *pub = it->is_cert ? X509_get0_pubkey(it->x509) : it->pkey;
    const char *what = cls == CKO_CERTIFICATE ? "certificate"
                       : cls == CKO_PRIVATE_KEY ? "private key" : "public key";
    int rc = TK_EXIT_INPUT;

    memset(&t, 0, sizeof(t));
    if (tk_import_id(opts, pub, id, &id_len) != 0) {
        tk_tool_err("cannot derive an id for the %s; give --id", what);
        return TK_EXIT_INPUT;
    }
    tk_tmpl_common(&t, cls, opts, id, id_len);
    if (cls == CKO_CERTIFICATE) {
        tk_import_cert_tmpl(&t, it->x509);
    } else if (tk_import_key_tmpl(&t, it->pkey, cls == CKO_PRIVATE_KEY) != 0) {
        t.failed = 1;
    }
    if (t.failed) {
        tk_tool_err("cannot turn the %s into PKCS#11 attributes", what);
    } else {
        rc = tk_import_create(m, h, &t, what, id, id_len);
    }
    tk_tmpl_free(&t);
    ERR_clear_error();
    return rc;
}

/* Store every item: certificates, public keys, private keys with their public part. */
static int
tk_import_items(struct tk_tool_module *m, CK_SESSION_HANDLE h,
                const struct tk_tool_opts *opts, const struct tk_tool_item *items, size_t n)
{
    size_t i;
    int rc = TK_EXIT_OK;

    for (i = 0; rc == TK_EXIT_OK && i < n; i++) {
        if (items[i].is_cert) {
            rc = tk_import_object(m, h, opts, &items[i], CKO_CERTIFICATE);
            continue;
        }
        if (items[i].is_private) {
            rc = tk_import_object(m, h, opts, &items[i], CKO_PRIVATE_KEY);
        }
        if (rc == TK_EXIT_OK) {
            rc = tk_import_object(m, h, opts, &items[i], CKO_PUBLIC_KEY);
        }
    }
    return rc;
}

/* ---- ML-KEM, ML-DSA and SLH-DSA (pqc_der.h) ---- */

/* The key attributes of a PQC key [PKCS11 3.2 §6.67]: the parameter set,
 * the value(s), and the usage its algorithm has. */
static void
tk_import_pqc_tmpl(struct tk_tmpl *t, const struct tk_pqc_key *k, int priv)
{
    const struct tk_pqc_params *p = k->params;
    int kem = p->type == CKK_ML_KEM;

    tk_tmpl_add_ulong(t, CKA_KEY_TYPE, p->type);
    tk_tmpl_add_ulong(t, CKA_PARAMETER_SET, p->set);
    if (!priv) {
        tk_tmpl_add(t, CKA_VALUE, k->pub, p->pub_len);
        tk_tmpl_add_bool(t, kem ? CKA_ENCAPSULATE : CKA_VERIFY, 1);
        return;
    }
    tk_tmpl_add_bool(t, CKA_PRIVATE, 1);
    tk_tmpl_add_bool(t, CKA_SENSITIVE, 1);
    /* The token expands a seed and checks seed and key given together. */
    if (k->seed != NULL) {
        tk_tmpl_add(t, CKA_SEED, k->seed, p->seed_len);
    }
    if (k->priv != NULL) {
        tk_tmpl_add(t, CKA_VALUE, k->priv, p->priv_len);
    }
    tk_tmpl_add_bool(t, kem ? CKA_DECAPSULATE : CKA_SIGN, 1);
}

/* CKA_ID: --id, else the SHA-1 of the SubjectPublicKeyInfo as for other
 * keys, else (a private key whose public key the tool cannot compute)
 * random bytes. */
static int
tk_import_pqc_id(const struct tk_tool_opts *opts, const struct tk_pqc_key *k,
                 unsigned char *id, size_t *id_len)
{
    unsigned char *der = NULL;
    size_t len = 0;
    unsigned int mdlen = 0;
    int ok;

    if (opts->have_id) {
        memcpy(id, opts->id, opts->id_len);
        *id_len = opts->id_len;
        return 0;
    }
    *id_len = 20;
    if (k->pub == NULL) {
        return RAND_bytes(id, 20) == 1 ? 0 : -1;
    }
    if (tk_pqc_spki(k->params, k->pub, &der, &len) != 0) {
        return -1;
    }
    ok = EVP_Digest(der, len, id, &mdlen, EVP_sha1(), NULL) == 1;
    free(der);
    return ok ? 0 : -1;
}

/* Store one object of class cls from k. */
static int
tk_import_pqc_object(struct tk_tool_module *m, CK_SESSION_HANDLE h,
                     const struct tk_tool_opts *opts, const struct tk_pqc_key *k,
                     const unsigned char *id, size_t id_len, CK_OBJECT_CLASS cls)
{
    struct tk_tmpl t;
    const char *what = cls == CKO_PRIVATE_KEY ? "private key" : "public key";
    int rc;

    memset(&t, 0, sizeof(t));
    tk_tmpl_common(&t, cls, opts, id, id_len);
    tk_import_pqc_tmpl(&t, k, cls == CKO_PRIVATE_KEY);
    if (t.failed) {
        tk_tool_err("cannot turn the %s into PKCS#11 attributes", what);
        rc = TK_EXIT_INPUT;
    } else {
        rc = tk_import_create(m, h, &t, what, id, id_len);
    }
    tk_tmpl_free(&t);
    return rc;
}

/* The private key, then its public key when the tool has it. */
static int
tk_import_pqc_items(struct tk_tool_module *m, CK_SESSION_HANDLE h,
                    const struct tk_tool_opts *opts, struct tk_pqc_key *k)
{
    unsigned char id[TK_TOOL_MAX_ID];
    size_t id_len = 0;
    int is_private = k->seed != NULL || k->priv != NULL;
    int rc = TK_EXIT_OK;

    if (is_private && tk_pqc_pub_from_priv(k) != 0) {
        fprintf(stderr, "trustoken: note: no public key in the input; the %s private key "
                        "is stored alone\n", k->params->name);
    }
    if (tk_import_pqc_id(opts, k, id, &id_len) != 0) {
        tk_tool_err("cannot derive an id for the key; give --id");
        return TK_EXIT_INPUT;
    }
    if (is_private) {
        rc = tk_import_pqc_object(m, h, opts, k, id, id_len, CKO_PRIVATE_KEY);
    }
    if (rc == TK_EXIT_OK && k->pub != NULL) {
        rc = tk_import_pqc_object(m, h, opts, k, id, id_len, CKO_PUBLIC_KEY);
    }
    return rc;
}

/* The first PEM block that holds a key, as DER; 0, or -1 for none. */
static int
tk_import_pem_key(BIO *bio, unsigned char **der, long *len)
{
    char *name = NULL, *header = NULL;
    unsigned char *data = NULL;
    long dlen = 0;
    int found = 0;

    while (!found && PEM_read_bio(bio, &name, &header, &data, &dlen) == 1) {
        found = strcmp(name, "PRIVATE KEY") == 0 || strcmp(name, "PUBLIC KEY") == 0;
        if (found) {
            *der = data;
            *len = dlen;
        } else {
            OPENSSL_clear_free(data, (size_t)dlen);
        }
        OPENSSL_free(name);
        OPENSSL_free(header);
    }
    ERR_clear_error();
    return found ? 0 : -1;
}

/* The whole input file, plus a NUL byte; 0 or -1. */
static int
tk_import_slurp(const char *path, unsigned char **buf, long *len)
{
    BIO *in = BIO_new_file(path, "rb");
    BIO *mem = BIO_new(BIO_s_mem());
    unsigned char chunk[4096];
    char *p = NULL;
    int n;
    int ok = in != NULL && mem != NULL;

    while (ok && (n = BIO_read(in, chunk, sizeof(chunk))) > 0) {
        ok = BIO_write(mem, chunk, n) == n;
    }
    OPENSSL_cleanse(chunk, sizeof(chunk));
    *len = ok ? BIO_get_mem_data(mem, &p) : 0;
    *buf = ok && *len > 0 ? OPENSSL_malloc((size_t)*len + 1) : NULL;
    if (*buf != NULL) {
        /* NUL-terminated so that a PEM header can be searched for. */
        memcpy(*buf, p, (size_t)*len);
        (*buf)[*len] = '\0';
        OPENSSL_cleanse(p, (size_t)*len);
    }
    BIO_free(in);
    BIO_free(mem);
    ERR_clear_error();
    return *buf != NULL ? 0 : -1;
}

/*
 * Read a PQC key from the file: raw bytes under --raw, else a PEM or DER
 * SubjectPublicKeyInfo or PrivateKeyInfo with a NIST OID. Returns 1 when
 * the file is (or must be, under --raw) such a key, with *rc TK_EXIT_OK
 * and k filled, or an exit code after a message; 0 when the file is
 * something else, for the other readers.
 */
static int
tk_import_pqc_read(const struct tk_tool_opts *opts, struct tk_pqc_key *k, int *rc)
{
    const struct tk_pqc_params *p = tk_pqc_by_name(opts->key_type);
    unsigned char *buf = NULL, *der = NULL;
    long len = 0, dlen = 0;
    BIO *bio;
    int found = 1;

    *rc = TK_EXIT_OK;
    memset(k, 0, sizeof(*k));
    if (opts->raw && (p == NULL || (opts->cls != CKO_PRIVATE_KEY &&
                                    opts->cls != CKO_PUBLIC_KEY))) {
        tk_tool_err("--raw needs --key-type (ml-kem-768, ml-dsa-65, slh-dsa-sha2-128f, ...) "
                    "and --class private|public, or a secret key type (aes, chacha20, "
                    "generic, hkdf, hmac-sha256, ...)");
        *rc = TK_EXIT_USAGE;
        return 1;
    }
    if (tk_import_slurp(opts->pos[0], &buf, &len) != 0) {
        tk_tool_err("cannot read %s", opts->pos[0]);
        *rc = TK_EXIT_INPUT;
        return 1;
    }
    if (opts->raw) {
        found = tk_pqc_raw(p, opts->cls == CKO_PRIVATE_KEY, buf, (size_t)len, k) == 0 ? 1 : -1;
    } else if (strstr((char *)buf, "-----BEGIN ") != NULL) {
        bio = BIO_new_mem_buf(buf, (int)len);
        found = bio != NULL && tk_import_pem_key(bio, &der, &dlen) == 0
                    ? tk_pqc_der_parse(der, (size_t)dlen, k) : 0;
        BIO_free(bio);
        OPENSSL_clear_free(der, (size_t)dlen);
    } else {
        found = tk_pqc_der_parse(buf, (size_t)len, k);
    }
    OPENSSL_clear_free(buf, (size_t)len + 1);
    if (found < 0) {
        *rc = TK_EXIT_INPUT;
        found = 1;
    }
    return found;
}

/* Log in and store the PQC key. */
static int
tk_import_pqc(struct tk_tool_module *m, const struct tk_tool_opts *opts, struct tk_pqc_key *k)
{
    struct tk_tool_session s;
    char *pin = NULL;
    CK_SLOT_ID slot;
    int rc = tk_tool_pick_slot(m, opts, &slot);

    if (rc == TK_EXIT_OK) {
        rc = tk_tool_pin_get(opts, TK_PIN_USER, 0, &pin);
    }
    if (rc == TK_EXIT_OK) {
        rc = tk_tool_session_open(m, slot, 1, CKU_USER, pin, &s);
    }
    tk_tool_pin_free(pin);
    if (rc == TK_EXIT_OK) {
        rc = tk_import_pqc_items(m, s.h, opts, k);
        tk_tool_session_close(m, &s);
    }
    return rc;
}

/* See tool.h. */
int
tk_cmd_import(struct tk_tool_module *m, const struct tk_tool_opts *opts)
{
    struct tk_tool_item *items = NULL;
    struct tk_tool_session s;
    struct tk_pqc_key pqc;
    size_t n = 0;
    char *pin = NULL;
    CK_SLOT_ID slot;
    int rc;

    if (opts->pos_count != 1) {
        tk_tool_err("import needs exactly one FILE");
        return TK_EXIT_USAGE;
    }
    if (opts->raw && tk_tool_is_secret_type(opts->key_type)) {
        return tk_tool_import_secret(m, opts);
    }
    if (tk_import_pqc_read(opts, &pqc, &rc)) {
        if (rc == TK_EXIT_OK) {
            rc = tk_import_pqc(m, opts, &pqc);
        }
        tk_pqc_key_free(&pqc);
        return rc;
    }
    rc = tk_tool_load(opts->pos[0], opts->passin, &items, &n);
    if (rc == TK_EXIT_OK) {
        rc = tk_tool_pick_slot(m, opts, &slot);
    }
    if (rc == TK_EXIT_OK) {
        rc = tk_tool_pin_get(opts, TK_PIN_USER, 0, &pin);
    }
    if (rc == TK_EXIT_OK) {
        rc = tk_tool_session_open(m, slot, 1, CKU_USER, pin, &s);
    }
    tk_tool_pin_free(pin);
    if (rc == TK_EXIT_OK) {
        rc = tk_import_items(m, s.h, opts, items, n);
        tk_tool_session_close(m, &s);
    }
    tk_tool_items_free(items, n);
    return rc;
}
