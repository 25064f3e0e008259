/*
 * ECDSA (P-256, P-384, P-521, secp256k1), ECDH (P-256, P-384, P-521),
 * Ed25519, Ed448, X25519 and X448 against Project Wycheproof
 * (tests/vectors/wycheproof), through the module's function list: keys
 * made with C_CreateObject, signatures checked with C_Verify, secrets made
 * with C_DeriveKey and read back with C_GetAttributeValue.
 *
 * Expected answers: a valid case must pass, an invalid one must fail with
 * its code, an acceptable one may do either. Decisions, each counted and
 * printed:
 *  - ECDSA vectors carry DER signatures, PKCS#11 takes r || s. The test
 *    decodes strict DER (definite minimal lengths, minimal positive
 *    INTEGERs, nothing trailing) and gives the token r || s padded to the
 *    field size. A signature that is not strict DER, or whose r or s is
 *    longer than the field, has no r || s form: the case counts as
 *    refused by the encoding and must not be a valid one. The rest go to
 *    C_Verify, which must answer CKR_OK or CKR_SIGNATURE_INVALID.
 *  - ECDH vectors give the peer as a SubjectPublicKeyInfo, PKCS#11 takes
 *    only the point (CK_ECDH1_DERIVE_PARAMS.pPublicData). An application
 *    must check that the SPKI names its key's curve before handing the
 *    point over; the test does the same, and a SPKI that does not parse
 *    or names other (explicit or wrong) domain parameters counts as
 *    refused by the caller and must not be a valid case. Every other
 *    point goes to C_DeriveKey, alternately raw and as a DER OCTET
 *    STRING; an invalid one must fail with CKR_MECHANISM_PARAM_INVALID.
 *  - Edwards public keys alternate between raw and DER OCTET STRING
 *    CKA_EC_POINT values; a signature of the wrong length must give
 *    CKR_SIGNATURE_LEN_RANGE, any other bad one CKR_SIGNATURE_INVALID.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
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
static const uint8_t tk_oid_x25519[] = {0x06, 0x03, 0x2b, 0x65, 0x6e};
static const uint8_t tk_oid_x448[] = {0x06, 0x03, 0x2b, 0x65, 0x6f};
static const uint8_t tk_oid_ed25519[] = {0x06, 0x03, 0x2b, 0x65, 0x70};
static const uint8_t tk_oid_ed448[] = {0x06, 0x03, 0x2b, 0x65, 0x71};

typedef struct {
    const char *file;
    const uint8_t *oid;
    size_t oid_len;
    size_t flen;              /* field (and scalar) length in bytes */
    CK_MECHANISM_TYPE mech;   /* signature mechanism, or 0 */
} tk_wp_curve;

typedef struct {
    int valid;
    int invalid;             /* refused by the token with the right code */
    int refused_encoding;    /* refused before the token (see the top) */
    int acceptable_ok;
    int acceptable_refused;
} tk_count;

static int
setup(void **state)
{
    CK_SLOT_ID slot;

    (void)state;
    th_setup(NULL);
    slot = th_make_token("wycheproof-ec");
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

/* ---- JSON and bytes ---- */

/* A DER OCTET STRING around raw (len < 256) into out; its length. */
static size_t
tk_octets(const uint8_t *raw, size_t len, uint8_t *out)
{
    size_t h = 0;

    out[h++] = 0x04;
    if (len >= 128) {
        out[h++] = 0x81;
    }
    out[h++] = (uint8_t)len;
    memcpy(out + h, raw, len);
    return h + len;
}

/* One strict DER header (tag, minimal definite length) at p[*off]. */
static int
tk_der(const uint8_t *p, size_t n, size_t *off, uint8_t tag, size_t *len)
{
    size_t o = *off;
    size_t l;

    if (o + 2 > n || p[o] != tag) {
        return 0;
    }
    l = p[o + 1];
    o += 2;
    if (l == 0x81) {
        if (o + 1 > n || p[o] < 0x80) {
            return 0;
        }
        l = p[o++];
    } else if (l == 0x82) {
        if (o + 2 > n || p[o] == 0) {
            return 0;
        }
        l = ((size_t)p[o] << 8) | p[o + 1];
        o += 2;
        if (l < 256) {
            return 0;
        }
    } else if (l >= 0x80) {
        return 0;
    }
    if (l > n - o) {
        return 0;
    }
    *off = o;
    *len = l;
    return 1;
}

/* A minimal positive INTEGER into out[flen], left-padded. */
static int
tk_der_uint(const uint8_t *p, size_t n, size_t *off, uint8_t *out, size_t flen)
{
    size_t l;
    const uint8_t *v;

    if (!tk_der(p, n, off, 0x02, &l) || l == 0) {
        return 0;
    }
    v = p + *off;
    *off += l;
    if (v[0] & 0x80) {
        return 0; /* negative */
    }
    if (l > 1 && v[0] == 0 && !(v[1] & 0x80)) {
        return 0; /* not minimal */
    }
    if (v[0] == 0 && l > 1) {
        v++;
        l--;
    }
    if (l > flen) {
        return 0;
    }
    memset(out, 0, flen - l);
    memcpy(out + flen - l, v, l);
    return 1;
}

/* Strict DER ECDSA-Sig-Value to r || s; 0 when there is no such form. */
static int
tk_ecdsa_rs(const uint8_t *der, size_t n, size_t flen, uint8_t *rs)
{
    size_t off = 0;
    size_t l;

    if (!tk_der(der, n, &off, 0x30, &l) || off + l != n) {
        return 0;
    }
    return tk_der_uint(der, n, &off, rs, flen) && tk_der_uint(der, n, &off, rs + flen, flen) &&
           off == n;
}

/* ---- expected outcomes ---- */

static void
tk_tally(tk_count *c, const char *file, const cJSON *t, int passed, CK_RV rv, CK_RV want_fail)
{
    const char *result = tk_tv_str(t, "result");

    if (strcmp(result, "valid") == 0) {
        if (!passed) {
            print_error("%s tcId %d: valid case failed (0x%lx)\n", file, tk_tv_tcid(t), rv);
        }
        assert_true(passed);
        c->valid++;
    } else if (strcmp(result, "invalid") == 0) {
        if (passed || rv != want_fail) {
            print_error("%s tcId %d: invalid case gave 0x%lx\n", file, tk_tv_tcid(t), rv);
        }
        assert_false(passed);
        assert_int_equal(rv, want_fail);
        c->invalid++;
    } else if (passed) {
        c->acceptable_ok++;
    } else {
        c->acceptable_refused++;
    }
}

/* A case refused before reaching the token: never a valid one. */
static void
tk_refused_before(tk_count *c, const char *file, const cJSON *t)
{
    if (strcmp(tk_tv_str(t, "result"), "valid") == 0) {
        print_error("%s tcId %d: valid case has no PKCS#11 form\n", file, tk_tv_tcid(t));
        fail();
    }
    c->refused_encoding++;
}

static void
tk_report(const char *file, const tk_count *c)
{
    printf("%s: %d valid, %d invalid refused by the token, %d refused by the encoding, "
           "acceptable %d passed / %d refused\n",
           file, c->valid, c->invalid, c->refused_encoding, c->acceptable_ok,
           c->acceptable_refused);
}

/* ---- objects ---- */

static CK_OBJECT_HANDLE
tk_public(CK_KEY_TYPE kt, const uint8_t *oid, size_t oid_len, const uint8_t *point,
          size_t point_len)
{
    CK_OBJECT_CLASS cls = CKO_PUBLIC_KEY;
    CK_BBOOL yes = CK_TRUE;
    CK_ATTRIBUTE t[] = {
        {CKA_CLASS, &cls, sizeof(cls)},
        {CKA_KEY_TYPE, &kt, sizeof(kt)},
        {CKA_EC_PARAMS, (void *)oid, oid_len},
        {CKA_EC_POINT, (void *)point, point_len},
        {CKA_VERIFY, &yes, sizeof(yes)},
    };
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;

    assert_int_equal(th.f->C_CreateObject(tk_s, t, sizeof(t) / sizeof(t[0]), &h), CKR_OK);
    return h;
}

static CK_OBJECT_HANDLE
tk_private(CK_KEY_TYPE kt, const uint8_t *oid, size_t oid_len, const uint8_t *value,
           size_t value_len)
{
    CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
    CK_BBOOL yes = CK_TRUE;
    CK_ATTRIBUTE t[] = {
        {CKA_CLASS, &cls, sizeof(cls)},
        {CKA_KEY_TYPE, &kt, sizeof(kt)},
        {CKA_EC_PARAMS, (void *)oid, oid_len},
        {CKA_VALUE, (void *)value, value_len},
        {CKA_DERIVE, &yes, sizeof(yes)},
    };
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;

    assert_int_equal(th.f->C_CreateObject(tk_s, t, sizeof(t) / sizeof(t[0]), &h), CKR_OK);
    return h;
}

static CK_RV
tk_verify(CK_MECHANISM_TYPE mech, CK_OBJECT_HANDLE key, const uint8_t *msg, size_t msg_len,
          const uint8_t *sig, size_t sig_len)
{
    CK_MECHANISM m = {mech, NULL, 0};
    CK_RV rv = th.f->C_VerifyInit(tk_s, &m, key);

    if (rv != CKR_OK) {
        return rv;
    }
    return th.f->C_Verify(tk_s, (CK_BYTE_PTR)msg, msg_len, (CK_BYTE_PTR)sig, sig_len);
}

/* ---- ECDSA ---- */

static void
tk_ecdsa_file(const tk_wp_curve *cv)
{
    cJSON *root = tk_tv_wycheproof(cv->file);
    const cJSON *g;
    tk_count c = {0};
    int k = 0;

    cJSON_ArrayForEach(g, tk_tv_groups(root))
    {
        const cJSON *pk = cJSON_GetObjectItemCaseSensitive(g, "publicKey");
        size_t plen;
        uint8_t *point = tk_tv_hex(pk, "uncompressed", &plen);
        uint8_t der[200];
        CK_OBJECT_HANDLE h;
        const cJSON *t;

        /* Raw and DER forms of CKA_EC_POINT, alternately. */
        if (k++ % 2 == 0) {
            h = tk_public(CKK_EC, cv->oid, cv->oid_len, point, plen);
        } else {
            h = tk_public(CKK_EC, cv->oid, cv->oid_len, der, tk_octets(point, plen, der));
        }
        cJSON_ArrayForEach(t, tk_tv_cases(g))
        {
            size_t ml;
            size_t sl;
            uint8_t *msg = tk_tv_hex(t, "msg", &ml);
            uint8_t *sig = tk_tv_hex(t, "sig", &sl);
            uint8_t rs[2 * 66];
            CK_RV rv;

            if (!tk_ecdsa_rs(sig, sl, cv->flen, rs)) {
                tk_refused_before(&c, cv->file, t);
            } else {
                rv = tk_verify(cv->mech, h, msg, ml, rs, 2 * cv->flen);
                tk_tally(&c, cv->file, t, rv == CKR_OK, rv, CKR_SIGNATURE_INVALID);
            }
            free(msg);
            free(sig);
        }
        assert_int_equal(th.f->C_DestroyObject(tk_s, h), CKR_OK);
        free(point);
    }
    tk_report(cv->file, &c);
    cJSON_Delete(root);
}

static void
test_ecdsa(void **state)
{
    static const tk_wp_curve files[] = {
        {"ecdsa_secp256r1_sha256_test.json", tk_oid_p256, sizeof(tk_oid_p256), 32,
         CKM_ECDSA_SHA256},
        {"ecdsa_secp384r1_sha384_test.json", tk_oid_p384, sizeof(tk_oid_p384), 48,
         CKM_ECDSA_SHA384},
        {"ecdsa_secp521r1_sha512_test.json", tk_oid_p521, sizeof(tk_oid_p521), 66,
         CKM_ECDSA_SHA512},
        {"ecdsa_secp256k1_sha256_test.json", tk_oid_k256, sizeof(tk_oid_k256), 32,
         CKM_ECDSA_SHA256},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        tk_ecdsa_file(&files[i]);
    }
}

/* ---- EdDSA ---- */

static void
tk_eddsa_file(const tk_wp_curve *cv)
{
    cJSON *root = tk_tv_wycheproof(cv->file);
    const cJSON *g;
    tk_count c = {0};
    int k = 0;

    cJSON_ArrayForEach(g, tk_tv_groups(root))
    {
        size_t plen;
        uint8_t *pk = tk_tv_hex(cJSON_GetObjectItemCaseSensitive(g, "publicKey"), "pk", &plen);
        uint8_t der[200];
        CK_OBJECT_HANDLE h;
        const cJSON *t;

        if (k++ % 2 == 0) {
            h = tk_public(CKK_EC_EDWARDS, cv->oid, cv->oid_len, pk, plen);
        } else {
            h = tk_public(CKK_EC_EDWARDS, cv->oid, cv->oid_len, der, tk_octets(pk, plen, der));
        }
        cJSON_ArrayForEach(t, tk_tv_cases(g))
        {
            size_t ml;
            size_t sl;
            uint8_t *msg = tk_tv_hex(t, "msg", &ml);
            uint8_t *sig = tk_tv_hex(t, "sig", &sl);
            CK_RV rv = tk_verify(CKM_EDDSA, h, msg, ml, sig, sl);
            CK_RV want = sl == 2 * cv->flen ? CKR_SIGNATURE_INVALID : CKR_SIGNATURE_LEN_RANGE;

            tk_tally(&c, cv->file, t, rv == CKR_OK, rv, want);
            free(msg);
            free(sig);
        }
        assert_int_equal(th.f->C_DestroyObject(tk_s, h), CKR_OK);
        free(pk);
    }
    tk_report(cv->file, &c);
    cJSON_Delete(root);
}

static void
test_eddsa(void **state)
{
    static const tk_wp_curve files[] = {
        {"ed25519_test.json", tk_oid_ed25519, sizeof(tk_oid_ed25519), 32, CKM_EDDSA},
        {"ed448_test.json", tk_oid_ed448, sizeof(tk_oid_ed448), 57, CKM_EDDSA},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        tk_eddsa_file(&files[i]);
    }
}

/* ---- ECDH and XDH ---- */

/* Derive a generic secret of the raw shared length from priv and the
 * peer's public data; the value into out. */
static CK_RV
tk_derive(CK_OBJECT_HANDLE priv, const uint8_t *peer, size_t peer_len, uint8_t *out,
          CK_ULONG *out_len)
{
    CK_ECDH1_DERIVE_PARAMS p = {CKD_NULL, 0, NULL, peer_len, (CK_BYTE_PTR)peer};
    CK_MECHANISM m = {CKM_ECDH1_DERIVE, &p, sizeof(p)};
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_KEY_TYPE kt = CKK_GENERIC_SECRET;
    CK_BBOOL yes = CK_TRUE;
    CK_BBOOL no = CK_FALSE;
    CK_ATTRIBUTE t[] = {
        {CKA_CLASS, &cls, sizeof(cls)},
        {CKA_KEY_TYPE, &kt, sizeof(kt)},
        {CKA_EXTRACTABLE, &yes, sizeof(yes)},
        {CKA_SENSITIVE, &no, sizeof(no)},
    };
    CK_ATTRIBUTE v = {CKA_VALUE, out, *out_len};
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
    CK_RV rv = th.f->C_DeriveKey(tk_s, &m, priv, t, sizeof(t) / sizeof(t[0]), &h);

    if (rv != CKR_OK) {
        return rv;
    }
    assert_int_equal(th.f->C_GetAttributeValue(tk_s, h, &v, 1), CKR_OK);
    *out_len = v.ulValueLen;
    assert_int_equal(th.f->C_DestroyObject(tk_s, h), CKR_OK);
    return CKR_OK;
}

/*
 * The point of an EC SubjectPublicKeyInfo naming the curve oid:
 * SEQUENCE { SEQUENCE { id-ecPublicKey, oid }, BIT STRING { 0, point } }.
 * 0 when it does not parse or names anything else.
 */
static int
tk_spki_point(const uint8_t *d, size_t n, const uint8_t *oid, size_t oid_len,
              const uint8_t **pt, size_t *pt_len)
{
    static const uint8_t ec_pk[] = {0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01};
    size_t off = 0;
    size_t l;
    size_t alg_end;

    if (!tk_der(d, n, &off, 0x30, &l) || off + l != n || !tk_der(d, n, &off, 0x30, &l)) {
        return 0;
    }
    alg_end = off + l;
    if (l != sizeof(ec_pk) + oid_len || memcmp(d + off, ec_pk, sizeof(ec_pk)) != 0 ||
        memcmp(d + off + sizeof(ec_pk), oid, oid_len) != 0) {
        return 0;
    }
    off = alg_end;
    if (!tk_der(d, n, &off, 0x03, &l) || off + l != n || l < 1 || d[off] != 0) {
        return 0;
    }
    *pt = d + off + 1;
    *pt_len = l - 1;
    return 1;
}

/* The private scalar as CKA_VALUE: Wycheproof may add a sign byte. */
static size_t
tk_scalar(uint8_t *v, size_t len, size_t flen, uint8_t **start)
{
    *start = v;
    while (len > flen && **start == 0) {
        (*start)++;
        len--;
    }
    return len;
}

static void
tk_ecdh_case(const tk_wp_curve *cv, CK_KEY_TYPE kt, const cJSON *t, int n, tk_count *c)
{
    size_t pl;
    size_t dl;
    size_t sl;
    uint8_t *pub = tk_tv_hex(t, "public", &pl);
    uint8_t *priv = tk_tv_hex(t, "private", &dl);
    uint8_t *shared = tk_tv_hex(t, "shared", &sl);
    const uint8_t *pt = pub;
    size_t pt_len = pl;
    uint8_t *d;
    uint8_t der[300];
    uint8_t out[200];
    CK_ULONG out_len = sizeof(out);
    CK_OBJECT_HANDLE h;
    CK_RV rv;

    if (kt == CKK_EC && !tk_spki_point(pub, pl, cv->oid, cv->oid_len, &pt, &pt_len)) {
        tk_refused_before(c, cv->file, t);
    } else {
        dl = tk_scalar(priv, dl, cv->flen, &d);
        h = tk_private(kt, cv->oid, cv->oid_len, d, dl);
        if (n % 2 == 1 && pt_len < 256) {
            rv = tk_derive(h, der, tk_octets(pt, pt_len, der), out, &out_len);
        } else {
            rv = tk_derive(h, pt, pt_len, out, &out_len);
        }
        tk_tally(c, cv->file, t,
                 rv == CKR_OK && out_len == sl && memcmp(out, shared, sl) == 0, rv,
                 CKR_MECHANISM_PARAM_INVALID);
        assert_int_equal(th.f->C_DestroyObject(tk_s, h), CKR_OK);
    }
    free(pub);
    free(priv);
    free(shared);
}

static void
tk_ecdh_file(const tk_wp_curve *cv, CK_KEY_TYPE kt)
{
    cJSON *root = tk_tv_wycheproof(cv->file);
    const cJSON *g;
    tk_count c = {0};
    int n = 0;

    cJSON_ArrayForEach(g, tk_tv_groups(root))
    {
        const cJSON *t;
        cJSON_ArrayForEach(t, tk_tv_cases(g))
        {
            tk_ecdh_case(cv, kt, t, n++, &c);
        }
    }
    tk_report(cv->file, &c);
    cJSON_Delete(root);
}

static void
test_ecdh(void **state)
{
    static const tk_wp_curve files[] = {
        {"ecdh_secp256r1_test.json", tk_oid_p256, sizeof(tk_oid_p256), 32, 0},
        {"ecdh_secp384r1_test.json", tk_oid_p384, sizeof(tk_oid_p384), 48, 0},
        {"ecdh_secp521r1_test.json", tk_oid_p521, sizeof(tk_oid_p521), 66, 0},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        tk_ecdh_file(&files[i], CKK_EC);
    }
}

static void
test_xdh(void **state)
{
    static const tk_wp_curve files[] = {
        {"x25519_test.json", tk_oid_x25519, sizeof(tk_oid_x25519), 32, 0},
        {"x448_test.json", tk_oid_x448, sizeof(tk_oid_x448), 56, 0},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        tk_ecdh_file(&files[i], CKK_EC_MONTGOMERY);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ecdsa),
        cmocka_unit_test(test_eddsa),
        cmocka_unit_test(test_ecdh),
        cmocka_unit_test(test_xdh),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
