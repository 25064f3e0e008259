/*
 * Constant-time check of the PKCS #1 v1.5 type 2 unpadding under valgrind
 * memcheck: the decrypted block is marked undefined, so a branch or an
 * index that depends on it is reported and the run fails (ctest runs this
 * with --error-exitcode=1). The blocks cover a valid one, an empty
 * message, a short padding string, no separator and a wrong block type:
 * every verdict must come out of the same instructions. The results are
 * marked defined before the test looks at them. Outside valgrind the
 * marks do nothing and the verdicts are still checked.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <valgrind/memcheck.h>

#include "crypto/ossl/rsa.h"

#define TK_CT_SECRET(p, len) VALGRIND_MAKE_MEM_UNDEFINED((p), (len))
#define TK_CT_PUBLIC(p, len) VALGRIND_MAKE_MEM_DEFINED((p), (len))

#define K 256

/* 00 02, then nonzero padding, a zero at sep (none when sep is 0). */
static void
tk_ct_block(uint8_t *em, uint8_t type, size_t sep)
{
    memset(em, 0x5c, K);
    em[0] = 0;
    em[1] = type;
    if (sep != 0) {
        em[sep] = 0;
    }
}

static void
tk_ct_check(uint8_t type, size_t sep, int want_ok, size_t want_off)
{
    uint8_t em[K];
    size_t off = 0;
    uint64_t good;

    tk_ct_block(em, type, sep);
    TK_CT_SECRET(em, sizeof(em));
    good = tk_ossl_rsa_pkcs1_unpad_ct(em, K, &off);
    TK_CT_PUBLIC(&good, sizeof(good));
    TK_CT_PUBLIC(&off, sizeof(off));
    assert_int_equal(good, want_ok ? UINT64_MAX : 0);
    if (want_ok) {
        assert_int_equal(off, want_off);
    }
}

static void
test_unpad_is_constant_time(void **state)
{
    (void)state;
    tk_ct_check(2, 10, 1, 11);     /* the shortest padding allowed */
    tk_ct_check(2, 100, 1, 101);
    tk_ct_check(2, K - 1, 1, K);   /* an empty message */
    tk_ct_check(2, 9, 0, 0);       /* 7 padding bytes */
    tk_ct_check(2, 2, 0, 0);       /* no padding at all */
    tk_ct_check(2, 0, 0, 0);       /* no separator */
    tk_ct_check(1, 50, 0, 0);      /* block type 1 */
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unpad_is_constant_time),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
