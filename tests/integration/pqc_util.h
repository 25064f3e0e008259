/*
 * Small helpers shared by the post-quantum tests that go through the
 * module (pqc_*_test.c): hex and JSON, key objects from raw values, and
 * reading a new secret key's value. Everything asserts with cmocka.
 */
#ifndef TK_TESTS_PQC_UTIL_H
#define TK_TESTS_PQC_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "harness.h"

/* Bytes of a hex string (any case); *len receives the length. Free it. */
uint8_t *
pq_unhex(const char *s, size_t *len);

/* Bytes of the string member name of obj (empty when absent). */
uint8_t *
pq_hex(const cJSON *obj, const char *name, size_t *len);

/* The JSON file at TK_TEST_VECTORS/rel. */
cJSON *
pq_load(const char *rel);

/* CKP_ value of a parameter set name ("ML-KEM-768", "ML-DSA-44",
 * "SLH-DSA-SHAKE-128f"); 0 when unknown. */
CK_ULONG
pq_set_by_name(const char *name);

/*
 * A session key object of key type kt: public (value) or private (value
 * and/or seed, NULL for absent), with the usage attribute use set,
 * private ones extractable and not sensitive so tests can read them.
 * Returns the C_CreateObject result; *h is set on success.
 */
CK_RV
pq_make_pub(CK_SESSION_HANDLE s, CK_KEY_TYPE kt, CK_ULONG set, const uint8_t *v, size_t len,
            CK_ATTRIBUTE_TYPE use, CK_OBJECT_HANDLE *h);

CK_RV
pq_make_priv(CK_SESSION_HANDLE s, CK_KEY_TYPE kt, CK_ULONG set, const uint8_t *v, size_t len,
             const uint8_t *seed, size_t seed_len, CK_ATTRIBUTE_TYPE use, CK_OBJECT_HANDLE *h);

/* Read attribute type of h into a new buffer; *len its length. */
uint8_t *
pq_attr(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE type, size_t *len);

/* C_DecapsulateKey into a readable generic secret; K copied to k (32). */
CK_RV
pq_decaps(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE priv, const uint8_t *ct, size_t ct_len,
          uint8_t k[32]);

/* C_Sign in one part with mech and its parameter; sig must hold 50000. */
CK_RV
pq_sign(CK_SESSION_HANDLE s, CK_MECHANISM *m, CK_OBJECT_HANDLE key, const uint8_t *msg,
        size_t len, uint8_t *sig, CK_ULONG *sig_len);

/* C_VerifyInit + C_Verify; the C_Verify result (init must succeed). */
CK_RV
pq_verify(CK_SESSION_HANDLE s, CK_MECHANISM *m, CK_OBJECT_HANDLE key, const uint8_t *msg,
          size_t len, const uint8_t *sig, size_t sig_len);

#endif
