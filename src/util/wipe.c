#include "util/wipe.h"

#include <stdlib.h>
#include <string.h>

/* See wipe.h. The volatile function pointer hides memset from dead-store
 * elimination; the barrier stops the compiler reasoning about the bytes. */
static void *(*const volatile tk_memset_fn)(void *, int, size_t) = memset;

void
tk_wipe(void *p, size_t len)
{
    if (p == NULL || len == 0) {
        return;
    }
    tk_memset_fn(p, 0, len);
    __asm__ __volatile__("" : : "r"(p) : "memory");
}

void
tk_free_secret(void *p, size_t len)
{
    if (p == NULL) {
        return;
    }
    tk_wipe(p, len);
    free(p);
}

int
tk_ct_memcmp(const void *a, const void *b, size_t len)
{
    const volatile unsigned char *x = a;
    const volatile unsigned char *y = b;
    unsigned char acc = 0;

    for (size_t i = 0; i < len; i++) {
        acc |= (unsigned char)(x[i] ^ y[i]);
    }
    return (int)((acc + 0xFFu) >> 8);
}
