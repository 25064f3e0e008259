/*
 * Two processes share one token [PKCS11 3.2 §2.6, objects on a token are
 * visible to every application]. Process B initialises the module and opens
 * a session first; process A then creates a token object, and B must find
 * it through the session it already had. A destroys the object and B must
 * no longer find it. The processes take turns through two pipes.
 *
 * usage: tk_client_twoproc MODULE TOKEN_LABEL USER_PIN
 * Exit 0 when every step behaved, 1 otherwise; messages go to stderr.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <trustoken/pkcs11.h>

#define TK_TWOPROC_LABEL "twoproc-object"

/* One process's view of the module. */
struct tk_twoproc {
    const char *who;
    CK_FUNCTION_LIST_PTR fl;
    CK_SESSION_HANDLE h;
};

/* Report a failed step and return 1. */
static int
tk_twoproc_fail(const struct tk_twoproc *p, const char *what, CK_RV rv)
{
    fprintf(stderr, "process %s: %s failed: 0x%08lx\n", p->who, what, (unsigned long)rv);
    return 1;
}

/* dlopen the module and fetch its "PKCS 11" interface; 0 or 1. */
static int
tk_twoproc_load(struct tk_twoproc *p, const char *path)
{
    CK_C_GetInterface get_interface;
    CK_INTERFACE_PTR iface = NULL;
    void *handle;
    CK_RV rv;

    handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) {
        fprintf(stderr, "process %s: dlopen: %s\n", p->who, dlerror());
        return 1;
    }
    *(void **)&get_interface = dlsym(handle, "C_GetInterface");
    if (get_interface == NULL) {
        return tk_twoproc_fail(p, "dlsym(C_GetInterface)", CKR_FUNCTION_NOT_SUPPORTED);
    }
    rv = get_interface((CK_UTF8CHAR_PTR)"PKCS 11", NULL, &iface, 0);
    if (rv != CKR_OK) {
        return tk_twoproc_fail(p, "C_GetInterface", rv);
    }
    p->fl = iface->pFunctionList;
    rv = p->fl->C_Initialize(NULL);
    return rv == CKR_OK ? 0 : tk_twoproc_fail(p, "C_Initialize", rv);
}

/* Open a session on the token labelled label; 0 or 1. */
static int
tk_twoproc_open(struct tk_twoproc *p, const char *label, CK_FLAGS flags)
{
    CK_SLOT_ID slots[64];
    CK_ULONG n = 64, i;
    CK_TOKEN_INFO ti;
    char padded[32];
    CK_RV rv;

    memset(padded, ' ', sizeof(padded));
    memcpy(padded, label, strlen(label) < sizeof(padded) ? strlen(label) : sizeof(padded));
    rv = p->fl->C_GetSlotList(CK_TRUE, slots, &n);
    if (rv != CKR_OK) {
        return tk_twoproc_fail(p, "C_GetSlotList", rv);
    }
    for (i = 0; i < n; i++) {
        if (p->fl->C_GetTokenInfo(slots[i], &ti) == CKR_OK &&
            memcmp(ti.label, padded, sizeof(padded)) == 0) {
            rv = p->fl->C_OpenSession(slots[i], flags, NULL, NULL, &p->h);
            return rv == CKR_OK ? 0 : tk_twoproc_fail(p, "C_OpenSession", rv);
        }
    }
    fprintf(stderr, "process %s: no token labelled %s\n", p->who, label);
    return 1;
}

/* Count the objects labelled TK_TWOPROC_LABEL; -1 on error. */
static int
tk_twoproc_count(const struct tk_twoproc *p)
{
    CK_ATTRIBUTE t = { CKA_LABEL, TK_TWOPROC_LABEL, sizeof(TK_TWOPROC_LABEL) - 1 };
    CK_OBJECT_HANDLE found[8];
    CK_ULONG n = 0;
    CK_RV rv;

    rv = p->fl->C_FindObjectsInit(p->h, &t, 1);
    if (rv == CKR_OK) {
        rv = p->fl->C_FindObjects(p->h, found, 8, &n);
        p->fl->C_FindObjectsFinal(p->h);
    }
    if (rv != CKR_OK) {
        tk_twoproc_fail(p, "finding objects", rv);
        return -1;
    }
    return (int)n;
}

/* Process B: answer each request byte with the current object count. */
static int
tk_twoproc_b(const char *module, const char *label, int in, int out)
{
    struct tk_twoproc p = { "B", NULL, CK_INVALID_HANDLE };
    char req, answer;
    int n;

    if (tk_twoproc_load(&p, module) != 0 ||
        tk_twoproc_open(&p, label, CKF_SERIAL_SESSION) != 0) {
        return 1;
    }

    /* B's object count before A does anything, then the ready byte. */
    answer = (char)tk_twoproc_count(&p);
    if (write(out, &answer, 1) != 1) {
        return 1;
    }
    while (read(in, &req, 1) == 1) {
        n = tk_twoproc_count(&p);
        answer = (char)n;
        if (write(out, &answer, 1) != 1) {
            return 1;
        }
    }
    p.fl->C_CloseSession(p.h);
    p.fl->C_Finalize(NULL);
    return 0;
}

/* Ask B for its count; returns it, or -2 if B is gone. */
static int
tk_twoproc_ask(int to_b, int from_b)
{
    char c = '?';

    if (write(to_b, &c, 1) != 1 || read(from_b, &c, 1) != 1) {
        return -2;
    }
    return c;
}

/* Create the public token data object as A; 0 or 1. */
static int
tk_twoproc_create(struct tk_twoproc *p, CK_OBJECT_HANDLE *obj)
{
    CK_OBJECT_CLASS cls = CKO_DATA;
    CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
    CK_ATTRIBUTE t[] = {
        { CKA_CLASS, &cls, sizeof(cls) },
        { CKA_TOKEN, &yes, sizeof(yes) },
        { CKA_PRIVATE, &no, sizeof(no) },
        { CKA_LABEL, TK_TWOPROC_LABEL, sizeof(TK_TWOPROC_LABEL) - 1 },
        { CKA_VALUE, "shared", 6 },
    };
    CK_RV rv;

    rv = p->fl->C_CreateObject(p->h, t, sizeof(t) / sizeof(t[0]), obj);
    return rv == CKR_OK ? 0 : tk_twoproc_fail(p, "C_CreateObject", rv);
}

/* Check that B's answer equals want. */
static int
tk_twoproc_expect(int got, int want, const char *when)
{
    if (got != want) {
        fprintf(stderr, "process B found %d objects %s, expected %d\n", got, when, want);
        return 1;
    }
    fprintf(stderr, "process B found %d objects %s, as expected\n", got, when);
    return 0;
}

/* Process A: create, let B look, destroy, let B look again. */
static int
tk_twoproc_a(const char *module, const char *label, const char *pin, int to_b, int from_b)
{
    struct tk_twoproc p = { "A", NULL, CK_INVALID_HANDLE };
    CK_OBJECT_HANDLE obj;
    char ready;
    CK_RV rv;
    int bad = 0;

    if (read(from_b, &ready, 1) != 1 || tk_twoproc_expect(ready, 0, "at start") != 0) {
        return 1;
    }
    if (tk_twoproc_load(&p, module) != 0 ||
        tk_twoproc_open(&p, label, CKF_SERIAL_SESSION | CKF_RW_SESSION) != 0) {
        return 1;
    }
    rv = p.fl->C_Login(p.h, CKU_USER, (CK_UTF8CHAR_PTR)pin, (CK_ULONG)strlen(pin));
    if (rv != CKR_OK) {
        return tk_twoproc_fail(&p, "C_Login", rv);
    }
    if (tk_twoproc_create(&p, &obj) != 0) {
        return 1;
    }
    bad |= tk_twoproc_expect(tk_twoproc_ask(to_b, from_b), 1, "after A created one");
    rv = p.fl->C_DestroyObject(p.h, obj);
    if (rv != CKR_OK) {
        return tk_twoproc_fail(&p, "C_DestroyObject", rv);
    }
    bad |= tk_twoproc_expect(tk_twoproc_ask(to_b, from_b), 0, "after A destroyed it");
    p.fl->C_Logout(p.h);
    p.fl->C_CloseSession(p.h);
    p.fl->C_Finalize(NULL);
    return bad;
}

int
main(int argc, char **argv)
{
    int a2b[2], b2a[2], status = 0, rc;
    pid_t pid;

    if (argc != 4) {
        fprintf(stderr, "usage: %s MODULE TOKEN_LABEL USER_PIN\n", argv[0]);
        return 1;
    }
    if (pipe(a2b) != 0 || pipe(b2a) != 0) {
        perror("pipe");
        return 1;
    }

    /* Fork before either side loads the module: each is a separate application. */
    pid = fork();
    if (pid < 0) {
        perror("fork");
        return 1;
    }
    if (pid == 0) {
        close(a2b[1]);
        close(b2a[0]);
        _exit(tk_twoproc_b(argv[1], argv[2], a2b[0], b2a[1]));
    }
    close(a2b[0]);
    close(b2a[1]);
    rc = tk_twoproc_a(argv[1], argv[2], argv[3], a2b[1], b2a[0]);

    /* Closing the pipe ends B's loop. */
    close(a2b[1]);
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "process B failed\n");
        rc = 1;
    }
    printf("%s\n", rc == 0 ? "PASS" : "FAIL");
    return rc;
}
