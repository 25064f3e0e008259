/* Configuration: defaults, the file, the environment, bad values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/config.h"
#include "util/log.h"

static char conf_path[64];

static void
write_conf(const char *text)
{
    FILE *f = fopen(conf_path, "w");

    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    setenv("TRUSTOKEN_CONF", conf_path, 1);
}

static int
setup(void **state)
{
    int fd;

    (void)state;
    snprintf(conf_path, sizeof(conf_path), "/tmp/tk-conf-XXXXXX");
    fd = mkstemp(conf_path);
    assert_true(fd >= 0);
    close(fd);
    unsetenv("TRUSTOKEN_LOG_LEVEL");
    unsetenv("TRUSTOKEN_LOG_FILE");
    setenv("HOME", "/tmp/tk-home-test", 1);
    unsetenv("XDG_DATA_HOME");
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    unlink(conf_path);
    unsetenv("TRUSTOKEN_CONF");
    tk_log_shutdown();
    return 0;
}

static void
test_defaults_without_file(void **state)
{
    tk_config cfg;

    (void)state;
    setenv("TRUSTOKEN_CONF", "/nonexistent/trustoken.conf", 1);
    assert_int_equal(tk_config_load(&cfg), CKR_OK);
    assert_string_equal(cfg.token_dir, "/tmp/tk-home-test/.local/share/trustoken");
    assert_int_equal(cfg.empty_slots, 1);
    assert_int_equal(cfg.pin_min_len, 4);
    assert_int_equal(cfg.pin_max_len, 255);
    assert_int_equal(cfg.max_pin_attempts, 10);
    assert_true(cfg.kdf.m_cost_kib >= 65536);
    assert_true(cfg.kdf.t_cost >= 3);
    assert_int_equal(cfg.login_cache, 1);
    assert_int_equal(cfg.log_level, TK_LOG_OFF);
}

static void
test_xdg_data_home(void **state)
{
    tk_config cfg;

    (void)state;
    setenv("TRUSTOKEN_CONF", "/nonexistent/trustoken.conf", 1);
    setenv("XDG_DATA_HOME", "/srv/data", 1);
    assert_int_equal(tk_config_load(&cfg), CKR_OK);
    assert_string_equal(cfg.token_dir, "/srv/data/trustoken");
    unsetenv("XDG_DATA_HOME");
}

static void
test_file_values(void **state)
{
    tk_config cfg;

    (void)state;
    write_conf("# comment\n token_dir = /var/lib/tokens  \nempty_slots=3\n"
               "pin_min_len = 6\nmax_pin_attempts = 5 # trailing comment\n"
               "kdf_memory_kib = 1024\nkdf_passes = 2\nbusy_timeout_ms = 250\n");
    assert_int_equal(tk_config_load(&cfg), CKR_OK);
    assert_string_equal(cfg.token_dir, "/var/lib/tokens");
    assert_int_equal(cfg.empty_slots, 3);
    assert_int_equal(cfg.pin_min_len, 6);
    assert_int_equal(cfg.max_pin_attempts, 5);
    assert_int_equal(cfg.kdf.m_cost_kib, 1024);
    assert_int_equal(cfg.kdf.t_cost, 2);
    assert_int_equal(cfg.busy_timeout_ms, 250);
}

static void
test_bad_values_keep_defaults(void **state)
{
    tk_config cfg;

    (void)state;
    write_conf("empty_slots = -1\npin_min_len = abc\nmax_pin_attempts = 0\nno equals sign\n"
               "unknown_key = 7\nbusy_timeout_ms = 0\nkdf_memory_kib = 8\n"
               "kdf_parallelism = 4\npin_min_len = 300\n");
    assert_int_equal(tk_config_load(&cfg), CKR_OK);
    assert_int_equal(cfg.empty_slots, 1);
    assert_int_equal(cfg.pin_min_len, 4);
    assert_int_equal(cfg.max_pin_attempts, 10);
    assert_int_equal(cfg.busy_timeout_ms, 5000);
    /* Argon2 needs 8 KiB per lane: raised, not refused. */
    assert_int_equal(cfg.kdf.parallelism, 4);
    assert_int_equal(cfg.kdf.m_cost_kib, 32);
}

static void
test_login_cache(void **state)
{
    tk_config cfg;

    (void)state;
    write_conf("login_cache = false\n");
    assert_int_equal(tk_config_load(&cfg), CKR_OK);
    assert_int_equal(cfg.login_cache, 0);
    write_conf("login_cache = true\n");
    assert_int_equal(tk_config_load(&cfg), CKR_OK);
    assert_int_equal(cfg.login_cache, 1);
    /* Anything else keeps the default, on. */
    write_conf("login_cache = no\n");
    assert_int_equal(tk_config_load(&cfg), CKR_OK);
    assert_int_equal(cfg.login_cache, 1);
}

static void
test_env_log_level_wins(void **state)
{
    tk_config cfg;

    (void)state;
    write_conf("log_level = error\n");
    setenv("TRUSTOKEN_LOG_LEVEL", "debug", 1);
    assert_int_equal(tk_config_load(&cfg), CKR_OK);
    assert_int_equal(cfg.log_level, TK_LOG_DEBUG);
    unsetenv("TRUSTOKEN_LOG_LEVEL");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_defaults_without_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xdg_data_home, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_values_keep_defaults, setup, teardown),
        cmocka_unit_test_setup_teardown(test_login_cache, setup, teardown),
        cmocka_unit_test_setup_teardown(test_env_log_level_wins, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
