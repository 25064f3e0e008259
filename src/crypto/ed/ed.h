/*
 * Our own Ed25519 and Ed448 [RFC 8032 §5.1, §5.2], for the forms that
 * OpenSSL 3.0 lacks: Ed25519ctx, Ed25519ph, Ed448 with a context and
 * Ed448ph. Pure Ed25519 and Ed448 work too (the tests compare them with
 * OpenSSL). Portable C; SHA-512 and SHAKE256 come from src/crypto/pqc.
 *
 * Signing and key derivation run in constant time in the seed and the
 * message's secret-derived values: no branch, table index or loop bound
 * depends on them. Verification works on public data only and may take
 * variable time. No function allocates or keeps state; no lock needed.
 */
#ifndef TK_CRYPTO_ED_ED_H
#define TK_CRYPTO_ED_ED_H

#include <stddef.h>
#include <stdint.h>

#define TK_ED25519_SEED 32
#define TK_ED25519_PUB 32
#define TK_ED25519_SIG 64
#define TK_ED448_SEED 57
#define TK_ED448_PUB 57
#define TK_ED448_SIG 114
#define TK_ED_MAX_CONTEXT 255

/*
 * Which instance of the scheme [RFC 8032 §5.1, §5.2]:
 *   Ed25519: dom == 0 is pure Ed25519 (prehash and context must be
 *   unset); dom != 0 prefixes dom2(prehash, context): Ed25519ctx or
 *   Ed25519ph.
 *   Ed448: dom is ignored, dom4(prehash, context) is always there; Ed448
 *   with an empty context is pure Ed448.
 * context may be NULL when context_len is 0; context_len <= 255.
 */
typedef struct {
    int dom;
    int prehash;
    const uint8_t *context;
    size_t context_len;
} tk_ed_params;

/* The public key of seed [RFC 8032 §5.1.5]. Constant time in seed. */
void
tk_ed25519_public(uint8_t pub[TK_ED25519_PUB], const uint8_t seed[TK_ED25519_SEED]);

/*
 * Sign msg with seed whose public key is pub (the caller's copy, made by
 * tk_ed25519_public(); a wrong one yields signatures that do not verify).
 * Returns 0, or -1 when params are inconsistent (sig untouched).
 * Constant time in seed.
 */
int
tk_ed25519_sign(uint8_t sig[TK_ED25519_SIG], const uint8_t seed[TK_ED25519_SEED],
                const uint8_t pub[TK_ED25519_PUB], const tk_ed_params *params,
                const uint8_t *msg, size_t msg_len);

/*
 * 0 when sig is a valid signature of msg under pub, -1 otherwise
 * (including a non-canonical key, R or S). Variable time: public data.
 */
int
tk_ed25519_verify(const uint8_t sig[TK_ED25519_SIG], const uint8_t pub[TK_ED25519_PUB],
                  const tk_ed_params *params, const uint8_t *msg, size_t msg_len);

/* 0 when pub decodes to a point of the curve [RFC 8032 §5.1.3]. */
int
tk_ed25519_check_public(const uint8_t pub[TK_ED25519_PUB]);

/* As above for Ed448 [RFC 8032 §5.2]. */
void
tk_ed448_public(uint8_t pub[TK_ED448_PUB], const uint8_t seed[TK_ED448_SEED]);

int
tk_ed448_sign(uint8_t sig[TK_ED448_SIG], const uint8_t seed[TK_ED448_SEED],
              const uint8_t pub[TK_ED448_PUB], const tk_ed_params *params, const uint8_t *msg,
              size_t msg_len);

int
tk_ed448_verify(const uint8_t sig[TK_ED448_SIG], const uint8_t pub[TK_ED448_PUB],
                const tk_ed_params *params, const uint8_t *msg, size_t msg_len);

int
tk_ed448_check_public(const uint8_t pub[TK_ED448_PUB]);

#endif
