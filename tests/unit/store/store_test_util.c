/* Store test helpers; see store_test_util.h. */
#include "store_test_util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/log.h"

void
tk_t_log_from_env(void)
{
    int level = tk_log_parse_level(getenv("TRUSTOKEN_LOG_LEVEL"));

    if (level > 0) {
        tk_log_configure((tk_log_level)level, NULL);
    }
}

int
tk_t_setup(void **state)
{
    tk_t_env *env = calloc(1, sizeof(*env));
    const char *tmp = getenv("TMPDIR");

    if (env == NULL) {
        return -1;
    }
    snprintf(env->dir, sizeof(env->dir), "%s/tk-store-XXXXXX",
             tmp != NULL && strlen(tmp) < 40 ? tmp : "/tmp");
    if (mkdtemp(env->dir) == NULL) {
        free(env);
        return -1;
    }
    snprintf(env->path, sizeof(env->path), "%s/token.db", env->dir);
    *state = env;
    return 0;
}

int
tk_t_teardown(void **state)
{
    tk_t_env *env = *state;
    DIR *d = opendir(env->dir);
    struct dirent *e;
    char name[512];

    while (d != NULL && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            snprintf(name, sizeof(name), "%s/%s", env->dir, e->d_name);
            unlink(name);
        }
    }
    if (d != NULL) {
        closedir(d);
    }
    rmdir(env->dir);
    free(env);
    return 0;
}

void
tk_t_record(tk_token_record *rec, const char *label, uint8_t seed)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(label);

    memset(rec, 0, sizeof(*rec));
    memset(rec->label, ' ', sizeof(rec->label));
    memcpy(rec->label, label, n < sizeof(rec->label) ? n : sizeof(rec->label));
    for (size_t i = 0; i < sizeof(rec->serial); i++) {
        rec->serial[i] = hex[(seed + i) % 16];
    }
    rec->so_pin.present = 1;
    rec->so_pin.kdf.m_cost_kib = 256;
    rec->so_pin.kdf.t_cost = 1;
    rec->so_pin.kdf.parallelism = 1;
    memset(rec->so_pin.salt, seed, sizeof(rec->so_pin.salt));
    memset(rec->so_pin.wrapped, seed + 1, sizeof(rec->so_pin.wrapped));
}

tk_store *
tk_t_create(const tk_t_env *env, unsigned int busy_ms)
{
    tk_store_options opt = {busy_ms};
    tk_token_record rec;
    tk_store *st = NULL;

    tk_t_record(&rec, "test", 1);
    assert_int_equal(tk_store_create(env->path, &opt, &rec, &st), CKR_OK);
    assert_non_null(st);
    return st;
}

uint8_t *
tk_t_read_file(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    uint8_t *buf = NULL;
    long n;

    *len = 0;
    if (fp == NULL) {
        return NULL;
    }
    if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0 && fseek(fp, 0, SEEK_SET) == 0) {
        buf = malloc((size_t)n + 1);
        if (buf != NULL && fread(buf, 1, (size_t)n, fp) == (size_t)n) {
            *len = (size_t)n;
        }
    }
    fclose(fp);
    return buf;
}

int
tk_t_file_has(const char *path, const void *pat, size_t pat_len)
{
    size_t len = 0;
    uint8_t *buf = tk_t_read_file(path, &len);
    int found = buf != NULL && memmem(buf, len, pat, pat_len) != NULL;

    free(buf);
    return found;
}

const char *
tk_t_sibling(const tk_t_env *env, const char *suffix)
{
    static char name[160];

    snprintf(name, sizeof(name), "%s%s", env->path, suffix);
    return name;
}

const uint8_t *
tk_t_key(int variant)
{
    static uint8_t keys[2][TK_TOKEN_KEY_LEN];

    for (size_t i = 0; i < TK_TOKEN_KEY_LEN; i++) {
        keys[0][i] = (uint8_t)(0x40 + i);
        keys[1][i] = (uint8_t)(0x40 + i);
    }
    keys[1][7] ^= 0x01;
    return keys[variant != 0];
}
