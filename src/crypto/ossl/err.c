/* OpenSSL result conversion; see err.h. */
#include "crypto/ossl/err.h"

#include <openssl/err.h>

#include "util/log.h"

CK_RV
tk_ossl_rv(int ossl_ok, CK_RV on_fail)
{
    unsigned long e = ERR_peek_error();
    char reason[256];

    if (e != 0 && ossl_ok != 1 && tk_log_enabled(TK_LOG_ERROR)) {
        ERR_error_string_n(e, reason, sizeof(reason));
        TK_ERROR("openssl: %s", reason);
    }
    /* Clearing an empty queue still costs hundreds of nanoseconds, which
     * matters on the per-message path; e is the oldest queued error. */
    if (e != 0) {
        ERR_clear_error();
    }
    return ossl_ok == 1 ? CKR_OK : on_fail;
}

CK_RV
tk_ossl_rv_expected(int ossl_ok, CK_RV on_fail)
{
    if (ossl_ok == 1) {
        return CKR_OK;
    }
    if (ERR_peek_error() != 0) {
        TK_DEBUG("openssl: operation refused the input");
        ERR_clear_error();
    }
    return on_fail;
}
