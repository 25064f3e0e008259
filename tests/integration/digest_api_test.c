/*
 * Digests, MAC keys and MAC rules through the module's function list:
 * known answers (tests/unit/mech/digest_kat.txt) single- and multi-part,
 * the output-length rules, C_DigestKey, saved operation state, key
 * generation, and what C_SignInit refuses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "digest_test_util.h"
#include "harness.h"

static CK_SESSION_HANDLE tk_dg_session;
static CK_SLOT_ID tk_dg_slot;

static int
setup(void **state)
{
    (void)state;
    th_setup(NULL);
    tk_dg_slot = th_make_token("digest");
    tk_dg_session = th_open(tk_dg_slot, 1);
    assert_int_equal(th.f->C_Login(tk_dg_session, CKU_USER, (CK_UTF8CHAR_PTR)TH_USER_PIN,
                                   strlen(TH_USER_PIN)),
                     CKR_OK);
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    th_teardown();
    return 0;
}

static CK_RV
tk_dg_init(CK_SESSION_HANDLE s, CK_MECHANISM_TYPE type)
{
    CK_MECHANISM m = {type, NULL, 0};

    return th.f->C_DigestInit(s, &m);
}

/* Single-part digest; returns its length. */
static CK_ULONG
tk_dg_digest(CK_MECHANISM_TYPE type, const uint8_t *in, CK_ULONG len, uint8_t *out)
{
    CK_ULONG n = 64;

    assert_int_equal(tk_dg_init(tk_dg_session, type), CKR_OK);
    assert_int_equal(th.f->C_Digest(tk_dg_session, (CK_BYTE_PTR)in, len, out, &n), CKR_OK);
    return n;
}

static void
tk_dg_kat_line(const tk_kat_line *l, void *arg)
{
    CK_SESSION_HANDLE s = tk_dg_session;
    CK_MECHANISM_TYPE mech = tk_kat_mech(l->name);
    uint8_t out[64];
    CK_ULONG n = 0;
    CK_ULONG half = l->len[0] / 2;

    (void)arg;
    /* Single part, asking for the length first. */
    assert_int_equal(tk_dg_init(s, mech), CKR_OK);
    assert_int_equal(th.f->C_Digest(s, (CK_BYTE_PTR)l->v[0], l->len[0], NULL, &n), CKR_OK);
    assert_int_equal(n, l->len[1]);
    assert_int_equal(th.f->C_Digest(s, (CK_BYTE_PTR)l->v[0], l->len[0], out, &n), CKR_OK);
    assert_memory_equal(out, l->v[1], n);

    /* Two parts. */
    n = sizeof(out);
    memset(out, 0, sizeof(out));
    assert_int_equal(tk_dg_init(s, mech), CKR_OK);
    assert_int_equal(th.f->C_DigestUpdate(s, (CK_BYTE_PTR)l->v[0], half), CKR_OK);
    assert_int_equal(th.f->C_DigestUpdate(s, (CK_BYTE_PTR)l->v[0] + half, l->len[0] - half),
                     CKR_OK);
    assert_int_equal(th.f->C_DigestFinal(s, out, &n), CKR_OK);
    assert_int_equal(n, l->len[1]);
    assert_memory_equal(out, l->v[1], n);
}

static void
test_digest_known_answers(void **state)
{
    (void)state;
    assert_int_equal(tk_kat_each(TK_DIGEST_KAT, tk_dg_kat_line, NULL), 44);
}

static void
test_digest_short_buffer(void **state)
{
    CK_SESSION_HANDLE s = tk_dg_session;
    uint8_t out[64];
    uint8_t ref[64];
    CK_ULONG n = 31;

    (void)state;
    tk_dg_digest(CKM_SHA256, (const uint8_t *)"abc", 3, ref);
    assert_int_equal(tk_dg_init(s, CKM_SHA256), CKR_OK);
    assert_int_equal(th.f->C_Digest(s, (CK_BYTE_PTR) "abc", 3, out, &n), CKR_BUFFER_TOO_SMALL);
    assert_int_equal(n, 32);
    /* Still active: the same call with room finishes it. */
    assert_int_equal(th.f->C_Digest(s, (CK_BYTE_PTR) "abc", 3, out, &n), CKR_OK);
    assert_memory_equal(out, ref, 32);
    assert_int_equal(th.f->C_DigestFinal(s, out, &n), CKR_OPERATION_NOT_INITIALIZED);

    /* A digest mechanism with a parameter, and a MAC mechanism. */
    assert_int_equal(th.f->C_DigestInit(s, &(CK_MECHANISM){CKM_SHA256, &n, sizeof(n)}),
                     CKR_MECHANISM_PARAM_INVALID);
    assert_int_equal(tk_dg_init(s, CKM_SHA256_HMAC), CKR_MECHANISM_INVALID);
}

static CK_OBJECT_HANDLE
tk_dg_secret(CK_KEY_TYPE type, const void *value, CK_ULONG len)
{
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_BBOOL yes = CK_TRUE;
    CK_BBOOL no = CK_FALSE;
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
    CK_ATTRIBUTE t[] = {
        {CKA_CLASS, &cls, sizeof(cls)},   {CKA_KEY_TYPE, &type, sizeof(type)},
        {CKA_TOKEN, &no, sizeof(no)},     {CKA_SIGN, &yes, sizeof(yes)},
        {CKA_VERIFY, &yes, sizeof(yes)},  {CKA_VALUE, (void *)value, len},
    };

    assert_int_equal(th.f->C_CreateObject(tk_dg_session, t, 6, &h), CKR_OK);
    return h;
}

static void
test_digest_key(void **state)
{
    /* Its own session: a failure here leaves no operation behind. */
    CK_SESSION_HANDLE s = th_open(tk_dg_slot, 0);
    static const uint8_t k[20] = "0123456789abcdefghij";
    uint8_t both[21];
    uint8_t ref[64];
    uint8_t out[64];
    CK_ULONG n = sizeof(out);
    CK_ULONG st_len = 0;
    CK_OBJECT_HANDLE key = tk_dg_secret(CKK_GENERIC_SECRET, k, sizeof(k));

    (void)state;
    both[0] = 'a';
    memcpy(both + 1, k, sizeof(k));
    tk_dg_digest(CKM_SHA3_256, both, sizeof(both), ref);
    assert_int_equal(tk_dg_init(s, CKM_SHA3_256), CKR_OK);
    assert_int_equal(th.f->C_DigestUpdate(s, (CK_BYTE_PTR) "a", 1), CKR_OK);
    assert_int_equal(th.f->C_DigestKey(s, key), CKR_OK);
    /* Key bytes went in: the state must not leave the token. */
    assert_int_equal(th.f->C_GetOperationState(s, NULL, &st_len), CKR_STATE_UNSAVEABLE);
    assert_int_equal(th.f->C_DigestFinal(s, out, &n), CKR_OK);
    assert_memory_equal(out, ref, 32);
    assert_int_equal(th.f->C_DestroyObject(s, key), CKR_OK);
    assert_int_equal(th.f->C_CloseSession(s), CKR_OK);
}

/* Save mid-way in one session, resume in another. */
static void
test_operation_state(void **state)
{
    CK_SESSION_HANDLE a = tk_dg_session;
    CK_SESSION_HANDLE b = th_open(tk_dg_slot, 0);
    static const char msg[] = "The quick brown fox jumps over the lazy dog, twice over.";
    uint8_t ref[64];
    uint8_t out[64];
    CK_BYTE *st;
    CK_ULONG st_len = 0;
    CK_ULONG n = sizeof(out);

    (void)state;
    tk_dg_digest(CKM_SHA512_256, (const uint8_t *)msg, sizeof(msg) - 1, ref);
    assert_int_equal(tk_dg_init(a, CKM_SHA512_256), CKR_OK);
    assert_int_equal(th.f->C_DigestUpdate(a, (CK_BYTE_PTR)msg, 10), CKR_OK);
    assert_int_equal(th.f->C_GetOperationState(a, NULL, &st_len), CKR_OK);
    st = malloc(st_len);
    assert_non_null(st);
    assert_int_equal(th.f->C_GetOperationState(a, st, &st_len), CKR_OK);

    assert_int_equal(th.f->C_SetOperationState(b, st, st_len, CK_INVALID_HANDLE,
                                               CK_INVALID_HANDLE),
                     CKR_OK);
    assert_int_equal(th.f->C_DigestUpdate(b, (CK_BYTE_PTR)msg + 10, sizeof(msg) - 11), CKR_OK);
    assert_int_equal(th.f->C_DigestFinal(b, out, &n), CKR_OK);
    assert_int_equal(n, 32);
    assert_memory_equal(out, ref, 32);

    /* The first session goes on unaffected. */
    n = sizeof(out);
    assert_int_equal(th.f->C_DigestUpdate(a, (CK_BYTE_PTR)msg + 10, sizeof(msg) - 11), CKR_OK);
    assert_int_equal(th.f->C_DigestFinal(a, out, &n), CKR_OK);
    assert_memory_equal(out, ref, 32);

    st[0] ^= 0xff;
    assert_int_equal(th.f->C_SetOperationState(b, st, st_len, CK_INVALID_HANDLE,
                                               CK_INVALID_HANDLE),
                     CKR_SAVED_STATE_INVALID);
    free(st);
    assert_int_equal(th.f->C_CloseSession(b), CKR_OK);
}

/* A MAC's saved state holds no key: the restoring session names it. */
static void
test_mac_operation_state(void **state)
{
    CK_SESSION_HANDLE a = tk_dg_session;
    CK_SESSION_HANDLE b = th_open(tk_dg_slot, 0);
    static const uint8_t k[24] = {9, 8, 7};
    CK_OBJECT_HANDLE key = tk_dg_secret(CKK_SHA256_HMAC, k, sizeof(k));
    CK_MECHANISM m = {CKM_SHA256_HMAC, NULL, 0};
    uint8_t ref[32];
    uint8_t tag[32];
    CK_BYTE st[256];
    CK_ULONG st_len = sizeof(st);
    CK_ULONG n = sizeof(ref);

    (void)state;
    assert_int_equal(th.f->C_SignInit(a, &m, key), CKR_OK);
    assert_int_equal(th.f->C_Sign(a, (CK_BYTE_PTR) "one two", 7, ref, &n), CKR_OK);
    assert_int_equal(th.f->C_SignInit(a, &m, key), CKR_OK);
    assert_int_equal(th.f->C_SignUpdate(a, (CK_BYTE_PTR) "one ", 4), CKR_OK);
    assert_int_equal(th.f->C_GetOperationState(a, st, &st_len), CKR_OK);
    assert_int_equal(th.f->C_SetOperationState(b, st, st_len, CK_INVALID_HANDLE,
                                               CK_INVALID_HANDLE),
                     CKR_KEY_NEEDED);
    assert_int_equal(th.f->C_SetOperationState(b, st, st_len, CK_INVALID_HANDLE, key), CKR_OK);
    assert_int_equal(th.f->C_SignUpdate(b, (CK_BYTE_PTR) "two", 3), CKR_OK);
    n = sizeof(tag);
    assert_int_equal(th.f->C_SignFinal(b, tag, &n), CKR_OK);
    assert_memory_equal(tag, ref, 32);
    n = sizeof(tag);
    assert_int_equal(th.f->C_SignFinal(a, tag, &n), CKR_OK);
    assert_int_equal(th.f->C_CloseSession(b), CKR_OK);
    assert_int_equal(th.f->C_DestroyObject(a, key), CKR_OK);
}

static void
test_mechanism_list_and_info(void **state)
{
    CK_MECHANISM_TYPE list[512];
    CK_ULONG n = 512;
    CK_MECHANISM_INFO info;
    static const CK_MECHANISM_TYPE want[] = {
        CKM_SHA_1,         CKM_SHA256,           CKM_SHA3_512,        CKM_SHA512_224,
        CKM_SHA256_HMAC,   CKM_SHA3_256_HMAC_GENERAL, CKM_AES_CMAC,   CKM_AES_CMAC_GENERAL,
        CKM_GENERIC_SECRET_KEY_GEN, CKM_SHA384_KEY_GEN,
    };

    (void)state;
    assert_int_equal(th.f->C_GetMechanismList(tk_dg_slot, list, &n), CKR_OK);
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        int found = 0;
        for (CK_ULONG j = 0; j < n; j++) {
            found |= list[j] == want[i];
        }
        assert_true(found);
    }
    assert_int_equal(th.f->C_GetMechanismInfo(tk_dg_slot, CKM_SHA256, &info), CKR_OK);
    assert_true(info.flags & CKF_DIGEST);
    assert_int_equal(th.f->C_GetMechanismInfo(tk_dg_slot, CKM_AES_CMAC, &info), CKR_OK);
    assert_true((info.flags & (CKF_SIGN | CKF_VERIFY)) == (CKF_SIGN | CKF_VERIFY));
    assert_int_equal(info.ulMinKeySize, 16);
    assert_int_equal(info.ulMaxKeySize, 32);
    assert_int_equal(th.f->C_GetMechanismInfo(tk_dg_slot, CKM_GENERIC_SECRET_KEY_GEN, &info),
                     CKR_OK);
    assert_true(info.flags & CKF_GENERATE);
}

static CK_RV
tk_dg_generate(CK_MECHANISM_TYPE mech, CK_ULONG len, CK_OBJECT_HANDLE *h)
{
    CK_MECHANISM m = {mech, NULL, 0};
    CK_BBOOL yes = CK_TRUE;
    CK_BBOOL no = CK_FALSE;
    CK_ATTRIBUTE t[] = {
        {CKA_VALUE_LEN, &len, sizeof(len)},
        {CKA_TOKEN, &no, sizeof(no)},
        {CKA_SIGN, &yes, sizeof(yes)},
        {CKA_VERIFY, &yes, sizeof(yes)},
    };

    return th.f->C_GenerateKey(tk_dg_session, &m, t, 4, h);
}

/* Generated keys sign and verify; their attributes say what they are. */
static void
test_key_generation(void **state)
{
    CK_SESSION_HANDLE s = tk_dg_session;
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
    CK_KEY_TYPE type = 0;
    CK_ULONG vlen = 0;
    CK_ATTRIBUTE q[] = {
        {CKA_KEY_TYPE, &type, sizeof(type)},
        {CKA_VALUE_LEN, &vlen, sizeof(vlen)},
    };
    CK_MECHANISM m = {CKM_SHA384_HMAC, NULL, 0};
    uint8_t tag[48];
    CK_ULONG n = sizeof(tag);

    (void)state;
    assert_int_equal(tk_dg_generate(CKM_GENERIC_SECRET_KEY_GEN, 40, &h), CKR_OK);
    assert_int_equal(th.f->C_GetAttributeValue(s, h, q, 2), CKR_OK);
    assert_int_equal(type, CKK_GENERIC_SECRET);
    assert_int_equal(vlen, 40);
    assert_int_equal(th.f->C_SignInit(s, &m, h), CKR_OK);
    assert_int_equal(th.f->C_Sign(s, (CK_BYTE_PTR) "msg", 3, tag, &n), CKR_OK);
    assert_int_equal(th.f->C_VerifyInit(s, &m, h), CKR_OK);
    assert_int_equal(th.f->C_Verify(s, (CK_BYTE_PTR) "msg", 3, tag, n), CKR_OK);
    assert_int_equal(th.f->C_DestroyObject(s, h), CKR_OK);

    assert_int_equal(tk_dg_generate(CKM_SHA384_KEY_GEN, 48, &h), CKR_OK);
    assert_int_equal(th.f->C_GetAttributeValue(s, h, q, 2), CKR_OK);
    assert_int_equal(type, CKK_SHA384_HMAC);
    assert_int_equal(vlen, 48);
    n = sizeof(tag);
    assert_int_equal(th.f->C_SignInit(s, &m, h), CKR_OK);
    assert_int_equal(th.f->C_Sign(s, (CK_BYTE_PTR) "msg", 3, tag, &n), CKR_OK);
    /* A SHA-384 HMAC key is not a SHA-256 HMAC key. */
    m.mechanism = CKM_SHA256_HMAC;
    assert_int_equal(th.f->C_SignInit(s, &m, h), CKR_KEY_TYPE_INCONSISTENT);
    assert_int_equal(th.f->C_DestroyObject(s, h), CKR_OK);

    assert_int_equal(tk_dg_generate(CKM_GENERIC_SECRET_KEY_GEN, 0, &h), CKR_KEY_SIZE_RANGE);
}

static void
test_mac_refusals(void **state)
{
    CK_SESSION_HANDLE s = tk_dg_session;
    static const uint8_t k[32] = {7};
    CK_OBJECT_HANDLE aes = tk_dg_secret(CKK_AES, k, 32);
    CK_OBJECT_HANDLE gen = tk_dg_secret(CKK_GENERIC_SECRET, k, 32);
    CK_ULONG len = 17;
    CK_MECHANISM m = {CKM_AES_CMAC_GENERAL, &len, sizeof(len)};
    uint8_t tag[16];
    CK_ULONG n = sizeof(tag);

    (void)state;
    assert_int_equal(th.f->C_SignInit(s, &m, aes), CKR_MECHANISM_PARAM_INVALID);
    len = 8;
    assert_int_equal(th.f->C_SignInit(s, &m, gen), CKR_KEY_TYPE_INCONSISTENT);
    assert_int_equal(th.f->C_SignInit(s, &m, aes), CKR_OK);
    assert_int_equal(th.f->C_Sign(s, (CK_BYTE_PTR) "m", 1, tag, &n), CKR_OK);
    assert_int_equal(n, 8);
    assert_int_equal(th.f->C_VerifyInit(s, &m, aes), CKR_OK);
    assert_int_equal(th.f->C_Verify(s, (CK_BYTE_PTR) "m", 1, tag, 7), CKR_SIGNATURE_LEN_RANGE);
    assert_int_equal(th.f->C_VerifyInit(s, &m, aes), CKR_OK);
    tag[0] ^= 1;
    assert_int_equal(th.f->C_Verify(s, (CK_BYTE_PTR) "m", 1, tag, 8), CKR_SIGNATURE_INVALID);
    m.mechanism = CKM_SHA256_HMAC;
    m.pParameter = NULL;
    m.ulParameterLen = 0;
    assert_int_equal(th.f->C_SignInit(s, &m, aes), CKR_KEY_TYPE_INCONSISTENT);
    assert_int_equal(th.f->C_DestroyObject(s, aes), CKR_OK);
    assert_int_equal(th.f->C_DestroyObject(s, gen), CKR_OK);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_digest_known_answers),
        cmocka_unit_test(test_digest_short_buffer),
        cmocka_unit_test(test_digest_key),
        cmocka_unit_test(test_operation_state),
        cmocka_unit_test(test_mac_operation_state),
        cmocka_unit_test(test_mechanism_list_and_info),
        cmocka_unit_test(test_key_generation),
        cmocka_unit_test(test_mac_refusals),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
