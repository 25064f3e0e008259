/*
 * The MAC mechanisms and MAC key generation (src/mech/mac.c) through the
 * mechanism layer: known answers, sign and verify, truncated tags, key
 * type, parameter and key size checks, and key generation templates.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "digest_test_util.h"
#include "mech/mech_internal.h"

/* A secret key view over value; the attributes live in *attr. */
static tk_key
tk_test_key(CK_KEY_TYPE type, const void *value, CK_ULONG len, CK_ATTRIBUTE *attr)
{
    tk_key k = {CKO_SECRET_KEY, type, attr, 1, NULL};

    attr->type = CKA_VALUE;
    attr->pValue = (void *)value;
    attr->ulValueLen = len;
    return k;
}

static CK_RV
tk_test_init(tk_op_kind kind, CK_MECHANISM_TYPE mech, CK_ULONG *general, const tk_key *key,
             tk_op **op)
{
    CK_MECHANISM m = {mech, general, general != NULL ? sizeof(*general) : 0};

    *op = NULL;
    return tk_mech_op_init(kind, &m, key, op);
}

static void
tk_test_kat_line(const tk_kat_line *l, void *arg)
{
    CK_MECHANISM_TYPE mech = tk_kat_mech(l->name);
    int general = strstr(l->name, "_GENERAL") != NULL;
    CK_ULONG want = l->len[2];
    CK_KEY_TYPE type = mech == CKM_AES_CMAC || mech == CKM_AES_CMAC_GENERAL
                           ? CKK_AES
                           : CKK_GENERIC_SECRET;
    CK_ATTRIBUTE a;
    tk_key key = tk_test_key(type, l->v[0], l->len[0], &a);
    uint8_t tag[64];
    CK_ULONG n = sizeof(tag);
    tk_op *op;

    (void)arg;
    assert_int_equal(l->nfields, 3);
    assert_int_equal(tk_test_init(TK_OP_SIGN, mech, general ? &want : NULL, &key, &op), CKR_OK);
    assert_int_equal(op->vt->run(op, l->v[1], l->len[1], tag, &n), CKR_OK);
    assert_int_equal(n, l->len[2]);
    assert_memory_equal(tag, l->v[2], n);
    tk_op_free(op);

    assert_int_equal(tk_test_init(TK_OP_VERIFY, mech, general ? &want : NULL, &key, &op),
                     CKR_OK);
    assert_int_equal(op->vt->verify(op, l->v[1], l->len[1], l->v[2], l->len[2]), CKR_OK);
    tk_op_free(op);
}

static void
test_known_answers(void **state)
{
    (void)state;
    assert_int_equal(tk_kat_each(TK_MAC_KAT, tk_test_kat_line, NULL), 70);
}

static const uint8_t tk_k32[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                                   17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};

static void
test_verify_failures(void **state)
{
    CK_ATTRIBUTE a;
    tk_key key = tk_test_key(CKK_SHA256_HMAC, tk_k32, 32, &a);
    uint8_t tag[32];
    CK_ULONG n = sizeof(tag);
    tk_op *op;

    (void)state;
    assert_int_equal(tk_test_init(TK_OP_SIGN, CKM_SHA256_HMAC, NULL, &key, &op), CKR_OK);
    assert_int_equal(op->vt->run(op, (const uint8_t *)"data", 4, tag, &n), CKR_OK);
    tk_op_free(op);

    for (size_t bit = 0; bit < 8 * sizeof(tag); bit += 37) {
        tag[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        assert_int_equal(tk_test_init(TK_OP_VERIFY, CKM_SHA256_HMAC, NULL, &key, &op), CKR_OK);
        assert_int_equal(op->vt->verify(op, (const uint8_t *)"data", 4, tag, 32),
                         CKR_SIGNATURE_INVALID);
        tk_op_free(op);
        tag[bit / 8] ^= (uint8_t)(1u << (bit % 8));
    }
    assert_int_equal(tk_test_init(TK_OP_VERIFY, CKM_SHA256_HMAC, NULL, &key, &op), CKR_OK);
    assert_int_equal(op->vt->verify(op, (const uint8_t *)"data", 4, tag, 31),
                     CKR_SIGNATURE_LEN_RANGE);
    tk_op_free(op);
    assert_int_equal(tk_test_init(TK_OP_VERIFY, CKM_SHA256_HMAC, NULL, &key, &op), CKR_OK);
    assert_int_equal(op->vt->update(op, (const uint8_t *)"da", 2, NULL, NULL), CKR_OK);
    assert_int_equal(op->vt->update(op, (const uint8_t *)"ta", 2, NULL, NULL), CKR_OK);
    assert_int_equal(op->vt->verify_final(op, tag, 33), CKR_SIGNATURE_LEN_RANGE);
    tk_op_free(op);
    assert_int_equal(tk_test_init(TK_OP_VERIFY, CKM_SHA256_HMAC, NULL, &key, &op), CKR_OK);
    assert_int_equal(op->vt->update(op, (const uint8_t *)"da", 2, NULL, NULL), CKR_OK);
    assert_int_equal(op->vt->update(op, (const uint8_t *)"ta", 2, NULL, NULL), CKR_OK);
    assert_int_equal(op->vt->verify_final(op, tag, 32), CKR_OK);
    tk_op_free(op);

    /* C_VerifySignature*: the signature is given at init. */
    assert_int_equal(tk_mech_verify_signature_init(&(CK_MECHANISM){CKM_SHA256_HMAC, NULL, 0},
                                                   &key, tag, 32, &op),
                     CKR_OK);
    assert_int_equal(op->vt->verify(op, (const uint8_t *)"data", 4, NULL, 0), CKR_OK);
    tk_op_free(op);
}

static void
test_output_length_rules(void **state)
{
    CK_ATTRIBUTE a;
    tk_key key = tk_test_key(CKK_AES, tk_k32, 16, &a);
    uint8_t tag[16];
    uint8_t ref[16];
    CK_ULONG n = 0;
    CK_ULONG want = 10;
    tk_op *op;

    (void)state;
    assert_int_equal(tk_test_init(TK_OP_SIGN, CKM_AES_CMAC, NULL, &key, &op), CKR_OK);
    assert_int_equal(op->vt->run(op, (const uint8_t *)"x", 1, ref, &(CK_ULONG){16}), CKR_OK);
    tk_op_free(op);

    assert_int_equal(tk_test_init(TK_OP_SIGN, CKM_AES_CMAC_GENERAL, &want, &key, &op), CKR_OK);
    assert_int_equal(op->vt->run(op, (const uint8_t *)"x", 1, NULL, &n), CKR_OK);
    assert_int_equal(n, 10);
    n = 9;
    assert_int_equal(op->vt->run(op, (const uint8_t *)"x", 1, tag, &n), CKR_BUFFER_TOO_SMALL);
    assert_int_equal(n, 10);
    /* The operation lives on, and the data is taken once. */
    assert_int_equal(op->vt->run(op, (const uint8_t *)"x", 1, tag, &n), CKR_OK);
    assert_int_equal(n, 10);
    assert_memory_equal(tag, ref, 10);
    tk_op_free(op);

    assert_int_equal(tk_test_init(TK_OP_SIGN, CKM_AES_CMAC, NULL, &key, &op), CKR_OK);
    assert_int_equal(op->vt->update(op, (const uint8_t *)"x", 1, NULL, NULL), CKR_OK);
    assert_int_equal(op->vt->final(op, NULL, &n), CKR_OK);
    assert_int_equal(n, 16);
    n = 15;
    assert_int_equal(op->vt->final(op, tag, &n), CKR_BUFFER_TOO_SMALL);
    assert_int_equal(op->vt->final(op, tag, &n), CKR_OK);
    assert_memory_equal(tag, ref, 16);
    tk_op_free(op);
}

static void
test_general_parameter(void **state)
{
    CK_ATTRIBUTE a;
    tk_key key = tk_test_key(CKK_GENERIC_SECRET, tk_k32, 20, &a);
    CK_ULONG want;
    CK_MECHANISM m = {CKM_SHA3_384_HMAC_GENERAL, &want, sizeof(want)};
    tk_op *op = NULL;

    (void)state;
    want = 0;
    assert_int_equal(tk_mech_op_init(TK_OP_SIGN, &m, &key, &op), CKR_MECHANISM_PARAM_INVALID);
    want = 49;
    assert_int_equal(tk_mech_op_init(TK_OP_SIGN, &m, &key, &op), CKR_MECHANISM_PARAM_INVALID);
    want = 48;
    m.ulParameterLen = sizeof(want) - 1;
    assert_int_equal(tk_mech_op_init(TK_OP_SIGN, &m, &key, &op), CKR_MECHANISM_PARAM_INVALID);
    m.ulParameterLen = sizeof(want);
    m.pParameter = NULL;
    assert_int_equal(tk_mech_op_init(TK_OP_SIGN, &m, &key, &op), CKR_MECHANISM_PARAM_INVALID);
    assert_null(op);
    m.pParameter = &want;
    assert_int_equal(tk_mech_op_init(TK_OP_SIGN, &m, &key, &op), CKR_OK);
    tk_op_free(op);

    /* A mechanism without a parameter refuses one. */
    m.mechanism = CKM_SHA3_384_HMAC;
    op = NULL;
    assert_int_equal(tk_mech_op_init(TK_OP_SIGN, &m, &key, &op), CKR_MECHANISM_PARAM_INVALID);
    m.mechanism = CKM_AES_CMAC_GENERAL;
    want = 17;
    key = tk_test_key(CKK_AES, tk_k32, 16, &a);
    assert_int_equal(tk_mech_op_init(TK_OP_SIGN, &m, &key, &op), CKR_MECHANISM_PARAM_INVALID);
    assert_null(op);
}

static void
test_key_types_and_sizes(void **state)
{
    CK_ATTRIBUTE a;
    tk_key key;
    tk_op *op;

    (void)state;
    /* HMAC: generic secrets and the hash's own key type only. */
    key = tk_test_key(CKK_SHA_1_HMAC, tk_k32, 32, &a);
    assert_int_equal(tk_test_init(TK_OP_SIGN, CKM_SHA256_HMAC, NULL, &key, &op),
                     CKR_KEY_TYPE_INCONSISTENT);
    assert_int_equal(tk_test_init(TK_OP_SIGN, CKM_SHA_1_HMAC, NULL, &key, &op), CKR_OK);
    tk_op_free(op);
    key = tk_test_key(CKK_AES, tk_k32, 32, &a);
    assert_int_equal(tk_test_init(TK_OP_VERIFY, CKM_SHA512_HMAC, NULL, &key, &op),
                     CKR_KEY_TYPE_INCONSISTENT);
    key.cls = CKO_PUBLIC_KEY;
    assert_int_equal(tk_test_init(TK_OP_VERIFY, CKM_AES_CMAC, NULL, &key, &op),
                     CKR_KEY_TYPE_INCONSISTENT);
    /* CMAC: AES keys only, of 16, 24 or 32 bytes. */
    key = tk_test_key(CKK_GENERIC_SECRET, tk_k32, 16, &a);
    assert_int_equal(tk_test_init(TK_OP_SIGN, CKM_AES_CMAC, NULL, &key, &op),
                     CKR_KEY_TYPE_INCONSISTENT);
    for (CK_ULONG len = 0; len <= 33; len++) {
        CK_RV want = len == 16 || len == 24 || len == 32 ? CKR_OK : CKR_KEY_SIZE_RANGE;
        key = tk_test_key(CKK_AES, tk_k32, len, &a);
        assert_int_equal(tk_test_init(TK_OP_SIGN, CKM_AES_CMAC, NULL, &key, &op), want);
        if (want == CKR_OK) {
            tk_op_free(op);
        }
    }
    /* HMAC: an empty key, or none at all, is refused. */
    key = tk_test_key(CKK_GENERIC_SECRET, tk_k32, 0, &a);
    assert_int_equal(tk_test_init(TK_OP_SIGN, CKM_SHA256_HMAC, NULL, &key, &op),
                     CKR_KEY_SIZE_RANGE);
    key.n = 0;
    assert_int_equal(tk_test_init(TK_OP_SIGN, CKM_SHA256_HMAC, NULL, &key, &op),
                     CKR_KEY_SIZE_RANGE);
    key = tk_test_key(CKK_GENERIC_SECRET, tk_k32, 1, &a);
    assert_int_equal(tk_test_init(TK_OP_SIGN, CKM_SHA256_HMAC, NULL, &key, &op), CKR_OK);
    tk_op_free(op);
    /* Not an operation kind a MAC does. */
    assert_int_equal(tk_test_init(TK_OP_ENCRYPT, CKM_SHA256_HMAC, NULL, &key, &op),
                     CKR_MECHANISM_INVALID);
    assert_int_equal(tk_test_init(TK_OP_DIGEST, CKM_AES_CMAC, NULL, &key, &op),
                     CKR_MECHANISM_INVALID);
}

static void
test_mechanism_info(void **state)
{
    CK_MECHANISM_INFO info;

    (void)state;
    assert_int_equal(tk_mech_info(CKM_SHA256_HMAC_GENERAL, &info), CKR_OK);
    assert_int_equal(info.flags, CKF_SIGN | CKF_VERIFY);
    assert_int_equal(info.ulMinKeySize, 1);
    assert_int_equal(tk_mech_info(CKM_AES_CMAC, &info), CKR_OK);
    assert_int_equal(info.ulMinKeySize, 16);
    assert_int_equal(info.ulMaxKeySize, 32);
    /* Generic secret generation counts bits, HMAC key generation bytes. */
    assert_int_equal(tk_mech_info(CKM_GENERIC_SECRET_KEY_GEN, &info), CKR_OK);
    assert_int_equal(info.flags, CKF_GENERATE);
    assert_int_equal(info.ulMinKeySize, 8);
    assert_int_equal(tk_mech_info(CKM_SHA3_256_KEY_GEN, &info), CKR_OK);
    assert_int_equal(info.ulMinKeySize, 1);
    assert_int_equal(info.ulMaxKeySize * 8, 32768);
}

static CK_RV
tk_test_generate(CK_MECHANISM_TYPE mech, CK_ATTRIBUTE *tmpl, CK_ULONG n, CK_KEY_TYPE *type,
                 tk_mech_attrs *out)
{
    CK_MECHANISM m = {mech, NULL, 0};

    return tk_mech_generate_key(&m, tmpl, n, type, out);
}

static void
test_key_generation(void **state)
{
    CK_ULONG len = 48;
    CK_KEY_TYPE kt = CKK_GENERIC_SECRET;
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_ATTRIBUTE tmpl[] = {
        {CKA_VALUE_LEN, &len, sizeof(len)},
        {CKA_KEY_TYPE, &kt, sizeof(kt)},
        {CKA_CLASS, &cls, sizeof(cls)},
    };
    tk_mech_attrs out = {0};
    CK_KEY_TYPE type = 0;
    uint8_t first[48];

    (void)state;
    assert_int_equal(tk_test_generate(CKM_GENERIC_SECRET_KEY_GEN, tmpl, 3, &type, &out), CKR_OK);
    assert_int_equal(type, CKK_GENERIC_SECRET);
    assert_int_equal(out.n, 2);
    assert_int_equal(out.v[0].type, CKA_VALUE);
    assert_int_equal(out.v[0].ulValueLen, 48);
    assert_int_equal(out.v[1].type, CKA_VALUE_LEN);
    assert_int_equal(*(CK_ULONG *)out.v[1].pValue, 48);
    memcpy(first, out.v[0].pValue, 48);
    tk_mech_attrs_clear(&out);
    assert_int_equal(tk_test_generate(CKM_GENERIC_SECRET_KEY_GEN, tmpl, 1, &type, &out), CKR_OK);
    assert_memory_not_equal(first, out.v[0].pValue, 48);
    tk_mech_attrs_clear(&out);

    /* The template's key type must be the mechanism's. */
    assert_int_equal(tk_test_generate(CKM_SHA256_KEY_GEN, tmpl, 3, &type, &out),
                     CKR_TEMPLATE_INCONSISTENT);
    kt = CKK_SHA256_HMAC;
    assert_int_equal(tk_test_generate(CKM_SHA256_KEY_GEN, tmpl, 3, &type, &out), CKR_OK);
    assert_int_equal(type, CKK_SHA256_HMAC);
    tk_mech_attrs_clear(&out);
    cls = CKO_PRIVATE_KEY;
    assert_int_equal(tk_test_generate(CKM_SHA256_KEY_GEN, tmpl, 3, &type, &out),
                     CKR_TEMPLATE_INCONSISTENT);

    /* CKA_VALUE_LEN: required, a CK_ULONG, within range. */
    assert_int_equal(tk_test_generate(CKM_SHA3_512_KEY_GEN, tmpl + 1, 0, &type, &out),
                     CKR_TEMPLATE_INCOMPLETE);
    tmpl[0].ulValueLen = 4;
    assert_int_equal(tk_test_generate(CKM_SHA3_512_KEY_GEN, tmpl, 1, &type, &out),
                     CKR_ATTRIBUTE_VALUE_INVALID);
    tmpl[0].ulValueLen = sizeof(len);
    len = 0;
    assert_int_equal(tk_test_generate(CKM_SHA3_512_KEY_GEN, tmpl, 1, &type, &out),
                     CKR_KEY_SIZE_RANGE);
    len = 4097;
    assert_int_equal(tk_test_generate(CKM_GENERIC_SECRET_KEY_GEN, tmpl, 1, &type, &out),
                     CKR_KEY_SIZE_RANGE);
    len = 4096;
    assert_int_equal(tk_test_generate(CKM_GENERIC_SECRET_KEY_GEN, tmpl, 1, &type, &out),
                     CKR_OK);
    tk_mech_attrs_clear(&out);
    assert_int_equal(out.n, 0);
}

/* Save a MAC mid-way, resume in a fresh operation under the same key. */
static void
test_saved_state(void **state)
{
    CK_ATTRIBUTE a;
    tk_key key = tk_test_key(CKK_GENERIC_SECRET, tk_k32, 32, &a);
    CK_ULONG want = 12;
    uint8_t ref[64];
    uint8_t tag[64];
    uint8_t st[256];
    CK_ULONG n = sizeof(ref);
    CK_ULONG st_len = sizeof(st);
    tk_op *op;
    tk_op *other;

    (void)state;
    assert_int_equal(tk_test_init(TK_OP_SIGN, CKM_SHA512_HMAC_GENERAL, &want, &key, &op),
                     CKR_OK);
    assert_int_equal(op->vt->run(op, (const uint8_t *)"first,second", 12, ref, &n), CKR_OK);
    tk_op_free(op);

    assert_int_equal(tk_test_init(TK_OP_SIGN, CKM_SHA512_HMAC_GENERAL, &want, &key, &op),
                     CKR_OK);
    assert_int_equal(op->vt->update(op, (const uint8_t *)"first,", 6, NULL, NULL), CKR_OK);
    assert_int_equal(op->vt->get_state(op, st, &st_len), CKR_OK);
    assert_int_equal(st_len, 32 + 6);
    tk_op_free(op);

    /* Another tag length, or a verify operation, does not take it. */
    want = 13;
    assert_int_equal(tk_test_init(TK_OP_SIGN, CKM_SHA512_HMAC_GENERAL, &want, &key, &other),
                     CKR_OK);
    assert_int_equal(other->vt->set_state(other, st, st_len), CKR_SAVED_STATE_INVALID);
    tk_op_free(other);
    want = 12;
    assert_int_equal(tk_test_init(TK_OP_VERIFY, CKM_SHA512_HMAC_GENERAL, &want, &key, &other),
                     CKR_OK);
    assert_int_equal(other->vt->set_state(other, st, st_len), CKR_SAVED_STATE_INVALID);
    tk_op_free(other);

    assert_int_equal(tk_test_init(TK_OP_SIGN, CKM_SHA512_HMAC_GENERAL, &want, &key, &op),
                     CKR_OK);
    assert_int_equal(op->vt->update(op, (const uint8_t *)"noise", 5, NULL, NULL), CKR_OK);
    assert_int_equal(op->vt->set_state(op, st, st_len), CKR_OK);
    assert_int_equal(op->vt->update(op, (const uint8_t *)"second", 6, NULL, NULL), CKR_OK);
    n = sizeof(tag);
    assert_int_equal(op->vt->final(op, tag, &n), CKR_OK);
    assert_int_equal(n, 12);
    assert_memory_equal(tag, ref, 12);
    tk_op_free(op);

    /* The same for AES-CMAC, restarted from an empty state. */
    key = tk_test_key(CKK_AES, tk_k32, 24, &a);
    n = sizeof(ref);
    assert_int_equal(tk_test_init(TK_OP_SIGN, CKM_AES_CMAC, NULL, &key, &op), CKR_OK);
    assert_int_equal(op->vt->run(op, (const uint8_t *)"abc", 3, ref, &n), CKR_OK);
    tk_op_free(op);
    assert_int_equal(tk_test_init(TK_OP_SIGN, CKM_AES_CMAC, NULL, &key, &op), CKR_OK);
    st_len = sizeof(st);
    assert_int_equal(op->vt->get_state(op, st, &st_len), CKR_OK);
    assert_int_equal(op->vt->update(op, (const uint8_t *)"xyz", 3, NULL, NULL), CKR_OK);
    assert_int_equal(op->vt->set_state(op, st, st_len), CKR_OK);
    assert_int_equal(op->vt->update(op, (const uint8_t *)"abc", 3, NULL, NULL), CKR_OK);
    n = sizeof(tag);
    assert_int_equal(op->vt->final(op, tag, &n), CKR_OK);
    assert_memory_equal(tag, ref, 16);
    tk_op_free(op);
}

/* With a cache slot, the first init leaves a keyed template that later
 * ones copy; tags stay those of a fresh key, for any hash. */
static void
test_key_cache(void **state)
{
    static const CK_MECHANISM_TYPE mechs[] = {CKM_SHA256_HMAC, CKM_SHA256_HMAC, CKM_SHA3_384_HMAC,
                                              CKM_SHA256_HMAC};
    CK_ATTRIBUTE a;
    tk_key plain = tk_test_key(CKK_GENERIC_SECRET, tk_k32, 32, &a);
    tk_key cached = plain;
    void *slot = NULL;
    uint8_t ref[64];
    uint8_t tag[64];
    CK_ULONG n;
    tk_op *op;

    (void)state;
    cached.cache = &slot;
    for (size_t i = 0; i < sizeof(mechs) / sizeof(mechs[0]); i++) {
        n = sizeof(ref);
        assert_int_equal(tk_test_init(TK_OP_SIGN, mechs[i], NULL, &plain, &op), CKR_OK);
        assert_int_equal(op->vt->run(op, (const uint8_t *)"cache", 5, ref, &n), CKR_OK);
        tk_op_free(op);
        n = sizeof(tag);
        assert_int_equal(tk_test_init(TK_OP_SIGN, mechs[i], NULL, &cached, &op), CKR_OK);
        assert_int_equal(op->vt->run(op, (const uint8_t *)"cache", 5, tag, &n), CKR_OK);
        tk_op_free(op);
        assert_memory_equal(tag, ref, n);
        assert_non_null(slot);
    }
    /* The cached key verifies too, also after a failed verification. */
    assert_int_equal(tk_test_init(TK_OP_VERIFY, CKM_SHA256_HMAC, NULL, &cached, &op), CKR_OK);
    tag[0] ^= 1;
    assert_int_equal(op->vt->verify(op, (const uint8_t *)"cache", 5, tag, 32),
                     CKR_SIGNATURE_INVALID);
    tk_op_free(op);
    tag[0] ^= 1;
    assert_int_equal(tk_test_init(TK_OP_VERIFY, CKM_SHA256_HMAC, NULL, &cached, &op), CKR_OK);
    assert_int_equal(op->vt->verify(op, (const uint8_t *)"cache", 5, tag, 32), CKR_OK);
    tk_op_free(op);
    tk_key_cache_release(slot);
}

typedef struct {
    const tk_key *key;
    const uint8_t *ref;
} tk_test_mac_job;

/* Threads copy one cached template at once. */
static void *
tk_test_mac_worker(void *arg)
{
    const tk_test_mac_job *job = arg;
    uint8_t tag[32];
    CK_ULONG n;
    tk_op *op;

    for (int i = 0; i < 2000; i++) {
        n = sizeof(tag);
        if (tk_test_init(TK_OP_SIGN, CKM_SHA256_HMAC, NULL, job->key, &op) != CKR_OK) {
            return (void *)1;
        }
        if (op->vt->run(op, (const uint8_t *)"threads", 7, tag, &n) != CKR_OK ||
            memcmp(tag, job->ref, 32) != 0) {
            tk_op_free(op);
            return (void *)1;
        }
        tk_op_free(op);
    }
    return NULL;
}

static void
test_threads(void **state)
{
    CK_ATTRIBUTE a;
    tk_key key = tk_test_key(CKK_SHA256_HMAC, tk_k32, 32, &a);
    void *slot = NULL;
    uint8_t ref[32];
    CK_ULONG n = sizeof(ref);
    tk_test_mac_job job = {&key, ref};
    pthread_t th[4];
    void *res;
    tk_op *op;

    (void)state;
    assert_int_equal(tk_test_init(TK_OP_SIGN, CKM_SHA256_HMAC, NULL, &key, &op), CKR_OK);
    assert_int_equal(op->vt->run(op, (const uint8_t *)"threads", 7, ref, &n), CKR_OK);
    tk_op_free(op);
    key.cache = &slot;
    for (int i = 0; i < 4; i++) {
        assert_int_equal(pthread_create(&th[i], NULL, tk_test_mac_worker, &job), 0);
    }
    for (int i = 0; i < 4; i++) {
        assert_int_equal(pthread_join(th[i], &res), 0);
        assert_null(res);
    }
    tk_key_cache_release(slot);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_answers),
        cmocka_unit_test(test_verify_failures),
        cmocka_unit_test(test_output_length_rules),
        cmocka_unit_test(test_general_parameter),
        cmocka_unit_test(test_key_types_and_sizes),
        cmocka_unit_test(test_mechanism_info),
        cmocka_unit_test(test_key_generation),
        cmocka_unit_test(test_saved_state),
        cmocka_unit_test(test_key_cache),
        cmocka_unit_test(test_threads),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
