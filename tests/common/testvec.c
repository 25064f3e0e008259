/* Vector file helpers for tests; see testvec.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testvec.h"

/* Decode the n bytes of hex at s into p. */
static void
tk_tv_decode(const char *s, size_t n, uint8_t *p)
{
    for (size_t i = 0; i < n; i++) {
        unsigned v = 0;
        assert_int_equal(sscanf(s + 2 * i, "%2x", &v), 1);
        p[i] = (uint8_t)v;
    }
}

uint8_t *
tk_tv_hex_str(const char *s, size_t *len)
{
    size_t n = strlen(s) / 2;
    uint8_t *p = malloc(n + 1);

    assert_non_null(p);
    tk_tv_decode(s, n, p);
    *len = n;
    return p;
}

uint8_t *
tk_tv_hex(const cJSON *obj, const char *name, size_t *len)
{
    return tk_tv_hex_str(tk_tv_str(obj, name), len);
}

uint8_t *
tk_tv_hex_req(const cJSON *obj, const char *name, size_t *len)
{
    return tk_tv_hex_str(tk_tv_str_req(obj, name), len);
}

size_t
tk_tv_unhex(const char *s, uint8_t *out, size_t cap)
{
    size_t n = strlen(s);

    assert_true(n % 2 == 0 && n / 2 <= cap);
    tk_tv_decode(s, n / 2, out);
    return n / 2;
}

size_t
tk_tv_unhex_dash(const char *s, uint8_t *out, size_t cap)
{
    size_t n = strlen(s) / 2;

    if (strcmp(s, "-") == 0) {
        return 0;
    }
    assert_true(n <= cap);
    tk_tv_decode(s, n, out);
    return n;
}

char *
tk_tv_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    long n;
    char *text;

    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    n = ftell(f);
    assert_true(n > 0);
    rewind(f);
    text = malloc((size_t)n + 1);
    assert_non_null(text);
    assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
    text[n] = '\0';
    fclose(f);
    if (len != NULL) {
        *len = (size_t)n;
    }
    return text;
}

size_t
tk_tv_read_into(const char *path, uint8_t *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    size_t n;

    assert_non_null(f);
    n = fread(buf, 1, cap, f);
    fclose(f);
    return n;
}

void
tk_tv_write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");

    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
}

cJSON *
tk_tv_load(const char *rel)
{
    char path[1024];
    char *text;
    cJSON *root;

    snprintf(path, sizeof(path), "%s/%s", TK_TEST_VECTORS, rel);
    text = tk_tv_read_file(path, NULL);
    root = cJSON_Parse(text);
    free(text);
    assert_non_null(root);
    return root;
}

cJSON *
tk_tv_wycheproof(const char *name)
{
    char rel[512];

    snprintf(rel, sizeof(rel), "wycheproof/%s", name);
    return tk_tv_load(rel);
}

const cJSON *
tk_tv_groups(const cJSON *root)
{
    return cJSON_GetObjectItemCaseSensitive(root, "testGroups");
}

const cJSON *
tk_tv_cases(const cJSON *group)
{
    return cJSON_GetObjectItemCaseSensitive(group, "tests");
}

const char *
tk_tv_str(const cJSON *obj, const char *name)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, name);

    return cJSON_IsString(it) ? it->valuestring : "";
}

const char *
tk_tv_str_req(const cJSON *obj, const char *name)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, name);

    assert_true(cJSON_IsString(it));
    return it->valuestring;
}

long
tk_tv_num(const cJSON *obj, const char *name)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, name);

    assert_true(cJSON_IsNumber(it));
    return (long)it->valuedouble;
}

int
tk_tv_tcid(const cJSON *t)
{
    return (int)tk_tv_num(t, "tcId");
}

const char *
tk_tv_result(const cJSON *t)
{
    return tk_tv_str_req(t, "result");
}

int
tk_tv_result_is(const cJSON *t, const char *result)
{
    return strcmp(tk_tv_result(t), result) == 0;
}

int
tk_tv_has_flag(const cJSON *t, const char *flag)
{
    const cJSON *f;

    cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(t, "flags"))
    {
        if (cJSON_IsString(f) && strcmp(f->valuestring, flag) == 0) {
            return 1;
        }
    }
    return 0;
}
