/* SHA-256, SHA-512 and HMAC; see sha2.h. [FIPS 180-4] [FIPS 198-1] */
#include "crypto/pqc/sha2.h"

#include <string.h>

#include "util/wipe.h"

/* Round constants [FIPS 180-4 §4.2.2]. */
static const uint32_t tk_sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

/* Round constants [FIPS 180-4 §4.2.3]. */
static const uint64_t tk_sha512_k[80] = {
    0x428a2f98d728ae22ULL, 0x7137449123ef65cdULL, 0xb5c0fbcfec4d3b2fULL,
    0xe9b5dba58189dbbcULL, 0x3956c25bf348b538ULL, 0x59f111f1b605d019ULL,
    0x923f82a4af194f9bULL, 0xab1c5ed5da6d8118ULL, 0xd807aa98a3030242ULL,
    0x12835b0145706fbeULL, 0x243185be4ee4b28cULL, 0x550c7dc3d5ffb4e2ULL,
    0x72be5d74f27b896fULL, 0x80deb1fe3b1696b1ULL, 0x9bdc06a725c71235ULL,
    0xc19bf174cf692694ULL, 0xe49b69c19ef14ad2ULL, 0xefbe4786384f25e3ULL,
    0x0fc19dc68b8cd5b5ULL, 0x240ca1cc77ac9c65ULL, 0x2de92c6f592b0275ULL,
    0x4a7484aa6ea6e483ULL, 0x5cb0a9dcbd41fbd4ULL, 0x76f988da831153b5ULL,
    0x983e5152ee66dfabULL, 0xa831c66d2db43210ULL, 0xb00327c898fb213fULL,
    0xbf597fc7beef0ee4ULL, 0xc6e00bf33da88fc2ULL, 0xd5a79147930aa725ULL,
    0x06ca6351e003826fULL, 0x142929670a0e6e70ULL, 0x27b70a8546d22ffcULL,
    0x2e1b21385c26c926ULL, 0x4d2c6dfc5ac42aedULL, 0x53380d139d95b3dfULL,
    0x650a73548baf63deULL, 0x766a0abb3c77b2a8ULL, 0x81c2c92e47edaee6ULL,
    0x92722c851482353bULL, 0xa2bfe8a14cf10364ULL, 0xa81a664bbc423001ULL,
    0xc24b8b70d0f89791ULL, 0xc76c51a30654be30ULL, 0xd192e819d6ef5218ULL,
    0xd69906245565a910ULL, 0xf40e35855771202aULL, 0x106aa07032bbd1b8ULL,
    0x19a4c116b8d2d0c8ULL, 0x1e376c085141ab53ULL, 0x2748774cdf8eeb99ULL,
    0x34b0bcb5e19b48a8ULL, 0x391c0cb3c5c95a63ULL, 0x4ed8aa4ae3418acbULL,
    0x5b9cca4f7763e373ULL, 0x682e6ff3d6b2b8a3ULL, 0x748f82ee5defb2fcULL,
    0x78a5636f43172f60ULL, 0x84c87814a1f0ab72ULL, 0x8cc702081a6439ecULL,
    0x90befffa23631e28ULL, 0xa4506cebde82bde9ULL, 0xbef9a3f7b2c67915ULL,
    0xc67178f2e372532bULL, 0xca273eceea26619cULL, 0xd186b8c721c0c207ULL,
    0xeada7dd6cde0eb1eULL, 0xf57d4f7fee6ed178ULL, 0x06f067aa72176fbaULL,
    0x0a637dc5a2c898a6ULL, 0x113f9804bef90daeULL, 0x1b710b35131c471bULL,
    0x28db77f523047d84ULL, 0x32caab7b40c72493ULL, 0x3c9ebe0a15c9bebcULL,
    0x431d67c49c100d4cULL, 0x4cc5d4becb3e42b6ULL, 0x597f299cfc657e2aULL,
    0x5fcb6fab3ad6faecULL, 0x6c44198c4a475817ULL,
};

/* Initial hash values [FIPS 180-4 §5.3.3, §5.3.5]. */
static const uint32_t tk_sha256_iv[8] = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

static const uint64_t tk_sha512_iv[8] = {
    0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL, 0x3c6ef372fe94f82bULL,
    0xa54ff53a5f1d36f1ULL, 0x510e527fade682d1ULL, 0x9b05688c2b3e6c1fULL,
    0x1f83d9abfb41bd6bULL, 0x5be0cd19137e2179ULL,
};

static uint32_t
tk_sha2_load32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static uint64_t
tk_sha2_load64(const uint8_t *p)
{
    return ((uint64_t)tk_sha2_load32(p) << 32) | tk_sha2_load32(p + 4);
}

static void
tk_sha2_store32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static void
tk_sha2_store64(uint8_t *p, uint64_t v)
{
    tk_sha2_store32(p, (uint32_t)(v >> 32));
    tk_sha2_store32(p + 4, (uint32_t)v);
}

#define TK_ROR32(x, n) (((x) >> (n)) | ((x) << (32 - (n))))
#define TK_ROR64(x, n) (((x) >> (n)) | ((x) << (64 - (n))))
#define TK_CH(x, y, z) (((x) & ((y) ^ (z))) ^ (z))
#define TK_MAJ(x, y, z) (((x) & (y)) | ((z) & ((x) | (y))))

#define TK_S256_BIG0(x) (TK_ROR32(x, 2) ^ TK_ROR32(x, 13) ^ TK_ROR32(x, 22))
#define TK_S256_BIG1(x) (TK_ROR32(x, 6) ^ TK_ROR32(x, 11) ^ TK_ROR32(x, 25))
#define TK_S256_SMALL0(x) (TK_ROR32(x, 7) ^ TK_ROR32(x, 18) ^ ((x) >> 3))
#define TK_S256_SMALL1(x) (TK_ROR32(x, 17) ^ TK_ROR32(x, 19) ^ ((x) >> 10))

#define TK_S512_BIG0(x) (TK_ROR64(x, 28) ^ TK_ROR64(x, 34) ^ TK_ROR64(x, 39))
#define TK_S512_BIG1(x) (TK_ROR64(x, 14) ^ TK_ROR64(x, 18) ^ TK_ROR64(x, 41))
#define TK_S512_SMALL0(x) (TK_ROR64(x, 1) ^ TK_ROR64(x, 8) ^ ((x) >> 7))
#define TK_S512_SMALL1(x) (TK_ROR64(x, 19) ^ TK_ROR64(x, 61) ^ ((x) >> 6))

/*
 * One round with the working variables renamed instead of shifted: the
 * eight-round body below passes them in rotated order, so no moves are
 * needed between rounds. w is the 16-word circular message schedule.
 */
#define TK_SHA256_ROUND(a, b, c, d, e, f, g, h, i)                                 \
    do {                                                                           \
        uint32_t t1_ = h + TK_S256_BIG1(e) + TK_CH(e, f, g) + tk_sha256_k[i] +    \
                       w[(i) & 15];                                                \
        d += t1_;                                                                  \
        h = t1_ + TK_S256_BIG0(a) + TK_MAJ(a, b, c);                               \
    } while (0)

#define TK_SHA256_EXPAND(i)                                                        \
    (w[(i) & 15] += TK_S256_SMALL1(w[((i) - 2) & 15]) + w[((i) - 7) & 15] +         \
                    TK_S256_SMALL0(w[((i) - 15) & 15]))

#define TK_SHA512_ROUND(a, b, c, d, e, f, g, h, i)                                 \
    do {                                                                           \
        uint64_t t1_ = h + TK_S512_BIG1(e) + TK_CH(e, f, g) + tk_sha512_k[i] +    \
                       w[(i) & 15];                                                \
        d += t1_;                                                                  \
        h = t1_ + TK_S512_BIG0(a) + TK_MAJ(a, b, c);                               \
    } while (0)

#define TK_SHA512_EXPAND(i)                                                        \
    (w[(i) & 15] += TK_S512_SMALL1(w[((i) - 2) & 15]) + w[((i) - 7) & 15] +         \
                    TK_S512_SMALL0(w[((i) - 15) & 15]))

#define TK_SHA2_EIGHT(R, i)                                                        \
    do {                                                                           \
        R(a, b, c, d, e, f, g, h, (i) + 0);                                        \
        R(h, a, b, c, d, e, f, g, (i) + 1);                                        \
        R(g, h, a, b, c, d, e, f, (i) + 2);                                        \
        R(f, g, h, a, b, c, d, e, (i) + 3);                                        \
        R(e, f, g, h, a, b, c, d, (i) + 4);                                        \
        R(d, e, f, g, h, a, b, c, (i) + 5);                                        \
        R(c, d, e, f, g, h, a, b, (i) + 6);                                        \
        R(b, c, d, e, f, g, h, a, (i) + 7);                                        \
    } while (0)

static void
tk_sha256_block(uint32_t st[8], const uint8_t *blk)
{
    uint32_t w[16];
    uint32_t a = st[0], b = st[1], c = st[2], d = st[3];
    uint32_t e = st[4], f = st[5], g = st[6], h = st[7];

    for (int i = 0; i < 16; i++) {
        w[i] = tk_sha2_load32(blk + 4 * i);
    }
    TK_SHA2_EIGHT(TK_SHA256_ROUND, 0);
    TK_SHA2_EIGHT(TK_SHA256_ROUND, 8);
    for (int i = 16; i < 64; i += 8) {
        for (int j = i; j < i + 8; j++) {
            TK_SHA256_EXPAND(j);
        }
        TK_SHA2_EIGHT(TK_SHA256_ROUND, i);
    }
    st[0] += a;
    st[1] += b;
    st[2] += c;
    st[3] += d;
    st[4] += e;
    st[5] += f;
    st[6] += g;
    st[7] += h;
}

static void
tk_sha512_block(uint64_t st[8], const uint8_t *blk)
{
    uint64_t w[16];
    uint64_t a = st[0], b = st[1], c = st[2], d = st[3];
    uint64_t e = st[4], f = st[5], g = st[6], h = st[7];

    for (int i = 0; i < 16; i++) {
        w[i] = tk_sha2_load64(blk + 8 * i);
    }
    TK_SHA2_EIGHT(TK_SHA512_ROUND, 0);
    TK_SHA2_EIGHT(TK_SHA512_ROUND, 8);
    for (int i = 16; i < 80; i += 8) {
        for (int j = i; j < i + 8; j++) {
            TK_SHA512_EXPAND(j);
        }
        TK_SHA2_EIGHT(TK_SHA512_ROUND, i);
    }
    st[0] += a;
    st[1] += b;
    st[2] += c;
    st[3] += d;
    st[4] += e;
    st[5] += f;
    st[6] += g;
    st[7] += h;
}

void
tk_sha256_compress(uint32_t h[8], const uint8_t *blocks, size_t nblocks)
{
    for (size_t i = 0; i < nblocks; i++) {
        tk_sha256_block(h, blocks + TK_SHA256_BLOCK * i);
    }
}

void
tk_sha512_compress(uint64_t h[8], const uint8_t *blocks, size_t nblocks)
{
    for (size_t i = 0; i < nblocks; i++) {
        tk_sha512_block(h, blocks + TK_SHA512_BLOCK * i);
    }
}

#if defined(__GNUC__)
typedef uint32_t tk_sha256_v4 __attribute__((vector_size(16)));

/* The scalar round on four lanes; only the temporary's type differs. */
#define TK_SHA256_ROUND_V4(a, b, c, d, e, f, g, h, i)                              \
    do {                                                                           \
        tk_sha256_v4 t1_ = h + TK_S256_BIG1(e) + TK_CH(e, f, g) + tk_sha256_k[i] + \
                           w[(i) & 15];                                            \
        d += t1_;                                                                  \
        h = t1_ + TK_S256_BIG0(a) + TK_MAJ(a, b, c);                               \
    } while (0)

void
tk_sha256_compress_x4(uint32_t st[8][4], const uint8_t *const blocks[4])
{
    tk_sha256_v4 w[16];
    tk_sha256_v4 v[8];

    for (int i = 0; i < 8; i++) {
        memcpy(&v[i], st[i], sizeof(v[i]));
    }
    for (int i = 0; i < 16; i++) {
        w[i] = (tk_sha256_v4){tk_sha2_load32(blocks[0] + 4 * i), tk_sha2_load32(blocks[1] + 4 * i),
                              tk_sha2_load32(blocks[2] + 4 * i), tk_sha2_load32(blocks[3] + 4 * i)};
    }
    {
        tk_sha256_v4 a = v[0], b = v[1], c = v[2], d = v[3];
        tk_sha256_v4 e = v[4], f = v[5], g = v[6], h = v[7];

        TK_SHA2_EIGHT(TK_SHA256_ROUND_V4, 0);
        TK_SHA2_EIGHT(TK_SHA256_ROUND_V4, 8);
        for (int i = 16; i < 64; i += 8) {
            for (int j = i; j < i + 8; j++) {
                TK_SHA256_EXPAND(j);
            }
            TK_SHA2_EIGHT(TK_SHA256_ROUND_V4, i);
        }
        v[0] += a;
        v[1] += b;
        v[2] += c;
        v[3] += d;
        v[4] += e;
        v[5] += f;
        v[6] += g;
        v[7] += h;
    }
    for (int i = 0; i < 8; i++) {
        memcpy(st[i], &v[i], sizeof(v[i]));
    }
}
#else
void
tk_sha256_compress_x4(uint32_t st[8][4], const uint8_t *const blocks[4])
{
    for (int l = 0; l < 4; l++) {
        uint32_t h[8];

        for (int i = 0; i < 8; i++) {
            h[i] = st[i][l];
        }
        tk_sha256_block(h, blocks[l]);
        for (int i = 0; i < 8; i++) {
            st[i][l] = h[i];
        }
    }
}
#endif

void
tk_sha256_init(tk_sha256_ctx *c)
{
    memcpy(c->h, tk_sha256_iv, sizeof(c->h));
    c->nbytes = 0;
}

void
tk_sha256_update(tk_sha256_ctx *c, const uint8_t *in, size_t len)
{
    size_t fill = (size_t)(c->nbytes % TK_SHA256_BLOCK);

    if (len == 0) {
        return;
    }
    c->nbytes += len;
    if (fill > 0) {
        size_t take = TK_SHA256_BLOCK - fill;

        if (take > len) {
            take = len;
        }
        memcpy(c->buf + fill, in, take);
        in += take;
        len -= take;
        if (fill + take < TK_SHA256_BLOCK) {
            return;
        }
        tk_sha256_block(c->h, c->buf);
    }

    /* Whole blocks straight from the input, no copy. */
    tk_sha256_compress(c->h, in, len / TK_SHA256_BLOCK);
    in += len - len % TK_SHA256_BLOCK;
    len %= TK_SHA256_BLOCK;
    if (len > 0) {
        memcpy(c->buf, in, len);
    }
}

void
tk_sha256_final(tk_sha256_ctx *c, uint8_t out[TK_SHA256_DIGEST])
{
    size_t fill = (size_t)(c->nbytes % TK_SHA256_BLOCK);
    uint64_t bits = c->nbytes * 8;

    c->buf[fill++] = 0x80;
    if (fill > TK_SHA256_BLOCK - 8) {
        memset(c->buf + fill, 0, TK_SHA256_BLOCK - fill);
        tk_sha256_block(c->h, c->buf);
        fill = 0;
    }
    memset(c->buf + fill, 0, TK_SHA256_BLOCK - 8 - fill);
    tk_sha2_store64(c->buf + TK_SHA256_BLOCK - 8, bits);
    tk_sha256_block(c->h, c->buf);
    for (int i = 0; i < 8; i++) {
        tk_sha2_store32(out + 4 * i, c->h[i]);
    }
    tk_sha256_wipe(c);
}

void
tk_sha256_wipe(tk_sha256_ctx *c)
{
    tk_wipe(c, sizeof(*c));
}

void
tk_sha256(uint8_t out[TK_SHA256_DIGEST], const uint8_t *in, size_t len)
{
    tk_sha256_ctx c;

    tk_sha256_init(&c);
    tk_sha256_update(&c, in, len);
    tk_sha256_final(&c, out);
}

void
tk_sha512_init(tk_sha512_ctx *c)
{
    memcpy(c->h, tk_sha512_iv, sizeof(c->h));
    c->nbytes = 0;
}

void
tk_sha512_update(tk_sha512_ctx *c, const uint8_t *in, size_t len)
{
    size_t fill = (size_t)(c->nbytes % TK_SHA512_BLOCK);

    if (len == 0) {
        return;
    }
    c->nbytes += len;
    if (fill > 0) {
        size_t take = TK_SHA512_BLOCK - fill;

        if (take > len) {
            take = len;
        }
        memcpy(c->buf + fill, in, take);
        in += take;
        len -= take;
        if (fill + take < TK_SHA512_BLOCK) {
            return;
        }
        tk_sha512_block(c->h, c->buf);
    }

    tk_sha512_compress(c->h, in, len / TK_SHA512_BLOCK);
    in += len - len % TK_SHA512_BLOCK;
    len %= TK_SHA512_BLOCK;
    if (len > 0) {
        memcpy(c->buf, in, len);
    }
}

void
tk_sha512_final(tk_sha512_ctx *c, uint8_t out[TK_SHA512_DIGEST])
{
    size_t fill = (size_t)(c->nbytes % TK_SHA512_BLOCK);

    c->buf[fill++] = 0x80;
    if (fill > TK_SHA512_BLOCK - 16) {
        memset(c->buf + fill, 0, TK_SHA512_BLOCK - fill);
        tk_sha512_block(c->h, c->buf);
        fill = 0;
    }
    /* The 128-bit length: the high 64 bits hold the top three bits. */
    memset(c->buf + fill, 0, TK_SHA512_BLOCK - 16 - fill);
    tk_sha2_store64(c->buf + TK_SHA512_BLOCK - 16, c->nbytes >> 61);
    tk_sha2_store64(c->buf + TK_SHA512_BLOCK - 8, c->nbytes << 3);
    tk_sha512_block(c->h, c->buf);
    for (int i = 0; i < 8; i++) {
        tk_sha2_store64(out + 8 * i, c->h[i]);
    }
    tk_sha512_wipe(c);
}

void
tk_sha512_wipe(tk_sha512_ctx *c)
{
    tk_wipe(c, sizeof(*c));
}

void
tk_sha512(uint8_t out[TK_SHA512_DIGEST], const uint8_t *in, size_t len)
{
    tk_sha512_ctx c;

    tk_sha512_init(&c);
    tk_sha512_update(&c, in, len);
    tk_sha512_final(&c, out);
}

/*
 * HMAC key schedule: K0 is the key (hashed first when longer than a block)
 * padded with zeros; the inner hash starts from K0 ^ ipad, the outer from
 * K0 ^ opad [FIPS 198-1 §4].
 */
void
tk_hmac_sha256_init(tk_hmac_sha256_ctx *c, const uint8_t *key, size_t keylen)
{
    uint8_t k0[TK_SHA256_BLOCK] = {0};
    uint8_t pad[TK_SHA256_BLOCK];

    if (keylen > TK_SHA256_BLOCK) {
        tk_sha256(k0, key, keylen);
    } else if (keylen > 0) {
        memcpy(k0, key, keylen);
    }
    for (size_t i = 0; i < sizeof(pad); i++) {
        pad[i] = k0[i] ^ 0x36;
    }
    tk_sha256_init(&c->inner);
    tk_sha256_update(&c->inner, pad, sizeof(pad));
    for (size_t i = 0; i < sizeof(pad); i++) {
        pad[i] = k0[i] ^ 0x5c;
    }
    tk_sha256_init(&c->outer);
    tk_sha256_update(&c->outer, pad, sizeof(pad));
    tk_wipe(k0, sizeof(k0));
    tk_wipe(pad, sizeof(pad));
}

void
tk_hmac_sha256_update(tk_hmac_sha256_ctx *c, const uint8_t *in, size_t len)
{
    tk_sha256_update(&c->inner, in, len);
}

void
tk_hmac_sha256_final(tk_hmac_sha256_ctx *c, uint8_t out[TK_SHA256_DIGEST])
{
    uint8_t ih[TK_SHA256_DIGEST];

    tk_sha256_final(&c->inner, ih);
    tk_sha256_update(&c->outer, ih, sizeof(ih));
    tk_sha256_final(&c->outer, out);
    tk_wipe(ih, sizeof(ih));
}

void
tk_hmac_sha512_init(tk_hmac_sha512_ctx *c, const uint8_t *key, size_t keylen)
{
    uint8_t k0[TK_SHA512_BLOCK] = {0};
    uint8_t pad[TK_SHA512_BLOCK];

    if (keylen > TK_SHA512_BLOCK) {
        tk_sha512(k0, key, keylen);
    } else if (keylen > 0) {
        memcpy(k0, key, keylen);
    }
    for (size_t i = 0; i < sizeof(pad); i++) {
        pad[i] = k0[i] ^ 0x36;
    }
    tk_sha512_init(&c->inner);
    tk_sha512_update(&c->inner, pad, sizeof(pad));
    for (size_t i = 0; i < sizeof(pad); i++) {
        pad[i] = k0[i] ^ 0x5c;
    }
    tk_sha512_init(&c->outer);
    tk_sha512_update(&c->outer, pad, sizeof(pad));
    tk_wipe(k0, sizeof(k0));
    tk_wipe(pad, sizeof(pad));
}

void
tk_hmac_sha512_update(tk_hmac_sha512_ctx *c, const uint8_t *in, size_t len)
{
    tk_sha512_update(&c->inner, in, len);
}

void
tk_hmac_sha512_final(tk_hmac_sha512_ctx *c, uint8_t out[TK_SHA512_DIGEST])
{
    uint8_t ih[TK_SHA512_DIGEST];

    tk_sha512_final(&c->inner, ih);
    tk_sha512_update(&c->outer, ih, sizeof(ih));
    tk_sha512_final(&c->outer, out);
    tk_wipe(ih, sizeof(ih));
}
