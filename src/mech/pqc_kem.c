/*
 * CKM_ML_KEM: C_EncapsulateKey with an ML-KEM public key and
 * C_DecapsulateKey with the private key [FIPS 203 Alg. 20, 21]. The new
 * secret key is the shared secret K, or its first CKA_VALUE_LEN bytes.
 *
 * Each key object keeps its expanded form (the sampled matrix, the
 * decoded vectors, H(ek)) in its cache, so only the first use of a key
 * pays for the expansion.
 */
#include <stdlib.h>
#include <string.h>

#include "crypto/ossl/rand.h"
#include "crypto/pqc/mlkem.h"
#include "mech/pqc_internal.h"
#include "util/check.h"
#include "util/wipe.h"

/* Cache tags, one per key class. */
static const char tk_mlkem_ek_owner = 'e';
static const char tk_mlkem_dk_owner = 'd';

typedef struct {
    tk_key_cache head;
    tk_mlkem_ekx x;
} tk_mlkem_ek_cache;

typedef struct {
    tk_key_cache head;
    tk_mlkem_dkx x;
} tk_mlkem_dk_cache;

static void
tk_mlkem_ek_cache_free(tk_key_cache *c)
{
    free(c);
}

static void
tk_mlkem_dk_cache_free(tk_key_cache *c)
{
    /* The expanded dk holds s_hat and z. */
    tk_free_secret(c, sizeof(tk_mlkem_dk_cache));
}

/*
 * The expanded ek of key, from its cache or made now (after the modulus
 * check of [FIPS 203 §7.2]) and offered to it. Release with
 * tk_mlkem_cache_done().
 */
static CK_RV
tk_mlkem_ek_get(const tk_key *key, CK_ULONG set, const uint8_t *ek, tk_key_cache **out)
{
    tk_mlkem_ek_cache *c = (tk_mlkem_ek_cache *)tk_key_cache_get(key, &tk_mlkem_ek_owner);

    if (c == NULL) {
        c = calloc(1, sizeof(*c));
        if (c == NULL) {
            return CKR_HOST_MEMORY;
        }
        c->head.owner = &tk_mlkem_ek_owner;
        c->head.free = tk_mlkem_ek_cache_free;
        if (tk_mlkem_ekx_init((tk_mlkem_set)set, ek, &c->x) != TK_PQC_OK) {
            /* Only a key that bypassed C_CreateObject's check gets here. */
            free(c);
            return CKR_KEY_TYPE_INCONSISTENT;
        }
        c = (tk_mlkem_ek_cache *)tk_key_cache_offer(key, &c->head);
    }
    *out = &c->head;
    return CKR_OK;
}

/* The expanded dk of key, as above, after the hash check [FIPS 203 §7.3]. */
static CK_RV
tk_mlkem_dk_get(const tk_key *key, CK_ULONG set, const uint8_t *dk, tk_key_cache **out)
{
    tk_mlkem_dk_cache *c = (tk_mlkem_dk_cache *)tk_key_cache_get(key, &tk_mlkem_dk_owner);

    if (c == NULL) {
        c = calloc(1, sizeof(*c));
        if (c == NULL) {
            return CKR_HOST_MEMORY;
        }
        c->head.owner = &tk_mlkem_dk_owner;
        c->head.free = tk_mlkem_dk_cache_free;
        if (tk_mlkem_dkx_init((tk_mlkem_set)set, dk, &c->x) != TK_PQC_OK) {
            tk_mlkem_dk_cache_free(&c->head);
            return CKR_KEY_TYPE_INCONSISTENT;
        }
        c = (tk_mlkem_dk_cache *)tk_key_cache_offer(key, &c->head);
    }
    *out = &c->head;
    return CKR_OK;
}

/* Free a cache the object did not take. */
static void
tk_mlkem_cache_done(const tk_key *key, tk_key_cache *c)
{
    if (c != NULL && !tk_key_cache_owns(key, c)) {
        c->free(c);
    }
}

/* The secret key types whose keys have any length: generic, HKDF (the
 * usual next step after a KEM) and the HMAC types. */
static int
tk_pqc_is_any_length_type(CK_KEY_TYPE t)
{
    static const CK_KEY_TYPE types[] = {
        CKK_GENERIC_SECRET, CKK_HKDF,          CKK_SHA_1_HMAC,      CKK_SHA224_HMAC,
        CKK_SHA256_HMAC,    CKK_SHA384_HMAC,   CKK_SHA512_HMAC,     CKK_SHA512_224_HMAC,
        CKK_SHA512_256_HMAC, CKK_SHA3_224_HMAC, CKK_SHA3_256_HMAC,  CKK_SHA3_384_HMAC,
        CKK_SHA3_512_HMAC,
    };

    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        if (types[i] == t) {
            return 1;
        }
    }
    return 0;
}

/*
 * The new key's type and length from the template, the same on both
 * sides: a secret key of a type that can hold up to 32 bytes; length
 * CKA_VALUE_LEN, else 32. A longer key than K cannot be made
 * (CKR_TEMPLATE_INCONSISTENT, which both functions may return).
 */
static CK_RV
tk_pqc_kem_target(const CK_ATTRIBUTE *tmpl, CK_ULONG n, CK_KEY_TYPE *type, CK_ULONG *len)
{
    CK_RV rv = CKR_OK;
    const CK_ATTRIBUTE *vl = tk_tmpl_find(tmpl, n, CKA_VALUE_LEN);

    *type = tk_tmpl_ulong(tmpl, n, CKA_KEY_TYPE, CKK_GENERIC_SECRET);
    *len = TK_MLKEM_SS_LEN;
    TK_CHECK(tk_tmpl_ulong(tmpl, n, CKA_CLASS, CKO_SECRET_KEY) == CKO_SECRET_KEY,
             CKR_TEMPLATE_INCONSISTENT);
    if (vl != NULL) {
        TK_CHECK(vl->pValue != NULL && vl->ulValueLen == sizeof(CK_ULONG),
                 CKR_ATTRIBUTE_VALUE_INVALID);
        memcpy(len, vl->pValue, sizeof(*len));
        TK_CHECK(*len > 0, CKR_ATTRIBUTE_VALUE_INVALID);
        TK_CHECK(*len <= TK_MLKEM_SS_LEN, CKR_TEMPLATE_INCONSISTENT);
    }
    if (*type == CKK_AES) {
        TK_CHECK(*len == 16 || *len == 24 || *len == 32, CKR_TEMPLATE_INCONSISTENT);
    } else if (*type == CKK_CHACHA20) {
        TK_CHECK(*len == 32, CKR_TEMPLATE_INCONSISTENT);
    } else {
        TK_CHECK(tk_pqc_is_any_length_type(*type), CKR_TEMPLATE_INCONSISTENT);
    }
out:
    return rv;
}

/* The new key's attributes: class, type, the first len bytes of K. */
static CK_RV
tk_pqc_kem_emit(CK_KEY_TYPE type, CK_ULONG len, const uint8_t ss[TK_MLKEM_SS_LEN],
                tk_mech_attrs *out)
{
    CK_RV rv = CKR_OK;

    TK_GUARD(tk_mech_attrs_add_ulong(out, CKA_CLASS, CKO_SECRET_KEY));
    TK_GUARD(tk_mech_attrs_add_ulong(out, CKA_KEY_TYPE, type));
    TK_GUARD(tk_mech_attrs_add(out, CKA_VALUE, ss, len));
    TK_GUARD(tk_mech_attrs_add_ulong(out, CKA_VALUE_LEN, len));
out:
    return rv;
}

/* See pqc_internal.h. */
CK_RV
tk_pqc_encapsulate(const tk_mech_desc *d, const CK_MECHANISM *m, const tk_key *pub,
                   const CK_ATTRIBUTE *tmpl, CK_ULONG n, uint8_t *ct, CK_ULONG *ct_len,
                   tk_mech_attrs *out)
{
    CK_RV rv = CKR_OK;
    CK_ULONG set = 0;
    const uint8_t *ek = NULL;
    tk_key_cache *c = NULL;
    tk_pqc_sizes sz;
    CK_KEY_TYPE type;
    CK_ULONG len;
    uint8_t msg[32];
    uint8_t ss[TK_MLKEM_SS_LEN];

    (void)d;
    TK_CHECK(m->pParameter == NULL && m->ulParameterLen == 0, CKR_MECHANISM_PARAM_INVALID);
    TK_GUARD(tk_pqc_key_value(pub, CKO_PUBLIC_KEY, TK_PQC_MLKEM, &set, &ek));
    TK_GUARD(tk_pqc_kem_target(tmpl, n, &type, &len));
    tk_pqc_sizes_of(TK_PQC_MLKEM, set, &sz);
    /* [PKCS11 3.2 §5.2]: length query or short buffer, nothing made. */
    if (ct == NULL || *ct_len < sz.out) {
        rv = ct == NULL ? CKR_OK : CKR_BUFFER_TOO_SMALL;
        *ct_len = sz.out;
        goto out;
    }
    TK_GUARD(tk_mlkem_ek_get(pub, set, ek, &c));
    TK_GUARD(tk_ossl_random(msg, sizeof(msg)));
    TK_CHECK(tk_mlkem_encaps_ekx(&((tk_mlkem_ek_cache *)c)->x, msg, ct, ss) == TK_PQC_OK,
             CKR_FUNCTION_FAILED);
    *ct_len = sz.out;
    TK_GUARD(tk_pqc_kem_emit(type, len, ss, out));
out:
    tk_mlkem_cache_done(pub, c);
    tk_wipe(msg, sizeof(msg));
    tk_wipe(ss, sizeof(ss));
    return rv;
}

/* See pqc_internal.h. */
CK_RV
tk_pqc_decapsulate(const tk_mech_desc *d, const CK_MECHANISM *m, const tk_key *priv,
                   const CK_ATTRIBUTE *tmpl, CK_ULONG n, const uint8_t *ct, CK_ULONG ct_len,
                   tk_mech_attrs *out)
{
    CK_RV rv = CKR_OK;
    CK_ULONG set = 0;
    const uint8_t *dk = NULL;
    tk_key_cache *c = NULL;
    tk_pqc_sizes sz;
    CK_KEY_TYPE type;
    CK_ULONG len;
    uint8_t ss[TK_MLKEM_SS_LEN];

    (void)d;
    TK_CHECK(m->pParameter == NULL && m->ulParameterLen == 0, CKR_MECHANISM_PARAM_INVALID);
    TK_GUARD(tk_pqc_key_value(priv, CKO_PRIVATE_KEY, TK_PQC_MLKEM, &set, &dk));
    TK_GUARD(tk_pqc_kem_target(tmpl, n, &type, &len));
    tk_pqc_sizes_of(TK_PQC_MLKEM, set, &sz);
    /* The length is public; any ciphertext of the right length yields a
     * key (implicit rejection [FIPS 203 §6.3]). */
    TK_CHECK(ct != NULL && ct_len == sz.out, CKR_WRAPPED_KEY_LEN_RANGE);
    TK_GUARD(tk_mlkem_dk_get(priv, set, dk, &c));
    TK_CHECK(tk_mlkem_decaps_dkx(&((tk_mlkem_dk_cache *)c)->x, ct, ss) == TK_PQC_OK,
             CKR_FUNCTION_FAILED);
    TK_GUARD(tk_pqc_kem_emit(type, len, ss, out));
out:
    tk_mlkem_cache_done(priv, c);
    tk_wipe(ss, sizeof(ss));
    return rv;
}
