/*
 * ML-KEM, ML-DSA and SLH-DSA keys in DER, written and read by the tool
 * itself: the OpenSSL 3.0 it links knows none of these algorithms.
 *
 *   SubjectPublicKeyInfo: the NIST algorithm identifier (no parameters)
 *     and the raw public key as the BIT STRING.
 *   PrivateKeyInfo / OneAsymmetricKey [RFC 5958]: ML-KEM and ML-DSA keys
 *     hold the CHOICE of the IETF LAMPS profiles, seed [0], expandedKey
 *     OCTET STRING or both in a SEQUENCE; SLH-DSA keys their 4n bytes.
 *     An optional publicKey [1] is read too.
 *
 * All buffers below are malloc()ed; key material is wiped on free.
 */
#ifndef TK_TOOL_PQC_DER_H
#define TK_TOOL_PQC_DER_H

#include <stddef.h>

#include <trustoken/pkcs11.h>

/* One parameter set: its PKCS#11 names and byte lengths. */
struct tk_pqc_params {
    const char *name;           /* as the --key-type option spells it */
    CK_KEY_TYPE type;           /* CKK_ML_KEM, CKK_ML_DSA, CKK_SLH_DSA */
    CK_ULONG set;               /* CKP_* */
    unsigned char arc;          /* OID 2.16.840.1.101.3.4.<arc>.<last> */
    unsigned char last;
    size_t pub_len;
    size_t priv_len;            /* expanded key (SLH-DSA: the 4n bytes) */
    size_t seed_len;            /* 0 for SLH-DSA, whose key is its seed */
};

/* A key read from DER or raw bytes; absent parts are NULL. */
struct tk_pqc_key {
    const struct tk_pqc_params *params;
    unsigned char *pub;
    unsigned char *seed;
    unsigned char *priv;
};

/* The parameter set of a --key-type name (case-insensitive), of a key
 * type and set, or NULL. */
const struct tk_pqc_params *tk_pqc_by_name(const char *name);
const struct tk_pqc_params *tk_pqc_by_set(CK_KEY_TYPE type, CK_ULONG set);

/*
 * Parse a DER SubjectPublicKeyInfo or PrivateKeyInfo of one of these
 * algorithms into k (zeroed first). Returns 1 on success, 0 when der is
 * no such structure with a known PQC OID (the caller tries other
 * formats), -1 when it names a PQC algorithm but is malformed (after a
 * message on stderr).
 */
int tk_pqc_der_parse(const unsigned char *der, size_t len, struct tk_pqc_key *k);

/*
 * A raw key value of parameter set p: for a public key exactly pub_len
 * bytes; for a private key seed_len (seed) or priv_len (expanded) bytes.
 * Returns 0, or -1 after a message.
 */
int tk_pqc_raw(const struct tk_pqc_params *p, int is_private, const unsigned char *v,
               size_t len, struct tk_pqc_key *k);

/*
 * The public key inside an expanded private key where the format holds
 * it (ML-KEM: ek within dk [FIPS 203 Alg. 16]; SLH-DSA: PK.seed ||
 * PK.root [FIPS 205 §9.1]); ML-DSA keys need a computation the tool does
 * not do. Sets k->pub and returns 0, or returns -1 leaving it NULL.
 */
int tk_pqc_pub_from_priv(struct tk_pqc_key *k);

/* The DER SubjectPublicKeyInfo of a public key; 0 or -1 (memory). */
int tk_pqc_spki(const struct tk_pqc_params *p, const unsigned char *pub, unsigned char **der,
                size_t *len);

/* Wipe and free k's buffers. */
void tk_pqc_key_free(struct tk_pqc_key *k);

#endif
