/*
 * The trustoken command-line tool: shared declarations.
 *
 * The tool is an ordinary PKCS#11 application. It loads the module with
 * dlopen() and reaches it only through C_GetInterface (or, for an older
 * module, C_GetFunctionList). OpenSSL is used for parsing and writing
 * PEM/DER files only; every key operation happens inside the module.
 *
 * Each command lives in tools/cmd_<name>.c and returns one of the exit
 * codes below.
 */
#ifndef TK_TOOL_H
#define TK_TOOL_H

#include <stddef.h>

#include <trustoken/pkcs11.h>

/* Exit codes of the tool; scripts rely on them, so they never change. */
#define TK_EXIT_OK    0
#define TK_EXIT_USAGE 1
#define TK_EXIT_P11   2
#define TK_EXIT_INPUT 3

/* CKA_ID values longer than this are refused as input. */
#define TK_TOOL_MAX_ID 64

/* PINs longer than this are refused before they reach the module. */
#define TK_TOOL_MAX_PIN 256

/* Which class the --class option selected; TK_CLASS_ANY when absent. */
#define TK_CLASS_ANY ((CK_OBJECT_CLASS)~0UL)

/* Everything the command line said; filled by main.c, read by commands. */
struct tk_tool_opts {
    const char *module;
    long slot;                  /* -1 when --slot was not given */
    const char *label;
    unsigned char id[TK_TOOL_MAX_ID];
    size_t id_len;
    int have_id;
    CK_OBJECT_CLASS cls;
    const char *pin;
    const char *pin_file;
    const char *so_pin;
    const char *so_pin_file;
    const char *new_pin;
    const char *new_pin_file;
    const char *passin;         /* password of PKCS#12 or encrypted PEM */
    const char *out;
    int login;
    int so;
    int raw;                    /* import: the file is a bare key value */
    const char *key_type;       /* import --raw: ml-dsa-65, aes, ... */
    int sensitive;              /* import of a secret key: 1, -1 for no, 0 unset */
    int extractable;            /* import of a secret key: --extractable */
    int pos_count;
    char **pos;                 /* positional arguments after the command */
};

/* The loaded module. */
struct tk_tool_module {
    void *handle;
    CK_FUNCTION_LIST_PTR fl;
    int initialized;
};

/* A session opened by tk_tool_session_open(). */
struct tk_tool_session {
    CK_SLOT_ID slot;
    CK_SESSION_HANDLE h;
    int logged_in;
};

/* ---- ckr.c ---- */

/*
 * The symbolic name of a CK_RV, e.g. "CKR_PIN_INCORRECT". Returns a static
 * string; for an unknown value a static buffer that the next call for an
 * unknown value overwrites.
 */
const char *tk_tool_ckr_name(CK_RV rv);

/* ---- module.c ---- */

/*
 * Load the module and call C_Initialize. The path comes from opts->module,
 * then env TRUSTOKEN_MODULE, then the installed path, then the build tree
 * next to the tool. Prints a message on failure.
 * Returns TK_EXIT_OK or TK_EXIT_P11.
 */
int tk_tool_module_load(struct tk_tool_module *m, const struct tk_tool_opts *opts);

/* C_Finalize and dlclose; safe on a module that failed to load. */
void tk_tool_module_unload(struct tk_tool_module *m);

/*
 * Report a failed PKCS#11 call on stderr as "trustoken: <what>: CKR_...".
 * Returns TK_EXIT_P11 so that callers can write `return tk_tool_p11_fail()`.
 */
int tk_tool_p11_fail(const char *what, CK_RV rv);

/* Print "trustoken: <message>" on stderr; printf-style. */
void tk_tool_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * The slots of the module (only those with a token when present_only).
 * *ids is malloc'd and owned by the caller, also when *n is 0.
 * Returns TK_EXIT_OK or TK_EXIT_P11 after a message.
 */
int tk_tool_slot_list(struct tk_tool_module *m, int present_only, CK_SLOT_ID **ids,
                      CK_ULONG *n);

/*
 * Pick the slot for a command that needs an initialised token: --slot when
 * given, else the first slot whose token is initialised.
 * Returns TK_EXIT_OK with *slot set, or an exit code after a message.
 */
int tk_tool_pick_slot(struct tk_tool_module *m, const struct tk_tool_opts *opts,
                      CK_SLOT_ID *slot);

/*
 * Open a session on slot (read-write when rw) and, when user is CKU_USER or
 * CKU_SO, log in with pin. pin may be NULL when user is ~0UL (no login).
 * Returns TK_EXIT_OK or TK_EXIT_P11 after a message.
 */
int tk_tool_session_open(struct tk_tool_module *m, CK_SLOT_ID slot, int rw,
                         CK_USER_TYPE user, const char *pin, struct tk_tool_session *s);

/* Log out when logged in and close the session. */
void tk_tool_session_close(struct tk_tool_module *m, struct tk_tool_session *s);

/* Value meaning "do not log in" for tk_tool_session_open(). */
#define TK_TOOL_NO_LOGIN ((CK_USER_TYPE)~0UL)

/*
 * Find every object matching --label, --id and --class (those given).
 * *handles is malloc'd and owned by the caller; *count may be 0.
 * Returns TK_EXIT_OK or TK_EXIT_P11 after a message.
 */
int tk_tool_find(struct tk_tool_module *m, CK_SESSION_HANDLE h,
                 const struct tk_tool_opts *opts, CK_OBJECT_HANDLE **handles,
                 size_t *count);

/*
 * Read one attribute of any length into a malloc'd buffer (*out, *len).
 * Returns CKR_OK or the module's error; *out is NULL on error.
 */
CK_RV tk_tool_get_attr(struct tk_tool_module *m, CK_SESSION_HANDLE h,
                       CK_OBJECT_HANDLE obj, CK_ATTRIBUTE_TYPE type,
                       unsigned char **out, size_t *len);

/* Read a CK_ULONG attribute; CKR_OK or the module's error. */
CK_RV tk_tool_get_ulong(struct tk_tool_module *m, CK_SESSION_HANDLE h,
                        CK_OBJECT_HANDLE obj, CK_ATTRIBUTE_TYPE type, CK_ULONG *v);

/* Copy a space-padded PKCS#11 text field into a trimmed C string. */
void tk_tool_trim(char *dst, const CK_UTF8CHAR *src, size_t len);

/* ---- pin.c ---- */

/* Which PIN tk_tool_pin_get() is asked for. */
enum tk_tool_pin_kind {
    TK_PIN_USER,
    TK_PIN_SO,
    TK_PIN_NEW
};

/*
 * Obtain a PIN: from its option, else its --*-file (first line), else its
 * environment variable (TRUSTOKEN_PIN, TRUSTOKEN_SO_PIN, TRUSTOKEN_NEW_PIN),
 * else by prompting without echo when stdin is a terminal (twice for a
 * new PIN). On success *pin is a malloc'd string the caller frees with
 * tk_tool_pin_free(). Returns TK_EXIT_OK, TK_EXIT_USAGE (no source) or
 * TK_EXIT_INPUT (unreadable file, mismatch) after a message.
 */
int tk_tool_pin_get(const struct tk_tool_opts *opts, enum tk_tool_pin_kind kind,
                    int confirm, char **pin);

/* Wipe and free a PIN from tk_tool_pin_get(); NULL is fine. */
void tk_tool_pin_free(char *pin);

/* ---- load.c: reading certificates and keys ---- */

/* One certificate or key found in an input file. */
struct tk_tool_item {
    int is_cert;
    int is_private;
    void *x509;                 /* X509 * when is_cert */
    void *pkey;                 /* EVP_PKEY * otherwise */
};

/*
 * Parse path (PEM with any number of blocks, DER certificate, DER private
 * key in PKCS#8 or traditional form, DER SubjectPublicKeyInfo, PKCS#12).
 * passin unlocks PKCS#12 and encrypted keys. *items is malloc'd; free it
 * with tk_tool_items_free(). Returns TK_EXIT_OK or TK_EXIT_INPUT.
 */
int tk_tool_load(const char *path, const char *passin, struct tk_tool_item **items,
                 size_t *count);

/* Free items and the OpenSSL objects they hold. */
void tk_tool_items_free(struct tk_tool_item *items, size_t count);

/* ---- secret.c: raw secret keys and values ---- */

/* Whether name is a --key-type word of a secret key (aes, hmac-sha256, ...). */
int tk_tool_is_secret_type(const char *name);

/*
 * import --raw --key-type <secret type> FILE: store the file's bytes as a
 * private token CKO_SECRET_KEY, sensitive unless --no-sensitive, and
 * extractable only with --extractable. Refuses lengths the type cannot
 * have. Returns an exit code, after a message on failure.
 */
int tk_tool_import_secret(struct tk_tool_module *m, const struct tk_tool_opts *opts);

/*
 * Write the raw CKA_VALUE of obj (a secret key or data object of class
 * cls) to path (mode 0600) or, when path is NULL, stdout. The copy read
 * is wiped. A refused secret key is explained (sensitive, not
 * extractable). Returns an exit code, after a message on failure.
 */
int tk_tool_export_value(struct tk_tool_module *m, CK_SESSION_HANDLE h, CK_OBJECT_HANDLE obj,
                         CK_OBJECT_CLASS cls, const char *path);

/* ---- commands ---- */

int tk_cmd_init(struct tk_tool_module *m, const struct tk_tool_opts *opts);
int tk_cmd_slots(struct tk_tool_module *m, const struct tk_tool_opts *opts);
int tk_cmd_info(struct tk_tool_module *m, const struct tk_tool_opts *opts);
int tk_cmd_objects(struct tk_tool_module *m, const struct tk_tool_opts *opts);
int tk_cmd_import(struct tk_tool_module *m, const struct tk_tool_opts *opts);
int tk_cmd_export(struct tk_tool_module *m, const struct tk_tool_opts *opts);
int tk_cmd_delete(struct tk_tool_module *m, const struct tk_tool_opts *opts);
int tk_cmd_set_pin(struct tk_tool_module *m, const struct tk_tool_opts *opts);

#endif /* TK_TOOL_H */
