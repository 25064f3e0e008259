/*
 * The one error idiom of every layer that returns CK_RV: a function keeps
 * `CK_RV rv = CKR_OK;`, has a single `out:` label that wipes and frees, and
 * ends with `return rv;`.
 *
 *   TK_GUARD(call)        propagate a failed call
 *   TK_CHECK(cond, code)  fail with code when cond is false
 */
#ifndef TK_UTIL_CHECK_H
#define TK_UTIL_CHECK_H

#define TK_GUARD(call)                                                     \
    do {                                                                   \
        rv = (call);                                                       \
        if (rv != CKR_OK) {                                                \
            goto out;                                                      \
        }                                                                  \
    } while (0)

#define TK_CHECK(cond, code)                                               \
    do {                                                                   \
        if (!(cond)) {                                                     \
            rv = (code);                                                   \
            goto out;                                                      \
        }                                                                  \
    } while (0)

#endif
