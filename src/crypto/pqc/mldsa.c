/*
 * ML-DSA entry points: pick the parameter set, build M' and mu, and hold
 * the HashML-DSA OID table. See mldsa.h. [FIPS 204 §5]
 */
#include "crypto/pqc/mldsa.h"

#include <string.h>

#include "crypto/pqc/mldsa_impl.h"
#include "util/wipe.h"

/* Sizes per set [FIPS 204 Table 2]; index set - 1. */
typedef struct {
    size_t pk;
    size_t sk;
    size_t sig;
} tk_mldsa_sizes;

static const tk_mldsa_sizes tk_mldsa_size_table[3] = {
    { 1312, 2560, 2420 },
    { 1952, 4032, 3309 },
    { 2592, 4896, 4627 },
};

static const tk_mldsa_sizes *
tk_mldsa_sizes_of(tk_mldsa_set set)
{
    if (set < TK_MLDSA_44 || set > TK_MLDSA_87) {
        return NULL;
    }
    return &tk_mldsa_size_table[set - TK_MLDSA_44];
}

size_t
tk_mldsa_pk_len(tk_mldsa_set set)
{
    const tk_mldsa_sizes *s = tk_mldsa_sizes_of(set);

    return s != NULL ? s->pk : 0;
}

size_t
tk_mldsa_sk_len(tk_mldsa_set set)
{
    const tk_mldsa_sizes *s = tk_mldsa_sizes_of(set);

    return s != NULL ? s->sk : 0;
}

size_t
tk_mldsa_sig_len(tk_mldsa_set set)
{
    const tk_mldsa_sizes *s = tk_mldsa_sizes_of(set);

    return s != NULL ? s->sig : 0;
}

int
tk_mldsa_keygen(tk_mldsa_set set, const uint8_t xi[TK_MLDSA_SEED_LEN], uint8_t *pk,
                uint8_t *sk)
{
    switch (set) {
    case TK_MLDSA_44:
        return tk_mldsa44_keygen(xi, pk, sk);
    case TK_MLDSA_65:
        return tk_mldsa65_keygen(xi, pk, sk);
    case TK_MLDSA_87:
        return tk_mldsa87_keygen(xi, pk, sk);
    }
    return TK_PQC_EPARAM;
}

int
tk_mldsa_check_sk(tk_mldsa_set set, const uint8_t *sk, const uint8_t *pk)
{
    switch (set) {
    case TK_MLDSA_44:
        return tk_mldsa44_check_sk(sk, pk);
    case TK_MLDSA_65:
        return tk_mldsa65_check_sk(sk, pk);
    case TK_MLDSA_87:
        return tk_mldsa87_check_sk(sk, pk);
    }
    return TK_PQC_EPARAM;
}

int
tk_mldsa_pk_from_sk(tk_mldsa_set set, const uint8_t *sk, uint8_t *pk)
{
    switch (set) {
    case TK_MLDSA_44:
        return tk_mldsa44_pk_from_sk(sk, pk);
    case TK_MLDSA_65:
        return tk_mldsa65_pk_from_sk(sk, pk);
    case TK_MLDSA_87:
        return tk_mldsa87_pk_from_sk(sk, pk);
    }
    return TK_PQC_EPARAM;
}

int
tk_mldsa_sign_mu(tk_mldsa_set set, const uint8_t *sk, const uint8_t mu[TK_MLDSA_MU_LEN],
                 const uint8_t rnd[TK_MLDSA_RND_LEN], uint8_t *sig)
{
    switch (set) {
    case TK_MLDSA_44:
        return tk_mldsa44_sign_mu(sk, mu, rnd, sig);
    case TK_MLDSA_65:
        return tk_mldsa65_sign_mu(sk, mu, rnd, sig);
    case TK_MLDSA_87:
        return tk_mldsa87_sign_mu(sk, mu, rnd, sig);
    }
    return TK_PQC_EPARAM;
}

int
tk_mldsa_verify_mu(tk_mldsa_set set, const uint8_t *pk, const uint8_t mu[TK_MLDSA_MU_LEN],
                   const uint8_t *sig, size_t siglen)
{
    switch (set) {
    case TK_MLDSA_44:
        return tk_mldsa44_verify_mu(pk, mu, sig, siglen);
    case TK_MLDSA_65:
        return tk_mldsa65_verify_mu(pk, mu, sig, siglen);
    case TK_MLDSA_87:
        return tk_mldsa87_verify_mu(pk, mu, sig, siglen);
    }
    return TK_PQC_EPARAM;
}

void
tk_mldsa_tr_from_pk(tk_mldsa_set set, const uint8_t *pk, uint8_t tr[TK_MLDSA_TR_LEN])
{
    size_t len = tk_mldsa_pk_len(set);

    if (len == 0) {
        memset(tr, 0, TK_MLDSA_TR_LEN);
        return;
    }
    tk_shake256(tr, TK_MLDSA_TR_LEN, pk, len);
}

const uint8_t *
tk_mldsa_sk_tr(tk_mldsa_set set, const uint8_t *sk)
{
    (void)set;
    /* rho (32) and K (32) come first in every set [FIPS 204 Alg. 24]. */
    return sk + 64;
}

void
tk_mldsa_mu_init(tk_mldsa_mu_ctx *c, const uint8_t tr[TK_MLDSA_TR_LEN])
{
    tk_shake256_init(&c->h);
    tk_keccak_absorb(&c->h, tr, TK_MLDSA_TR_LEN);
}

void
tk_mldsa_mu_update(tk_mldsa_mu_ctx *c, const uint8_t *in, size_t len)
{
    tk_keccak_absorb(&c->h, in, len);
}

void
tk_mldsa_mu_final(tk_mldsa_mu_ctx *c, uint8_t mu[TK_MLDSA_MU_LEN])
{
    tk_keccak_finalize(&c->h);
    tk_keccak_squeeze(&c->h, mu, TK_MLDSA_MU_LEN);
    tk_keccak_wipe(&c->h);
}

/* tr, then the two-byte prefix of M' [FIPS 204 Alg. 2 line 10, Alg. 4
 * line 23] and the context. */
static int
tk_mldsa_mu_begin(tk_mldsa_mu_ctx *c, const uint8_t tr[TK_MLDSA_TR_LEN], uint8_t domain,
                  const uint8_t *context, size_t ctxlen)
{
    uint8_t prefix[2];

    if (ctxlen > TK_MLDSA_CTX_MAX || (context == NULL && ctxlen != 0)) {
        return TK_PQC_EPARAM;
    }
    prefix[0] = domain;
    prefix[1] = (uint8_t)ctxlen;
    tk_mldsa_mu_init(c, tr);
    tk_keccak_absorb(&c->h, prefix, sizeof(prefix));
    tk_keccak_absorb(&c->h, context, ctxlen);
    return TK_PQC_OK;
}

int
tk_mldsa_mu_begin_pure(tk_mldsa_mu_ctx *c, const uint8_t tr[TK_MLDSA_TR_LEN],
                       const uint8_t *context, size_t ctxlen)
{
    return tk_mldsa_mu_begin(c, tr, 0x00, context, ctxlen);
}

int
tk_mldsa_mu_begin_prehash(tk_mldsa_mu_ctx *c, const uint8_t tr[TK_MLDSA_TR_LEN],
                          const uint8_t *context, size_t ctxlen, const uint8_t *oid_der,
                          size_t oid_len)
{
    int rc;

    if (oid_der == NULL || oid_len == 0) {
        return TK_PQC_EPARAM;
    }
    rc = tk_mldsa_mu_begin(c, tr, 0x01, context, ctxlen);
    if (rc == TK_PQC_OK) {
        tk_keccak_absorb(&c->h, oid_der, oid_len);
    }
    return rc;
}

/*
 * The NIST hash algorithm arc 2.16.840.1.101.3.4.2.x, DER encoded:
 * 06 09 60 86 48 01 65 03 04 02 x. Only the last byte differs.
 */
typedef struct {
    uint8_t oid[11];
    uint8_t digest_len;
} tk_mldsa_ph_entry;

#define TK_MLDSA_NIST_HASH_OID(x) { 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, x }

/* Index ph - 1; SHAKE digest lengths as [FIPS 204 §5.4] fixes them. */
static const tk_mldsa_ph_entry tk_mldsa_ph_table[12] = {
    { TK_MLDSA_NIST_HASH_OID(0x04), 28 }, /* SHA-224 */
    { TK_MLDSA_NIST_HASH_OID(0x01), 32 }, /* SHA-256 */
    { TK_MLDSA_NIST_HASH_OID(0x02), 48 }, /* SHA-384 */
    { TK_MLDSA_NIST_HASH_OID(0x03), 64 }, /* SHA-512 */
    { TK_MLDSA_NIST_HASH_OID(0x05), 28 }, /* SHA-512/224 */
    { TK_MLDSA_NIST_HASH_OID(0x06), 32 }, /* SHA-512/256 */
    { TK_MLDSA_NIST_HASH_OID(0x07), 28 }, /* SHA3-224 */
    { TK_MLDSA_NIST_HASH_OID(0x08), 32 }, /* SHA3-256 */
    { TK_MLDSA_NIST_HASH_OID(0x09), 48 }, /* SHA3-384 */
    { TK_MLDSA_NIST_HASH_OID(0x0A), 64 }, /* SHA3-512 */
    { TK_MLDSA_NIST_HASH_OID(0x0B), 32 }, /* SHAKE128, 256-bit output */
    { TK_MLDSA_NIST_HASH_OID(0x0C), 64 }, /* SHAKE256, 512-bit output */
};

int
tk_mldsa_prehash_info(tk_mldsa_prehash ph, const uint8_t **oid_der, size_t *oid_len,
                      size_t *digest_len)
{
    const tk_mldsa_ph_entry *e;

    if (ph < TK_MLDSA_PH_SHA224 || ph > TK_MLDSA_PH_SHAKE256) {
        return TK_PQC_EPARAM;
    }
    e = &tk_mldsa_ph_table[ph - TK_MLDSA_PH_SHA224];
    if (oid_der != NULL) {
        *oid_der = e->oid;
    }
    if (oid_len != NULL) {
        *oid_len = sizeof(e->oid);
    }
    if (digest_len != NULL) {
        *digest_len = e->digest_len;
    }
    return TK_PQC_OK;
}

int
tk_mldsa_sign(tk_mldsa_set set, const uint8_t *sk, const uint8_t *msg, size_t len,
              const uint8_t *context, size_t ctxlen, const uint8_t rnd[TK_MLDSA_RND_LEN],
              uint8_t *sig)
{
    tk_mldsa_mu_ctx c;
    uint8_t mu[TK_MLDSA_MU_LEN];
    int rc;

    if (tk_mldsa_sizes_of(set) == NULL) {
        return TK_PQC_EPARAM;
    }
    rc = tk_mldsa_mu_begin_pure(&c, tk_mldsa_sk_tr(set, sk), context, ctxlen);
    if (rc != TK_PQC_OK) {
        return rc;
    }
    tk_mldsa_mu_update(&c, msg, len);
    tk_mldsa_mu_final(&c, mu);
    rc = tk_mldsa_sign_mu(set, sk, mu, rnd, sig);
    tk_wipe(mu, sizeof(mu));
    return rc;
}

int
tk_mldsa_verify(tk_mldsa_set set, const uint8_t *pk, const uint8_t *msg, size_t len,
                const uint8_t *context, size_t ctxlen, const uint8_t *sig, size_t siglen)
{
    tk_mldsa_mu_ctx c;
    uint8_t tr[TK_MLDSA_TR_LEN];
    uint8_t mu[TK_MLDSA_MU_LEN];
    int rc;

    if (tk_mldsa_sizes_of(set) == NULL) {
        return TK_PQC_EPARAM;
    }
    tk_mldsa_tr_from_pk(set, pk, tr);
    rc = tk_mldsa_mu_begin_pure(&c, tr, context, ctxlen);
    if (rc != TK_PQC_OK) {
        return rc;
    }
    tk_mldsa_mu_update(&c, msg, len);
    tk_mldsa_mu_final(&c, mu);
    return tk_mldsa_verify_mu(set, pk, mu, sig, siglen);
}
