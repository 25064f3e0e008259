/* Configuration; see config.h. */
#include "core/config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"

static void
tk_config_defaults(tk_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->empty_slots = 1;
    cfg->pin_min_len = 4;
    cfg->pin_max_len = 255;
    cfg->max_pin_attempts = 10;
    cfg->kdf.m_cost_kib = 65536;
    cfg->kdf.t_cost = 3;
    cfg->kdf.parallelism = 1;
    cfg->busy_timeout_ms = 5000;
    cfg->login_cache = 1;
    cfg->rsa_min_bits = 2048;
    cfg->log_level = TK_LOG_OFF;
}

/* Join a base directory from the environment with a suffix; 0 on success. */
static int
tk_config_env_path(char *out, size_t size, const char *var, const char *home_rel,
                   const char *suffix)
{
    const char *base = getenv(var);
    int n;

    if (base != NULL && base[0] == '/') {
        n = snprintf(out, size, "%s/%s", base, suffix);
    } else {
        const char *home = getenv("HOME");
        if (home == NULL || home[0] == '\0') {
            return -1;
        }
        n = snprintf(out, size, "%s/%s/%s", home, home_rel, suffix);
    }
    return n > 0 && (size_t)n < size ? 0 : -1;
}

/* Parse an unsigned number within [lo, hi]; 0 on success. */
static int
tk_config_uint(const char *s, unsigned long lo, unsigned long hi, unsigned int *out)
{
    char *end = NULL;
    unsigned long v;

    errno = 0;
    v = strtoul(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi || s[0] == '-') {
        return -1;
    }
    *out = (unsigned int)v;
    return 0;
}

/* Parse true or false; 0 on success. */
static int
tk_config_bool(const char *s, int *out)
{
    if (strcmp(s, "true") == 0 || strcmp(s, "false") == 0) {
        *out = s[0] == 't';
        return 0;
    }
    return -1;
}

static int
tk_config_string(const char *s, char *out, size_t size)
{
    size_t n = strlen(s);

    if (n == 0 || n >= size) {
        return -1;
    }
    memcpy(out, s, n + 1);
    return 0;
}

/* Apply one key; 0 on success, -1 for a bad value, -2 for an unknown key. */
static int
tk_config_apply(tk_config *cfg, const char *key, const char *val)
{
    int level;

    /* Paths must be absolute: a relative one would depend on each
     * application's working directory. */
    if (strcmp(key, "token_dir") == 0) {
        return val[0] == '/' ? tk_config_string(val, cfg->token_dir, sizeof(cfg->token_dir)) : -1;
    }
    if (strcmp(key, "log_file") == 0) {
        return val[0] == '/' ? tk_config_string(val, cfg->log_file, sizeof(cfg->log_file)) : -1;
    }
    if (strcmp(key, "log_level") == 0) {
        level = tk_log_parse_level(val);
        if (level < 0) {
            return -1;
        }
        cfg->log_level = level;
        return 0;
    }
    if (strcmp(key, "empty_slots") == 0) {
        return tk_config_uint(val, 0, 64, &cfg->empty_slots);
    }
    if (strcmp(key, "pin_min_len") == 0) {
        return tk_config_uint(val, 1, 255, &cfg->pin_min_len);
    }
    if (strcmp(key, "pin_max_len") == 0) {
        return tk_config_uint(val, 1, 4096, &cfg->pin_max_len);
    }
    if (strcmp(key, "max_pin_attempts") == 0) {
        return tk_config_uint(val, 1, 1000000, &cfg->max_pin_attempts);
    }
    if (strcmp(key, "kdf_memory_kib") == 0) {
        return tk_config_uint(val, 8, 4194304, &cfg->kdf.m_cost_kib);
    }
    if (strcmp(key, "kdf_passes") == 0) {
        return tk_config_uint(val, 1, 1000, &cfg->kdf.t_cost);
    }
    if (strcmp(key, "kdf_parallelism") == 0) {
        return tk_config_uint(val, 1, 64, &cfg->kdf.parallelism);
    }
    if (strcmp(key, "rsa_min_bits") == 0) {
        return tk_config_uint(val, 1024, 8192, &cfg->rsa_min_bits);
    }
    if (strcmp(key, "busy_timeout_ms") == 0) {
        return tk_config_uint(val, 1, 3600000, &cfg->busy_timeout_ms);
    }
    if (strcmp(key, "login_cache") == 0) {
        return tk_config_bool(val, &cfg->login_cache);
    }
    return -2;
}

static char *
tk_config_trim(char *s)
{
    char *end;

    while (isspace((unsigned char)*s)) {
        s++;
    }
    end = s + strlen(s);
    while (end > s && isspace((unsigned char)end[-1])) {
        end--;
    }
    *end = '\0';
    return s;
}

static void
tk_config_parse_line(tk_config *cfg, const char *path, int lineno, char *line)
{
    char *hash = strchr(line, '#');
    char *eq;
    char *key;
    char *val;
    int r;

    if (hash != NULL) {
        *hash = '\0';
    }
    key = tk_config_trim(line);
    if (key[0] == '\0') {
        return;
    }
    eq = strchr(key, '=');
    if (eq == NULL) {
        TK_WARN("%s:%d: expected 'key = value'; line ignored", path, lineno);
        return;
    }
    *eq = '\0';
    val = tk_config_trim(eq + 1);
    key = tk_config_trim(key);
    r = tk_config_apply(cfg, key, val);
    if (r == -2) {
        TK_WARN("%s:%d: unknown key '%s' ignored", path, lineno, key);
    } else if (r != 0) {
        TK_WARN("%s:%d: bad value for '%s'; default kept", path, lineno, key);
    }
}

static void
tk_config_read_file(tk_config *cfg, const char *path, int must_exist)
{
    char line[PATH_MAX + 64];
    int lineno = 0;
    FILE *f = fopen(path, "re");

    if (f == NULL) {
        if (must_exist || errno != ENOENT) {
            TK_WARN("cannot read configuration %s: %s", path, strerror(errno));
        }
        return;
    }
    while (fgets(line, sizeof(line), f) != NULL) {
        lineno++;
        tk_config_parse_line(cfg, path, lineno, line);
    }
    fclose(f);
}

/* Logging from the environment first, so that the file's warnings show. */
static void
tk_config_env_logging(tk_config *cfg)
{
    const char *lvl = getenv("TRUSTOKEN_LOG_LEVEL");
    const char *file = getenv("TRUSTOKEN_LOG_FILE");

    if (lvl != NULL && tk_log_parse_level(lvl) >= 0) {
        cfg->log_level = tk_log_parse_level(lvl);
    }
    if (file != NULL && file[0] != '\0') {
        tk_config_string(file, cfg->log_file, sizeof(cfg->log_file));
    }
    tk_log_configure((tk_log_level)cfg->log_level, cfg->log_file[0] ? cfg->log_file : NULL);
}

CK_RV
tk_config_load(tk_config *cfg)
{
    char path[PATH_MAX];
    const char *explicit_path = getenv("TRUSTOKEN_CONF");

    tk_config_defaults(cfg);
    tk_config_env_logging(cfg);

    if (explicit_path != NULL && explicit_path[0] != '\0') {
        tk_config_read_file(cfg, explicit_path, 1);
    } else if (tk_config_env_path(path, sizeof(path), "XDG_CONFIG_HOME", ".config",
                                  "trustoken/trustoken.conf") == 0) {
        tk_config_read_file(cfg, path, 0);
    }
    /* The environment wins over the file for logging. */
    tk_config_env_logging(cfg);

    if (cfg->token_dir[0] == '\0' &&
        tk_config_env_path(cfg->token_dir, sizeof(cfg->token_dir), "XDG_DATA_HOME",
                           ".local/share", "trustoken") != 0) {
        TK_ERROR("no token directory: set HOME, XDG_DATA_HOME or token_dir");
        return CKR_GENERAL_ERROR;
    }
    if (cfg->kdf.m_cost_kib < 8 * cfg->kdf.parallelism) {
        /* Argon2 needs 8 KiB per lane. */
        TK_WARN("kdf_memory_kib below 8 x kdf_parallelism; raised to %u",
                8 * cfg->kdf.parallelism);
        cfg->kdf.m_cost_kib = 8 * cfg->kdf.parallelism;
    }
    if (cfg->pin_min_len > cfg->pin_max_len) {
        TK_WARN("pin_min_len > pin_max_len; using the defaults 4 and 255");
        cfg->pin_min_len = 4;
        cfg->pin_max_len = 255;
    }
    return CKR_OK;
}
