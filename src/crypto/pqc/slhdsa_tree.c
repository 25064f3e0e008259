/*
 * WOTS+, XMSS, the hypertree and FORS [FIPS 205 §5-§8]; see slhdsa_int.h.
 *
 * Trees are built leaf by leaf with a stack of at most one node per level
 * (treehash), which yields the root and the authentication path in one
 * pass and keeps memory at O(height * n) even for a = 14.
 *
 * Timing: the leaf index being signed, the FORS indices and the WOTS+
 * digits all come from H_msg or from a lower tree's root, which the
 * signature reveals; they are the only data that steer loops here.
 */
#include <string.h>

#include "crypto/pqc/slhdsa_int.h"
#include "util/wipe.h"

/* Builds the n-byte leaf number idx of a tree into out. */
typedef void (*tk_slhdsa_leaf_fn)(const tk_slhdsa_ctx *ctx, void *arg, uint32_t idx,
                                  uint8_t *out);

/*
 * base_2b(X, b, outlen) [FIPS 205 Alg. 4]: outlen integers of b bits read
 * big-endian from x.
 */
static void
tk_slhdsa_base_2b(const uint8_t *x, unsigned int b, unsigned int outlen, uint32_t *out)
{
    uint32_t total = 0;
    unsigned int bits = 0;
    size_t in = 0;

    for (unsigned int i = 0; i < outlen; i++) {
        while (bits < b) {
            total = (total << 8) | x[in++];
            bits += 8;
        }
        bits -= b;
        out[i] = (total >> bits) & ((1u << b) - 1);
    }
}

/* The len base-w digits of msg followed by those of its checksum [Alg. 7]. */
static void
tk_slhdsa_wots_digits(const tk_slhdsa_params *p, const uint8_t *msg, uint32_t *digits)
{
    unsigned int len1 = 2 * p->n;
    uint32_t csum = 0;
    uint8_t cbytes[2];

    tk_slhdsa_base_2b(msg, TK_SLHDSA_LGW, len1, digits);
    for (unsigned int i = 0; i < len1; i++) {
        csum += TK_SLHDSA_W - 1 - digits[i];
    }

    /* len2 * lg_w = 12 bits: shift left by 4 to fill two bytes. */
    csum <<= 4;
    cbytes[0] = (uint8_t)(csum >> 8);
    cbytes[1] = (uint8_t)csum;
    tk_slhdsa_base_2b(cbytes, TK_SLHDSA_LGW, TK_SLHDSA_LEN2, digits + len1);
}

/* State of one XMSS tree walk: where it is and what it may sign. */
typedef struct {
    uint8_t adrs[TK_SLHDSA_ADRS_LEN]; /* layer and tree set */
    uint32_t sign_idx;                /* leaf whose WOTS+ key signs */
    const uint32_t *digits;           /* NULL: no signature wanted */
    uint8_t *wots_sig;                /* len * n bytes out */
} tk_slhdsa_xmss_walk;

/*
 * Four chains of one WOTS+ key at once, from the PRF to the end [FIPS 205
 * Alg. 6 lines 4-9]. chains[l] is lane l's chain number; lanes past the
 * key's last chain (clear in mask) repeat it into a scratch buffer, so
 * SIMD lanes never see uninitialised input. When digits is not
 * NULL, the value after digits[c] steps is chain c's signature [Alg. 10],
 * taken on the way at no extra cost.
 */
static void
tk_slhdsa_wots_chains_x4(const tk_slhdsa_ctx *ctx, const uint8_t *base_adrs, uint32_t kp,
                         const unsigned int chains[4], uint8_t *const x[4], unsigned int mask,
                         const uint32_t *digits, uint8_t *sig)
{
    unsigned int n = ctx->p->n;
    uint8_t adrs[4][TK_SLHDSA_ADRS_LEN];
    const uint8_t *const in[4] = {x[0], x[1], x[2], x[3]};

    for (int l = 0; l < 4; l++) {
        memcpy(adrs[l], base_adrs, TK_SLHDSA_ADRS_LEN);
        tk_slhdsa_adrs_set_type(adrs[l], TK_SLHDSA_WOTS_PRF);
        tk_slhdsa_adrs_set_keypair(adrs[l], kp);
        tk_slhdsa_adrs_set_chain(adrs[l], chains[l]);
    }
    tk_slhdsa_prf_x4(ctx, adrs, x, mask);
    for (int l = 0; l < 4; l++) {
        adrs[l][19] = TK_SLHDSA_WOTS_HASH; /* type word's low byte; rest kept */
    }
    for (uint32_t j = 0; j < TK_SLHDSA_W; j++) {
        for (int l = 0; digits != NULL && l < 4; l++) {
            if (((mask >> l) & 1) && digits[chains[l]] == j) {
                memcpy(sig + (size_t)chains[l] * n, x[l], n);
            }
        }
        if (j == TK_SLHDSA_W - 1) {
            break;
        }
        for (int l = 0; l < 4; l++) {
            tk_slhdsa_adrs_set_hash(adrs[l], j);
        }
        tk_slhdsa_f_x4(ctx, adrs, in, x, mask);
    }
}

/* WOTS+ public key of key pair idx compressed with T_len [FIPS 205 Alg. 6]. */
static void
tk_slhdsa_xmss_leaf(const tk_slhdsa_ctx *ctx, void *arg, uint32_t idx, uint8_t *out)
{
    const tk_slhdsa_xmss_walk *walk = arg;
    unsigned int n = ctx->p->n;
    unsigned int len = ctx->p->len;
    uint8_t tmp[TK_SLHDSA_MAX_LEN * TK_SLHDSA_MAX_N];
    uint8_t scratch[TK_SLHDSA_MAX_N];
    uint8_t adrs[TK_SLHDSA_ADRS_LEN];
    const uint32_t *digits = idx == walk->sign_idx ? walk->digits : NULL;

    for (unsigned int g = 0; g < len; g += 4) {
        unsigned int chains[4];
        unsigned int mask = 0;
        uint8_t *x[4];

        for (unsigned int l = 0; l < 4; l++) {
            chains[l] = g + l < len ? g + l : len - 1;
            x[l] = g + l < len ? tmp + (size_t)(g + l) * n : scratch;
            mask |= (unsigned int)(g + l < len) << l;
        }
        tk_slhdsa_wots_chains_x4(ctx, walk->adrs, idx, chains, x, mask, digits,
                                 walk->wots_sig);
    }

    memcpy(adrs, walk->adrs, TK_SLHDSA_ADRS_LEN);
    tk_slhdsa_adrs_set_type(adrs, TK_SLHDSA_WOTS_PK);
    tk_slhdsa_adrs_set_keypair(adrs, idx);
    tk_slhdsa_t(ctx, adrs, tmp, (size_t)len * n, out);

    /* The chain ends are public, but the PRF outputs that started them
     * shared these buffers; clear them. */
    tk_wipe(tmp, sizeof(tmp));
    tk_wipe(scratch, sizeof(scratch));
}

/*
 * Treehash over 2^height leaves: writes the root and, for leaf target,
 * the height authentication nodes [FIPS 205 Alg. 9, Alg. 15 in one pass].
 * node_adrs carries type, layer, tree and key pair; base is the index of
 * the tree's first leaf in the address space (FORS trees share one).
 */
static void
tk_slhdsa_treehash(const tk_slhdsa_ctx *ctx, unsigned int height, uint32_t target,
                   uint32_t base, uint8_t *node_adrs, tk_slhdsa_leaf_fn leaf, void *arg,
                   uint8_t *root, uint8_t *auth)
{
    unsigned int n = ctx->p->n;
    uint8_t stack[(TK_SLHDSA_MAX_A + 1) * 2 * TK_SLHDSA_MAX_N];
    unsigned int heights[TK_SLHDSA_MAX_A + 1];
    unsigned int sp = 0;

    for (uint32_t i = 0; i < (1u << height); i++) {
        uint8_t *node = stack + (size_t)sp * n;
        uint32_t idx = i;
        unsigned int z = 0;

        leaf(ctx, arg, i, node);
        if (height > 0 && idx == (target ^ 1)) {
            memcpy(auth, node, n);
        }

        /* Merge while the node below on the stack has the same height;
         * the pair sits contiguous as left || right, the input of H. */
        while (sp > 0 && heights[sp - 1] == z) {
            node -= n;
            idx >>= 1;
            z++;
            tk_slhdsa_adrs_set_chain(node_adrs, z);
            tk_slhdsa_adrs_set_hash(node_adrs, (base >> z) + idx);
            tk_slhdsa_h(ctx, node_adrs, node, node);
            sp--;
            if (z < height && idx == ((target >> z) ^ 1)) {
                memcpy(auth + (size_t)z * n, node, n);
            }
        }
        heights[sp++] = z;
    }
    memcpy(root, stack, n);
}

void
tk_slhdsa_xmss_root(const tk_slhdsa_ctx *ctx, uint32_t layer, uint64_t tree, uint8_t *root)
{
    tk_slhdsa_xmss_walk walk = {{0}, 0, NULL, NULL};
    uint8_t node_adrs[TK_SLHDSA_ADRS_LEN] = {0};
    uint8_t auth[TK_SLHDSA_MAX_HP * TK_SLHDSA_MAX_N];

    tk_slhdsa_adrs_set_layer(walk.adrs, layer);
    tk_slhdsa_adrs_set_tree(walk.adrs, tree);
    memcpy(node_adrs, walk.adrs, TK_SLHDSA_ADRS_LEN);
    tk_slhdsa_adrs_set_type(node_adrs, TK_SLHDSA_TREE);
    tk_slhdsa_treehash(ctx, ctx->p->hp, 0, 0, node_adrs, tk_slhdsa_xmss_leaf, &walk, root,
                       auth);
}

/*
 * Hypertree signature [FIPS 205 Alg. 12]: on each layer, one treehash
 * gives the WOTS+ signature of the value below, the auth path and the
 * root that the next layer signs.
 */
void
tk_slhdsa_ht_sign(const tk_slhdsa_ctx *ctx, const uint8_t *msg, uint64_t idx_tree,
                  uint32_t idx_leaf, uint8_t *sig, uint8_t *root)
{
    const tk_slhdsa_params *p = ctx->p;
    uint32_t digits[TK_SLHDSA_MAX_LEN];
    uint8_t node_adrs[TK_SLHDSA_ADRS_LEN];
    tk_slhdsa_xmss_walk walk;

    memcpy(root, msg, p->n);
    for (unsigned int j = 0; j < p->d; j++) {
        tk_slhdsa_wots_digits(p, root, digits);
        memset(walk.adrs, 0, sizeof(walk.adrs));
        tk_slhdsa_adrs_set_layer(walk.adrs, j);
        tk_slhdsa_adrs_set_tree(walk.adrs, idx_tree);
        walk.sign_idx = idx_leaf;
        walk.digits = digits;
        walk.wots_sig = sig;
        memcpy(node_adrs, walk.adrs, TK_SLHDSA_ADRS_LEN);
        tk_slhdsa_adrs_set_type(node_adrs, TK_SLHDSA_TREE);
        tk_slhdsa_treehash(ctx, p->hp, idx_leaf, 0, node_adrs, tk_slhdsa_xmss_leaf, &walk,
                           root, sig + (size_t)p->len * p->n);
        TK_SLHDSA_PUBLIC(root, p->n);

        sig += (size_t)(p->len + p->hp) * p->n;
        idx_leaf = (uint32_t)(idx_tree & ((1u << p->hp) - 1));
        idx_tree >>= p->hp;
    }
}

/* Four hash lanes over many chains of unequal length: a lane that ends a
 * chain takes the next one, so the lanes stay busy. */
typedef struct {
    uint8_t adrs[4][TK_SLHDSA_ADRS_LEN];
    uint8_t *x[4];
    uint32_t chain[4]; /* chain per lane; inactive lanes: ~0 */
    uint32_t step[4];  /* next hash address per lane */
    uint32_t next;     /* next chain to hand out */
} tk_slhdsa_chain_sched;

/* Give lane l the next chain with steps left; idle the lane if none. */
static void
tk_slhdsa_sched_refill(tk_slhdsa_chain_sched *s, unsigned int l, unsigned int len,
                       const uint32_t *digits, uint8_t *tmp, unsigned int n, uint8_t *idle)
{
    while (s->next < len && digits[s->next] == TK_SLHDSA_W - 1) {
        s->next++;
    }
    if (s->next == len) {
        s->chain[l] = ~(uint32_t)0;
        s->step[l] = 0;
        s->x[l] = idle + (size_t)l * n;
        return;
    }
    s->chain[l] = s->next;
    s->step[l] = digits[s->next];
    s->x[l] = tmp + (size_t)s->next * n;
    tk_slhdsa_adrs_set_chain(s->adrs[l], s->next);
    s->next++;
}

/*
 * Completes every chain c from step digits[c] to w - 1 in tmp (len chains
 * of n bytes) [FIPS 205 Alg. 8 lines 9-12], four lanes at a time. The
 * digits are public: they come from the signed message.
 */
static void
tk_slhdsa_chains_finish(const tk_slhdsa_ctx *ctx, const uint8_t *adrs, const uint32_t *digits,
                        uint8_t *tmp)
{
    unsigned int n = ctx->p->n, len = ctx->p->len;
    uint8_t idle[4 * TK_SLHDSA_MAX_N] = {0};
    tk_slhdsa_chain_sched s;
    unsigned int active = 0;

    s.next = 0;
    for (unsigned int l = 0; l < 4; l++) {
        memcpy(s.adrs[l], adrs, TK_SLHDSA_ADRS_LEN);
        tk_slhdsa_sched_refill(&s, l, len, digits, tmp, n, idle);
    }
    for (unsigned int l = 0; l < 4; l++) {
        active |= (unsigned int)(s.chain[l] != ~(uint32_t)0) << l;
    }
    while (active) {
        const uint8_t *const in[4] = {s.x[0], s.x[1], s.x[2], s.x[3]};

        for (unsigned int l = 0; l < 4; l++) {
            tk_slhdsa_adrs_set_hash(s.adrs[l], s.step[l]);
        }
        tk_slhdsa_f_x4(ctx, s.adrs, in, s.x, active);
        active = 0;
        for (unsigned int l = 0; l < 4; l++) {
            if (s.chain[l] != ~(uint32_t)0 && ++s.step[l] == TK_SLHDSA_W - 1) {
                tk_slhdsa_sched_refill(&s, l, len, digits, tmp, n, idle);
            }
            active |= (unsigned int)(s.chain[l] != ~(uint32_t)0) << l;
        }
    }
}

/* WOTS+ public key from a signature [FIPS 205 Alg. 8]. */
static void
tk_slhdsa_wots_pk_from_sig(const tk_slhdsa_ctx *ctx, uint8_t *adrs, const uint8_t *sig,
                           const uint8_t *msg, uint8_t *pk)
{
    const tk_slhdsa_params *p = ctx->p;
    uint32_t digits[TK_SLHDSA_MAX_LEN];
    uint8_t tmp[TK_SLHDSA_MAX_LEN * TK_SLHDSA_MAX_N];
    uint32_t kp = tk_slhdsa_get32(adrs + 20);

    tk_slhdsa_wots_digits(p, msg, digits);
    memcpy(tmp, sig, (size_t)p->len * p->n);
    tk_slhdsa_chains_finish(ctx, adrs, digits, tmp);
    tk_slhdsa_adrs_set_type(adrs, TK_SLHDSA_WOTS_PK);
    tk_slhdsa_adrs_set_keypair(adrs, kp);
    tk_slhdsa_t(ctx, adrs, tmp, (size_t)p->len * p->n, pk);
}

/*
 * Climb from a leaf to the root with an auth path [FIPS 205 Alg. 11 and
 * Alg. 17 share this loop]. adrs has type and key pair set; base as for
 * treehash.
 */
static void
tk_slhdsa_climb(const tk_slhdsa_ctx *ctx, uint8_t *adrs, unsigned int height, uint32_t idx,
                uint32_t base, const uint8_t *auth, uint8_t *node)
{
    unsigned int n = ctx->p->n;
    uint8_t pair[2 * TK_SLHDSA_MAX_N];

    for (unsigned int z = 0; z < height; z++) {
        if ((idx >> z) & 1) {
            memcpy(pair, auth + (size_t)z * n, n);
            memcpy(pair + n, node, n);
        } else {
            memcpy(pair, node, n);
            memcpy(pair + n, auth + (size_t)z * n, n);
        }
        tk_slhdsa_adrs_set_chain(adrs, z + 1);
        tk_slhdsa_adrs_set_hash(adrs, (base >> (z + 1)) + (idx >> (z + 1)));
        tk_slhdsa_h(ctx, adrs, pair, node);
    }
}

void
tk_slhdsa_ht_root_from_sig(const tk_slhdsa_ctx *ctx, const uint8_t *msg, uint64_t idx_tree,
                           uint32_t idx_leaf, const uint8_t *sig, uint8_t *root)
{
    const tk_slhdsa_params *p = ctx->p;
    uint8_t adrs[TK_SLHDSA_ADRS_LEN];

    memcpy(root, msg, p->n);
    for (unsigned int j = 0; j < p->d; j++) {
        memset(adrs, 0, sizeof(adrs));
        tk_slhdsa_adrs_set_layer(adrs, j);
        tk_slhdsa_adrs_set_tree(adrs, idx_tree);
        tk_slhdsa_adrs_set_type(adrs, TK_SLHDSA_WOTS_HASH);
        tk_slhdsa_adrs_set_keypair(adrs, idx_leaf);
        tk_slhdsa_wots_pk_from_sig(ctx, adrs, sig, root, root);

        tk_slhdsa_adrs_set_type(adrs, TK_SLHDSA_TREE);
        tk_slhdsa_climb(ctx, adrs, p->hp, idx_leaf, 0, sig + (size_t)p->len * p->n, root);

        sig += (size_t)(p->len + p->hp) * p->n;
        idx_leaf = (uint32_t)(idx_tree & ((1u << p->hp) - 1));
        idx_tree >>= p->hp;
    }
}

/*
 * Addresses of one FORS instance, and the last four leaves built: the
 * leaves are made four at a time (2^a is a multiple of four in every set)
 * and handed to treehash one by one.
 */
typedef struct {
    uint8_t prf_adrs[TK_SLHDSA_ADRS_LEN];
    uint8_t node_adrs[TK_SLHDSA_ADRS_LEN];
    uint32_t base; /* first leaf of the current tree */
    uint8_t leaves[4][TK_SLHDSA_MAX_N];
} tk_slhdsa_fors_walk;

static void
tk_slhdsa_fors_walk_init(tk_slhdsa_fors_walk *walk, uint64_t idx_tree, uint32_t idx_leaf)
{
    memset(walk, 0, sizeof(*walk));
    tk_slhdsa_adrs_set_tree(walk->node_adrs, idx_tree);
    memcpy(walk->prf_adrs, walk->node_adrs, TK_SLHDSA_ADRS_LEN);
    tk_slhdsa_adrs_set_type(walk->node_adrs, TK_SLHDSA_FORS_TREE);
    tk_slhdsa_adrs_set_keypair(walk->node_adrs, idx_leaf);
    tk_slhdsa_adrs_set_type(walk->prf_adrs, TK_SLHDSA_FORS_PRF);
    tk_slhdsa_adrs_set_keypair(walk->prf_adrs, idx_leaf);
}

/* FORS secret value number idx over all trees [FIPS 205 Alg. 14]. */
static void
tk_slhdsa_fors_sk(const tk_slhdsa_ctx *ctx, tk_slhdsa_fors_walk *walk, uint32_t idx,
                  uint8_t *out)
{
    tk_slhdsa_adrs_set_hash(walk->prf_adrs, idx);
    tk_slhdsa_prf(ctx, walk->prf_adrs, out);
}

/*
 * FORS leaf: F of the secret value [FIPS 205 Alg. 15, z = 0]. Leaves
 * idx..idx+3 are computed together when idx is a multiple of four.
 */
static void
tk_slhdsa_fors_leaf(const tk_slhdsa_ctx *ctx, void *arg, uint32_t idx, uint8_t *out)
{
    tk_slhdsa_fors_walk *walk = arg;
    uint8_t adrs[4][TK_SLHDSA_ADRS_LEN];
    uint8_t *const x[4] = {walk->leaves[0], walk->leaves[1], walk->leaves[2], walk->leaves[3]};
    const uint8_t *const in[4] = {x[0], x[1], x[2], x[3]};

    if (idx % 4 == 0) {
        for (uint32_t l = 0; l < 4; l++) {
            memcpy(adrs[l], walk->prf_adrs, TK_SLHDSA_ADRS_LEN);
            tk_slhdsa_adrs_set_hash(adrs[l], walk->base + idx + l);
        }
        tk_slhdsa_prf_x4(ctx, adrs, x, 0xF);
        for (uint32_t l = 0; l < 4; l++) {
            memcpy(adrs[l], walk->node_adrs, TK_SLHDSA_ADRS_LEN);
            tk_slhdsa_adrs_set_chain(adrs[l], 0);
            tk_slhdsa_adrs_set_hash(adrs[l], walk->base + idx + l);
        }
        tk_slhdsa_f_x4(ctx, adrs, in, x, 0xF);
    }
    memcpy(out, walk->leaves[idx % 4], ctx->p->n);
}

/* T_k over the k roots [FIPS 205 Alg. 16/17, last step]. */
static void
tk_slhdsa_fors_compress(const tk_slhdsa_ctx *ctx, const tk_slhdsa_fors_walk *walk,
                        const uint8_t *roots, uint8_t *pk_fors)
{
    uint8_t adrs[TK_SLHDSA_ADRS_LEN];

    memcpy(adrs, walk->node_adrs, TK_SLHDSA_ADRS_LEN);
    tk_slhdsa_adrs_set_type(adrs, TK_SLHDSA_FORS_ROOTS);
    tk_slhdsa_adrs_set_keypair(adrs, tk_slhdsa_get32(walk->node_adrs + 20));
    tk_slhdsa_t(ctx, adrs, roots, (size_t)ctx->p->k * ctx->p->n, pk_fors);
}

/*
 * FORS signature [FIPS 205 Alg. 16]; the roots come out of the same
 * treehash passes, so the FORS public key [Alg. 17] costs only T_k.
 */
void
tk_slhdsa_fors_sign(const tk_slhdsa_ctx *ctx, const uint8_t *md, uint64_t idx_tree,
                    uint32_t idx_leaf, uint8_t *sig, uint8_t *pk_fors)
{
    const tk_slhdsa_params *p = ctx->p;
    uint32_t indices[TK_SLHDSA_MAX_K];
    uint8_t roots[TK_SLHDSA_MAX_K * TK_SLHDSA_MAX_N];
    tk_slhdsa_fors_walk walk;

    tk_slhdsa_base_2b(md, p->a, p->k, indices);
    tk_slhdsa_fors_walk_init(&walk, idx_tree, idx_leaf);
    for (unsigned int i = 0; i < p->k; i++) {
        walk.base = i << p->a;
        tk_slhdsa_fors_sk(ctx, &walk, walk.base + indices[i], sig);
        tk_slhdsa_treehash(ctx, p->a, indices[i], walk.base, walk.node_adrs,
                           tk_slhdsa_fors_leaf, &walk, roots + (size_t)i * p->n, sig + p->n);
        sig += (size_t)(p->a + 1) * p->n;
    }
    tk_slhdsa_fors_compress(ctx, &walk, roots, pk_fors);

    /* The cached leaves are public F outputs; the PRF outputs they came
     * from were overwritten in place, so this clears the last of them. */
    tk_wipe(&walk, sizeof(walk));
}

void
tk_slhdsa_fors_pk_from_sig(const tk_slhdsa_ctx *ctx, const uint8_t *md, uint64_t idx_tree,
                           uint32_t idx_leaf, const uint8_t *sig, uint8_t *pk_fors)
{
    const tk_slhdsa_params *p = ctx->p;
    uint32_t indices[TK_SLHDSA_MAX_K];
    uint8_t roots[TK_SLHDSA_MAX_K * TK_SLHDSA_MAX_N];
    tk_slhdsa_fors_walk walk;

    tk_slhdsa_base_2b(md, p->a, p->k, indices);
    tk_slhdsa_fors_walk_init(&walk, idx_tree, idx_leaf);
    for (unsigned int i = 0; i < p->k; i++) {
        uint8_t *node = roots + (size_t)i * p->n;
        uint32_t base = i << p->a;

        tk_slhdsa_adrs_set_chain(walk.node_adrs, 0);
        tk_slhdsa_adrs_set_hash(walk.node_adrs, base + indices[i]);
        tk_slhdsa_f(ctx, walk.node_adrs, sig, node);
        tk_slhdsa_climb(ctx, walk.node_adrs, p->a, indices[i], base, sig + p->n, node);
        sig += (size_t)(p->a + 1) * p->n;
    }
    tk_slhdsa_fors_compress(ctx, &walk, roots, pk_fors);
}
