/* Helpers shared by the ML-KEM tests: hex, JSON files, set names. */
#ifndef TK_TESTS_MLKEM_TEST_UTIL_H
#define TK_TESTS_MLKEM_TEST_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "crypto/pqc/mlkem.h"

/* Decode hex (either case) into out; returns the byte count, or -1 when the
 * text is not hex or does not fit in cap bytes. */
long
tk_mlkem_test_unhex(uint8_t *out, size_t cap, const char *hex);

/* Read and parse TK_TEST_VECTORS/mlkem/<rel>; fails the test on error. */
cJSON *
tk_mlkem_test_load_json(const char *rel);

/* Full path of TK_TEST_VECTORS/mlkem/<rel> in a static buffer. */
const char *
tk_mlkem_test_path(const char *rel);

/* "ML-KEM-512" etc. to the set; 0 when unknown. */
tk_mlkem_set
tk_mlkem_test_set(const char *name);

/* String member of a JSON object, or NULL. */
const char *
tk_mlkem_test_str(const cJSON *obj, const char *key);

/* Decode the hex member key of obj into a new malloc'd buffer; *len gets
 * its length. Fails the test when the member is missing or not hex. */
uint8_t *
tk_mlkem_test_hex_member(const cJSON *obj, const char *key, size_t *len);

/* KeyGen as the FIPS 203 draft defined it (g = G(d), not G(d || k)), for
 * vectors made before the standard; see mlkem_kem.h. */
void
tk_mlkem_test_keygen_draft(tk_mlkem_set set, const uint8_t d[32], const uint8_t z[32],
                           uint8_t *ek, uint8_t *dk);

#endif
