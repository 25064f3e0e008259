/*
 * Shared helpers for tests that read known-answer vectors (Wycheproof,
 * ACVP) from JSON files below tests/vectors: hex decoding, reading a whole
 * file, loading a vector file and walking its test groups and cases.
 *
 * Every helper checks with cmocka assertions, so a missing file, a bad hex
 * digit or a field of the wrong type fails the running test. Buffers they
 * return are malloc()ed and belong to the caller (free()); cJSON trees are
 * released with cJSON_Delete(). None of them is constant time.
 */
#ifndef TK_TESTS_TESTVEC_H
#define TK_TESTS_TESTVEC_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

/*
 * The hex string field `name` of obj decoded into a new buffer of
 * *len bytes (one spare byte, so never a zero-size allocation). A missing
 * or non-string field decodes as empty.
 */
uint8_t *
tk_tv_hex(const cJSON *obj, const char *name, size_t *len);

/* The hex string s decoded into a new buffer of *len bytes (one spare). */
uint8_t *
tk_tv_hex_str(const char *s, size_t *len);

/* As tk_tv_hex(), but the field must be present and a string. */
uint8_t *
tk_tv_hex_req(const cJSON *obj, const char *name, size_t *len);

/*
 * Decode the hex string s (even length) into out, at most cap bytes;
 * the decoded length.
 */
size_t
tk_tv_unhex(const char *s, uint8_t *out, size_t cap);

/*
 * As tk_tv_unhex() for the text vector files, where "-" stands for no
 * bytes; an odd final digit is ignored.
 */
size_t
tk_tv_unhex_dash(const char *s, uint8_t *out, size_t cap);

/*
 * The whole file at path in a new NUL-terminated buffer; *len (may be
 * NULL) its length without the NUL. The file must exist and not be empty.
 */
char *
tk_tv_read_file(const char *path, size_t *len);

/*
 * Read at most cap bytes of the file at path into buf; the count read.
 * The file must exist (it may be shorter or empty).
 */
size_t
tk_tv_read_into(const char *path, uint8_t *buf, size_t cap);

/* Write len bytes of data to the file at path, replacing it. */
void
tk_tv_write_file(const char *path, const void *data, size_t len);

/* The JSON file TK_TEST_VECTORS/rel, parsed. */
cJSON *
tk_tv_load(const char *rel);

/* The Wycheproof file TK_TEST_VECTORS/wycheproof/name, parsed. */
cJSON *
tk_tv_wycheproof(const char *name);

/* The array of test groups of a vector file, and of cases of a group. */
const cJSON *
tk_tv_groups(const cJSON *root);

const cJSON *
tk_tv_cases(const cJSON *group);

/* The string field name of obj, or "" when it is missing or no string. */
const char *
tk_tv_str(const cJSON *obj, const char *name);

/* The string field name of obj, which must be present. */
const char *
tk_tv_str_req(const cJSON *obj, const char *name);

/* The number field name of obj, which must be present. */
long
tk_tv_num(const cJSON *obj, const char *name);

/* A Wycheproof case's tcId. */
int
tk_tv_tcid(const cJSON *t);

/* A Wycheproof case's result string: "valid", "invalid" or "acceptable". */
const char *
tk_tv_result(const cJSON *t);

/* 1 when the case's result is `result` (e.g. "valid"), else 0. */
int
tk_tv_result_is(const cJSON *t, const char *result);

/* 1 when the case lists `flag` among its flags, else 0. */
int
tk_tv_has_flag(const cJSON *t, const char *flag);

#endif
