/*
 * The digest mechanisms (src/mech/digest.c) through the mechanism layer:
 * known answers, multi-part against single-part, the output-length rules
 * of [PKCS11 3.2 §5.2], parameters, and saved operation state.
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

static const CK_MECHANISM_TYPE tk_test_digests[] = {
    CKM_SHA_1,    CKM_SHA224,   CKM_SHA256,   CKM_SHA384,   CKM_SHA512,   CKM_SHA512_224,
    CKM_SHA512_256, CKM_SHA3_224, CKM_SHA3_256, CKM_SHA3_384, CKM_SHA3_512,
};
#define TK_TEST_NDIGESTS (sizeof(tk_test_digests) / sizeof(tk_test_digests[0]))

static tk_op *
tk_test_digest_init(CK_MECHANISM_TYPE type)
{
    CK_MECHANISM m = {type, NULL, 0};
    tk_op *op = NULL;

    assert_int_equal(tk_mech_op_init(TK_OP_DIGEST, &m, NULL, &op), CKR_OK);
    assert_non_null(op);
    return op;
}

/* Single-part digest of len bytes; returns the digest length. */
static CK_ULONG
tk_test_digest(CK_MECHANISM_TYPE type, const uint8_t *in, size_t len, uint8_t *out)
{
    tk_op *op = tk_test_digest_init(type);
    CK_ULONG out_len = 64;

    assert_int_equal(op->vt->run(op, in, len, out, &out_len), CKR_OK);
    tk_op_free(op);
    return out_len;
}

static void
tk_test_kat_line(const tk_kat_line *l, void *arg)
{
    uint8_t out[64];
    CK_ULONG n;

    (void)arg;
    assert_int_equal(l->nfields, 2);
    n = tk_test_digest(tk_kat_mech(l->name), l->v[0], l->len[0], out);
    assert_int_equal(n, l->len[1]);
    assert_memory_equal(out, l->v[1], n);
}

static void
test_known_answers(void **state)
{
    (void)state;
    assert_int_equal(tk_kat_each(TK_DIGEST_KAT, tk_test_kat_line, NULL), 44);
}

static void
test_multipart_equals_single(void **state)
{
    uint8_t msg[300];
    uint8_t one[64];
    uint8_t many[64];
    static const size_t splits[] = {0, 1, 55, 64, 127, 128, 200, 300};

    (void)state;
    for (size_t i = 0; i < sizeof(msg); i++) {
        msg[i] = (uint8_t)(i * 7 + 3);
    }
    for (size_t d = 0; d < TK_TEST_NDIGESTS; d++) {
        CK_ULONG n1 = tk_test_digest(tk_test_digests[d], msg, sizeof(msg), one);
        for (size_t s = 0; s < sizeof(splits) / sizeof(splits[0]); s++) {
            tk_op *op = tk_test_digest_init(tk_test_digests[d]);
            CK_ULONG n2 = sizeof(many);
            assert_int_equal(op->vt->update(op, msg, splits[s], NULL, NULL), CKR_OK);
            assert_int_equal(op->vt->update(op, msg + splits[s], sizeof(msg) - splits[s], NULL,
                                            NULL),
                             CKR_OK);
            assert_int_equal(op->vt->final(op, many, &n2), CKR_OK);
            assert_int_equal(n1, n2);
            assert_memory_equal(one, many, n1);
            tk_op_free(op);
        }
    }
}

static void
test_output_length_rules(void **state)
{
    tk_op *op = tk_test_digest_init(CKM_SHA384);
    uint8_t out[64];
    uint8_t ref[64];
    CK_ULONG n = 0;

    (void)state;
    /* A NULL buffer asks for the length and leaves the operation alive. */
    assert_int_equal(op->vt->run(op, (const uint8_t *)"abc", 3, NULL, &n), CKR_OK);
    assert_int_equal(n, 48);
    n = 47;
    assert_int_equal(op->vt->run(op, (const uint8_t *)"abc", 3, out, &n),
                     CKR_BUFFER_TOO_SMALL);
    assert_int_equal(n, 48);
    n = sizeof(out);
    assert_int_equal(op->vt->run(op, (const uint8_t *)"abc", 3, out, &n), CKR_OK);
    assert_int_equal(n, 48);
    tk_test_digest(CKM_SHA384, (const uint8_t *)"abc", 3, ref);
    assert_memory_equal(out, ref, 48);
    tk_op_free(op);

    /* The same for C_DigestFinal. */
    op = tk_test_digest_init(CKM_SHA3_224);
    assert_int_equal(op->vt->update(op, (const uint8_t *)"abc", 3, NULL, NULL), CKR_OK);
    assert_int_equal(op->vt->final(op, NULL, &n), CKR_OK);
    assert_int_equal(n, 28);
    n = 1;
    assert_int_equal(op->vt->final(op, out, &n), CKR_BUFFER_TOO_SMALL);
    assert_int_equal(n, 28);
    assert_int_equal(op->vt->final(op, out, &n), CKR_OK);
    tk_test_digest(CKM_SHA3_224, (const uint8_t *)"abc", 3, ref);
    assert_memory_equal(out, ref, 28);
    tk_op_free(op);
}

/* In-place single-part digest: the data and the digest may share memory. */
static void
test_in_place(void **state)
{
    uint8_t buf[64] = "abc";
    uint8_t ref[64];
    CK_ULONG n = sizeof(buf);
    tk_op *op = tk_test_digest_init(CKM_SHA256);

    (void)state;
    tk_test_digest(CKM_SHA256, buf, 3, ref);
    assert_int_equal(op->vt->run(op, buf, 3, buf, &n), CKR_OK);
    assert_memory_equal(buf, ref, 32);
    tk_op_free(op);
}

static void
test_parameters_and_kinds(void **state)
{
    CK_ULONG junk = 4;
    CK_MECHANISM m = {CKM_SHA256, &junk, sizeof(junk)};
    tk_op *op = NULL;
    CK_MECHANISM_INFO info;

    (void)state;
    assert_int_equal(tk_mech_op_init(TK_OP_DIGEST, &m, NULL, &op), CKR_MECHANISM_PARAM_INVALID);
    assert_null(op);
    m.pParameter = NULL;
    m.ulParameterLen = 0;
    assert_int_equal(tk_mech_op_init(TK_OP_SIGN, &m, NULL, &op), CKR_MECHANISM_INVALID);
    assert_int_equal(tk_mech_op_init(TK_OP_ENCRYPT, &m, NULL, &op), CKR_MECHANISM_INVALID);
    assert_null(op);

    for (size_t d = 0; d < TK_TEST_NDIGESTS; d++) {
        assert_int_equal(tk_mech_info(tk_test_digests[d], &info), CKR_OK);
        assert_int_equal(info.flags, CKF_DIGEST);
    }
    /* SHA-512/t with a free t is not offered. */
    assert_int_equal(tk_mech_info(CKM_SHA512_T, &info), CKR_MECHANISM_INVALID);
}

/* Save after some updates, restore into a fresh operation, finish. */
static void
test_saved_state_round_trip(void **state)
{
    uint8_t msg[1000];
    uint8_t ref[64];
    uint8_t out[64];
    uint8_t *st;
    CK_ULONG st_len = 0;
    CK_ULONG n = sizeof(out);

    (void)state;
    for (size_t i = 0; i < sizeof(msg); i++) {
        msg[i] = (uint8_t)(i ^ 0x5a);
    }
    for (size_t d = 0; d < TK_TEST_NDIGESTS; d++) {
        tk_op *a = tk_test_digest_init(tk_test_digests[d]);
        tk_op *b = tk_test_digest_init(tk_test_digests[d]);
        CK_ULONG rn = tk_test_digest(tk_test_digests[d], msg, sizeof(msg), ref);

        assert_int_equal(a->vt->update(a, msg, 100, NULL, NULL), CKR_OK);
        assert_int_equal(a->vt->update(a, msg + 100, 333, NULL, NULL), CKR_OK);
        assert_int_equal(a->vt->get_state(a, NULL, &st_len), CKR_OK);
        st = malloc(st_len);
        assert_non_null(st);
        st_len--;
        assert_int_equal(a->vt->get_state(a, st, &st_len), CKR_BUFFER_TOO_SMALL);
        assert_int_equal(a->vt->get_state(a, st, &st_len), CKR_OK);
        tk_op_free(a);

        /* b absorbed other data first: restoring replaces it. */
        assert_int_equal(b->vt->update(b, msg, 7, NULL, NULL), CKR_OK);
        assert_int_equal(b->vt->set_state(b, st, st_len), CKR_OK);
        assert_int_equal(b->vt->update(b, msg + 433, sizeof(msg) - 433, NULL, NULL), CKR_OK);
        n = sizeof(out);
        assert_int_equal(b->vt->final(b, out, &n), CKR_OK);
        assert_int_equal(n, rn);
        assert_memory_equal(out, ref, n);
        tk_op_free(b);
        free(st);
    }
}

static void
test_saved_state_refused(void **state)
{
    tk_op *a = tk_test_digest_init(CKM_SHA256);
    tk_op *b = tk_test_digest_init(CKM_SHA512);
    uint8_t st[64];
    CK_ULONG st_len = sizeof(st);

    (void)state;
    assert_int_equal(a->vt->update(a, (const uint8_t *)"abcdef", 6, NULL, NULL), CKR_OK);
    assert_int_equal(a->vt->get_state(a, st, &st_len), CKR_OK);
    assert_int_equal(st_len, 32 + 6);

    /* Another mechanism's state. */
    assert_int_equal(b->vt->set_state(b, st, st_len), CKR_SAVED_STATE_INVALID);
    /* Truncated, padded, or with a damaged header. */
    assert_int_equal(a->vt->set_state(a, st, st_len - 1), CKR_SAVED_STATE_INVALID);
    assert_int_equal(a->vt->set_state(a, st, st_len + 1), CKR_SAVED_STATE_INVALID);
    assert_int_equal(a->vt->set_state(a, st, 10), CKR_SAVED_STATE_INVALID);
    st[0] ^= 1;
    assert_int_equal(a->vt->set_state(a, st, st_len), CKR_SAVED_STATE_INVALID);
    st[0] ^= 1;
    st[5] = 2; /* a future format version */
    assert_int_equal(a->vt->set_state(a, st, st_len), CKR_SAVED_STATE_INVALID);
    st[5] = 1;
    assert_int_equal(a->vt->set_state(a, st, st_len), CKR_OK);
    tk_op_free(a);
    tk_op_free(b);
}

/* Past the kept-data limit the state cannot be saved; the digest still
 * comes out right. */
static void
test_saved_state_limit(void **state)
{
    size_t big = (1u << 20) + 1;
    uint8_t *msg = calloc(1, big);
    uint8_t ref[32];
    uint8_t out[32];
    CK_ULONG n = 0;
    tk_op *op = tk_test_digest_init(CKM_SHA256);

    (void)state;
    assert_non_null(msg);
    assert_int_equal(op->vt->update(op, msg, big - 1, NULL, NULL), CKR_OK);
    assert_int_equal(op->vt->get_state(op, NULL, &n), CKR_OK);
    assert_int_equal(n, 32 + big - 1);
    assert_int_equal(op->vt->update(op, msg, 1, NULL, NULL), CKR_OK);
    assert_int_equal(op->vt->get_state(op, NULL, &n), CKR_STATE_UNSAVEABLE);
    n = sizeof(out);
    assert_int_equal(op->vt->final(op, out, &n), CKR_OK);
    tk_test_digest(CKM_SHA256, msg, big, ref);
    assert_memory_equal(out, ref, 32);
    tk_op_free(op);
    free(msg);
}

/* Threads share the spare contexts: each digest must still come out
 * right and no context may be handed to two threads. */
static void *
tk_test_digest_worker(void *arg)
{
    const uint8_t *ref = arg;
    uint8_t msg[64];
    uint8_t out[64];

    memset(msg, 0x33, sizeof(msg));
    for (int i = 0; i < 2000; i++) {
        CK_MECHANISM_TYPE t = i % 2 ? CKM_SHA256 : CKM_SHA3_256;
        tk_test_digest(t, msg, sizeof(msg), out);
        if (memcmp(out, ref + (i % 2 ? 0 : 32), 32) != 0) {
            return (void *)1;
        }
    }
    return NULL;
}

static void
test_threads(void **state)
{
    uint8_t msg[64];
    uint8_t ref[64];
    pthread_t th[4];
    void *res;

    (void)state;
    memset(msg, 0x33, sizeof(msg));
    tk_test_digest(CKM_SHA256, msg, sizeof(msg), ref);
    tk_test_digest(CKM_SHA3_256, msg, sizeof(msg), ref + 32);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(pthread_create(&th[i], NULL, tk_test_digest_worker, ref), 0);
    }
    for (int i = 0; i < 4; i++) {
        assert_int_equal(pthread_join(th[i], &res), 0);
        assert_null(res);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_answers),
        cmocka_unit_test(test_multipart_equals_single),
        cmocka_unit_test(test_output_length_rules),
        cmocka_unit_test(test_in_place),
        cmocka_unit_test(test_parameters_and_kinds),
        cmocka_unit_test(test_saved_state_round_trip),
        cmocka_unit_test(test_saved_state_refused),
        cmocka_unit_test(test_saved_state_limit),
        cmocka_unit_test(test_threads),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
