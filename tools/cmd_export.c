/*
 * trustoken export: write a public key as SubjectPublicKeyInfo PEM, rebuilt
 * from its PKCS#11 attributes, or a certificate as PEM. ML-KEM, ML-DSA
 * and SLH-DSA keys are encoded by pqc_der.c: OpenSSL 3.0 knows none.
 * Secret keys and data objects are written raw by secret.c.
 */
#include "tool.h"
#include "pqc_der.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

/* Two attributes of one object, read together for the key builders. */
struct tk_export_pair {
    unsigned char *a;
    size_t a_len;
    unsigned char *b;
    size_t b_len;
};

/* Read attributes ta and tb of obj into p; returns CKR_OK or the error. */
static CK_RV
tk_export_pair_get(struct tk_tool_module *m, CK_SESSION_HANDLE h, CK_OBJECT_HANDLE obj,
                   CK_ATTRIBUTE_TYPE ta, CK_ATTRIBUTE_TYPE tb, struct tk_export_pair *p)
{
    CK_RV rv;

    memset(p, 0, sizeof(*p));
    rv = tk_tool_get_attr(m, h, obj, ta, &p->a, &p->a_len);
    if (rv == CKR_OK) {
        rv = tk_tool_get_attr(m, h, obj, tb, &p->b, &p->b_len);
    }
    return rv;
}

static void
tk_export_pair_free(struct tk_export_pair *p)
{
    free(p->a);
    free(p->b);
}

/* Build a public EVP_PKEY of algorithm alg from an OSSL_PARAM builder. */
static EVP_PKEY *
tk_export_fromdata(const char *alg, OSSL_PARAM_BLD *bld)
{
    OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, alg, NULL);
    EVP_PKEY *pkey = NULL;

    if (params == NULL || ctx == NULL || EVP_PKEY_fromdata_init(ctx) != 1 ||
        EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1) {
        pkey = NULL;
    }
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    return pkey;
}

/* RSA from CKA_MODULUS and CKA_PUBLIC_EXPONENT. */
static EVP_PKEY *
tk_export_rsa(const struct tk_export_pair *p)
{
    BIGNUM *n = BN_bin2bn(p->a, (int)p->a_len, NULL);
    BIGNUM *e = BN_bin2bn(p->b, (int)p->b_len, NULL);
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    EVP_PKEY *pkey = NULL;

    if (n != NULL && e != NULL && bld != NULL &&
        OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) == 1 &&
        OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e) == 1) {
        pkey = tk_export_fromdata("RSA", bld);
    }
    OSSL_PARAM_BLD_free(bld);
    BN_free(n);
    BN_free(e);
    return pkey;
}

/*
 * CKA_EC_PARAMS as a NID: the DER OID, or for Edwards and Montgomery keys
 * also the PrintableString curve name that PKCS#11 3.0 allowed.
 */
static int
tk_export_params_nid(const unsigned char *der, size_t len)
{
    static const struct {
        const char *name;
        int nid;
    } names[] = {
        { "edwards25519", NID_ED25519 }, { "edwards448", NID_ED448 },
        { "curve25519", NID_X25519 },    { "curve448", NID_X448 },
    };
    const unsigned char *p = der;
    ASN1_OBJECT *obj;
    ASN1_STRING *str;
    int nid = NID_undef;
    size_t i;

    obj = d2i_ASN1_OBJECT(NULL, &p, (long)len);
    if (obj != NULL) {
        nid = OBJ_obj2nid(obj);
        ASN1_OBJECT_free(obj);
        return nid;
    }
    p = der;
    str = d2i_ASN1_PRINTABLESTRING(NULL, &p, (long)len);
    for (i = 0; str != NULL && i < sizeof(names) / sizeof(names[0]); i++) {
        if ((size_t)ASN1_STRING_length(str) == strlen(names[i].name) &&
            memcmp(ASN1_STRING_get0_data(str), names[i].name, strlen(names[i].name)) == 0) {
            nid = names[i].nid;
        }
    }
    ASN1_STRING_free(str);
    return nid;
}

/*
 * The point inside CKA_EC_POINT: unwraps a DER OCTET STRING, unless the
 * value already has the raw length raw_len (0 when unknown). *out points
 * into p or into *owned, which the caller frees.
 */
static int
tk_export_point(const unsigned char *p, size_t len, size_t raw_len,
                const unsigned char **out, size_t *out_len, ASN1_OCTET_STRING **owned)
{
    const unsigned char *q = p;

    *owned = NULL;
    if (raw_len != 0 && len == raw_len) {
        *out = p;
        *out_len = len;
        return 0;
    }
    *owned = d2i_ASN1_OCTET_STRING(NULL, &q, (long)len);
    if (*owned != NULL && q == p + len) {
        *out = ASN1_STRING_get0_data(*owned);
        *out_len = (size_t)ASN1_STRING_length(*owned);
        return 0;
    }
    ASN1_OCTET_STRING_free(*owned);
    *owned = NULL;

    /* A raw point of a Weierstrass curve, as some modules store it. */
    *out = p;
    *out_len = len;
    return 0;
}

/* Raw key length of an Edwards or Montgomery curve. */
static size_t
tk_export_raw_len(int nid)
{
    switch (nid) {
    case NID_ED25519:
    case NID_X25519: return 32;
    case NID_ED448: return 57;
    case NID_X448: return 56;
    default: return 0;
    }
}

/* EC, Edwards or Montgomery from CKA_EC_PARAMS (a) and CKA_EC_POINT (b). */
static EVP_PKEY *
tk_export_ec(const struct tk_export_pair *p, CK_KEY_TYPE kt)
{
    int nid = tk_export_params_nid(p->a, p->a_len);
    size_t raw_len = kt == CKK_EC ? 0 : tk_export_raw_len(nid);
    const unsigned char *point = NULL;
    size_t point_len = 0;
    ASN1_OCTET_STRING *owned = NULL;
    OSSL_PARAM_BLD *bld = NULL;
    EVP_PKEY *pkey = NULL;

    if (nid == NID_undef || (kt != CKK_EC && raw_len == 0)) {
        return NULL;
    }
    tk_export_point(p->b, p->b_len, raw_len, &point, &point_len, &owned);
    if (kt != CKK_EC) {
        pkey = EVP_PKEY_new_raw_public_key(nid, NULL, point, point_len);
    } else {
        bld = OSSL_PARAM_BLD_new();
        if (bld != NULL &&
            OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
                                            OBJ_nid2sn(nid), 0) == 1 &&
            OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point,
                                             point_len) == 1) {
            pkey = tk_export_fromdata("EC", bld);
        }
        OSSL_PARAM_BLD_free(bld);
    }
    ASN1_OCTET_STRING_free(owned);
    return pkey;
}

/* Rebuild the public key object obj as an EVP_PKEY; NULL after a message. */
static EVP_PKEY *
tk_export_pubkey(struct tk_tool_module *m, CK_SESSION_HANDLE h, CK_OBJECT_HANDLE obj)
{
    struct tk_export_pair p;
    CK_KEY_TYPE kt;
    EVP_PKEY *pkey = NULL;
    CK_RV rv;

    rv = tk_tool_get_ulong(m, h, obj, CKA_KEY_TYPE, &kt);
    if (rv != CKR_OK) {
        tk_tool_p11_fail("reading CKA_KEY_TYPE", rv);
        return NULL;
    }
    if (kt == CKK_RSA) {
        rv = tk_export_pair_get(m, h, obj, CKA_MODULUS, CKA_PUBLIC_EXPONENT, &p);
    } else if (kt == CKK_EC || kt == CKK_EC_EDWARDS || kt == CKK_EC_MONTGOMERY) {
        rv = tk_export_pair_get(m, h, obj, CKA_EC_PARAMS, CKA_EC_POINT, &p);
    } else {
        tk_tool_err("export supports RSA, EC, Edwards, Montgomery, ML-KEM, ML-DSA and "
                    "SLH-DSA public keys");
        return NULL;
    }
    if (rv == CKR_OK) {
        pkey = kt == CKK_RSA ? tk_export_rsa(&p) : tk_export_ec(&p, kt);
        if (pkey == NULL) {
            tk_tool_err("the key's attributes do not form a valid public key");
        }
    } else {
        tk_tool_p11_fail("reading the key attributes", rv);
    }
    tk_export_pair_free(&p);
    ERR_clear_error();
    return pkey;
}

/* The SubjectPublicKeyInfo of a PQC public key object, written as PEM.
 * Returns 1 when obj is such a key (*rc the outcome), else 0. */
static int
tk_export_pqc(struct tk_tool_module *m, CK_SESSION_HANDLE h, CK_OBJECT_HANDLE obj, BIO *bio,
              int *rc)
{
    const struct tk_pqc_params *p;
    CK_KEY_TYPE kt = 0;
    CK_ULONG set = 0;
    unsigned char *pub = NULL, *der = NULL;
    size_t len = 0, dlen = 0;
    CK_RV rv;

    if (tk_tool_get_ulong(m, h, obj, CKA_KEY_TYPE, &kt) != CKR_OK ||
        (kt != CKK_ML_KEM && kt != CKK_ML_DSA && kt != CKK_SLH_DSA)) {
        return 0;
    }
    rv = tk_tool_get_ulong(m, h, obj, CKA_PARAMETER_SET, &set);
    if (rv == CKR_OK) {
        rv = tk_tool_get_attr(m, h, obj, CKA_VALUE, &pub, &len);
    }
    if (rv != CKR_OK) {
        *rc = tk_tool_p11_fail("reading the key attributes", rv);
        return 1;
    }
    p = tk_pqc_by_set(kt, set);
    if (p == NULL || len != p->pub_len || tk_pqc_spki(p, pub, &der, &dlen) != 0) {
        tk_tool_err("the key's attributes do not form a valid public key");
        *rc = TK_EXIT_P11;
    } else if (PEM_write_bio(bio, "PUBLIC KEY", "", der, (long)dlen) <= 0) {
        tk_tool_err("cannot write the PEM output");
        *rc = TK_EXIT_INPUT;
    } else {
        *rc = TK_EXIT_OK;
    }
    free(pub);
    free(der);
    return 1;
}

/* Write a certificate or public key object as PEM to bio. */
static int
tk_export_write(struct tk_tool_module *m, CK_SESSION_HANDLE h, CK_OBJECT_HANDLE obj,
                CK_OBJECT_CLASS cls, BIO *bio)
{
    unsigned char *der = NULL;
    const unsigned char *p;
    size_t len = 0;
    X509 *x509 = NULL;
    EVP_PKEY *pkey = NULL;
    int ok = 0;
    int rc = TK_EXIT_OK;
    CK_RV rv;

    if (cls == CKO_CERTIFICATE) {
        rv = tk_tool_get_attr(m, h, obj, CKA_VALUE, &der, &len);
        if (rv != CKR_OK) {
            return tk_tool_p11_fail("reading the certificate", rv);
        }
        p = der;
        x509 = d2i_X509(NULL, &p, (long)len);
        ok = x509 != NULL && PEM_write_bio_X509(bio, x509) == 1;
        X509_free(x509);
        free(der);
    } else if (tk_export_pqc(m, h, obj, bio, &rc)) {
        return rc;
    } else {
        pkey = tk_export_pubkey(m, h, obj);
        if (pkey == NULL) {
            return TK_EXIT_P11;
        }
        ok = PEM_write_bio_PUBKEY(bio, pkey) == 1;
        EVP_PKEY_free(pkey);
    }
    if (!ok) {
        tk_tool_err("cannot write the PEM output");
        return TK_EXIT_INPUT;
    }
    return TK_EXIT_OK;
}

/* Find the object to export: --class when given, else a public key, else a certificate. */
static int
tk_export_find(struct tk_tool_module *m, CK_SESSION_HANDLE h,
               const struct tk_tool_opts *opts, CK_OBJECT_HANDLE *obj, CK_OBJECT_CLASS *cls)
{
    static const CK_OBJECT_CLASS order[] = { CKO_PUBLIC_KEY, CKO_CERTIFICATE };
    struct tk_tool_opts o = *opts;
    CK_OBJECT_HANDLE *found = NULL;
    size_t n = 0, i;
    int rc = TK_EXIT_OK;

    for (i = 0; i < 2 && rc == TK_EXIT_OK && n == 0; i++) {
        o.cls = opts->cls != TK_CLASS_ANY ? opts->cls : order[i];
        free(found);
        rc = tk_tool_find(m, h, &o, &found, &n);
    }
    if (rc == TK_EXIT_OK && n == 0) {
        tk_tool_err(opts->cls == TK_CLASS_ANY ? "no public key or certificate matches"
                                              : "no object of that class matches");
        rc = TK_EXIT_P11;
    }
    if (rc == TK_EXIT_OK) {
        if (n > 1) {
            tk_tool_err("%zu objects match; exporting the first", n);
        }
        *obj = found[0];
        *cls = o.cls;
    }
    free(found);
    return rc;
}

/*
 * Open the session: read-only, logged in for a secret key (always a
 * private object when the tool imported it) or when --login asks.
 */
static int
tk_export_session(struct tk_tool_module *m, const struct tk_tool_opts *opts,
                  struct tk_tool_session *s)
{
    CK_SLOT_ID slot;
    char *pin = NULL;
    int login = opts->cls == CKO_SECRET_KEY || opts->login;
    int rc = tk_tool_pick_slot(m, opts, &slot);

    if (rc == TK_EXIT_OK && login) {
        rc = tk_tool_pin_get(opts, TK_PIN_USER, 0, &pin);
    }
    if (rc == TK_EXIT_OK) {
        rc = tk_tool_session_open(m, slot, 0, login ? CKU_USER : TK_TOOL_NO_LOGIN, pin, s);
    }
    tk_tool_pin_free(pin);
    return rc;
}

/* Write obj as PEM to --out or stdout. */
static int
tk_export_pem(struct tk_tool_module *m, CK_SESSION_HANDLE h, CK_OBJECT_HANDLE obj,
              CK_OBJECT_CLASS cls, const char *out)
{
    BIO *bio = out != NULL ? BIO_new_file(out, "w") : BIO_new_fp(stdout, BIO_NOCLOSE);
    int rc;

    if (bio == NULL) {
        tk_tool_err("cannot open %s for writing", out != NULL ? out : "stdout");
        ERR_clear_error();
        return TK_EXIT_INPUT;
    }
    rc = tk_export_write(m, h, obj, cls, bio);
    BIO_free(bio);
    return rc;
}

/* See tool.h. */
int
tk_cmd_export(struct tk_tool_module *m, const struct tk_tool_opts *opts)
{
    struct tk_tool_session s;
    CK_OBJECT_HANDLE obj;
    CK_OBJECT_CLASS cls;
    int raw = opts->cls == CKO_SECRET_KEY || opts->cls == CKO_DATA;
    int rc;

    if (opts->label == NULL && !opts->have_id) {
        tk_tool_err("export needs --label or --id");
        return TK_EXIT_USAGE;
    }
    if (opts->cls != TK_CLASS_ANY && opts->cls != CKO_PUBLIC_KEY &&
        opts->cls != CKO_CERTIFICATE && !raw) {
        tk_tool_err("export writes public keys, certificates, and the raw value of secret "
                    "keys and data objects; not private keys");
        return TK_EXIT_USAGE;
    }
    rc = tk_export_session(m, opts, &s);
    if (rc != TK_EXIT_OK) {
        return rc;
    }
    rc = tk_export_find(m, s.h, opts, &obj, &cls);
    if (rc == TK_EXIT_OK && raw) {
        rc = tk_tool_export_value(m, s.h, obj, cls, opts->out);
    } else if (rc == TK_EXIT_OK) {
        rc = tk_export_pem(m, s.h, obj, cls, opts->out);
    }
    tk_tool_session_close(m, &s);
    return rc;
}
