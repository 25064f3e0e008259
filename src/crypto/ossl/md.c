/* Message digests; see md.h. */
#include "crypto/ossl/md.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "crypto/ossl/err.h"
#include "util/check.h"
#include "util/srw.h"
#include "util/wipe.h"

/* The opaque context is OpenSSL's own: no second allocation per hash. */
#define TK_MD_EVP(ctx) ((EVP_MD_CTX *)(void *)(ctx))

/*
 * tk_ossl_rv() on failure only. Emptying the error queue walks all its
 * slots and was a fifth of a 64-byte C_Digest; the digest calls used here
 * add nothing to the queue when they succeed, so a success skips it.
 */
static inline CK_RV
tk_md_rv(int ossl_ok, CK_RV on_fail)
{
    return ossl_ok == 1 ? CKR_OK : tk_ossl_rv(ossl_ok, on_fail);
}

static const struct {
    const char *name;
    size_t size;
} tk_md_table[TK_MD_COUNT] = {
    [TK_MD_SHA1] = {"SHA1", 20},
    [TK_MD_SHA224] = {"SHA2-224", 28},
    [TK_MD_SHA256] = {"SHA2-256", 32},
    [TK_MD_SHA384] = {"SHA2-384", 48},
    [TK_MD_SHA512] = {"SHA2-512", 64},
    [TK_MD_SHA512_224] = {"SHA2-512/224", 28},
    [TK_MD_SHA512_256] = {"SHA2-512/256", 32},
    [TK_MD_SHA3_224] = {"SHA3-224", 28},
    [TK_MD_SHA3_256] = {"SHA3-256", 32},
    [TK_MD_SHA3_384] = {"SHA3-384", 48},
    [TK_MD_SHA3_512] = {"SHA3-512", 64},
};

/*
 * Fetched once: an explicit fetch per hash costs a lookup in OpenSSL's
 * method store and a reference count round trip. They are released when
 * the module is unloaded (tk_md_unload).
 */
static EVP_MD *tk_md_algs[TK_MD_COUNT];
static pthread_once_t tk_md_once = PTHREAD_ONCE_INIT;
static atomic_int tk_md_fetched;

/*
 * Spare contexts, one per digest and thread slot, kept re-initialised
 * after use: a 64-byte C_Digest otherwise spends as long allocating and
 * freeing its context as hashing. They hold only the digest's initial
 * value, never caller data. Per thread slot, on cache lines of their own,
 * so that threads hashing at once do not pass one line (and the digest's
 * reference count, touched when a context is made) between cores; a slot
 * two threads share still works, the exchange is atomic.
 */
typedef struct {
    _Alignas(64) _Atomic(EVP_MD_CTX *) ctx[TK_MD_COUNT];
} tk_md_spares;

static tk_md_spares tk_md_spare[TK_SRW_SHARDS];

static void
tk_md_fetch_all(void)
{
    for (size_t i = 0; i < TK_MD_COUNT; i++) {
        tk_md_algs[i] = EVP_MD_fetch(NULL, tk_md_table[i].name, NULL);
    }
    /* An algorithm the library does not offer stays NULL; not an error. */
    (void)tk_ossl_rv(1, CKR_OK);
    atomic_store(&tk_md_fetched, 1);
}

/* The fetched algorithm of id, or NULL. */
static const EVP_MD *
tk_md_alg(tk_md_id id)
{
    if ((unsigned)id >= TK_MD_COUNT) {
        return NULL;
    }
    pthread_once(&tk_md_once, tk_md_fetch_all);
    return tk_md_algs[id];
}

/*
 * On dlclose() the module's memory goes, so what it fetched is freed here
 * or leaks. At process exit OpenSSL's atexit cleanup runs first and has
 * already released the providers these objects point into; freeing them
 * then would touch freed memory, so after that cleanup they are left.
 */
__attribute__((destructor)) static void
tk_md_unload(void)
{
    /* Never fetched: nothing to free, and OpenSSL need not wake up. */
    if (!atomic_load(&tk_md_fetched)) {
        return;
    }
    /* OpenSSL answers 0 once its cleanup has run. */
    if (OPENSSL_init_crypto(0, NULL) != 1) {
        return;
    }
    for (size_t i = 0; i < TK_MD_COUNT; i++) {
        for (size_t t = 0; t < TK_SRW_SHARDS; t++) {
            EVP_MD_CTX_free(atomic_exchange(&tk_md_spare[t].ctx[i], NULL));
        }
        EVP_MD_free(tk_md_algs[i]);
        tk_md_algs[i] = NULL;
    }
}

size_t
tk_ossl_md_size(tk_md_id id)
{
    return (unsigned)id < TK_MD_COUNT ? tk_md_table[id].size : 0;
}

const char *
tk_ossl_md_name(tk_md_id id)
{
    return (unsigned)id < TK_MD_COUNT ? tk_md_table[id].name : NULL;
}

/* The id of a context's digest, or TK_MD_COUNT. */
static tk_md_id
tk_md_id_of(const EVP_MD_CTX *c)
{
    const EVP_MD *md = EVP_MD_CTX_get0_md(c);
    size_t i = 0;

    while (i < TK_MD_COUNT && (md == NULL || tk_md_algs[i] != md)) {
        i++;
    }
    return (tk_md_id)i;
}

CK_RV
tk_ossl_md_new(tk_md_id id, tk_ossl_md_ctx **out)
{
    CK_RV rv = CKR_OK;
    const EVP_MD *md = tk_md_alg(id);
    EVP_MD_CTX *c = NULL;

    TK_CHECK(md != NULL, CKR_MECHANISM_INVALID);
    c = atomic_exchange(&tk_md_spare[tk_thread_slot()].ctx[id], NULL);
    if (c == NULL) {
        c = EVP_MD_CTX_new();
        TK_GUARD(tk_md_rv(c != NULL, CKR_HOST_MEMORY));
        TK_GUARD(tk_md_rv(EVP_DigestInit_ex2(c, md, NULL), CKR_FUNCTION_FAILED));
    }
    *out = (tk_ossl_md_ctx *)(void *)c;
    c = NULL;
out:
    EVP_MD_CTX_free(c);
    return rv;
}

CK_RV
tk_ossl_md_reset(tk_ossl_md_ctx *ctx)
{
    EVP_MD_CTX *c = TK_MD_EVP(ctx);

    return tk_md_rv(EVP_DigestInit_ex2(c, EVP_MD_CTX_get0_md(c), NULL), CKR_FUNCTION_FAILED);
}

CK_RV
tk_ossl_md_update(tk_ossl_md_ctx *ctx, const uint8_t *in, size_t len)
{
    if (len == 0) {
        return CKR_OK;
    }
    return tk_md_rv(EVP_DigestUpdate(TK_MD_EVP(ctx), in, len), CKR_FUNCTION_FAILED);
}

CK_RV
tk_ossl_md_final(tk_ossl_md_ctx *ctx, uint8_t *out)
{
    CK_RV rv = CKR_OK;
    EVP_MD_CTX *c = TK_MD_EVP(ctx);
    uint8_t buf[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    size_t want = (size_t)EVP_MD_CTX_get_size(c);

    /* Through a local buffer: OpenSSL may write up to its maximum. */
    TK_GUARD(tk_md_rv(EVP_DigestFinal_ex(c, buf, &n), CKR_FUNCTION_FAILED));
    TK_CHECK(n == want && want <= TK_MD_MAX_SIZE, CKR_FUNCTION_FAILED);
    memcpy(out, buf, n);
out:
    tk_wipe(buf, sizeof(buf));
    return rv;
}

void
tk_ossl_md_free(tk_ossl_md_ctx *ctx)
{
    EVP_MD_CTX *c = TK_MD_EVP(ctx);
    tk_md_id id;

    if (c == NULL) {
        return;
    }
    /* Re-initialising overwrites whatever the context absorbed. */
    id = tk_md_id_of(c);
    if (id < TK_MD_COUNT && tk_md_rv(EVP_DigestInit_ex2(c, tk_md_algs[id], NULL),
                                     CKR_FUNCTION_FAILED) == CKR_OK) {
        c = atomic_exchange(&tk_md_spare[tk_thread_slot()].ctx[id], c);
    }
    /* EVP_MD_CTX_free() cleanses the provider's state before freeing. */
    EVP_MD_CTX_free(c);
}

CK_RV
tk_ossl_md_oneshot(tk_md_id id, const uint8_t *in, size_t len, uint8_t *out)
{
    CK_RV rv = CKR_OK;
    tk_ossl_md_ctx *ctx = NULL;

    TK_GUARD(tk_ossl_md_new(id, &ctx));
    TK_GUARD(tk_ossl_md_update(ctx, in, len));
    TK_GUARD(tk_ossl_md_final(ctx, out));
out:
    tk_ossl_md_free(ctx);
    return rv;
}
