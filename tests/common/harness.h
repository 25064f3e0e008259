/*
 * Test harness for tests that reach the module the way applications do:
 * dlopen() the built .so and call it only through the function list that
 * C_GetInterface returns.
 *
 * Each test process gets a throw-away token directory and configuration
 * (cheap Argon2 so that tests stay fast); see th_setup().
 */
#ifndef TK_TESTS_HARNESS_H
#define TK_TESTS_HARNESS_H

#include <limits.h>
#include <stddef.h>

#include "trustoken/pkcs11.h"

typedef struct {
    void *dl;
    CK_FUNCTION_LIST_3_2 *f;
    char dir[256];           /* temporary root */
    char token_dir[512];
    char conf[512];
} th_env;

extern th_env th;

#define TH_SO_PIN "so-secret"
#define TH_USER_PIN "user-secret"

/*
 * Make a temporary directory with a config file holding token_dir, the
 * cheap KDF settings and `extra` (more "key = value" lines, may be NULL),
 * point TRUSTOKEN_CONF at it and load the module named by $TK_MODULE.
 * Aborts the test program on failure.
 */
void
th_setup(const char *extra);

/* Unload the module and delete the temporary directory. */
void
th_teardown(void);

/* C_Initialize(NULL) and return the first uninitialised slot's ID. */
CK_SLOT_ID
th_init_and_empty_slot(void);

/* Initialise a token in an empty slot with TH_SO_PIN and the label, set
 * TH_USER_PIN as user PIN, and return its slot. Library stays initialised. */
CK_SLOT_ID
th_make_token(const char *label);

/* Open a session (rw nonzero: read-write). */
CK_SESSION_HANDLE
th_open(CK_SLOT_ID slot, int rw);

/* Create a data object; token and private as given. Returns its handle. */
CK_OBJECT_HANDLE
th_data_object(CK_SESSION_HANDLE s, const char *label, const char *value, CK_BBOOL token,
               CK_BBOOL priv, CK_RV *rv);

/* Number of objects C_FindObjects returns for the template. */
CK_ULONG
th_count(CK_SESSION_HANDLE s, CK_ATTRIBUTE *tmpl, CK_ULONG n);

/* Objects with this label. */
CK_ULONG
th_count_label(CK_SESSION_HANDLE s, const char *label);

/* Token flags of slot. */
CK_FLAGS
th_token_flags(CK_SLOT_ID slot);

/* 1 when the file contains the byte string. */
int
th_file_contains(const char *path, const void *needle, size_t len);

#endif
