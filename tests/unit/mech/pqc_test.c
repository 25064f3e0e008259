/*
 * Post-quantum mechanisms (src/mech/pqc*.c) through the mechanism layer:
 * key pairs for every parameter set, ML-DSA and SLH-DSA signatures in all
 * forms, single and multi-part, ML-KEM encapsulation, imported keys, and
 * the refusals of bad templates, parameters, keys and lengths.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/pqc/keccak.h"
#include "mech/mech.h"

typedef struct {
    tk_mech_attrs pub;
    tk_mech_attrs priv;
    tk_key kpub;
    tk_key kpriv;
    void *cpub;
    void *cpriv;
} pair;

static void
gen_pair(CK_MECHANISM_TYPE mech, CK_KEY_TYPE want, CK_ULONG set, pair *p)
{
    CK_MECHANISM m = {mech, NULL, 0};
    CK_ATTRIBUTE t[] = {{CKA_PARAMETER_SET, &set, sizeof(set)}};
    CK_KEY_TYPE type = 0;

    memset(p, 0, sizeof(*p));
    assert_int_equal(tk_mech_generate_key_pair(&m, t, 1, NULL, 0, &type, &p->pub, &p->priv),
                     CKR_OK);
    assert_int_equal(type, want);
    p->kpub = (tk_key){CKO_PUBLIC_KEY, type, p->pub.v, p->pub.n, &p->cpub};
    p->kpriv = (tk_key){CKO_PRIVATE_KEY, type, p->priv.v, p->priv.n, &p->cpriv};
}

static void
free_pair(pair *p)
{
    tk_mech_attrs_clear(&p->pub);
    tk_mech_attrs_clear(&p->priv);
    tk_key_cache_release(p->cpub);
    tk_key_cache_release(p->cpriv);
}

static CK_ULONG
attr_len(const tk_mech_attrs *a, CK_ATTRIBUTE_TYPE t)
{
    const CK_ATTRIBUTE *x = tk_tmpl_find(a->v, a->n, t);

    return x == NULL ? 0 : x->ulValueLen;
}

/* Sign data in one part; returns the signature length. */
static CK_ULONG
sign(const CK_MECHANISM *m, const tk_key *k, const uint8_t *data, CK_ULONG len, uint8_t *sig,
     CK_ULONG cap)
{
    tk_op *op = NULL;
    CK_ULONG sl = 0;

    assert_int_equal(tk_mech_op_init(TK_OP_SIGN, m, k, &op), CKR_OK);
    assert_int_equal(op->vt->run(op, data, len, NULL, &sl), CKR_OK);
    assert_true(sl <= cap);
    sl = 1;
    assert_int_equal(op->vt->run(op, data, len, sig, &sl), CKR_BUFFER_TOO_SMALL);
    sl = cap;
    assert_int_equal(op->vt->run(op, data, len, sig, &sl), CKR_OK);
    tk_op_free(op);
    return sl;
}

/* Sign data in two parts. */
static CK_ULONG
sign_parts(const CK_MECHANISM *m, const tk_key *k, const uint8_t *data, CK_ULONG len,
           uint8_t *sig, CK_ULONG cap)
{
    tk_op *op = NULL;
    CK_ULONG sl = cap;

    assert_int_equal(tk_mech_op_init(TK_OP_SIGN, m, k, &op), CKR_OK);
    assert_int_equal(op->vt->update(op, data, len / 2, NULL, NULL), CKR_OK);
    assert_int_equal(op->vt->update(op, data + len / 2, len - len / 2, NULL, NULL), CKR_OK);
    assert_int_equal(op->vt->final(op, sig, &sl), CKR_OK);
    tk_op_free(op);
    return sl;
}

static CK_RV
verify(const CK_MECHANISM *m, const tk_key *k, const uint8_t *data, CK_ULONG len,
       const uint8_t *sig, CK_ULONG sl)
{
    tk_op *op = NULL;
    CK_RV rv;

    assert_int_equal(tk_mech_op_init(TK_OP_VERIFY, m, k, &op), CKR_OK);
    rv = op->vt->verify(op, data, len, sig, sl);
    tk_op_free(op);
    return rv;
}

static CK_RV
verify_parts(const CK_MECHANISM *m, const tk_key *k, const uint8_t *data, CK_ULONG len,
             const uint8_t *sig, CK_ULONG sl)
{
    tk_op *op = NULL;
    CK_RV rv;

    assert_int_equal(tk_mech_op_init(TK_OP_VERIFY, m, k, &op), CKR_OK);
    assert_int_equal(op->vt->update(op, data, 3, NULL, NULL), CKR_OK);
    assert_int_equal(op->vt->update(op, data + 3, len - 3, NULL, NULL), CKR_OK);
    rv = op->vt->verify_final(op, sig, sl);
    tk_op_free(op);
    return rv;
}

#define SIG_MAX 49856

/* Deterministic single-part and two-part signatures agree and verify; a
 * changed byte or length is refused. */
static void
check_signatures(CK_MECHANISM_TYPE mech, const pair *p, CK_ULONG want_len)
{
    static const uint8_t msg[] = "the quick brown fox jumps over the lazy dog";
    uint8_t ctx[7] = "context";
    CK_SIGN_ADDITIONAL_CONTEXT det = {CKH_DETERMINISTIC_REQUIRED, ctx, sizeof(ctx)};
    CK_MECHANISM m = {mech, &det, sizeof(det)};
    uint8_t *a = malloc(SIG_MAX);
    uint8_t *b = malloc(SIG_MAX);
    CK_ULONG la;
    CK_ULONG lb;

    assert_non_null(a);
    assert_non_null(b);
    la = sign(&m, &p->kpriv, msg, sizeof(msg), a, SIG_MAX);
    assert_int_equal(la, want_len);
    lb = sign_parts(&m, &p->kpriv, msg, sizeof(msg), b, SIG_MAX);
    assert_int_equal(lb, la);
    assert_memory_equal(a, b, la);
    assert_int_equal(verify(&m, &p->kpub, msg, sizeof(msg), a, la), CKR_OK);
    assert_int_equal(verify_parts(&m, &p->kpub, msg, sizeof(msg), a, la), CKR_OK);
    assert_int_equal(verify(&m, &p->kpub, msg, sizeof(msg), a, la - 1),
                     CKR_SIGNATURE_LEN_RANGE);
    a[la / 2] ^= 1;
    assert_int_equal(verify(&m, &p->kpub, msg, sizeof(msg), a, la), CKR_SIGNATURE_INVALID);
    a[la / 2] ^= 1;
    /* Another context is another message. */
    det.ulContextLen = 6;
    assert_int_equal(verify(&m, &p->kpub, msg, sizeof(msg), a, la), CKR_SIGNATURE_INVALID);
    /* Hedged: a different signature that verifies all the same. */
    det.ulContextLen = sizeof(ctx);
    det.hedgeVariant = CKH_HEDGE_REQUIRED;
    lb = sign(&m, &p->kpriv, msg, sizeof(msg), b, SIG_MAX);
    assert_memory_not_equal(a, b, la);
    assert_int_equal(verify(&m, &p->kpub, msg, sizeof(msg), b, lb), CKR_OK);
    free(a);
    free(b);
}

static void
test_mldsa(void **state)
{
    static const CK_ULONG sig_len[] = {2420, 3309, 4627};

    (void)state;
    for (CK_ULONG set = CKP_ML_DSA_44; set <= CKP_ML_DSA_87; set++) {
        pair p;
        gen_pair(CKM_ML_DSA_KEY_PAIR_GEN, CKK_ML_DSA, set, &p);
        assert_int_equal(attr_len(&p.priv, CKA_SEED), 32);
        check_signatures(CKM_ML_DSA, &p, sig_len[set - 1]);
        check_signatures(CKM_HASH_ML_DSA_SHA256, &p, sig_len[set - 1]);
        check_signatures(CKM_HASH_ML_DSA_SHAKE256, &p, sig_len[set - 1]);
        free_pair(&p);
    }
}

static void
test_slhdsa(void **state)
{
    static const CK_ULONG fast[] = {CKP_SLH_DSA_SHA2_128F, CKP_SLH_DSA_SHAKE_128F,
                                    CKP_SLH_DSA_SHA2_192F};
    static const CK_ULONG sig_len[] = {17088, 17088, 35664};

    (void)state;
    for (size_t i = 0; i < 3; i++) {
        pair p;
        gen_pair(CKM_SLH_DSA_KEY_PAIR_GEN, CKK_SLH_DSA, fast[i], &p);
        assert_int_equal(attr_len(&p.priv, CKA_SEED), 0);
        check_signatures(CKM_SLH_DSA, &p, sig_len[i]);
        if (i == 0) {
            check_signatures(CKM_HASH_SLH_DSA_SHA3_256, &p, sig_len[i]);
            check_signatures(CKM_HASH_SLH_DSA_SHAKE128, &p, sig_len[i]);
        }
        free_pair(&p);
    }
}

/* Every set generates keys of the right lengths. */
static void
test_generate_all(void **state)
{
    static const struct {
        CK_MECHANISM_TYPE mech;
        CK_KEY_TYPE type;
        CK_ULONG set;
        CK_ULONG pub;
        CK_ULONG priv;
    } c[] = {
        {CKM_ML_KEM_KEY_PAIR_GEN, CKK_ML_KEM, 1, 800, 1632},
        {CKM_ML_KEM_KEY_PAIR_GEN, CKK_ML_KEM, 2, 1184, 2400},
        {CKM_ML_KEM_KEY_PAIR_GEN, CKK_ML_KEM, 3, 1568, 3168},
        {CKM_SLH_DSA_KEY_PAIR_GEN, CKK_SLH_DSA, CKP_SLH_DSA_SHA2_128S, 32, 64},
        {CKM_SLH_DSA_KEY_PAIR_GEN, CKK_SLH_DSA, CKP_SLH_DSA_SHAKE_192S, 48, 96},
        {CKM_SLH_DSA_KEY_PAIR_GEN, CKK_SLH_DSA, CKP_SLH_DSA_SHAKE_256F, 64, 128},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
        pair p;
        gen_pair(c[i].mech, c[i].type, c[i].set, &p);
        assert_int_equal(attr_len(&p.pub, CKA_VALUE), c[i].pub);
        assert_int_equal(attr_len(&p.priv, CKA_VALUE), c[i].priv);
        assert_int_equal(attr_len(&p.priv, CKA_PARAMETER_SET), sizeof(CK_ULONG));
        free_pair(&p);
    }
}

static void
test_generate_templates(void **state)
{
    CK_MECHANISM m = {CKM_ML_KEM_KEY_PAIR_GEN, NULL, 0};
    CK_ULONG s2 = CKP_ML_KEM_768;
    CK_ULONG s3 = CKP_ML_KEM_1024;
    CK_ULONG bad = 9;
    CK_ATTRIBUTE t2[] = {{CKA_PARAMETER_SET, &s2, sizeof(s2)}};
    CK_ATTRIBUTE t3[] = {{CKA_PARAMETER_SET, &s3, sizeof(s3)}};
    CK_ATTRIBUTE tb[] = {{CKA_PARAMETER_SET, &bad, sizeof(bad)}};
    CK_ATTRIBUTE tshort[] = {{CKA_PARAMETER_SET, &s2, 1}};
    tk_mech_attrs a = {0};
    tk_mech_attrs b = {0};
    CK_KEY_TYPE type;

    (void)state;
    assert_int_equal(tk_mech_generate_key_pair(&m, NULL, 0, NULL, 0, &type, &a, &b),
                     CKR_TEMPLATE_INCOMPLETE);
    assert_int_equal(tk_mech_generate_key_pair(&m, t2, 1, t3, 1, &type, &a, &b),
                     CKR_TEMPLATE_INCONSISTENT);
    assert_int_equal(tk_mech_generate_key_pair(&m, tb, 1, NULL, 0, &type, &a, &b),
                     CKR_PARAMETER_SET_NOT_SUPPORTED);
    assert_int_equal(tk_mech_generate_key_pair(&m, tshort, 1, NULL, 0, &type, &a, &b),
                     CKR_ATTRIBUTE_VALUE_INVALID);
    assert_int_equal(tk_mech_generate_key_pair(&m, t2, 1, t2, 1, &type, &a, &b), CKR_OK);
    assert_int_equal(attr_len(&a, CKA_VALUE), 1184);
    tk_mech_attrs_clear(&a);
    tk_mech_attrs_clear(&b);
    /* The set in the private template alone is enough. */
    assert_int_equal(tk_mech_generate_key_pair(&m, NULL, 0, t3, 1, &type, &a, &b), CKR_OK);
    assert_int_equal(attr_len(&a, CKA_VALUE), 1568);
    tk_mech_attrs_clear(&a);
    tk_mech_attrs_clear(&b);
}

/* Read a CK_ULONG or bytes from a value list. */
static const CK_ATTRIBUTE *
get(const tk_mech_attrs *a, CK_ATTRIBUTE_TYPE t)
{
    const CK_ATTRIBUTE *x = tk_tmpl_find(a->v, a->n, t);

    assert_non_null(x);
    return x;
}

static void
test_mlkem(void **state)
{
    CK_MECHANISM m = {CKM_ML_KEM, NULL, 0};
    CK_KEY_TYPE aes = CKK_AES;
    CK_ULONG l16 = 16;
    CK_ULONG l33 = 33;
    CK_ATTRIBUTE taes[] = {{CKA_KEY_TYPE, &aes, sizeof(aes)}, {CKA_VALUE_LEN, &l16, sizeof(l16)}};
    CK_ATTRIBUTE tlong[] = {{CKA_VALUE_LEN, &l33, sizeof(l33)}};
    uint8_t ct[1568];

    (void)state;
    for (CK_ULONG set = CKP_ML_KEM_512; set <= CKP_ML_KEM_1024; set++) {
        pair p;
        tk_mech_attrs e = {0};
        tk_mech_attrs d = {0};
        CK_ULONG cl = 0;
        gen_pair(CKM_ML_KEM_KEY_PAIR_GEN, CKK_ML_KEM, set, &p);
        assert_int_equal(attr_len(&p.priv, CKA_SEED), 64);
        assert_int_equal(tk_mech_encapsulate(&m, &p.kpub, NULL, 0, NULL, &cl, &e), CKR_OK);
        assert_int_equal(e.n, 0);
        assert_true(cl == 768 || cl == 1088 || cl == 1568);
        cl = 10;
        assert_int_equal(tk_mech_encapsulate(&m, &p.kpub, NULL, 0, ct, &cl, &e),
                         CKR_BUFFER_TOO_SMALL);
        assert_int_equal(tk_mech_encapsulate(&m, &p.kpub, taes, 2, ct, &cl, &e), CKR_OK);
        assert_int_equal(get(&e, CKA_VALUE)->ulValueLen, 16);
        assert_int_equal(tk_mech_decapsulate(&m, &p.kpriv, taes, 2, ct, cl - 1, &d),
                         CKR_WRAPPED_KEY_LEN_RANGE);
        assert_int_equal(tk_mech_decapsulate(&m, &p.kpriv, taes, 2, ct, cl, &d), CKR_OK);
        assert_memory_equal(get(&e, CKA_VALUE)->pValue, get(&d, CKA_VALUE)->pValue, 16);
        tk_mech_attrs_clear(&d);
        /* Implicit rejection: another key, no error. */
        ct[0] ^= 1;
        assert_int_equal(tk_mech_decapsulate(&m, &p.kpriv, taes, 2, ct, cl, &d), CKR_OK);
        assert_memory_not_equal(get(&e, CKA_VALUE)->pValue, get(&d, CKA_VALUE)->pValue, 16);
        assert_int_equal(tk_mech_decapsulate(&m, &p.kpriv, tlong, 1, ct, cl, &d),
                         CKR_TEMPLATE_INCONSISTENT);
        /* Keys of the wrong class. */
        assert_int_equal(tk_mech_encapsulate(&m, &p.kpriv, NULL, 0, NULL, &cl, &e),
                         CKR_KEY_TYPE_INCONSISTENT);
        tk_mech_attrs_clear(&e);
        tk_mech_attrs_clear(&d);
        free_pair(&p);
    }
}

static void
test_sig_params(void **state)
{
    pair p;
    uint8_t ctx[256] = {0};
    CK_SIGN_ADDITIONAL_CONTEXT sc = {CKH_HEDGE_PREFERRED, ctx, 256};
    CK_HASH_SIGN_ADDITIONAL_CONTEXT hc = {CKH_DETERMINISTIC_REQUIRED, NULL, 0, CKM_SHA256};
    CK_MECHANISM m = {CKM_ML_DSA, &sc, sizeof(sc)};
    CK_MECHANISM hm = {CKM_HASH_ML_DSA, &hc, sizeof(hc)};
    uint8_t dig[32] = {1, 2, 3};
    uint8_t sig[2420];
    tk_op *op = NULL;
    CK_ULONG sl;

    (void)state;
    gen_pair(CKM_ML_DSA_KEY_PAIR_GEN, CKK_ML_DSA, CKP_ML_DSA_44, &p);
    assert_int_equal(tk_mech_op_init(TK_OP_SIGN, &m, &p.kpriv, &op),
                     CKR_MECHANISM_PARAM_INVALID);
    sc.ulContextLen = 255;
    sc.hedgeVariant = 7;
    assert_int_equal(tk_mech_op_init(TK_OP_SIGN, &m, &p.kpriv, &op),
                     CKR_MECHANISM_PARAM_INVALID);
    sc.hedgeVariant = CKH_HEDGE_PREFERRED;
    m.ulParameterLen = 3;
    assert_int_equal(tk_mech_op_init(TK_OP_SIGN, &m, &p.kpriv, &op),
                     CKR_MECHANISM_PARAM_INVALID);
    /* Wrong key classes. */
    assert_int_equal(tk_mech_op_init(TK_OP_SIGN, &(CK_MECHANISM){CKM_ML_DSA, NULL, 0},
                                     &p.kpub, &op),
                     CKR_KEY_TYPE_INCONSISTENT);
    assert_int_equal(tk_mech_op_init(TK_OP_VERIFY, &(CK_MECHANISM){CKM_SLH_DSA, NULL, 0},
                                     &p.kpub, &op),
                     CKR_KEY_TYPE_INCONSISTENT);
    /* HashML-DSA: the parameter is required, the digest has its length. */
    assert_int_equal(tk_mech_op_init(TK_OP_SIGN, &(CK_MECHANISM){CKM_HASH_ML_DSA, NULL, 0},
                                     &p.kpriv, &op),
                     CKR_MECHANISM_PARAM_INVALID);
    hc.hash = CKM_MD5;
    assert_int_equal(tk_mech_op_init(TK_OP_SIGN, &hm, &p.kpriv, &op),
                     CKR_MECHANISM_PARAM_INVALID);
    hc.hash = CKM_SHA256;
    assert_int_equal(tk_mech_op_init(TK_OP_SIGN, &hm, &p.kpriv, &op), CKR_OK);
    assert_null(op->vt->update);
    sl = sizeof(sig);
    assert_int_equal(op->vt->run(op, dig, 31, sig, &sl), CKR_DATA_LEN_RANGE);
    tk_op_free(op);
    sl = sign(&hm, &p.kpriv, dig, sizeof(dig), sig, sizeof(sig));
    assert_int_equal(verify(&hm, &p.kpub, dig, sizeof(dig), sig, sl), CKR_OK);
    /* The same signature by the hash-on-token form of the same PH. */
    {
        uint8_t msg[] = "abc";
        CK_SIGN_ADDITIONAL_CONTEXT none = {CKH_DETERMINISTIC_REQUIRED, NULL, 0};
        CK_MECHANISM tm = {CKM_HASH_ML_DSA_SHA256, &none, sizeof(none)};
        static const uint8_t sha256_abc[32] = {
            0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40,
            0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17,
            0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};
        uint8_t sig2[2420];
        sl = sign(&hm, &p.kpriv, sha256_abc, 32, sig, sizeof(sig));
        assert_int_equal(sign(&tm, &p.kpriv, msg, 3, sig2, sizeof(sig2)), sl);
        assert_memory_equal(sig, sig2, sl);
    }
    /* SHAKE256 is named by CKM_SHAKE_256_KEY_DERIVATION; PH(M) is 64 bytes. */
    {
        uint8_t msg[] = "xof";
        uint8_t ph[64];
        CK_SIGN_ADDITIONAL_CONTEXT none = {CKH_DETERMINISTIC_REQUIRED, NULL, 0};
        CK_MECHANISM tm = {CKM_HASH_ML_DSA_SHAKE256, &none, sizeof(none)};
        uint8_t sig2[2420];
        tk_shake256(ph, sizeof(ph), msg, 3);
        hc.hash = CKM_SHAKE_256_KEY_DERIVATION;
        sl = sign(&hm, &p.kpriv, ph, sizeof(ph), sig, sizeof(sig));
        assert_int_equal(sign(&tm, &p.kpriv, msg, 3, sig2, sizeof(sig2)), sl);
        assert_memory_equal(sig, sig2, sl);
        assert_int_equal(verify(&hm, &p.kpub, ph, sizeof(ph), sig2, sl), CKR_OK);
    }
    free_pair(&p);
}

/* C_CreateObject: seeds expand, values are checked. */
static void
test_complete(void **state)
{
    pair p;
    CK_ULONG set = CKP_ML_DSA_65;
    const CK_ATTRIBUTE *seed;
    const CK_ATTRIBUTE *val;
    tk_mech_attrs out = {0};
    uint8_t *bad;

    (void)state;
    gen_pair(CKM_ML_DSA_KEY_PAIR_GEN, CKK_ML_DSA, set, &p);
    seed = get(&p.priv, CKA_SEED);
    val = get(&p.priv, CKA_VALUE);
    {
        CK_ATTRIBUTE t[] = {{CKA_PARAMETER_SET, &set, sizeof(set)}, *seed};
        assert_int_equal(tk_mech_complete_key(CKO_PRIVATE_KEY, CKK_ML_DSA, t, 2, &out), CKR_OK);
        assert_int_equal(out.n, 1);
        assert_memory_equal(out.v[0].pValue, val->pValue, val->ulValueLen);
        tk_mech_attrs_clear(&out);
    }
    bad = malloc(val->ulValueLen);
    assert_non_null(bad);
    memcpy(bad, val->pValue, val->ulValueLen);
    bad[100] ^= 1;
    {
        CK_ATTRIBUTE t[] = {{CKA_PARAMETER_SET, &set, sizeof(set)},
                            *seed,
                            {CKA_VALUE, bad, val->ulValueLen}};
        assert_int_equal(tk_mech_complete_key(CKO_PRIVATE_KEY, CKK_ML_DSA, t, 3, &out),
                         CKR_ATTRIBUTE_VALUE_INVALID);
        assert_int_equal(tk_mech_complete_key(CKO_PRIVATE_KEY, CKK_ML_DSA, t, 2, &out),
                         CKR_OK);
        t[1] = t[2];
        assert_int_equal(tk_mech_complete_key(CKO_PRIVATE_KEY, CKK_ML_DSA, t, 2, &out),
                         CKR_ATTRIBUTE_VALUE_INVALID);
        t[1] = *val;
        assert_int_equal(tk_mech_complete_key(CKO_PRIVATE_KEY, CKK_ML_DSA, t, 2, &out),
                         CKR_OK);
    }
    tk_mech_attrs_clear(&out);
    free(bad);
    free_pair(&p);
}

/* An ML-KEM encapsulation key with a coefficient >= q is refused. */
static void
test_mlkem_bad_ek(void **state)
{
    CK_ULONG set = CKP_ML_KEM_512;
    uint8_t ek[800];
    CK_ATTRIBUTE t[] = {{CKA_PARAMETER_SET, &set, sizeof(set)}, {CKA_VALUE, ek, sizeof(ek)}};
    tk_mech_attrs out = {0};

    (void)state;
    memset(ek, 0, sizeof(ek));
    assert_int_equal(tk_mech_complete_key(CKO_PUBLIC_KEY, CKK_ML_KEM, t, 2, &out), CKR_OK);
    ek[0] = 0xff;
    ek[1] = 0x0f; /* 4095 */
    assert_int_equal(tk_mech_complete_key(CKO_PUBLIC_KEY, CKK_ML_KEM, t, 2, &out),
                     CKR_ATTRIBUTE_VALUE_INVALID);
    t[1].ulValueLen = 799;
    assert_int_equal(tk_mech_complete_key(CKO_PUBLIC_KEY, CKK_ML_KEM, t, 2, &out),
                     CKR_ATTRIBUTE_VALUE_INVALID);
    assert_int_equal(out.n, 0);
}

typedef struct {
    pair *kem;
    pair *dsa;
    int failures;
} thread_arg;

/* Encapsulate, decapsulate and verify with shared keys, so that the
 * threads race to install the keys' caches. */
static void *
thread_run(void *p)
{
    thread_arg *a = p;
    CK_MECHANISM m = {CKM_ML_KEM, NULL, 0};
    CK_MECHANISM sm = {CKM_ML_DSA, NULL, 0};
    static const uint8_t msg[] = "shared";
    uint8_t ct[1088];
    uint8_t sig[2420];

    for (int i = 0; i < 20; i++) {
        tk_mech_attrs e = {0};
        tk_mech_attrs d = {0};
        CK_ULONG cl = sizeof(ct);
        tk_op *op = NULL;
        CK_ULONG sl = sizeof(sig);
        if (tk_mech_encapsulate(&m, &a->kem->kpub, NULL, 0, ct, &cl, &e) != CKR_OK ||
            tk_mech_decapsulate(&m, &a->kem->kpriv, NULL, 0, ct, cl, &d) != CKR_OK ||
            memcmp(tk_tmpl_find(e.v, e.n, CKA_VALUE)->pValue,
                   tk_tmpl_find(d.v, d.n, CKA_VALUE)->pValue, 32) != 0) {
            a->failures++;
        }
        tk_mech_attrs_clear(&e);
        tk_mech_attrs_clear(&d);
        if (tk_mech_op_init(TK_OP_SIGN, &sm, &a->dsa->kpriv, &op) != CKR_OK ||
            op->vt->run(op, msg, sizeof(msg), sig, &sl) != CKR_OK) {
            a->failures++;
        }
        tk_op_free(op);
        op = NULL;
        if (tk_mech_op_init(TK_OP_VERIFY, &sm, &a->dsa->kpub, &op) != CKR_OK ||
            op->vt->verify(op, msg, sizeof(msg), sig, sl) != CKR_OK) {
            a->failures++;
        }
        tk_op_free(op);
    }
    return NULL;
}

static void
test_threads_share_keys(void **state)
{
    pair kem;
    pair dsa;
    pthread_t t[6];
    thread_arg a[6];

    (void)state;
    gen_pair(CKM_ML_KEM_KEY_PAIR_GEN, CKK_ML_KEM, CKP_ML_KEM_768, &kem);
    gen_pair(CKM_ML_DSA_KEY_PAIR_GEN, CKK_ML_DSA, CKP_ML_DSA_44, &dsa);
    for (int i = 0; i < 6; i++) {
        a[i] = (thread_arg){&kem, &dsa, 0};
        assert_int_equal(pthread_create(&t[i], NULL, thread_run, &a[i]), 0);
    }
    for (int i = 0; i < 6; i++) {
        assert_int_equal(pthread_join(t[i], NULL), 0);
        assert_int_equal(a[i].failures, 0);
    }
    /* Both objects now hold their caches. */
    assert_non_null(kem.cpub);
    assert_non_null(kem.cpriv);
    assert_non_null(dsa.cpub);
    free_pair(&kem);
    free_pair(&dsa);
}

static void
test_info(void **state)
{
    CK_MECHANISM_INFO info;

    (void)state;
    assert_int_equal(tk_mech_info(CKM_ML_KEM, &info), CKR_OK);
    assert_int_equal(info.flags, CKF_ENCAPSULATE | CKF_DECAPSULATE);
    assert_int_equal(info.ulMinKeySize, 800);
    assert_int_equal(info.ulMaxKeySize, 1568);
    assert_int_equal(tk_mech_info(CKM_ML_DSA_KEY_PAIR_GEN, &info), CKR_OK);
    assert_int_equal(info.flags, CKF_GENERATE_KEY_PAIR);
    assert_int_equal(tk_mech_info(CKM_HASH_SLH_DSA_SHAKE256, &info), CKR_OK);
    assert_int_equal(info.flags, CKF_SIGN | CKF_VERIFY);
    assert_int_equal(info.ulMinKeySize, 32);
    assert_int_equal(info.ulMaxKeySize, 64);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_info),
        cmocka_unit_test(test_generate_all),
        cmocka_unit_test(test_generate_templates),
        cmocka_unit_test(test_mlkem),
        cmocka_unit_test(test_mlkem_bad_ek),
        cmocka_unit_test(test_mldsa),
        cmocka_unit_test(test_sig_params),
        cmocka_unit_test(test_slhdsa),
        cmocka_unit_test(test_complete),
        cmocka_unit_test(test_threads_share_keys),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
