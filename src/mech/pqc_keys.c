/*
 * Post-quantum keys: key pair generation (CKM_ML_KEM_KEY_PAIR_GEN,
 * CKM_ML_DSA_KEY_PAIR_GEN, CKM_SLH_DSA_KEY_PAIR_GEN) and what
 * C_CreateObject needs computed or checked. See pqc_internal.h.
 *
 * The parameter set comes from the public template; the private template
 * may repeat it [PKCS11 3.2 §6.67.4].
 */
#include <string.h>

#include "crypto/ossl/rand.h"
#include "crypto/pqc/mldsa.h"
#include "crypto/pqc/mlkem.h"
#include "crypto/pqc/slhdsa.h"
#include "mech/pqc_internal.h"
#include "util/check.h"
#include "util/wipe.h"

/* The largest private key and public key over all three algorithms. */
#define TK_PQC_PRIV_MAX 4896 /* ML-DSA-87 sk */
#define TK_PQC_PUB_MAX 2592  /* ML-DSA-87 pk */
#define TK_PQC_SEED_MAX 96   /* SLH-DSA-256: SK.seed, SK.prf, PK.seed */

/* A key pair's values, before they become attributes. */
typedef struct {
    uint8_t pub[TK_PQC_PUB_MAX];
    uint8_t priv[TK_PQC_PRIV_MAX];
    uint8_t seed[TK_PQC_SEED_MAX];
    tk_pqc_sizes sz;
} tk_pqc_pair;

/* CKA_PARAMETER_SET of a template: 0 absent, 1 read, -1 malformed. */
static int
tk_pqc_tmpl_set(const CK_ATTRIBUTE *tmpl, CK_ULONG n, CK_ULONG *set)
{
    const CK_ATTRIBUTE *a = tk_tmpl_find(tmpl, n, CKA_PARAMETER_SET);

    if (a == NULL) {
        return 0;
    }
    if (a->pValue == NULL || a->ulValueLen != sizeof(CK_ULONG)) {
        return -1;
    }
    memcpy(set, a->pValue, sizeof(*set));
    return 1;
}

/* The pair's parameter set from both templates. */
static CK_RV
tk_pqc_gen_set(const CK_ATTRIBUTE *pub_tmpl, CK_ULONG n_pub, const CK_ATTRIBUTE *priv_tmpl,
               CK_ULONG n_priv, CK_ULONG *set)
{
    CK_RV rv = CKR_OK;
    CK_ULONG a = 0;
    CK_ULONG b = 0;
    int has_a = tk_pqc_tmpl_set(pub_tmpl, n_pub, &a);
    int has_b = tk_pqc_tmpl_set(priv_tmpl, n_priv, &b);

    TK_CHECK(has_a >= 0 && has_b >= 0, CKR_ATTRIBUTE_VALUE_INVALID);
    TK_CHECK(has_a || has_b, CKR_TEMPLATE_INCOMPLETE);
    TK_CHECK(!has_a || !has_b || a == b, CKR_TEMPLATE_INCONSISTENT);
    *set = has_a ? a : b;
out:
    return rv;
}

/* Random seed, then the deterministic key generation of alg. */
static CK_RV
tk_pqc_gen_values(tk_pqc_alg alg, CK_ULONG set, tk_pqc_pair *p)
{
    CK_RV rv = CKR_OK;
    size_t n = 0;
    int rc = TK_PQC_EPARAM;

    switch (alg) {
    case TK_PQC_MLKEM:
        TK_GUARD(tk_ossl_random(p->seed, TK_MLKEM_SEED_LEN));
        rc = tk_mlkem_keygen((tk_mlkem_set)set, p->seed, p->seed + 32, p->pub, p->priv);
        break;
    case TK_PQC_MLDSA:
        TK_GUARD(tk_ossl_random(p->seed, TK_MLDSA_SEED_LEN));
        rc = tk_mldsa_keygen((tk_mldsa_set)set, p->seed, p->pub, p->priv);
        break;
    case TK_PQC_SLHDSA:
        n = tk_slhdsa_n((tk_slhdsa_set)set);
        TK_GUARD(tk_ossl_random(p->seed, 3 * n));
        rc = tk_slhdsa_keygen((tk_slhdsa_set)set, p->seed, p->seed + n, p->seed + 2 * n,
                              p->priv, p->pub);
        break;
    }
    TK_CHECK(rc == TK_PQC_OK, CKR_FUNCTION_FAILED);
out:
    return rv;
}

/* The attributes [PKCS11 3.2 §6.67.4] says the mechanism contributes. */
static CK_RV
tk_pqc_gen_emit(tk_pqc_alg alg, CK_ULONG set, const tk_pqc_pair *p, tk_mech_attrs *pub_out,
                tk_mech_attrs *priv_out)
{
    CK_RV rv = CKR_OK;

    TK_GUARD(tk_mech_attrs_add(pub_out, CKA_VALUE, p->pub, p->sz.pub));
    TK_GUARD(tk_mech_attrs_add_ulong(pub_out, CKA_PARAMETER_SET, set));
    TK_GUARD(tk_mech_attrs_add(priv_out, CKA_VALUE, p->priv, p->sz.priv));
    TK_GUARD(tk_mech_attrs_add_ulong(priv_out, CKA_PARAMETER_SET, set));
    /* SLH-DSA private keys have no CKA_SEED: sk is its own seed. */
    if (alg != TK_PQC_SLHDSA) {
        TK_GUARD(tk_mech_attrs_add(priv_out, CKA_SEED, p->seed, p->sz.seed));
    }
out:
    return rv;
}

/* See pqc_internal.h. */
CK_RV
tk_pqc_generate_pair(const tk_mech_desc *d, const CK_MECHANISM *m, const CK_ATTRIBUTE *pub_tmpl,
                     CK_ULONG n_pub, const CK_ATTRIBUTE *priv_tmpl, CK_ULONG n_priv,
                     CK_KEY_TYPE *key_type, tk_mech_attrs *pub_out, tk_mech_attrs *priv_out)
{
    CK_RV rv = CKR_OK;
    tk_pqc_alg alg = *(const tk_pqc_alg *)d->arg;
    CK_ULONG set = 0;
    tk_pqc_pair p;

    memset(&p, 0, sizeof(p));
    TK_CHECK(m->pParameter == NULL && m->ulParameterLen == 0, CKR_MECHANISM_PARAM_INVALID);
    TK_GUARD(tk_pqc_gen_set(pub_tmpl, n_pub, priv_tmpl, n_priv, &set));
    TK_CHECK(tk_pqc_sizes_of(alg, set, &p.sz), CKR_PARAMETER_SET_NOT_SUPPORTED);
    TK_GUARD(tk_pqc_gen_values(alg, set, &p));
    TK_GUARD(tk_pqc_gen_emit(alg, set, &p, pub_out, priv_out));
    *key_type = tk_pqc_key_type(alg);
out:
    tk_wipe(&p, sizeof(p));
    return rv;
}

/* ---- C_CreateObject ---- */

/* Bytes of attribute type in tmpl: 0 absent, 1 present with length want,
 * -1 present with another length. */
static int
tk_pqc_tmpl_bytes(const CK_ATTRIBUTE *tmpl, CK_ULONG n, CK_ATTRIBUTE_TYPE type, size_t want,
                  const uint8_t **v)
{
    const CK_ATTRIBUTE *a = tk_tmpl_find(tmpl, n, type);

    if (a == NULL) {
        return 0;
    }
    if (a->pValue == NULL || a->ulValueLen != want) {
        return -1;
    }
    *v = a->pValue;
    return 1;
}

/* An imported public key: its length, and for ML-KEM the modulus check
 * of [FIPS 203 §7.2]. */
static CK_RV
tk_pqc_check_pub(tk_pqc_alg alg, CK_ULONG set, const tk_pqc_sizes *sz,
                 const CK_ATTRIBUTE *tmpl, CK_ULONG n)
{
    CK_RV rv = CKR_OK;
    const uint8_t *v = NULL;
    int has = tk_pqc_tmpl_bytes(tmpl, n, CKA_VALUE, sz->pub, &v);

    TK_CHECK(has >= 0, CKR_ATTRIBUTE_VALUE_INVALID);
    if (has && alg == TK_PQC_MLKEM) {
        TK_CHECK(tk_mlkem_check_ek((tk_mlkem_set)set, v) == TK_PQC_OK,
                 CKR_ATTRIBUTE_VALUE_INVALID);
    }
out:
    return rv;
}

/* The expanded private key a seed gives (sz->priv bytes to priv). */
static CK_RV
tk_pqc_expand_seed(tk_pqc_alg alg, CK_ULONG set, const uint8_t *seed, uint8_t *priv)
{
    uint8_t pub[TK_PQC_PUB_MAX];
    int rc = TK_PQC_EPARAM;

    if (alg == TK_PQC_MLKEM) {
        rc = tk_mlkem_keygen((tk_mlkem_set)set, seed, seed + 32, pub, priv);
    } else if (alg == TK_PQC_MLDSA) {
        rc = tk_mldsa_keygen((tk_mldsa_set)set, seed, pub, priv);
    }
    return rc == TK_PQC_OK ? CKR_OK : CKR_FUNCTION_FAILED;
}

/* An expanded private key given alone: the algorithm's own consistency
 * check ([FIPS 203 §7.3], the full ML-DSA check, SLH-DSA's PK.root). */
static CK_RV
tk_pqc_check_priv_value(tk_pqc_alg alg, CK_ULONG set, const uint8_t *v)
{
    int rc = TK_PQC_EPARAM;

    switch (alg) {
    case TK_PQC_MLKEM:
        rc = tk_mlkem_check_dk((tk_mlkem_set)set, v);
        break;
    case TK_PQC_MLDSA:
        rc = tk_mldsa_check_sk((tk_mldsa_set)set, v, NULL);
        break;
    case TK_PQC_SLHDSA:
        rc = tk_slhdsa_check_sk((tk_slhdsa_set)set, v);
        break;
    }
    return rc == TK_PQC_OK ? CKR_OK : CKR_ATTRIBUTE_VALUE_INVALID;
}

/* An imported private key: seed, value or both [PKCS11 3.2 §6.67.3]. */
static CK_RV
tk_pqc_check_priv(tk_pqc_alg alg, CK_ULONG set, const tk_pqc_sizes *sz,
                  const CK_ATTRIBUTE *tmpl, CK_ULONG n, tk_mech_attrs *out)
{
    CK_RV rv = CKR_OK;
    const uint8_t *v = NULL;
    const uint8_t *seed = NULL;
    uint8_t priv[TK_PQC_PRIV_MAX];
    int has_v = tk_pqc_tmpl_bytes(tmpl, n, CKA_VALUE, sz->priv, &v);
    int has_seed = 0;

    if (alg != TK_PQC_SLHDSA) {
        has_seed = tk_pqc_tmpl_bytes(tmpl, n, CKA_SEED, sz->seed, &seed);
    }
    TK_CHECK(has_v >= 0 && has_seed >= 0, CKR_ATTRIBUTE_VALUE_INVALID);
    if (!has_seed) {
        /* Neither: the object layer answers CKR_TEMPLATE_INCOMPLETE. */
        rv = has_v ? tk_pqc_check_priv_value(alg, set, v) : CKR_OK;
        goto out;
    }
    TK_GUARD(tk_pqc_expand_seed(alg, set, seed, priv));
    if (has_v) {
        TK_CHECK(tk_ct_memcmp(priv, v, sz->priv) == 0, CKR_ATTRIBUTE_VALUE_INVALID);
    } else {
        TK_GUARD(tk_mech_attrs_add(out, CKA_VALUE, priv, sz->priv));
    }
out:
    tk_wipe(priv, sizeof(priv));
    return rv;
}

/* See pqc_internal.h. */
CK_RV
tk_pqc_complete(CK_OBJECT_CLASS cls, tk_pqc_alg alg, const CK_ATTRIBUTE *tmpl, CK_ULONG n,
                tk_mech_attrs *out)
{
    CK_ULONG set = 0;
    tk_pqc_sizes sz;
    int has = tk_pqc_tmpl_set(tmpl, n, &set);

    /* Without a usable set the object layer gives the right answer
     * (CKR_TEMPLATE_INCOMPLETE or CKR_ATTRIBUTE_VALUE_INVALID). */
    if (has <= 0 || !tk_pqc_sizes_of(alg, set, &sz)) {
        return CKR_OK;
    }
    if (cls == CKO_PUBLIC_KEY) {
        return tk_pqc_check_pub(alg, set, &sz, tmpl, n);
    }
    if (cls == CKO_PRIVATE_KEY) {
        return tk_pqc_check_priv(alg, set, &sz, tmpl, n, out);
    }
    return CKR_OK;
}
