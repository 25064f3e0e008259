/*
 * Elliptic-curve keys made by the token, through the module's function
 * list: C_GenerateKeyPair on every curve, sign and verify, ECDH between
 * two token keys, and the OpenSSL command line as the other party (it
 * checks the token's signatures and derives the same secrets). Public
 * keys go to OpenSSL as PEM built here from CKA_EC_PARAMS and
 * CKA_EC_POINT.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"
#include "testvec.h"

#define PIN(s) (CK_UTF8CHAR_PTR)(s), strlen(s)

static CK_SESSION_HANDLE tk_s;

static const uint8_t tk_oid_p256[] = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce,
                                      0x3d, 0x03, 0x01, 0x07};
static const uint8_t tk_oid_p384[] = {0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22};
static const uint8_t tk_oid_p521[] = {0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23};
static const uint8_t tk_oid_k256[] = {0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x0a};
static const uint8_t tk_oid_bp256[] = {0x06, 0x09, 0x2b, 0x24, 0x03, 0x03, 0x02,
                                       0x08, 0x01, 0x01, 0x07};
static const uint8_t tk_oid_bp384[] = {0x06, 0x09, 0x2b, 0x24, 0x03, 0x03, 0x02,
                                       0x08, 0x01, 0x01, 0x0b};
static const uint8_t tk_oid_bp512[] = {0x06, 0x09, 0x2b, 0x24, 0x03, 0x03, 0x02,
                                       0x08, 0x01, 0x01, 0x0d};
static const uint8_t tk_oid_x25519[] = {0x06, 0x03, 0x2b, 0x65, 0x6e};
static const uint8_t tk_oid_x448[] = {0x06, 0x03, 0x2b, 0x65, 0x6f};
static const uint8_t tk_oid_ed25519[] = {0x06, 0x03, 0x2b, 0x65, 0x70};
static const uint8_t tk_oid_ed448[] = {0x06, 0x03, 0x2b, 0x65, 0x71};
static const uint8_t tk_name_p384[] = {0x13, 0x09, 's', 'e', 'c', 'p', '3', '8', '4', 'r', '1'};
static const uint8_t tk_name_x25519[] = {0x13, 0x0a, 'c', 'u', 'r', 'v', 'e',
                                         '2', '5', '5', '1', '9'};
static const uint8_t tk_ec_public_key[] = {0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01};

typedef struct {
    const char *name;          /* OpenSSL's, for genpkey */
    const uint8_t *params;     /* CKA_EC_PARAMS */
    size_t params_len;
    const uint8_t *oid;        /* for the SPKI */
    size_t oid_len;
    CK_KEY_TYPE type;
    size_t pub_len;            /* raw public key */
    size_t sig_len;
} tk_curve;

#define TK_C(name, p, o, kt, pl, sl) {name, p, sizeof(p), o, sizeof(o), kt, pl, sl}

static const tk_curve tk_curves[] = {
    TK_C("P-256", tk_oid_p256, tk_oid_p256, CKK_EC, 65, 64),
    TK_C("P-384", tk_oid_p384, tk_oid_p384, CKK_EC, 97, 96),
    TK_C("P-384", tk_name_p384, tk_oid_p384, CKK_EC, 97, 96),
    TK_C("P-521", tk_oid_p521, tk_oid_p521, CKK_EC, 133, 132),
    TK_C("secp256k1", tk_oid_k256, tk_oid_k256, CKK_EC, 65, 64),
    TK_C("brainpoolP256r1", tk_oid_bp256, tk_oid_bp256, CKK_EC, 65, 64),
    TK_C("brainpoolP384r1", tk_oid_bp384, tk_oid_bp384, CKK_EC, 97, 96),
    TK_C("brainpoolP512r1", tk_oid_bp512, tk_oid_bp512, CKK_EC, 129, 128),
    TK_C("ED25519", tk_oid_ed25519, tk_oid_ed25519, CKK_EC_EDWARDS, 32, 64),
    TK_C("ED448", tk_oid_ed448, tk_oid_ed448, CKK_EC_EDWARDS, 57, 114),
    TK_C("X25519", tk_oid_x25519, tk_oid_x25519, CKK_EC_MONTGOMERY, 32, 0),
    TK_C("X25519", tk_name_x25519, tk_oid_x25519, CKK_EC_MONTGOMERY, 32, 0),
    TK_C("X448", tk_oid_x448, tk_oid_x448, CKK_EC_MONTGOMERY, 56, 0),
};

#define TK_NCURVES (sizeof(tk_curves) / sizeof(tk_curves[0]))

static int
setup(void **state)
{
    CK_SLOT_ID slot;

    (void)state;
    th_setup(NULL);
    slot = th_make_token("ec");
    tk_s = th_open(slot, 1);
    assert_int_equal(th.f->C_Login(tk_s, CKU_USER, PIN(TH_USER_PIN)), CKR_OK);
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    th_teardown();
    return 0;
}

/* ---- keys ---- */

static CK_MECHANISM_TYPE
tk_gen_mech(const tk_curve *c)
{
    if (c->type == CKK_EC_EDWARDS) {
        return CKM_EC_EDWARDS_KEY_PAIR_GEN;
    }
    return c->type == CKK_EC ? CKM_EC_KEY_PAIR_GEN : CKM_EC_MONTGOMERY_KEY_PAIR_GEN;
}

static void
tk_generate(const tk_curve *c, CK_OBJECT_HANDLE *pub, CK_OBJECT_HANDLE *priv)
{
    CK_MECHANISM m = {tk_gen_mech(c), NULL, 0};
    CK_BBOOL yes = CK_TRUE;
    CK_BBOOL no = CK_FALSE;
    int sig = c->type != CKK_EC_MONTGOMERY;
    CK_ATTRIBUTE pt[] = {
        {CKA_EC_PARAMS, (void *)c->params, c->params_len},
        {CKA_VERIFY, sig ? &yes : &no, 1},
    };
    CK_ATTRIBUTE vt[] = {
        {CKA_SIGN, sig ? &yes : &no, 1},
        {CKA_DERIVE, &yes, 1},
    };

    assert_int_equal(th.f->C_GenerateKeyPair(tk_s, &m, pt, 2, vt, 2, pub, priv), CKR_OK);
}

/* The raw public key of a token key (CKA_EC_POINT, DER on Weierstrass). */
static size_t
tk_point(const tk_curve *c, CK_OBJECT_HANDLE pub, uint8_t *raw)
{
    uint8_t v[200];
    CK_ATTRIBUTE a = {CKA_EC_POINT, v, sizeof(v)};

    assert_int_equal(th.f->C_GetAttributeValue(tk_s, pub, &a, 1), CKR_OK);
    if (c->type == CKK_EC) {
        /* 3.2: a DER OCTET STRING of the uncompressed point */
        assert_int_equal(a.ulValueLen, c->pub_len + (c->pub_len >= 128 ? 3 : 2));
        assert_int_equal(v[0], 0x04);
        assert_int_equal(v[a.ulValueLen - c->pub_len], 0x04);
    } else {
        /* 3.2: the raw key on Edwards and Montgomery curves */
        assert_int_equal(a.ulValueLen, c->pub_len);
    }
    memcpy(raw, v + a.ulValueLen - c->pub_len, c->pub_len);
    return c->pub_len;
}

/* SubjectPublicKeyInfo of a raw public key into out; its length. */
static size_t
tk_spki(const tk_curve *c, const uint8_t *raw, uint8_t *out)
{
    uint8_t alg[40];
    size_t al = 0;
    size_t bl = c->pub_len + 1;
    size_t inner;
    size_t n = 0;

    if (c->type == CKK_EC) {
        memcpy(alg, tk_ec_public_key, sizeof(tk_ec_public_key));
        al = sizeof(tk_ec_public_key);
    }
    memcpy(alg + al, c->oid, c->oid_len);
    al += c->oid_len;
    inner = 2 + al + (bl >= 128 ? 3 : 2) + bl;
    out[n++] = 0x30;
    if (inner >= 128) {
        out[n++] = 0x81;
    }
    out[n++] = (uint8_t)inner;
    out[n++] = 0x30;
    out[n++] = (uint8_t)al;
    memcpy(out + n, alg, al);
    n += al;
    out[n++] = 0x03;
    if (bl >= 128) {
        out[n++] = 0x81;
    }
    out[n++] = (uint8_t)bl;
    out[n++] = 0;
    memcpy(out + n, raw, c->pub_len);
    return n + c->pub_len;
}

/* PEM of a DER public key, written to path. */
static void
tk_write_pem(const char *path, const uint8_t *der, size_t n)
{
    static const char b64[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    FILE *f = fopen(path, "w");
    size_t col = 0;

    assert_non_null(f);
    fputs("-----BEGIN PUBLIC KEY-----\n", f);
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)der[i] << 16;
        v |= i + 1 < n ? (uint32_t)der[i + 1] << 8 : 0;
        v |= i + 2 < n ? der[i + 2] : 0;
        fputc(b64[(v >> 18) & 63], f);
        fputc(b64[(v >> 12) & 63], f);
        fputc(i + 1 < n ? b64[(v >> 6) & 63] : '=', f);
        fputc(i + 2 < n ? b64[v & 63] : '=', f);
        col += 4;
        if (col == 64) {
            fputc('\n', f);
            col = 0;
        }
    }
    if (col != 0) {
        fputc('\n', f);
    }
    fputs("-----END PUBLIC KEY-----\n", f);
    fclose(f);
}

/* Run a shell command quietly; its exit status. */
static int
tk_sh(const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(cmd, sizeof(cmd) - 16, fmt, ap);
    va_end(ap);
    assert_true(n > 0 && (size_t)n < sizeof(cmd) - 16);
    strcat(cmd, " >/dev/null 2>&1");
    return system(cmd);
}

/* The token's public key as PEM at path; also checks CKA_PUBLIC_KEY_INFO. */
static void
tk_export(const tk_curve *c, CK_OBJECT_HANDLE pub, CK_OBJECT_HANDLE priv, const char *path)
{
    uint8_t raw[200];
    uint8_t der[300];
    uint8_t info[300];
    CK_ATTRIBUTE a = {CKA_PUBLIC_KEY_INFO, info, sizeof(info)};
    size_t n;

    tk_point(c, pub, raw);
    n = tk_spki(c, raw, der);
    assert_int_equal(th.f->C_GetAttributeValue(tk_s, priv, &a, 1), CKR_OK);
    assert_int_equal(a.ulValueLen, n);
    assert_memory_equal(info, der, n);
    tk_write_pem(path, der, n);
}

/* ---- signatures ---- */

static CK_ULONG
tk_sign(CK_MECHANISM_TYPE mech, CK_OBJECT_HANDLE priv, const uint8_t *msg, size_t len,
        uint8_t *sig)
{
    CK_MECHANISM m = {mech, NULL, 0};
    CK_ULONG n = 0;

    assert_int_equal(th.f->C_SignInit(tk_s, &m, priv), CKR_OK);
    assert_int_equal(th.f->C_Sign(tk_s, (CK_BYTE_PTR)msg, len, NULL, &n), CKR_OK);
    assert_int_equal(th.f->C_Sign(tk_s, (CK_BYTE_PTR)msg, len, sig, &n), CKR_OK);
    return n;
}

static CK_RV
tk_verify(CK_MECHANISM_TYPE mech, CK_OBJECT_HANDLE pub, const uint8_t *msg, size_t len,
          const uint8_t *sig, CK_ULONG n)
{
    CK_MECHANISM m = {mech, NULL, 0};

    assert_int_equal(th.f->C_VerifyInit(tk_s, &m, pub), CKR_OK);
    return th.f->C_Verify(tk_s, (CK_BYTE_PTR)msg, len, (CK_BYTE_PTR)sig, n);
}

/* The same message in parts: the signature verifies in parts, and for
 * EdDSA (deterministic) equals the one-part signature `same`. */
static void
tk_multipart(CK_MECHANISM_TYPE mech, CK_OBJECT_HANDLE priv, CK_OBJECT_HANDLE pub,
             const uint8_t *msg, size_t len, const uint8_t *same, CK_ULONG n)
{
    CK_MECHANISM m = {mech, NULL, 0};
    uint8_t sig[200];
    CK_ULONG k = sizeof(sig);

    assert_int_equal(th.f->C_SignInit(tk_s, &m, priv), CKR_OK);
    assert_int_equal(th.f->C_SignUpdate(tk_s, (CK_BYTE_PTR)msg, 5), CKR_OK);
    assert_int_equal(th.f->C_SignUpdate(tk_s, (CK_BYTE_PTR)msg + 5, len - 5), CKR_OK);
    assert_int_equal(th.f->C_SignFinal(tk_s, sig, &k), CKR_OK);
    assert_int_equal(k, n);
    if (same != NULL) {
        assert_memory_equal(sig, same, n);
    }
    assert_int_equal(th.f->C_VerifyInit(tk_s, &m, pub), CKR_OK);
    assert_int_equal(th.f->C_VerifyUpdate(tk_s, (CK_BYTE_PTR)msg, len - 1), CKR_OK);
    assert_int_equal(th.f->C_VerifyUpdate(tk_s, (CK_BYTE_PTR)msg + len - 1, 1), CKR_OK);
    assert_int_equal(th.f->C_VerifyFinal(tk_s, sig, k), CKR_OK);
}

static void
test_generate_sign_verify(void **state)
{
    static const uint8_t msg[] = "a message for every curve";
    uint8_t sig[200];

    (void)state;
    for (size_t i = 0; i < TK_NCURVES; i++) {
        const tk_curve *c = &tk_curves[i];
        CK_OBJECT_HANDLE pub;
        CK_OBJECT_HANDLE priv;
        CK_MECHANISM_TYPE mech = c->type == CKK_EC ? CKM_ECDSA_SHA256 : CKM_EDDSA;
        CK_KEY_TYPE kt = 0;
        CK_ATTRIBUTE a = {CKA_KEY_TYPE, &kt, sizeof(kt)};
        uint8_t params[40];
        CK_ATTRIBUTE p = {CKA_EC_PARAMS, params, sizeof(params)};
        uint8_t raw[200];
        CK_ULONG n;

        tk_generate(c, &pub, &priv);
        assert_int_equal(th.f->C_GetAttributeValue(tk_s, priv, &a, 1), CKR_OK);
        assert_int_equal(kt, c->type);
        assert_int_equal(th.f->C_GetAttributeValue(tk_s, priv, &p, 1), CKR_OK);
        assert_int_equal(p.ulValueLen, c->params_len);
        tk_point(c, pub, raw);
        if (c->sig_len != 0) {
            n = tk_sign(mech, priv, msg, sizeof(msg), sig);
            assert_int_equal(n, c->sig_len);
            assert_int_equal(tk_verify(mech, pub, msg, sizeof(msg), sig, n), CKR_OK);
            tk_multipart(mech, priv, pub, msg, sizeof(msg), c->type == CKK_EC ? NULL : sig, n);
            sig[0] ^= 0x40;
            assert_int_equal(tk_verify(mech, pub, msg, sizeof(msg), sig, n),
                             CKR_SIGNATURE_INVALID);
        }
        assert_int_equal(th.f->C_DestroyObject(tk_s, pub), CKR_OK);
        assert_int_equal(th.f->C_DestroyObject(tk_s, priv), CKR_OK);
    }
}

/* ---- derivation ---- */

static CK_RV
tk_derive(CK_MECHANISM_TYPE mech, CK_OBJECT_HANDLE priv, CK_EC_KDF_TYPE kdf,
          const uint8_t *peer, size_t peer_len, CK_ULONG len, uint8_t *out)
{
    static CK_BYTE info[] = "ec integration";
    CK_ECDH1_DERIVE_PARAMS p = {kdf, kdf == CKD_NULL ? 0 : sizeof(info),
                                kdf == CKD_NULL ? NULL : info, peer_len, (CK_BYTE_PTR)peer};
    CK_MECHANISM m = {mech, &p, sizeof(p)};
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_KEY_TYPE kt = CKK_GENERIC_SECRET;
    CK_BBOOL yes = CK_TRUE;
    CK_BBOOL no = CK_FALSE;
    CK_ATTRIBUTE t[] = {
        {CKA_CLASS, &cls, sizeof(cls)},      {CKA_KEY_TYPE, &kt, sizeof(kt)},
        {CKA_EXTRACTABLE, &yes, sizeof(yes)}, {CKA_SENSITIVE, &no, sizeof(no)},
        {CKA_VALUE_LEN, &len, sizeof(len)},
    };
    CK_ATTRIBUTE v = {CKA_VALUE, out, len};
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
    CK_RV rv = th.f->C_DeriveKey(tk_s, &m, priv, t, sizeof(t) / sizeof(t[0]), &h);

    if (rv == CKR_OK) {
        assert_int_equal(th.f->C_GetAttributeValue(tk_s, h, &v, 1), CKR_OK);
        assert_int_equal(v.ulValueLen, len);
        assert_int_equal(th.f->C_DestroyObject(tk_s, h), CKR_OK);
    }
    return rv;
}

static void
test_ecdh_between_token_keys(void **state)
{
    (void)state;
    for (size_t i = 0; i < TK_NCURVES; i++) {
        const tk_curve *c = &tk_curves[i];
        CK_OBJECT_HANDLE pa, va, pb, vb;
        uint8_t ra[200];
        uint8_t rb[200];
        uint8_t s1[64];
        uint8_t s2[64];
        uint8_t aes[32];
        CK_MECHANISM_TYPE mech = c->type == CKK_EC ? CKM_ECDH1_COFACTOR_DERIVE
                                                   : CKM_ECDH1_DERIVE;

        if (c->type == CKK_EC_EDWARDS) {
            continue;
        }
        tk_generate(c, &pa, &va);
        tk_generate(c, &pb, &vb);
        tk_point(c, pa, ra);
        tk_point(c, pb, rb);
        assert_int_equal(tk_derive(mech, va, CKD_SHA256_KDF, rb, c->pub_len, 48, s1), CKR_OK);
        assert_int_equal(tk_derive(mech, vb, CKD_SHA256_KDF, ra, c->pub_len, 48, s2), CKR_OK);
        assert_memory_equal(s1, s2, 48);
        assert_int_equal(tk_derive(CKM_ECDH1_DERIVE, va, CKD_NULL, rb, c->pub_len, 16, s1),
                         CKR_OK);
        assert_int_equal(tk_derive(CKM_ECDH1_DERIVE, vb, CKD_NULL, ra, c->pub_len, 16, s2),
                         CKR_OK);
        assert_memory_equal(s1, s2, 16);
        /* a public key is no base key (it has no CKA_DERIVE either) */
        assert_int_equal(tk_derive(CKM_ECDH1_DERIVE, pa, CKD_NULL, rb, c->pub_len, 16, aes),
                         CKR_KEY_FUNCTION_NOT_PERMITTED);
        /* a peer that is not on the curve */
        rb[c->pub_len - 1] ^= 1;
        if (c->type == CKK_EC) {
            assert_int_equal(tk_derive(mech, va, CKD_NULL, rb, c->pub_len, 16, aes),
                             CKR_MECHANISM_PARAM_INVALID);
        }
        assert_int_equal(th.f->C_DestroyObject(tk_s, pa), CKR_OK);
        assert_int_equal(th.f->C_DestroyObject(tk_s, va), CKR_OK);
        assert_int_equal(th.f->C_DestroyObject(tk_s, pb), CKR_OK);
        assert_int_equal(th.f->C_DestroyObject(tk_s, vb), CKR_OK);
    }
}

/* ---- OpenSSL as the other party ---- */

/* A DER ECDSA-Sig-Value of r || s (each half bytes) into out. */
static size_t
tk_rs_to_der(const uint8_t *rs, size_t half, uint8_t *out)
{
    uint8_t body[160];
    size_t b = 0;
    size_t n = 0;

    for (int k = 0; k < 2; k++) {
        const uint8_t *v = rs + k * half;
        size_t l = half;
        while (l > 1 && v[0] == 0) {
            v++;
            l--;
        }
        body[b++] = 0x02;
        body[b++] = (uint8_t)(l + (v[0] & 0x80 ? 1 : 0));
        if (v[0] & 0x80) {
            body[b++] = 0;
        }
        memcpy(body + b, v, l);
        b += l;
    }
    out[n++] = 0x30;
    if (b >= 128) {
        out[n++] = 0x81;
    }
    out[n++] = (uint8_t)b;
    memcpy(out + n, body, b);
    return n + b;
}

static void
test_openssl_verifies(void **state)
{
    static const uint8_t msg[] = "signed by the token, checked by openssl";
    static const size_t which[] = {0, 3, 4, 8, 9};
    char pem[600];
    char msgf[600];
    char sigf[600];

    (void)state;
    snprintf(pem, sizeof(pem), "%s/pub.pem", th.dir);
    snprintf(msgf, sizeof(msgf), "%s/msg.bin", th.dir);
    snprintf(sigf, sizeof(sigf), "%s/sig.bin", th.dir);
    tk_tv_write_file(msgf, msg, sizeof(msg));
    for (size_t i = 0; i < sizeof(which) / sizeof(which[0]); i++) {
        const tk_curve *c = &tk_curves[which[i]];
        CK_OBJECT_HANDLE pub;
        CK_OBJECT_HANDLE priv;
        uint8_t sig[200];
        uint8_t der[200];
        CK_ULONG n;

        /* Twice: the module learns each curve's SubjectPublicKeyInfo
         * header from the first key's encoding and builds later ones. */
        tk_generate(c, &pub, &priv);
        tk_export(c, pub, priv, pem);
        tk_generate(c, &pub, &priv);
        tk_export(c, pub, priv, pem);
        if (c->type == CKK_EC) {
            n = tk_sign(CKM_ECDSA_SHA256, priv, msg, sizeof(msg), sig);
            tk_tv_write_file(sigf, der, tk_rs_to_der(sig, n / 2, der));
            assert_int_equal(tk_sh("openssl pkeyutl -verify -pubin -inkey %s -rawin "
                                   "-digest sha256 -in %s -sigfile %s",
                                   pem, msgf, sigf),
                             0);
        } else {
            n = tk_sign(CKM_EDDSA, priv, msg, sizeof(msg), sig);
            tk_tv_write_file(sigf, sig, n);
            assert_int_equal(tk_sh("openssl pkeyutl -verify -pubin -inkey %s -rawin -in %s "
                                   "-sigfile %s",
                                   pem, msgf, sigf),
                             0);
        }
        /* and a wrong signature is refused by openssl as well */
        sig[n - 1] ^= 1;
        if (c->type == CKK_EC) {
            tk_tv_write_file(sigf, der, tk_rs_to_der(sig, n / 2, der));
        } else {
            tk_tv_write_file(sigf, sig, n);
        }
        assert_int_not_equal(tk_sh("openssl pkeyutl -verify -pubin -inkey %s -rawin %s -in %s "
                                   "-sigfile %s",
                                   pem, c->type == CKK_EC ? "-digest sha256" : "", msgf, sigf),
                             0);
        assert_int_equal(th.f->C_DestroyObject(tk_s, pub), CKR_OK);
        assert_int_equal(th.f->C_DestroyObject(tk_s, priv), CKR_OK);
    }
}

static void
tk_hexstr(const uint8_t *p, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++) {
        snprintf(out + 2 * i, 3, "%02x", p[i]);
    }
}

/* The token's X9.63 and SP 800-56A KDFs over the secret z equal
 * `openssl kdf` X963KDF and SSKDF. */
static void
tk_kdf_matches(CK_OBJECT_HANDLE priv, const uint8_t *peer, size_t peer_len, const uint8_t *z,
               size_t z_len)
{
    static const struct {
        CK_EC_KDF_TYPE kdf;
        const char *name;
    } kdfs[] = {{CKD_SHA256_KDF, "X963KDF"}, {CKD_SHA256_KDF_SP800, "SSKDF"}};
    static const char info_hex[] = "656320696e746567726174696f6e00"; /* "ec integration" */
    char zhex[2 * 80 + 1];
    char out[600];
    uint8_t ours[48];
    uint8_t theirs[64];

    tk_hexstr(z, z_len, zhex);
    snprintf(out, sizeof(out), "%s/kdf.bin", th.dir);
    for (size_t i = 0; i < sizeof(kdfs) / sizeof(kdfs[0]); i++) {
        assert_int_equal(tk_derive(CKM_ECDH1_DERIVE, priv, kdfs[i].kdf, peer, peer_len, 48,
                                   ours),
                         CKR_OK);
        assert_int_equal(tk_sh("openssl kdf -keylen 48 -kdfopt digest:SHA256 -kdfopt "
                               "hexsecret:%s -kdfopt hexinfo:%s -binary -out %s %s",
                               zhex, info_hex, out, kdfs[i].name),
                         0);
        assert_int_equal(tk_tv_read_into(out, theirs, sizeof(theirs)), 48);
        assert_memory_equal(ours, theirs, 48);
    }
}

static void
test_openssl_derives(void **state)
{
    static const size_t which[] = {0, 3, 5, 10, 12};
    char tok[600];
    char peer[600];
    char peer_der[600];
    char out[600];

    (void)state;
    snprintf(tok, sizeof(tok), "%s/tok.pem", th.dir);
    snprintf(peer, sizeof(peer), "%s/peer.pem", th.dir);
    snprintf(peer_der, sizeof(peer_der), "%s/peer.der", th.dir);
    snprintf(out, sizeof(out), "%s/ss.bin", th.dir);
    for (size_t i = 0; i < sizeof(which) / sizeof(which[0]); i++) {
        const tk_curve *c = &tk_curves[which[i]];
        CK_OBJECT_HANDLE pub;
        CK_OBJECT_HANDLE priv;
        uint8_t spki[300];
        uint8_t theirs[80];
        uint8_t ours[80];
        size_t n;
        size_t secret = c->type == CKK_EC ? (c->pub_len - 1) / 2 : c->pub_len;

        tk_generate(c, &pub, &priv);
        tk_export(c, pub, priv, tok);
        if (c->type == CKK_EC) {
            assert_int_equal(tk_sh("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:%s "
                                   "-out %s",
                                   c->name, peer),
                             0);
        } else {
            assert_int_equal(tk_sh("openssl genpkey -algorithm %s -out %s", c->name, peer), 0);
        }
        assert_int_equal(tk_sh("openssl pkey -in %s -pubout -outform DER -out %s", peer,
                               peer_der),
                         0);
        assert_int_equal(tk_sh("openssl pkeyutl -derive -inkey %s -peerkey %s -out %s", peer,
                               tok, out),
                         0);
        assert_int_equal(tk_tv_read_into(out, theirs, sizeof(theirs)), secret);
        /* The peer's key ends its SubjectPublicKeyInfo. */
        n = tk_tv_read_into(peer_der, spki, sizeof(spki));
        assert_true(n > c->pub_len);
        assert_int_equal(tk_derive(CKM_ECDH1_DERIVE, priv, CKD_NULL, spki + n - c->pub_len,
                                   c->pub_len, secret, ours),
                         CKR_OK);
        assert_memory_equal(ours, theirs, secret);
        tk_kdf_matches(priv, spki + n - c->pub_len, c->pub_len, theirs, secret);
        assert_int_equal(th.f->C_DestroyObject(tk_s, pub), CKR_OK);
        assert_int_equal(th.f->C_DestroyObject(tk_s, priv), CKR_OK);
    }
}

static void
test_mechanism_info(void **state)
{
    CK_SLOT_ID slot;
    CK_SESSION_INFO si;
    CK_MECHANISM_INFO mi;

    (void)state;
    assert_int_equal(th.f->C_GetSessionInfo(tk_s, &si), CKR_OK);
    slot = si.slotID;
    assert_int_equal(th.f->C_GetMechanismInfo(slot, CKM_EC_KEY_PAIR_GEN, &mi), CKR_OK);
    assert_int_equal(mi.ulMinKeySize, 256);
    assert_int_equal(mi.ulMaxKeySize, 521);
    assert_true(mi.flags & CKF_EC_OID);
    assert_true(mi.flags & CKF_EC_UNCOMPRESS);
    assert_int_equal(th.f->C_GetMechanismInfo(slot, CKM_EC_EDWARDS_KEY_PAIR_GEN, &mi), CKR_OK);
    assert_int_equal(mi.ulMinKeySize, 255);
    assert_int_equal(mi.ulMaxKeySize, 448);
    assert_int_equal(th.f->C_GetMechanismInfo(slot, CKM_ECDSA_SHA3_256, &mi), CKR_OK);
    assert_true(mi.flags & CKF_SIGN);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mechanism_info),
        cmocka_unit_test(test_generate_sign_verify),
        cmocka_unit_test(test_ecdh_between_token_keys),
        cmocka_unit_test(test_openssl_verifies),
        cmocka_unit_test(test_openssl_derives),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
