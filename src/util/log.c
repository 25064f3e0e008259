/* Logging; see log.h. */
#include "util/log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t tk_log_mutex = PTHREAD_MUTEX_INITIALIZER;
static volatile int tk_log_level_now = TK_LOG_OFF;
static FILE *tk_log_file;

static const char *const tk_log_names[] = {"off", "error", "warn", "info", "debug"};

int
tk_log_parse_level(const char *s)
{
    if (s == NULL) {
        return -1;
    }
    for (int i = 0; i <= TK_LOG_DEBUG; i++) {
        if (strcasecmp(s, tk_log_names[i]) == 0) {
            return i;
        }
    }
    if (strcasecmp(s, "warning") == 0) {
        return TK_LOG_WARN;
    }
    return -1;
}

void
tk_log_configure(tk_log_level level, const char *path)
{
    pthread_mutex_lock(&tk_log_mutex);
    if (tk_log_file != NULL) {
        fclose(tk_log_file);
        tk_log_file = NULL;
    }
    if (level != TK_LOG_OFF && path != NULL && path[0] != '\0') {
        tk_log_file = fopen(path, "ae");
    }
    tk_log_level_now = (int)level;
    pthread_mutex_unlock(&tk_log_mutex);
}

int
tk_log_enabled(tk_log_level level)
{
    return level != TK_LOG_OFF && (int)level <= tk_log_level_now;
}

void
tk_log_write(tk_log_level level, const char *file, int line, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    struct timespec ts;
    struct tm tm;
    const char *base = strrchr(file, '/');

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);

    pthread_mutex_lock(&tk_log_mutex);
    FILE *out = tk_log_file != NULL ? tk_log_file : stderr;
    fprintf(out, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ trustoken[%d] %s %s:%d: %s\n",
            tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
            ts.tv_nsec / 1000000, (int)getpid(), tk_log_names[level],
            base != NULL ? base + 1 : file, line, msg);
    fflush(out);
    pthread_mutex_unlock(&tk_log_mutex);
}

void
tk_log_shutdown(void)
{
    tk_log_configure(TK_LOG_OFF, NULL);
}
