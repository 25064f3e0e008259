/*
 * The token's side of tests/tool/pqc_import.sh: sign a file with the
 * private key of a given label on the token in the first slot, as any
 * PKCS#11 application would (dlopen, C_GetFunctionList, log in). The
 * test needs it because pkcs11-tool (OpenSC 0.23) re-initialises the
 * operation after CKR_BUFFER_TOO_SMALL, which the specification keeps
 * active, so it cannot sign with keys whose signatures are this long.
 *
 *   pqc_sign MODULE PIN LABEL MECH(hex) IN SIG
 *
 * Pure ML-DSA / SLH-DSA with an empty context. Exit 0, or 2 with the
 * failing call and CK_RV on stderr.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trustoken/pkcs11.h"

#define TK_SIGN_MAX_IN (1 << 20)
#define TK_SIGN_MAX_SIG 50000

static CK_FUNCTION_LIST_PTR tk_f;

static void
tk_check(const char *what, CK_RV rv)
{
    if (rv != CKR_OK) {
        fprintf(stderr, "pqc_sign: %s: 0x%lx\n", what, (unsigned long)rv);
        exit(2);
    }
}

static size_t
tk_read(const char *path, unsigned char *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    size_t n;

    if (f == NULL) {
        perror(path);
        exit(2);
    }
    n = fread(buf, 1, cap, f);
    fclose(f);
    return n;
}

/* The private key labelled label. */
static CK_OBJECT_HANDLE
tk_find(CK_SESSION_HANDLE s, const char *label)
{
    CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
    CK_ATTRIBUTE t[] = {{CKA_CLASS, &cls, sizeof(cls)},
                        {CKA_LABEL, (void *)label, strlen(label)}};
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
    CK_ULONG n = 0;

    tk_check("C_FindObjectsInit", tk_f->C_FindObjectsInit(s, t, 2));
    tk_check("C_FindObjects", tk_f->C_FindObjects(s, &h, 1, &n));
    tk_check("C_FindObjectsFinal", tk_f->C_FindObjectsFinal(s));
    if (n != 1) {
        tk_check("no such private key", CKR_KEY_HANDLE_INVALID);
    }
    return h;
}

int
main(int argc, char **argv)
{
    static unsigned char in[TK_SIGN_MAX_IN], sig[TK_SIGN_MAX_SIG];
    CK_RV (*get)(CK_FUNCTION_LIST_PTR_PTR);
    CK_SLOT_ID slots[16];
    CK_ULONG ns = 16, sl = sizeof(sig);
    CK_SESSION_HANDLE s;
    CK_MECHANISM m = {0, NULL, 0};
    size_t n;
    void *dl;
    FILE *out;

    if (argc != 7) {
        fprintf(stderr, "usage: pqc_sign MODULE PIN LABEL MECH IN SIG\n");
        return 2;
    }
    dl = dlopen(argv[1], RTLD_NOW);
    get = dl != NULL ? (CK_RV(*)(CK_FUNCTION_LIST_PTR_PTR))dlsym(dl, "C_GetFunctionList") : NULL;
    if (get == NULL) {
        fprintf(stderr, "pqc_sign: cannot load %s\n", argv[1]);
        return 2;
    }
    tk_check("C_GetFunctionList", get(&tk_f));
    tk_check("C_Initialize", tk_f->C_Initialize(NULL));
    /* The test's token is the first one; an empty slot may follow. */
    tk_check("C_GetSlotList", tk_f->C_GetSlotList(CK_TRUE, slots, &ns));
    tk_check("C_OpenSession",
             tk_f->C_OpenSession(slots[0], CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &s));
    tk_check("C_Login", tk_f->C_Login(s, CKU_USER, (CK_UTF8CHAR_PTR)argv[2], strlen(argv[2])));
    m.mechanism = strtoul(argv[4], NULL, 16);
    n = tk_read(argv[5], in, sizeof(in));
    tk_check("C_SignInit", tk_f->C_SignInit(s, &m, tk_find(s, argv[3])));
    tk_check("C_Sign", tk_f->C_Sign(s, in, n, sig, &sl));
    out = fopen(argv[6], "wb");
    if (out == NULL || fwrite(sig, 1, sl, out) != sl || fclose(out) != 0) {
        perror(argv[6]);
        return 2;
    }
    tk_f->C_Finalize(NULL);
    return 0;
}
