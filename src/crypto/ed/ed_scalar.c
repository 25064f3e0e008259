/*
 * Arithmetic modulo the group order L (see ed_internal.h). Reduction is
 * the schoolbook bit at a time: shift in one bit, subtract L when the
 * accumulator reached it. Slow next to Barrett, but a signature reduces
 * only three values and this form is easy to check for constant time.
 */
#include "crypto/ed/ed_internal.h"

#include "util/wipe.h"

/* See ed_internal.h. */
void
tk_ed_sc_load(uint64_t *w, size_t n, const uint8_t *b, size_t len)
{
    size_t i;

    for (i = 0; i < n; i++) {
        w[i] = 0;
    }
    for (i = 0; i < len; i++) {
        w[i / 8] |= (uint64_t)b[i] << (8 * (i % 8));
    }
}

/* See ed_internal.h. */
void
tk_ed_sc_store(uint8_t *b, size_t len, const uint64_t *w, size_t n)
{
    size_t i;

    (void)n;
    for (i = 0; i < len; i++) {
        b[i] = (uint8_t)(w[i / 8] >> (8 * (i % 8)));
    }
}

/* acc -= l when acc >= l, chosen by mask rather than by branch. */
static void
tk_ed_sc_csub(uint64_t *acc, const uint64_t *l, size_t n)
{
    uint64_t t[TK_ED_SC_LIMBS];
    uint64_t borrow = 0;
    uint64_t keep;
    unsigned __int128 d;
    size_t i;

    for (i = 0; i < n; i++) {
        d = (unsigned __int128)acc[i] - l[i] - borrow;
        t[i] = (uint64_t)d;
        borrow = (uint64_t)(d >> 64) & 1;
    }
    /* borrow 1: acc < l, keep acc. */
    keep = 0 - borrow;
    for (i = 0; i < n; i++) {
        acc[i] = (acc[i] & keep) | (t[i] & ~keep);
    }
}

/* See ed_internal.h. */
void
tk_ed_sc_reduce(uint64_t *out, const uint64_t *in, size_t in_n, const uint64_t *l, size_t n)
{
    uint64_t acc[TK_ED_SC_LIMBS] = {0};
    uint64_t bit;
    size_t i;
    size_t j;

    for (i = 64 * in_n; i-- > 0;) {
        bit = (in[i / 64] >> (i % 64)) & 1;
        for (j = n - 1; j > 0; j--) {
            acc[j] = (acc[j] << 1) | (acc[j - 1] >> 63);
        }
        acc[0] = (acc[0] << 1) | bit;
        tk_ed_sc_csub(acc, l, n);
    }
    for (j = 0; j < n; j++) {
        out[j] = acc[j];
    }
    tk_wipe(acc, sizeof(acc));
}

/* See ed_internal.h. */
void
tk_ed_sc_muladd(uint64_t *out, const uint64_t *a, const uint64_t *b, const uint64_t *c,
                const uint64_t *l, size_t n)
{
    uint64_t p[2 * TK_ED_SC_LIMBS + 1] = {0};
    unsigned __int128 t;
    uint64_t carry;
    size_t i;
    size_t j;

    for (i = 0; i < n; i++) {
        carry = 0;
        for (j = 0; j < n; j++) {
            t = (unsigned __int128)a[i] * b[j] + p[i + j] + carry;
            p[i + j] = (uint64_t)t;
            carry = (uint64_t)(t >> 64);
        }
        p[i + n] = carry;
    }
    carry = 0;
    for (i = 0; i < 2 * n + 1; i++) {
        t = (unsigned __int128)p[i] + (i < n ? c[i] : 0) + carry;
        p[i] = (uint64_t)t;
        carry = (uint64_t)(t >> 64);
    }
    tk_ed_sc_reduce(out, p, 2 * n + 1, l, n);
    tk_wipe(p, sizeof(p));
}

/* See ed_internal.h. */
int
tk_ed_sc_lt(const uint64_t *w, const uint64_t *l, size_t n)
{
    uint64_t borrow = 0;
    unsigned __int128 d;
    size_t i;

    for (i = 0; i < n; i++) {
        d = (unsigned __int128)w[i] - l[i] - borrow;
        borrow = (uint64_t)(d >> 64) & 1;
    }
    return (int)borrow;
}
