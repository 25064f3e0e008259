/*
 * AES-GCM, AES-CCM, AES-CBC-PAD, AES-KW, AES-KWP and ChaCha20-Poly1305
 * against Project Wycheproof (tests/vectors/wycheproof), through the
 * module's function list as applications use it: keys made with
 * C_CreateObject, every case run with C_Encrypt/C_Decrypt (and for KW/KWP
 * also C_WrapKey/C_UnwrapKey), GCM also with the message-based API, and
 * multi part checked against single part.
 *
 * Expected answers: a valid case must give its text; an invalid one must
 * fail with its own code: a bad IV, nonce or tag size is refused at init
 * (CKR_MECHANISM_PARAM_INVALID), a modified tag, IV or padding with
 * CKR_ENCRYPTED_DATA_INVALID (CKR_WRAPPED_KEY_INVALID when unwrapping,
 * CKR_AEAD_DECRYPT_FAILED from C_DecryptMessage),
 * a wrong length with the *_LEN_RANGE code of the function. Deviations
 * that the token chooses, each counted and printed:
 *  - "acceptable" KW cases (wrapping one 8-byte semiblock) are refused,
 *    as RFC 3394 asks for two semiblocks at least;
 *  - the message-based API takes GCM IVs of at most 128 bytes, so the
 *    three valid cases with 257-byte IVs (tcId 268, 272, 276) run only
 *    through C_Encrypt/C_Decrypt, where they must pass.
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

typedef struct {
    int valid;
    int invalid;
    int refused_acceptable;
    int unsupported;
    int long_iv; /* valid GCM cases with IVs over 128 bytes */
} tk_count;

/* One test case, decoded. */
typedef struct {
    const cJSON *json;
    uint8_t *key, *iv, *aad, *msg, *ct, *tag;
    size_t key_len, iv_len, aad_len, msg_len, ct_len, tag_len;
    const char *result;
} tk_case;

static int
setup(void **state)
{
    CK_SLOT_ID slot;

    (void)state;
    th_setup(NULL);
    slot = th_make_token("cipher");
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

/* ---- JSON ---- */

static void
tk_case_load(const cJSON *t, tk_case *c)
{
    c->json = t;
    c->key = tk_tv_hex(t, "key", &c->key_len);
    c->iv = tk_tv_hex(t, "iv", &c->iv_len);
    c->aad = tk_tv_hex(t, "aad", &c->aad_len);
    c->msg = tk_tv_hex(t, "msg", &c->msg_len);
    c->ct = tk_tv_hex(t, "ct", &c->ct_len);
    c->tag = tk_tv_hex(t, "tag", &c->tag_len);
    c->result = tk_tv_result(t);
}

static void
tk_case_free(tk_case *c)
{
    free(c->key), free(c->iv), free(c->aad), free(c->msg), free(c->ct), free(c->tag);
}

/* ---- keys ---- */

static CK_OBJECT_HANDLE
tk_key(CK_KEY_TYPE type, const uint8_t *val, size_t len)
{
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_BBOOL yes = CK_TRUE;
    CK_BBOOL no = CK_FALSE;
    CK_ATTRIBUTE t[] = {
        {CKA_CLASS, &cls, sizeof(cls)},      {CKA_KEY_TYPE, &type, sizeof(type)},
        {CKA_VALUE, (void *)val, len},       {CKA_TOKEN, &no, sizeof(no)},
        {CKA_ENCRYPT, &yes, sizeof(yes)},    {CKA_DECRYPT, &yes, sizeof(yes)},
        {CKA_WRAP, &yes, sizeof(yes)},       {CKA_UNWRAP, &yes, sizeof(yes)},
        {CKA_EXTRACTABLE, &yes, sizeof(yes)}, {CKA_SENSITIVE, &no, sizeof(no)},
    };
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;

    assert_int_equal(th.f->C_CreateObject(tk_s, t, sizeof(t) / sizeof(t[0]), &h), CKR_OK);
    return h;
}

static void
tk_drop(CK_OBJECT_HANDLE h)
{
    assert_int_equal(th.f->C_DestroyObject(tk_s, h), CKR_OK);
}

/* ---- one-call and multi-part runs ---- */

static CK_RV
tk_encrypt(CK_MECHANISM *m, CK_OBJECT_HANDLE k, const uint8_t *in, size_t len, uint8_t *out,
           CK_ULONG *out_len)
{
    CK_RV rv = th.f->C_EncryptInit(tk_s, m, k);

    if (rv != CKR_OK) {
        return rv;
    }
    return th.f->C_Encrypt(tk_s, (CK_BYTE_PTR)in, len, out, out_len);
}

static CK_RV
tk_decrypt(CK_MECHANISM *m, CK_OBJECT_HANDLE k, const uint8_t *in, size_t len, uint8_t *out,
           CK_ULONG *out_len)
{
    CK_RV rv = th.f->C_DecryptInit(tk_s, m, k);

    if (rv != CKR_OK) {
        return rv;
    }
    return th.f->C_Decrypt(tk_s, (CK_BYTE_PTR)in, len, out, out_len);
}

/* Update in two parts (split at `cut`), then final. */
static CK_RV
tk_parts(int enc, CK_MECHANISM *m, CK_OBJECT_HANDLE k, const uint8_t *in, size_t len,
         size_t cut, uint8_t *out, CK_ULONG *out_len)
{
    CK_RV rv = enc ? th.f->C_EncryptInit(tk_s, m, k) : th.f->C_DecryptInit(tk_s, m, k);
    CK_ULONG cap = *out_len;
    CK_ULONG done = 0;
    CK_ULONG n;
    size_t piece[2] = {cut < len ? cut : len, len - (cut < len ? cut : len)};
    const uint8_t *p = in;

    for (int i = 0; i < 2 && rv == CKR_OK; i++) {
        n = cap - done;
        rv = enc ? th.f->C_EncryptUpdate(tk_s, (CK_BYTE_PTR)p, piece[i], out + done, &n)
                 : th.f->C_DecryptUpdate(tk_s, (CK_BYTE_PTR)p, piece[i], out + done, &n);
        p += piece[i];
        done += rv == CKR_OK ? n : 0;
    }
    if (rv == CKR_OK) {
        n = cap - done;
        rv = enc ? th.f->C_EncryptFinal(tk_s, out + done, &n)
                 : th.f->C_DecryptFinal(tk_s, out + done, &n);
        done += rv == CKR_OK ? n : 0;
    }
    *out_len = done;
    return rv;
}

/* ---- AEAD ---- */

typedef enum { TK_GCM, TK_CCM, TK_CHACHA } tk_aead;

typedef union {
    CK_GCM_PARAMS gcm;
    CK_CCM_PARAMS ccm;
    CK_SALSA20_CHACHA20_POLY1305_PARAMS cc;
} tk_aead_params;

static void
tk_aead_mech(tk_aead a, const tk_case *c, tk_aead_params *p, CK_MECHANISM *m)
{
    memset(p, 0, sizeof(*p));
    if (a == TK_GCM) {
        p->gcm = (CK_GCM_PARAMS){c->iv, c->iv_len, 8 * c->iv_len, c->aad, c->aad_len,
                                 8 * c->tag_len};
        *m = (CK_MECHANISM){CKM_AES_GCM, &p->gcm, sizeof(p->gcm)};
    } else if (a == TK_CCM) {
        p->ccm = (CK_CCM_PARAMS){c->msg_len, c->iv, c->iv_len, c->aad, c->aad_len, c->tag_len};
        *m = (CK_MECHANISM){CKM_AES_CCM, &p->ccm, sizeof(p->ccm)};
    } else {
        /* ulNonceLen counts bits [PKCS11 3.2 §6.61]. */
        p->cc = (CK_SALSA20_CHACHA20_POLY1305_PARAMS){c->iv, 8 * c->iv_len, c->aad, c->aad_len};
        *m = (CK_MECHANISM){CKM_CHACHA20_POLY1305, &p->cc, sizeof(p->cc)};
    }
}

/* A valid case: both directions, one call and in parts. */
static void
tk_aead_valid(CK_MECHANISM *m, CK_OBJECT_HANDLE k, const tk_case *c, const uint8_t *ctt)
{
    size_t full = c->ct_len + c->tag_len;
    uint8_t *out = malloc(full + 1);
    CK_ULONG n = full;

    assert_int_equal(tk_encrypt(m, k, c->msg, c->msg_len, out, &n), CKR_OK);
    assert_int_equal(n, full);
    assert_memory_equal(out, ctt, full);
    n = full;
    assert_int_equal(tk_decrypt(m, k, ctt, full, out, &n), CKR_OK);
    assert_int_equal(n, c->msg_len);
    assert_memory_equal(out, c->msg, c->msg_len);
    n = full;
    assert_int_equal(tk_parts(1, m, k, c->msg, c->msg_len, c->msg_len / 3, out, &n), CKR_OK);
    assert_int_equal(n, full);
    assert_memory_equal(out, ctt, full);
    n = full;
    assert_int_equal(tk_parts(0, m, k, ctt, full, full / 2, out, &n), CKR_OK);
    assert_int_equal(n, c->msg_len);
    assert_memory_equal(out, c->msg, c->msg_len);
    free(out);
}

/* The size flags that a token refuses at init. */
static int
tk_aead_bad_size(tk_aead a, const tk_case *c)
{
    return tk_tv_has_flag(c->json, "ZeroLengthIv") ||
           tk_tv_has_flag(c->json, "InvalidNonceSize") ||
           tk_tv_has_flag(c->json, "InvalidTagSize") ||
           tk_tv_has_flag(c->json, "InsecureTagSize");
}

static void
tk_aead_case(tk_aead a, CK_KEY_TYPE kt, const tk_case *c, tk_count *cnt)
{
    tk_aead_params p;
    CK_MECHANISM m;
    CK_OBJECT_HANDLE k = tk_key(kt, c->key, c->key_len);
    size_t full = c->ct_len + c->tag_len;
    uint8_t *ctt = malloc(full + 1);
    uint8_t *out = malloc(full + 1);
    CK_ULONG n = full;
    int valid = strcmp(c->result, "valid") == 0;

    memcpy(ctt, c->ct, c->ct_len);
    memcpy(ctt + c->ct_len, c->tag, c->tag_len);
    tk_aead_mech(a, c, &p, &m);
    if (tk_aead_bad_size(a, c)) {
        if (valid) {
            cnt->unsupported++;
            printf("# tcId %d: valid, refused at init (IV of %zu bytes)\n",
                   tk_tv_tcid(c->json), c->iv_len);
        } else {
            cnt->invalid++;
        }
        assert_int_equal(th.f->C_EncryptInit(tk_s, &m, k), CKR_MECHANISM_PARAM_INVALID);
        assert_int_equal(th.f->C_DecryptInit(tk_s, &m, k), CKR_MECHANISM_PARAM_INVALID);
    } else if (valid) {
        tk_aead_valid(&m, k, c, ctt);
        cnt->valid++;
        cnt->long_iv += a == TK_GCM && c->iv_len > 128;
    } else {
        assert_true(tk_tv_has_flag(c->json, "ModifiedTag"));
        assert_int_equal(tk_decrypt(&m, k, ctt, full, out, &n), CKR_ENCRYPTED_DATA_INVALID);
        n = full;
        assert_int_equal(tk_parts(0, &m, k, ctt, full, full / 2, out, &n),
                         CKR_ENCRYPTED_DATA_INVALID);
        assert_int_equal(n, 0); /* nothing released from the updates */
        cnt->invalid++;
    }
    tk_drop(k);
    free(ctt);
    free(out);
}

static void
tk_aead_file(const char *file, tk_aead a, CK_KEY_TYPE kt)
{
    cJSON *root = tk_tv_wycheproof(file);
    const cJSON *g;
    tk_count cnt = {0};

    cJSON_ArrayForEach(g, tk_tv_groups(root))
    {
        const cJSON *t;
        cJSON_ArrayForEach(t, tk_tv_cases(g))
        {
            tk_case c;
            tk_case_load(t, &c);
            tk_aead_case(a, kt, &c, &cnt);
            tk_case_free(&c);
        }
    }
    printf("# %s: %d valid (%d with IVs over 128 bytes), %d invalid, %d valid but "
           "unsupported\n",
           file, cnt.valid, cnt.long_iv, cnt.invalid, cnt.unsupported);
    assert_true(cnt.valid > 100);
    assert_int_equal(cnt.unsupported, 0);
    /* tcId 268, 272, 276: OpenSSL 3.0's GCM alone would refuse them. */
    assert_int_equal(cnt.long_iv, a == TK_GCM ? 3 : 0);
    cJSON_Delete(root);
}

static void
test_gcm(void **state)
{
    (void)state;
    tk_aead_file("aes_gcm_test.json", TK_GCM, CKK_AES);
}

static void
test_ccm(void **state)
{
    (void)state;
    tk_aead_file("aes_ccm_test.json", TK_CCM, CKK_AES);
}

static void
test_chacha20_poly1305(void **state)
{
    (void)state;
    tk_aead_file("chacha20_poly1305_test.json", TK_CHACHA, CKK_CHACHA20);
}

/* ---- message-based GCM ---- */

static void
tk_gcm_msg_case(const tk_case *c, tk_count *cnt)
{
    CK_MECHANISM m = {CKM_AES_GCM, NULL, 0};
    CK_OBJECT_HANDLE k = tk_key(CKK_AES, c->key, c->key_len);
    uint8_t iv[128];
    uint8_t tag[16];
    uint8_t *out = malloc(c->ct_len + 1);
    CK_GCM_MESSAGE_PARAMS p = {iv, c->iv_len, 0, CKG_NO_GENERATE, tag, 8 * c->tag_len};
    CK_ULONG n = c->ct_len;
    int valid = strcmp(c->result, "valid") == 0;

    memcpy(iv, c->iv, c->iv_len);
    if (valid) {
        assert_int_equal(th.f->C_MessageEncryptInit(tk_s, &m, k), CKR_OK);
        assert_int_equal(th.f->C_EncryptMessage(tk_s, &p, sizeof(p), c->aad, c->aad_len,
                                                c->msg, c->msg_len, out, &n),
                         CKR_OK);
        assert_int_equal(n, c->ct_len);
        assert_memory_equal(out, c->ct, c->ct_len);
        assert_memory_equal(tag, c->tag, c->tag_len);
        assert_int_equal(th.f->C_MessageEncryptFinal(tk_s), CKR_OK);
        cnt->valid++;
    } else {
        cnt->invalid++;
    }
    memcpy(tag, c->tag, c->tag_len);
    n = c->ct_len;
    assert_int_equal(th.f->C_MessageDecryptInit(tk_s, &m, k), CKR_OK);
    assert_int_equal(th.f->C_DecryptMessage(tk_s, &p, sizeof(p), c->aad, c->aad_len, c->ct,
                                            c->ct_len, out, &n),
                     valid ? CKR_OK : CKR_AEAD_DECRYPT_FAILED);
    if (valid) {
        assert_memory_equal(out, c->msg, c->msg_len);
    }
    /* A failed message does not end the operation [PKCS11 3.2 §5.11]. */
    assert_int_equal(th.f->C_MessageDecryptFinal(tk_s), CKR_OK);
    tk_drop(k);
    free(out);
}

static void
test_gcm_message(void **state)
{
    cJSON *root = tk_tv_wycheproof("aes_gcm_test.json");
    const cJSON *g;
    tk_count cnt = {0};

    (void)state;
    cJSON_ArrayForEach(g, tk_tv_groups(root))
    {
        const cJSON *t;
        cJSON_ArrayForEach(t, tk_tv_cases(g))
        {
            tk_case c;
            tk_case_load(t, &c);
            /* The message-based API keeps OpenSSL's 128-byte IV limit. */
            if (c.iv_len >= 1 && c.iv_len <= 128) {
                tk_gcm_msg_case(&c, &cnt);
            }
            tk_case_free(&c);
        }
    }
    printf("# aes_gcm_test.json, message API: %d valid, %d invalid\n", cnt.valid, cnt.invalid);
    assert_true(cnt.valid > 100);
    cJSON_Delete(root);
}

/* Generated IVs come back in the parameter, and decrypt with it. */
static void
test_gcm_message_generated_iv(void **state)
{
    static const uint8_t key[16] = {7};
    CK_MECHANISM m = {CKM_AES_GCM, NULL, 0};
    CK_OBJECT_HANDLE k = tk_key(CKK_AES, key, sizeof(key));
    uint8_t iv[12];
    uint8_t tag[16];
    uint8_t pt[64] = {1, 2, 3};
    uint8_t ct[64];
    uint8_t back[64];
    CK_GCM_MESSAGE_PARAMS p = {iv, 12, 32, CKG_GENERATE_COUNTER, tag, 128};
    CK_ULONG n;

    (void)state;
    memset(iv, 0xA5, sizeof(iv));
    assert_int_equal(th.f->C_MessageEncryptInit(tk_s, &m, k), CKR_OK);
    assert_int_equal(th.f->C_MessageDecryptInit(tk_s, &m, k), CKR_OK);
    for (uint8_t i = 0; i < 4; i++) {
        n = sizeof(ct);
        p.ivGenerator = CKG_GENERATE_COUNTER;
        assert_int_equal(
            th.f->C_EncryptMessage(tk_s, &p, sizeof(p), NULL, 0, pt, sizeof(pt), ct, &n),
            CKR_OK);
        assert_memory_equal(iv, "\xA5\xA5\xA5\xA5\0\0\0\0\0\0\0", 11);
        assert_int_equal(iv[11], i);
        n = sizeof(back);
        assert_int_equal(
            th.f->C_DecryptMessage(tk_s, &p, sizeof(p), NULL, 0, ct, sizeof(ct), back, &n),
            CKR_OK);
        assert_memory_equal(back, pt, sizeof(pt));
    }
    /* In parts: Begin, Next, Next with the end flag. */
    p.ivGenerator = CKG_GENERATE_RANDOM;
    assert_int_equal(th.f->C_EncryptMessageBegin(tk_s, &p, sizeof(p), NULL, 0), CKR_OK);
    n = 40;
    assert_int_equal(th.f->C_EncryptMessageNext(tk_s, &p, sizeof(p), pt, 40, ct, &n, 0),
                     CKR_OK);
    n = 24;
    assert_int_equal(th.f->C_EncryptMessageNext(tk_s, &p, sizeof(p), pt + 40, 24, ct + 40, &n,
                                                CKF_END_OF_MESSAGE),
                     CKR_OK);
    n = sizeof(back);
    assert_int_equal(
        th.f->C_DecryptMessage(tk_s, &p, sizeof(p), NULL, 0, ct, sizeof(ct), back, &n), CKR_OK);
    assert_memory_equal(back, pt, sizeof(pt));
    assert_int_equal(th.f->C_MessageEncryptFinal(tk_s), CKR_OK);
    assert_int_equal(th.f->C_MessageDecryptFinal(tk_s), CKR_OK);
    tk_drop(k);
}

/* ---- CBC-PAD ---- */

static void
test_cbc_pad(void **state)
{
    cJSON *root = tk_tv_wycheproof("aes_cbc_pkcs5_test.json");
    const cJSON *g;
    tk_count cnt = {0};

    (void)state;
    cJSON_ArrayForEach(g, tk_tv_groups(root))
    {
        const cJSON *t;
        cJSON_ArrayForEach(t, tk_tv_cases(g))
        {
            tk_case c;
            CK_MECHANISM m;
            CK_OBJECT_HANDLE k;
            uint8_t *out;
            CK_ULONG n;
            tk_case_load(t, &c);
            m = (CK_MECHANISM){CKM_AES_CBC_PAD, c.iv, c.iv_len};
            k = tk_key(CKK_AES, c.key, c.key_len);
            out = malloc(c.ct_len + c.msg_len + 32);
            n = c.ct_len + 32;
            if (strcmp(c.result, "valid") == 0) {
                assert_int_equal(tk_encrypt(&m, k, c.msg, c.msg_len, out, &n), CKR_OK);
                assert_int_equal(n, c.ct_len);
                assert_memory_equal(out, c.ct, c.ct_len);
                n = c.ct_len + 32;
                assert_int_equal(tk_parts(1, &m, k, c.msg, c.msg_len, 5, out, &n), CKR_OK);
                assert_memory_equal(out, c.ct, c.ct_len);
                n = c.ct_len + 32;
                assert_int_equal(tk_decrypt(&m, k, c.ct, c.ct_len, out, &n), CKR_OK);
                assert_int_equal(n, c.msg_len);
                assert_memory_equal(out, c.msg, c.msg_len);
                n = c.ct_len + 32;
                assert_int_equal(tk_parts(0, &m, k, c.ct, c.ct_len, 17, out, &n), CKR_OK);
                assert_int_equal(n, c.msg_len);
                assert_memory_equal(out, c.msg, c.msg_len);
                cnt.valid++;
            } else {
                CK_RV want = c.ct_len % 16 == 0 && c.ct_len > 0 ? CKR_ENCRYPTED_DATA_INVALID
                                                                : CKR_ENCRYPTED_DATA_LEN_RANGE;
                assert_int_equal(tk_decrypt(&m, k, c.ct, c.ct_len, out, &n), want);
                n = c.ct_len + 32;
                assert_int_equal(tk_parts(0, &m, k, c.ct, c.ct_len, 17, out, &n), want);
                cnt.invalid++;
            }
            tk_drop(k);
            free(out);
            tk_case_free(&c);
        }
    }
    printf("# aes_cbc_pkcs5_test.json: %d valid, %d invalid\n", cnt.valid, cnt.invalid);
    assert_true(cnt.valid > 50);
    cJSON_Delete(root);
}

/* ---- KW and KWP ---- */

static int
tk_kw_len_ok(int pad, int enc, size_t len)
{
    if (enc) {
        return pad ? len >= 1 : len >= 16 && len % 8 == 0;
    }
    return len % 8 == 0 && len >= (pad ? 16u : 24u);
}

/* C_WrapKey of a generic secret holding msg, and C_UnwrapKey back. */
static void
tk_kw_wrapkey(CK_MECHANISM *m, CK_OBJECT_HANDLE k, const tk_case *c)
{
    CK_OBJECT_HANDLE secret = tk_key(CKK_GENERIC_SECRET, c->msg, c->msg_len);
    CK_OBJECT_HANDLE back = CK_INVALID_HANDLE;
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_KEY_TYPE type = CKK_GENERIC_SECRET;
    CK_BBOOL no = CK_FALSE;
    CK_BBOOL yes = CK_TRUE;
    CK_ATTRIBUTE t[] = {{CKA_CLASS, &cls, sizeof(cls)},
                        {CKA_KEY_TYPE, &type, sizeof(type)},
                        {CKA_TOKEN, &no, sizeof(no)},
                        {CKA_SENSITIVE, &no, sizeof(no)},
                        {CKA_EXTRACTABLE, &yes, sizeof(yes)}};
    uint8_t *out = malloc(c->ct_len + 16);
    CK_ULONG n = 0;
    CK_ATTRIBUTE get = {CKA_VALUE, out, c->ct_len + 16};

    assert_int_equal(th.f->C_WrapKey(tk_s, m, k, secret, NULL, &n), CKR_OK);
    assert_int_equal(n, c->ct_len);
    assert_int_equal(th.f->C_WrapKey(tk_s, m, k, secret, out, &n), CKR_OK);
    assert_memory_equal(out, c->ct, c->ct_len);
    assert_int_equal(th.f->C_UnwrapKey(tk_s, m, k, c->ct, c->ct_len, t, 5, &back), CKR_OK);
    assert_int_equal(th.f->C_GetAttributeValue(tk_s, back, &get, 1), CKR_OK);
    assert_int_equal(get.ulValueLen, c->msg_len);
    assert_memory_equal(out, c->msg, c->msg_len);
    tk_drop(back);
    tk_drop(secret);
    free(out);
}

static void
tk_kw_case(int pad, const tk_case *c, tk_count *cnt)
{
    CK_MECHANISM m = {pad ? CKM_AES_KEY_WRAP_KWP : CKM_AES_KEY_WRAP, NULL, 0};
    CK_OBJECT_HANDLE k = tk_key(CKK_AES, c->key, c->key_len);
    uint8_t *out = malloc(c->ct_len + c->msg_len + 32);
    CK_ULONG n = c->ct_len + c->msg_len + 32;
    CK_OBJECT_HANDLE back = CK_INVALID_HANDLE;
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_KEY_TYPE type = CKK_GENERIC_SECRET;
    CK_ATTRIBUTE t[] = {{CKA_CLASS, &cls, sizeof(cls)}, {CKA_KEY_TYPE, &type, sizeof(type)}};

    if (strcmp(c->result, "valid") == 0) {
        assert_int_equal(tk_encrypt(&m, k, c->msg, c->msg_len, out, &n), CKR_OK);
        assert_int_equal(n, c->ct_len);
        assert_memory_equal(out, c->ct, c->ct_len);
        n = c->msg_len + 32;
        assert_int_equal(tk_decrypt(&m, k, c->ct, c->ct_len, out, &n), CKR_OK);
        assert_int_equal(n, c->msg_len);
        assert_memory_equal(out, c->msg, c->msg_len);
        tk_kw_wrapkey(&m, k, c);
        cnt->valid++;
    } else {
        if (strcmp(c->result, "acceptable") == 0) {
            cnt->refused_acceptable++;
            printf("# tcId %d: acceptable, refused (%s)\n", tk_tv_tcid(c->json),
                   "one semiblock; RFC 3394 needs two");
        } else {
            cnt->invalid++;
        }
        /* What cannot be wrapped is refused; what was not wrapped right
         * does not unwrap. */
        if (c->msg_len > 0 && c->ct_len == 0) {
            assert_false(tk_kw_len_ok(pad, 1, c->msg_len));
        }
        if (!tk_kw_len_ok(pad, 1, c->msg_len)) {
            assert_int_equal(tk_encrypt(&m, k, c->msg, c->msg_len, out, &n), CKR_DATA_LEN_RANGE);
        }
        n = c->ct_len + 32;
        if (tk_kw_len_ok(pad, 0, c->ct_len)) {
            assert_int_equal(tk_decrypt(&m, k, c->ct, c->ct_len, out, &n),
                             CKR_ENCRYPTED_DATA_INVALID);
            assert_int_equal(th.f->C_UnwrapKey(tk_s, &m, k, c->ct, c->ct_len, t, 2, &back),
                             CKR_WRAPPED_KEY_INVALID);
        } else {
            assert_int_equal(tk_decrypt(&m, k, c->ct, c->ct_len, out, &n),
                             CKR_ENCRYPTED_DATA_LEN_RANGE);
            if (c->ct_len > 0) {
                assert_int_equal(th.f->C_UnwrapKey(tk_s, &m, k, c->ct, c->ct_len, t, 2, &back),
                                 CKR_WRAPPED_KEY_LEN_RANGE);
            }
        }
    }
    tk_drop(k);
    free(out);
}

static void
tk_kw_file(const char *file, int pad)
{
    cJSON *root = tk_tv_wycheproof(file);
    const cJSON *g;
    tk_count cnt = {0};

    cJSON_ArrayForEach(g, tk_tv_groups(root))
    {
        const cJSON *t;
        cJSON_ArrayForEach(t, tk_tv_cases(g))
        {
            tk_case c;
            tk_case_load(t, &c);
            tk_kw_case(pad, &c, &cnt);
            tk_case_free(&c);
        }
    }
    printf("# %s: %d valid, %d invalid, %d acceptable refused\n", file, cnt.valid, cnt.invalid,
           cnt.refused_acceptable);
    assert_true(cnt.valid > 30);
    cJSON_Delete(root);
}

static void
test_kw(void **state)
{
    (void)state;
    tk_kw_file("aes_wrap_test.json", 0);
}

static void
test_kwp(void **state)
{
    (void)state;
    tk_kw_file("aes_kwp_test.json", 1);
}

/* ---- beyond Wycheproof: generated keys, every mode, wrap and derive ---- */

static CK_OBJECT_HANDLE
tk_generate(CK_MECHANISM_TYPE mech, CK_ULONG len)
{
    CK_MECHANISM m = {mech, NULL, 0};
    CK_BBOOL yes = CK_TRUE;
    CK_BBOOL no = CK_FALSE;
    CK_ATTRIBUTE t[] = {
        {CKA_TOKEN, &no, sizeof(no)},          {CKA_ENCRYPT, &yes, sizeof(yes)},
        {CKA_DECRYPT, &yes, sizeof(yes)},      {CKA_WRAP, &yes, sizeof(yes)},
        {CKA_UNWRAP, &yes, sizeof(yes)},       {CKA_DERIVE, &yes, sizeof(yes)},
        {CKA_EXTRACTABLE, &yes, sizeof(yes)},  {CKA_SENSITIVE, &no, sizeof(no)},
        {CKA_VALUE_LEN, &len, sizeof(len)},
    };
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;

    assert_int_equal(th.f->C_GenerateKey(tk_s, &m, t, sizeof(t) / sizeof(t[0]), &h), CKR_OK);
    return h;
}

/* The value of a non-sensitive key (len bytes expected). */
static void
tk_value(CK_OBJECT_HANDLE h, uint8_t *out, CK_ULONG len)
{
    CK_ATTRIBUTE a = {CKA_VALUE, out, len};

    assert_int_equal(th.f->C_GetAttributeValue(tk_s, h, &a, 1), CKR_OK);
    assert_int_equal(a.ulValueLen, len);
}

static void
test_modes_multipart(void **state)
{
    CK_OBJECT_HANDLE k = tk_generate(CKM_AES_KEY_GEN, 32);
    CK_OBJECT_HANDLE cc = tk_generate(CKM_CHACHA20_KEY_GEN, 32);
    uint8_t iv[16] = {9, 8, 7};
    uint8_t pt[100];
    uint8_t one[128];
    uint8_t parts[128];
    uint8_t back[128];
    CK_AES_CTR_PARAMS ctr = {64, {1, 2, 3}};
    CK_GCM_PARAMS gcm = {iv, 12, 96, iv, 5, 128};
    CK_CCM_PARAMS ccm = {sizeof(pt), iv, 13, iv, 3, 16};
    CK_SALSA20_CHACHA20_POLY1305_PARAMS ccp = {iv, 96, iv, 7};
    struct {
        CK_MECHANISM m;
        CK_OBJECT_HANDLE key;
        CK_ULONG len;
    } cases[] = {
        {{CKM_AES_ECB, NULL, 0}, k, 96},
        {{CKM_AES_CBC, iv, 16}, k, 96},
        {{CKM_AES_CBC_PAD, iv, 16}, k, 100},
        {{CKM_AES_CTR, &ctr, sizeof(ctr)}, k, 100},
        {{CKM_AES_CTS, iv, 16}, k, 100},
        {{CKM_AES_GCM, &gcm, sizeof(gcm)}, k, 100},
        {{CKM_AES_CCM, &ccm, sizeof(ccm)}, k, 100},
        {{CKM_CHACHA20_POLY1305, &ccp, sizeof(ccp)}, cc, 100},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(pt); i++) {
        pt[i] = (uint8_t)(i * 7 + 1);
    }
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        CK_ULONG n1 = sizeof(one);
        CK_ULONG n2 = sizeof(parts);
        CK_ULONG n3 = sizeof(back);
        CK_ULONG q = 0;
        /* A NULL output asks the length, and keeps the operation. */
        assert_int_equal(th.f->C_EncryptInit(tk_s, &cases[i].m, cases[i].key), CKR_OK);
        assert_int_equal(th.f->C_Encrypt(tk_s, pt, cases[i].len, NULL, &q), CKR_OK);
        assert_true(q >= cases[i].len);
        assert_int_equal(th.f->C_Encrypt(tk_s, pt, cases[i].len, one, &n1), CKR_OK);
        for (size_t cut = 1; cut < cases[i].len; cut += 31) {
            n2 = sizeof(parts);
            assert_int_equal(
                tk_parts(1, &cases[i].m, cases[i].key, pt, cases[i].len, cut, parts, &n2), CKR_OK);
            assert_int_equal(n2, n1);
            assert_memory_equal(parts, one, n1);
            n3 = sizeof(back);
            assert_int_equal(tk_parts(0, &cases[i].m, cases[i].key, one, n1, cut, back, &n3),
                             CKR_OK);
            assert_int_equal(n3, cases[i].len);
            assert_memory_equal(back, pt, cases[i].len);
        }
        n3 = sizeof(back);
        assert_int_equal(tk_decrypt(&cases[i].m, cases[i].key, one, n1, back, &n3), CKR_OK);
        assert_int_equal(n3, cases[i].len);
        assert_memory_equal(back, pt, cases[i].len);
    }
    tk_drop(k);
    tk_drop(cc);
}

static void
test_wrap_cbc_pad_and_derive(void **state)
{
    CK_OBJECT_HANDLE wk = tk_generate(CKM_AES_KEY_GEN, 16);
    CK_OBJECT_HANDLE k = tk_generate(CKM_AES_KEY_GEN, 24);
    CK_OBJECT_HANDLE back = CK_INVALID_HANDLE;
    CK_OBJECT_HANDLE derived = CK_INVALID_HANDLE;
    uint8_t iv[16] = {1};
    uint8_t data[32] = {2, 3, 4};
    uint8_t wrapped[64];
    uint8_t v1[24];
    uint8_t v2[24];
    uint8_t ecb[32];
    CK_MECHANISM m = {CKM_AES_CBC_PAD, iv, 16};
    CK_MECHANISM me = {CKM_AES_ECB, NULL, 0};
    CK_KEY_DERIVATION_STRING_DATA sd = {data, sizeof(data)};
    CK_MECHANISM md = {CKM_AES_ECB_ENCRYPT_DATA, &sd, sizeof(sd)};
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_KEY_TYPE aes = CKK_AES;
    CK_ULONG len16 = 16;
    CK_BBOOL no = CK_FALSE;
    CK_BBOOL yes = CK_TRUE;
    CK_ATTRIBUTE t[] = {{CKA_CLASS, &cls, sizeof(cls)},
                        {CKA_KEY_TYPE, &aes, sizeof(aes)},
                        {CKA_TOKEN, &no, sizeof(no)},
                        {CKA_SENSITIVE, &no, sizeof(no)},
                        {CKA_EXTRACTABLE, &yes, sizeof(yes)},
                        {CKA_VALUE_LEN, &len16, sizeof(len16)}};
    CK_ULONG n = sizeof(wrapped);

    (void)state;
    assert_int_equal(th.f->C_WrapKey(tk_s, &m, wk, k, wrapped, &n), CKR_OK);
    assert_int_equal(n, 32);
    assert_int_equal(th.f->C_UnwrapKey(tk_s, &m, wk, wrapped, n, t, 5, &back), CKR_OK);
    tk_value(k, v1, 24);
    tk_value(back, v2, 24);
    assert_memory_equal(v1, v2, 24);
    wrapped[n - 1] ^= 0x55;
    assert_int_equal(th.f->C_UnwrapKey(tk_s, &m, wk, wrapped, n, t, 5, &derived),
                     CKR_WRAPPED_KEY_INVALID);

    /* ECB_ENCRYPT_DATA: the first 16 bytes of the data's encryption. */
    n = sizeof(ecb);
    assert_int_equal(tk_encrypt(&me, k, data, sizeof(data), ecb, &n), CKR_OK);
    assert_int_equal(th.f->C_DeriveKey(tk_s, &md, k, t, 6, &derived), CKR_OK);
    tk_value(derived, v2, 16);
    assert_memory_equal(v2, ecb, 16);
    tk_drop(derived);
    tk_drop(back);
    tk_drop(k);
    tk_drop(wk);
}

/* ---- the mechanism list ---- */

static void
test_mechanism_info(void **state)
{
    static const CK_MECHANISM_TYPE aes[] = {
        CKM_AES_KEY_GEN,  CKM_AES_ECB, CKM_AES_CBC,      CKM_AES_CBC_PAD,
        CKM_AES_CTR,      CKM_AES_CTS, CKM_AES_GCM,      CKM_AES_CCM,
        CKM_AES_KEY_WRAP, CKM_AES_KEY_WRAP_KWP, CKM_AES_ECB_ENCRYPT_DATA,
        CKM_AES_CBC_ENCRYPT_DATA,
    };
    CK_SLOT_ID slot;
    CK_SESSION_INFO si;
    CK_MECHANISM_INFO info;
    CK_ULONG count = 0;

    (void)state;
    assert_int_equal(th.f->C_GetSessionInfo(tk_s, &si), CKR_OK);
    slot = si.slotID;
    assert_int_equal(th.f->C_GetMechanismList(slot, NULL, &count), CKR_OK);
    assert_true(count >= sizeof(aes) / sizeof(aes[0]) + 2);
    for (size_t i = 0; i < sizeof(aes) / sizeof(aes[0]); i++) {
        assert_int_equal(th.f->C_GetMechanismInfo(slot, aes[i], &info), CKR_OK);
        assert_int_equal(info.ulMinKeySize, 16);
        assert_int_equal(info.ulMaxKeySize, 32);
    }
    assert_int_equal(th.f->C_GetMechanismInfo(slot, CKM_AES_GCM, &info), CKR_OK);
    assert_true(info.flags & CKF_MESSAGE_ENCRYPT);
    assert_int_equal(th.f->C_GetMechanismInfo(slot, CKM_CHACHA20_POLY1305, &info), CKR_OK);
    assert_int_equal(info.ulMinKeySize, 32);
    assert_int_equal(info.ulMaxKeySize, 32);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mechanism_info),
        cmocka_unit_test(test_gcm),
        cmocka_unit_test(test_gcm_message),
        cmocka_unit_test(test_gcm_message_generated_iv),
        cmocka_unit_test(test_ccm),
        cmocka_unit_test(test_chacha20_poly1305),
        cmocka_unit_test(test_cbc_pad),
        cmocka_unit_test(test_kw),
        cmocka_unit_test(test_kwp),
        cmocka_unit_test(test_modes_multipart),
        cmocka_unit_test(test_wrap_cbc_pad_and_derive),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
