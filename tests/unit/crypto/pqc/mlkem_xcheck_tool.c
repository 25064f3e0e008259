/*
 * Command-line access to tk_mlkem_* for mlkem_openssl35.sh, which checks
 * ML-KEM against an independent implementation (OpenSSL 3.5). Keys are
 * always rebuilt from the 64-byte seed d || z given in hex.
 *
 *   keygen SET SEED             print ek and dk in hex, one a line
 *   encaps SET SEED M CT_FILE   write the ciphertext, print K in hex
 *   decaps SET SEED CT_FILE     print K in hex
 *
 * SET is 1, 2 or 3 (TK_MLKEM_512/768/1024). Exit status 0 on success.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mlkem_test_util.h"

static void
tk_xcheck_print(const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        printf("%02x", b[i]);
    }
    printf("\n");
}

static int
tk_xcheck_keys(tk_mlkem_set set, const char *seed_hex, uint8_t *ek, uint8_t *dk)
{
    uint8_t seed[TK_MLKEM_SEED_LEN];

    if (tk_mlkem_test_unhex(seed, sizeof(seed), seed_hex) != TK_MLKEM_SEED_LEN) {
        return -1;
    }
    return tk_mlkem_keygen(set, seed, seed + 32, ek, dk);
}

static int
tk_xcheck_encaps(tk_mlkem_set set, const uint8_t *ek, const char *m_hex, const char *path)
{
    uint8_t m[32], ct[TK_MLKEM_CT_MAX], ss[32];
    FILE *f;

    if (tk_mlkem_test_unhex(m, sizeof(m), m_hex) != 32 ||
        tk_mlkem_encaps(set, ek, m, ct, ss) != TK_PQC_OK) {
        return 1;
    }
    f = fopen(path, "wb");
    if (f == NULL || fwrite(ct, 1, tk_mlkem_ct_len(set), f) != tk_mlkem_ct_len(set)) {
        return 1;
    }
    fclose(f);
    tk_xcheck_print(ss, 32);
    return 0;
}

static int
tk_xcheck_decaps(tk_mlkem_set set, const uint8_t *dk, const char *path)
{
    uint8_t ct[TK_MLKEM_CT_MAX + 1], ss[32];
    FILE *f = fopen(path, "rb");
    size_t n;

    if (f == NULL) {
        return 1;
    }
    n = fread(ct, 1, sizeof(ct), f);
    fclose(f);
    if (n != tk_mlkem_ct_len(set) || tk_mlkem_decaps(set, dk, ct, ss) != TK_PQC_OK) {
        return 1;
    }
    tk_xcheck_print(ss, 32);
    return 0;
}

int
main(int argc, char **argv)
{
    uint8_t ek[TK_MLKEM_EK_MAX], dk[TK_MLKEM_DK_MAX];
    tk_mlkem_set set;

    if (argc < 4) {
        return 2;
    }
    set = (tk_mlkem_set)atoi(argv[2]);
    if (tk_mlkem_ek_len(set) == 0 || tk_xcheck_keys(set, argv[3], ek, dk) != TK_PQC_OK) {
        return 2;
    }
    if (strcmp(argv[1], "keygen") == 0) {
        tk_xcheck_print(ek, tk_mlkem_ek_len(set));
        tk_xcheck_print(dk, tk_mlkem_dk_len(set));
        return 0;
    }
    if (strcmp(argv[1], "encaps") == 0 && argc == 6) {
        return tk_xcheck_encaps(set, ek, argv[4], argv[5]);
    }
    if (strcmp(argv[1], "decaps") == 0 && argc == 5) {
        return tk_xcheck_decaps(set, dk, argv[4]);
    }
    return 2;
}
