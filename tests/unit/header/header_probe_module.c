/*
 * Stand-in module for the header test: proves that CK_DEFINE_FUNCTION
 * exports an entry point although the project builds with
 * -fvisibility=hidden, while an ordinary function stays hidden.
 */
#include <trustoken/pkcs11.h>

#include <string.h>

/* Not declared in any header: it must not be visible outside the module. */
int tk_header_probe_hidden(void);

int
tk_header_probe_hidden(void)
{
    return 1;
}

CK_DEFINE_FUNCTION(CK_RV, C_GetInfo)(CK_INFO_PTR pInfo)
{
    if (pInfo == NULL_PTR) {
        return CKR_ARGUMENTS_BAD;
    }
    memset(pInfo, ' ', sizeof(*pInfo));
    pInfo->cryptokiVersion.major = CRYPTOKI_VERSION_MAJOR;
    pInfo->cryptokiVersion.minor = CRYPTOKI_VERSION_MINOR;
    pInfo->flags = 0;
    pInfo->libraryVersion.major = 0;
    pInfo->libraryVersion.minor = 1;
    return CKR_OK;
}
