/* Output lengths and saved operation state; see digest_internal.h. */
#include <stdlib.h>
#include <string.h>

#include "mech/digest_internal.h"
#include "util/check.h"
#include "util/wipe.h"

static const uint8_t tk_digest_state_magic[4] = {'T', 'K', 'O', 'S'};

int
tk_digest_sized_only(size_t need, const uint8_t *out, CK_ULONG *out_len, CK_RV *rv)
{
    if (out != NULL && *out_len >= need) {
        return 0;
    }
    *rv = out == NULL ? CKR_OK : CKR_BUFFER_TOO_SMALL;
    *out_len = need;
    return 1;
}

void
tk_digest_log_clear(tk_digest_log *log)
{
    tk_free_secret(log->data, log->cap);
    memset(log, 0, sizeof(*log));
}

static void
tk_digest_log_drop(tk_digest_log *log)
{
    tk_digest_log_clear(log);
    log->unsaveable = 1;
}

void
tk_digest_log_add(tk_digest_log *log, const uint8_t *in, size_t len)
{
    uint8_t *grown;
    size_t cap;

    if (log->unsaveable || len == 0) {
        return;
    }
    if (len > TK_DIGEST_LOG_MAX - log->len) {
        tk_digest_log_drop(log);
        return;
    }
    if (log->len + len > log->cap) {
        cap = log->cap ? log->cap : 256;
        while (cap < log->len + len) {
            cap *= 2;
        }
        /* Not realloc(): the old block would be freed unwiped. */
        grown = malloc(cap);
        if (grown == NULL) {
            tk_digest_log_drop(log);
            return;
        }
        if (log->len > 0) {
            memcpy(grown, log->data, log->len);
        }
        tk_free_secret(log->data, log->cap);
        log->data = grown;
        log->cap = cap;
    }
    memcpy(log->data + log->len, in, len);
    log->len += len;
}

static void
tk_digest_put_be(uint8_t *p, uint64_t v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        p[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
    }
}

static uint64_t
tk_digest_get_be(const uint8_t *p, size_t n)
{
    uint64_t v = 0;

    for (size_t i = 0; i < n; i++) {
        v = (v << 8) | p[i];
    }
    return v;
}

CK_RV
tk_digest_log_save(const tk_digest_log *log, const tk_op *op, uint64_t param, uint8_t *out,
                   CK_ULONG *out_len)
{
    CK_RV rv = CKR_OK;
    size_t need = TK_DIGEST_STATE_HDR + log->len;

    TK_CHECK(!log->unsaveable, CKR_STATE_UNSAVEABLE);
    if (!tk_digest_sized_only(need, out, out_len, &rv)) {
        memcpy(out, tk_digest_state_magic, sizeof(tk_digest_state_magic));
        tk_digest_put_be(out + 4, TK_DIGEST_STATE_VERSION, 2);
        tk_digest_put_be(out + 6, (uint64_t)op->kind, 2);
        tk_digest_put_be(out + 8, op->mech, 8);
        tk_digest_put_be(out + 16, param, 8);
        tk_digest_put_be(out + 24, log->len, 8);
        if (log->len > 0) {
            memcpy(out + TK_DIGEST_STATE_HDR, log->data, log->len);
        }
        *out_len = need;
    }
out:
    return rv;
}

CK_RV
tk_digest_log_check(const tk_op *op, uint64_t param, const uint8_t *in, CK_ULONG len,
                    const uint8_t **data, size_t *n)
{
    CK_RV rv = CKR_OK;
    uint64_t got;

    TK_CHECK(in != NULL && len >= TK_DIGEST_STATE_HDR, CKR_SAVED_STATE_INVALID);
    TK_CHECK(memcmp(in, tk_digest_state_magic, sizeof(tk_digest_state_magic)) == 0,
             CKR_SAVED_STATE_INVALID);
    TK_CHECK(tk_digest_get_be(in + 4, 2) == TK_DIGEST_STATE_VERSION, CKR_SAVED_STATE_INVALID);
    TK_CHECK(tk_digest_get_be(in + 6, 2) == (uint64_t)op->kind, CKR_SAVED_STATE_INVALID);
    TK_CHECK(tk_digest_get_be(in + 8, 8) == op->mech, CKR_SAVED_STATE_INVALID);
    TK_CHECK(tk_digest_get_be(in + 16, 8) == param, CKR_SAVED_STATE_INVALID);
    got = tk_digest_get_be(in + 24, 8);
    TK_CHECK(got <= TK_DIGEST_LOG_MAX && got == len - TK_DIGEST_STATE_HDR,
             CKR_SAVED_STATE_INVALID);
    *data = in + TK_DIGEST_STATE_HDR;
    *n = (size_t)got;
out:
    return rv;
}
