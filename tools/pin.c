/*
 * Obtaining PINs from options, files, the environment or a terminal.
 * See tool.h.
 */
#include "tool.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <openssl/crypto.h>

/* Where each kind of PIN may come from. */
struct tk_tool_pin_source {
    const char *value;
    const char *file;
    const char *env;
    const char *prompt;
};

/* See tool.h. */
void
tk_tool_pin_free(char *pin)
{
    if (pin != NULL) {
        OPENSSL_cleanse(pin, strlen(pin));
        free(pin);
    }
}

/* Drop a trailing newline (and CR) left by fgets. */
static void
tk_tool_chomp(char *s)
{
    size_t n = strlen(s);

    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r')) {
        s[--n] = '\0';
    }
}

/* The first line of path as a malloc'd PIN; TK_EXIT_INPUT on failure. */
static int
tk_tool_pin_from_file(const char *path, char **pin)
{
    char buf[TK_TOOL_MAX_PIN + 2];
    FILE *f;
    int ok;

    f = fopen(path, "r");
    if (f == NULL) {
        tk_tool_err("cannot read PIN file %s: %s", path, strerror(errno));
        return TK_EXIT_INPUT;
    }
    ok = fgets(buf, sizeof(buf), f) != NULL;
    fclose(f);
    if (!ok) {
        tk_tool_err("PIN file %s is empty", path);
        return TK_EXIT_INPUT;
    }
    tk_tool_chomp(buf);
    *pin = strdup(buf);
    OPENSSL_cleanse(buf, sizeof(buf));
    return *pin != NULL ? TK_EXIT_OK : TK_EXIT_INPUT;
}

/*
 * Read one line from the terminal with echo off. Echo goes off before the
 * prompt appears: TCSAFLUSH drops what was typed ahead, and doing it after
 * the prompt could drop an answer typed (or pasted) right after it.
 */
static int
tk_tool_pin_prompt_once(const char *prompt, char *buf, size_t size)
{
    struct termios old, quiet;
    int restore, ok;

    restore = tcgetattr(STDIN_FILENO, &old) == 0;
    if (restore) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        quiet.c_lflag |= ECHONL;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    fprintf(stderr, "%s: ", prompt);
    fflush(stderr);
    ok = fgets(buf, (int)size, stdin) != NULL;
    if (restore) {
        tcsetattr(STDIN_FILENO, TCSANOW, &old);
    }
    if (!ok) {
        return TK_EXIT_INPUT;
    }
    tk_tool_chomp(buf);
    return TK_EXIT_OK;
}

/* Prompt, twice when confirm, and return a malloc'd PIN. */
static int
tk_tool_pin_prompt(const char *prompt, int confirm, char **pin)
{
    char first[TK_TOOL_MAX_PIN + 2];
    char again[TK_TOOL_MAX_PIN + 2];
    int rc;

    rc = tk_tool_pin_prompt_once(prompt, first, sizeof(first));
    if (rc == TK_EXIT_OK && confirm) {
        rc = tk_tool_pin_prompt_once("Repeat to confirm", again, sizeof(again));
        if (rc == TK_EXIT_OK && strcmp(first, again) != 0) {
            tk_tool_err("the two PINs differ");
            rc = TK_EXIT_INPUT;
        }
    }
    if (rc == TK_EXIT_OK) {
        *pin = strdup(first);
        rc = *pin != NULL ? TK_EXIT_OK : TK_EXIT_INPUT;
    }
    OPENSSL_cleanse(first, sizeof(first));
    OPENSSL_cleanse(again, sizeof(again));
    return rc;
}

/* Fill src with the option, file, variable and prompt for kind. */
static void
tk_tool_pin_source(const struct tk_tool_opts *opts, enum tk_tool_pin_kind kind,
                   struct tk_tool_pin_source *src)
{
    switch (kind) {
    case TK_PIN_SO:
        *src = (struct tk_tool_pin_source){ opts->so_pin, opts->so_pin_file,
                                            "TRUSTOKEN_SO_PIN", "Security Officer PIN" };
        break;
    case TK_PIN_NEW:
        *src = (struct tk_tool_pin_source){ opts->new_pin, opts->new_pin_file,
                                            "TRUSTOKEN_NEW_PIN", "New PIN" };
        break;
    default:
        *src = (struct tk_tool_pin_source){ opts->pin, opts->pin_file, "TRUSTOKEN_PIN",
                                            "User PIN" };
        break;
    }
}

/* See tool.h. */
int
tk_tool_pin_get(const struct tk_tool_opts *opts, enum tk_tool_pin_kind kind, int confirm,
                char **pin)
{
    struct tk_tool_pin_source src;
    const char *env;

    *pin = NULL;
    tk_tool_pin_source(opts, kind, &src);
    if (src.value != NULL) {
        *pin = strdup(src.value);
        return *pin != NULL ? TK_EXIT_OK : TK_EXIT_INPUT;
    }
    if (src.file != NULL) {
        return tk_tool_pin_from_file(src.file, pin);
    }
    env = getenv(src.env);
    if (env != NULL) {
        *pin = strdup(env);
        return *pin != NULL ? TK_EXIT_OK : TK_EXIT_INPUT;
    }
    if (isatty(STDIN_FILENO)) {
        return tk_tool_pin_prompt(src.prompt, confirm, pin);
    }
    tk_tool_err("%s needed: give it as an option, a file or %s", src.prompt, src.env);
    return TK_EXIT_USAGE;
}
