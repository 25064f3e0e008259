/*
 * ML-KEM unit tests: parameter-set dispatch, the arithmetic of
 * mlkem_poly.c against direct definitions, and the behaviour of the KEM on
 * malformed keys and ciphertexts [FIPS 203 §7].
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/pqc/keccak.h"
#include "crypto/pqc/mlkem.h"
#include "crypto/pqc/mlkem_poly.h"

static const tk_mlkem_set tk_mlkem_sets[3] = {TK_MLKEM_512, TK_MLKEM_768, TK_MLKEM_1024};

/* Deterministic test data: SHAKE-128 of a label. */
static void
tk_mlkem_fill(uint8_t *out, size_t len, const char *label)
{
    tk_shake128(out, len, (const uint8_t *)label, strlen(label));
}

static int32_t
tk_mlkem_modq(int64_t x)
{
    int64_t r = x % TK_MLKEM_Q;

    return (int32_t)(r < 0 ? r + TK_MLKEM_Q : r);
}

static void
tk_mlkem_random_poly(tk_mlkem_poly *a, const char *label)
{
    uint8_t buf[2 * TK_MLKEM_N];

    tk_mlkem_fill(buf, sizeof(buf), label);
    for (int i = 0; i < TK_MLKEM_N; i++) {
        a->c[i] = (int16_t)((buf[2 * i] | (buf[2 * i + 1] << 8)) % TK_MLKEM_Q);
    }
}

static void
tk_mlkem_test_lengths(void **state)
{
    (void)state;
    assert_int_equal(tk_mlkem_ek_len(TK_MLKEM_512), 800);
    assert_int_equal(tk_mlkem_dk_len(TK_MLKEM_512), 1632);
    assert_int_equal(tk_mlkem_ct_len(TK_MLKEM_512), 768);
    assert_int_equal(tk_mlkem_ek_len(TK_MLKEM_768), 1184);
    assert_int_equal(tk_mlkem_dk_len(TK_MLKEM_768), 2400);
    assert_int_equal(tk_mlkem_ct_len(TK_MLKEM_768), 1088);
    assert_int_equal(tk_mlkem_ek_len(TK_MLKEM_1024), 1568);
    assert_int_equal(tk_mlkem_dk_len(TK_MLKEM_1024), 3168);
    assert_int_equal(tk_mlkem_ct_len(TK_MLKEM_1024), 1568);
    assert_int_equal(tk_mlkem_ek_len((tk_mlkem_set)0), 0);
    assert_int_equal(tk_mlkem_dk_len((tk_mlkem_set)4), 0);
    assert_int_equal(tk_mlkem_ct_len((tk_mlkem_set)-1), 0);
}

static void
tk_mlkem_test_unknown_set(void **state)
{
    uint8_t buf[TK_MLKEM_DK_MAX] = {0};
    uint8_t out[TK_MLKEM_DK_MAX] = {0};
    uint8_t ss[32] = {0};
    tk_mlkem_set bad = (tk_mlkem_set)4;

    (void)state;
    assert_int_equal(tk_mlkem_keygen(bad, buf, buf, out, out), TK_PQC_EPARAM);
    assert_int_equal(tk_mlkem_encaps(bad, buf, buf, out, ss), TK_PQC_EPARAM);
    assert_int_equal(tk_mlkem_decaps(bad, buf, buf, ss), TK_PQC_EPARAM);
    assert_int_equal(tk_mlkem_check_ek((tk_mlkem_set)0, buf), TK_PQC_EPARAM);
    assert_int_equal(tk_mlkem_check_dk((tk_mlkem_set)0, buf), TK_PQC_EPARAM);
    for (size_t i = 0; i < sizeof(out); i++) {
        assert_int_equal(out[i], 0);
    }
}

/* Compress_d and Decompress_d against their definitions with division,
 * for every input [FIPS 203 (4.7), (4.8)]. */
static void
tk_mlkem_test_compress(void **state)
{
    static const unsigned int ds[5] = {1, 4, 5, 10, 11};
    tk_mlkem_poly a;

    (void)state;
    for (int di = 0; di < 5; di++) {
        unsigned int d = ds[di];

        for (int base = 0; base < TK_MLKEM_Q; base += TK_MLKEM_N) {
            for (int i = 0; i < TK_MLKEM_N; i++) {
                a.c[i] = (int16_t)((base + i) % TK_MLKEM_Q);
            }
            tk_mlkem_poly_compress(&a, d);
            for (int i = 0; i < TK_MLKEM_N && base + i < TK_MLKEM_Q; i++) {
                int64_t x = base + i;
                int64_t expect = ((x << (d + 1)) + TK_MLKEM_Q) / (2 * TK_MLKEM_Q);

                assert_int_equal(a.c[i], expect % (1 << d));
            }
        }
        for (int y = 0; y < (1 << d); y += TK_MLKEM_N) {
            for (int i = 0; i < TK_MLKEM_N; i++) {
                a.c[i] = (int16_t)((y + i) & ((1 << d) - 1));
            }
            tk_mlkem_poly_decompress(&a, d);
            for (int i = 0; i < TK_MLKEM_N; i++) {
                int64_t v = (y + i) & ((1 << d) - 1);
                int64_t expect = (2 * v * TK_MLKEM_Q + (1 << d)) / (2 << d);

                assert_int_equal(a.c[i], expect);
            }
        }
    }
}

/* NTT then inverse NTT multiplies by 2^16 mod q. */
static void
tk_mlkem_test_ntt_roundtrip(void **state)
{
    tk_mlkem_poly a, b;

    (void)state;
    tk_mlkem_random_poly(&a, "ntt roundtrip");
    b = a;
    tk_mlkem_ntt(&b);
    tk_mlkem_invntt_tomont(&b);
    for (int i = 0; i < TK_MLKEM_N; i++) {
        assert_int_equal(tk_mlkem_modq(b.c[i]), tk_mlkem_modq((int64_t)a.c[i] * 65536));
    }
}

/* Products in the NTT domain equal schoolbook products in Z_q[X]/(X^256+1),
 * accumulated over up to four terms as the KEM does. */
static void
tk_mlkem_test_basemul(void **state)
{
    tk_mlkem_poly a[4], b[4], r;
    tk_mlkem_mulcache bc[4];
    int32_t acc[TK_MLKEM_N] = {0};
    int64_t ref[TK_MLKEM_N] = {0};
    char label[32];

    (void)state;
    for (int t = 0; t < 4; t++) {
        snprintf(label, sizeof(label), "basemul a%d", t);
        tk_mlkem_random_poly(&a[t], label);
        snprintf(label, sizeof(label), "basemul b%d", t);
        tk_mlkem_random_poly(&b[t], label);
        for (int i = 0; i < TK_MLKEM_N; i++) {
            for (int j = 0; j < TK_MLKEM_N; j++) {
                int64_t p = (int64_t)a[t].c[i] * b[t].c[j];

                if (i + j < TK_MLKEM_N) {
                    ref[i + j] += p;
                } else {
                    ref[i + j - TK_MLKEM_N] -= p;
                }
            }
        }
        tk_mlkem_ntt(&a[t]);
        tk_mlkem_ntt(&b[t]);
        tk_mlkem_mulcache_compute(&bc[t], &b[t]);
        tk_mlkem_basemul_acc(acc, &a[t], &b[t], &bc[t]);
    }
    tk_mlkem_acc_reduce(&r, acc);
    tk_mlkem_invntt_tomont(&r);
    for (int i = 0; i < TK_MLKEM_N; i++) {
        assert_int_equal(tk_mlkem_modq(r.c[i]), tk_mlkem_modq(ref[i]));
    }
}

/* ByteDecode_12 reduces mod q; the modulus check rejects q itself. */
static void
tk_mlkem_test_decode12(void **state)
{
    uint8_t in[384];
    tk_mlkem_poly a;

    (void)state;
    memset(in, 0xFF, sizeof(in));
    tk_mlkem_poly_decode12(&a, in);
    for (int i = 0; i < TK_MLKEM_N; i++) {
        assert_int_equal(a.c[i], 4095 - TK_MLKEM_Q);
    }
    assert_int_equal(tk_mlkem_poly_check12(in), 0);

    /* Every coefficient q - 1 = 0xD00: bytes 00 0D D0. */
    for (int i = 0; i < 128; i++) {
        in[3 * i] = 0x00;
        in[3 * i + 1] = 0x0D;
        in[3 * i + 2] = 0xD0;
    }
    assert_int_equal(tk_mlkem_poly_check12(in), 1);
    in[3 * 77 + 2] = 0xD1; /* coefficient 155 becomes q */
    assert_int_equal(tk_mlkem_poly_check12(in), 0);
}

/* Encode and decode are inverse for every d used by ML-KEM. */
static void
tk_mlkem_test_encode(void **state)
{
    static const unsigned int ds[6] = {1, 4, 5, 10, 11, 12};
    uint8_t buf[384], buf2[384];
    tk_mlkem_poly a;

    (void)state;
    for (int di = 0; di < 6; di++) {
        unsigned int d = ds[di];

        tk_mlkem_fill(buf, 32 * d, "encode");
        tk_mlkem_poly_decode(&a, buf, d);
        for (int i = 0; i < TK_MLKEM_N; i++) {
            assert_true(a.c[i] >= 0 && a.c[i] < (1 << d));
        }
        tk_mlkem_poly_encode(buf2, &a, d);
        assert_memory_equal(buf, buf2, 32 * d);
    }
}

static void
tk_mlkem_test_roundtrip_and_rejection(void **state)
{
    (void)state;
    for (int s = 0; s < 3; s++) {
        tk_mlkem_set set = tk_mlkem_sets[s];
        size_t ct_len = tk_mlkem_ct_len(set);
        size_t dk_len = tk_mlkem_dk_len(set);
        uint8_t seed[96], ek[TK_MLKEM_EK_MAX], dk[TK_MLKEM_DK_MAX];
        uint8_t ct[TK_MLKEM_CT_MAX], zc[32 + TK_MLKEM_CT_MAX];
        uint8_t k1[32], k2[32], kbar[32];

        tk_mlkem_fill(seed, sizeof(seed), "roundtrip");
        assert_int_equal(tk_mlkem_keygen(set, seed, seed + 32, ek, dk), TK_PQC_OK);
        assert_int_equal(tk_mlkem_check_ek(set, ek), TK_PQC_OK);
        assert_int_equal(tk_mlkem_check_dk(set, dk), TK_PQC_OK);
        assert_int_equal(tk_mlkem_encaps(set, ek, seed + 64, ct, k1), TK_PQC_OK);
        assert_int_equal(tk_mlkem_decaps(set, dk, ct, k2), TK_PQC_OK);
        assert_memory_equal(k1, k2, 32);

        /* A changed ciphertext decapsulates to J(z || c) [FIPS 203 Alg. 18]. */
        ct[ct_len - 1] ^= 0x01;
        assert_int_equal(tk_mlkem_decaps(set, dk, ct, k2), TK_PQC_OK);
        memcpy(zc, dk + dk_len - 32, 32);
        memcpy(zc + 32, ct, ct_len);
        tk_shake256(kbar, 32, zc, 32 + ct_len);
        assert_memory_equal(k2, kbar, 32);
        assert_memory_not_equal(k1, k2, 32);
    }
}

static void
tk_mlkem_test_bad_keys(void **state)
{
    (void)state;
    for (int s = 0; s < 3; s++) {
        tk_mlkem_set set = tk_mlkem_sets[s];
        size_t ek_len = tk_mlkem_ek_len(set);
        size_t dk_len = tk_mlkem_dk_len(set);
        uint8_t seed[96], ek[TK_MLKEM_EK_MAX], dk[TK_MLKEM_DK_MAX];
        uint8_t ct[TK_MLKEM_CT_MAX], ss[32], untouched[TK_MLKEM_CT_MAX];

        tk_mlkem_fill(seed, sizeof(seed), "bad keys");
        assert_int_equal(tk_mlkem_keygen(set, seed, seed + 32, ek, dk), TK_PQC_OK);

        /* Coefficient 0 of ek set to q = 0xD01 [FIPS 203 §7.2]. */
        ek[0] = 0x01;
        ek[1] = (uint8_t)((ek[1] & 0xF0) | 0x0D);
        memset(ct, 0xA5, sizeof(ct));
        memset(ss, 0xA5, sizeof(ss));
        memset(untouched, 0xA5, sizeof(untouched));
        assert_int_equal(tk_mlkem_check_ek(set, ek), TK_PQC_EBADKEY);
        assert_int_equal(tk_mlkem_encaps(set, ek, seed + 64, ct, ss), TK_PQC_EBADKEY);
        assert_memory_equal(ct, untouched, sizeof(ct));
        assert_memory_equal(ss, untouched, sizeof(ss));

        /* The last coefficient of ek at 4095. */
        assert_int_equal(tk_mlkem_keygen(set, seed, seed + 32, ek, dk), TK_PQC_OK);
        ek[ek_len - 33] = 0xFF;
        ek[ek_len - 34] |= 0xF0;
        assert_int_equal(tk_mlkem_check_ek(set, ek), TK_PQC_EBADKEY);

        /* H(ek) in dk, or ek in dk, changed [FIPS 203 §7.3]. */
        memset(ct, 0, sizeof(ct));
        dk[dk_len - 64] ^= 0x80;
        assert_int_equal(tk_mlkem_check_dk(set, dk), TK_PQC_EBADKEY);
        assert_int_equal(tk_mlkem_decaps(set, dk, ct, ss), TK_PQC_EBADKEY);
        assert_memory_equal(ss, untouched, sizeof(ss));
        dk[dk_len - 64] ^= 0x80;
        assert_int_equal(tk_mlkem_check_dk(set, dk), TK_PQC_OK);
        dk[dk_len - 100] ^= 0x01;
        assert_int_equal(tk_mlkem_check_dk(set, dk), TK_PQC_EBADKEY);
    }
}

/* Expanded keys: bad keys are refused and leave x unusable; a zeroed x is
 * refused too. */
static void
tk_mlkem_test_expanded_keys(void **state)
{
    static tk_mlkem_ekx ekx;
    static tk_mlkem_dkx dkx;
    uint8_t seed[96], ek[TK_MLKEM_EK_MAX], dk[TK_MLKEM_DK_MAX];
    uint8_t ct[TK_MLKEM_CT_MAX], k1[32], k2[32];

    (void)state;
    tk_mlkem_fill(seed, sizeof(seed), "expanded");
    memset(ct, 0, sizeof(ct));
    memset(&ekx, 0, sizeof(ekx));
    memset(&dkx, 0, sizeof(dkx));
    assert_int_equal(tk_mlkem_encaps_ekx(&ekx, seed, ct, k1), TK_PQC_EPARAM);
    assert_int_equal(tk_mlkem_decaps_dkx(&dkx, ct, k1), TK_PQC_EPARAM);
    assert_int_equal(tk_mlkem_ekx_init((tk_mlkem_set)4, ek, &ekx), TK_PQC_EPARAM);
    assert_int_equal(tk_mlkem_dkx_init((tk_mlkem_set)0, dk, &dkx), TK_PQC_EPARAM);

    for (int s = 0; s < 3; s++) {
        tk_mlkem_set set = tk_mlkem_sets[s];

        tk_mlkem_fill(seed, sizeof(seed), "expanded");
        assert_int_equal(tk_mlkem_keygen(set, seed, seed + 32, ek, dk), TK_PQC_OK);
        assert_int_equal(tk_mlkem_ekx_init(set, ek, &ekx), TK_PQC_OK);
        assert_int_equal(tk_mlkem_dkx_init(set, dk, &dkx), TK_PQC_OK);
        assert_int_equal(tk_mlkem_encaps_ekx(&ekx, seed + 64, ct, k1), TK_PQC_OK);
        assert_int_equal(tk_mlkem_decaps_dkx(&dkx, ct, k2), TK_PQC_OK);
        assert_memory_equal(k1, k2, 32);

        dk[tk_mlkem_dk_len(set) - 40] ^= 0x04; /* inside H(ek) */
        assert_int_equal(tk_mlkem_dkx_init(set, dk, &dkx), TK_PQC_EBADKEY);
        assert_int_equal(tk_mlkem_decaps_dkx(&dkx, ct, k2), TK_PQC_EPARAM);
        ek[1] |= 0x0F;
        ek[2] = 0xFF; /* coefficient 1 = 4095 */
        assert_int_equal(tk_mlkem_ekx_init(set, ek, &ekx), TK_PQC_EBADKEY);
        assert_int_equal(tk_mlkem_encaps_ekx(&ekx, seed + 64, ct, k1), TK_PQC_EPARAM);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tk_mlkem_test_lengths),
        cmocka_unit_test(tk_mlkem_test_unknown_set),
        cmocka_unit_test(tk_mlkem_test_compress),
        cmocka_unit_test(tk_mlkem_test_ntt_roundtrip),
        cmocka_unit_test(tk_mlkem_test_basemul),
        cmocka_unit_test(tk_mlkem_test_decode12),
        cmocka_unit_test(tk_mlkem_test_encode),
        cmocka_unit_test(tk_mlkem_test_roundtrip_and_rejection),
        cmocka_unit_test(tk_mlkem_test_bad_keys),
        cmocka_unit_test(tk_mlkem_test_expanded_keys),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
