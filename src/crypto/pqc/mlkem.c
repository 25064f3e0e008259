/* ML-KEM dispatcher: checks the parameter set, calls the per-set code.
 * See mlkem.h. [FIPS 203] */
#include "crypto/pqc/mlkem.h"

#include "crypto/pqc/mlkem_kem.h"

size_t
tk_mlkem_ek_len(tk_mlkem_set set)
{
    switch (set) {
    case TK_MLKEM_512:
        return 800;
    case TK_MLKEM_768:
        return 1184;
    case TK_MLKEM_1024:
        return 1568;
    }
    return 0;
}

size_t
tk_mlkem_dk_len(tk_mlkem_set set)
{
    switch (set) {
    case TK_MLKEM_512:
        return 1632;
    case TK_MLKEM_768:
        return 2400;
    case TK_MLKEM_1024:
        return 3168;
    }
    return 0;
}

size_t
tk_mlkem_ct_len(tk_mlkem_set set)
{
    switch (set) {
    case TK_MLKEM_512:
        return 768;
    case TK_MLKEM_768:
        return 1088;
    case TK_MLKEM_1024:
        return 1568;
    }
    return 0;
}

int
tk_mlkem_keygen(tk_mlkem_set set, const uint8_t d[32], const uint8_t z[32], uint8_t *ek,
                uint8_t *dk)
{
    switch (set) {
    case TK_MLKEM_512:
        return tk_mlkem512_keygen(d, z, ek, dk);
    case TK_MLKEM_768:
        return tk_mlkem768_keygen(d, z, ek, dk);
    case TK_MLKEM_1024:
        return tk_mlkem1024_keygen(d, z, ek, dk);
    }
    return TK_PQC_EPARAM;
}

int
tk_mlkem_encaps(tk_mlkem_set set, const uint8_t *ek, const uint8_t m[32], uint8_t *ct,
                uint8_t ss[32])
{
    switch (set) {
    case TK_MLKEM_512:
        return tk_mlkem512_encaps(ek, m, ct, ss);
    case TK_MLKEM_768:
        return tk_mlkem768_encaps(ek, m, ct, ss);
    case TK_MLKEM_1024:
        return tk_mlkem1024_encaps(ek, m, ct, ss);
    }
    return TK_PQC_EPARAM;
}

int
tk_mlkem_decaps(tk_mlkem_set set, const uint8_t *dk, const uint8_t *ct, uint8_t ss[32])
{
    switch (set) {
    case TK_MLKEM_512:
        return tk_mlkem512_decaps(dk, ct, ss);
    case TK_MLKEM_768:
        return tk_mlkem768_decaps(dk, ct, ss);
    case TK_MLKEM_1024:
        return tk_mlkem1024_decaps(dk, ct, ss);
    }
    return TK_PQC_EPARAM;
}

int
tk_mlkem_check_ek(tk_mlkem_set set, const uint8_t *ek)
{
    switch (set) {
    case TK_MLKEM_512:
        return tk_mlkem512_check_ek(ek);
    case TK_MLKEM_768:
        return tk_mlkem768_check_ek(ek);
    case TK_MLKEM_1024:
        return tk_mlkem1024_check_ek(ek);
    }
    return TK_PQC_EPARAM;
}

int
tk_mlkem_check_dk(tk_mlkem_set set, const uint8_t *dk)
{
    switch (set) {
    case TK_MLKEM_512:
        return tk_mlkem512_check_dk(dk);
    case TK_MLKEM_768:
        return tk_mlkem768_check_dk(dk);
    case TK_MLKEM_1024:
        return tk_mlkem1024_check_dk(dk);
    }
    return TK_PQC_EPARAM;
}
