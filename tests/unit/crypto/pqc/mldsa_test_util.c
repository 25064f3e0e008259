/* Helpers for the ML-DSA tests; see mldsa_test_util.h. */
#include "mldsa_test_util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

cJSON *
tk_mldsa_test_load(const char *rel)
{
    char path[1024];
    FILE *f;
    long size;
    char *text;
    cJSON *root;

    snprintf(path, sizeof(path), "%s/%s", TK_MLDSA_VECTOR_DIR, rel);
    f = fopen(path, "rb");
    if (f == NULL) {
        fail_msg("cannot open %s", path);
    }
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    size = ftell(f);
    assert_true(size > 0);
    rewind(f);
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

static int
tk_mldsa_test_nibble(char c)
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

tk_mldsa_test_buf
tk_mldsa_test_hex(const cJSON *item, const char *name, int *present)
{
    tk_mldsa_test_buf b = { NULL, 0 };
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(item, name);
    const char *s;
    size_t n;

    if (present != NULL) {
        *present = cJSON_IsString(f);
    }
    if (!cJSON_IsString(f)) {
        return b;
    }
    s = f->valuestring;
    n = strlen(s);
    assert_int_equal(n % 2, 0);
    b.len = n / 2;
    /* One spare byte so that an empty string still gets a valid pointer. */
    b.data = malloc(b.len + 1);
    assert_non_null(b.data);
    for (size_t i = 0; i < b.len; i++) {
        int hi = tk_mldsa_test_nibble(s[2 * i]);
        int lo = tk_mldsa_test_nibble(s[2 * i + 1]);

        assert_true(hi >= 0 && lo >= 0);
        b.data[i] = (uint8_t)(hi << 4 | lo);
    }
    return b;
}

void
tk_mldsa_test_buf_free(tk_mldsa_test_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = 0;
}

tk_mldsa_set
tk_mldsa_test_set_from_name(const char *name)
{
    if (strcmp(name, "ML-DSA-44") == 0) {
        return TK_MLDSA_44;
    }
    if (strcmp(name, "ML-DSA-65") == 0) {
        return TK_MLDSA_65;
    }
    if (strcmp(name, "ML-DSA-87") == 0) {
        return TK_MLDSA_87;
    }
    fail_msg("unknown parameter set %s", name);
    return TK_MLDSA_44;
}

int
tk_mldsa_test_has_flag(const cJSON *test, const char *flag)
{
    const cJSON *flags = cJSON_GetObjectItemCaseSensitive(test, "flags");
    const cJSON *f;

    cJSON_ArrayForEach(f, flags)
    {
        if (cJSON_IsString(f) && strcmp(f->valuestring, flag) == 0) {
            return 1;
        }
    }
    return 0;
}
