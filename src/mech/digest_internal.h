/*
 * Helpers the digest and MAC families share (digest_state.c): the output
 * length rule of [PKCS11 3.2 §5.2], and the saved operation state.
 *
 * Saved state. OpenSSL 3.0 cannot export a hash or MAC state, so an
 * operation saves the data it has absorbed so far, and restoring hashes
 * that data again. The state stays valid across processes and library
 * versions; only the first TK_DIGEST_LOG_MAX bytes are kept, and an
 * operation that absorbed more answers CKR_STATE_UNSAVEABLE. A MAC state
 * holds no key: the session layer keys the operation again on restore.
 *
 * Layout, all integers big-endian (format version 1):
 *   offset  0  4 bytes  "TKOS"
 *   offset  4  2 bytes  format version (1)
 *   offset  6  2 bytes  operation kind (tk_op_kind)
 *   offset  8  8 bytes  mechanism type
 *   offset 16  8 bytes  output length (a MAC's tag length; 0 for digests)
 *   offset 24  8 bytes  n, the number of data bytes that follow
 *   offset 32  n bytes  the data absorbed so far
 *
 * The state holds the caller's data in the clear; the session layer must
 * refuse to save a digest that absorbed a key (C_DigestKey).
 */
#ifndef TK_MECH_DIGEST_INTERNAL_H
#define TK_MECH_DIGEST_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "mech/mech_internal.h"

#define TK_DIGEST_STATE_VERSION 1
#define TK_DIGEST_STATE_HDR 32
#define TK_DIGEST_LOG_MAX ((size_t)1 << 20)

/* The data an operation absorbed; zero-initialised means empty. */
typedef struct {
    uint8_t *data;
    size_t len;
    size_t cap;
    int unsaveable;  /* more than TK_DIGEST_LOG_MAX absorbed */
} tk_digest_log;

/*
 * [PKCS11 3.2 §5.2]: 1 when the call only learns the output length (out
 * NULL: CKR_OK) or is refused for a short buffer (CKR_BUFFER_TOO_SMALL);
 * *rv gets that answer and *out_len the length. 0 when out has room.
 */
int
tk_digest_sized_only(size_t need, const uint8_t *out, CK_ULONG *out_len, CK_RV *rv);

/*
 * Append len bytes to the log. Past the limit, or when memory runs out,
 * the copy is dropped and the log marked unsaveable: the operation itself
 * never fails for the state's sake.
 */
void
tk_digest_log_add(tk_digest_log *log, const uint8_t *in, size_t len);

/* Wipe and free the log's data; it is empty and saveable again. */
void
tk_digest_log_clear(tk_digest_log *log);

/*
 * Write op's saved state (layout above) with output length param:
 * CKR_STATE_UNSAVEABLE when the log is, else the §5.2 length rules.
 */
CK_RV
tk_digest_log_save(const tk_digest_log *log, const tk_op *op, uint64_t param, uint8_t *out,
                   CK_ULONG *out_len);

/*
 * Check a saved state against op (kind and mechanism) and param; on
 * CKR_OK *data and *n point at its data part. CKR_SAVED_STATE_INVALID
 * for anything else.
 */
CK_RV
tk_digest_log_check(const tk_op *op, uint64_t param, const uint8_t *in, CK_ULONG len,
                    const uint8_t **data, size_t *n);

#endif
