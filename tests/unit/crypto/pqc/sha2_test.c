/* Known answers for SHA-256, SHA-512 [FIPS 180-4 examples] and HMAC. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/pqc/sha2.h"

static const char tk_test_abc[] = "abc";
static const char tk_test_two256[] =
    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
static const char tk_test_two512[] =
    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrl"
    "mnopqrsmnopqrstnopqrstu";

static void
tk_test_hex(const uint8_t *b, size_t len, char *out)
{
    for (size_t i = 0; i < len; i++) {
        snprintf(out + 2 * i, 3, "%02x", b[i]);
    }
}

static void
tk_test_sha256_is(const char *msg, size_t len, const char *want)
{
    uint8_t d[TK_SHA256_DIGEST];
    char hex[2 * TK_SHA256_DIGEST + 1];

    tk_sha256(d, (const uint8_t *)msg, len);
    tk_test_hex(d, sizeof(d), hex);
    assert_string_equal(hex, want);
}

static void
tk_test_sha512_is(const char *msg, size_t len, const char *want)
{
    uint8_t d[TK_SHA512_DIGEST];
    char hex[2 * TK_SHA512_DIGEST + 1];

    tk_sha512(d, (const uint8_t *)msg, len);
    tk_test_hex(d, sizeof(d), hex);
    assert_string_equal(hex, want);
}

static void
tk_test_sha256_kat(void **state)
{
    (void)state;
    tk_test_sha256_is(tk_test_abc, 3,
                      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    tk_test_sha256_is(tk_test_two256, strlen(tk_test_two256),
                      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    tk_test_sha256_is("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void
tk_test_sha512_kat(void **state)
{
    (void)state;
    tk_test_sha512_is(tk_test_abc, 3,
                      "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                      "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
    tk_test_sha512_is(tk_test_two512, strlen(tk_test_two512),
                      "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
                      "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909");
    tk_test_sha512_is("", 0,
                      "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
                      "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e");
}

/* Feeding the input in every split must give the one-shot digest. */
static void
tk_test_sha2_incremental(void **state)
{
    const uint8_t *m = (const uint8_t *)tk_test_two512;
    size_t len = strlen(tk_test_two512);
    uint8_t want256[TK_SHA256_DIGEST], got256[TK_SHA256_DIGEST];
    uint8_t want512[TK_SHA512_DIGEST], got512[TK_SHA512_DIGEST];

    (void)state;
    tk_sha256(want256, m, len);
    tk_sha512(want512, m, len);
    for (size_t cut = 0; cut <= len; cut++) {
        tk_sha256_ctx c, copy;
        tk_sha512_ctx c5;

        tk_sha256_init(&c);
        tk_sha256_update(&c, m, cut);
        copy = c; /* a copied midstate continues on its own */
        tk_sha256_update(&c, m + cut, len - cut);
        tk_sha256_final(&c, got256);
        assert_memory_equal(got256, want256, sizeof(want256));
        tk_sha256_update(&copy, m + cut, len - cut);
        tk_sha256_final(&copy, got256);
        assert_memory_equal(got256, want256, sizeof(want256));

        tk_sha512_init(&c5);
        tk_sha512_update(&c5, m, cut);
        tk_sha512_update(&c5, m + cut, len - cut);
        tk_sha512_final(&c5, got512);
        assert_memory_equal(got512, want512, sizeof(want512));
    }
}

/* Four lanes at once give what four scalar compressions give. */
static void
tk_test_sha256_x4(void **state)
{
    uint8_t blk[4][TK_SHA256_BLOCK];
    const uint8_t *const blocks[4] = {blk[0], blk[1], blk[2], blk[3]};
    uint32_t st[8][4];
    uint32_t want[4][8];

    (void)state;
    for (int l = 0; l < 4; l++) {
        for (int i = 0; i < TK_SHA256_BLOCK; i++) {
            blk[l][i] = (uint8_t)(31 * l + 7 * i + 3);
        }
        for (int i = 0; i < 8; i++) {
            st[i][l] = 0x01234567u * (uint32_t)(l + 1) + (uint32_t)i;
            want[l][i] = st[i][l];
        }
        tk_sha256_compress(want[l], blk[l], 1);
    }
    tk_sha256_compress_x4(st, blocks);
    for (int l = 0; l < 4; l++) {
        for (int i = 0; i < 8; i++) {
            assert_int_equal(st[i][l], want[l][i]);
        }
    }
}

/* HMAC: RFC 4231 test cases 2 (short key) and 6 (key longer than a block). */
static void
tk_test_hmac_kat(void **state)
{
    static const char msg2[] = "what do ya want for nothing?";
    static const char msg6[] = "Test Using Larger Than Block-Size Key - Hash Key First";
    uint8_t key6[131];
    uint8_t t256[TK_SHA256_DIGEST];
    uint8_t t512[TK_SHA512_DIGEST];
    char hex[2 * TK_SHA512_DIGEST + 1];
    tk_hmac_sha256_ctx h;
    tk_hmac_sha512_ctx h5;

    (void)state;
    memset(key6, 0xaa, sizeof(key6));
    tk_hmac_sha256_init(&h, (const uint8_t *)"Jefe", 4);
    tk_hmac_sha256_update(&h, (const uint8_t *)msg2, strlen(msg2));
    tk_hmac_sha256_final(&h, t256);
    tk_test_hex(t256, sizeof(t256), hex);
    assert_string_equal(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");

    tk_hmac_sha512_init(&h5, (const uint8_t *)"Jefe", 4);
    tk_hmac_sha512_update(&h5, (const uint8_t *)msg2, strlen(msg2));
    tk_hmac_sha512_final(&h5, t512);
    tk_test_hex(t512, sizeof(t512), hex);
    assert_string_equal(hex, "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
                             "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737");

    tk_hmac_sha256_init(&h, key6, sizeof(key6));
    tk_hmac_sha256_update(&h, (const uint8_t *)msg6, strlen(msg6));
    tk_hmac_sha256_final(&h, t256);
    tk_test_hex(t256, sizeof(t256), hex);
    assert_string_equal(hex, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");

    tk_hmac_sha512_init(&h5, key6, sizeof(key6));
    tk_hmac_sha512_update(&h5, (const uint8_t *)msg6, strlen(msg6));
    tk_hmac_sha512_final(&h5, t512);
    tk_test_hex(t512, sizeof(t512), hex);
    assert_string_equal(hex, "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
                             "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tk_test_sha256_kat),
        cmocka_unit_test(tk_test_sha512_kat),
        cmocka_unit_test(tk_test_sha2_incremental),
        cmocka_unit_test(tk_test_sha256_x4),
        cmocka_unit_test(tk_test_hmac_kat),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
