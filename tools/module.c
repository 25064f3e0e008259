/*
 * Loading the module and the small PKCS#11 helpers every command shares.
 * See tool.h.
 */
#include "tool.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef TK_MODULE_INSTALL_PATH
#define TK_MODULE_INSTALL_PATH "/usr/local/lib/pkcs11/libtrustoken_p11.so"
#endif

/* Objects fetched per C_FindObjects call. */
#define TK_TOOL_FIND_BATCH 64

/* See tool.h. */
void
tk_tool_err(const char *fmt, ...)
{
    va_list ap;

    fputs("trustoken: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* See tool.h. */
int
tk_tool_p11_fail(const char *what, CK_RV rv)
{
    tk_tool_err("%s failed: %s", what, tk_tool_ckr_name(rv));
    return TK_EXIT_P11;
}

/*
 * The module in a build tree: the tool is <build>/tools/trustoken and the
 * module <build>/src/api/libtrustoken_p11.so. Writes into buf; returns 0
 * when the file exists.
 */
static int
tk_tool_build_tree_path(char *buf, size_t size)
{
    char exe[PATH_MAX];
    ssize_t n;
    char *slash;

    n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n <= 0) {
        return -1;
    }
    exe[n] = '\0';
    slash = strrchr(exe, '/');
    if (slash == NULL) {
        return -1;
    }
    *slash = '\0';
    if ((size_t)snprintf(buf, size, "%s/../src/api/libtrustoken_p11.so", exe) >= size) {
        return -1;
    }
    return access(buf, R_OK) == 0 ? 0 : -1;
}

/* Choose the module path in the documented order; returns NULL if none. */
static const char *
tk_tool_module_path(const struct tk_tool_opts *opts, char *buf, size_t size)
{
    const char *env;

    if (opts->module != NULL) {
        return opts->module;
    }
    env = getenv("TRUSTOKEN_MODULE");
    if (env != NULL && env[0] != '\0') {
        return env;
    }
    if (access(TK_MODULE_INSTALL_PATH, R_OK) == 0) {
        return TK_MODULE_INSTALL_PATH;
    }
    if (tk_tool_build_tree_path(buf, size) == 0) {
        return buf;
    }
    return NULL;
}

/*
 * Fetch the function list: the "PKCS 11" interface when the module offers
 * C_GetInterface, else C_GetFunctionList. Every 3.x list starts with the
 * 2.40 layout, and the tool calls only functions of that part.
 */
static CK_RV
tk_tool_function_list(void *handle, CK_FUNCTION_LIST_PTR *fl)
{
    CK_C_GetInterface get_interface;
    CK_C_GetFunctionList get_list;
    CK_INTERFACE_PTR iface = NULL;
    CK_RV rv;

    *(void **)&get_interface = dlsym(handle, "C_GetInterface");
    if (get_interface != NULL) {
        rv = get_interface((CK_UTF8CHAR_PTR)"PKCS 11", NULL, &iface, 0);
        if (rv == CKR_OK && iface != NULL && iface->pFunctionList != NULL) {
            *fl = (CK_FUNCTION_LIST_PTR)iface->pFunctionList;
            return CKR_OK;
        }
    }
    *(void **)&get_list = dlsym(handle, "C_GetFunctionList");
    if (get_list == NULL) {
        return CKR_FUNCTION_NOT_SUPPORTED;
    }
    return get_list(fl);
}

/* See tool.h. */
int
tk_tool_module_load(struct tk_tool_module *m, const struct tk_tool_opts *opts)
{
    char buf[PATH_MAX];
    const char *path;
    CK_C_INITIALIZE_ARGS args;
    CK_RV rv;

    memset(m, 0, sizeof(*m));
    path = tk_tool_module_path(opts, buf, sizeof(buf));
    if (path == NULL) {
        tk_tool_err("no module found; use --module PATH or set TRUSTOKEN_MODULE");
        return TK_EXIT_P11;
    }
    m->handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (m->handle == NULL) {
        tk_tool_err("cannot load module %s: %s", path, dlerror());
        return TK_EXIT_P11;
    }
    rv = tk_tool_function_list(m->handle, &m->fl);
    if (rv != CKR_OK) {
        tk_tool_err("module %s: no function list: %s", path, tk_tool_ckr_name(rv));
        return TK_EXIT_P11;
    }

    /* The tool is single-threaded but says it may use OS locking. */
    memset(&args, 0, sizeof(args));
    args.flags = CKF_OS_LOCKING_OK;
    rv = m->fl->C_Initialize(&args);
    if (rv != CKR_OK) {
        return tk_tool_p11_fail("C_Initialize", rv);
    }
    m->initialized = 1;
    return TK_EXIT_OK;
}

/* See tool.h. */
void
tk_tool_module_unload(struct tk_tool_module *m)
{
    if (m->initialized) {
        m->fl->C_Finalize(NULL);
        m->initialized = 0;
    }
    if (m->handle != NULL) {
        dlclose(m->handle);
        m->handle = NULL;
    }
}

/* See tool.h. */
void
tk_tool_trim(char *dst, const CK_UTF8CHAR *src, size_t len)
{
    while (len > 0 && (src[len - 1] == ' ' || src[len - 1] == '\0')) {
        len--;
    }
    memcpy(dst, src, len);
    dst[len] = '\0';
}

/* See tool.h. */
int
tk_tool_slot_list(struct tk_tool_module *m, int present_only, CK_SLOT_ID **ids, CK_ULONG *n)
{
    CK_BBOOL present = present_only ? CK_TRUE : CK_FALSE;
    CK_RV rv;

    /* The list may grow between the two calls when a token is created. */
    *ids = NULL;
    do {
        free(*ids);
        *ids = NULL;
        rv = m->fl->C_GetSlotList(present, NULL, n);
        if (rv == CKR_OK) {
            *ids = calloc(*n + 1, sizeof(**ids));
            rv = *ids != NULL ? m->fl->C_GetSlotList(present, *ids, n) : CKR_HOST_MEMORY;
        }
    } while (rv == CKR_BUFFER_TOO_SMALL);
    if (rv != CKR_OK) {
        free(*ids);
        *ids = NULL;
        *n = 0;
        return tk_tool_p11_fail("C_GetSlotList", rv);
    }
    return TK_EXIT_OK;
}

/* First slot whose token is initialised, or TK_EXIT_P11 after a message. */
static int
tk_tool_first_token(struct tk_tool_module *m, CK_SLOT_ID *slot)
{
    CK_SLOT_ID *ids;
    CK_TOKEN_INFO ti;
    CK_ULONG n, i;
    int rc;

    rc = tk_tool_slot_list(m, 1, &ids, &n);
    for (i = 0; rc == TK_EXIT_OK && i < n; i++) {
        if (m->fl->C_GetTokenInfo(ids[i], &ti) == CKR_OK &&
            (ti.flags & CKF_TOKEN_INITIALIZED) != 0) {
            *slot = ids[i];
            free(ids);
            return TK_EXIT_OK;
        }
    }
    free(ids);
    if (rc == TK_EXIT_OK) {
        tk_tool_err("no initialised token; run `trustoken init` first");
        rc = TK_EXIT_P11;
    }
    return rc;
}

/* See tool.h. */
int
tk_tool_pick_slot(struct tk_tool_module *m, const struct tk_tool_opts *opts,
                  CK_SLOT_ID *slot)
{
    if (opts->slot >= 0) {
        *slot = (CK_SLOT_ID)opts->slot;
        return TK_EXIT_OK;
    }
    return tk_tool_first_token(m, slot);
}

/* See tool.h. */
int
tk_tool_session_open(struct tk_tool_module *m, CK_SLOT_ID slot, int rw,
                     CK_USER_TYPE user, const char *pin, struct tk_tool_session *s)
{
    CK_FLAGS flags = CKF_SERIAL_SESSION | (rw ? CKF_RW_SESSION : 0);
    CK_RV rv;

    memset(s, 0, sizeof(*s));
    s->slot = slot;
    rv = m->fl->C_OpenSession(slot, flags, NULL, NULL, &s->h);
    if (rv != CKR_OK) {
        return tk_tool_p11_fail("C_OpenSession", rv);
    }
    if (user == TK_TOOL_NO_LOGIN) {
        return TK_EXIT_OK;
    }
    rv = m->fl->C_Login(s->h, user, (CK_UTF8CHAR_PTR)pin, (CK_ULONG)strlen(pin));
    if (rv != CKR_OK && rv != CKR_USER_ALREADY_LOGGED_IN) {
        m->fl->C_CloseSession(s->h);
        s->h = CK_INVALID_HANDLE;
        return tk_tool_p11_fail("C_Login", rv);
    }
    s->logged_in = (rv == CKR_OK);
    return TK_EXIT_OK;
}

/* See tool.h. */
void
tk_tool_session_close(struct tk_tool_module *m, struct tk_tool_session *s)
{
    if (s->h == CK_INVALID_HANDLE) {
        return;
    }
    if (s->logged_in) {
        m->fl->C_Logout(s->h);
        s->logged_in = 0;
    }
    m->fl->C_CloseSession(s->h);
    s->h = CK_INVALID_HANDLE;
}

/* Build the search template from --label, --id and --class. */
static CK_ULONG
tk_tool_find_template(const struct tk_tool_opts *opts, CK_OBJECT_CLASS *cls,
                      CK_ATTRIBUTE *t)
{
    CK_ULONG n = 0;

    if (opts->label != NULL) {
        t[n].type = CKA_LABEL;
        t[n].pValue = (void *)opts->label;
        t[n].ulValueLen = (CK_ULONG)strlen(opts->label);
        n++;
    }
    if (opts->have_id) {
        t[n].type = CKA_ID;
        t[n].pValue = (void *)opts->id;
        t[n].ulValueLen = (CK_ULONG)opts->id_len;
        n++;
    }
    if (opts->cls != TK_CLASS_ANY) {
        *cls = opts->cls;
        t[n].type = CKA_CLASS;
        t[n].pValue = cls;
        t[n].ulValueLen = sizeof(*cls);
        n++;
    }
    return n;
}

/* Append one batch of handles to a growing array; CKR_HOST_MEMORY on failure. */
static CK_RV
tk_tool_append(CK_OBJECT_HANDLE **all, size_t *count, const CK_OBJECT_HANDLE *batch,
               CK_ULONG n)
{
    CK_OBJECT_HANDLE *grown;

    grown = realloc(*all, (*count + n + 1) * sizeof(**all));
    if (grown == NULL) {
        return CKR_HOST_MEMORY;
    }
    memcpy(grown + *count, batch, n * sizeof(*batch));
    *all = grown;
    *count += n;
    return CKR_OK;
}

/* See tool.h. */
int
tk_tool_find(struct tk_tool_module *m, CK_SESSION_HANDLE h,
             const struct tk_tool_opts *opts, CK_OBJECT_HANDLE **handles, size_t *count)
{
    CK_OBJECT_HANDLE batch[TK_TOOL_FIND_BATCH];
    CK_ATTRIBUTE t[3];
    CK_OBJECT_CLASS cls;
    CK_ULONG n, got;
    CK_RV rv;

    *handles = NULL;
    *count = 0;
    n = tk_tool_find_template(opts, &cls, t);
    rv = m->fl->C_FindObjectsInit(h, n > 0 ? t : NULL, n);
    if (rv != CKR_OK) {
        return tk_tool_p11_fail("C_FindObjectsInit", rv);
    }
    do {
        rv = m->fl->C_FindObjects(h, batch, TK_TOOL_FIND_BATCH, &got);
        if (rv == CKR_OK) {
            rv = tk_tool_append(handles, count, batch, got);
        }
    } while (rv == CKR_OK && got == TK_TOOL_FIND_BATCH);
    m->fl->C_FindObjectsFinal(h);
    if (rv != CKR_OK) {
        free(*handles);
        *handles = NULL;
        *count = 0;
        return tk_tool_p11_fail("C_FindObjects", rv);
    }
    return TK_EXIT_OK;
}

/* See tool.h. */
CK_RV
tk_tool_get_attr(struct tk_tool_module *m, CK_SESSION_HANDLE h, CK_OBJECT_HANDLE obj,
                 CK_ATTRIBUTE_TYPE type, unsigned char **out, size_t *len)
{
    CK_ATTRIBUTE a = { type, NULL, 0 };
    CK_RV rv;

    *out = NULL;
    *len = 0;
    rv = m->fl->C_GetAttributeValue(h, obj, &a, 1);
    if (rv != CKR_OK) {
        return rv;
    }
    if (a.ulValueLen == CK_UNAVAILABLE_INFORMATION) {
        return CKR_ATTRIBUTE_TYPE_INVALID;
    }

    /* One spare byte so that text attributes can be NUL-terminated. */
    a.pValue = calloc(1, a.ulValueLen + 1);
    if (a.pValue == NULL) {
        return CKR_HOST_MEMORY;
    }
    rv = m->fl->C_GetAttributeValue(h, obj, &a, 1);
    if (rv != CKR_OK) {
        free(a.pValue);
        return rv;
    }
    *out = a.pValue;
    *len = a.ulValueLen;
    return CKR_OK;
}

/* See tool.h. */
CK_RV
tk_tool_get_ulong(struct tk_tool_module *m, CK_SESSION_HANDLE h, CK_OBJECT_HANDLE obj,
                  CK_ATTRIBUTE_TYPE type, CK_ULONG *v)
{
    CK_ATTRIBUTE a = { type, v, sizeof(*v) };

    return m->fl->C_GetAttributeValue(h, obj, &a, 1);
}
