/*
 * Raw values in and out of the token: import --raw of secret keys (AES,
 * ChaCha20, generic, HKDF and HMAC) [PKCS11 3.2 §4.10], and export of
 * the CKA_VALUE of a secret key or a data object. The module decides
 * what may leave it: a sensitive or non-extractable key's value comes
 * back as CKR_ATTRIBUTE_SENSITIVE, and the tool only explains why.
 */
#include "tool.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

/* Secret key files larger than this are refused: no key type needs more. */
#define TK_SECRET_MAX 4096

/* What a key may be used for, by family. */
#define TK_USE_CIPHER 1u        /* encrypt, decrypt, wrap, unwrap */
#define TK_USE_MAC    2u        /* sign, verify */
#define TK_USE_DERIVE 4u

/* One --key-type word of a secret key. */
struct tk_secret_type {
    const char *name;
    CK_KEY_TYPE type;
    unsigned use;
};

/* The secret key types the module's object layer accepts. */
static const struct tk_secret_type tk_secret_types[] = {
    { "aes", CKK_AES, TK_USE_CIPHER },
    { "chacha20", CKK_CHACHA20, TK_USE_CIPHER },
    { "generic", CKK_GENERIC_SECRET, TK_USE_MAC | TK_USE_DERIVE },
    { "hkdf", CKK_HKDF, TK_USE_DERIVE },
    { "hmac-sha1", CKK_SHA_1_HMAC, TK_USE_MAC },
    { "hmac-sha224", CKK_SHA224_HMAC, TK_USE_MAC },
    { "hmac-sha256", CKK_SHA256_HMAC, TK_USE_MAC },
    { "hmac-sha384", CKK_SHA384_HMAC, TK_USE_MAC },
    { "hmac-sha512", CKK_SHA512_HMAC, TK_USE_MAC },
    { "hmac-sha512-224", CKK_SHA512_224_HMAC, TK_USE_MAC },
    { "hmac-sha512-256", CKK_SHA512_256_HMAC, TK_USE_MAC },
    { "hmac-sha3-224", CKK_SHA3_224_HMAC, TK_USE_MAC },
    { "hmac-sha3-256", CKK_SHA3_256_HMAC, TK_USE_MAC },
    { "hmac-sha3-384", CKK_SHA3_384_HMAC, TK_USE_MAC },
    { "hmac-sha3-512", CKK_SHA3_512_HMAC, TK_USE_MAC },
};

static const CK_BBOOL tk_secret_true = CK_TRUE;
static const CK_BBOOL tk_secret_false = CK_FALSE;

/* The entry for a --key-type word, or NULL. */
static const struct tk_secret_type *
tk_secret_lookup(const char *name)
{
    size_t i;

    for (i = 0; name != NULL && i < sizeof(tk_secret_types) / sizeof(tk_secret_types[0]);
         i++) {
        if (strcmp(name, tk_secret_types[i].name) == 0) {
            return &tk_secret_types[i];
        }
    }
    return NULL;
}

/* See tool.h. */
int
tk_tool_is_secret_type(const char *name)
{
    return tk_secret_lookup(name) != NULL;
}

/*
 * Read the whole key file into buf (TK_SECRET_MAX bytes). Returns the
 * length, 0 for an empty file, or -1 for an unreadable or too large one.
 */
static long
tk_secret_read(const char *path, unsigned char *buf)
{
    FILE *f = fopen(path, "rb");
    size_t n;
    int more;

    if (f == NULL) {
        return -1;
    }
    n = fread(buf, 1, TK_SECRET_MAX, f);
    /* One byte past the limit tells a too large file from a full one. */
    more = fgetc(f) != EOF;
    if (ferror(f) || more) {
        n = (size_t)-1;
    }
    fclose(f);
    return n == (size_t)-1 ? -1 : (long)n;
}

/* Refuse a length the key type cannot have, with a message; 0 or -1. */
static int
tk_secret_check_len(const struct tk_secret_type *t, long len)
{
    if (t->type == CKK_AES && len != 16 && len != 24 && len != 32) {
        tk_tool_err("an AES key is 16, 24 or 32 bytes; the file holds %ld", len);
        return -1;
    }
    if (t->type == CKK_CHACHA20 && len != 32) {
        tk_tool_err("a ChaCha20 key is 32 bytes; the file holds %ld", len);
        return -1;
    }
    if (len <= 0) {
        tk_tool_err("the key file is empty");
        return -1;
    }
    return 0;
}

/* Set one CK_BBOOL attribute at a[*n]. */
static void
tk_secret_bool(CK_ATTRIBUTE *a, CK_ULONG *n, CK_ATTRIBUTE_TYPE type, int v)
{
    a[*n].type = type;
    a[*n].pValue = (void *)(v ? &tk_secret_true : &tk_secret_false);
    a[*n].ulValueLen = sizeof(CK_BBOOL);
    (*n)++;
}

/* The usage flags of t, all set to true. */
static void
tk_secret_usage(CK_ATTRIBUTE *a, CK_ULONG *n, const struct tk_secret_type *t)
{
    if (t->use & TK_USE_CIPHER) {
        tk_secret_bool(a, n, CKA_ENCRYPT, 1);
        tk_secret_bool(a, n, CKA_DECRYPT, 1);
        tk_secret_bool(a, n, CKA_WRAP, 1);
        tk_secret_bool(a, n, CKA_UNWRAP, 1);
    }
    if (t->use & TK_USE_MAC) {
        tk_secret_bool(a, n, CKA_SIGN, 1);
        tk_secret_bool(a, n, CKA_VERIFY, 1);
    }
    if (t->use & TK_USE_DERIVE) {
        tk_secret_bool(a, n, CKA_DERIVE, 1);
    }
}

/* C_CreateObject of the secret key value with the options' attributes. */
static int
tk_secret_create(struct tk_tool_module *m, CK_SESSION_HANDLE h,
                 const struct tk_tool_opts *opts, const struct tk_secret_type *t,
                 unsigned char *value, size_t len, const unsigned char *id, size_t id_len)
{
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_KEY_TYPE kt = t->type;
    CK_ATTRIBUTE a[16] = {
        { CKA_CLASS, &cls, sizeof(cls) },
        { CKA_KEY_TYPE, &kt, sizeof(kt) },
        { CKA_VALUE, value, (CK_ULONG)len },
        { CKA_ID, (void *)id, (CK_ULONG)id_len },
    };
    CK_ULONG n = 4;
    CK_OBJECT_HANDLE obj;
    CK_RV rv;
    size_t i;

    if (opts->label != NULL) {
        a[n].type = CKA_LABEL;
        a[n].pValue = (void *)opts->label;
        a[n].ulValueLen = (CK_ULONG)strlen(opts->label);
        n++;
    }
    tk_secret_bool(a, &n, CKA_TOKEN, 1);
    tk_secret_bool(a, &n, CKA_PRIVATE, 1);
    tk_secret_bool(a, &n, CKA_SENSITIVE, opts->sensitive >= 0);
    tk_secret_bool(a, &n, CKA_EXTRACTABLE, opts->extractable);
    tk_secret_usage(a, &n, t);
    rv = m->fl->C_CreateObject(h, a, n, &obj);
    if (rv != CKR_OK) {
        tk_tool_err("storing the %s secret key failed: %s", t->name, tk_tool_ckr_name(rv));
        return TK_EXIT_P11;
    }
    printf("Imported %s secret key id=", t->name);
    for (i = 0; i < id_len; i++) {
        printf("%02x", id[i]);
    }
    printf("\n");
    return TK_EXIT_OK;
}

/* Log in and store the key; the id is --id, else 20 random bytes, since
 * a hash of the value would leak something about the key. */
static int
tk_secret_store(struct tk_tool_module *m, const struct tk_tool_opts *opts,
                const struct tk_secret_type *t, unsigned char *value, size_t len)
{
    struct tk_tool_session s;
    unsigned char id[TK_TOOL_MAX_ID];
    size_t id_len = 20;
    char *pin = NULL;
    CK_SLOT_ID slot;
    int rc;

    if (opts->have_id) {
        memcpy(id, opts->id, opts->id_len);
        id_len = opts->id_len;
    } else if (RAND_bytes(id, (int)id_len) != 1) {
        tk_tool_err("cannot make a random id; give --id");
        return TK_EXIT_INPUT;
    }
    rc = tk_tool_pick_slot(m, opts, &slot);
    if (rc == TK_EXIT_OK) {
        rc = tk_tool_pin_get(opts, TK_PIN_USER, 0, &pin);
    }
    if (rc == TK_EXIT_OK) {
        rc = tk_tool_session_open(m, slot, 1, CKU_USER, pin, &s);
    }
    tk_tool_pin_free(pin);
    if (rc == TK_EXIT_OK) {
        rc = tk_secret_create(m, s.h, opts, t, value, len, id, id_len);
        tk_tool_session_close(m, &s);
    }
    return rc;
}

/* See tool.h. */
int
tk_tool_import_secret(struct tk_tool_module *m, const struct tk_tool_opts *opts)
{
    const struct tk_secret_type *t = tk_secret_lookup(opts->key_type);
    unsigned char value[TK_SECRET_MAX];
    long len;
    int rc;

    if (t == NULL || (opts->cls != TK_CLASS_ANY && opts->cls != CKO_SECRET_KEY)) {
        tk_tool_err("a raw secret key needs --key-type aes|chacha20|generic|hkdf|hmac-... "
                    "and no --class other than secret");
        return TK_EXIT_USAGE;
    }
    len = tk_secret_read(opts->pos[0], value);
    if (len < 0) {
        tk_tool_err("cannot read %s (or it is over %d bytes)", opts->pos[0], TK_SECRET_MAX);
        rc = TK_EXIT_INPUT;
    } else if (tk_secret_check_len(t, len) != 0) {
        rc = TK_EXIT_INPUT;
    } else {
        rc = tk_secret_store(m, opts, t, value, (size_t)len);
    }
    OPENSSL_cleanse(value, sizeof(value));
    return rc;
}

/* ---- export of raw values ---- */

/*
 * Explain a refused CKA_VALUE of a secret key by reading CKA_SENSITIVE and
 * CKA_EXTRACTABLE, which the module always reveals.
 */
static int
tk_secret_refused(struct tk_tool_module *m, CK_SESSION_HANDLE h, CK_OBJECT_HANDLE obj)
{
    CK_BBOOL sens = CK_FALSE, extr = CK_TRUE;
    CK_ATTRIBUTE a[2] = {
        { CKA_SENSITIVE, &sens, sizeof(sens) },
        { CKA_EXTRACTABLE, &extr, sizeof(extr) },
    };

    if (m->fl->C_GetAttributeValue(h, obj, a, 2) != CKR_OK) {
        sens = CK_TRUE;
    }
    tk_tool_err("the token will not reveal this key's value (CKR_ATTRIBUTE_SENSITIVE): "
                "it is %s%s%s; only a key imported with --no-sensitive --extractable "
                "can be exported",
                sens ? "sensitive" : "", sens && !extr ? " and " : "",
                extr ? "" : "not extractable");
    return TK_EXIT_P11;
}

/* Open --out (mode 0600, since it may hold a key) or stdout; NULL after a message. */
static FILE *
tk_secret_open_out(const char *path)
{
    FILE *f;
    int fd;

    if (path == NULL) {
        return stdout;
    }
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (f == NULL) {
        tk_tool_err("cannot open %s for writing: %s", path, strerror(errno));
        if (fd >= 0) {
            close(fd);
        }
    }
    return f;
}

/* Write len bytes of v to --out or stdout. */
static int
tk_secret_write(const char *path, const unsigned char *v, size_t len)
{
    FILE *f = tk_secret_open_out(path);
    int ok;

    if (f == NULL) {
        return TK_EXIT_INPUT;
    }
    ok = fwrite(v, 1, len, f) == len;
    ok = (f == stdout ? fflush(f) : fclose(f)) == 0 && ok;
    if (!ok) {
        tk_tool_err("cannot write %s", path != NULL ? path : "stdout");
        return TK_EXIT_INPUT;
    }
    return TK_EXIT_OK;
}

/* See tool.h. */
int
tk_tool_export_value(struct tk_tool_module *m, CK_SESSION_HANDLE h, CK_OBJECT_HANDLE obj,
                     CK_OBJECT_CLASS cls, const char *path)
{
    unsigned char *v = NULL;
    size_t len = 0;
    CK_RV rv;
    int rc;

    rv = tk_tool_get_attr(m, h, obj, CKA_VALUE, &v, &len);
    if (rv == CKR_ATTRIBUTE_SENSITIVE && cls == CKO_SECRET_KEY) {
        return tk_secret_refused(m, h, obj);
    }
    if (rv != CKR_OK) {
        return tk_tool_p11_fail("reading CKA_VALUE", rv);
    }
    rc = tk_secret_write(path, v, len);
    OPENSSL_cleanse(v, len);
    free(v);
    return rc;
}
