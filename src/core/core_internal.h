/*
 * Core state shared by the files of src/core; nothing outside core sees it.
 *
 * Locks, taken in this order and never the other way:
 *   tk_lib_enter()        the library's life: every call holds it for reading,
 *                         C_Initialize/C_Finalize for writing
 *   lib->table            slot list and session table; held only briefly
 *   session->lock         one session's operation state
 *   token->lock           a token's objects, login state and record cache
 *   token->store_lock     the token's store handle (SQLite connection)
 * Functions named _inlock expect token->lock held (for writing when they
 * change anything); _instore expect store_lock too.
 */
#ifndef TK_CORE_CORE_INTERNAL_H
#define TK_CORE_CORE_INTERNAL_H

#include <limits.h>
#include <pthread.h>
#include <stdint.h>

#include "core/config.h"
#include "mech/mech.h"
#include "object/objset.h"
#include "store/store.h"
#include "trustoken/pkcs11.h"
#include "util/hmap.h"
#include "util/lock.h"

/* Login state of this application on a token. */
#define TK_NOBODY ((CK_USER_TYPE)-1)

/* Object handles: token objects carry their slot and store row, so a
 * public one is stable for the life of the row and a private one for a
 * login (tk_token_object_handle); session objects have their own range. */
#define TK_HANDLE_SLOT_SHIFT 40
#define TK_HANDLE_PROFILE_BIT ((CK_OBJECT_HANDLE)1 << 39)
#define TK_HANDLE_SESSION_BASE ((CK_OBJECT_HANDLE)1 << 62)

typedef struct tk_token {
    tk_lock lock;
    tk_lock store_lock;
    tk_store *st;
    CK_SLOT_ID slot_id;
    tk_token_record rec;       /* cache of the stored record */
    tk_objset *objs;
    int objects_loaded;        /* public rows are in objs */
    int private_loaded;        /* private rows are in objs */
    CK_USER_TYPE login;        /* TK_NOBODY, CKU_USER or CKU_SO */
    uint8_t token_key[TK_TOKEN_KEY_LEN];
    int have_key;
    CK_ULONG n_sessions;
    CK_ULONG n_rw_sessions;
    int write_protected;       /* the database can only be read */
    uint32_t private_epoch;    /* private objects dropped this many times:
                                  part of their handles (token.c) */
} tk_token;

typedef struct tk_slot {
    CK_SLOT_ID id;
    char path[PATH_MAX];       /* the token database; empty: uninitialised */
    tk_token *token;           /* opened on first use, or NULL */
} tk_slot;

typedef struct tk_find_state {
    int active;
    CK_OBJECT_HANDLE *handles;
    size_t count;
    size_t pos;
} tk_find_state;

typedef struct tk_session {
    CK_SESSION_HANDLE handle;
    tk_slot *slot;
    tk_token *token;
    CK_FLAGS flags;
    void *app;
    CK_NOTIFY notify;
    tk_lock lock;
    int refs;                  /* atomic: table + callers in flight */
    int closed;
    uint64_t object_mark;      /* lib->next_object when the session opened:
                                  unchanged at close, it owns no objects */
    tk_find_state find;
    tk_op *ops[TK_OP_COUNT];   /* active operations, one per kind */
    int context_auth_needed;   /* the active operation's key has
                                  CKA_ALWAYS_AUTHENTICATE */
    int auth_kind;             /* that operation's kind */
    int context_auth_ok;       /* CKU_CONTEXT_SPECIFIC login done */
} tk_session;

typedef struct tk_lib {
    tk_config cfg;
    tk_lock_callbacks cb;
    int use_cb;
    tk_srw *table;             /* slot list and session table */
    pthread_mutex_t open_mu;   /* opening a token's store (may wait) */
    pthread_mutex_t init_mu;   /* C_InitToken on an uninitialised slot */
    tk_slot **slots;
    size_t n_slots;
    tk_hmap sessions;          /* handle -> tk_session* */
    CK_SESSION_HANDLE next_session;
    uint64_t next_object;      /* atomic; session-object handles */
} tk_lib;

/* ---- library (library.c) ---- */

/* Enter a call: NULL when not initialised (then nothing is held). */
tk_lib *
tk_lib_enter(void);

void
tk_lib_leave(void);

/* ---- slots (slot.c) ---- */

CK_RV
tk_slots_scan(tk_lib *lib);

/* The slot, or NULL; lib->table must not be held. */
tk_slot *
tk_slot_get(tk_lib *lib, CK_SLOT_ID id);

void
tk_slots_free(tk_lib *lib, int abandon);

/* Open the slot's token if needed; CKR_TOKEN_NOT_RECOGNIZED for an
 * uninitialised slot or unreadable database. */
CK_RV
tk_slot_token(tk_lib *lib, tk_slot *slot, tk_token **out);

/* ---- tokens (token.c) ---- */

CK_RV
tk_token_open(tk_lib *lib, const char *path, CK_SLOT_ID slot_id, tk_token **out);

/* Create a new token database at path holding rec. */
CK_RV
tk_token_create(tk_lib *lib, const char *path, CK_SLOT_ID slot_id, const tk_token_record *rec,
                tk_token **out);

void
tk_token_free(tk_token *tok, int abandon);

/* Bring the object cache up to date with the store (other processes'
 * changes); takes the token lock for writing when something changed. */
CK_RV
tk_token_sync(tk_lib *lib, tk_token *tok);

/* Reload rows into objs; token lock held for writing. */
CK_RV
tk_token_reload_inlock(tk_lib *lib, tk_token *tok);

/* At login: add the private rows to objs (a full reload when nothing is
 * loaded yet); token lock held for writing, token key set. */
CK_RV
tk_token_load_private_inlock(tk_lib *lib, tk_token *tok);

/* Drop private objects (token objects from the cache, session objects
 * for good) and the token key: logout. */
void
tk_token_forget_private_inlock(tk_token *tok);

/* Refresh rec from the store; token lock held for writing. */
CK_RV
tk_token_refresh_record_inlock(tk_token *tok);

CK_FLAGS
tk_token_flags_inlock(const tk_lib *lib, const tk_token *tok);

/* ---- sessions (session.c) ---- */

/* Look up and reference a session; CKR_SESSION_HANDLE_INVALID. */
CK_RV
tk_session_get(tk_lib *lib, CK_SESSION_HANDLE h, tk_session **out);

void
tk_session_put(tk_session *s);

CK_STATE
tk_session_state(const tk_session *s);

/* Free every session (C_Finalize) or just the table (after fork). */
void
tk_sessions_free_all(tk_lib *lib, int abandon);

/*
 * The start of every call on a session: enter the library, reference the
 * session and, when sync is nonzero, bring the token's object cache up to
 * date. On failure *lib may still be set: always end with tk_call_leave().
 */
CK_RV
tk_call_enter(CK_SESSION_HANDLE h, int sync, tk_lib **lib, tk_session **s);

/* Drop what tk_call_enter() took; both may be NULL. */
void
tk_call_leave(tk_lib *lib, tk_session *s);

/* How many sessions this application has open on tok. */
CK_ULONG
tk_sessions_of_token(tk_lib *lib, const tk_token *tok);

/* ---- objects (objects.c) ---- */

/* Visibility of obj to session s (token lock held). */
int
tk_object_visible_inlock(const tk_session *s, const tk_object *obj);

/* Destroy the session objects owned by h (token lock held for writing). */
void
tk_objects_drop_session_inlock(tk_token *tok, CK_SESSION_HANDLE h);

/* Handle for a token object of tok (store_id and is_private set). */
CK_OBJECT_HANDLE
tk_token_object_handle(const tk_token *tok, const tk_object *obj);

/* End every operation of s whose kind is in the CKF_ mask of
 * C_SessionCancel (all of them for ~0); session lock held. */
void
tk_session_end_ops_inlock(tk_session *s, CK_FLAGS mask);

/* End the operation of kind, if any; session lock held. */
void
tk_session_end_op_inlock(tk_session *s, tk_op_kind kind);

/* ---- cryptography (crypto.c, crypto_keys.c) ---- */

/* A tk_key view of an object, borrowed: valid while the token lock is
 * held and the object unchanged. Keys of up to TK_KEYVIEW_INLINE
 * attributes use the view's own array, so starting an operation
 * allocates nothing; the view must not be copied once made. */
#define TK_KEYVIEW_INLINE 48

typedef struct {
    tk_key key;
    CK_ATTRIBUTE *arr;
    CK_ATTRIBUTE inline_arr[TK_KEYVIEW_INLINE];
} tk_keyview;

CK_RV
tk_keyview_make(const tk_object *obj, tk_keyview *kv);

void
tk_keyview_clear(tk_keyview *kv);

/* The visible key object h allowed to do usage (0: no usage check) with
 * mech; token lock held. CKR_KEY_HANDLE_INVALID or
 * CKR_KEY_FUNCTION_NOT_PERMITTED. */
CK_RV
tk_crypto_key_inlock(const tk_session *s, CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE usage,
                     CK_MECHANISM_TYPE mech, const tk_object **out);

/* C_VerifySignatureInit's operation; session lock held. */
CK_RV
tk_crypto_verify_signature_init_inlock(tk_session *s, const CK_MECHANISM *m,
                                       CK_OBJECT_HANDLE keyh, const CK_BYTE *sig,
                                       CK_ULONG sig_len, tk_op **op);

/* Give obj a handle, store it if it is a token object, add it to the
 * token's set; takes ownership of obj in every case (objects.c). */
CK_RV
tk_objects_insert(tk_lib *lib, tk_session *s, tk_object *obj, CK_OBJECT_HANDLE *out);

/* ---- PIN checks (login.c) ---- */

CK_RV
tk_pin_check_len(const tk_lib *lib, CK_ULONG len);

/* Verify pin for user against the record, counting failures.
 * On success fills key (may be NULL). Does not take the token lock. */
CK_RV
tk_pin_verify(tk_lib *lib, tk_token *tok, CK_USER_TYPE user, const CK_UTF8CHAR *pin,
              CK_ULONG len, uint8_t key[TK_TOKEN_KEY_LEN]);

/* Pad a string into a fixed-length, space-padded, NUL-free field. */
void
tk_pad(CK_UTF8CHAR *dst, size_t len, const char *src);

#endif
