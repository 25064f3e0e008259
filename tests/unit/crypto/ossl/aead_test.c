/*
 * AES-256-GCM: known answers read from aead_gcm_vectors.txt, round trips,
 * and every kind of tampering rejected with the output wiped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/ossl/aead.h"
#include "crypto/ossl/err.h"

#define TK_MAXV 128

typedef struct {
    uint8_t key[32], nonce[12], ad[TK_MAXV], pt[TK_MAXV], ct[TK_MAXV], tag[16];
    size_t ad_len, pt_len, ct_len;
} tk_gcm_vec;

/* Parse hex (or "-" for empty) into out; returns the length or -1. */
static int
tk_hex(const char *s, uint8_t *out, size_t cap)
{
    size_t n = strlen(s);

    if (strcmp(s, "-") == 0) {
        return 0;
    }
    if (n % 2 != 0 || n / 2 > cap) {
        return -1;
    }
    for (size_t i = 0; i < n / 2; i++) {
        unsigned int b;
        if (sscanf(s + 2 * i, "%2x", &b) != 1) {
            return -1;
        }
        out[i] = (uint8_t)b;
    }
    return (int)(n / 2);
}

static int
tk_parse(char *line, tk_gcm_vec *v)
{
    char *f[6];
    int n[6];
    uint8_t *dst[6] = {v->key, v->nonce, v->ad, v->pt, v->ct, v->tag};
    size_t cap[6] = {32, 12, TK_MAXV, TK_MAXV, TK_MAXV, 16};

    for (int i = 0; i < 6; i++) {
        f[i] = strtok(i == 0 ? line : NULL, " \t\r\n");
        if (f[i] == NULL || (n[i] = tk_hex(f[i], dst[i], cap[i])) < 0) {
            return 0;
        }
    }
    v->ad_len = (size_t)n[2];
    v->pt_len = (size_t)n[3];
    v->ct_len = (size_t)n[4];
    return n[0] == 32 && n[1] == 12 && n[5] == 16 && v->pt_len == v->ct_len;
}

static void
tk_test_known_answers(void **state)
{
    FILE *fp = fopen(TK_AEAD_VECTORS, "r");
    char line[1024];
    int count = 0;

    (void)state;
    assert_non_null(fp);
    while (fgets(line, sizeof(line), fp) != NULL) {
        tk_gcm_vec v;
        uint8_t ct[TK_MAXV], pt[TK_MAXV], tag[16];
        if (line[0] == '#' || line[0] == '\n') {
            continue;
        }
        assert_true(tk_parse(line, &v));
        assert_int_equal(tk_ossl_aes256gcm_seal(v.key, v.nonce, v.ad, v.ad_len, v.pt, v.pt_len,
                                                ct, tag),
                         CKR_OK);
        if (v.ct_len > 0) {
            assert_memory_equal(ct, v.ct, v.ct_len);
        }
        assert_memory_equal(tag, v.tag, 16);
        assert_int_equal(tk_ossl_aes256gcm_open(v.key, v.nonce, v.ad, v.ad_len, v.ct, v.ct_len,
                                                v.tag, pt),
                         CKR_OK);
        if (v.pt_len > 0) {
            assert_memory_equal(pt, v.pt, v.pt_len);
        }
        count++;
    }
    fclose(fp);
    assert_int_equal(count, 3);
}

static const uint8_t tk_key[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
static const uint8_t tk_nonce[12] = {0xa, 0xb, 0xc};
static const uint8_t tk_ad[] = "associated";

static void
tk_seal_msg(uint8_t *ct, uint8_t tag[16], const uint8_t *pt, size_t len)
{
    assert_int_equal(tk_ossl_aes256gcm_seal(tk_key, tk_nonce, tk_ad, sizeof(tk_ad), pt, len, ct,
                                            tag),
                     CKR_OK);
}

static void
tk_test_round_trip_in_place(void **state)
{
    uint8_t buf[100], orig[100], tag[16];

    (void)state;
    for (size_t i = 0; i < sizeof(buf); i++) {
        buf[i] = orig[i] = (uint8_t)(i * 7);
    }
    tk_seal_msg(buf, tag, buf, sizeof(buf));
    assert_memory_not_equal(buf, orig, sizeof(buf));
    assert_int_equal(tk_ossl_aes256gcm_open(tk_key, tk_nonce, tk_ad, sizeof(tk_ad), buf,
                                            sizeof(buf), tag, buf),
                     CKR_OK);
    assert_memory_equal(buf, orig, sizeof(buf));
}

/* Open with one thing altered: expect rejection and a wiped output. */
static void
tk_expect_reject(const uint8_t *key, const uint8_t *nonce, const uint8_t *ad, size_t ad_len,
                 const uint8_t *ct, size_t len, const uint8_t *tag)
{
    uint8_t out[64];
    uint8_t zero[64] = {0};

    memset(out, 0xAA, sizeof(out));
    assert_int_equal(tk_ossl_aes256gcm_open(key, nonce, ad, ad_len, ct, len, tag, out),
                     CKR_ENCRYPTED_DATA_INVALID);
    assert_memory_equal(out, zero, len);
}

static void
tk_test_tamper_rejected(void **state)
{
    uint8_t pt[40] = "a message that must stay confidential";
    uint8_t ct[40], tag[16], bad[40], badtag[16], badkey[32], badnonce[12], badad[sizeof(tk_ad)];

    (void)state;
    tk_seal_msg(ct, tag, pt, sizeof(pt));

    memcpy(bad, ct, sizeof(ct));
    bad[17] ^= 0x01;
    tk_expect_reject(tk_key, tk_nonce, tk_ad, sizeof(tk_ad), bad, sizeof(ct), tag);

    memcpy(badtag, tag, sizeof(tag));
    badtag[15] ^= 0x80;
    tk_expect_reject(tk_key, tk_nonce, tk_ad, sizeof(tk_ad), ct, sizeof(ct), badtag);

    memcpy(badkey, tk_key, sizeof(badkey));
    badkey[31] ^= 1;
    tk_expect_reject(badkey, tk_nonce, tk_ad, sizeof(tk_ad), ct, sizeof(ct), tag);

    memcpy(badnonce, tk_nonce, sizeof(badnonce));
    badnonce[0] ^= 1;
    tk_expect_reject(tk_key, badnonce, tk_ad, sizeof(tk_ad), ct, sizeof(ct), tag);

    memcpy(badad, tk_ad, sizeof(badad));
    badad[0] ^= 1;
    tk_expect_reject(tk_key, tk_nonce, badad, sizeof(badad), ct, sizeof(ct), tag);
    /* Dropping the associated data altogether is tampering too. */
    tk_expect_reject(tk_key, tk_nonce, NULL, 0, ct, sizeof(ct), tag);
    /* So is truncating the ciphertext. */
    tk_expect_reject(tk_key, tk_nonce, tk_ad, sizeof(tk_ad), ct, sizeof(ct) - 1, tag);
}

static void
tk_test_err_helper(void **state)
{
    (void)state;
    assert_int_equal(tk_ossl_rv(1, CKR_FUNCTION_FAILED), CKR_OK);
    assert_int_equal(tk_ossl_rv(0, CKR_FUNCTION_FAILED), CKR_FUNCTION_FAILED);
    assert_int_equal(tk_ossl_rv(-1, CKR_HOST_MEMORY), CKR_HOST_MEMORY);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tk_test_known_answers),
        cmocka_unit_test(tk_test_round_trip_in_place),
        cmocka_unit_test(tk_test_tamper_rejected),
        cmocka_unit_test(tk_test_err_helper),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
