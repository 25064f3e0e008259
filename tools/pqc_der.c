/*
 * Our own DER for ML-KEM, ML-DSA and SLH-DSA keys; see pqc_der.h. The
 * reader accepts definite lengths in their shortest form only, as DER
 * requires, and nothing after the outer structure.
 */
#include "pqc_der.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>

#define TK_PQC_SEQ 0x30
#define TK_PQC_INT 0x02
#define TK_PQC_BITS 0x03
#define TK_PQC_OCTETS 0x04
#define TK_PQC_OID 0x06
#define TK_PQC_SEED 0x80    /* seed [0] IMPLICIT OCTET STRING */
#define TK_PQC_ATTRS 0xa0   /* attributes [0] of OneAsymmetricKey */
#define TK_PQC_PUBKEY 0x81  /* publicKey [1] IMPLICIT BIT STRING */

/* Lengths from [FIPS 203 §8], [FIPS 204 §4] and [FIPS 205 §11]; OIDs
 * from the NIST CSOR registry. */
static const struct tk_pqc_params tk_pqc_sets[] = {
    { "ml-kem-512", CKK_ML_KEM, CKP_ML_KEM_512, 4, 1, 800, 1632, 64 },
    { "ml-kem-768", CKK_ML_KEM, CKP_ML_KEM_768, 4, 2, 1184, 2400, 64 },
    { "ml-kem-1024", CKK_ML_KEM, CKP_ML_KEM_1024, 4, 3, 1568, 3168, 64 },
    { "ml-dsa-44", CKK_ML_DSA, CKP_ML_DSA_44, 3, 17, 1312, 2560, 32 },
    { "ml-dsa-65", CKK_ML_DSA, CKP_ML_DSA_65, 3, 18, 1952, 4032, 32 },
    { "ml-dsa-87", CKK_ML_DSA, CKP_ML_DSA_87, 3, 19, 2592, 4896, 32 },
    { "slh-dsa-sha2-128s", CKK_SLH_DSA, CKP_SLH_DSA_SHA2_128S, 3, 20, 32, 64, 0 },
    { "slh-dsa-sha2-128f", CKK_SLH_DSA, CKP_SLH_DSA_SHA2_128F, 3, 21, 32, 64, 0 },
    { "slh-dsa-sha2-192s", CKK_SLH_DSA, CKP_SLH_DSA_SHA2_192S, 3, 22, 48, 96, 0 },
    { "slh-dsa-sha2-192f", CKK_SLH_DSA, CKP_SLH_DSA_SHA2_192F, 3, 23, 48, 96, 0 },
    { "slh-dsa-sha2-256s", CKK_SLH_DSA, CKP_SLH_DSA_SHA2_256S, 3, 24, 64, 128, 0 },
    { "slh-dsa-sha2-256f", CKK_SLH_DSA, CKP_SLH_DSA_SHA2_256F, 3, 25, 64, 128, 0 },
    { "slh-dsa-shake-128s", CKK_SLH_DSA, CKP_SLH_DSA_SHAKE_128S, 3, 26, 32, 64, 0 },
    { "slh-dsa-shake-128f", CKK_SLH_DSA, CKP_SLH_DSA_SHAKE_128F, 3, 27, 32, 64, 0 },
    { "slh-dsa-shake-192s", CKK_SLH_DSA, CKP_SLH_DSA_SHAKE_192S, 3, 28, 48, 96, 0 },
    { "slh-dsa-shake-192f", CKK_SLH_DSA, CKP_SLH_DSA_SHAKE_192F, 3, 29, 48, 96, 0 },
    { "slh-dsa-shake-256s", CKK_SLH_DSA, CKP_SLH_DSA_SHAKE_256S, 3, 30, 64, 128, 0 },
    { "slh-dsa-shake-256f", CKK_SLH_DSA, CKP_SLH_DSA_SHAKE_256F, 3, 31, 64, 128, 0 },
};

#define TK_PQC_NSETS (sizeof(tk_pqc_sets) / sizeof(tk_pqc_sets[0]))

/* DER of 2.16.840.1.101.3.4 with its tag and length (9 content bytes). */
static const unsigned char tk_pqc_nist[] = { 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03,
                                             0x04 };

const struct tk_pqc_params *
tk_pqc_by_name(const char *name)
{
    size_t i;

    for (i = 0; name != NULL && i < TK_PQC_NSETS; i++) {
        if (strcasecmp(name, tk_pqc_sets[i].name) == 0) {
            return &tk_pqc_sets[i];
        }
    }
    return NULL;
}

const struct tk_pqc_params *
tk_pqc_by_set(CK_KEY_TYPE type, CK_ULONG set)
{
    size_t i;

    for (i = 0; i < TK_PQC_NSETS; i++) {
        if (tk_pqc_sets[i].type == type && tk_pqc_sets[i].set == set) {
            return &tk_pqc_sets[i];
        }
    }
    return NULL;
}

/* The set whose OID content bytes are oid (n bytes), or NULL. */
static const struct tk_pqc_params *
tk_pqc_by_oid(const unsigned char *oid, size_t n)
{
    size_t i;

    if (n != sizeof(tk_pqc_nist) || memcmp(oid - 2, tk_pqc_nist, sizeof(tk_pqc_nist)) != 0) {
        return NULL;
    }
    for (i = 0; i < TK_PQC_NSETS; i++) {
        if (tk_pqc_sets[i].arc == oid[n - 2] && tk_pqc_sets[i].last == oid[n - 1]) {
            return &tk_pqc_sets[i];
        }
    }
    return NULL;
}

/* ---- reading ---- */

struct tk_pqc_rd {
    const unsigned char *p;
    const unsigned char *end;
};

/* The next element if it has tag: its content in *v, *n. 1 or 0. */
static int
tk_pqc_get(struct tk_pqc_rd *r, unsigned char tag, const unsigned char **v, size_t *n)
{
    const unsigned char *p = r->p;
    size_t len;
    size_t k;

    if (r->end - p < 2 || p[0] != tag) {
        return 0;
    }
    len = p[1];
    p += 2;
    if (len >= 0x80) {
        k = len & 0x7f;
        if (k == 0 || k > 3 || (size_t)(r->end - p) < k || p[0] == 0) {
            return 0;
        }
        for (len = 0; k > 0; k--) {
            len = len << 8 | *p++;
        }
        if (len < 0x80) {
            return 0;
        }
    }
    if ((size_t)(r->end - p) < len) {
        return 0;
    }
    *v = p;
    *n = len;
    r->p = p + len;
    return 1;
}

/* A copy of n bytes at v, or NULL. */
static unsigned char *
tk_pqc_dup(const unsigned char *v, size_t n)
{
    unsigned char *c = malloc(n > 0 ? n : 1);

    if (c != NULL) {
        memcpy(c, v, n);
    }
    return c;
}

/* AlgorithmIdentifier { OID } with absent parameters: its set or NULL. */
static const struct tk_pqc_params *
tk_pqc_alg(struct tk_pqc_rd *r)
{
    struct tk_pqc_rd a;
    const unsigned char *oid;
    size_t n;

    if (!tk_pqc_get(r, TK_PQC_SEQ, &a.p, &n)) {
        return NULL;
    }
    a.end = a.p + n;
    if (!tk_pqc_get(&a, TK_PQC_OID, &oid, &n) || a.p != a.end) {
        return NULL;
    }
    return tk_pqc_by_oid(oid, n);
}

/* A BIT STRING (or [1] publicKey) of whole bytes holding a public key. */
static int
tk_pqc_get_pub(struct tk_pqc_rd *r, unsigned char tag, const struct tk_pqc_params *p,
               struct tk_pqc_key *k)
{
    const unsigned char *v;
    size_t n;

    if (!tk_pqc_get(r, tag, &v, &n) || n != p->pub_len + 1 || v[0] != 0) {
        return -1;
    }
    k->pub = tk_pqc_dup(v + 1, p->pub_len);
    return k->pub != NULL ? 0 : -1;
}

/* The CHOICE inside the privateKey octets of ML-KEM and ML-DSA keys. */
static int
tk_pqc_get_choice(const unsigned char *v, size_t n, const struct tk_pqc_params *p,
                  struct tk_pqc_key *k)
{
    struct tk_pqc_rd r = { v, v + n };
    struct tk_pqc_rd both;
    const unsigned char *seed = NULL, *exp = NULL;
    size_t sl = 0, el = 0, bl;

    if (tk_pqc_get(&r, TK_PQC_SEQ, &both.p, &bl)) {
        both.end = both.p + bl;
        if (!tk_pqc_get(&both, TK_PQC_OCTETS, &seed, &sl) ||
            !tk_pqc_get(&both, TK_PQC_OCTETS, &exp, &el) || both.p != both.end) {
            return -1;
        }
    } else if (!tk_pqc_get(&r, TK_PQC_SEED, &seed, &sl) &&
               !tk_pqc_get(&r, TK_PQC_OCTETS, &exp, &el)) {
        return -1;
    }
    if (r.p != r.end || (seed != NULL && sl != p->seed_len) ||
        (exp != NULL && el != p->priv_len)) {
        return -1;
    }
    if (seed != NULL && (k->seed = tk_pqc_dup(seed, sl)) == NULL) {
        return -1;
    }
    if (exp != NULL && (k->priv = tk_pqc_dup(exp, el)) == NULL) {
        return -1;
    }
    return 0;
}

/* PrivateKeyInfo / OneAsymmetricKey after its version. */
static int
tk_pqc_parse_priv(struct tk_pqc_rd *seq, const struct tk_pqc_params *p, struct tk_pqc_key *k)
{
    const unsigned char *v;
    size_t n;

    if (!tk_pqc_get(seq, TK_PQC_OCTETS, &v, &n)) {
        return -1;
    }
    if (p->seed_len == 0) {
        if (n != p->priv_len || (k->priv = tk_pqc_dup(v, n)) == NULL) {
            return -1;
        }
    } else if (tk_pqc_get_choice(v, n, p, k) != 0) {
        return -1;
    }
    /* Optional attributes [0], then the optional publicKey [1]. */
    (void)tk_pqc_get(seq, TK_PQC_ATTRS, &v, &n);
    if (seq->p != seq->end && tk_pqc_get_pub(seq, TK_PQC_PUBKEY, p, k) != 0) {
        return -1;
    }
    return seq->p == seq->end ? 0 : -1;
}

/* See pqc_der.h. */
int
tk_pqc_der_parse(const unsigned char *der, size_t len, struct tk_pqc_key *k)
{
    struct tk_pqc_rd top = { der, der + len };
    struct tk_pqc_rd seq;
    struct tk_pqc_rd save;
    const unsigned char *v;
    size_t n;
    int rc;

    memset(k, 0, sizeof(*k));
    if (!tk_pqc_get(&top, TK_PQC_SEQ, &seq.p, &n) || top.p != top.end) {
        return 0;
    }
    seq.end = seq.p + n;
    save = seq;
    if (tk_pqc_get(&seq, TK_PQC_INT, &v, &n)) {
        if (n != 1 || v[0] > 1 || (k->params = tk_pqc_alg(&seq)) == NULL) {
            return 0;
        }
        rc = tk_pqc_parse_priv(&seq, k->params, k);
    } else {
        seq = save;
        if ((k->params = tk_pqc_alg(&seq)) == NULL) {
            return 0;
        }
        rc = tk_pqc_get_pub(&seq, TK_PQC_BITS, k->params, k);
        rc = rc == 0 && seq.p == seq.end ? 0 : -1;
    }
    if (rc != 0) {
        fprintf(stderr, "trustoken: malformed %s key encoding\n", k->params->name);
        tk_pqc_key_free(k);
        return -1;
    }
    return 1;
}

/* See pqc_der.h. */
int
tk_pqc_raw(const struct tk_pqc_params *p, int is_private, const unsigned char *v, size_t len,
           struct tk_pqc_key *k)
{
    unsigned char **dst = NULL;

    memset(k, 0, sizeof(*k));
    k->params = p;
    if (!is_private && len == p->pub_len) {
        dst = &k->pub;
    } else if (is_private && len == p->priv_len) {
        dst = &k->priv;
    } else if (is_private && p->seed_len != 0 && len == p->seed_len) {
        dst = &k->seed;
    }
    if (dst == NULL) {
        fprintf(stderr, "trustoken: %zu bytes are no %s %s key\n", len, p->name,
                is_private ? "private" : "public");
        return -1;
    }
    *dst = tk_pqc_dup(v, len);
    return *dst != NULL ? 0 : -1;
}

/* See pqc_der.h. */
int
tk_pqc_pub_from_priv(struct tk_pqc_key *k)
{
    const struct tk_pqc_params *p = k->params;

    if (k->pub != NULL || k->priv == NULL || p->type == CKK_ML_DSA) {
        return k->pub != NULL ? 0 : -1;
    }
    if (p->type == CKK_ML_KEM) {
        /* dk = dk_PKE (384k bytes) || ek || H(ek) || z; ek is 384k + 32. */
        k->pub = tk_pqc_dup(k->priv + p->pub_len - 32, p->pub_len);
    } else {
        k->pub = tk_pqc_dup(k->priv + p->priv_len - p->pub_len, p->pub_len);
    }
    return k->pub != NULL ? 0 : -1;
}

/* ---- writing ---- */

/* Tag and length for n content bytes at out (room for 5); the count. */
static size_t
tk_pqc_hdr(unsigned char *out, unsigned char tag, size_t n)
{
    size_t k = n < 0x80 ? 0 : n < 0x100 ? 1 : n < 0x10000 ? 2 : 3;
    size_t i;

    out[0] = tag;
    if (k == 0) {
        out[1] = (unsigned char)n;
        return 2;
    }
    out[1] = (unsigned char)(0x80 | k);
    for (i = 0; i < k; i++) {
        out[2 + i] = (unsigned char)(n >> (8 * (k - 1 - i)));
    }
    return 2 + k;
}

/* See pqc_der.h. */
int
tk_pqc_spki(const struct tk_pqc_params *p, const unsigned char *pub, unsigned char **der,
            size_t *len)
{
    unsigned char hdr[8];
    size_t bits = p->pub_len + 1;
    size_t body = 2 + sizeof(tk_pqc_nist) + 2 + tk_pqc_hdr(hdr, TK_PQC_BITS, bits) + bits;
    size_t total = tk_pqc_hdr(hdr, TK_PQC_SEQ, body) + body;
    unsigned char *out = malloc(total);
    size_t o;

    if (out == NULL) {
        return -1;
    }
    o = tk_pqc_hdr(out, TK_PQC_SEQ, body);
    o += tk_pqc_hdr(out + o, TK_PQC_SEQ, sizeof(tk_pqc_nist) + 2);
    memcpy(out + o, tk_pqc_nist, sizeof(tk_pqc_nist));
    o += sizeof(tk_pqc_nist);
    out[o++] = p->arc;
    out[o++] = p->last;
    o += tk_pqc_hdr(out + o, TK_PQC_BITS, bits);
    out[o++] = 0;
    memcpy(out + o, pub, p->pub_len);
    *der = out;
    *len = total;
    return 0;
}

/* See pqc_der.h. */
void
tk_pqc_key_free(struct tk_pqc_key *k)
{
    const struct tk_pqc_params *p = k->params;

    if (p != NULL) {
        if (k->seed != NULL) {
            OPENSSL_cleanse(k->seed, p->seed_len);
        }
        if (k->priv != NULL) {
            OPENSSL_cleanse(k->priv, p->priv_len);
        }
        free(k->seed);
        free(k->priv);
        free(k->pub);
    }
    memset(k, 0, sizeof(*k));
}
