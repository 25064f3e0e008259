/* Test harness; see harness.h. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "harness.h"

#include <dirent.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

th_env th;

static void
th_die(const char *what)
{
    fprintf(stderr, "harness: %s\n", what);
    exit(2);
}

static void
th_write_conf(const char *extra)
{
    FILE *f = fopen(th.conf, "w");

    if (f == NULL) {
        th_die("cannot write config");
    }
    fprintf(f, "token_dir = %s\nkdf_memory_kib = 64\nkdf_passes = 1\n", th.token_dir);
    if (extra != NULL) {
        fputs(extra, f);
    }
    fclose(f);
}

void
th_setup(const char *extra)
{
    const char *mod = getenv("TK_MODULE");
    CK_RV (*get_interface)(CK_UTF8CHAR_PTR, CK_VERSION_PTR, CK_INTERFACE_PTR_PTR, CK_FLAGS);
    CK_INTERFACE_PTR iface = NULL;

    memset(&th, 0, sizeof(th));
    snprintf(th.dir, sizeof(th.dir), "/tmp/tk-test-XXXXXX");
    if (mkdtemp(th.dir) == NULL) {
        th_die("mkdtemp");
    }
    snprintf(th.token_dir, sizeof(th.token_dir), "%s/tokens", th.dir);
    snprintf(th.conf, sizeof(th.conf), "%s/trustoken.conf", th.dir);
    th_write_conf(extra);
    setenv("TRUSTOKEN_CONF", th.conf, 1);
    if (mod == NULL) {
        th_die("TK_MODULE is not set");
    }
    th.dl = dlopen(mod, RTLD_NOW | RTLD_LOCAL);
    if (th.dl == NULL) {
        th_die(dlerror());
    }
    *(void **)&get_interface = dlsym(th.dl, "C_GetInterface");
    if (get_interface == NULL || get_interface(NULL, NULL, &iface, 0) != CKR_OK) {
        th_die("C_GetInterface failed");
    }
    th.f = iface->pFunctionList;
}

static void
th_rmtree(const char *path)
{
    DIR *d = opendir(path);
    struct dirent *e;
    char sub[PATH_MAX];

    if (d == NULL) {
        unlink(path);
        return;
    }
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
            continue;
        }
        snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
        th_rmtree(sub);
    }
    closedir(d);
    rmdir(path);
}

void
th_teardown(void)
{
    if (th.f != NULL) {
        th.f->C_Finalize(NULL);
    }
    /* The module stays loaded, as in most applications: its cached
     * algorithm objects then stay reachable and the leak checker reports
     * only what an operation really lost. */
    th.dl = NULL;
    th_rmtree(th.dir);
    memset(&th, 0, sizeof(th));
}

CK_SLOT_ID
th_init_and_empty_slot(void)
{
    CK_SLOT_ID slots[64];
    CK_ULONG n = 64;
    CK_TOKEN_INFO ti;

    if (th.f->C_Initialize(NULL) != CKR_OK) {
        th_die("C_Initialize");
    }
    if (th.f->C_GetSlotList(CK_FALSE, slots, &n) != CKR_OK) {
        th_die("C_GetSlotList");
    }
    for (CK_ULONG i = 0; i < n; i++) {
        if (th.f->C_GetTokenInfo(slots[i], &ti) == CKR_OK &&
            !(ti.flags & CKF_TOKEN_INITIALIZED)) {
            return slots[i];
        }
    }
    th_die("no empty slot");
    return 0;
}

static void
th_pad_label(CK_UTF8CHAR out[32], const char *label)
{
    size_t n = strlen(label);

    memset(out, ' ', 32);
    memcpy(out, label, n < 32 ? n : 32);
}

CK_SLOT_ID
th_make_token(const char *label)
{
    CK_SLOT_ID slot = th_init_and_empty_slot();
    CK_UTF8CHAR lab[32];
    CK_SESSION_HANDLE s;

    th_pad_label(lab, label);
    if (th.f->C_InitToken(slot, (CK_UTF8CHAR_PTR)TH_SO_PIN, strlen(TH_SO_PIN), lab) != CKR_OK) {
        th_die("C_InitToken");
    }
    s = th_open(slot, 1);
    if (th.f->C_Login(s, CKU_SO, (CK_UTF8CHAR_PTR)TH_SO_PIN, strlen(TH_SO_PIN)) != CKR_OK ||
        th.f->C_InitPIN(s, (CK_UTF8CHAR_PTR)TH_USER_PIN, strlen(TH_USER_PIN)) != CKR_OK ||
        th.f->C_Logout(s) != CKR_OK || th.f->C_CloseSession(s) != CKR_OK) {
        th_die("SO login / C_InitPIN");
    }
    return slot;
}

CK_SESSION_HANDLE
th_open(CK_SLOT_ID slot, int rw)
{
    CK_SESSION_HANDLE s = 0;
    CK_FLAGS flags = CKF_SERIAL_SESSION | (rw ? CKF_RW_SESSION : 0);

    if (th.f->C_OpenSession(slot, flags, NULL, NULL, &s) != CKR_OK) {
        th_die("C_OpenSession");
    }
    return s;
}

CK_OBJECT_HANDLE
th_data_object(CK_SESSION_HANDLE s, const char *label, const char *value, CK_BBOOL token,
               CK_BBOOL priv, CK_RV *rv)
{
    CK_OBJECT_CLASS cls = CKO_DATA;
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
    CK_ATTRIBUTE t[] = {
        {CKA_CLASS, &cls, sizeof(cls)},
        {CKA_TOKEN, &token, sizeof(token)},
        {CKA_PRIVATE, &priv, sizeof(priv)},
        {CKA_LABEL, (void *)label, strlen(label)},
        {CKA_VALUE, (void *)value, strlen(value)},
    };

    *rv = th.f->C_CreateObject(s, t, 5, &h);
    return h;
}

CK_ULONG
th_count(CK_SESSION_HANDLE s, CK_ATTRIBUTE *tmpl, CK_ULONG n)
{
    CK_OBJECT_HANDLE h[256];
    CK_ULONG got = 0;
    CK_ULONG total = 0;

    if (th.f->C_FindObjectsInit(s, tmpl, n) != CKR_OK) {
        return (CK_ULONG)-1;
    }
    do {
        if (th.f->C_FindObjects(s, h, 256, &got) != CKR_OK) {
            total = (CK_ULONG)-1;
            break;
        }
        total += got;
    } while (got > 0);
    th.f->C_FindObjectsFinal(s);
    return total;
}

CK_ULONG
th_count_label(CK_SESSION_HANDLE s, const char *label)
{
    CK_ATTRIBUTE t = {CKA_LABEL, (void *)label, strlen(label)};

    return th_count(s, &t, 1);
}

CK_FLAGS
th_token_flags(CK_SLOT_ID slot)
{
    CK_TOKEN_INFO ti;

    if (th.f->C_GetTokenInfo(slot, &ti) != CKR_OK) {
        return 0;
    }
    return ti.flags;
}

int
th_file_contains(const char *path, const void *needle, size_t len)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf;
    long size;
    int found = 0;

    if (f == NULL) {
        return 0;
    }
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)size + 1);
    if (buf != NULL && fread(buf, 1, (size_t)size, f) == (size_t)size) {
        found = memmem(buf, (size_t)size, needle, len) != NULL;
    }
    free(buf);
    fclose(f);
    return found;
}
