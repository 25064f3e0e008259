/*
 * Ed448 (with or without a context) and Ed448ph [RFC 8032 §5.2]; see
 * ed.h.
 *
 * Field elements mod p = 2^448 - 2^224 - 1 are eight 56-bit limbs; a
 * carried element has limbs below 2^57. Products fold with
 * 2^448 = 2^224 + 1. Points use projective coordinates (X : Y : Z) and
 * the complete formulas of [RFC 8032 §5.2.4] (the curve has a = 1 and a
 * non-square d = -39081).
 */
#include "crypto/ed/ed.h"

#include <string.h>

#include "crypto/ed/ed_internal.h"
#include "crypto/pqc/keccak.h"
#include "util/wipe.h"

#define TK_M56 ((uint64_t)0xffffffffffffff)

typedef struct {
    uint64_t v[8];
} tk_fe448;

typedef struct {
    tk_fe448 x, y, z;
} tk_ge448;

/* The base point B [RFC 8032 §5.2], encoded. */
static const uint8_t tk_ed448_base[57] = {
    0x14, 0xfa, 0x30, 0xf2, 0x5b, 0x79, 0x08, 0x98, 0xad, 0xc8, 0xd7, 0x4e, 0x2c, 0x13, 0xbd, 0xfd,
    0xc4, 0x39, 0x7c, 0xe6, 0x1c, 0xff, 0xd3, 0x3a, 0xd7, 0xc2, 0xa0, 0x05, 0x1e, 0x9c, 0x78, 0x87,
    0x40, 0x98, 0xa3, 0x6c, 0x73, 0x73, 0xea, 0x4b, 0x62, 0xc7, 0xc9, 0x56, 0x37, 0x20, 0x76, 0x88,
    0x24, 0xbc, 0xb6, 0x6e, 0x71, 0x46, 0x3f, 0x69, 0x00};

/* L = 2^446 - 13818066809895115352007386748515426880336692474882178609894547503885. */
static const uint64_t tk_ed448_l[7] = {
    0x2378c292ab5844f3ULL, 0x216cc2728dc58f55ULL, 0xc44edb49aed63690ULL, 0xffffffff7cca23e9ULL,
    0xffffffffffffffffULL, 0xffffffffffffffffULL, 0x3fffffffffffffffULL};

static const char tk_ed448_dom4[] = "SigEd448";

/* ---- field ---- */

static void
tk_fe448_carry(tk_fe448 *a)
{
    uint64_t c;
    int i;

    for (i = 0; i < 7; i++) {
        c = a->v[i] >> 56;
        a->v[i] &= TK_M56;
        a->v[i + 1] += c;
    }
    c = a->v[7] >> 56;
    a->v[7] &= TK_M56;
    a->v[0] += c;
    a->v[4] += c;
}

static void
tk_fe448_set(tk_fe448 *r, uint64_t small)
{
    memset(r, 0, sizeof(*r));
    r->v[0] = small;
}

static void
tk_fe448_add(tk_fe448 *r, const tk_fe448 *a, const tk_fe448 *b)
{
    int i;

    for (i = 0; i < 8; i++) {
        r->v[i] = a->v[i] + b->v[i];
    }
    tk_fe448_carry(r);
}

/* a + 2p - b: 2p's limbs exceed any carried b's, so nothing wraps. */
static void
tk_fe448_sub(tk_fe448 *r, const tk_fe448 *a, const tk_fe448 *b)
{
    int i;

    for (i = 0; i < 8; i++) {
        r->v[i] = a->v[i] + (i == 4 ? 0x1fffffffffffffcULL : 0x1fffffffffffffeULL) - b->v[i];
    }
    tk_fe448_carry(r);
}

/* One carry pass over 128-bit limbs, the top folded back twice. */
static void
tk_fe448_carry_wide(unsigned __int128 c[8])
{
    unsigned __int128 top;
    int i;

    for (i = 0; i < 7; i++) {
        c[i + 1] += c[i] >> 56;
        c[i] &= TK_M56;
    }
    top = c[7] >> 56;
    c[7] &= TK_M56;
    c[0] += top;
    c[4] += top;
}

/* Schoolbook product; coefficient k >= 8 folds onto k - 8 and k - 4,
 * from the top down so that folded terms fold again. */
static void
tk_fe448_mul(tk_fe448 *r, const tk_fe448 *a, const tk_fe448 *b)
{
    unsigned __int128 c[15] = {0};
    int i;
    int j;

    for (i = 0; i < 8; i++) {
        for (j = 0; j < 8; j++) {
            c[i + j] += (unsigned __int128)a->v[i] * b->v[j];
        }
    }
    for (i = 14; i >= 8; i--) {
        c[i - 4] += c[i];
        c[i - 8] += c[i];
    }
    tk_fe448_carry_wide(c);
    tk_fe448_carry_wide(c);
    for (i = 0; i < 8; i++) {
        r->v[i] = (uint64_t)c[i];
    }
    tk_fe448_carry(r);
}

/* r = a^e, e little endian of len bytes; e is public (a fixed exponent). */
static void
tk_fe448_pow(tk_fe448 *r, const tk_fe448 *a, const uint8_t *e, size_t len)
{
    tk_fe448 acc;
    size_t i;

    tk_fe448_set(&acc, 1);
    for (i = 8 * len; i-- > 0;) {
        tk_fe448_mul(&acc, &acc, &acc);
        if ((e[i / 8] >> (i % 8)) & 1) {
            tk_fe448_mul(&acc, &acc, a);
        }
    }
    *r = acc;
}

/* r = 1/a = a^(p-2). */
static void
tk_fe448_invert(tk_fe448 *r, const tk_fe448 *a)
{
    uint8_t e[56];

    memset(e, 0xff, sizeof(e));
    e[0] = 0xfd;
    e[28] = 0xfe;
    tk_fe448_pow(r, a, e, sizeof(e));
}

static void
tk_fe448_from_bytes(tk_fe448 *r, const uint8_t b[56])
{
    int i;
    int j;

    for (i = 0; i < 8; i++) {
        r->v[i] = 0;
        for (j = 0; j < 7; j++) {
            r->v[i] |= (uint64_t)b[7 * i + j] << (8 * j);
        }
    }
}

/* The canonical encoding: fully carried, then p subtracted once by mask
 * when the value is at least p (it is below 2^448 < 2p by then). */
static void
tk_fe448_to_bytes(uint8_t b[56], const tk_fe448 *a)
{
    tk_fe448 t = *a;
    uint64_t s[8];
    uint64_t borrow = 0;
    uint64_t keep;
    int64_t d;
    int i;
    int j;

    tk_fe448_carry(&t);
    tk_fe448_carry(&t);
    tk_fe448_carry(&t);
    for (i = 0; i < 8; i++) {
        d = (int64_t)t.v[i] - (int64_t)(i == 4 ? TK_M56 - 1 : TK_M56) - (int64_t)borrow;
        borrow = (uint64_t)d >> 63;
        s[i] = (uint64_t)d & TK_M56;
    }
    keep = 0 - borrow;
    for (i = 0; i < 8; i++) {
        t.v[i] = (t.v[i] & keep) | (s[i] & ~keep);
        for (j = 0; j < 7; j++) {
            b[7 * i + j] = (uint8_t)(t.v[i] >> (8 * j));
        }
    }
    tk_wipe(&t, sizeof(t));
    tk_wipe(s, sizeof(s));
}

/* 1 when a == b; variable time, for public values only. */
static int
tk_fe448_eq_vartime(const tk_fe448 *a, const tk_fe448 *b)
{
    uint8_t x[56];
    uint8_t y[56];

    tk_fe448_to_bytes(x, a);
    tk_fe448_to_bytes(y, b);
    return memcmp(x, y, 56) == 0;
}

/* d = -39081 */
static void
tk_fe448_d(tk_fe448 *d)
{
    tk_fe448 zero;
    tk_fe448 k;

    tk_fe448_set(&zero, 0);
    tk_fe448_set(&k, 39081);
    tk_fe448_sub(d, &zero, &k);
}

/* ---- group ---- */

static void
tk_ge448_identity(tk_ge448 *p)
{
    tk_fe448_set(&p->x, 0);
    tk_fe448_set(&p->y, 1);
    tk_fe448_set(&p->z, 1);
}

/* [RFC 8032 §5.2.4] addition; complete. */
static void
tk_ge448_add(tk_ge448 *r, const tk_ge448 *p, const tk_ge448 *q)
{
    tk_fe448 a, b, c, d, e, f, g, h, k;

    tk_fe448_mul(&a, &p->z, &q->z);
    tk_fe448_mul(&b, &a, &a);
    tk_fe448_mul(&c, &p->x, &q->x);
    tk_fe448_mul(&d, &p->y, &q->y);
    tk_fe448_d(&k);
    tk_fe448_mul(&e, &c, &d);
    tk_fe448_mul(&e, &e, &k);
    tk_fe448_sub(&f, &b, &e);
    tk_fe448_add(&g, &b, &e);
    tk_fe448_add(&h, &p->x, &p->y);
    tk_fe448_add(&k, &q->x, &q->y);
    tk_fe448_mul(&h, &h, &k);
    tk_fe448_sub(&h, &h, &c);
    tk_fe448_sub(&h, &h, &d);
    tk_fe448_mul(&r->x, &a, &f);
    tk_fe448_mul(&r->x, &r->x, &h);
    tk_fe448_sub(&k, &d, &c);
    tk_fe448_mul(&r->y, &a, &g);
    tk_fe448_mul(&r->y, &r->y, &k);
    tk_fe448_mul(&r->z, &f, &g);
}

/* [RFC 8032 §5.2.4] doubling. */
static void
tk_ge448_double(tk_ge448 *r, const tk_ge448 *p)
{
    tk_fe448 b, c, d, e, h, j;

    tk_fe448_add(&b, &p->x, &p->y);
    tk_fe448_mul(&b, &b, &b);
    tk_fe448_mul(&c, &p->x, &p->x);
    tk_fe448_mul(&d, &p->y, &p->y);
    tk_fe448_add(&e, &c, &d);
    tk_fe448_mul(&h, &p->z, &p->z);
    tk_fe448_add(&h, &h, &h);
    tk_fe448_sub(&j, &e, &h);
    tk_fe448_sub(&b, &b, &e);
    tk_fe448_mul(&r->x, &b, &j);
    tk_fe448_sub(&c, &c, &d);
    tk_fe448_mul(&r->y, &e, &c);
    tk_fe448_mul(&r->z, &e, &j);
}

/* r = q when bit is 1; bit is secret, so a mask, no branch. */
static void
tk_ge448_cmov(tk_ge448 *r, const tk_ge448 *q, uint64_t bit)
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
tk_ge448_mul(tk_ge448 *r, const tk_ge448 *p, const uint8_t *s, size_t len)
{
    tk_ge448 q;
    tk_ge448 t;
    size_t i;

    tk_ge448_identity(&q);
    for (i = 8 * len; i-- > 0;) {
        tk_ge448_double(&q, &q);
        tk_ge448_add(&t, &q, p);
        tk_ge448_cmov(&q, &t, (s[i / 8] >> (i % 8)) & 1);
    }
    *r = q;
    tk_wipe(&q, sizeof(q));
    tk_wipe(&t, sizeof(t));
}

/* [RFC 8032 §5.2.2]; constant time (the inversion's exponent is fixed). */
static void
tk_ge448_encode(uint8_t b[57], const tk_ge448 *p)
{
    tk_fe448 zi, x, y;
    uint8_t xb[56];

    tk_fe448_invert(&zi, &p->z);
    tk_fe448_mul(&x, &p->x, &zi);
    tk_fe448_mul(&y, &p->y, &zi);
    tk_fe448_to_bytes(b, &y);
    tk_fe448_to_bytes(xb, &x);
    b[56] = (uint8_t)((xb[0] & 1) << 7);
    tk_wipe(xb, sizeof(xb));
}

/* x with v x^2 = u [RFC 8032 §5.2.3]: x = u^3 v (u^5 v^3)^((p-3)/4).
 * -1 when u/v is not a square. Variable time: public data only. */
static int
tk_fe448_sqrt_ratio(tk_fe448 *x, const tk_fe448 *u, const tk_fe448 *v)
{
    tk_fe448 w, k;
    uint8_t e[56];

    tk_fe448_mul(&w, u, u);
    tk_fe448_mul(&w, &w, u);
    tk_fe448_mul(&w, &w, v);
    tk_fe448_mul(x, &w, u);
    tk_fe448_mul(x, x, u);
    tk_fe448_mul(&k, v, v);
    tk_fe448_mul(x, x, &k);
    memset(e, 0xff, sizeof(e));
    e[27] = 0xbf;
    e[55] = 0x3f;
    tk_fe448_pow(x, x, e, sizeof(e));
    tk_fe448_mul(x, x, &w);
    tk_fe448_mul(&w, x, x);
    tk_fe448_mul(&w, &w, v);
    return tk_fe448_eq_vartime(&w, u) ? 0 : -1;
}

/* [RFC 8032 §5.2.3]; -1 for a non-canonical y, stray bits in the last
 * byte, or no such point. Public data only: variable time. */
static int
tk_ge448_decode(tk_ge448 *p, const uint8_t b[57])
{
    tk_fe448 u, v, x, y, k, one;
    uint8_t chk[56];
    int sign = b[56] >> 7;

    if ((b[56] & 0x7f) != 0) {
        return -1;
    }
    tk_fe448_from_bytes(&y, b);
    tk_fe448_to_bytes(chk, &y);
    if (memcmp(chk, b, 56) != 0) {
        return -1;
    }
    tk_fe448_set(&one, 1);
    tk_fe448_d(&k);
    tk_fe448_mul(&u, &y, &y);
    tk_fe448_mul(&v, &u, &k);
    tk_fe448_sub(&u, &u, &one);
    tk_fe448_sub(&v, &v, &one);
    if (tk_fe448_sqrt_ratio(&x, &u, &v) != 0) {
        return -1;
    }
    tk_fe448_to_bytes(chk, &x);
    if ((chk[0] & 1) != sign) {
        if (sign && chk[0] == 0 && memcmp(chk, chk + 1, 55) == 0) {
            return -1;  /* x = 0 with the sign bit set */
        }
        tk_fe448_set(&k, 0);
        tk_fe448_sub(&x, &k, &x);
    }
    p->x = x;
    p->y = y;
    tk_fe448_set(&p->z, 1);
    return 0;
}

static void
tk_ge448_base(tk_ge448 *b)
{
    (void)tk_ge448_decode(b, tk_ed448_base);
}

/* ---- scheme ---- */

/* The secret scalar s (clamped, h[0..56]) and the prefix h[57..113]. */
static void
tk_ed448_expand(const uint8_t seed[57], uint8_t h[114])
{
    tk_shake256(h, 114, seed, 57);
    h[0] &= 0xfc;
    h[55] |= 0x80;
    h[56] = 0;
}

/* See ed.h. */
void
tk_ed448_public(uint8_t pub[TK_ED448_PUB], const uint8_t seed[TK_ED448_SEED])
{
    uint8_t h[114];
    tk_ge448 b;
    tk_ge448 a;

    tk_ed448_expand(seed, h);
    tk_ge448_base(&b);
    tk_ge448_mul(&a, &b, h, 56);
    tk_ge448_encode(pub, &a);
    tk_wipe(h, sizeof(h));
    tk_wipe(&a, sizeof(a));
}

static int
tk_ed448_params_ok(const tk_ed_params *p)
{
    return p->context_len <= TK_ED_MAX_CONTEXT && (p->context_len == 0 || p->context != NULL);
}

/* SHAKE256(dom4 || a || b || msg, 114) mod L, msg being PH(M) already. */
static void
tk_ed448_hash_mod_l(uint64_t out[7], const tk_ed_params *p, const uint8_t *a, size_t a_len,
                    const uint8_t *b, size_t b_len, const uint8_t *msg, size_t msg_len)
{
    tk_keccak_ctx c;
    uint8_t hdr[2];
    uint8_t h[114];
    uint64_t w[TK_ED_WIDE_LIMBS];

    hdr[0] = p->prehash ? 1 : 0;
    hdr[1] = (uint8_t)p->context_len;
    tk_shake256_init(&c);
    tk_keccak_absorb(&c, (const uint8_t *)tk_ed448_dom4, sizeof(tk_ed448_dom4) - 1);
    tk_keccak_absorb(&c, hdr, 2);
    tk_keccak_absorb(&c, p->context, p->context_len);
    tk_keccak_absorb(&c, a, a_len);
    tk_keccak_absorb(&c, b, b_len);
    tk_keccak_absorb(&c, msg, msg_len);
    tk_keccak_finalize(&c);
    tk_keccak_squeeze(&c, h, sizeof(h));
    tk_ed_sc_load(w, TK_ED_WIDE_LIMBS, h, sizeof(h));
    tk_ed_sc_reduce(out, w, TK_ED_WIDE_LIMBS, tk_ed448_l, 7);
    tk_keccak_wipe(&c);
    tk_wipe(h, sizeof(h));
    tk_wipe(w, sizeof(w));
}

/* See ed.h. */
int
tk_ed448_sign(uint8_t sig[TK_ED448_SIG], const uint8_t seed[TK_ED448_SEED],
              const uint8_t pub[TK_ED448_PUB], const tk_ed_params *params, const uint8_t *msg,
              size_t msg_len)
{
    uint8_t h[114];
    uint8_t ph[64];
    uint8_t rb[56];
    uint64_t r[7], k[7], s[7], sum[7];
    tk_ge448 b, rp;

    if (!tk_ed448_params_ok(params)) {
        return -1;
    }
    if (params->prehash) {
        tk_shake256(ph, sizeof(ph), msg, msg_len);
        msg = ph;
        msg_len = sizeof(ph);
    }
    tk_ed448_expand(seed, h);
    tk_ed448_hash_mod_l(r, params, h + 57, 57, NULL, 0, msg, msg_len);
    tk_ed_sc_store(rb, 56, r, 7);
    tk_ge448_base(&b);
    tk_ge448_mul(&rp, &b, rb, 56);
    tk_ge448_encode(sig, &rp);
    tk_ed448_hash_mod_l(k, params, sig, 57, pub, 57, msg, msg_len);
    tk_ed_sc_load(s, 7, h, 56);
    tk_ed_sc_muladd(sum, k, s, r, tk_ed448_l, 7);
    tk_ed_sc_store(sig + 57, 56, sum, 7);
    sig[113] = 0;
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
tk_ed448_check_public(const uint8_t pub[TK_ED448_PUB])
{
    tk_ge448 a;

    return tk_ge448_decode(&a, pub);
}

/* See ed.h. Checks [S]B = R + [k]A by encoding [S]B - [k]A and comparing
 * it with R's bytes, which also refuses a non-canonical R. */
int
tk_ed448_verify(const uint8_t sig[TK_ED448_SIG], const uint8_t pub[TK_ED448_PUB],
                const tk_ed_params *params, const uint8_t *msg, size_t msg_len)
{
    uint8_t ph[64];
    uint8_t kb[56];
    uint8_t chk[57];
    uint64_t s[8], k[7];
    tk_ge448 a, b, sb, ka;
    tk_fe448 zero;

    if (!tk_ed448_params_ok(params) || tk_ge448_decode(&a, pub) != 0) {
        return -1;
    }
    /* S is 57 bytes; the last must be zero and S below L. */
    tk_ed_sc_load(s, 8, sig + 57, 57);
    if (s[7] != 0 || !tk_ed_sc_lt(s, tk_ed448_l, 7)) {
        return -1;
    }
    if (params->prehash) {
        tk_shake256(ph, sizeof(ph), msg, msg_len);
        msg = ph;
        msg_len = sizeof(ph);
    }
    tk_ed448_hash_mod_l(k, params, sig, 57, pub, 57, msg, msg_len);
    tk_ed_sc_store(kb, 56, k, 7);
    tk_ge448_base(&b);
    tk_ge448_mul(&sb, &b, sig + 57, 56);
    tk_ge448_mul(&ka, &a, kb, 56);
    tk_fe448_set(&zero, 0);
    tk_fe448_sub(&ka.x, &zero, &ka.x);
    tk_ge448_add(&sb, &sb, &ka);
    tk_ge448_encode(chk, &sb);
    return memcmp(chk, sig, 57) == 0 ? 0 : -1;
}
