/*
 * ML-KEM, ML-DSA and SLH-DSA through the module's function list, with the
 * token's own keys: generation for every parameter set and its template
 * rules, sign and verify in one and in several parts, C_VerifySignature*,
 * every hash-on-token form against the pre-hash-given form, and
 * C_EncapsulateKey / C_DecapsulateKey with their length and template
 * rules.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pqc_util.h"

#define PIN(s) (CK_UTF8CHAR_PTR)(s), strlen(s)
#define SIG_MAX 50000

static CK_SESSION_HANDLE tk_s;

static int
setup(void **state)
{
    CK_SLOT_ID slot;

    (void)state;
    th_setup(NULL);
    slot = th_make_token("pqc-api");
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

/* C_GenerateKeyPair with the set in the public template (and in the
 * private one when priv_set is not 0). */
static CK_RV
gen(CK_MECHANISM_TYPE mech, CK_ULONG set, CK_ULONG priv_set, CK_OBJECT_HANDLE *pub,
    CK_OBJECT_HANDLE *priv)
{
    CK_MECHANISM m = {mech, NULL, 0};
    CK_BBOOL yes = CK_TRUE;
    CK_BBOOL no = CK_FALSE;
    int kem = mech == CKM_ML_KEM_KEY_PAIR_GEN;
    CK_ATTRIBUTE tpub[] = {
        {kem ? CKA_ENCAPSULATE : CKA_VERIFY, &yes, sizeof(yes)},
        {CKA_PARAMETER_SET, &set, sizeof(set)},
    };
    CK_ATTRIBUTE tpriv[] = {
        {kem ? CKA_DECAPSULATE : CKA_SIGN, &yes, sizeof(yes)},
        {CKA_SENSITIVE, &no, sizeof(no)},
        {CKA_EXTRACTABLE, &yes, sizeof(yes)},
        {CKA_PARAMETER_SET, &priv_set, sizeof(priv_set)},
    };

    return th.f->C_GenerateKeyPair(tk_s, &m, tpub, set ? 2 : 1, tpriv, priv_set ? 4 : 3, pub,
                                   priv);
}

static CK_ULONG
ulong_attr(CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE type)
{
    CK_ULONG v = 0;
    CK_ATTRIBUTE a = {type, &v, sizeof(v)};

    assert_int_equal(th.f->C_GetAttributeValue(tk_s, h, &a, 1), CKR_OK);
    return v;
}

static CK_ULONG
attr_len(CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE type)
{
    CK_ATTRIBUTE a = {type, NULL, 0};
    CK_RV rv = th.f->C_GetAttributeValue(tk_s, h, &a, 1);

    return rv == CKR_OK ? a.ulValueLen : 0;
}

static CK_ULONG
count_objects(void)
{
    CK_OBJECT_HANDLE h[64];
    CK_ULONG n = 0;
    CK_ULONG total = 0;

    assert_int_equal(th.f->C_FindObjectsInit(tk_s, NULL, 0), CKR_OK);
    do {
        assert_int_equal(th.f->C_FindObjects(tk_s, h, 64, &n), CKR_OK);
        total += n;
    } while (n > 0);
    assert_int_equal(th.f->C_FindObjectsFinal(tk_s), CKR_OK);
    return total;
}

static void
test_mechanisms(void **state)
{
    static const CK_MECHANISM_TYPE want[] = {
        CKM_ML_KEM_KEY_PAIR_GEN, CKM_ML_KEM,         CKM_ML_DSA_KEY_PAIR_GEN,
        CKM_ML_DSA,              CKM_HASH_ML_DSA,    CKM_HASH_ML_DSA_SHAKE256,
        CKM_SLH_DSA_KEY_PAIR_GEN, CKM_SLH_DSA,       CKM_HASH_SLH_DSA,
        CKM_HASH_SLH_DSA_SHA3_512,
    };
    CK_MECHANISM_TYPE list[512];
    CK_ULONG n = 512;
    CK_MECHANISM_INFO info;
    CK_SLOT_ID slot;
    CK_SESSION_INFO si;

    (void)state;
    assert_int_equal(th.f->C_GetSessionInfo(tk_s, &si), CKR_OK);
    slot = si.slotID;
    assert_int_equal(th.f->C_GetMechanismList(slot, list, &n), CKR_OK);
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        int found = 0;
        for (CK_ULONG j = 0; j < n; j++) {
            found |= list[j] == want[i];
        }
        assert_true(found);
    }
    assert_int_equal(th.f->C_GetMechanismInfo(slot, CKM_ML_KEM, &info), CKR_OK);
    assert_int_equal(info.flags & (CKF_ENCAPSULATE | CKF_DECAPSULATE),
                     CKF_ENCAPSULATE | CKF_DECAPSULATE);
    assert_int_equal(info.ulMinKeySize, 800);
    assert_int_equal(info.ulMaxKeySize, 1568);
    assert_int_equal(th.f->C_GetMechanismInfo(slot, CKM_ML_DSA, &info), CKR_OK);
    assert_int_equal(info.flags & (CKF_SIGN | CKF_VERIFY), CKF_SIGN | CKF_VERIFY);
    assert_int_equal(info.ulMinKeySize, 1312);
    assert_int_equal(info.ulMaxKeySize, 2592);
    assert_int_equal(th.f->C_GetMechanismInfo(slot, CKM_SLH_DSA_KEY_PAIR_GEN, &info), CKR_OK);
    assert_true(info.flags & CKF_GENERATE_KEY_PAIR);
    assert_int_equal(info.ulMinKeySize, 32);
    assert_int_equal(info.ulMaxKeySize, 64);
}

static void
test_generate_templates(void **state)
{
    CK_OBJECT_HANDLE pub;
    CK_OBJECT_HANDLE priv;
    CK_ULONG before;

    (void)state;
    before = count_objects();
    assert_int_equal(gen(CKM_ML_KEM_KEY_PAIR_GEN, 0, 0, &pub, &priv), CKR_TEMPLATE_INCOMPLETE);
    assert_int_equal(gen(CKM_ML_DSA_KEY_PAIR_GEN, CKP_ML_DSA_44, CKP_ML_DSA_65, &pub, &priv),
                     CKR_TEMPLATE_INCONSISTENT);
    assert_int_equal(gen(CKM_ML_KEM_KEY_PAIR_GEN, 7, 0, &pub, &priv),
                     CKR_PARAMETER_SET_NOT_SUPPORTED);
    assert_int_equal(count_objects(), before);
    assert_int_equal(gen(CKM_ML_KEM_KEY_PAIR_GEN, CKP_ML_KEM_768, CKP_ML_KEM_768, &pub, &priv),
                     CKR_OK);
    assert_int_equal(ulong_attr(priv, CKA_PARAMETER_SET), CKP_ML_KEM_768);
    assert_int_equal(ulong_attr(priv, CKA_KEY_TYPE), CKK_ML_KEM);
}

/* One signature round trip per mechanism form for key pair (pub, priv). */
static void
sign_round_trip(CK_MECHANISM_TYPE mech, CK_OBJECT_HANDLE pub, CK_OBJECT_HANDLE priv,
                CK_ULONG want_len)
{
    static const uint8_t msg[] = "a message in several parts for the token";
    uint8_t *sig = malloc(SIG_MAX);
    CK_MECHANISM m = {mech, NULL, 0};
    CK_ULONG sl = 0;

    assert_non_null(sig);
    assert_int_equal(th.f->C_SignInit(tk_s, &m, priv), CKR_OK);
    assert_int_equal(th.f->C_Sign(tk_s, (CK_BYTE_PTR)msg, sizeof(msg), NULL, &sl), CKR_OK);
    assert_int_equal(sl, want_len);
    assert_int_equal(th.f->C_Sign(tk_s, (CK_BYTE_PTR)msg, sizeof(msg), sig, &sl), CKR_OK);
    assert_int_equal(pq_verify(tk_s, &m, pub, msg, sizeof(msg), sig, sl), CKR_OK);
    sig[0] ^= 1;
    assert_int_equal(pq_verify(tk_s, &m, pub, msg, sizeof(msg), sig, sl),
                     CKR_SIGNATURE_INVALID);
    assert_int_equal(pq_verify(tk_s, &m, pub, msg, sizeof(msg), sig, sl + 1),
                     CKR_SIGNATURE_LEN_RANGE);
    free(sig);
}

static void
test_generate_every_set(void **state)
{
    static const CK_ULONG mldsa_sig[] = {2420, 3309, 4627};
    static const CK_ULONG slh_sig[] = {7856,  7856,  17088, 17088, 16224, 16224,
                                       35664, 35664, 29792, 29792, 49856, 49856};

    (void)state;
    for (CK_ULONG set = 1; set <= 3; set++) {
        CK_OBJECT_HANDLE pub;
        CK_OBJECT_HANDLE priv;
        uint8_t k1[32];
        CK_MECHANISM m = {CKM_ML_KEM, NULL, 0};
        CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
        CK_BBOOL no = CK_FALSE;
        CK_BBOOL yes = CK_TRUE;
        CK_ATTRIBUTE kt[] = {{CKA_CLASS, &cls, sizeof(cls)},
                             {CKA_SENSITIVE, &no, sizeof(no)},
                             {CKA_EXTRACTABLE, &yes, sizeof(yes)}};
        uint8_t ct[1568];
        CK_ULONG cl = sizeof(ct);
        CK_OBJECT_HANDLE k;
        uint8_t *kv;
        size_t kl;
        assert_int_equal(gen(CKM_ML_KEM_KEY_PAIR_GEN, set, 0, &pub, &priv), CKR_OK);
        assert_int_equal(attr_len(priv, CKA_SEED), 64);
        assert_int_equal(ulong_attr(pub, CKA_PARAMETER_SET), set);
        assert_int_equal(th.f->C_EncapsulateKey(tk_s, &m, pub, kt, 3, ct, &cl, &k), CKR_OK);
        assert_int_equal(pq_decaps(tk_s, priv, ct, cl, k1), CKR_OK);
        kv = pq_attr(tk_s, k, CKA_VALUE, &kl);
        assert_int_equal(kl, 32);
        assert_memory_equal(kv, k1, 32);
        free(kv);
        gen(CKM_ML_DSA_KEY_PAIR_GEN, set, 0, &pub, &priv);
        assert_int_equal(attr_len(priv, CKA_SEED), 32);
        assert_int_equal(ulong_attr(priv, CKA_PARAMETER_SET), set);
        sign_round_trip(CKM_ML_DSA, pub, priv, mldsa_sig[set - 1]);
    }
    for (CK_ULONG set = 1; set <= 12; set++) {
        CK_OBJECT_HANDLE pub;
        CK_OBJECT_HANDLE priv;
        assert_int_equal(gen(CKM_SLH_DSA_KEY_PAIR_GEN, set, 0, &pub, &priv), CKR_OK);
        assert_int_equal(attr_len(priv, CKA_SEED), 0);
        assert_int_equal(attr_len(priv, CKA_VALUE), 4 * (16 + 8 * ((set - 1) / 4)));
        sign_round_trip(CKM_SLH_DSA, pub, priv, slh_sig[set - 1]);
    }
}

/* Several-part signing equals one-part signing (deterministic), and
 * verifies in parts, and through C_VerifySignature*. */
static void
multi_part(CK_MECHANISM_TYPE mech, CK_OBJECT_HANDLE pub, CK_OBJECT_HANDLE priv)
{
    uint8_t msg[3000];
    uint8_t ctx[] = {'c', 't', 'x'};
    CK_SIGN_ADDITIONAL_CONTEXT p = {CKH_DETERMINISTIC_REQUIRED, ctx, sizeof(ctx)};
    CK_MECHANISM m = {mech, &p, sizeof(p)};
    uint8_t *a = malloc(SIG_MAX);
    uint8_t *b = malloc(SIG_MAX);
    CK_ULONG la = 0;
    CK_ULONG lb = SIG_MAX;

    assert_non_null(a);
    assert_non_null(b);
    for (size_t i = 0; i < sizeof(msg); i++) {
        msg[i] = (uint8_t)(i * 7);
    }
    assert_int_equal(pq_sign(tk_s, &m, priv, msg, sizeof(msg), a, &la), CKR_OK);
    assert_int_equal(th.f->C_SignInit(tk_s, &m, priv), CKR_OK);
    assert_int_equal(th.f->C_SignUpdate(tk_s, msg, 1000), CKR_OK);
    assert_int_equal(th.f->C_SignUpdate(tk_s, msg + 1000, 2000), CKR_OK);
    lb = 0;
    assert_int_equal(th.f->C_SignFinal(tk_s, NULL, &lb), CKR_OK);
    assert_int_equal(lb, la);
    assert_int_equal(th.f->C_SignFinal(tk_s, b, &lb), CKR_OK);
    assert_int_equal(lb, la);
    assert_memory_equal(a, b, la);
    /* C_VerifyUpdate / C_VerifyFinal */
    assert_int_equal(th.f->C_VerifyInit(tk_s, &m, pub), CKR_OK);
    assert_int_equal(th.f->C_VerifyUpdate(tk_s, msg, 10), CKR_OK);
    assert_int_equal(th.f->C_VerifyUpdate(tk_s, msg + 10, sizeof(msg) - 10), CKR_OK);
    assert_int_equal(th.f->C_VerifyFinal(tk_s, a, la), CKR_OK);
    /* C_VerifySignature, single and in parts */
    assert_int_equal(th.f->C_VerifySignatureInit(tk_s, &m, pub, a, la), CKR_OK);
    assert_int_equal(th.f->C_VerifySignature(tk_s, msg, sizeof(msg)), CKR_OK);
    assert_int_equal(th.f->C_VerifySignatureInit(tk_s, &m, pub, a, la), CKR_OK);
    assert_int_equal(th.f->C_VerifySignatureUpdate(tk_s, msg, 2999), CKR_OK);
    assert_int_equal(th.f->C_VerifySignatureUpdate(tk_s, msg + 2999, 1), CKR_OK);
    assert_int_equal(th.f->C_VerifySignatureFinal(tk_s), CKR_OK);
    a[5] ^= 0x10;
    assert_int_equal(th.f->C_VerifySignatureInit(tk_s, &m, pub, a, la), CKR_OK);
    assert_int_equal(th.f->C_VerifySignatureUpdate(tk_s, msg, sizeof(msg)), CKR_OK);
    assert_int_equal(th.f->C_VerifySignatureFinal(tk_s), CKR_SIGNATURE_INVALID);
    assert_int_equal(th.f->C_VerifySignatureInit(tk_s, &m, pub, a, la - 1), CKR_OK);
    assert_int_equal(th.f->C_VerifySignature(tk_s, msg, sizeof(msg)), CKR_SIGNATURE_LEN_RANGE);
    free(a);
    free(b);
}

static void
test_multi_part(void **state)
{
    CK_OBJECT_HANDLE pub;
    CK_OBJECT_HANDLE priv;

    (void)state;
    assert_int_equal(gen(CKM_ML_DSA_KEY_PAIR_GEN, CKP_ML_DSA_65, 0, &pub, &priv), CKR_OK);
    multi_part(CKM_ML_DSA, pub, priv);
    multi_part(CKM_HASH_ML_DSA_SHA384, pub, priv);
    multi_part(CKM_HASH_ML_DSA_SHAKE128, pub, priv);
    assert_int_equal(gen(CKM_SLH_DSA_KEY_PAIR_GEN, CKP_SLH_DSA_SHAKE_128F, 0, &pub, &priv),
                     CKR_OK);
    multi_part(CKM_SLH_DSA, pub, priv);
    multi_part(CKM_HASH_SLH_DSA_SHA256, pub, priv);
}

/* Each CKM_HASH_<alg>_<hash> equals CKM_HASH_<alg> on the token's own
 * digest of the message (SHA-2 and SHA-3 through C_Digest). */
static void
hash_forms(CK_MECHANISM_TYPE given, const CK_MECHANISM_TYPE *forms, CK_OBJECT_HANDLE pub,
           CK_OBJECT_HANDLE priv)
{
    static const CK_MECHANISM_TYPE digests[] = {CKM_SHA224,   CKM_SHA256,   CKM_SHA384,
                                                CKM_SHA512,   CKM_SHA3_224, CKM_SHA3_256,
                                                CKM_SHA3_384, CKM_SHA3_512};
    static const uint8_t msg[] = "message to be hashed on the token";
    uint8_t *a = malloc(SIG_MAX);
    uint8_t *b = malloc(SIG_MAX);

    assert_non_null(a);
    assert_non_null(b);
    for (size_t i = 0; i < 10; i++) {
        CK_SIGN_ADDITIONAL_CONTEXT p = {CKH_DETERMINISTIC_REQUIRED, NULL, 0};
        CK_MECHANISM m = {forms[i], &p, sizeof(p)};
        CK_ULONG la = 0;
        CK_ULONG lb = 0;
        assert_int_equal(pq_sign(tk_s, &m, priv, msg, sizeof(msg), a, &la), CKR_OK);
        assert_int_equal(pq_verify(tk_s, &m, pub, msg, sizeof(msg), a, la), CKR_OK);
        if (i < 8) {
            CK_MECHANISM dm = {digests[i], NULL, 0};
            uint8_t dig[64];
            CK_ULONG dl = sizeof(dig);
            CK_HASH_SIGN_ADDITIONAL_CONTEXT hp = {CKH_DETERMINISTIC_REQUIRED, NULL, 0,
                                                  digests[i]};
            CK_MECHANISM hm = {given, &hp, sizeof(hp)};
            assert_int_equal(th.f->C_DigestInit(tk_s, &dm), CKR_OK);
            assert_int_equal(th.f->C_Digest(tk_s, (CK_BYTE_PTR)msg, sizeof(msg), dig, &dl),
                             CKR_OK);
            assert_int_equal(pq_sign(tk_s, &hm, priv, dig, dl, b, &lb), CKR_OK);
            assert_int_equal(lb, la);
            assert_memory_equal(a, b, la);
            assert_int_equal(pq_verify(tk_s, &hm, pub, dig, dl, a, la), CKR_OK);
            /* The pre-hash-given form is single-part only. */
            assert_int_equal(th.f->C_SignInit(tk_s, &hm, priv), CKR_OK);
            assert_int_not_equal(th.f->C_SignUpdate(tk_s, dig, dl), CKR_OK);
            assert_int_equal(pq_sign(tk_s, &hm, priv, dig, dl - 1, b, &lb), CKR_DATA_LEN_RANGE);
        }
    }
    free(a);
    free(b);
}

static void
test_hash_forms(void **state)
{
    static const CK_MECHANISM_TYPE mldsa[] = {
        CKM_HASH_ML_DSA_SHA224,   CKM_HASH_ML_DSA_SHA256,   CKM_HASH_ML_DSA_SHA384,
        CKM_HASH_ML_DSA_SHA512,   CKM_HASH_ML_DSA_SHA3_224, CKM_HASH_ML_DSA_SHA3_256,
        CKM_HASH_ML_DSA_SHA3_384, CKM_HASH_ML_DSA_SHA3_512, CKM_HASH_ML_DSA_SHAKE128,
        CKM_HASH_ML_DSA_SHAKE256};
    static const CK_MECHANISM_TYPE slhdsa[] = {
        CKM_HASH_SLH_DSA_SHA224,   CKM_HASH_SLH_DSA_SHA256,   CKM_HASH_SLH_DSA_SHA384,
        CKM_HASH_SLH_DSA_SHA512,   CKM_HASH_SLH_DSA_SHA3_224, CKM_HASH_SLH_DSA_SHA3_256,
        CKM_HASH_SLH_DSA_SHA3_384, CKM_HASH_SLH_DSA_SHA3_512, CKM_HASH_SLH_DSA_SHAKE128,
        CKM_HASH_SLH_DSA_SHAKE256};
    CK_OBJECT_HANDLE pub;
    CK_OBJECT_HANDLE priv;

    (void)state;
    assert_int_equal(gen(CKM_ML_DSA_KEY_PAIR_GEN, CKP_ML_DSA_44, 0, &pub, &priv), CKR_OK);
    hash_forms(CKM_HASH_ML_DSA, mldsa, pub, priv);
    assert_int_equal(gen(CKM_SLH_DSA_KEY_PAIR_GEN, CKP_SLH_DSA_SHA2_128F, 0, &pub, &priv),
                     CKR_OK);
    hash_forms(CKM_HASH_SLH_DSA, slhdsa, pub, priv);
}

static void
test_sign_params(void **state)
{
    CK_OBJECT_HANDLE pub;
    CK_OBJECT_HANDLE priv;
    uint8_t ctx[256] = {0};
    CK_SIGN_ADDITIONAL_CONTEXT p = {CKH_HEDGE_REQUIRED, ctx, 256};
    CK_MECHANISM m = {CKM_ML_DSA, &p, sizeof(p)};

    (void)state;
    assert_int_equal(gen(CKM_ML_DSA_KEY_PAIR_GEN, CKP_ML_DSA_44, 0, &pub, &priv), CKR_OK);
    assert_int_equal(th.f->C_SignInit(tk_s, &m, priv), CKR_MECHANISM_PARAM_INVALID);
    p.ulContextLen = 255;
    {
        /* The longest context signs; the length query keeps the operation. */
        uint8_t sig[2420];
        CK_ULONG sl = 0;
        assert_int_equal(th.f->C_SignInit(tk_s, &m, priv), CKR_OK);
        assert_int_equal(th.f->C_SignFinal(tk_s, NULL, &sl), CKR_OK);
        assert_int_equal(sl, sizeof(sig));
        assert_int_equal(th.f->C_SignFinal(tk_s, sig, &sl), CKR_OK);
        assert_int_equal(pq_verify(tk_s, &m, pub, NULL, 0, sig, sl), CKR_OK);
    }
    p.hedgeVariant = 99;
    p.ulContextLen = 0;
    assert_int_equal(th.f->C_SignInit(tk_s, &m, priv), CKR_MECHANISM_PARAM_INVALID);
    /* A KEM key does not sign; a DSA key does not encapsulate. */
    {
        CK_OBJECT_HANDLE kpub;
        CK_OBJECT_HANDLE kpriv;
        CK_MECHANISM plain = {CKM_ML_DSA, NULL, 0};
        assert_int_equal(gen(CKM_ML_KEM_KEY_PAIR_GEN, CKP_ML_KEM_512, 0, &kpub, &kpriv), CKR_OK);
        assert_int_not_equal(th.f->C_SignInit(tk_s, &plain, kpriv), CKR_OK);
    }
}

static void
test_encapsulate_rules(void **state)
{
    CK_OBJECT_HANDLE pub;
    CK_OBJECT_HANDLE priv;
    CK_MECHANISM m = {CKM_ML_KEM, NULL, 0};
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_KEY_TYPE aes = CKK_AES;
    CK_ULONG l16 = 16;
    CK_ULONG l33 = 33;
    CK_BBOOL no = CK_FALSE;
    CK_BBOOL yes = CK_TRUE;
    CK_ATTRIBUTE taes[] = {
        {CKA_CLASS, &cls, sizeof(cls)},     {CKA_KEY_TYPE, &aes, sizeof(aes)},
        {CKA_VALUE_LEN, &l16, sizeof(l16)}, {CKA_SENSITIVE, &no, sizeof(no)},
        {CKA_EXTRACTABLE, &yes, sizeof(yes)}, {CKA_ENCRYPT, &yes, sizeof(yes)},
    };
    CK_ATTRIBUTE tlong[] = {{CKA_CLASS, &cls, sizeof(cls)}, {CKA_VALUE_LEN, &l33, sizeof(l33)}};
    uint8_t ct[1088];
    CK_ULONG cl = 0;
    CK_OBJECT_HANDLE k1 = CK_INVALID_HANDLE;
    CK_OBJECT_HANDLE k2 = CK_INVALID_HANDLE;
    CK_ULONG before;
    uint8_t *v1;
    uint8_t *v2;
    size_t l1;
    size_t l2;

    (void)state;
    assert_int_equal(gen(CKM_ML_KEM_KEY_PAIR_GEN, CKP_ML_KEM_768, 0, &pub, &priv), CKR_OK);
    before = count_objects();
    /* [PKCS11 3.2 §5.2]: the length query makes no key. */
    assert_int_equal(th.f->C_EncapsulateKey(tk_s, &m, pub, taes, 6, NULL, &cl, &k1), CKR_OK);
    assert_int_equal(cl, 1088);
    cl = 100;
    assert_int_equal(th.f->C_EncapsulateKey(tk_s, &m, pub, taes, 6, ct, &cl, &k1),
                     CKR_BUFFER_TOO_SMALL);
    assert_int_equal(cl, 1088);
    assert_int_equal(th.f->C_EncapsulateKey(tk_s, &m, pub, tlong, 2, ct, &cl, &k1),
                     CKR_TEMPLATE_INCONSISTENT);
    assert_int_equal(count_objects(), before);
    assert_int_equal(th.f->C_EncapsulateKey(tk_s, &m, pub, taes, 6, ct, &cl, &k1), CKR_OK);
    assert_int_equal(th.f->C_DecapsulateKey(tk_s, &m, priv, taes, 6, ct, cl - 1, &k2),
                     CKR_WRAPPED_KEY_LEN_RANGE);
    assert_int_equal(th.f->C_DecapsulateKey(tk_s, &m, priv, tlong, 2, ct, cl, &k2),
                     CKR_TEMPLATE_INCONSISTENT);
    assert_int_equal(count_objects(), before + 1);
    assert_int_equal(th.f->C_DecapsulateKey(tk_s, &m, priv, taes, 6, ct, cl, &k2), CKR_OK);
    v1 = pq_attr(tk_s, k1, CKA_VALUE, &l1);
    v2 = pq_attr(tk_s, k2, CKA_VALUE, &l2);
    assert_int_equal(l1, 16);
    assert_int_equal(l2, 16);
    assert_memory_equal(v1, v2, 16);
    assert_int_equal(ulong_attr(k2, CKA_KEY_TYPE), CKK_AES);
    assert_int_equal(ulong_attr(k2, CKA_VALUE_LEN), 16);
    free(v1);
    free(v2);
    /* An HKDF key, the usual next step, has any length; DES3 cannot hold
     * a shared secret. */
    {
        CK_KEY_TYPE hkdf = CKK_HKDF;
        CK_KEY_TYPE des3 = CKK_DES3;
        CK_ATTRIBUTE th_[] = {{CKA_CLASS, &cls, sizeof(cls)}, {CKA_KEY_TYPE, &hkdf, sizeof(hkdf)}};
        CK_ATTRIBUTE td[] = {{CKA_CLASS, &cls, sizeof(cls)}, {CKA_KEY_TYPE, &des3, sizeof(des3)}};
        assert_int_equal(th.f->C_DecapsulateKey(tk_s, &m, priv, th_, 2, ct, cl, &k2), CKR_OK);
        assert_int_equal(ulong_attr(k2, CKA_VALUE_LEN), 32);
        assert_int_equal(th.f->C_DecapsulateKey(tk_s, &m, priv, td, 2, ct, cl, &k2),
                         CKR_TEMPLATE_INCONSISTENT);
    }
    /* The wrong key class for each side. */
    assert_int_not_equal(th.f->C_EncapsulateKey(tk_s, &m, priv, taes, 6, ct, &cl, &k1), CKR_OK);
    assert_int_not_equal(th.f->C_DecapsulateKey(tk_s, &m, pub, taes, 6, ct, cl, &k2), CKR_OK);
}

/* C_CreateObject: a seed alone expands, seed and value must agree, a
 * value alone is checked, a public ML-KEM key must be reduced. */
static void
test_create_rules(void **state)
{
    CK_OBJECT_HANDLE pub;
    CK_OBJECT_HANDLE priv;
    CK_OBJECT_HANDLE h;
    uint8_t *seed;
    uint8_t *sk;
    uint8_t *pk;
    uint8_t *v;
    size_t sl;
    size_t kl;
    size_t pl;
    size_t vl;

    (void)state;
    assert_int_equal(gen(CKM_ML_DSA_KEY_PAIR_GEN, CKP_ML_DSA_87, 0, &pub, &priv), CKR_OK);
    seed = pq_attr(tk_s, priv, CKA_SEED, &sl);
    sk = pq_attr(tk_s, priv, CKA_VALUE, &kl);
    assert_int_equal(pq_make_priv(tk_s, CKK_ML_DSA, CKP_ML_DSA_87, NULL, 0, seed, sl, CKA_SIGN,
                                  &h),
                     CKR_OK);
    v = pq_attr(tk_s, h, CKA_VALUE, &vl);
    assert_int_equal(vl, kl);
    assert_memory_equal(v, sk, kl);
    free(v);
    /* Another set for the same seed gives another key length. */
    assert_int_equal(pq_make_priv(tk_s, CKK_ML_DSA, CKP_ML_DSA_44, sk, kl, seed, sl, CKA_SIGN,
                                  &h),
                     CKR_ATTRIBUTE_VALUE_INVALID);
    sk[kl - 1] ^= 1; /* inside t0: the full check notices */
    assert_int_equal(pq_make_priv(tk_s, CKK_ML_DSA, CKP_ML_DSA_87, sk, kl, seed, sl, CKA_SIGN,
                                  &h),
                     CKR_ATTRIBUTE_VALUE_INVALID);
    assert_int_equal(pq_make_priv(tk_s, CKK_ML_DSA, CKP_ML_DSA_87, sk, kl, NULL, 0, CKA_SIGN,
                                  &h),
                     CKR_ATTRIBUTE_VALUE_INVALID);
    assert_int_equal(pq_make_priv(tk_s, CKK_ML_DSA, CKP_ML_DSA_87, NULL, 0, NULL, 0, CKA_SIGN,
                                  &h),
                     CKR_TEMPLATE_INCOMPLETE);
    free(seed);
    free(sk);
    /* ML-KEM: a public key with a coefficient of 4095 is refused. */
    assert_int_equal(gen(CKM_ML_KEM_KEY_PAIR_GEN, CKP_ML_KEM_512, 0, &pub, &priv), CKR_OK);
    pk = pq_attr(tk_s, pub, CKA_VALUE, &pl);
    assert_int_equal(pq_make_pub(tk_s, CKK_ML_KEM, CKP_ML_KEM_512, pk, pl, CKA_ENCAPSULATE, &h),
                     CKR_OK);
    pk[0] = 0xff;
    pk[1] |= 0x0f;
    assert_int_equal(pq_make_pub(tk_s, CKK_ML_KEM, CKP_ML_KEM_512, pk, pl, CKA_ENCAPSULATE, &h),
                     CKR_ATTRIBUTE_VALUE_INVALID);
    free(pk);
    /* SLH-DSA private keys have no seed attribute. */
    assert_int_equal(gen(CKM_SLH_DSA_KEY_PAIR_GEN, CKP_SLH_DSA_SHA2_128F, 0, &pub, &priv),
                     CKR_OK);
    sk = pq_attr(tk_s, priv, CKA_VALUE, &kl);
    assert_int_not_equal(pq_make_priv(tk_s, CKK_SLH_DSA, CKP_SLH_DSA_SHA2_128F, sk, kl, sk, 48,
                                      CKA_SIGN, &h),
                         CKR_OK);
    assert_int_equal(pq_make_priv(tk_s, CKK_SLH_DSA, CKP_SLH_DSA_SHA2_128F, sk, kl, NULL, 0,
                                  CKA_SIGN, &h),
                     CKR_OK);
    free(sk);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mechanisms),
        cmocka_unit_test(test_generate_templates),
        cmocka_unit_test(test_sign_params),
        cmocka_unit_test(test_encapsulate_rules),
        cmocka_unit_test(test_create_rules),
        cmocka_unit_test(test_multi_part),
        cmocka_unit_test(test_hash_forms),
        cmocka_unit_test(test_generate_every_set),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
