/*
 * Wycheproof HMAC and AES-CMAC vectors through the module's function list:
 * each key becomes a session object (C_CreateObject), each case is signed
 * and verified. Valid cases must produce and accept the tag; invalid ones
 * (modified tags) must fail C_Verify with CKR_SIGNATURE_INVALID; keys of a
 * size AES does not have must be refused by C_CreateObject or C_SignInit.
 *
 * Tags shorter than the full MAC use the _GENERAL mechanism with the tag
 * length as its CK_MAC_GENERAL_PARAMS.
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

#define TK_WP_MAX 1024

typedef struct {
    const char *file;
    CK_MECHANISM_TYPE full;     /* the full-length mechanism */
    CK_MECHANISM_TYPE general;  /* the _GENERAL form */
    CK_KEY_TYPE own_type;       /* CKK_<hash>_HMAC, or CKK_AES */
    CK_ULONG full_len;
    CK_ULONG count;             /* expected number of test cases */
} tk_wp_file;

typedef struct {
    uint8_t key[TK_WP_MAX];
    size_t key_len;
    uint8_t msg[TK_WP_MAX];
    size_t msg_len;
    uint8_t tag[TK_WP_MAX];
    size_t tag_len;
    int valid;
    int bad_key_size;
    long id;
} tk_wp_case;

static CK_SESSION_HANDLE tk_wp_session;

static int
setup(void **state)
{
    CK_SLOT_ID slot;

    (void)state;
    th_setup(NULL);
    slot = th_make_token("wycheproof-mac");
    tk_wp_session = th_open(slot, 1);
    assert_int_equal(th.f->C_Login(tk_wp_session, CKU_USER, (CK_UTF8CHAR_PTR)TH_USER_PIN,
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

static CK_OBJECT_HANDLE
tk_wp_key(CK_KEY_TYPE type, const tk_wp_case *c, CK_RV *rv)
{
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_BBOOL yes = CK_TRUE;
    CK_BBOOL no = CK_FALSE;
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
    CK_ATTRIBUTE t[] = {
        {CKA_CLASS, &cls, sizeof(cls)},
        {CKA_KEY_TYPE, &type, sizeof(type)},
        {CKA_TOKEN, &no, sizeof(no)},
        {CKA_SIGN, &yes, sizeof(yes)},
        {CKA_VERIFY, &yes, sizeof(yes)},
        {CKA_VALUE, (void *)c->key, c->key_len},
    };

    *rv = th.f->C_CreateObject(tk_wp_session, t, sizeof(t) / sizeof(t[0]), &h);
    return h;
}

/* Sign in one part, or in two when split; returns the C_Sign* result. */
static CK_RV
tk_wp_sign(CK_MECHANISM *m, CK_OBJECT_HANDLE key, const tk_wp_case *c, int split,
           uint8_t *out, CK_ULONG *out_len)
{
    CK_SESSION_HANDLE s = tk_wp_session;
    CK_ULONG half = c->msg_len / 2;
    CK_RV rv = th.f->C_SignInit(s, m, key);

    if (rv != CKR_OK) {
        return rv;
    }
    if (!split) {
        return th.f->C_Sign(s, (CK_BYTE_PTR)c->msg, c->msg_len, out, out_len);
    }
    rv = th.f->C_SignUpdate(s, (CK_BYTE_PTR)c->msg, half);
    if (rv == CKR_OK) {
        rv = th.f->C_SignUpdate(s, (CK_BYTE_PTR)c->msg + half, c->msg_len - half);
    }
    if (rv == CKR_OK) {
        rv = th.f->C_SignFinal(s, out, out_len);
    }
    return rv;
}

static CK_RV
tk_wp_verify(CK_MECHANISM *m, CK_OBJECT_HANDLE key, const tk_wp_case *c)
{
    CK_RV rv = th.f->C_VerifyInit(tk_wp_session, m, key);

    if (rv != CKR_OK) {
        return rv;
    }
    return th.f->C_Verify(tk_wp_session, (CK_BYTE_PTR)c->msg, c->msg_len, (CK_BYTE_PTR)c->tag,
                          c->tag_len);
}

/* 3.2's C_VerifySignature*: the tag is given at init. */
static CK_RV
tk_wp_verify_signature(CK_MECHANISM *m, CK_OBJECT_HANDLE key, const tk_wp_case *c)
{
    CK_RV rv = th.f->C_VerifySignatureInit(tk_wp_session, m, key, (CK_BYTE_PTR)c->tag,
                                           c->tag_len);

    if (rv != CKR_OK) {
        return rv;
    }
    return th.f->C_VerifySignature(tk_wp_session, (CK_BYTE_PTR)c->msg, c->msg_len);
}

/* Run one case; 1 when the token behaved as the case requires. */
static int
tk_wp_run_case(const tk_wp_file *wf, const tk_wp_case *c)
{
    CK_ULONG glen = c->tag_len;
    CK_MECHANISM m = {wf->full, NULL, 0};
    /* Every other case uses the dedicated HMAC key type. */
    CK_KEY_TYPE type = wf->own_type == CKK_AES || c->id % 2 ? wf->own_type : CKK_GENERIC_SECRET;
    uint8_t out[TK_WP_MAX];
    CK_ULONG out_len = sizeof(out);
    CK_OBJECT_HANDLE key;
    CK_RV rv;
    int ok = 1;

    if (c->tag_len != wf->full_len) {
        m.mechanism = wf->general;
        m.pParameter = &glen;
        m.ulParameterLen = sizeof(glen);
    }
    key = tk_wp_key(type, c, &rv);
    if (c->bad_key_size) {
        if (rv == CKR_OK) {
            rv = th.f->C_SignInit(tk_wp_session, &m, key);
            ok = rv == CKR_KEY_SIZE_RANGE;
            th.f->C_DestroyObject(tk_wp_session, key);
        } else {
            ok = rv == CKR_ATTRIBUTE_VALUE_INVALID;
        }
        return ok;
    }
    if (rv != CKR_OK) {
        print_error("case %ld: C_CreateObject 0x%lx\n", c->id, rv);
        return 0;
    }
    rv = tk_wp_sign(&m, key, c, (int)(c->id % 3 == 0), out, &out_len);
    if (rv != CKR_OK || out_len != c->tag_len) {
        ok = 0;
    } else if (c->valid != (memcmp(out, c->tag, c->tag_len) == 0)) {
        ok = 0;
    }
    rv = tk_wp_verify(&m, key, c);
    if (rv != (c->valid ? CKR_OK : CKR_SIGNATURE_INVALID)) {
        ok = 0;
    }
    rv = tk_wp_verify_signature(&m, key, c);
    if (rv != (c->valid ? CKR_OK : CKR_SIGNATURE_INVALID)) {
        ok = 0;
    }
    if (!ok) {
        print_error("case %ld (%s) failed: last rv 0x%lx\n", c->id, c->valid ? "valid" : "invalid",
                    rv);
    }
    assert_int_equal(th.f->C_DestroyObject(tk_wp_session, key), CKR_OK);
    return ok;
}

static void
tk_wp_read_case(const cJSON *t, tk_wp_case *c)
{
    memset(c, 0, sizeof(*c));
    c->id = tk_tv_tcid(t);
    c->key_len = tk_tv_unhex(tk_tv_str_req(t, "key"), c->key, TK_WP_MAX);
    c->msg_len = tk_tv_unhex(tk_tv_str_req(t, "msg"), c->msg, TK_WP_MAX);
    c->tag_len = tk_tv_unhex(tk_tv_str_req(t, "tag"), c->tag, TK_WP_MAX);
    c->valid = tk_tv_result_is(t, "valid");
    c->bad_key_size = tk_tv_has_flag(t, "InvalidKeySize");
}

static void
tk_wp_run_file(const tk_wp_file *wf)
{
    cJSON *root = tk_tv_wycheproof(wf->file);
    const cJSON *group;
    const cJSON *t;
    static tk_wp_case c;
    CK_ULONG total = 0;
    CK_ULONG failed = 0;

    cJSON_ArrayForEach(group, tk_tv_groups(root))
    {
        cJSON_ArrayForEach(t, tk_tv_cases(group))
        {
            tk_wp_read_case(t, &c);
            total++;
            failed += !tk_wp_run_case(wf, &c);
        }
    }
    cJSON_Delete(root);
    print_message("%s: %lu cases, %lu failed\n", wf->file, total, failed);
    assert_int_equal(total, wf->count);
    assert_int_equal(failed, 0);
}

static void
test_hmac_sha1(void **state)
{
    static const tk_wp_file wf = {"hmac_sha1_test.json", CKM_SHA_1_HMAC, CKM_SHA_1_HMAC_GENERAL,
                                  CKK_SHA_1_HMAC, 20, 170};

    (void)state;
    tk_wp_run_file(&wf);
}

static void
test_hmac_sha256(void **state)
{
    static const tk_wp_file wf = {"hmac_sha256_test.json", CKM_SHA256_HMAC,
                                  CKM_SHA256_HMAC_GENERAL, CKK_SHA256_HMAC, 32, 174};

    (void)state;
    tk_wp_run_file(&wf);
}

static void
test_hmac_sha384(void **state)
{
    static const tk_wp_file wf = {"hmac_sha384_test.json", CKM_SHA384_HMAC,
                                  CKM_SHA384_HMAC_GENERAL, CKK_SHA384_HMAC, 48, 174};

    (void)state;
    tk_wp_run_file(&wf);
}

static void
test_hmac_sha512(void **state)
{
    static const tk_wp_file wf = {"hmac_sha512_test.json", CKM_SHA512_HMAC,
                                  CKM_SHA512_HMAC_GENERAL, CKK_SHA512_HMAC, 64, 174};

    (void)state;
    tk_wp_run_file(&wf);
}

static void
test_hmac_sha3_256(void **state)
{
    static const tk_wp_file wf = {"hmac_sha3_256_test.json", CKM_SHA3_256_HMAC,
                                  CKM_SHA3_256_HMAC_GENERAL, CKK_SHA3_256_HMAC, 32, 174};

    (void)state;
    tk_wp_run_file(&wf);
}

static void
test_aes_cmac(void **state)
{
    static const tk_wp_file wf = {"aes_cmac_test.json", CKM_AES_CMAC, CKM_AES_CMAC_GENERAL,
                                  CKK_AES, 16, 311};

    (void)state;
    tk_wp_run_file(&wf);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hmac_sha1),   cmocka_unit_test(test_hmac_sha256),
        cmocka_unit_test(test_hmac_sha384), cmocka_unit_test(test_hmac_sha512),
        cmocka_unit_test(test_hmac_sha3_256), cmocka_unit_test(test_aes_cmac),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
