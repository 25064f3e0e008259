/*
 * trustoken: command-line client of the TrusToken PKCS#11 module.
 *
 * Parses the options every command shares, loads the module and hands over
 * to tools/cmd_<name>.c. Exit codes are listed in tool.h.
 */
#include "tool.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Long-only options get codes above the range of characters. */
enum {
    TK_OPT_MODULE = 256,
    TK_OPT_SLOT,
    TK_OPT_LABEL,
    TK_OPT_ID,
    TK_OPT_CLASS,
    TK_OPT_PIN,
    TK_OPT_PIN_FILE,
    TK_OPT_SO_PIN,
    TK_OPT_SO_PIN_FILE,
    TK_OPT_NEW_PIN,
    TK_OPT_NEW_PIN_FILE,
    TK_OPT_PASSIN,
    TK_OPT_LOGIN,
    TK_OPT_SO,
    TK_OPT_RAW,
    TK_OPT_KEY_TYPE,
    TK_OPT_SENSITIVE,
    TK_OPT_NO_SENSITIVE,
    TK_OPT_EXTRACTABLE
};

static const struct option tk_tool_long_opts[] = {
    { "module", required_argument, NULL, TK_OPT_MODULE },
    { "slot", required_argument, NULL, TK_OPT_SLOT },
    { "label", required_argument, NULL, TK_OPT_LABEL },
    { "id", required_argument, NULL, TK_OPT_ID },
    { "class", required_argument, NULL, TK_OPT_CLASS },
    { "pin", required_argument, NULL, TK_OPT_PIN },
    { "pin-file", required_argument, NULL, TK_OPT_PIN_FILE },
    { "so-pin", required_argument, NULL, TK_OPT_SO_PIN },
    { "so-pin-file", required_argument, NULL, TK_OPT_SO_PIN_FILE },
    { "new-pin", required_argument, NULL, TK_OPT_NEW_PIN },
    { "new-pin-file", required_argument, NULL, TK_OPT_NEW_PIN_FILE },
    { "passin", required_argument, NULL, TK_OPT_PASSIN },
    { "out", required_argument, NULL, 'o' },
    { "login", no_argument, NULL, TK_OPT_LOGIN },
    { "so", no_argument, NULL, TK_OPT_SO },
    { "raw", no_argument, NULL, TK_OPT_RAW },
    { "key-type", required_argument, NULL, TK_OPT_KEY_TYPE },
    { "sensitive", no_argument, NULL, TK_OPT_SENSITIVE },
    { "no-sensitive", no_argument, NULL, TK_OPT_NO_SENSITIVE },
    { "extractable", no_argument, NULL, TK_OPT_EXTRACTABLE },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 }
};

/* One command: its name, its function and one line of help. */
struct tk_tool_cmd {
    const char *name;
    int (*run)(struct tk_tool_module *m, const struct tk_tool_opts *opts);
    const char *help;
};

static const struct tk_tool_cmd tk_tool_cmds[] = {
    { "init", tk_cmd_init, "[--slot N] --label L [--so-pin P] [--pin P]" },
    { "slots", tk_cmd_slots, "" },
    { "info", tk_cmd_info, "[--slot N]" },
    { "objects", tk_cmd_objects, "[--slot N] [--login] [--label L] [--id HEX] [--class C]" },
    { "import", tk_cmd_import,
      "FILE [--label L] [--id HEX] [--passin PASS]\n"
      "           [--raw --key-type ml-kem-768|ml-dsa-65|slh-dsa-sha2-128f|... "
      "--class private|public]\n"
      "           [--raw --key-type aes|chacha20|generic|hkdf|hmac-sha256|...\n"
      "            [--sensitive|--no-sensitive] [--extractable]]" },
    { "export", tk_cmd_export,
      "--label L | --id HEX [--class C] [--out FILE]\n"
      "           (C: pubkey, cert; secret or data for the raw CKA_VALUE)" },
    { "delete", tk_cmd_delete, "--label L | --id HEX [--class C]" },
    { "set-pin", tk_cmd_set_pin, "[--so] [--pin OLD | --so-pin OLD] [--new-pin NEW]" },
};

#define TK_TOOL_NCMDS (sizeof(tk_tool_cmds) / sizeof(tk_tool_cmds[0]))

/* Print the usage text to f. */
static void
tk_tool_usage(FILE *f)
{
    size_t i;

    fputs("usage: trustoken [--module PATH] COMMAND [OPTIONS]\n\ncommands:\n", f);
    for (i = 0; i < TK_TOOL_NCMDS; i++) {
        fprintf(f, "  %-8s %s\n", tk_tool_cmds[i].name, tk_tool_cmds[i].help);
    }
    fputs("\nPINs: --pin/--pin-file or TRUSTOKEN_PIN, --so-pin/--so-pin-file or\n"
          "TRUSTOKEN_SO_PIN, --new-pin/--new-pin-file or TRUSTOKEN_NEW_PIN; the tool\n"
          "prompts without echo when none is given and stdin is a terminal.\n"
          "Classes: data, cert, pubkey, privkey, secret.\n"
          "Module: --module, else TRUSTOKEN_MODULE, else " TK_MODULE_INSTALL_PATH ".\n"
          "Exit codes: 0 ok, 1 usage, 2 PKCS#11 error, 3 input file error.\n",
          f);
}

/* Decode hex into opts->id; returns 0 or -1 for bad or too long input. */
static int
tk_tool_parse_id(const char *hex, struct tk_tool_opts *opts)
{
    size_t n = strlen(hex), i;
    unsigned int byte;

    if (n % 2 != 0 || n / 2 > TK_TOOL_MAX_ID) {
        return -1;
    }
    for (i = 0; i < n / 2; i++) {
        if (strspn(hex + 2 * i, "0123456789abcdefABCDEF") < 2 ||
            sscanf(hex + 2 * i, "%2x", &byte) != 1) {
            return -1;
        }
        opts->id[i] = (unsigned char)byte;
    }
    opts->id_len = n / 2;
    opts->have_id = 1;
    return 0;
}

/* Map a --class word to CKO_*; returns 0 or -1 for an unknown word. */
static int
tk_tool_parse_class(const char *word, CK_OBJECT_CLASS *cls)
{
    static const struct {
        const char *word;
        CK_OBJECT_CLASS cls;
    } words[] = {
        { "data", CKO_DATA },       { "cert", CKO_CERTIFICATE },
        { "pubkey", CKO_PUBLIC_KEY }, { "privkey", CKO_PRIVATE_KEY },
        { "secret", CKO_SECRET_KEY },
        /* the words of import --raw */
        { "public", CKO_PUBLIC_KEY }, { "private", CKO_PRIVATE_KEY },
    };
    size_t i;

    for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        if (strcmp(word, words[i].word) == 0) {
            *cls = words[i].cls;
            return 0;
        }
    }
    return -1;
}

/* Parse a slot number; returns 0 or -1. */
static int
tk_tool_parse_slot(const char *s, long *slot)
{
    char *end;

    errno = 0;
    *slot = strtol(s, &end, 0);
    return (errno != 0 || *end != '\0' || end == s || *slot < 0) ? -1 : 0;
}

/* Store one option; returns 0, or -1 after a message for a bad value. */
static int
tk_tool_set_opt(int c, const char *arg, struct tk_tool_opts *o)
{
    switch (c) {
    case TK_OPT_MODULE: o->module = arg; break;
    case TK_OPT_LABEL: o->label = arg; break;
    case TK_OPT_PIN: o->pin = arg; break;
    case TK_OPT_PIN_FILE: o->pin_file = arg; break;
    case TK_OPT_SO_PIN: o->so_pin = arg; break;
    case TK_OPT_SO_PIN_FILE: o->so_pin_file = arg; break;
    case TK_OPT_NEW_PIN: o->new_pin = arg; break;
    case TK_OPT_NEW_PIN_FILE: o->new_pin_file = arg; break;
    case TK_OPT_PASSIN: o->passin = arg; break;
    case 'o': o->out = arg; break;
    case TK_OPT_LOGIN: o->login = 1; break;
    case TK_OPT_SO: o->so = 1; break;
    case TK_OPT_RAW: o->raw = 1; break;
    case TK_OPT_KEY_TYPE: o->key_type = arg; break;
    case TK_OPT_SENSITIVE: o->sensitive = 1; break;
    case TK_OPT_NO_SENSITIVE: o->sensitive = -1; break;
    case TK_OPT_EXTRACTABLE: o->extractable = 1; break;
    case TK_OPT_SLOT:
        if (tk_tool_parse_slot(arg, &o->slot) != 0) {
            tk_tool_err("--slot wants a slot number, not '%s'", arg);
            return -1;
        }
        break;
    case TK_OPT_ID:
        if (tk_tool_parse_id(arg, o) != 0) {
            tk_tool_err("--id wants up to %d bytes of hex, not '%s'", TK_TOOL_MAX_ID, arg);
            return -1;
        }
        break;
    case TK_OPT_CLASS:
        if (tk_tool_parse_class(arg, &o->cls) != 0) {
            tk_tool_err("--class wants data, cert, pubkey, privkey or secret");
            return -1;
        }
        break;
    default:
        return -1;
    }
    return 0;
}

/* Parse argv into o; returns TK_EXIT_OK, or TK_EXIT_USAGE (-1 for --help). */
static int
tk_tool_parse(int argc, char **argv, struct tk_tool_opts *o)
{
    int c;

    memset(o, 0, sizeof(*o));
    o->slot = -1;
    o->cls = TK_CLASS_ANY;
    while ((c = getopt_long(argc, argv, "ho:", tk_tool_long_opts, NULL)) != -1) {
        if (c == 'h') {
            return -1;
        }
        if (c == '?' || tk_tool_set_opt(c, optarg, o) != 0) {
            return TK_EXIT_USAGE;
        }
    }
    o->pos = argv + optind;
    o->pos_count = argc - optind;
    return TK_EXIT_OK;
}

/* The command named by the first positional argument, or NULL. */
static const struct tk_tool_cmd *
tk_tool_find_cmd(const struct tk_tool_opts *o)
{
    size_t i;

    if (o->pos_count < 1) {
        return NULL;
    }
    for (i = 0; i < TK_TOOL_NCMDS; i++) {
        if (strcmp(o->pos[0], tk_tool_cmds[i].name) == 0) {
            return &tk_tool_cmds[i];
        }
    }
    return NULL;
}

int
main(int argc, char **argv)
{
    struct tk_tool_opts opts;
    struct tk_tool_module m;
    const struct tk_tool_cmd *cmd;
    int rc;

    rc = tk_tool_parse(argc, argv, &opts);
    if (rc == -1) {
        tk_tool_usage(stdout);
        return TK_EXIT_OK;
    }
    cmd = tk_tool_find_cmd(&opts);
    if (rc != TK_EXIT_OK || cmd == NULL) {
        if (rc == TK_EXIT_OK) {
            if (opts.pos_count < 1) {
                tk_tool_err("no command given");
            } else {
                tk_tool_err("unknown command '%s'", opts.pos[0]);
            }
        }
        tk_tool_usage(stderr);
        return TK_EXIT_USAGE;
    }

    /* Commands see only their own positional arguments. */
    opts.pos++;
    opts.pos_count--;
    rc = tk_tool_module_load(&m, &opts);
    if (rc == TK_EXIT_OK) {
        rc = cmd->run(&m, &opts);
    }
    tk_tool_module_unload(&m);
    return rc;
}
