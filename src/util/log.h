/*
 * Logging. Off by default. TRUSTOKEN_LOG_LEVEL (error, warn, info, debug)
 * or the config file's log_level turn it on; TRUSTOKEN_LOG_FILE (or
 * log_file) sends it to a file instead of stderr. Never stdout: the host
 * application owns that.
 *
 * Never pass a PIN, key byte, plaintext, seed or shared secret to these
 * functions; attributes go through tk_log_attr_value(), which prints
 * values only for an allow-list of harmless types.
 */
#ifndef TK_UTIL_LOG_H
#define TK_UTIL_LOG_H

typedef enum {
    TK_LOG_OFF = 0,
    TK_LOG_ERROR = 1,
    TK_LOG_WARN = 2,
    TK_LOG_INFO = 3,
    TK_LOG_DEBUG = 4
} tk_log_level;

/* Set level and destination; path NULL means stderr. Thread safe. */
void
tk_log_configure(tk_log_level level, const char *path);

/* Parse "error", "warn", "info", "debug", "off"; -1 if unknown. */
int
tk_log_parse_level(const char *s);

/* 1 when messages of this level are written (cheap; check before work). */
int
tk_log_enabled(tk_log_level level);

void
tk_log_write(tk_log_level level, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Close a log file opened by tk_log_configure(). */
void
tk_log_shutdown(void);

#define TK_LOG(level, ...)                                                 \
    do {                                                                   \
        if (tk_log_enabled(level)) {                                       \
            tk_log_write((level), __FILE__, __LINE__, __VA_ARGS__);        \
        }                                                                  \
    } while (0)

#define TK_ERROR(...) TK_LOG(TK_LOG_ERROR, __VA_ARGS__)
#define TK_WARN(...) TK_LOG(TK_LOG_WARN, __VA_ARGS__)
#define TK_INFO(...) TK_LOG(TK_LOG_INFO, __VA_ARGS__)
#define TK_DEBUG(...) TK_LOG(TK_LOG_DEBUG, __VA_ARGS__)

#endif
