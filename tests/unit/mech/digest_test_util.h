/*
 * Helpers of the digest and MAC unit tests: known-answer files of
 * whitespace-separated hex fields, and mechanism names.
 */
#ifndef TK_TESTS_DIGEST_TEST_UTIL_H
#define TK_TESTS_DIGEST_TEST_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "trustoken/pkcs11.h"

#define TK_KAT_MAX_FIELDS 4
#define TK_KAT_MAX_BYTES 512

/* One line of a known-answer file: the name and up to three hex fields
 * ("-" is an empty field). */
typedef struct {
    char name[64];
    uint8_t v[TK_KAT_MAX_FIELDS - 1][TK_KAT_MAX_BYTES];
    size_t len[TK_KAT_MAX_FIELDS - 1];
    size_t nfields;  /* hex fields read */
} tk_kat_line;

/* Call fn for each line of path that is not blank or a '#' comment;
 * returns the number of lines, failing the test on a malformed one. */
size_t
tk_kat_each(const char *path, void (*fn)(const tk_kat_line *line, void *arg), void *arg);

/* The CKM_ value of a name used in the files; fails the test if unknown. */
CK_MECHANISM_TYPE
tk_kat_mech(const char *name);

#endif
