/*
 * Helpers for the ML-DSA tests: JSON vector files and hex fields.
 */
#ifndef TK_TEST_MLDSA_TEST_UTIL_H
#define TK_TEST_MLDSA_TEST_UTIL_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/pqc/mldsa.h"

/* A byte string decoded from hex; data is NULL only when len is 0. */
typedef struct {
    uint8_t *data;
    size_t len;
} tk_mldsa_test_buf;

/* Parses <TK_MLDSA_VECTOR_DIR>/<rel>; fails the test when unreadable. */
cJSON *
tk_mldsa_test_load(const char *rel);

/* Decodes the hex string item[name]; present is set to 0 when the field
 * is missing (buf then empty). Fails the test on bad hex. */
tk_mldsa_test_buf
tk_mldsa_test_hex(const cJSON *item, const char *name, int *present);

void
tk_mldsa_test_buf_free(tk_mldsa_test_buf *b);

/* "ML-DSA-44" and friends to the set; fails the test otherwise. */
tk_mldsa_set
tk_mldsa_test_set_from_name(const char *name);

/* 1 when the test's "flags" array holds flag. */
int
tk_mldsa_test_has_flag(const cJSON *test, const char *flag);

#endif
