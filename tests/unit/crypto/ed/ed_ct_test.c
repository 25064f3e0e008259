/*
 * Constant-time check of src/crypto/ed under valgrind: the seed is
 * marked undefined, so memcheck reports any branch, table index or loop
 * bound that depends on it while deriving the public key and signing
 * every instance. The outputs are marked defined again before use: they
 * are public.
 */
#include <stdio.h>
#include <string.h>

#include <valgrind/memcheck.h>

#include "crypto/ed/ed.h"

static int
tk_ct_ed25519(int dom, int prehash, const char *ctx)
{
    uint8_t seed[TK_ED25519_SEED];
    uint8_t pub[TK_ED25519_PUB];
    uint8_t sig[TK_ED25519_SIG];
    const uint8_t msg[] = "constant time";
    tk_ed_params p = {dom, prehash, (const uint8_t *)ctx, strlen(ctx)};
    int rc;

    memset(seed, 0x5a, sizeof(seed));
    VALGRIND_MAKE_MEM_UNDEFINED(seed, sizeof(seed));
    tk_ed25519_public(pub, seed);
    VALGRIND_MAKE_MEM_DEFINED(pub, sizeof(pub));
    rc = tk_ed25519_sign(sig, seed, pub, &p, msg, sizeof(msg));
    VALGRIND_MAKE_MEM_DEFINED(sig, sizeof(sig));
    return rc == 0 && tk_ed25519_verify(sig, pub, &p, msg, sizeof(msg)) == 0;
}

static int
tk_ct_ed448(int prehash, const char *ctx)
{
    uint8_t seed[TK_ED448_SEED];
    uint8_t pub[TK_ED448_PUB];
    uint8_t sig[TK_ED448_SIG];
    const uint8_t msg[] = "constant time";
    tk_ed_params p = {0, prehash, (const uint8_t *)ctx, strlen(ctx)};
    int rc;

    memset(seed, 0xa5, sizeof(seed));
    VALGRIND_MAKE_MEM_UNDEFINED(seed, sizeof(seed));
    tk_ed448_public(pub, seed);
    VALGRIND_MAKE_MEM_DEFINED(pub, sizeof(pub));
    rc = tk_ed448_sign(sig, seed, pub, &p, msg, sizeof(msg));
    VALGRIND_MAKE_MEM_DEFINED(sig, sizeof(sig));
    return rc == 0 && tk_ed448_verify(sig, pub, &p, msg, sizeof(msg)) == 0;
}

int
main(void)
{
    int ok = 1;

    ok &= tk_ct_ed25519(0, 0, "");
    ok &= tk_ct_ed25519(1, 0, "foo");
    ok &= tk_ct_ed25519(1, 1, "");
    ok &= tk_ct_ed448(0, "");
    ok &= tk_ct_ed448(0, "foo");
    ok &= tk_ct_ed448(1, "foo");
    if (!ok) {
        fprintf(stderr, "ed ct: a signature did not verify\n");
        return 1;
    }
    return 0;
}
