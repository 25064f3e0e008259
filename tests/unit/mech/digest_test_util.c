/* See digest_test_util.h. */
#include "digest_test_util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

static const struct {
    const char *name;
    CK_MECHANISM_TYPE mech;
} tk_kat_names[] = {
    {"CKM_SHA_1", CKM_SHA_1},
    {"CKM_SHA224", CKM_SHA224},
    {"CKM_SHA256", CKM_SHA256},
    {"CKM_SHA384", CKM_SHA384},
    {"CKM_SHA512", CKM_SHA512},
    {"CKM_SHA512_224", CKM_SHA512_224},
    {"CKM_SHA512_256", CKM_SHA512_256},
    {"CKM_SHA3_224", CKM_SHA3_224},
    {"CKM_SHA3_256", CKM_SHA3_256},
    {"CKM_SHA3_384", CKM_SHA3_384},
    {"CKM_SHA3_512", CKM_SHA3_512},
    {"CKM_SHA_1_HMAC", CKM_SHA_1_HMAC},
    {"CKM_SHA224_HMAC", CKM_SHA224_HMAC},
    {"CKM_SHA256_HMAC", CKM_SHA256_HMAC},
    {"CKM_SHA384_HMAC", CKM_SHA384_HMAC},
    {"CKM_SHA512_HMAC", CKM_SHA512_HMAC},
    {"CKM_SHA512_224_HMAC", CKM_SHA512_224_HMAC},
    {"CKM_SHA512_256_HMAC", CKM_SHA512_256_HMAC},
    {"CKM_SHA3_224_HMAC", CKM_SHA3_224_HMAC},
    {"CKM_SHA3_256_HMAC", CKM_SHA3_256_HMAC},
    {"CKM_SHA3_384_HMAC", CKM_SHA3_384_HMAC},
    {"CKM_SHA3_512_HMAC", CKM_SHA3_512_HMAC},
    {"CKM_SHA_1_HMAC_GENERAL", CKM_SHA_1_HMAC_GENERAL},
    {"CKM_SHA224_HMAC_GENERAL", CKM_SHA224_HMAC_GENERAL},
    {"CKM_SHA256_HMAC_GENERAL", CKM_SHA256_HMAC_GENERAL},
    {"CKM_SHA384_HMAC_GENERAL", CKM_SHA384_HMAC_GENERAL},
    {"CKM_SHA512_HMAC_GENERAL", CKM_SHA512_HMAC_GENERAL},
    {"CKM_SHA512_224_HMAC_GENERAL", CKM_SHA512_224_HMAC_GENERAL},
    {"CKM_SHA512_256_HMAC_GENERAL", CKM_SHA512_256_HMAC_GENERAL},
    {"CKM_SHA3_224_HMAC_GENERAL", CKM_SHA3_224_HMAC_GENERAL},
    {"CKM_SHA3_256_HMAC_GENERAL", CKM_SHA3_256_HMAC_GENERAL},
    {"CKM_SHA3_384_HMAC_GENERAL", CKM_SHA3_384_HMAC_GENERAL},
    {"CKM_SHA3_512_HMAC_GENERAL", CKM_SHA3_512_HMAC_GENERAL},
    {"CKM_AES_CMAC", CKM_AES_CMAC},
    {"CKM_AES_CMAC_GENERAL", CKM_AES_CMAC_GENERAL},
};

CK_MECHANISM_TYPE
tk_kat_mech(const char *name)
{
    for (size_t i = 0; i < sizeof(tk_kat_names) / sizeof(tk_kat_names[0]); i++) {
        if (strcmp(tk_kat_names[i].name, name) == 0) {
            return tk_kat_names[i].mech;
        }
    }
    fail_msg("unknown mechanism %s", name);
    return 0;
}

static size_t
tk_kat_hex(const char *s, uint8_t *out)
{
    size_t n = strlen(s);
    unsigned int b;

    if (strcmp(s, "-") == 0) {
        return 0;
    }
    assert_true(n % 2 == 0 && n / 2 <= TK_KAT_MAX_BYTES);
    for (size_t i = 0; i < n / 2; i++) {
        assert_int_equal(sscanf(s + 2 * i, "%2x", &b), 1);
        out[i] = (uint8_t)b;
    }
    return n / 2;
}

size_t
tk_kat_each(const char *path, void (*fn)(const tk_kat_line *line, void *arg), void *arg)
{
    static char buf[4096];
    static tk_kat_line line;
    FILE *f = fopen(path, "r");
    size_t count = 0;

    assert_non_null(f);
    while (fgets(buf, sizeof(buf), f) != NULL) {
        char *save = NULL;
        char *tok = strtok_r(buf, " \t\r\n", &save);
        if (tok == NULL || tok[0] == '#') {
            continue;
        }
        memset(&line, 0, sizeof(line));
        assert_true(strlen(tok) < sizeof(line.name));
        strcpy(line.name, tok);
        while ((tok = strtok_r(NULL, " \t\r\n", &save)) != NULL) {
            assert_true(line.nfields < TK_KAT_MAX_FIELDS - 1);
            line.len[line.nfields] = tk_kat_hex(tok, line.v[line.nfields]);
            line.nfields++;
        }
        fn(&line, arg);
        count++;
    }
    fclose(f);
    return count;
}
