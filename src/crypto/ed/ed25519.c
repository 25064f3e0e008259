/*
 * Ed25519, Ed25519ctx and Ed25519ph [RFC 8032 §5.1]; see ed.h.
 *
 * Field elements mod p = 2^255 - 19 are five 51-bit limbs; a carried
 * element has limbs below 2^52, which keeps every product sum of
 * tk_fe25519_mul below 2^115. Points use extended coordinates
 * (X : Y : Z : T), x = X/Z, y = Y/Z, xy = T/Z, with the complete
 * addition formulas of [RFC 8032 §5.1.4].
 */
#include "crypto/ed/ed.h"

#include <string.h>

#include "crypto/ed/ed_internal.h"
#include "crypto/pqc/sha2.h"
#include "util/wipe.h"

#define TK_M51 ((uint64_t)0x7ffffffffffff)

typedef struct {
    uint64_t v[5];
} tk_fe25519;

typedef struct {
    tk_fe25519 x, y, z, t;
} tk_ge25519;

/* d = -121665/121666, sqrt(-1) = 2^((p-1)/4) and the base point B
 * (y = 4/5, x even), little endian. */
static const uint8_t tk_ed25519_d[32] = {
    0xa3, 0x78, 0x59, 0x13, 0xca, 0x4d, 0xeb, 0x75, 0xab, 0xd8, 0x41, 0x41, 0x4d, 0x0a, 0x70, 0x00,
    0x98, 0xe8, 0x79, 0x77, 0x79, 0x40, 0xc7, 0x8c, 0x73, 0xfe, 0x6f, 0x2b, 0xee, 0x6c, 0x03, 0x52};
static const uint8_t tk_ed25519_sqrtm1[32] = {
    0xb0, 0xa0, 0x0e, 0x4a, 0x27, 0x1b, 0xee, 0xc4, 0x78, 0xe4, 0x2f, 0xad, 0x06, 0x18, 0x43, 0x2f,
    0xa7, 0xd7, 0xfb, 0x3d, 0x99, 0x00, 0x4d, 0x2b, 0x0b, 0xdf, 0xc1, 0x4f, 0x80, 0x24, 0x83, 0x2b};
static const uint8_t tk_ed25519_base[32] = {
    0x58, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
    0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66};

/* L = 2^252 + 27742317777372353535851937790883648493. */
static const uint64_t tk_ed25519_l[4] = {0x5812631a5cf5d3edULL, 0x14def9dea2f79cd6ULL, 0,
                                         0x1000000000000000ULL};

static const char tk_ed25519_dom2[] = "SigEd25519 no Ed25519 collisions";

/* ---- field ---- */

static void
tk_fe25519_carry(tk_fe25519 *a)
{
    uint64_t c;
    int i;

    for (i = 0; i < 4; i++) {
        c = a->v[i] >> 51;
        a->v[i] &= TK_M51;
        a->v[i + 1] += c;
    }
    c = a->v[4] >> 51;
    a->v[4] &= TK_M51;
    a->v[0] += 19 * c;
}

static void
tk_fe25519_set(tk_fe25519 *r, uint64_t small)
{
    memset(r, 0, sizeof(*r));
    r->v[0] = small;
}

static void
tk_fe25519_add(tk_fe25519 *r, const tk_fe25519 *a, const tk_fe25519 *b)
{
    int i;

    for (i = 0; i < 5; i++) {
        r->v[i] = a->v[i] + b->v[i];
    }
    tk_fe25519_carry(r);
}

/* a + 2p - b: 2p's limbs exceed any carried b's, so nothing wraps. */
static void
tk_fe25519_sub(tk_fe25519 *r, const tk_fe25519 *a, const tk_fe25519 *b)
{
    int i;

    r->v[0] = a->v[0] + 0xfffffffffffdaULL - b->v[0];
    for (i = 1; i < 5; i++) {
        r->v[i] = a->v[i] + 0xffffffffffffeULL - b->v[i];
    }
    tk_fe25519_carry(r);
}

/* Schoolbook product; 2^255 = 19 folds the high half down. */
static void
tk_fe25519_mul(tk_fe25519 *r, const tk_fe25519 *a, const tk_fe25519 *b)
{
    typedef unsigned __int128 u128;
    const uint64_t *x = a->v;
    const uint64_t *y = b->v;
    uint64_t y1 = 19 * y[1], y2 = 19 * y[2], y3 = 19 * y[3], y4 = 19 * y[4];
    u128 t0, t1, t2, t3, t4;

    t0 = (u128)x[0] * y[0] + (u128)x[1] * y4 + (u128)x[2] * y3 + (u128)x[3] * y2 +
         (u128)x[4] * y1;
    t1 = (u128)x[0] * y[1] + (u128)x[1] * y[0] + (u128)x[2] * y4 + (u128)x[3] * y3 +
         (u128)x[4] * y2;
    t2 = (u128)x[0] * y[2] + (u128)x[1] * y[1] + (u128)x[2] * y[0] + (u128)x[3] * y4 +
         (u128)x[4] * y3;
    t3 = (u128)x[0] * y[3] + (u128)x[1] * y[2] + (u128)x[2] * y[1] + (u128)x[3] * y[0] +
         (u128)x[4] * y4;
    t4 = (u128)x[0] * y[4] + (u128)x[1] * y[3] + (u128)x[2] * y[2] + (u128)x[3] * y[1] +
         (u128)x[4] * y[0];
    t1 += t0 >> 51;
    t2 += t1 >> 51;
    t3 += t2 >> 51;
    t4 += t3 >> 51;
    t0 = (t0 & TK_M51) + 19 * (t4 >> 51);
    r->v[1] = (uint64_t)(t1 & TK_M51) + (uint64_t)(t0 >> 51);
    r->v[0] = (uint64_t)(t0 & TK_M51);
    r->v[2] = (uint64_t)(t2 & TK_M51);
    r->v[3] = (uint64_t)(t3 & TK_M51);
    r->v[4] = (uint64_t)(t4 & TK_M51);
}

/* r = a^e, e little endian of len bytes; e is public (a fixed exponent). */
static void
tk_fe25519_pow(tk_fe25519 *r, const tk_fe25519 *a, const uint8_t *e, size_t len)
{
    tk_fe25519 acc;
    size_t i;

    tk_fe25519_set(&acc, 1);
    for (i = 8 * len; i-- > 0;) {
        tk_fe25519_mul(&acc, &acc, &acc);
        if ((e[i / 8] >> (i % 8)) & 1) {
            tk_fe25519_mul(&acc, &acc, a);
        }
    }
    *r = acc;
}

/* r = 1/a = a^(p-2). */
static void
tk_fe25519_invert(tk_fe25519 *r, const tk_fe25519 *a)
{
    uint8_t e[32];

    memset(e, 0xff, sizeof(e));
    e[0] = 0xeb;
    e[31] = 0x7f;
    tk_fe25519_pow(r, a, e, sizeof(e));
}

/* 255 bits of b; the top bit is the caller's. */
static void
tk_fe25519_from_bytes(tk_fe25519 *r, const uint8_t b[32])
{
    uint64_t w[4];

    tk_ed_sc_load(w, 4, b, 32);
    r->v[0] = w[0] & TK_M51;
    r->v[1] = ((w[0] >> 51) | (w[1] << 13)) & TK_M51;
    r->v[2] = ((w[1] >> 38) | (w[2] << 26)) & TK_M51;
    r->v[3] = ((w[2] >> 25) | (w[3] << 39)) & TK_M51;
    r->v[4] = (w[3] >> 12) & TK_M51;
}

/* The canonical encoding: fully carried, then p subtracted once by mask
 * when the value is at least p (it is below 2^255 < 2p by then). */
static void
tk_fe25519_to_bytes(uint8_t b[32], const tk_fe25519 *a)
{
    tk_fe25519 t = *a;
    uint64_t s[5];
    uint64_t w[4];
    uint64_t borrow = 0;
    uint64_t keep;
    int64_t d;
    int i;

    tk_fe25519_carry(&t);
    tk_fe25519_carry(&t);
    tk_fe25519_carry(&t);
    for (i = 0; i < 5; i++) {
        d = (int64_t)t.v[i] - (int64_t)(i == 0 ? TK_M51 - 18 : TK_M51) - (int64_t)borrow;
        borrow = (uint64_t)d >> 63;
        s[i] = (uint64_t)d & TK_M51;
    }
    keep = 0 - borrow;
    for (i = 0; i < 5; i++) {
        t.v[i] = (t.v[i] & keep) | (s[i] & ~keep);
    }
    w[0] = t.v[0] | (t.v[1] << 51);
    w[1] = (t.v[1] >> 13) | (t.v[2] << 38);
    w[2] = (t.v[2] >> 26) | (t.v[3] << 25);
    w[3] = (t.v[3] >> 39) | (t.v[4] << 12);
    tk_ed_sc_store(b, 32, w, 4);
    tk_wipe(&t, sizeof(t));
    tk_wipe(s, sizeof(s));
}

/* 1 when a == b; variable time, for public values only. */
static int
tk_fe25519_eq_vartime(const tk_fe25519 *a, const tk_fe25519 *b)
{
    uint8_t x[32];
    uint8_t y[32];

    tk_fe25519_to_bytes(x, a);
    tk_fe25519_to_bytes(y, b);
    return memcmp(x, y, 32) == 0;
}

/* ---- group ---- */

static void
tk_ge25519_identity(tk_ge25519 *p)
{
    tk_fe25519_set(&p->x, 0);
    tk_fe25519_set(&p->y, 1);
    tk_fe25519_set(&p->z, 1);
    tk_fe25519_set(&p->t, 0);
}

/* [RFC 8032 §5.1.4] addition; complete, so it doubles too. */
static void
tk_ge25519_add(tk_ge25519 *r, const tk_ge25519 *p, const tk_ge25519 *q)
{
    tk_fe25519 a, b, c, d, e, f, g, h, k;

    tk_fe25519_from_bytes(&k, tk_ed25519_d);
    tk_fe25519_add(&k, &k, &k);
    tk_fe25519_sub(&a, &p->y, &p->x);
    tk_fe25519_sub(&h, &q->y, &q->x);
    tk_fe25519_mul(&a, &a, &h);
    tk_fe25519_add(&b, &p->y, &p->x);
    tk_fe25519_add(&h, &q->y, &q->x);
    tk_fe25519_mul(&b, &b, &h);
    tk_fe25519_mul(&c, &p->t, &q->t);
    tk_fe25519_mul(&c, &c, &k);
    tk_fe25519_mul(&d, &p->z, &q->z);
    tk_fe25519_add(&d, &d, &d);
    tk_fe25519_sub(&e, &b, &a);
    tk_fe25519_sub(&f, &d, &c);
    tk_fe25519_add(&g, &d, &c);
    tk_fe25519_add(&h, &b, &a);
    tk_fe25519_mul(&r->x, &e, &f);
    tk_fe25519_mul(&r->y, &g, &h);
    tk_fe25519_mul(&r->t, &e, &h);
    tk_fe25519_mul(&r->z, &f, &g);
}

/* [RFC 8032 §5.1.4] doubling. */
static void
tk_ge25519_double(tk_ge25519 *r, const tk_ge25519 *p)
{
    tk_fe25519 a, b, c, e, f, g, h;

    tk_fe25519_mul(&a, &p->x, &p->x);
    tk_fe25519_mul(&b, &p->y, &p->y);
    tk_fe25519_mul(&c, &p->z, &p->z);
    tk_fe25519_add(&c, &c, &c);
    tk_fe25519_add(&h, &a, &b);
    tk_fe25519_add(&e, &p->x, &p->y);
    tk_fe25519_mul(&e, &e, &e);
    tk_fe25519_sub(&e, &h, &e);
    tk_fe25519_sub(&g, &a, &b);
    tk_fe25519_add(&f, &c, &g);
    tk_fe25519_mul(&r->x, &e, &f);
    tk_fe25519_mul(&r->y, &g, &h);
    tk_fe25519_mul(&r->t, &e, &h);
    tk_fe25519_mul(&r->z, &f, &g);
}

/* r = q when bit is 1; bit is secret, so a mask, no branch. */
static void
tk_ge25519_cmov(tk_ge25519 *r, const tk_ge25519 *q, uint64_t bit)
{
    uint64_t *d = (uint64_t *)r;
    const uint64_t *s = (const uint64_t *)q;
    uint64_t m = 0 - bit;
    size_t i;

    for (i = 0; i < sizeof(*r) / sizeof(uint64_t); i++) {
        d[i] ^= m & (d[i] ^ s[i]);
    }
}

/* r = [s]p, s little endian of len bytes. Double and add always with a
 * masked select: constant time in s. */
static void
tk_ge25519_mul(tk_ge25519 *r, const tk_ge25519 *p, const uint8_t *s, size_t len)
{
    tk_ge25519 q;
    tk_ge25519 t;
    size_t i;

    tk_ge25519_identity(&q);
    for (i = 8 * len; i-- > 0;) {
        tk_ge25519_double(&q, &q);
        tk_ge25519_add(&t, &q, p);
        tk_ge25519_cmov(&q, &t, (s[i / 8] >> (i % 8)) & 1);
    }
    *r = q;
    tk_wipe(&q, sizeof(q));
    tk_wipe(&t, sizeof(t));
}

/* [RFC 8032 §5.1.2]; constant time (the inversion's exponent is fixed). */
static void
tk_ge25519_encode(uint8_t b[32], const tk_ge25519 *p)
{
    tk_fe25519 zi, x, y;
    uint8_t xb[32];

    tk_fe25519_invert(&zi, &p->z);
    tk_fe25519_mul(&x, &p->x, &zi);
    tk_fe25519_mul(&y, &p->y, &zi);
    tk_fe25519_to_bytes(b, &y);
    tk_fe25519_to_bytes(xb, &x);
    b[31] |= (uint8_t)((xb[0] & 1) << 7);
    tk_wipe(xb, sizeof(xb));
}

/* x with v x^2 = u [RFC 8032 §5.1.3]: x = u v^3 (u v^7)^((p-5)/8), times
 * sqrt(-1) when that gives -u. -1 when u/v is not a square. Variable
 * time: decoding sees public data only. */
static int
tk_fe25519_sqrt_ratio(tk_fe25519 *x, const tk_fe25519 *u, const tk_fe25519 *v)
{
    tk_fe25519 w, c, k;
    uint8_t e[32];

    tk_fe25519_mul(&w, v, v);
    tk_fe25519_mul(&w, &w, v);
    tk_fe25519_mul(x, &w, &w);
    tk_fe25519_mul(x, x, v);
    tk_fe25519_mul(x, x, u);
    memset(e, 0xff, sizeof(e));
    e[0] = 0xfd;
    e[31] = 0x0f;
    tk_fe25519_pow(x, x, e, sizeof(e));
    tk_fe25519_mul(x, x, &w);
    tk_fe25519_mul(x, x, u);
    tk_fe25519_mul(&c, x, x);
    tk_fe25519_mul(&c, &c, v);
    if (tk_fe25519_eq_vartime(&c, u)) {
        return 0;
    }
    tk_fe25519_set(&k, 0);
    tk_fe25519_sub(&k, &k, u);
    if (!tk_fe25519_eq_vartime(&c, &k)) {
        return -1;
    }
    tk_fe25519_from_bytes(&k, tk_ed25519_sqrtm1);
    tk_fe25519_mul(x, x, &k);
    return 0;
}

/* [RFC 8032 §5.1.3]; -1 for a non-canonical y or no such point. Public
 * data only: variable time. */
static int
tk_ge25519_decode(tk_ge25519 *p, const uint8_t b[32])
{
    tk_fe25519 u, v, x, y, k, one;
    uint8_t yb[32];
    uint8_t chk[32];
    int sign = b[31] >> 7;

    memcpy(yb, b, 32);
    yb[31] &= 0x7f;
    tk_fe25519_from_bytes(&y, yb);
    tk_fe25519_to_bytes(chk, &y);
    if (memcmp(chk, yb, 32) != 0) {
        return -1;
    }
    tk_fe25519_set(&one, 1);
    tk_fe25519_from_bytes(&k, tk_ed25519_d);
    tk_fe25519_mul(&u, &y, &y);
    tk_fe25519_mul(&v, &u, &k);
    tk_fe25519_sub(&u, &u, &one);
    tk_fe25519_add(&v, &v, &one);
    if (tk_fe25519_sqrt_ratio(&x, &u, &v) != 0) {
        return -1;
    }
    tk_fe25519_to_bytes(chk, &x);
    if ((chk[0] & 1) != sign) {
        if (sign && chk[0] == 0 && memcmp(chk, chk + 1, 31) == 0) {
            return -1;  /* x = 0 with the sign bit set */
        }
        tk_fe25519_set(&k, 0);
        tk_fe25519_sub(&x, &k, &x);
    }
    p->x = x;
    p->y = y;
    tk_fe25519_set(&p->z, 1);
    tk_fe25519_mul(&p->t, &x, &y);
    return 0;
}

static void
tk_ge25519_base(tk_ge25519 *b)
{
    (void)tk_ge25519_decode(b, tk_ed25519_base);
}

/* ---- scheme ---- */

/* The secret scalar s (clamped) and the prefix from the seed. */
static void
tk_ed25519_expand(const uint8_t seed[32], uint8_t h[64])
{
    tk_sha512(h, seed, 32);
    h[0] &= 248;
    h[31] &= 127;
    h[31] |= 64;
}

/* See ed.h. */
void
tk_ed25519_public(uint8_t pub[TK_ED25519_PUB], const uint8_t seed[TK_ED25519_SEED])
{
    uint8_t h[64];
    tk_ge25519 b;
    tk_ge25519 a;

    tk_ed25519_expand(seed, h);
    tk_ge25519_base(&b);
    tk_ge25519_mul(&a, &b, h, 32);
    tk_ge25519_encode(pub, &a);
    tk_wipe(h, sizeof(h));
    tk_wipe(&a, sizeof(a));
}

static int
tk_ed25519_params_ok(const tk_ed_params *p)
{
    if (p->context_len > TK_ED_MAX_CONTEXT || (p->context_len > 0 && p->context == NULL)) {
        return 0;
    }
    return p->dom || (!p->prehash && p->context_len == 0);
}

/* A hash with dom2 in front when the instance has one [RFC 8032 §5.1]. */
static void
tk_ed25519_hash_start(tk_sha512_ctx *c, const tk_ed_params *p)
{
    uint8_t hdr[2];

    tk_sha512_init(c);
    if (!p->dom) {
        return;
    }
    hdr[0] = p->prehash ? 1 : 0;
    hdr[1] = (uint8_t)p->context_len;
    tk_sha512_update(c, (const uint8_t *)tk_ed25519_dom2, sizeof(tk_ed25519_dom2) - 1);
    tk_sha512_update(c, hdr, 2);
    tk_sha512_update(c, p->context, p->context_len);
}

/* H(dom2 || a || b || msg) mod L, msg being PH(M) already. */
static void
tk_ed25519_hash_mod_l(uint64_t out[4], const tk_ed_params *p, const uint8_t *a, size_t a_len,
                      const uint8_t *b, size_t b_len, const uint8_t *msg, size_t msg_len)
{
    tk_sha512_ctx c;
    uint8_t h[64];
    uint64_t w[8];

    tk_ed25519_hash_start(&c, p);
    tk_sha512_update(&c, a, a_len);
    tk_sha512_update(&c, b, b_len);
    tk_sha512_update(&c, msg, msg_len);
    tk_sha512_final(&c, h);
    tk_ed_sc_load(w, 8, h, 64);
    tk_ed_sc_reduce(out, w, 8, tk_ed25519_l, 4);
    tk_sha512_wipe(&c);
    tk_wipe(h, sizeof(h));
    tk_wipe(w, sizeof(w));
}

/* See ed.h. */
int
tk_ed25519_sign(uint8_t sig[TK_ED25519_SIG], const uint8_t seed[TK_ED25519_SEED],
                const uint8_t pub[TK_ED25519_PUB], const tk_ed_params *params,
                const uint8_t *msg, size_t msg_len)
{
    uint8_t h[64];
    uint8_t ph[64];
    uint8_t rb[32];
    uint64_t r[4], k[4], s[4], sum[4];
    tk_ge25519 b, rp;

    if (!tk_ed25519_params_ok(params)) {
        return -1;
    }
    if (params->prehash) {
        tk_sha512(ph, msg, msg_len);
        msg = ph;
        msg_len = sizeof(ph);
    }
    tk_ed25519_expand(seed, h);
    tk_ed25519_hash_mod_l(r, params, h + 32, 32, NULL, 0, msg, msg_len);
    tk_ed_sc_store(rb, 32, r, 4);
    tk_ge25519_base(&b);
    tk_ge25519_mul(&rp, &b, rb, 32);
    tk_ge25519_encode(sig, &rp);
    tk_ed25519_hash_mod_l(k, params, sig, 32, pub, 32, msg, msg_len);
    tk_ed_sc_load(s, 4, h, 32);
    tk_ed_sc_muladd(sum, k, s, r, tk_ed25519_l, 4);
    tk_ed_sc_store(sig + 32, 32, sum, 4);
    tk_wipe(h, sizeof(h));
    tk_wipe(ph, sizeof(ph));
    tk_wipe(rb, sizeof(rb));
    tk_wipe(r, sizeof(r));
    tk_wipe(s, sizeof(s));
    tk_wipe(sum, sizeof(sum));
    tk_wipe(&rp, sizeof(rp));
    return 0;
}

/* See ed.h. */
int
tk_ed25519_check_public(const uint8_t pub[TK_ED25519_PUB])
{
    tk_ge25519 a;

    return tk_ge25519_decode(&a, pub);
}

/* See ed.h. Checks [S]B = R + [k]A by encoding [S]B - [k]A and comparing
 * it with R's bytes, which also refuses a non-canonical R. */
int
tk_ed25519_verify(const uint8_t sig[TK_ED25519_SIG], const uint8_t pub[TK_ED25519_PUB],
                  const tk_ed_params *params, const uint8_t *msg, size_t msg_len)
{
    uint8_t ph[64];
    uint8_t kb[32];
    uint8_t chk[32];
    uint64_t s[4], k[4];
    tk_ge25519 a, b, sb, ka;
    tk_fe25519 zero;

    if (!tk_ed25519_params_ok(params) || tk_ge25519_decode(&a, pub) != 0) {
        return -1;
    }
    tk_ed_sc_load(s, 4, sig + 32, 32);
    if (!tk_ed_sc_lt(s, tk_ed25519_l, 4)) {
        return -1;
    }
    if (params->prehash) {
        tk_sha512(ph, msg, msg_len);
        msg = ph;
        msg_len = sizeof(ph);
    }
    tk_ed25519_hash_mod_l(k, params, sig, 32, pub, 32, msg, msg_len);
    tk_ed_sc_store(kb, 32, k, 4);
    tk_ge25519_base(&b);
    tk_ge25519_mul(&sb, &b, sig + 32, 32);
    tk_ge25519_mul(&ka, &a, kb, 32);
    tk_fe25519_set(&zero, 0);
    tk_fe25519_sub(&ka.x, &zero, &ka.x);
    tk_fe25519_sub(&ka.t, &zero, &ka.t);
    tk_ge25519_add(&sb, &sb, &ka);
    tk_ge25519_encode(chk, &sb);
    return memcmp(chk, sig, 32) == 0 ? 0 : -1;
}
