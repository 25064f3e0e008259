/*
 * The pre-hash functions of HashML-DSA and HashSLH-DSA [FIPS 204 §5.4,
 * FIPS 205 §10.2]. See pqc_internal.h.
 */
#include <string.h>

#include "mech/pqc_internal.h"
#include "util/check.h"
#include "util/wipe.h"

/* The digest API's id of a SHA-2 or SHA-3 pre-hash; TK_MD_COUNT for the
 * two XOFs. */
static tk_md_id
tk_pqc_hash_md(tk_mldsa_prehash ph)
{
    switch (ph) {
    case TK_MLDSA_PH_SHA224:
        return TK_MD_SHA224;
    case TK_MLDSA_PH_SHA256:
        return TK_MD_SHA256;
    case TK_MLDSA_PH_SHA384:
        return TK_MD_SHA384;
    case TK_MLDSA_PH_SHA512:
        return TK_MD_SHA512;
    case TK_MLDSA_PH_SHA512_224:
        return TK_MD_SHA512_224;
    case TK_MLDSA_PH_SHA512_256:
        return TK_MD_SHA512_256;
    case TK_MLDSA_PH_SHA3_224:
        return TK_MD_SHA3_224;
    case TK_MLDSA_PH_SHA3_256:
        return TK_MD_SHA3_256;
    case TK_MLDSA_PH_SHA3_384:
        return TK_MD_SHA3_384;
    case TK_MLDSA_PH_SHA3_512:
        return TK_MD_SHA3_512;
    default:
        return TK_MD_COUNT;
    }
}

/* See pqc_internal.h. */
tk_mldsa_prehash
tk_pqc_hash_from_mech(CK_MECHANISM_TYPE hash)
{
    static const struct {
        CK_MECHANISM_TYPE mech;
        tk_mldsa_prehash ph;
    } map[] = {
        {CKM_SHA224, TK_MLDSA_PH_SHA224},
        {CKM_SHA256, TK_MLDSA_PH_SHA256},
        {CKM_SHA384, TK_MLDSA_PH_SHA384},
        {CKM_SHA512, TK_MLDSA_PH_SHA512},
        {CKM_SHA512_224, TK_MLDSA_PH_SHA512_224},
        {CKM_SHA512_256, TK_MLDSA_PH_SHA512_256},
        {CKM_SHA3_224, TK_MLDSA_PH_SHA3_224},
        {CKM_SHA3_256, TK_MLDSA_PH_SHA3_256},
        {CKM_SHA3_384, TK_MLDSA_PH_SHA3_384},
        {CKM_SHA3_512, TK_MLDSA_PH_SHA3_512},
        {CKM_SHAKE_128_KEY_DERIVATION, TK_MLDSA_PH_SHAKE128},
        {CKM_SHAKE_256_KEY_DERIVATION, TK_MLDSA_PH_SHAKE256},
    };

    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        if (map[i].mech == hash) {
            return map[i].ph;
        }
    }
    return (tk_mldsa_prehash)0;
}

/* See pqc_internal.h. */
CK_RV
tk_pqc_hash_begin(tk_pqc_hash *h, tk_mldsa_prehash ph)
{
    CK_RV rv = CKR_OK;
    tk_md_id md = tk_pqc_hash_md(ph);

    memset(h, 0, sizeof(*h));
    h->ph = ph;
    if (ph == TK_MLDSA_PH_SHAKE128) {
        tk_shake128_init(&h->xof);
    } else if (ph == TK_MLDSA_PH_SHAKE256) {
        tk_shake256_init(&h->xof);
    } else {
        TK_CHECK(md != TK_MD_COUNT, CKR_MECHANISM_INVALID);
        TK_GUARD(tk_ossl_md_new(md, &h->md));
    }
out:
    return rv;
}

/* See pqc_internal.h. */
CK_RV
tk_pqc_hash_update(tk_pqc_hash *h, const uint8_t *in, size_t len)
{
    if (h->md != NULL) {
        return tk_ossl_md_update(h->md, in, len);
    }
    tk_keccak_absorb(&h->xof, in, len);
    return CKR_OK;
}

/* See pqc_internal.h. */
CK_RV
tk_pqc_hash_final(tk_pqc_hash *h, uint8_t *out)
{
    size_t len = 0;

    if (h->md != NULL) {
        return tk_ossl_md_final(h->md, out);
    }
    if (tk_mldsa_prehash_info(h->ph, NULL, NULL, &len) != TK_PQC_OK) {
        return CKR_GENERAL_ERROR;
    }
    tk_keccak_finalize(&h->xof);
    tk_keccak_squeeze(&h->xof, out, len);
    tk_keccak_wipe(&h->xof);
    return CKR_OK;
}

/* See pqc_internal.h. */
void
tk_pqc_hash_free(tk_pqc_hash *h)
{
    tk_ossl_md_free(h->md);
    h->md = NULL;
    tk_keccak_wipe(&h->xof);
}
