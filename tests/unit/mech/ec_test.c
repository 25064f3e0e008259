/*
 * Elliptic-curve mechanisms (src/mech/ec*.c) through the mechanism layer:
 * key pair generation on every curve, ECDSA and EdDSA sign and verify,
 * ECDH with and without a KDF, and the refusals of bad keys, parameters
 * and points.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mech/ec_internal.h"
#include "mech/mech.h"

static const uint8_t oid_p256[] = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
static const uint8_t oid_p384[] = {0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22};
static const uint8_t oid_p521[] = {0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23};
static const uint8_t oid_k256[] = {0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x0a};
static const uint8_t oid_bp256[] = {0x06, 0x09, 0x2b, 0x24, 0x03, 0x03, 0x02,
                                    0x08, 0x01, 0x01, 0x07};
static const uint8_t oid_bp384[] = {0x06, 0x09, 0x2b, 0x24, 0x03, 0x03, 0x02,
                                    0x08, 0x01, 0x01, 0x0b};
static const uint8_t oid_bp512[] = {0x06, 0x09, 0x2b, 0x24, 0x03, 0x03, 0x02,
                                    0x08, 0x01, 0x01, 0x0d};
static const uint8_t oid_ed25519[] = {0x06, 0x03, 0x2b, 0x65, 0x70};
static const uint8_t oid_ed448[] = {0x06, 0x03, 0x2b, 0x65, 0x71};
static const uint8_t oid_x25519[] = {0x06, 0x03, 0x2b, 0x65, 0x6e};
static const uint8_t oid_x448[] = {0x06, 0x03, 0x2b, 0x65, 0x6f};
static const uint8_t name_p256[] = {0x13, 0x0a, 'p', 'r', 'i', 'm', 'e', '2', '5', '6', 'v', '1'};
static const uint8_t name_ed25519[] = {0x13, 0x0c, 'e', 'd', 'w', 'a', 'r', 'd', 's',
                                       '2', '5', '5', '1', '9'};

typedef struct {
    const uint8_t *params;
    size_t params_len;
    CK_MECHANISM_TYPE gen;
    CK_KEY_TYPE type;
    size_t pub_len;  /* raw public key */
    size_t sig_len;  /* 0: no signatures */
} curve_case;

static const curve_case curves[] = {
    {oid_p256, sizeof(oid_p256), CKM_EC_KEY_PAIR_GEN, CKK_EC, 65, 64},
    {oid_p384, sizeof(oid_p384), CKM_EC_KEY_PAIR_GEN, CKK_EC, 97, 96},
    {oid_p521, sizeof(oid_p521), CKM_EC_KEY_PAIR_GEN, CKK_EC, 133, 132},
    {oid_k256, sizeof(oid_k256), CKM_EC_KEY_PAIR_GEN, CKK_EC, 65, 64},
    {oid_bp256, sizeof(oid_bp256), CKM_EC_KEY_PAIR_GEN, CKK_EC, 65, 64},
    {oid_bp384, sizeof(oid_bp384), CKM_EC_KEY_PAIR_GEN, CKK_EC, 97, 96},
    {oid_bp512, sizeof(oid_bp512), CKM_EC_KEY_PAIR_GEN, CKK_EC, 129, 128},
    {name_p256, sizeof(name_p256), CKM_EC_KEY_PAIR_GEN, CKK_EC, 65, 64},
    {oid_ed25519, sizeof(oid_ed25519), CKM_EC_EDWARDS_KEY_PAIR_GEN, CKK_EC_EDWARDS, 32, 64},
    {name_ed25519, sizeof(name_ed25519), CKM_EC_EDWARDS_KEY_PAIR_GEN, CKK_EC_EDWARDS, 32, 64},
    {oid_ed448, sizeof(oid_ed448), CKM_EC_EDWARDS_KEY_PAIR_GEN, CKK_EC_EDWARDS, 57, 114},
    {oid_x25519, sizeof(oid_x25519), CKM_EC_MONTGOMERY_KEY_PAIR_GEN, CKK_EC_MONTGOMERY, 32, 0},
    {oid_x448, sizeof(oid_x448), CKM_EC_MONTGOMERY_KEY_PAIR_GEN, CKK_EC_MONTGOMERY, 56, 0},
};

typedef struct {
    tk_mech_attrs pub;
    tk_mech_attrs priv;
    tk_key kpub;
    tk_key kpriv;
    void *cpub;  /* the objects' cache slots */
    void *cpriv;
} pair;

static void
gen_pair(const curve_case *c, pair *p)
{
    CK_MECHANISM m = {c->gen, NULL, 0};
    CK_ATTRIBUTE t[] = {{CKA_EC_PARAMS, (void *)c->params, c->params_len}};
    CK_KEY_TYPE type = 0;

    memset(p, 0, sizeof(*p));
    assert_int_equal(tk_mech_generate_key_pair(&m, t, 1, NULL, 0, &type, &p->pub, &p->priv),
                     CKR_OK);
    assert_int_equal(type, c->type);
    p->kpub = (tk_key){CKO_PUBLIC_KEY, c->type, p->pub.v, p->pub.n, &p->cpub};
    p->kpriv = (tk_key){CKO_PRIVATE_KEY, c->type, p->priv.v, p->priv.n, &p->cpriv};
}

static void
free_pair(pair *p)
{
    tk_key_cache_release(p->cpub);
    tk_key_cache_release(p->cpriv);
    tk_mech_attrs_clear(&p->pub);
    tk_mech_attrs_clear(&p->priv);
}

/* Sign data with priv under m and check it with pub; also a bad one. */
static void
sign_verify(CK_MECHANISM *m, const tk_key *priv, const tk_key *pub, size_t sig_len)
{
    static const uint8_t data[] = "the quick brown fox";
    uint8_t sig[200];
    CK_ULONG n = 0;
    tk_op *op = NULL;

    assert_int_equal(tk_mech_op_init(TK_OP_SIGN, m, priv, &op), CKR_OK);
    assert_int_equal(op->vt->run(op, data, sizeof(data), NULL, &n), CKR_OK);
    assert_int_equal(n, sig_len);
    n = 3;
    assert_int_equal(op->vt->run(op, data, sizeof(data), sig, &n), CKR_BUFFER_TOO_SMALL);
    assert_int_equal(n, sig_len);
    n = sizeof(sig);
    assert_int_equal(op->vt->run(op, data, sizeof(data), sig, &n), CKR_OK);
    assert_int_equal(n, sig_len);
    tk_op_free(op);

    assert_int_equal(tk_mech_op_init(TK_OP_VERIFY, m, pub, &op), CKR_OK);
    assert_int_equal(op->vt->verify(op, data, sizeof(data), sig, n), CKR_OK);
    tk_op_free(op);
    sig[n / 2] ^= 1;
    assert_int_equal(tk_mech_op_init(TK_OP_VERIFY, m, pub, &op), CKR_OK);
    assert_int_equal(op->vt->verify(op, data, sizeof(data), sig, n), CKR_SIGNATURE_INVALID);
    tk_op_free(op);
    assert_int_equal(tk_mech_op_init(TK_OP_VERIFY, m, pub, &op), CKR_OK);
    assert_int_equal(op->vt->verify(op, data, sizeof(data), sig, n - 1),
                     CKR_SIGNATURE_LEN_RANGE);
    tk_op_free(op);
}

static tk_key
strip_spki(const pair *p, CK_ATTRIBUTE *buf)
{
    CK_ULONG k = 0;

    for (CK_ULONG i = 0; i < p->priv.n; i++) {
        if (p->priv.v[i].type != CKA_PUBLIC_KEY_INFO) {
            buf[k++] = p->priv.v[i];
        }
    }
    return (tk_key){CKO_PRIVATE_KEY, p->kpriv.type, buf, k, NULL};
}

static void
test_generate_and_sign(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(curves) / sizeof(curves[0]); i++) {
        const curve_case *c = &curves[i];
        pair p;
        const CK_ATTRIBUTE *pt;
        CK_ATTRIBUTE bare[8];
        tk_key imported;

        gen_pair(c, &p);
        pt = tk_key_attr(&p.kpub, CKA_EC_POINT);
        assert_non_null(pt);
        if (c->type == CKK_EC) {
            /* DER OCTET STRING of the uncompressed point */
            assert_int_equal(pt->ulValueLen, c->pub_len + (c->pub_len >= 128 ? 3 : 2));
            assert_int_equal(((uint8_t *)pt->pValue)[0], 0x04);
        } else {
            assert_int_equal(pt->ulValueLen, c->pub_len);
        }
        assert_non_null(tk_key_attr(&p.kpriv, CKA_EC_PARAMS));
        assert_non_null(tk_key_attr(&p.kpriv, CKA_VALUE));
        assert_null(tk_key_attr(&p.kpriv, CKA_EC_POINT));
        imported = strip_spki(&p, bare);
        if (c->type == CKK_EC) {
            CK_MECHANISM m = {CKM_ECDSA_SHA256, NULL, 0};
            CK_MECHANISM raw = {CKM_ECDSA, NULL, 0};
            CK_MECHANISM s3 = {CKM_ECDSA_SHA3_384, NULL, 0};
            sign_verify(&m, &p.kpriv, &p.kpub, c->sig_len);
            sign_verify(&raw, &p.kpriv, &p.kpub, c->sig_len);
            sign_verify(&s3, &imported, &p.kpub, c->sig_len);
        } else if (c->type == CKK_EC_EDWARDS) {
            CK_MECHANISM m = {CKM_EDDSA, NULL, 0};
            CK_EDDSA_PARAMS none = {CK_FALSE, 0, NULL};
            CK_MECHANISM with = {CKM_EDDSA, &none, sizeof(none)};
            sign_verify(&m, &p.kpriv, &p.kpub, c->sig_len);
            sign_verify(&m, &imported, &p.kpub, c->sig_len);
            if (c->sig_len == 114) {
                /* Ed448 with an empty context is plain Ed448 */
                sign_verify(&with, &p.kpriv, &p.kpub, c->sig_len);
            }
        }
        free_pair(&p);
    }
}

static void
test_multipart_ecdsa(void **state)
{
    pair p;
    CK_MECHANISM m = {CKM_ECDSA_SHA384, NULL, 0};
    tk_op *op = NULL;
    uint8_t sig[96];
    CK_ULONG n = sizeof(sig);

    (void)state;
    gen_pair(&curves[1], &p);
    assert_int_equal(tk_mech_op_init(TK_OP_SIGN, &m, &p.kpriv, &op), CKR_OK);
    assert_int_equal(op->vt->update(op, (const uint8_t *)"ab", 2, NULL, NULL), CKR_OK);
    assert_int_equal(op->vt->update(op, (const uint8_t *)"cd", 2, NULL, NULL), CKR_OK);
    assert_int_equal(op->vt->final(op, sig, &n), CKR_OK);
    tk_op_free(op);
    assert_int_equal(tk_mech_op_init(TK_OP_VERIFY, &m, &p.kpub, &op), CKR_OK);
    assert_int_equal(op->vt->verify(op, (const uint8_t *)"abcd", 4, sig, n), CKR_OK);
    tk_op_free(op);
    assert_int_equal(tk_mech_op_init(TK_OP_VERIFY, &m, &p.kpub, &op), CKR_OK);
    assert_int_equal(op->vt->update(op, (const uint8_t *)"abc", 3, NULL, NULL), CKR_OK);
    assert_int_equal(op->vt->verify_final(op, sig, n), CKR_SIGNATURE_INVALID);
    tk_op_free(op);
    free_pair(&p);
}

static void
test_multipart_eddsa(void **state)
{
    static const uint8_t msg[] = "one message in three parts";
    pair p;
    CK_MECHANISM m = {CKM_EDDSA, NULL, 0};
    tk_op *op = NULL;
    uint8_t one[64];
    uint8_t parts[64];
    CK_ULONG n = sizeof(one);

    (void)state;
    gen_pair(&curves[8], &p);
    assert_int_equal(tk_mech_op_init(TK_OP_SIGN, &m, &p.kpriv, &op), CKR_OK);
    assert_int_equal(op->vt->run(op, msg, sizeof(msg), one, &n), CKR_OK);
    tk_op_free(op);
    assert_int_equal(tk_mech_op_init(TK_OP_SIGN, &m, &p.kpriv, &op), CKR_OK);
    assert_int_equal(op->vt->update(op, msg, 3, NULL, NULL), CKR_OK);
    assert_int_equal(op->vt->update(op, msg + 3, 10, NULL, NULL), CKR_OK);
    assert_int_equal(op->vt->update(op, msg + 13, sizeof(msg) - 13, NULL, NULL), CKR_OK);
    n = sizeof(parts);
    assert_int_equal(op->vt->final(op, parts, &n), CKR_OK);
    tk_op_free(op);
    /* Ed25519 is deterministic: both ways give the same signature */
    assert_memory_equal(one, parts, 64);
    assert_int_equal(tk_mech_op_init(TK_OP_VERIFY, &m, &p.kpub, &op), CKR_OK);
    assert_int_equal(op->vt->update(op, msg, 5, NULL, NULL), CKR_OK);
    assert_int_equal(op->vt->update(op, msg + 5, sizeof(msg) - 5, NULL, NULL), CKR_OK);
    assert_int_equal(op->vt->verify_final(op, parts, n), CKR_OK);
    tk_op_free(op);
    free_pair(&p);
}

static void
test_ecdsa_lengths(void **state)
{
    pair p;
    CK_MECHANISM m = {CKM_ECDSA, NULL, 0};
    uint8_t h[32] = {1, 2, 3};
    uint8_t sig[70];
    CK_ULONG n = sizeof(sig);
    tk_op *op = NULL;

    (void)state;
    gen_pair(&curves[0], &p);
    assert_int_equal(tk_mech_op_init(TK_OP_SIGN, &m, &p.kpriv, &op), CKR_OK);
    assert_int_equal(op->vt->run(op, h, sizeof(h), sig, &n), CKR_OK);
    tk_op_free(op);
    /* odd or too long: a length error; shorter halves: only a bad value */
    assert_int_equal(tk_mech_op_init(TK_OP_VERIFY, &m, &p.kpub, &op), CKR_OK);
    assert_int_equal(op->vt->verify(op, h, sizeof(h), sig, 63), CKR_SIGNATURE_LEN_RANGE);
    tk_op_free(op);
    assert_int_equal(tk_mech_op_init(TK_OP_VERIFY, &m, &p.kpub, &op), CKR_OK);
    assert_int_equal(op->vt->verify(op, h, sizeof(h), sig, 66), CKR_SIGNATURE_LEN_RANGE);
    tk_op_free(op);
    assert_int_equal(tk_mech_op_init(TK_OP_VERIFY, &m, &p.kpub, &op), CKR_OK);
    assert_int_equal(op->vt->verify(op, h, sizeof(h), sig, 62), CKR_SIGNATURE_INVALID);
    tk_op_free(op);
    /* a long hash is cut to the order's length: same signature verifies */
    assert_int_equal(tk_mech_op_init(TK_OP_VERIFY, &m, &p.kpub, &op), CKR_OK);
    {
        uint8_t longer[64] = {1, 2, 3};
        assert_int_equal(op->vt->verify(op, longer, sizeof(longer), sig, n), CKR_OK);
    }
    tk_op_free(op);
    free_pair(&p);
}

static void
test_refusals(void **state)
{
    pair ec;
    pair ed;
    CK_MECHANISM ecdsa = {CKM_ECDSA, NULL, 0};
    CK_MECHANISM eddsa = {CKM_EDDSA, NULL, 0};
    CK_BYTE ctx[] = {1, 2, 3};
    CK_EDDSA_PARAMS ep = {CK_FALSE, sizeof(ctx), ctx};
    CK_MECHANISM eddsa_ctx = {CKM_EDDSA, &ep, sizeof(ep)};
    CK_MECHANISM bad_param = {CKM_ECDSA, ctx, sizeof(ctx)};
    uint8_t big[32];
    CK_ATTRIBUTE attrs[2] = {{CKA_EC_PARAMS, (void *)oid_p256, sizeof(oid_p256)},
                             {CKA_VALUE, big, sizeof(big)}};
    tk_key bad_scalar = {CKO_PRIVATE_KEY, CKK_EC, attrs, 2, NULL};
    tk_op *op = NULL;

    (void)state;
    gen_pair(&curves[0], &ec);
    gen_pair(&curves[8], &ed);
    assert_int_equal(tk_mech_op_init(TK_OP_SIGN, &ecdsa, &ed.kpriv, &op),
                     CKR_KEY_TYPE_INCONSISTENT);
    assert_int_equal(tk_mech_op_init(TK_OP_SIGN, &eddsa, &ec.kpriv, &op),
                     CKR_KEY_TYPE_INCONSISTENT);
    assert_int_equal(tk_mech_op_init(TK_OP_SIGN, &ecdsa, &ec.kpub, &op),
                     CKR_KEY_TYPE_INCONSISTENT);
    assert_int_equal(tk_mech_op_init(TK_OP_SIGN, &bad_param, &ec.kpriv, &op),
                     CKR_MECHANISM_PARAM_INVALID);
    /* Ed25519ctx with an empty context: refused, not taken as Ed25519 */
    ep.ulContextDataLen = 0;
    ep.pContextData = NULL;
    assert_int_equal(tk_mech_op_init(TK_OP_SIGN, &eddsa_ctx, &ed.kpriv, &op),
                     CKR_MECHANISM_PARAM_INVALID);
    ep.ulContextDataLen = sizeof(ctx);
    ep.pContextData = ctx;
    /* Ed25519ctx runs on our own code (ec_eddsa_ext.c). */
    assert_int_equal(tk_mech_op_init(TK_OP_SIGN, &eddsa_ctx, &ed.kpriv, &op), CKR_OK);
    tk_op_free(op);
    op = NULL;
    /* an unknown curve is a size error, but only after the parameter */
    memset(big, 0xff, sizeof(big));
    attrs[0].pValue = (void *)name_ed25519;
    attrs[0].ulValueLen = sizeof(name_ed25519);
    assert_int_equal(tk_mech_op_init(TK_OP_SIGN, &ecdsa, &bad_scalar, &op),
                     CKR_KEY_TYPE_INCONSISTENT);
    {
        static const uint8_t p192[] = {0x06, 0x08, 0x2a, 0x86, 0x48,
                                       0xce, 0x3d, 0x03, 0x01, 0x01};
        attrs[0].pValue = (void *)p192;
        attrs[0].ulValueLen = sizeof(p192);
        assert_int_equal(tk_mech_op_init(TK_OP_SIGN, &bad_param, &bad_scalar, &op),
                         CKR_MECHANISM_PARAM_INVALID);
        assert_int_equal(tk_mech_op_init(TK_OP_SIGN, &ecdsa, &bad_scalar, &op),
                         CKR_KEY_SIZE_RANGE);
    }
    attrs[0].pValue = (void *)oid_p256;
    attrs[0].ulValueLen = sizeof(oid_p256);
    memset(big, 0xff, sizeof(big));
    assert_int_equal(tk_mech_op_init(TK_OP_SIGN, &ecdsa, &bad_scalar, &op),
                     CKR_KEY_TYPE_INCONSISTENT);
    free_pair(&ec);
    free_pair(&ed);
}

static void
test_generate_refusals(void **state)
{
    CK_MECHANISM m = {CKM_EC_KEY_PAIR_GEN, NULL, 0};
    CK_MECHANISM med = {CKM_EC_EDWARDS_KEY_PAIR_GEN, NULL, 0};
    static const uint8_t p192[] = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x01};
    CK_ATTRIBUTE t192 = {CKA_EC_PARAMS, (void *)p192, sizeof(p192)};
    CK_ATTRIBUTE ted = {CKA_EC_PARAMS, (void *)oid_ed25519, sizeof(oid_ed25519)};
    CK_ATTRIBUTE t384 = {CKA_EC_PARAMS, (void *)oid_p384, sizeof(oid_p384)};
    CK_ATTRIBUTE t256 = {CKA_EC_PARAMS, (void *)oid_p256, sizeof(oid_p256)};
    tk_mech_attrs a = {0};
    tk_mech_attrs b = {0};
    CK_KEY_TYPE type;

    (void)state;
    static const uint8_t explicit_params[] = {0x30, 0x03, 0x02, 0x01, 0x01};
    static const uint8_t implicit_ca[] = {0x05, 0x00};
    CK_ATTRIBUTE tex = {CKA_EC_PARAMS, (void *)explicit_params, sizeof(explicit_params)};
    CK_ATTRIBUTE tica = {CKA_EC_PARAMS, (void *)implicit_ca, sizeof(implicit_ca)};

    assert_int_equal(tk_mech_generate_key_pair(&m, NULL, 0, NULL, 0, &type, &a, &b),
                     CKR_TEMPLATE_INCOMPLETE);
    assert_int_equal(tk_mech_generate_key_pair(&m, &tex, 1, NULL, 0, &type, &a, &b),
                     CKR_DOMAIN_PARAMS_INVALID);
    assert_int_equal(tk_mech_generate_key_pair(&m, &tica, 1, NULL, 0, &type, &a, &b),
                     CKR_DOMAIN_PARAMS_INVALID);
    assert_int_equal(tk_mech_generate_key_pair(&m, &t192, 1, NULL, 0, &type, &a, &b),
                     CKR_CURVE_NOT_SUPPORTED);
    assert_int_equal(tk_mech_generate_key_pair(&m, &ted, 1, NULL, 0, &type, &a, &b),
                     CKR_CURVE_NOT_SUPPORTED);
    assert_int_equal(tk_mech_generate_key_pair(&med, &t256, 1, NULL, 0, &type, &a, &b),
                     CKR_CURVE_NOT_SUPPORTED);
    assert_int_equal(tk_mech_generate_key_pair(&m, &t256, 1, &t384, 1, &type, &a, &b),
                     CKR_TEMPLATE_INCONSISTENT);
    /* only the private template has it: fine */
    assert_int_equal(tk_mech_generate_key_pair(&m, NULL, 0, &t384, 1, &type, &a, &b), CKR_OK);
    assert_non_null(tk_tmpl_find(a.v, a.n, CKA_EC_PARAMS));
    tk_mech_attrs_clear(&a);
    tk_mech_attrs_clear(&b);
}

/* Derive with priv and peer's public data; the new key's value. */
static CK_RV
derive(CK_MECHANISM_TYPE mech, const tk_key *priv, CK_EC_KDF_TYPE kdf, const uint8_t *peer,
       size_t peer_len, CK_ULONG want, uint8_t *out, CK_ULONG *out_len)
{
    CK_BYTE info[] = "shared info";
    CK_ECDH1_DERIVE_PARAMS p = {kdf, kdf == CKD_NULL ? 0 : sizeof(info),
                                kdf == CKD_NULL ? NULL : info, peer_len, (CK_BYTE *)peer};
    CK_MECHANISM m = {mech, &p, sizeof(p)};
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_KEY_TYPE kt = CKK_GENERIC_SECRET;
    CK_ATTRIBUTE t[3] = {{CKA_CLASS, &cls, sizeof(cls)},
                         {CKA_KEY_TYPE, &kt, sizeof(kt)},
                         {CKA_VALUE_LEN, &want, sizeof(want)}};
    tk_mech_attrs o = {0};
    CK_RV rv = tk_mech_derive(&m, priv, t, want ? 3 : 2, &o);
    const CK_ATTRIBUTE *v;

    if (rv == CKR_OK) {
        v = tk_tmpl_find(o.v, o.n, CKA_VALUE);
        assert_non_null(v);
        memcpy(out, v->pValue, v->ulValueLen);
        *out_len = v->ulValueLen;
    }
    tk_mech_attrs_clear(&o);
    return rv;
}

static const CK_ATTRIBUTE *
point(const pair *p)
{
    return tk_key_attr(&p->kpub, CKA_EC_POINT);
}

static void
test_ecdh(void **state)
{
    static const size_t which[] = {0, 2, 3, 6, 11, 12};
    uint8_t s1[200];
    uint8_t s2[200];
    CK_ULONG n1 = 0;
    CK_ULONG n2 = 0;

    (void)state;
    for (size_t i = 0; i < sizeof(which) / sizeof(which[0]); i++) {
        const curve_case *c = &curves[which[i]];
        pair a;
        pair b;
        const CK_ATTRIBUTE *pa;
        const CK_ATTRIBUTE *pb;
        uint8_t der[200];
        uint8_t bad[200];

        gen_pair(c, &a);
        gen_pair(c, &b);
        pa = point(&a);
        pb = point(&b);
        assert_int_equal(derive(CKM_ECDH1_DERIVE, &a.kpriv, CKD_NULL, pb->pValue, pb->ulValueLen,
                                0, s1, &n1),
                         CKR_OK);
        assert_int_equal(derive(CKM_ECDH1_DERIVE, &b.kpriv, CKD_NULL, pa->pValue, pa->ulValueLen,
                                0, s2, &n2),
                         CKR_OK);
        assert_int_equal(n1, n2);
        assert_memory_equal(s1, s2, n1);
        assert_int_equal(derive(CKM_ECDH1_DERIVE, &a.kpriv, CKD_SHA256_KDF, pb->pValue,
                                pb->ulValueLen, 40, s1, &n1),
                         CKR_OK);
        assert_int_equal(derive(CKM_ECDH1_DERIVE, &b.kpriv, CKD_SHA256_KDF, pa->pValue,
                                pa->ulValueLen, 40, s2, &n2),
                         CKR_OK);
        assert_int_equal(n1, 40);
        assert_memory_equal(s1, s2, 40);

        /* the other form of the point: raw for Weierstrass, DER for X */
        if (c->type == CKK_EC) {
            memcpy(der, (uint8_t *)pb->pValue + pb->ulValueLen - c->pub_len, c->pub_len);
            assert_int_equal(derive(CKM_ECDH1_COFACTOR_DERIVE, &a.kpriv, CKD_SHA256_KDF, der,
                                    c->pub_len, 40, s2, &n2),
                             CKR_OK);
            assert_memory_equal(s1, s2, 40);
            /* a point off the curve */
            memcpy(bad, der, c->pub_len);
            bad[c->pub_len - 1] ^= 1;
            assert_int_equal(derive(CKM_ECDH1_DERIVE, &a.kpriv, CKD_NULL, bad, c->pub_len, 0,
                                    s2, &n2),
                             CKR_MECHANISM_PARAM_INVALID);
            /* compressed form: not offered */
            bad[0] = 0x02;
            assert_int_equal(derive(CKM_ECDH1_DERIVE, &a.kpriv, CKD_NULL, bad,
                                    1 + (c->pub_len - 1) / 2, 0, s2, &n2),
                             CKR_MECHANISM_PARAM_INVALID);
        } else {
            der[0] = 0x04;
            der[1] = (uint8_t)c->pub_len;
            memcpy(der + 2, pb->pValue, c->pub_len);
            assert_int_equal(derive(CKM_ECDH1_DERIVE, &a.kpriv, CKD_SHA256_KDF, der,
                                    c->pub_len + 2, 40, s2, &n2),
                             CKR_OK);
            assert_memory_equal(s1, s2, 40);
            /* the all-zero key gives an all-zero secret */
            memset(bad, 0, c->pub_len);
            assert_int_equal(derive(CKM_ECDH1_DERIVE, &a.kpriv, CKD_NULL, bad, c->pub_len, 0,
                                    s2, &n2),
                             CKR_MECHANISM_PARAM_INVALID);
            assert_int_equal(derive(CKM_ECDH1_COFACTOR_DERIVE, &a.kpriv, CKD_NULL, pb->pValue,
                                    pb->ulValueLen, 0, s2, &n2),
                             CKR_KEY_TYPE_INCONSISTENT);
        }
        /* a length that is neither form */
        assert_int_equal(derive(CKM_ECDH1_DERIVE, &a.kpriv, CKD_NULL, pb->pValue,
                                pb->ulValueLen - 1, 0, s2, &n2),
                         CKR_MECHANISM_PARAM_INVALID);
        /* more than the secret without a KDF */
        assert_int_equal(derive(CKM_ECDH1_DERIVE, &a.kpriv, CKD_NULL, pb->pValue,
                                pb->ulValueLen, 100, s2, &n2),
                         CKR_TEMPLATE_INCONSISTENT);
        free_pair(&a);
        free_pair(&b);
    }
}

/* Many threads on one cached key: each operation gets its own context
 * from the key's pool or a new one, and the signatures all verify. */
typedef struct {
    const pair *p;
    CK_MECHANISM_TYPE mech;
    int failures;
} tk_thread_arg;

static void *
tk_thread_run(void *arg)
{
    tk_thread_arg *a = arg;
    CK_MECHANISM m = {a->mech, NULL, 0};
    uint8_t data[32] = {7};
    uint8_t sig[200];

    for (int i = 0; i < 100; i++) {
        tk_op *op = NULL;
        CK_ULONG n = sizeof(sig);
        data[0] = (uint8_t)i;
        if (tk_mech_op_init(TK_OP_SIGN, &m, &a->p->kpriv, &op) != CKR_OK ||
            op->vt->run(op, data, sizeof(data), sig, &n) != CKR_OK) {
            a->failures++;
        }
        tk_op_free(op);
        op = NULL;
        if (tk_mech_op_init(TK_OP_VERIFY, &m, &a->p->kpub, &op) != CKR_OK ||
            op->vt->verify(op, data, sizeof(data), sig, n) != CKR_OK) {
            a->failures++;
        }
        tk_op_free(op);
    }
    return NULL;
}

static void
test_threads_share_key(void **state)
{
    pair p[2];
    pthread_t t[8];
    tk_thread_arg a[8];

    (void)state;
    gen_pair(&curves[0], &p[0]);
    gen_pair(&curves[8], &p[1]);
    for (int i = 0; i < 8; i++) {
        a[i] = (tk_thread_arg){&p[i % 2], i % 2 ? CKM_EDDSA : CKM_ECDSA_SHA256, 0};
        assert_int_equal(pthread_create(&t[i], NULL, tk_thread_run, &a[i]), 0);
    }
    for (int i = 0; i < 8; i++) {
        assert_int_equal(pthread_join(t[i], NULL), 0);
        assert_int_equal(a[i].failures, 0);
    }
    free_pair(&p[0]);
    free_pair(&p[1]);
}

/* What C_CreateObject gets from the family: the same SubjectPublicKeyInfo
 * as generation made, computed again from the public or private value. */
static void
test_complete_imported(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(curves) / sizeof(curves[0]); i++) {
        const curve_case *c = &curves[i];
        pair p;
        const CK_ATTRIBUTE *want;
        const CK_ATTRIBUTE *got;
        tk_mech_attrs a = {0};
        tk_mech_attrs b = {0};

        gen_pair(c, &p);
        want = tk_key_attr(&p.kpriv, CKA_PUBLIC_KEY_INFO);
        assert_non_null(want);
        assert_int_equal(tk_mech_ec_complete_key(CKO_PUBLIC_KEY, c->type, p.pub.v, p.pub.n, &a),
                         CKR_OK);
        assert_int_equal(tk_mech_ec_complete_key(CKO_PRIVATE_KEY, c->type, p.priv.v, p.priv.n,
                                                 &b),
                         CKR_OK);
        got = tk_tmpl_find(a.v, a.n, CKA_PUBLIC_KEY_INFO);
        assert_non_null(got);
        assert_int_equal(got->ulValueLen, want->ulValueLen);
        assert_memory_equal(got->pValue, want->pValue, want->ulValueLen);
        got = tk_tmpl_find(b.v, b.n, CKA_PUBLIC_KEY_INFO);
        assert_non_null(got);
        assert_memory_equal(got->pValue, want->pValue, want->ulValueLen);
        tk_mech_attrs_clear(&a);
        tk_mech_attrs_clear(&b);
        free_pair(&p);
    }
}

static void
test_complete_refusals(void **state)
{
    static const uint8_t p192[] = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x01};
    static const uint8_t explicit_params[] = {0x30, 0x03, 0x02, 0x01, 0x01};
    uint8_t point[65];
    uint8_t zero[32];
    CK_ATTRIBUTE t[2] = {{CKA_EC_PARAMS, (void *)oid_p256, sizeof(oid_p256)},
                         {CKA_EC_POINT, point, sizeof(point)}};
    tk_mech_attrs a = {0};

    (void)state;
    memset(point, 0x11, sizeof(point));
    point[0] = 0x04;
    assert_int_equal(tk_mech_ec_complete_key(CKO_PUBLIC_KEY, CKK_EC, t, 2, &a),
                     CKR_ATTRIBUTE_VALUE_INVALID);
    t[1].ulValueLen = 64;
    assert_int_equal(tk_mech_ec_complete_key(CKO_PUBLIC_KEY, CKK_EC, t, 2, &a),
                     CKR_ATTRIBUTE_VALUE_INVALID);
    memset(zero, 0, sizeof(zero));
    t[1] = (CK_ATTRIBUTE){CKA_VALUE, zero, sizeof(zero)};
    assert_int_equal(tk_mech_ec_complete_key(CKO_PRIVATE_KEY, CKK_EC, t, 2, &a),
                     CKR_ATTRIBUTE_VALUE_INVALID);
    assert_int_equal(tk_mech_ec_complete_key(CKO_PRIVATE_KEY, CKK_EC_EDWARDS, t, 2, &a),
                     CKR_CURVE_NOT_SUPPORTED);
    t[0] = (CK_ATTRIBUTE){CKA_EC_PARAMS, (void *)p192, sizeof(p192)};
    assert_int_equal(tk_mech_ec_complete_key(CKO_PRIVATE_KEY, CKK_EC, t, 2, &a),
                     CKR_CURVE_NOT_SUPPORTED);
    t[0] = (CK_ATTRIBUTE){CKA_EC_PARAMS, (void *)explicit_params, sizeof(explicit_params)};
    assert_int_equal(tk_mech_ec_complete_key(CKO_PRIVATE_KEY, CKK_EC, t, 2, &a),
                     CKR_DOMAIN_PARAMS_INVALID);
    t[0] = (CK_ATTRIBUTE){CKA_EC_PARAMS, (void *)oid_ed25519, sizeof(oid_ed25519)};
    assert_int_equal(tk_mech_ec_complete_key(CKO_PRIVATE_KEY, CKK_EC_EDWARDS, t, 1, &a),
                     CKR_TEMPLATE_INCOMPLETE);
    assert_int_equal(tk_mech_ec_complete_key(CKO_PRIVATE_KEY, CKK_RSA, t, 2, &a), CKR_OK);
    assert_int_equal(a.n, 0);
}

static void
test_info(void **state)
{
    CK_MECHANISM_INFO info;

    (void)state;
    assert_int_equal(tk_mech_info(CKM_EC_KEY_PAIR_GEN, &info), CKR_OK);
    assert_int_equal(info.ulMinKeySize, 256);
    assert_int_equal(info.ulMaxKeySize, 521);
    assert_true(info.flags & CKF_GENERATE_KEY_PAIR);
    assert_true(info.flags & CKF_EC_F_P);
    assert_true(info.flags & CKF_EC_OID);
    assert_true(info.flags & CKF_EC_UNCOMPRESS);
    assert_int_equal(tk_mech_info(CKM_EDDSA, &info), CKR_OK);
    assert_int_equal(info.ulMinKeySize, 255);
    assert_int_equal(info.ulMaxKeySize, 448);
    assert_int_equal(tk_mech_info(CKM_ECDSA_SHA3_512, &info), CKR_OK);
    assert_true(info.flags & CKF_SIGN);
    assert_int_equal(tk_mech_info(CKM_ECDH1_COFACTOR_DERIVE, &info), CKR_OK);
    assert_true(info.flags & CKF_DERIVE);
    assert_int_equal(tk_mech_info(CKM_EC_MONTGOMERY_KEY_PAIR_GEN, &info), CKR_OK);
    assert_int_equal(info.ulMinKeySize, 255);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_info),
        cmocka_unit_test(test_generate_and_sign),
        cmocka_unit_test(test_multipart_ecdsa),
        cmocka_unit_test(test_multipart_eddsa),
        cmocka_unit_test(test_ecdsa_lengths),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_generate_refusals),
        cmocka_unit_test(test_ecdh),
        cmocka_unit_test(test_threads_share_key),
        cmocka_unit_test(test_complete_imported),
        cmocka_unit_test(test_complete_refusals),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
