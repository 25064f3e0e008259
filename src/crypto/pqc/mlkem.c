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

int
tk_mlkem_ekx_init(tk_mlkem_set set, const uint8_t *ek, tk_mlkem_ekx *x)
{
    int rc = TK_PQC_EPARAM;

    switch (set) {
    case TK_MLKEM_512:
        rc = tk_mlkem512_ekx_init(ek, x->w);
        break;
    case TK_MLKEM_768:
        rc = tk_mlkem768_ekx_init(ek, x->w);
        break;
    case TK_MLKEM_1024:
        rc = tk_mlkem1024_ekx_init(ek, x->w);
        break;
    }
    /* A failed expansion must not pass for a usable key. */
    x->set = rc == TK_PQC_OK ? set : (tk_mlkem_set)0;
    return rc;
}

int
tk_mlkem_encaps_ekx(const tk_mlkem_ekx *x, const uint8_t m[32], uint8_t *ct, uint8_t ss[32])
{
    switch (x->set) {
    case TK_MLKEM_512:
        return tk_mlkem512_encaps_ekx(x->w, m, ct, ss);
    case TK_MLKEM_768:
        return tk_mlkem768_encaps_ekx(x->w, m, ct, ss);
    case TK_MLKEM_1024:
        return tk_mlkem1024_encaps_ekx(x->w, m, ct, ss);
    }
    return TK_PQC_EPARAM;
}

int
tk_mlkem_dkx_init(tk_mlkem_set set, const uint8_t *dk, tk_mlkem_dkx *x)
{
    int rc = TK_PQC_EPARAM;

    switch (set) {
    case TK_MLKEM_512:
        rc = tk_mlkem512_dkx_init(dk, x->w);
        break;
    case TK_MLKEM_768:
        rc = tk_mlkem768_dkx_init(dk, x->w);
        break;
    case TK_MLKEM_1024:
        rc = tk_mlkem1024_dkx_init(dk, x->w);
        break;
    }
    x->set = rc == TK_PQC_OK ? set : (tk_mlkem_set)0;
    return rc;
}

int
tk_mlkem_decaps_dkx(const tk_mlkem_dkx *x, const uint8_t *ct, uint8_t ss[32])
{
    switch (x->set) {
    case TK_MLKEM_512:
        return tk_mlkem512_decaps_dkx(x->w, ct, ss);
    case TK_MLKEM_768:
        return tk_mlkem768_decaps_dkx(x->w, ct, ss);
    case TK_MLKEM_1024:
        return tk_mlkem1024_decaps_dkx(x->w, ct, ss);
    }
    return TK_PQC_EPARAM;
}
