/*
 * Mechanism family: post-quantum. ML-KEM key pairs and encapsulation,
 * ML-DSA and SLH-DSA key pairs and signatures in their pure, pre-hash and
 * hash-on-token forms. See pqc_internal.h for the files and
 * mech_internal.h for how families plug in.
 *
 * Key sizes in the table are the public key's length in bytes, as
 * [PKCS11 3.2 §6.67] and the ML-KEM and SLH-DSA sections specify for
 * every one of these mechanisms.
 */
#include <string.h>

#include "crypto/pqc/mldsa.h"
#include "crypto/pqc/mlkem.h"
#include "crypto/pqc/slhdsa.h"
#include "mech/pqc_internal.h"
#include "util/check.h"

/* See pqc_internal.h. */
CK_KEY_TYPE
tk_pqc_key_type(tk_pqc_alg alg)
{
    switch (alg) {
    case TK_PQC_MLKEM:
        return CKK_ML_KEM;
    case TK_PQC_MLDSA:
        return CKK_ML_DSA;
    default:
        return CKK_SLH_DSA;
    }
}

/* See pqc_internal.h. */
int
tk_pqc_sizes_of(tk_pqc_alg alg, CK_ULONG set, tk_pqc_sizes *sz)
{
    memset(sz, 0, sizeof(*sz));
    /* The crypto layer's enums take the CKP_ numbers as they are; an
     * unknown one gives length 0 below. Bound it first so the cast is
     * always a declared value. */
    if (set == 0 || set > CKP_SLH_DSA_SHAKE_256F) {
        return 0;
    }
    switch (alg) {
    case TK_PQC_MLKEM:
        sz->pub = tk_mlkem_ek_len((tk_mlkem_set)set);
        sz->priv = tk_mlkem_dk_len((tk_mlkem_set)set);
        sz->seed = TK_MLKEM_SEED_LEN;
        sz->out = tk_mlkem_ct_len((tk_mlkem_set)set);
        break;
    case TK_PQC_MLDSA:
        sz->pub = tk_mldsa_pk_len((tk_mldsa_set)set);
        sz->priv = tk_mldsa_sk_len((tk_mldsa_set)set);
        sz->seed = TK_MLDSA_SEED_LEN;
        sz->out = tk_mldsa_sig_len((tk_mldsa_set)set);
        break;
    case TK_PQC_SLHDSA:
        sz->pub = tk_slhdsa_pk_len((tk_slhdsa_set)set);
        sz->priv = tk_slhdsa_sk_len((tk_slhdsa_set)set);
        sz->out = tk_slhdsa_sig_len((tk_slhdsa_set)set);
        break;
    }
    if (sz->pub == 0) {
        memset(sz, 0, sizeof(*sz));
        return 0;
    }
    return 1;
}

/* See pqc_internal.h. */
CK_RV
tk_pqc_key_value(const tk_key *key, CK_OBJECT_CLASS cls, tk_pqc_alg alg, CK_ULONG *set,
                 const uint8_t **value)
{
    CK_RV rv = CKR_OK;
    const CK_ATTRIBUTE *ps;
    const CK_ATTRIBUTE *v;
    tk_pqc_sizes sz;

    TK_CHECK(key != NULL && key->cls == cls && key->type == tk_pqc_key_type(alg),
             CKR_KEY_TYPE_INCONSISTENT);
    ps = tk_key_attr(key, CKA_PARAMETER_SET);
    v = tk_key_attr(key, CKA_VALUE);
    TK_CHECK(ps != NULL && ps->pValue != NULL && ps->ulValueLen == sizeof(CK_ULONG),
             CKR_KEY_TYPE_INCONSISTENT);
    memcpy(set, ps->pValue, sizeof(*set));
    TK_CHECK(tk_pqc_sizes_of(alg, *set, &sz), CKR_KEY_TYPE_INCONSISTENT);
    TK_CHECK(v != NULL && v->pValue != NULL &&
                 v->ulValueLen == (cls == CKO_PUBLIC_KEY ? sz.pub : sz.priv),
             CKR_KEY_TYPE_INCONSISTENT);
    *value = v->pValue;
out:
    return rv;
}

static const tk_pqc_alg tk_pqc_alg_mlkem = TK_PQC_MLKEM;
static const tk_pqc_alg tk_pqc_alg_mldsa = TK_PQC_MLDSA;
static const tk_pqc_alg tk_pqc_alg_slhdsa = TK_PQC_SLHDSA;

/* Public key lengths in bytes over all parameter sets. */
#define TK_MLKEM_PUB_MIN 800
#define TK_MLKEM_PUB_MAX 1568
#define TK_MLDSA_PUB_MIN 1312
#define TK_MLDSA_PUB_MAX 2592
#define TK_SLHDSA_PUB_MIN 32
#define TK_SLHDSA_PUB_MAX 64

#define TK_PQC_KEYGEN(mech, alg, lo, hi)                                                       \
    {                                                                                          \
        .type = (mech), .min_key = (lo), .max_key = (hi), .flags = CKF_GENERATE_KEY_PAIR,      \
        .generate_pair = tk_pqc_generate_pair, .arg = &(alg),                                  \
    }

#define TK_PQC_SIG(mech, alg, mode, ph, lo, hi)                                                \
    {                                                                                          \
        .type = (mech), .min_key = (lo), .max_key = (hi), .flags = CKF_SIGN | CKF_VERIFY,      \
        .op_init = tk_pqc_sig_op_init,                                                         \
        .arg = &(const tk_pqc_sig_info){(alg), (mode), (tk_mldsa_prehash)(ph)},                \
    }

#define TK_MLDSA_SIG(mech, mode, ph)                                                           \
    TK_PQC_SIG(mech, TK_PQC_MLDSA, mode, ph, TK_MLDSA_PUB_MIN, TK_MLDSA_PUB_MAX)
#define TK_SLHDSA_SIG(mech, mode, ph)                                                          \
    TK_PQC_SIG(mech, TK_PQC_SLHDSA, mode, ph, TK_SLHDSA_PUB_MIN, TK_SLHDSA_PUB_MAX)

static const tk_mech_desc tk_pqc_table[] = {
    TK_PQC_KEYGEN(CKM_ML_KEM_KEY_PAIR_GEN, tk_pqc_alg_mlkem, TK_MLKEM_PUB_MIN, TK_MLKEM_PUB_MAX),
    {
        .type = CKM_ML_KEM,
        .min_key = TK_MLKEM_PUB_MIN,
        .max_key = TK_MLKEM_PUB_MAX,
        .flags = CKF_ENCAPSULATE | CKF_DECAPSULATE,
        .encapsulate = tk_pqc_encapsulate,
        .decapsulate = tk_pqc_decapsulate,
    },
    TK_PQC_KEYGEN(CKM_ML_DSA_KEY_PAIR_GEN, tk_pqc_alg_mldsa, TK_MLDSA_PUB_MIN, TK_MLDSA_PUB_MAX),
    TK_MLDSA_SIG(CKM_ML_DSA, TK_PQC_PURE, 0),
    TK_MLDSA_SIG(CKM_HASH_ML_DSA, TK_PQC_PH_GIVEN, 0),
    TK_MLDSA_SIG(CKM_HASH_ML_DSA_SHA224, TK_PQC_PH_TOKEN, TK_MLDSA_PH_SHA224),
    TK_MLDSA_SIG(CKM_HASH_ML_DSA_SHA256, TK_PQC_PH_TOKEN, TK_MLDSA_PH_SHA256),
    TK_MLDSA_SIG(CKM_HASH_ML_DSA_SHA384, TK_PQC_PH_TOKEN, TK_MLDSA_PH_SHA384),
    TK_MLDSA_SIG(CKM_HASH_ML_DSA_SHA512, TK_PQC_PH_TOKEN, TK_MLDSA_PH_SHA512),
    TK_MLDSA_SIG(CKM_HASH_ML_DSA_SHA3_224, TK_PQC_PH_TOKEN, TK_MLDSA_PH_SHA3_224),
    TK_MLDSA_SIG(CKM_HASH_ML_DSA_SHA3_256, TK_PQC_PH_TOKEN, TK_MLDSA_PH_SHA3_256),
    TK_MLDSA_SIG(CKM_HASH_ML_DSA_SHA3_384, TK_PQC_PH_TOKEN, TK_MLDSA_PH_SHA3_384),
    TK_MLDSA_SIG(CKM_HASH_ML_DSA_SHA3_512, TK_PQC_PH_TOKEN, TK_MLDSA_PH_SHA3_512),
    TK_MLDSA_SIG(CKM_HASH_ML_DSA_SHAKE128, TK_PQC_PH_TOKEN, TK_MLDSA_PH_SHAKE128),
    TK_MLDSA_SIG(CKM_HASH_ML_DSA_SHAKE256, TK_PQC_PH_TOKEN, TK_MLDSA_PH_SHAKE256),
    TK_PQC_KEYGEN(CKM_SLH_DSA_KEY_PAIR_GEN, tk_pqc_alg_slhdsa, TK_SLHDSA_PUB_MIN,
                  TK_SLHDSA_PUB_MAX),
    TK_SLHDSA_SIG(CKM_SLH_DSA, TK_PQC_PURE, 0),
    TK_SLHDSA_SIG(CKM_HASH_SLH_DSA, TK_PQC_PH_GIVEN, 0),
    TK_SLHDSA_SIG(CKM_HASH_SLH_DSA_SHA224, TK_PQC_PH_TOKEN, TK_MLDSA_PH_SHA224),
    TK_SLHDSA_SIG(CKM_HASH_SLH_DSA_SHA256, TK_PQC_PH_TOKEN, TK_MLDSA_PH_SHA256),
    TK_SLHDSA_SIG(CKM_HASH_SLH_DSA_SHA384, TK_PQC_PH_TOKEN, TK_MLDSA_PH_SHA384),
    TK_SLHDSA_SIG(CKM_HASH_SLH_DSA_SHA512, TK_PQC_PH_TOKEN, TK_MLDSA_PH_SHA512),
    TK_SLHDSA_SIG(CKM_HASH_SLH_DSA_SHA3_224, TK_PQC_PH_TOKEN, TK_MLDSA_PH_SHA3_224),
    TK_SLHDSA_SIG(CKM_HASH_SLH_DSA_SHA3_256, TK_PQC_PH_TOKEN, TK_MLDSA_PH_SHA3_256),
    TK_SLHDSA_SIG(CKM_HASH_SLH_DSA_SHA3_384, TK_PQC_PH_TOKEN, TK_MLDSA_PH_SHA3_384),
    TK_SLHDSA_SIG(CKM_HASH_SLH_DSA_SHA3_512, TK_PQC_PH_TOKEN, TK_MLDSA_PH_SHA3_512),
    TK_SLHDSA_SIG(CKM_HASH_SLH_DSA_SHAKE128, TK_PQC_PH_TOKEN, TK_MLDSA_PH_SHAKE128),
    TK_SLHDSA_SIG(CKM_HASH_SLH_DSA_SHAKE256, TK_PQC_PH_TOKEN, TK_MLDSA_PH_SHAKE256),
};

tk_mech_family
tk_mech_family_pqc(void)
{
    tk_mech_family fam = {tk_pqc_table, sizeof(tk_pqc_table) / sizeof(tk_pqc_table[0])};

    return fam;
}

/* See mech_internal.h. */
CK_RV
tk_mech_pqc_complete_key(CK_OBJECT_CLASS cls, CK_KEY_TYPE type, const CK_ATTRIBUTE *tmpl,
                         CK_ULONG n, tk_mech_attrs *out)
{
    switch (type) {
    case CKK_ML_KEM:
        return tk_pqc_complete(cls, TK_PQC_MLKEM, tmpl, n, out);
    case CKK_ML_DSA:
        return tk_pqc_complete(cls, TK_PQC_MLDSA, tmpl, n, out);
    case CKK_SLH_DSA:
        return tk_pqc_complete(cls, TK_PQC_SLHDSA, tmpl, n, out);
    default:
        return CKR_OK;
    }
}
