/*
 * ML-KEM parameters for one set [FIPS 203 §8, Table 2], chosen by
 * TK_MLKEM_K (2, 3 or 4) at compile time. mlkem_kem.c is compiled once per
 * set; TK_MLKEM_NS() gives its functions a per-set name so that the three
 * copies link together. Every size below follows from k, eta1, du and dv.
 */
#ifndef TK_CRYPTO_PQC_MLKEM_PARAMS_H
#define TK_CRYPTO_PQC_MLKEM_PARAMS_H

#if !defined(TK_MLKEM_K)
#error "TK_MLKEM_K must be 2, 3 or 4"
#endif

#if TK_MLKEM_K == 2
#define TK_MLKEM_ETA1 3
#define TK_MLKEM_DU 10
#define TK_MLKEM_DV 4
#define TK_MLKEM_NS(name) tk_mlkem512_##name
#elif TK_MLKEM_K == 3
#define TK_MLKEM_ETA1 2
#define TK_MLKEM_DU 10
#define TK_MLKEM_DV 4
#define TK_MLKEM_NS(name) tk_mlkem768_##name
#elif TK_MLKEM_K == 4
#define TK_MLKEM_ETA1 2
#define TK_MLKEM_DU 11
#define TK_MLKEM_DV 5
#define TK_MLKEM_NS(name) tk_mlkem1024_##name
#else
#error "TK_MLKEM_K must be 2, 3 or 4"
#endif

#define TK_MLKEM_ETA2 2

#define TK_MLKEM_POLYBYTES 384 /* ByteEncode_12 of one polynomial */
#define TK_MLKEM_PVBYTES (TK_MLKEM_K * TK_MLKEM_POLYBYTES)
#define TK_MLKEM_EKBYTES (TK_MLKEM_PVBYTES + 32)
#define TK_MLKEM_DKPKEBYTES TK_MLKEM_PVBYTES
#define TK_MLKEM_DKBYTES (TK_MLKEM_DKPKEBYTES + TK_MLKEM_EKBYTES + 32 + 32)
#define TK_MLKEM_C1BYTES (TK_MLKEM_K * 32 * TK_MLKEM_DU)
#define TK_MLKEM_C2BYTES (32 * TK_MLKEM_DV)
#define TK_MLKEM_CTBYTES (TK_MLKEM_C1BYTES + TK_MLKEM_C2BYTES)

#endif
