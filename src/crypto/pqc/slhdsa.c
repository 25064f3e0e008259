/* SLH-DSA key generation, signing and verification; see slhdsa.h. [FIPS 205] */
#include "crypto/pqc/slhdsa.h"

#include <string.h>

#include "crypto/pqc/slhdsa_int.h"
#include "util/wipe.h"

size_t
tk_slhdsa_n(tk_slhdsa_set set)
{
    const tk_slhdsa_params *p = tk_slhdsa_params_get(set);

    return p == NULL ? 0 : p->n;
}

size_t
tk_slhdsa_pk_len(tk_slhdsa_set set)
{
    return 2 * tk_slhdsa_n(set);
}

size_t
tk_slhdsa_sk_len(tk_slhdsa_set set)
{
    return 4 * tk_slhdsa_n(set);
}

size_t
tk_slhdsa_sig_len(tk_slhdsa_set set)
{
    const tk_slhdsa_params *p = tk_slhdsa_params_get(set);

    return p == NULL ? 0 : p->sig_len;
}

int
tk_slhdsa_keygen(tk_slhdsa_set set, const uint8_t *sk_seed, const uint8_t *sk_prf,
                 const uint8_t *pk_seed, uint8_t *sk, uint8_t *pk)
{
    const tk_slhdsa_params *p = tk_slhdsa_params_get(set);
    tk_slhdsa_ctx ctx;
    uint8_t root[TK_SLHDSA_MAX_N];

    if (p == NULL) {
        return TK_PQC_EPARAM;
    }

    /* PK.root is the root of the single tree on the top layer [Alg. 18]. */
    tk_slhdsa_ctx_init(&ctx, p, pk_seed, sk_seed);
    tk_slhdsa_xmss_root(&ctx, p->d - 1, 0, root);
    tk_slhdsa_ctx_wipe(&ctx);

    memmove(sk, sk_seed, p->n);
    memmove(sk + p->n, sk_prf, p->n);
    memmove(sk + 2 * p->n, pk_seed, p->n);
    memcpy(sk + 3 * p->n, root, p->n);
    memcpy(pk, pk_seed, p->n);
    memcpy(pk + p->n, root, p->n);
    return TK_PQC_OK;
}

int
tk_slhdsa_check_sk(tk_slhdsa_set set, const uint8_t *sk)
{
    const tk_slhdsa_params *p = tk_slhdsa_params_get(set);
    tk_slhdsa_ctx ctx;
    uint8_t root[TK_SLHDSA_MAX_N];

    if (p == NULL) {
        return TK_PQC_EPARAM;
    }
    tk_slhdsa_ctx_init(&ctx, p, sk + 2 * p->n, sk);
    tk_slhdsa_xmss_root(&ctx, p->d - 1, 0, root);
    tk_slhdsa_ctx_wipe(&ctx);
    return tk_ct_memcmp(root, sk + 3 * p->n, p->n) == 0 ? TK_PQC_OK : TK_PQC_EBADKEY;
}

/* Big-endian integer of nbytes (at most 8) bytes. */
static uint64_t
tk_slhdsa_to_int(const uint8_t *x, size_t nbytes)
{
    uint64_t v = 0;

    for (size_t i = 0; i < nbytes; i++) {
        v = (v << 8) | x[i];
    }
    return v;
}

/*
 * The hypertree tree and leaf indices from the H_msg digest, whose first
 * ceil(k * a / 8) bytes are the FORS message md [Alg. 19 lines 7-12].
 */
static void
tk_slhdsa_split_digest(const tk_slhdsa_params *p, const uint8_t *digest, uint64_t *idx_tree,
                       uint32_t *idx_leaf)
{
    size_t md_len = ((size_t)p->k * p->a + 7) / 8;
    unsigned int tree_bits = p->h - p->hp;
    size_t tree_len = (tree_bits + 7) / 8;
    size_t leaf_len = (p->hp + 7) / 8;
    uint64_t t = tk_slhdsa_to_int(digest + md_len, tree_len);

    /* tree_bits reaches 64 for the 256f sets: no mask needed then. */
    if (tree_bits < 64) {
        t &= ((uint64_t)1 << tree_bits) - 1;
    }
    *idx_tree = t;
    *idx_leaf = (uint32_t)tk_slhdsa_to_int(digest + md_len + tree_len, leaf_len) &
                ((1u << p->hp) - 1);
}

int
tk_slhdsa_sign_internal(tk_slhdsa_set set, const uint8_t *sk, const uint8_t *const *mparts,
                        const size_t *mlens, size_t nparts, const uint8_t *addrnd, uint8_t *sig)
{
    const tk_slhdsa_params *p = tk_slhdsa_params_get(set);
    const uint8_t *pk_seed;
    const uint8_t *md;
    tk_slhdsa_ctx ctx;
    uint8_t digest[TK_SLHDSA_MAX_M];
    uint8_t pk_fors[TK_SLHDSA_MAX_N];
    uint8_t root[TK_SLHDSA_MAX_N];
    uint64_t idx_tree;
    uint32_t idx_leaf;
    uint8_t *fors_sig;

    if (p == NULL) {
        return TK_PQC_EPARAM;
    }
    pk_seed = sk + 2 * p->n;
    fors_sig = sig + p->n;

    /* R = PRF_msg(SK.prf, opt_rand, M); opt_rand = PK.seed when
     * deterministic [Alg. 19 lines 2-5]. */
    tk_slhdsa_prf_msg(p, sk + p->n, addrnd != NULL ? addrnd : pk_seed, mparts, mlens, nparts,
                      sig);
    TK_SLHDSA_PUBLIC(sig, p->n);
    tk_slhdsa_h_msg(p, sig, pk_seed, sk + 3 * p->n, mparts, mlens, nparts, digest);
    tk_slhdsa_split_digest(p, digest, &idx_tree, &idx_leaf);
    md = digest;

    tk_slhdsa_ctx_init(&ctx, p, pk_seed, sk);
    tk_slhdsa_fors_sign(&ctx, md, idx_tree, idx_leaf, fors_sig, pk_fors);
    TK_SLHDSA_PUBLIC(pk_fors, p->n);
    tk_slhdsa_ht_sign(&ctx, pk_fors, idx_tree, idx_leaf,
                      fors_sig + (size_t)p->k * (p->a + 1) * p->n, root);
    tk_slhdsa_ctx_wipe(&ctx);

    /* The top root must be PK.root. A mismatch means a corrupt key or a
     * fault during signing; such a signature would not verify, and a
     * faulty one may leak key material, so it is not released. */
    if (tk_ct_memcmp(root, sk + 3 * p->n, p->n) != 0) {
        tk_wipe(sig, p->sig_len);
        return TK_PQC_EBADKEY;
    }
    return TK_PQC_OK;
}

int
tk_slhdsa_verify_internal(tk_slhdsa_set set, const uint8_t *pk, const uint8_t *const *mparts,
                          const size_t *mlens, size_t nparts, const uint8_t *sig, size_t siglen)
{
    const tk_slhdsa_params *p = tk_slhdsa_params_get(set);
    const uint8_t *md;
    tk_slhdsa_ctx ctx;
    uint8_t digest[TK_SLHDSA_MAX_M];
    uint8_t pk_fors[TK_SLHDSA_MAX_N];
    uint8_t root[TK_SLHDSA_MAX_N];
    uint64_t idx_tree;
    uint32_t idx_leaf;
    const uint8_t *fors_sig;

    if (p == NULL) {
        return TK_PQC_EPARAM;
    }
    if (siglen != p->sig_len) {
        return TK_PQC_EVERIFY;
    }
    fors_sig = sig + p->n;

    /* [Alg. 20]: everything here is public. */
    tk_slhdsa_h_msg(p, sig, pk, pk + p->n, mparts, mlens, nparts, digest);
    tk_slhdsa_split_digest(p, digest, &idx_tree, &idx_leaf);
    md = digest;
    tk_slhdsa_ctx_init(&ctx, p, pk, NULL);
    tk_slhdsa_fors_pk_from_sig(&ctx, md, idx_tree, idx_leaf, fors_sig, pk_fors);
    tk_slhdsa_ht_root_from_sig(&ctx, pk_fors, idx_tree, idx_leaf,
                               fors_sig + (size_t)p->k * (p->a + 1) * p->n, root);
    return memcmp(root, pk + p->n, p->n) == 0 ? TK_PQC_OK : TK_PQC_EVERIFY;
}

/* The DER prefix of the NIST hash OIDs 2.16.840.1.101.3.4.2.x. */
static const uint8_t tk_slhdsa_oid_prefix[10] = {
    0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
};

/*
 * Digest length for the OID's last arc x [FIPS 205 §10.2.2]: 1 SHA-256,
 * 2 SHA-384, 3 SHA-512, 4 SHA-224, 5 SHA-512/224, 6 SHA-512/256,
 * 7-10 SHA3-224/256/384/512, 11 SHAKE128, 12 SHAKE256.
 */
static const uint8_t tk_slhdsa_oid_digest_len[13] = {
    0, 32, 48, 64, 28, 28, 32, 28, 32, 48, 64, 32, 64,
};

static int
tk_slhdsa_check_prehash(const uint8_t *oid, size_t oidlen, size_t digestlen)
{
    if (oidlen != sizeof(tk_slhdsa_oid_prefix) + 1 ||
        memcmp(oid, tk_slhdsa_oid_prefix, sizeof(tk_slhdsa_oid_prefix)) != 0) {
        return TK_PQC_EPARAM;
    }
    if (oid[10] < 1 || oid[10] > 12 || tk_slhdsa_oid_digest_len[oid[10]] != digestlen) {
        return TK_PQC_EPARAM;
    }
    return TK_PQC_OK;
}

int
tk_slhdsa_sign(tk_slhdsa_set set, const uint8_t *sk, const uint8_t *msg, size_t msglen,
               const uint8_t *ctx, size_t ctxlen, const uint8_t *addrnd, uint8_t *sig)
{
    uint8_t head[2] = {0, (uint8_t)ctxlen};
    const uint8_t *parts[3] = {head, ctx, msg};
    size_t lens[3] = {sizeof(head), ctxlen, msglen};

    /* M' = toByte(0, 1) || toByte(|ctx|, 1) || ctx || M [Alg. 22]. */
    if (ctxlen > 255) {
        return TK_PQC_EPARAM;
    }
    return tk_slhdsa_sign_internal(set, sk, parts, lens, 3, addrnd, sig);
}

int
tk_slhdsa_verify(tk_slhdsa_set set, const uint8_t *pk, const uint8_t *msg, size_t msglen,
                 const uint8_t *ctx, size_t ctxlen, const uint8_t *sig, size_t siglen)
{
    uint8_t head[2] = {0, (uint8_t)ctxlen};
    const uint8_t *parts[3] = {head, ctx, msg};
    size_t lens[3] = {sizeof(head), ctxlen, msglen};

    if (ctxlen > 255) {
        return TK_PQC_EPARAM;
    }
    return tk_slhdsa_verify_internal(set, pk, parts, lens, 3, sig, siglen);
}

int
tk_slhdsa_sign_prehash(tk_slhdsa_set set, const uint8_t *sk, const uint8_t *oid, size_t oidlen,
                       const uint8_t *digest, size_t digestlen, const uint8_t *ctx,
                       size_t ctxlen, const uint8_t *addrnd, uint8_t *sig)
{
    uint8_t head[2] = {1, (uint8_t)ctxlen};
    const uint8_t *parts[4] = {head, ctx, oid, digest};
    size_t lens[4] = {sizeof(head), ctxlen, oidlen, digestlen};

    /* M' = toByte(1, 1) || toByte(|ctx|, 1) || ctx || OID || PH_M [Alg. 23]. */
    if (ctxlen > 255 || tk_slhdsa_check_prehash(oid, oidlen, digestlen) != TK_PQC_OK) {
        return TK_PQC_EPARAM;
    }
    return tk_slhdsa_sign_internal(set, sk, parts, lens, 4, addrnd, sig);
}

int
tk_slhdsa_verify_prehash(tk_slhdsa_set set, const uint8_t *pk, const uint8_t *oid,
                         size_t oidlen, const uint8_t *digest, size_t digestlen,
                         const uint8_t *ctx, size_t ctxlen, const uint8_t *sig, size_t siglen)
{
    uint8_t head[2] = {1, (uint8_t)ctxlen};
    const uint8_t *parts[4] = {head, ctx, oid, digest};
    size_t lens[4] = {sizeof(head), ctxlen, oidlen, digestlen};

    if (ctxlen > 255 || tk_slhdsa_check_prehash(oid, oidlen, digestlen) != TK_PQC_OK) {
        return TK_PQC_EPARAM;
    }
    return tk_slhdsa_verify_internal(set, pk, parts, lens, 4, sig, siglen);
}
