/*
 * Configuration: built-in defaults, then an optional file, then the
 * environment. The file is found through TRUSTOKEN_CONF, else
 * $XDG_CONFIG_HOME/trustoken/trustoken.conf, else
 * ~/.config/trustoken/trustoken.conf; docs/CONFIG.md lists every key.
 * Everything works without a file.
 */
#ifndef TK_CORE_CONFIG_H
#define TK_CORE_CONFIG_H

#include <limits.h>
#include <stdint.h>

#include "store/store.h"

typedef struct {
    char token_dir[PATH_MAX];
    unsigned int empty_slots;      /* uninitialised-token slots, >= 0 */
    unsigned int pin_min_len;
    unsigned int pin_max_len;
    unsigned int max_pin_attempts; /* consecutive failures before lock */
    tk_kdf_params kdf;             /* for PIN records made from now on */
    unsigned int busy_timeout_ms;
    int login_cache;               /* 1: a verified PIN's KEK is kept */
    unsigned int rsa_min_bits;     /* smallest RSA modulus, >= 1024 */
    int log_level;                 /* tk_log_level */
    char log_file[PATH_MAX];       /* empty: stderr */
} tk_config;

/*
 * Fill cfg. A missing file is fine; an unreadable one, an unknown key or
 * a bad value is logged as a warning and skipped, so a typo never stops
 * applications from loading the module. Returns CKR_OK, or
 * CKR_GENERAL_ERROR when no token directory can be determined.
 */
CK_RV
tk_config_load(tk_config *cfg);

#endif
