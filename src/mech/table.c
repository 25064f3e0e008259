/*
 * The mechanism table: the families' descriptors, joined and sorted once,
 * looked up by binary search.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "mech/mech_internal.h"
#include "util/wipe.h"

static const tk_mech_desc **tk_mech_sorted;
static size_t tk_mech_count;
static pthread_once_t tk_mech_once = PTHREAD_ONCE_INIT;

static int
tk_mech_cmp(const void *a, const void *b)
{
    const tk_mech_desc *x = *(const tk_mech_desc *const *)a;
    const tk_mech_desc *y = *(const tk_mech_desc *const *)b;

    return x->type < y->type ? -1 : x->type > y->type;
}

static void
tk_mech_build(void)
{
    tk_mech_family (*const fams[])(void) = {
        tk_mech_family_digest, tk_mech_family_mac, tk_mech_family_cipher,
        tk_mech_family_rsa,    tk_mech_family_ec,  tk_mech_family_kdf,
        tk_mech_family_pqc,
    };
    size_t total = 0;
    size_t k = 0;

    for (size_t i = 0; i < sizeof(fams) / sizeof(fams[0]); i++) {
        total += fams[i]().n;
    }
    tk_mech_sorted = calloc(total ? total : 1, sizeof(*tk_mech_sorted));
    if (tk_mech_sorted == NULL) {
        return; /* the table stays empty: every mechanism is invalid */
    }
    for (size_t i = 0; i < sizeof(fams) / sizeof(fams[0]); i++) {
        tk_mech_family f = fams[i]();
        for (size_t j = 0; j < f.n; j++) {
            tk_mech_sorted[k++] = &f.v[j];
        }
    }
    qsort(tk_mech_sorted, k, sizeof(*tk_mech_sorted), tk_mech_cmp);
    tk_mech_count = k;
}

/* The sorted table lives as long as the module: free it at unload so an
 * application that dlclose()s us leaks nothing. */
__attribute__((destructor)) static void
tk_mech_unload(void)
{
    free(tk_mech_sorted);
    tk_mech_sorted = NULL;
    tk_mech_count = 0;
}

const tk_mech_desc *
tk_mech_find(CK_MECHANISM_TYPE type)
{
    size_t lo = 0;
    size_t hi;

    pthread_once(&tk_mech_once, tk_mech_build);
    hi = tk_mech_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        CK_MECHANISM_TYPE t = tk_mech_sorted[mid]->type;
        if (t == type) {
            return tk_mech_sorted[mid];
        }
        if (t < type) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return NULL;
}

CK_RV
tk_mech_list(CK_MECHANISM_TYPE *list, CK_ULONG *count)
{
    CK_RV rv = CKR_OK;

    pthread_once(&tk_mech_once, tk_mech_build);
    if (list != NULL && *count < tk_mech_count) {
        rv = CKR_BUFFER_TOO_SMALL;
    } else if (list != NULL) {
        for (size_t i = 0; i < tk_mech_count; i++) {
            list[i] = tk_mech_sorted[i]->type;
        }
    }
    *count = tk_mech_count;
    return rv;
}

CK_RV
tk_mech_info(CK_MECHANISM_TYPE type, CK_MECHANISM_INFO *info)
{
    const tk_mech_desc *d = tk_mech_find(type);

    if (d == NULL) {
        return CKR_MECHANISM_INVALID;
    }
    info->ulMinKeySize = d->min_key;
    info->ulMaxKeySize = d->max_key;
    info->flags = d->flags;
    return CKR_OK;
}

CK_FLAGS
tk_op_kind_flag(tk_op_kind kind)
{
    static const CK_FLAGS flags[TK_OP_COUNT] = {
        [TK_OP_ENCRYPT] = CKF_ENCRYPT,
        [TK_OP_DECRYPT] = CKF_DECRYPT,
        [TK_OP_DIGEST] = CKF_DIGEST,
        [TK_OP_SIGN] = CKF_SIGN,
        [TK_OP_VERIFY] = CKF_VERIFY,
        [TK_OP_SIGN_RECOVER] = CKF_SIGN_RECOVER,
        [TK_OP_VERIFY_RECOVER] = CKF_VERIFY_RECOVER,
        [TK_OP_VERIFY_SIGNATURE] = CKF_VERIFY,
        [TK_OP_MSG_ENCRYPT] = CKF_MESSAGE_ENCRYPT,
        [TK_OP_MSG_DECRYPT] = CKF_MESSAGE_DECRYPT,
        [TK_OP_MSG_SIGN] = CKF_MESSAGE_SIGN,
        [TK_OP_MSG_VERIFY] = CKF_MESSAGE_VERIFY,
    };

    return (unsigned)kind < TK_OP_COUNT ? flags[kind] : 0;
}

CK_ATTRIBUTE_TYPE
tk_op_kind_key_attr(tk_op_kind kind)
{
    static const CK_ATTRIBUTE_TYPE attrs[TK_OP_COUNT] = {
        [TK_OP_ENCRYPT] = CKA_ENCRYPT,
        [TK_OP_DECRYPT] = CKA_DECRYPT,
        [TK_OP_DIGEST] = 0,
        [TK_OP_SIGN] = CKA_SIGN,
        [TK_OP_VERIFY] = CKA_VERIFY,
        [TK_OP_SIGN_RECOVER] = CKA_SIGN_RECOVER,
        [TK_OP_VERIFY_RECOVER] = CKA_VERIFY_RECOVER,
        [TK_OP_VERIFY_SIGNATURE] = CKA_VERIFY,
        [TK_OP_MSG_ENCRYPT] = CKA_ENCRYPT,
        [TK_OP_MSG_DECRYPT] = CKA_DECRYPT,
        [TK_OP_MSG_SIGN] = CKA_SIGN,
        [TK_OP_MSG_VERIFY] = CKA_VERIFY,
    };

    return (unsigned)kind < TK_OP_COUNT ? attrs[kind] : 0;
}

CK_RV
tk_mech_op_init(tk_op_kind kind, const CK_MECHANISM *m, const tk_key *key, tk_op **out)
{
    const tk_mech_desc *d = tk_mech_find(m->mechanism);

    if (d == NULL || d->op_init == NULL || !(d->flags & tk_op_kind_flag(kind))) {
        return CKR_MECHANISM_INVALID;
    }
    return d->op_init(d, kind, m, key, out);
}

/* C_VerifySignature*: a verify operation that keeps the signature until
 * the data is complete. */
typedef struct {
    tk_op head;
    tk_op *inner;
    uint8_t *sig;
    CK_ULONG sig_len;
} tk_vsig_op;

static CK_RV
tk_vsig_verify(tk_op *op, const uint8_t *data, CK_ULONG len, const uint8_t *sig,
               CK_ULONG sig_len)
{
    tk_vsig_op *v = (tk_vsig_op *)op;

    (void)sig;
    (void)sig_len;
    if (v->inner->vt->verify == NULL) {
        return CKR_FUNCTION_NOT_SUPPORTED;
    }
    return v->inner->vt->verify(v->inner, data, len, v->sig, v->sig_len);
}

static CK_RV
tk_vsig_update(tk_op *op, const uint8_t *in, CK_ULONG in_len, uint8_t *out, CK_ULONG *out_len)
{
    tk_vsig_op *v = (tk_vsig_op *)op;

    if (v->inner->vt->update == NULL) {
        return CKR_FUNCTION_NOT_SUPPORTED;
    }
    return v->inner->vt->update(v->inner, in, in_len, out, out_len);
}

static CK_RV
tk_vsig_final(tk_op *op, const uint8_t *sig, CK_ULONG sig_len)
{
    tk_vsig_op *v = (tk_vsig_op *)op;

    (void)sig;
    (void)sig_len;
    if (v->inner->vt->verify_final == NULL) {
        return CKR_FUNCTION_NOT_SUPPORTED;
    }
    return v->inner->vt->verify_final(v->inner, v->sig, v->sig_len);
}

static void
tk_vsig_free(tk_op *op)
{
    tk_vsig_op *v = (tk_vsig_op *)op;

    tk_op_free(v->inner);
    free(v->sig);
    tk_op_release(op, sizeof(*v));
}

static const tk_op_vtbl tk_vsig_vt = {
    .update = tk_vsig_update,
    .verify = tk_vsig_verify,
    .verify_final = tk_vsig_final,
    .free = tk_vsig_free,
};

CK_RV
tk_mech_verify_signature_init(const CK_MECHANISM *m, const tk_key *key, const uint8_t *sig,
                              CK_ULONG sig_len, tk_op **out)
{
    CK_RV rv;
    tk_op *inner = NULL;
    tk_op *op = NULL;
    tk_vsig_op *v;

    rv = tk_mech_op_init(TK_OP_VERIFY, m, key, &inner);
    if (rv != CKR_OK) {
        return rv;
    }
    rv = tk_op_alloc(sizeof(tk_vsig_op), &tk_vsig_vt, TK_OP_VERIFY_SIGNATURE, m->mechanism,
                     &op);
    if (rv != CKR_OK) {
        tk_op_free(inner);
        return rv;
    }
    v = (tk_vsig_op *)op;
    v->inner = inner;
    v->sig = malloc(sig_len ? sig_len : 1);
    if (v->sig == NULL) {
        tk_op_free(op);
        return CKR_HOST_MEMORY;
    }
    if (sig_len > 0) {
        memcpy(v->sig, sig, sig_len);
    }
    v->sig_len = sig_len;
    *out = op;
    return CKR_OK;
}

CK_RV
tk_op_alloc(size_t size, const tk_op_vtbl *vt, tk_op_kind kind, CK_MECHANISM_TYPE mech,
            tk_op **out)
{
    /* Not calloc: glibc serves calloc without its per-thread cache, and
     * an operation is allocated on every C_*Init. explicit_bzero, because
     * the compiler turns malloc followed by memset back into calloc. */
    tk_op *op = malloc(size);

    if (op == NULL) {
        return CKR_HOST_MEMORY;
    }
    explicit_bzero(op, size);
    op->vt = vt;
    op->kind = kind;
    op->mech = mech;
    *out = op;
    return CKR_OK;
}

void
tk_op_release(tk_op *op, size_t size)
{
    tk_wipe(op, size);
    free(op);
}

void
tk_op_free(tk_op *op)
{
    if (op != NULL) {
        free(op->param);
        op->param = NULL;
        op->vt->free(op);
    }
}

/* Key management entry points: find the descriptor, check it does the
 * job, call it. */
#define TK_MECH_DISPATCH(m, hook, flag, ...)                                 \
    do {                                                                   \
        const tk_mech_desc *d_ = tk_mech_find((m)->mechanism);             \
        if (d_ == NULL || d_->hook == NULL || !(d_->flags & (flag))) {     \
            return CKR_MECHANISM_INVALID;                                  \
        }                                                                  \
        return d_->hook(d_, (m), __VA_ARGS__);                             \
    } while (0)

CK_RV
tk_mech_generate_key(const CK_MECHANISM *m, const CK_ATTRIBUTE *tmpl, CK_ULONG n,
                     CK_KEY_TYPE *key_type, tk_mech_attrs *out)
{
    TK_MECH_DISPATCH(m, generate, CKF_GENERATE, tmpl, n, key_type, out);
}

CK_RV
tk_mech_generate_key_pair(const CK_MECHANISM *m, const CK_ATTRIBUTE *pub_tmpl, CK_ULONG n_pub,
                          const CK_ATTRIBUTE *priv_tmpl, CK_ULONG n_priv, CK_KEY_TYPE *key_type,
                          tk_mech_attrs *pub_out, tk_mech_attrs *priv_out)
{
    TK_MECH_DISPATCH(m, generate_pair, CKF_GENERATE_KEY_PAIR, pub_tmpl, n_pub, priv_tmpl, n_priv,
                     key_type, pub_out, priv_out);
}

CK_RV
tk_mech_derive(const CK_MECHANISM *m, const tk_key *base, const CK_ATTRIBUTE *tmpl, CK_ULONG n,
               tk_mech_attrs *out)
{
    TK_MECH_DISPATCH(m, derive, CKF_DERIVE, base, tmpl, n, out);
}

CK_RV
tk_mech_wrap(const CK_MECHANISM *m, const tk_key *wrapping, const tk_key *key, uint8_t *out,
             CK_ULONG *out_len)
{
    TK_MECH_DISPATCH(m, wrap, CKF_WRAP, wrapping, key, out, out_len);
}

CK_RV
tk_mech_unwrap(const CK_MECHANISM *m, const tk_key *unwrapping, const uint8_t *in,
               CK_ULONG in_len, const CK_ATTRIBUTE *tmpl, CK_ULONG n, tk_mech_attrs *out)
{
    TK_MECH_DISPATCH(m, unwrap, CKF_UNWRAP, unwrapping, in, in_len, tmpl, n, out);
}

CK_RV
tk_mech_encapsulate(const CK_MECHANISM *m, const tk_key *pub, const CK_ATTRIBUTE *tmpl,
                    CK_ULONG n, uint8_t *ct, CK_ULONG *ct_len, tk_mech_attrs *out)
{
    TK_MECH_DISPATCH(m, encapsulate, CKF_ENCAPSULATE, pub, tmpl, n, ct, ct_len, out);
}

CK_RV
tk_mech_decapsulate(const CK_MECHANISM *m, const tk_key *priv, const CK_ATTRIBUTE *tmpl,
                    CK_ULONG n, const uint8_t *ct, CK_ULONG ct_len, tk_mech_attrs *out)
{
    TK_MECH_DISPATCH(m, decapsulate, CKF_DECAPSULATE, priv, tmpl, n, ct, ct_len, out);
}

CK_RV
tk_mech_complete_key(CK_OBJECT_CLASS cls, CK_KEY_TYPE type, const CK_ATTRIBUTE *tmpl,
                     CK_ULONG n, tk_mech_attrs *out)
{
    if (type == CKK_ML_KEM || type == CKK_ML_DSA || type == CKK_SLH_DSA) {
        return tk_mech_pqc_complete_key(cls, type, tmpl, n, out);
    }
    if (type == CKK_EC || type == CKK_EC_EDWARDS || type == CKK_EC_MONTGOMERY) {
        return tk_mech_ec_complete_key(cls, type, tmpl, n, out);
    }
    return CKR_OK;
}

void
tk_mech_configure(const tk_mech_config *cfg)
{
    tk_mech_rsa_configure(cfg->rsa_min_bits);
}
