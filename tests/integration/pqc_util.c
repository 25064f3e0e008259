/*
 * See pqc_util.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "pqc_util.h"
#include "testvec.h"

uint8_t *
pq_unhex(const char *s, size_t *len)
{
    return tk_tv_hex_str(s, len);
}

uint8_t *
pq_hex(const cJSON *obj, const char *name, size_t *len)
{
    return tk_tv_hex(obj, name, len);
}

cJSON *
pq_load(const char *rel)
{
    return tk_tv_load(rel);
}

CK_ULONG
pq_set_by_name(const char *name)
{
    static const struct {
        const char *name;
        CK_ULONG set;
    } map[] = {
        {"ML-KEM-512", CKP_ML_KEM_512},
        {"ML-KEM-768", CKP_ML_KEM_768},
        {"ML-KEM-1024", CKP_ML_KEM_1024},
        {"ML-DSA-44", CKP_ML_DSA_44},
        {"ML-DSA-65", CKP_ML_DSA_65},
        {"ML-DSA-87", CKP_ML_DSA_87},
        {"SLH-DSA-SHA2-128s", CKP_SLH_DSA_SHA2_128S},
        {"SLH-DSA-SHAKE-128s", CKP_SLH_DSA_SHAKE_128S},
        {"SLH-DSA-SHA2-128f", CKP_SLH_DSA_SHA2_128F},
        {"SLH-DSA-SHAKE-128f", CKP_SLH_DSA_SHAKE_128F},
        {"SLH-DSA-SHA2-192s", CKP_SLH_DSA_SHA2_192S},
        {"SLH-DSA-SHAKE-192s", CKP_SLH_DSA_SHAKE_192S},
        {"SLH-DSA-SHA2-192f", CKP_SLH_DSA_SHA2_192F},
        {"SLH-DSA-SHAKE-192f", CKP_SLH_DSA_SHAKE_192F},
        {"SLH-DSA-SHA2-256s", CKP_SLH_DSA_SHA2_256S},
        {"SLH-DSA-SHAKE-256s", CKP_SLH_DSA_SHAKE_256S},
        {"SLH-DSA-SHA2-256f", CKP_SLH_DSA_SHA2_256F},
        {"SLH-DSA-SHAKE-256f", CKP_SLH_DSA_SHAKE_256F},
    };

    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        if (strcasecmp(map[i].name, name) == 0) {
            return map[i].set;
        }
    }
    return 0;
}

CK_RV
pq_make_pub(CK_SESSION_HANDLE s, CK_KEY_TYPE kt, CK_ULONG set, const uint8_t *v, size_t len,
            CK_ATTRIBUTE_TYPE use, CK_OBJECT_HANDLE *h)
{
    CK_OBJECT_CLASS cls = CKO_PUBLIC_KEY;
    CK_BBOOL yes = CK_TRUE;
    CK_ATTRIBUTE t[] = {
        {CKA_CLASS, &cls, sizeof(cls)},
        {CKA_KEY_TYPE, &kt, sizeof(kt)},
        {CKA_PARAMETER_SET, &set, sizeof(set)},
        {CKA_VALUE, (void *)v, len},
        {use, &yes, sizeof(yes)},
    };

    return th.f->C_CreateObject(s, t, 5, h);
}

CK_RV
pq_make_priv(CK_SESSION_HANDLE s, CK_KEY_TYPE kt, CK_ULONG set, const uint8_t *v, size_t len,
             const uint8_t *seed, size_t seed_len, CK_ATTRIBUTE_TYPE use, CK_OBJECT_HANDLE *h)
{
    CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
    CK_BBOOL yes = CK_TRUE;
    CK_BBOOL no = CK_FALSE;
    CK_ATTRIBUTE t[8] = {
        {CKA_CLASS, &cls, sizeof(cls)},
        {CKA_KEY_TYPE, &kt, sizeof(kt)},
        {CKA_PARAMETER_SET, &set, sizeof(set)},
        {use, &yes, sizeof(yes)},
        {CKA_SENSITIVE, &no, sizeof(no)},
        {CKA_EXTRACTABLE, &yes, sizeof(yes)},
    };
    CK_ULONG n = 6;

    if (v != NULL) {
        t[n++] = (CK_ATTRIBUTE){CKA_VALUE, (void *)v, len};
    }
    if (seed != NULL) {
        t[n++] = (CK_ATTRIBUTE){CKA_SEED, (void *)seed, seed_len};
    }
    return th.f->C_CreateObject(s, t, n, h);
}

uint8_t *
pq_attr(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE type, size_t *len)
{
    CK_ATTRIBUTE a = {type, NULL, 0};
    uint8_t *p;

    assert_int_equal(th.f->C_GetAttributeValue(s, h, &a, 1), CKR_OK);
    p = malloc(a.ulValueLen + 1);
    assert_non_null(p);
    a.pValue = p;
    assert_int_equal(th.f->C_GetAttributeValue(s, h, &a, 1), CKR_OK);
    *len = a.ulValueLen;
    return p;
}

CK_RV
pq_decaps(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE priv, const uint8_t *ct, size_t ct_len,
          uint8_t k[32])
{
    CK_MECHANISM m = {CKM_ML_KEM, NULL, 0};
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_KEY_TYPE kt = CKK_GENERIC_SECRET;
    CK_BBOOL yes = CK_TRUE;
    CK_BBOOL no = CK_FALSE;
    CK_ATTRIBUTE t[] = {
        {CKA_CLASS, &cls, sizeof(cls)},
        {CKA_KEY_TYPE, &kt, sizeof(kt)},
        {CKA_SENSITIVE, &no, sizeof(no)},
        {CKA_EXTRACTABLE, &yes, sizeof(yes)},
    };
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
    CK_RV rv = th.f->C_DecapsulateKey(s, &m, priv, t, 4, (CK_BYTE_PTR)ct, ct_len, &h);
    uint8_t *v;
    size_t len = 0;

    if (rv != CKR_OK) {
        return rv;
    }
    v = pq_attr(s, h, CKA_VALUE, &len);
    assert_int_equal(len, 32);
    memcpy(k, v, 32);
    free(v);
    assert_int_equal(th.f->C_DestroyObject(s, h), CKR_OK);
    return CKR_OK;
}

CK_RV
pq_sign(CK_SESSION_HANDLE s, CK_MECHANISM *m, CK_OBJECT_HANDLE key, const uint8_t *msg,
        size_t len, uint8_t *sig, CK_ULONG *sig_len)
{
    CK_RV rv = th.f->C_SignInit(s, m, key);

    if (rv != CKR_OK) {
        return rv;
    }
    *sig_len = 50000;
    return th.f->C_Sign(s, (CK_BYTE_PTR)msg, len, sig, sig_len);
}

CK_RV
pq_verify(CK_SESSION_HANDLE s, CK_MECHANISM *m, CK_OBJECT_HANDLE key, const uint8_t *msg,
          size_t len, const uint8_t *sig, size_t sig_len)
{
    assert_int_equal(th.f->C_VerifyInit(s, m, key), CKR_OK);
    return th.f->C_Verify(s, (CK_BYTE_PTR)msg, len, (CK_BYTE_PTR)sig, sig_len);
}
