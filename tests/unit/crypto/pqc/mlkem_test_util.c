/* See mlkem_test_util.h. */
#include "mlkem_test_util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/pqc/keccak.h"
#include "crypto/pqc/mlkem_kem.h"

static int
tk_mlkem_test_nibble(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

long
tk_mlkem_test_unhex(uint8_t *out, size_t cap, const char *hex)
{
    size_t n = strlen(hex);

    if (n % 2 != 0 || n / 2 > cap) {
        return -1;
    }
    for (size_t i = 0; i < n / 2; i++) {
        int hi = tk_mlkem_test_nibble(hex[2 * i]);
        int lo = tk_mlkem_test_nibble(hex[2 * i + 1]);

        if (hi < 0 || lo < 0) {
            return -1;
        }
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return (long)(n / 2);
}

const char *
tk_mlkem_test_path(const char *rel)
{
    static char path[4096];

    snprintf(path, sizeof(path), "%s/mlkem/%s", TK_TEST_VECTORS, rel);
    return path;
}

cJSON *
tk_mlkem_test_load_json(const char *rel)
{
    const char *path = tk_mlkem_test_path(rel);
    FILE *f = fopen(path, "rb");
    char *text;
    long size;
    cJSON *root;

    if (f == NULL) {
        fail_msg("cannot open %s", path);
    }
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    size = ftell(f);
    assert_true(size > 0);
    assert_int_equal(fseek(f, 0, SEEK_SET), 0);
    text = malloc((size_t)size + 1);
    assert_non_null(text);
    assert_int_equal(fread(text, 1, (size_t)size, f), (size_t)size);
    text[size] = '\0';
    fclose(f);
    root = cJSON_Parse(text);
    free(text);
    if (root == NULL) {
        fail_msg("cannot parse %s", path);
    }
    return root;
}

tk_mlkem_set
tk_mlkem_test_set(const char *name)
{
    if (name == NULL) {
        return (tk_mlkem_set)0;
    }
    if (strcmp(name, "ML-KEM-512") == 0) {
        return TK_MLKEM_512;
    }
    if (strcmp(name, "ML-KEM-768") == 0) {
        return TK_MLKEM_768;
    }
    if (strcmp(name, "ML-KEM-1024") == 0) {
        return TK_MLKEM_1024;
    }
    return (tk_mlkem_set)0;
}

const char *
tk_mlkem_test_str(const cJSON *obj, const char *key)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);

    return cJSON_IsString(item) ? item->valuestring : NULL;
}

uint8_t *
tk_mlkem_test_hex_member(const cJSON *obj, const char *key, size_t *len)
{
    const char *hex = tk_mlkem_test_str(obj, key);
    size_t cap;
    uint8_t *buf;
    long n;

    if (hex == NULL) {
        fail_msg("missing member %s", key);
    }
    cap = strlen(hex) / 2 + 1;
    buf = malloc(cap);
    assert_non_null(buf);
    n = tk_mlkem_test_unhex(buf, cap, hex);
    if (n < 0) {
        fail_msg("member %s is not hex", key);
    }
    *len = (size_t)n;
    return buf;
}

void
tk_mlkem_test_keygen_draft(tk_mlkem_set set, const uint8_t d[32], const uint8_t z[32],
                           uint8_t *ek, uint8_t *dk)
{
    uint8_t g[64];
    int rc = TK_PQC_EPARAM;

    tk_sha3_512(g, d, 32);
    switch (set) {
    case TK_MLKEM_512:
        rc = tk_mlkem512_keygen_expanded(g, z, ek, dk);
        break;
    case TK_MLKEM_768:
        rc = tk_mlkem768_keygen_expanded(g, z, ek, dk);
        break;
    case TK_MLKEM_1024:
        rc = tk_mlkem1024_keygen_expanded(g, z, ek, dk);
        break;
    }
    assert_int_equal(rc, TK_PQC_OK);
}
