/*
 * Slots: one per initialised token found in the token directory, plus the
 * configured number of slots holding an uninitialised token that
 * C_InitToken turns into a new token. Slot IDs are positions in the list;
 * the list only grows while the library is initialised, so an ID never
 * changes meaning.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "core/core_internal.h"
#include "util/check.h"
#include "util/log.h"

#define TK_TOKEN_FILE_PREFIX "token-"
#define TK_TOKEN_FILE_SUFFIX ".db"

static int
tk_slot_is_token_file(const char *name)
{
    size_t n = strlen(name);
    size_t p = strlen(TK_TOKEN_FILE_PREFIX);
    size_t s = strlen(TK_TOKEN_FILE_SUFFIX);

    return n > p + s && strncmp(name, TK_TOKEN_FILE_PREFIX, p) == 0 &&
           strcmp(name + n - s, TK_TOKEN_FILE_SUFFIX) == 0;
}

static int
tk_slot_name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names of the token files in dir; *names malloc'd. */
static CK_RV
tk_slot_list_files(const char *dir, char ***names, size_t *count)
{
    CK_RV rv = CKR_OK;
    DIR *d = opendir(dir);
    struct dirent *e;
    char **v = NULL;
    size_t n = 0;

    *names = NULL;
    *count = 0;
    if (d == NULL) {
        TK_WARN("cannot read token directory %s", dir);
        return CKR_OK;
    }
    while ((e = readdir(d)) != NULL) {
        char **nv;
        if (!tk_slot_is_token_file(e->d_name)) {
            continue;
        }
        nv = realloc(v, (n + 1) * sizeof(*v));
        TK_CHECK(nv != NULL, CKR_HOST_MEMORY);
        v = nv;
        v[n] = strdup(e->d_name);
        TK_CHECK(v[n] != NULL, CKR_HOST_MEMORY);
        n++;
    }
    if (n > 1) {
        qsort(v, n, sizeof(*v), tk_slot_name_cmp);
    }
    *names = v;
    *count = n;
    v = NULL;
out:
    if (v != NULL) {
        for (size_t i = 0; i < n; i++) {
            free(v[i]);
        }
        free(v);
    }
    closedir(d);
    return rv;
}

/* Append a slot (path NULL: uninitialised); the table lock held or not shared. */
static CK_RV
tk_slot_append(tk_lib *lib, const char *path)
{
    tk_slot **nv = realloc(lib->slots, (lib->n_slots + 1) * sizeof(*nv));
    tk_slot *slot;

    if (nv == NULL) {
        return CKR_HOST_MEMORY;
    }
    lib->slots = nv;
    slot = calloc(1, sizeof(*slot));
    if (slot == NULL) {
        return CKR_HOST_MEMORY;
    }
    slot->id = lib->n_slots;
    if (path != NULL) {
        snprintf(slot->path, sizeof(slot->path), "%s", path);
    }
    lib->slots[lib->n_slots++] = slot;
    return CKR_OK;
}

static int
tk_slot_known(const tk_lib *lib, const char *path)
{
    for (size_t i = 0; i < lib->n_slots; i++) {
        if (strcmp(lib->slots[i]->path, path) == 0) {
            return 1;
        }
    }
    return 0;
}

/* Add slots for token files that appeared since the last scan (another
 * process ran C_InitToken); the table lock held. */
static CK_RV
tk_slots_add_new_files(tk_lib *lib)
{
    CK_RV rv = CKR_OK;
    char **names = NULL;
    size_t n = 0;
    char path[PATH_MAX];

    TK_GUARD(tk_slot_list_files(lib->cfg.token_dir, &names, &n));
    for (size_t i = 0; i < n; i++) {
        int len = snprintf(path, sizeof(path), "%s/%s", lib->cfg.token_dir, names[i]);
        if (len <= 0 || (size_t)len >= sizeof(path) || tk_slot_known(lib, path)) {
            continue;
        }
        TK_GUARD(tk_slot_append(lib, path));
    }
out:
    for (size_t i = 0; i < n; i++) {
        free(names[i]);
    }
    free(names);
    return rv;
}

static size_t
tk_slots_empty_count(const tk_lib *lib)
{
    size_t n = 0;

    for (size_t i = 0; i < lib->n_slots; i++) {
        n += lib->slots[i]->path[0] == '\0';
    }
    return n;
}

/* Keep the configured number of uninitialised slots; the table lock held. */
static CK_RV
tk_slots_top_up_empty(tk_lib *lib)
{
    CK_RV rv = CKR_OK;

    for (size_t n = tk_slots_empty_count(lib); n < lib->cfg.empty_slots; n++) {
        TK_GUARD(tk_slot_append(lib, NULL));
    }
out:
    return rv;
}

CK_RV
tk_slots_scan(tk_lib *lib)
{
    CK_RV rv = CKR_OK;

    tk_srw_wrlock(lib->table);
    TK_GUARD(tk_slots_add_new_files(lib));
    TK_GUARD(tk_slots_top_up_empty(lib));
out:
    tk_srw_wrunlock(lib->table);
    return rv;
}

tk_slot *
tk_slot_get(tk_lib *lib, CK_SLOT_ID id)
{
    tk_slot *slot = NULL;

    tk_srw_rdlock(lib->table);
    if (id < lib->n_slots) {
        slot = lib->slots[id];
    }
    tk_srw_rdunlock(lib->table);
    return slot;
}

void
tk_slots_free(tk_lib *lib, int abandon)
{
    for (size_t i = 0; i < lib->n_slots; i++) {
        if (lib->slots[i]->token != NULL) {
            tk_token_free(lib->slots[i]->token, abandon);
        }
        free(lib->slots[i]);
    }
    free(lib->slots);
    lib->slots = NULL;
    lib->n_slots = 0;
}

CK_RV
tk_slot_token(tk_lib *lib, tk_slot *slot, tk_token **out)
{
    CK_RV rv = CKR_OK;
    tk_token *tok;

    pthread_mutex_lock(&lib->open_mu);
    tok = slot->token;
    if (tok == NULL) {
        TK_CHECK(slot->path[0] != '\0', CKR_TOKEN_NOT_RECOGNIZED);
        TK_GUARD(tk_token_open(lib, slot->path, slot->id, &tok));
        slot->token = tok;
    }
    *out = tok;
out:
    pthread_mutex_unlock(&lib->open_mu);
    return rv;
}

CK_RV
tk_core_get_slot_list(CK_BBOOL token_present, CK_SLOT_ID *list, CK_ULONG *count)
{
    CK_RV rv = CKR_OK;
    tk_lib *lib = tk_lib_enter();

    if (lib == NULL) {
        return CKR_CRYPTOKI_NOT_INITIALIZED;
    }
    /* Pick up tokens other processes created, on the length query only,
     * so the list cannot change between the two calls of one query. */
    if (list == NULL) {
        TK_GUARD(tk_slots_scan(lib));
    }
    tk_srw_wrlock(lib->table);
    if (list != NULL && *count < lib->n_slots) {
        rv = CKR_BUFFER_TOO_SMALL;
    } else if (list != NULL) {
        for (size_t i = 0; i < lib->n_slots; i++) {
            list[i] = lib->slots[i]->id;
        }
    }
    *count = lib->n_slots;
    tk_srw_wrunlock(lib->table);
    (void)token_present; /* every slot holds a token, initialised or not */
out:
    tk_lib_leave();
    return rv;
}

CK_RV
tk_core_get_slot_info(CK_SLOT_ID id, CK_SLOT_INFO *info)
{
    char desc[64];
    tk_lib *lib = tk_lib_enter();
    tk_slot *slot;

    if (lib == NULL) {
        return CKR_CRYPTOKI_NOT_INITIALIZED;
    }
    slot = tk_slot_get(lib, id);
    if (slot == NULL) {
        tk_lib_leave();
        return CKR_SLOT_ID_INVALID;
    }
    memset(info, 0, sizeof(*info));
    snprintf(desc, sizeof(desc), "TrusToken slot %lu", (unsigned long)id);
    tk_pad(info->slotDescription, sizeof(info->slotDescription), desc);
    tk_pad(info->manufacturerID, sizeof(info->manufacturerID), "TrusToken");
    info->flags = CKF_TOKEN_PRESENT;
    info->hardwareVersion.major = 0;
    info->hardwareVersion.minor = 1;
    info->firmwareVersion.major = 0;
    info->firmwareVersion.minor = 1;
    tk_lib_leave();
    return CKR_OK;
}

CK_RV
tk_core_wait_for_slot_event(CK_FLAGS flags, CK_SLOT_ID *slot)
{
    (void)slot;
    if (tk_lib_enter() == NULL) {
        return CKR_CRYPTOKI_NOT_INITIALIZED;
    }
    tk_lib_leave();
    /* Soft tokens are never inserted or removed. */
    return (flags & CKF_DONT_BLOCK) ? CKR_NO_EVENT : CKR_FUNCTION_NOT_SUPPORTED;
}
