/* Random bytes; see rand.h. */
#include "crypto/ossl/rand.h"

#include <limits.h>
#include <openssl/err.h>
#include <openssl/rand.h>

CK_RV
tk_ossl_random(void *buf, size_t len)
{
    unsigned char *p = buf;

    /* RAND_bytes takes an int length: feed large requests in pieces. */
    while (len > 0) {
        int chunk = len > INT_MAX ? INT_MAX : (int)len;
        if (RAND_bytes(p, chunk) != 1) {
            ERR_clear_error();
            return CKR_FUNCTION_FAILED;
        }
        p += chunk;
        len -= (size_t)chunk;
    }
    return CKR_OK;
}

CK_RV
tk_ossl_seed(const void *buf, size_t len)
{
    const unsigned char *p = buf;

    while (len > 0) {
        int chunk = len > INT_MAX ? INT_MAX : (int)len;
        /* Claim no entropy: the caller's bytes are not trusted. */
        RAND_add(p, chunk, 0.0);
        p += chunk;
        len -= (size_t)chunk;
    }
    return CKR_OK;
}
