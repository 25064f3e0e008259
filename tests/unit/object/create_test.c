/*
 * tk_object_create: one table of templates and their expected codes per
 * class, then defaults, derived attributes and certificate fields.
 */
#include "obj_test.h"

#define TK_T_MAX 10

static uint8_t tk_big[5000]; /* zero bytes for key values of any size */
static uint8_t tk_rsa_mod[257] = { 0x00, 0x80 };

typedef struct {
    const char *name;
    tk_origin origin;
    CK_USER_TYPE user;
    CK_RV want;
    CK_ULONG n;
    CK_ATTRIBUTE t[TK_T_MAX];
} tk_create_case;

#define TK_CASE(name, origin, want, ...)                                                 \
    { name, origin, CKU_USER, want,                                                      \
      TK_COUNT(((CK_ATTRIBUTE[]){ __VA_ARGS__ })), { __VA_ARGS__ } }
#define TK_CASE_SO(name, want, ...)                                                      \
    { name, TK_ORIGIN_CREATE, CKU_SO, want,                                              \
      TK_COUNT(((CK_ATTRIBUTE[]){ __VA_ARGS__ })), { __VA_ARGS__ } }
#define TK_C TK_ORIGIN_CREATE
#define TK_G TK_ORIGIN_GENERATE

#define TK_DATA TK_UL(CKA_CLASS, CKO_DATA)
#define TK_CERT TK_UL(CKA_CLASS, CKO_CERTIFICATE), TK_UL(CKA_CERTIFICATE_TYPE, CKC_X_509)
#define TK_SEC(kt) TK_UL(CKA_CLASS, CKO_SECRET_KEY), TK_UL(CKA_KEY_TYPE, (kt))
#define TK_PUB(kt) TK_UL(CKA_CLASS, CKO_PUBLIC_KEY), TK_UL(CKA_KEY_TYPE, (kt))
#define TK_PRIV(kt) TK_UL(CKA_CLASS, CKO_PRIVATE_KEY), TK_UL(CKA_KEY_TYPE, (kt))
#define TK_AES16 TK_BUF(CKA_VALUE, "0123456789abcdef", 16)
#define TK_ECP TK_BUF(CKA_EC_PARAMS, "\x06\x08\x2a\x86\x48\xce\x3d\x03\x01\x07", 10)
#define TK_URLSUBJ                                                                         \
    TK_STR(CKA_VALUE, ""), TK_STR(CKA_URL, "https://ca.invalid/c"),                          \
        TK_STR(CKA_SUBJECT, "\x30\x00"), TK_STR(CKA_HASH_OF_SUBJECT_PUBLIC_KEY, "h1"),       \
        TK_STR(CKA_HASH_OF_ISSUER_PUBLIC_KEY, "h2")

static const tk_create_case tk_cases[] = {
    /* data objects */
    TK_CASE("data minimal", TK_C, CKR_OK, TK_DATA),
    TK_CASE("data full", TK_C, CKR_OK, TK_DATA, TK_STR(CKA_LABEL, "l"),
            TK_STR(CKA_APPLICATION, "app"), TK_STR(CKA_VALUE, "v"), TK_BB(CKA_TOKEN, 1)),
    TK_CASE("no class", TK_C, CKR_TEMPLATE_INCOMPLETE, TK_STR(CKA_LABEL, "l")),
    TK_CASE("class short", TK_C, CKR_ATTRIBUTE_VALUE_INVALID, TK_BUF(CKA_CLASS, "\0\0\0\0", 4)),
    TK_CASE("data key type", TK_C, CKR_TEMPLATE_INCONSISTENT, TK_DATA,
            TK_UL(CKA_KEY_TYPE, CKK_AES)),
    TK_CASE("unknown type", TK_C, CKR_ATTRIBUTE_TYPE_INVALID, TK_DATA,
            TK_UL(CKA_OTP_FORMAT, 0)),
    TK_CASE("vendor type", TK_C, CKR_ATTRIBUTE_TYPE_INVALID, TK_DATA,
            TK_STR(CKA_VENDOR_DEFINED | 7, "v")),
    TK_CASE("bool 2", TK_C, CKR_ATTRIBUTE_VALUE_INVALID, TK_DATA, TK_BB(CKA_TOKEN, 2)),
    TK_CASE("bool long", TK_C, CKR_ATTRIBUTE_VALUE_INVALID, TK_DATA,
            TK_UL(CKA_TOKEN, CK_TRUE)),
    TK_CASE("unique id", TK_C, CKR_ATTRIBUTE_READ_ONLY, TK_DATA, TK_STR(CKA_UNIQUE_ID, "x")),
    TK_CASE("dup differs", TK_C, CKR_TEMPLATE_INCONSISTENT, TK_DATA, TK_STR(CKA_LABEL, "a"),
            TK_STR(CKA_LABEL, "b")),
    TK_CASE("dup same", TK_C, CKR_OK, TK_DATA, TK_STR(CKA_LABEL, "a"), TK_STR(CKA_LABEL, "a")),
    TK_CASE("hw feature", TK_C, CKR_ATTRIBUTE_VALUE_INVALID, TK_UL(CKA_CLASS, CKO_HW_FEATURE)),
    TK_CASE("profile", TK_C, CKR_ATTRIBUTE_VALUE_INVALID, TK_UL(CKA_CLASS, CKO_PROFILE),
            TK_UL(CKA_PROFILE_ID, CKP_BASELINE_PROVIDER)),
    TK_CASE("vendor class", TK_C, CKR_ATTRIBUTE_VALUE_INVALID,
            TK_UL(CKA_CLASS, CKO_VENDOR_DEFINED)),

    /* certificates (those with a real value are in their own tests) */
    TK_CASE("cert no type", TK_C, CKR_TEMPLATE_INCOMPLETE, TK_UL(CKA_CLASS, CKO_CERTIFICATE),
            TK_URLSUBJ),
    TK_CASE("cert wtls", TK_C, CKR_ATTRIBUTE_VALUE_INVALID, TK_UL(CKA_CLASS, CKO_CERTIFICATE),
            TK_UL(CKA_CERTIFICATE_TYPE, CKC_WTLS), TK_URLSUBJ),
    TK_CASE("cert url", TK_C, CKR_OK, TK_CERT, TK_URLSUBJ),
    TK_CASE("cert nothing", TK_C, CKR_TEMPLATE_INCOMPLETE, TK_CERT),
    TK_CASE("cert url no subject", TK_C, CKR_TEMPLATE_INCOMPLETE, TK_CERT, TK_STR(CKA_VALUE, ""),
            TK_STR(CKA_URL, "https://ca.invalid/c")),
    TK_CASE("cert url no value", TK_C, CKR_TEMPLATE_INCOMPLETE, TK_CERT,
            TK_STR(CKA_URL, "https://ca.invalid/c"), TK_STR(CKA_SUBJECT, "\x30\x00"),
            TK_STR(CKA_HASH_OF_SUBJECT_PUBLIC_KEY, "h1"),
            TK_STR(CKA_HASH_OF_ISSUER_PUBLIC_KEY, "h2")),
    TK_CASE("cert url no hashes", TK_C, CKR_TEMPLATE_INCOMPLETE, TK_CERT, TK_STR(CKA_VALUE, ""),
            TK_STR(CKA_URL, "https://ca.invalid/c"), TK_STR(CKA_SUBJECT, "\x30\x00")),
    TK_CASE("cert garbage", TK_C, CKR_ATTRIBUTE_VALUE_INVALID, TK_CERT,
            TK_STR(CKA_VALUE, "\x30\x03\x02\x01\x01")),
    TK_CASE("cert trusted user", TK_C, CKR_ATTRIBUTE_READ_ONLY, TK_CERT, TK_URLSUBJ,
            TK_BB(CKA_TRUSTED, 1)),
    TK_CASE("cert untrusted user", TK_C, CKR_OK, TK_CERT, TK_URLSUBJ, TK_BB(CKA_TRUSTED, 0)),
    TK_CASE_SO("cert trusted so", CKR_OK, TK_CERT, TK_URLSUBJ, TK_BB(CKA_TRUSTED, 1)),
    TK_CASE("cert category", TK_C, CKR_ATTRIBUTE_VALUE_INVALID, TK_CERT, TK_URLSUBJ,
            TK_UL(CKA_CERTIFICATE_CATEGORY, 7)),
    TK_CASE("cert date", TK_C, CKR_OK, TK_CERT, TK_URLSUBJ, TK_STR(CKA_START_DATE, "20261204")),
    TK_CASE("cert date short", TK_C, CKR_ATTRIBUTE_VALUE_INVALID, TK_CERT, TK_URLSUBJ,
            TK_STR(CKA_START_DATE, "2026120")),
    TK_CASE("cert date letters", TK_C, CKR_ATTRIBUTE_VALUE_INVALID, TK_CERT, TK_URLSUBJ,
            TK_STR(CKA_END_DATE, "2026120X")),

    /* secret keys */
    TK_CASE("aes 16", TK_C, CKR_OK, TK_SEC(CKK_AES), TK_AES16),
    TK_CASE("aes 24", TK_C, CKR_OK, TK_SEC(CKK_AES), TK_BUF(CKA_VALUE, tk_big, 24)),
    TK_CASE("aes 32", TK_C, CKR_OK, TK_SEC(CKK_AES), TK_BUF(CKA_VALUE, tk_big, 32)),
    TK_CASE("aes 15", TK_C, CKR_ATTRIBUTE_VALUE_INVALID, TK_SEC(CKK_AES),
            TK_BUF(CKA_VALUE, tk_big, 15)),
    TK_CASE("aes no value", TK_C, CKR_TEMPLATE_INCOMPLETE, TK_SEC(CKK_AES)),
    TK_CASE("aes value len", TK_C, CKR_ATTRIBUTE_READ_ONLY, TK_SEC(CKK_AES), TK_AES16,
            TK_UL(CKA_VALUE_LEN, 16)),
    TK_CASE("no key type", TK_C, CKR_TEMPLATE_INCOMPLETE, TK_UL(CKA_CLASS, CKO_SECRET_KEY),
            TK_AES16),
    TK_CASE("local", TK_C, CKR_ATTRIBUTE_READ_ONLY, TK_SEC(CKK_AES), TK_AES16,
            TK_BB(CKA_LOCAL, 0)),
    TK_CASE("always sensitive", TK_C, CKR_ATTRIBUTE_READ_ONLY, TK_SEC(CKK_AES), TK_AES16,
            TK_BB(CKA_ALWAYS_SENSITIVE, 1)),
    TK_CASE("never extractable", TK_C, CKR_ATTRIBUTE_READ_ONLY, TK_SEC(CKK_AES), TK_AES16,
            TK_BB(CKA_NEVER_EXTRACTABLE, 1)),
    TK_CASE("key gen mech", TK_C, CKR_ATTRIBUTE_READ_ONLY, TK_SEC(CKK_AES), TK_AES16,
            TK_UL(CKA_KEY_GEN_MECHANISM, 0)),
    TK_CASE("rsa secret", TK_C, CKR_TEMPLATE_INCONSISTENT, TK_SEC(CKK_RSA), TK_AES16),
    TK_CASE("aes public", TK_C, CKR_TEMPLATE_INCONSISTENT, TK_PUB(CKK_AES), TK_AES16),
    TK_CASE("des", TK_C, CKR_ATTRIBUTE_VALUE_INVALID, TK_SEC(CKK_DES), TK_AES16),
    TK_CASE("generic 1", TK_C, CKR_OK, TK_SEC(CKK_GENERIC_SECRET), TK_STR(CKA_VALUE, "k")),
    TK_CASE("generic 0", TK_C, CKR_ATTRIBUTE_VALUE_INVALID, TK_SEC(CKK_GENERIC_SECRET),
            TK_STR(CKA_VALUE, "")),
    TK_CASE("hmac sha256", TK_C, CKR_OK, TK_SEC(CKK_SHA256_HMAC), TK_BUF(CKA_VALUE, tk_big, 32)),
    TK_CASE("hmac sha3", TK_C, CKR_OK, TK_SEC(CKK_SHA3_512_HMAC), TK_BUF(CKA_VALUE, tk_big, 64)),
    TK_CASE("chacha 32", TK_C, CKR_OK, TK_SEC(CKK_CHACHA20), TK_BUF(CKA_VALUE, tk_big, 32)),
    TK_CASE("chacha 16", TK_C, CKR_ATTRIBUTE_VALUE_INVALID, TK_SEC(CKK_CHACHA20),
            TK_BUF(CKA_VALUE, tk_big, 16)),
    TK_CASE("secret modulus", TK_C, CKR_TEMPLATE_INCONSISTENT, TK_SEC(CKK_AES), TK_AES16,
            TK_STR(CKA_MODULUS, "m")),
    TK_CASE("secret encapsulate", TK_C, CKR_TEMPLATE_INCONSISTENT, TK_SEC(CKK_AES), TK_AES16,
            TK_BB(CKA_ENCAPSULATE, 1)),
    TK_CASE("secret check value", TK_C, CKR_OK, TK_SEC(CKK_AES), TK_AES16,
            TK_STR(CKA_CHECK_VALUE, "abc")),
    TK_CASE("allowed mechs", TK_C, CKR_OK, TK_SEC(CKK_AES), TK_AES16,
            TK_BUF(CKA_ALLOWED_MECHANISMS, ((CK_ULONG[]){ 1, 2 }), 2 * sizeof(CK_ULONG))),
    TK_CASE("allowed mechs odd", TK_C, CKR_ATTRIBUTE_VALUE_INVALID, TK_SEC(CKK_AES), TK_AES16,
            TK_BUF(CKA_ALLOWED_MECHANISMS, tk_big, 3)),
    TK_CASE("wrap template", TK_C, CKR_OK, TK_SEC(CKK_AES), TK_AES16,
            TK_BUF(CKA_WRAP_TEMPLATE, ((CK_ATTRIBUTE[]){ TK_BB(CKA_EXTRACTABLE, 1) }),
                   sizeof(CK_ATTRIBUTE))),
    TK_CASE("wrap template odd", TK_C, CKR_ATTRIBUTE_VALUE_INVALID, TK_SEC(CKK_AES), TK_AES16,
            TK_BUF(CKA_WRAP_TEMPLATE, tk_big, 5)),
    TK_CASE("template too long", TK_C, CKR_ATTRIBUTE_VALUE_INVALID, TK_SEC(CKK_AES), TK_AES16,
            TK_BUF(CKA_DERIVE_TEMPLATE, tk_big, 257 * sizeof(CK_ATTRIBUTE))),
    TK_CASE("value too long", TK_C, CKR_ATTRIBUTE_VALUE_INVALID, TK_DATA,
            TK_BUF(CKA_VALUE, tk_big, 16u * 1024u * 1024u + 1u)),
    TK_CASE("template in template", TK_C, CKR_ATTRIBUTE_VALUE_INVALID, TK_SEC(CKK_AES),
            TK_AES16,
            TK_BUF(CKA_UNWRAP_TEMPLATE,
                   ((CK_ATTRIBUTE[]){ TK_BUF(CKA_WRAP_TEMPLATE, NULL, 0) }),
                   sizeof(CK_ATTRIBUTE))),
    TK_CASE("generate with value", TK_G, CKR_TEMPLATE_INCONSISTENT, TK_SEC(CKK_AES), TK_AES16),
    TK_CASE("public trusted", TK_C, CKR_ATTRIBUTE_READ_ONLY, TK_PUB(CKK_EC), TK_ECP,
            TK_STR(CKA_EC_POINT, "\x04\x01\x02"), TK_BB(CKA_TRUSTED, 1)),

    /* RSA */
    TK_CASE("rsa pub", TK_C, CKR_OK, TK_PUB(CKK_RSA), TK_BUF(CKA_MODULUS, tk_rsa_mod, 257),
            TK_STR(CKA_PUBLIC_EXPONENT, "\x01\x00\x01")),
    TK_CASE("rsa pub no exp", TK_C, CKR_TEMPLATE_INCOMPLETE, TK_PUB(CKK_RSA),
            TK_BUF(CKA_MODULUS, tk_rsa_mod, 257)),
    TK_CASE("rsa pub bits", TK_C, CKR_ATTRIBUTE_READ_ONLY, TK_PUB(CKK_RSA),
            TK_BUF(CKA_MODULUS, tk_rsa_mod, 257), TK_STR(CKA_PUBLIC_EXPONENT, "\x03"),
            TK_UL(CKA_MODULUS_BITS, 2048)),
    TK_CASE("rsa pub priv exp", TK_C, CKR_TEMPLATE_INCONSISTENT, TK_PUB(CKK_RSA),
            TK_BUF(CKA_MODULUS, tk_rsa_mod, 257), TK_STR(CKA_PUBLIC_EXPONENT, "\x03"),
            TK_STR(CKA_PRIVATE_EXPONENT, "\x05")),
    TK_CASE("rsa priv", TK_C, CKR_OK, TK_PRIV(CKK_RSA), TK_BUF(CKA_MODULUS, tk_rsa_mod, 257),
            TK_STR(CKA_PUBLIC_EXPONENT, "\x03"), TK_STR(CKA_PRIVATE_EXPONENT, "\x05"),
            TK_STR(CKA_PRIME_1, "\x07")),
    TK_CASE("rsa priv no e", TK_C, CKR_TEMPLATE_INCOMPLETE, TK_PRIV(CKK_RSA),
            TK_BUF(CKA_MODULUS, tk_rsa_mod, 257), TK_STR(CKA_PRIVATE_EXPONENT, "\x05")),
    TK_CASE("rsa priv no d", TK_C, CKR_TEMPLATE_INCOMPLETE, TK_PRIV(CKK_RSA),
            TK_BUF(CKA_MODULUS, tk_rsa_mod, 257)),

    /* EC, Edwards, Montgomery */
    TK_CASE("ec pub", TK_C, CKR_OK, TK_PUB(CKK_EC), TK_ECP, TK_STR(CKA_EC_POINT, "\x04\x01")),
    TK_CASE("ec pub no point", TK_C, CKR_TEMPLATE_INCOMPLETE, TK_PUB(CKK_EC), TK_ECP),
    TK_CASE("ec priv", TK_C, CKR_OK, TK_PRIV(CKK_EC), TK_ECP, TK_BUF(CKA_VALUE, tk_big, 32)),
    TK_CASE("ec priv key info", TK_C, CKR_ATTRIBUTE_TYPE_INVALID, TK_PRIV(CKK_EC), TK_ECP,
            TK_BUF(CKA_VALUE, tk_big, 32), TK_STR(CKA_PUBLIC_KEY_INFO, "\x30\x00")),
    TK_CASE("ec pub key info", TK_C, CKR_OK, TK_PUB(CKK_EC), TK_ECP,
            TK_STR(CKA_EC_POINT, "\x04\x01"), TK_STR(CKA_PUBLIC_KEY_INFO, "\x30\x00")),
    TK_CASE("always auth public", TK_C, CKR_TEMPLATE_INCONSISTENT, TK_PRIV(CKK_EC), TK_ECP,
            TK_BUF(CKA_VALUE, tk_big, 32), TK_BB(CKA_PRIVATE, 0),
            TK_BB(CKA_ALWAYS_AUTHENTICATE, 1)),
    TK_CASE("always auth", TK_C, CKR_OK, TK_PRIV(CKK_EC), TK_ECP, TK_BUF(CKA_VALUE, tk_big, 32),
            TK_BB(CKA_ALWAYS_AUTHENTICATE, 1)),
    TK_CASE("ec priv no params", TK_C, CKR_TEMPLATE_INCOMPLETE, TK_PRIV(CKK_EC),
            TK_BUF(CKA_VALUE, tk_big, 32)),
    TK_CASE("ed pub", TK_C, CKR_OK, TK_PUB(CKK_EC_EDWARDS), TK_STR(CKA_EC_PARAMS, "\x13\x01x"),
            TK_BUF(CKA_EC_POINT, tk_big, 32)),
    TK_CASE("x priv", TK_C, CKR_OK, TK_PRIV(CKK_EC_MONTGOMERY),
            TK_STR(CKA_EC_PARAMS, "\x13\x01x"), TK_BUF(CKA_VALUE, tk_big, 32)),
    TK_CASE("ec pub gen point", TK_G, CKR_TEMPLATE_INCONSISTENT, TK_PUB(CKK_EC), TK_ECP,
            TK_STR(CKA_EC_POINT, "\x04\x01")),

    /* ML-KEM, ML-DSA, SLH-DSA */
    TK_CASE("mlkem pub", TK_C, CKR_OK, TK_PUB(CKK_ML_KEM),
            TK_UL(CKA_PARAMETER_SET, CKP_ML_KEM_768), TK_BUF(CKA_VALUE, tk_big, 1184)),
    TK_CASE("mlkem pub len", TK_C, CKR_ATTRIBUTE_VALUE_INVALID, TK_PUB(CKK_ML_KEM),
            TK_UL(CKA_PARAMETER_SET, CKP_ML_KEM_768), TK_BUF(CKA_VALUE, tk_big, 1183)),
    TK_CASE("mlkem pub no set", TK_C, CKR_TEMPLATE_INCOMPLETE, TK_PUB(CKK_ML_KEM),
            TK_BUF(CKA_VALUE, tk_big, 1184)),
    TK_CASE("mlkem pub bad set", TK_C, CKR_ATTRIBUTE_VALUE_INVALID, TK_PUB(CKK_ML_KEM),
            TK_UL(CKA_PARAMETER_SET, 9), TK_BUF(CKA_VALUE, tk_big, 1184)),
    TK_CASE("mlkem priv seed", TK_C, CKR_OK, TK_PRIV(CKK_ML_KEM),
            TK_UL(CKA_PARAMETER_SET, CKP_ML_KEM_512), TK_BUF(CKA_SEED, tk_big, 64)),
    TK_CASE("mlkem priv value", TK_C, CKR_OK, TK_PRIV(CKK_ML_KEM),
            TK_UL(CKA_PARAMETER_SET, CKP_ML_KEM_1024), TK_BUF(CKA_VALUE, tk_big, 3168)),
    TK_CASE("mlkem priv none", TK_C, CKR_TEMPLATE_INCOMPLETE, TK_PRIV(CKK_ML_KEM),
            TK_UL(CKA_PARAMETER_SET, CKP_ML_KEM_512)),
    TK_CASE("mlkem priv seed 32", TK_C, CKR_ATTRIBUTE_VALUE_INVALID, TK_PRIV(CKK_ML_KEM),
            TK_UL(CKA_PARAMETER_SET, CKP_ML_KEM_512), TK_BUF(CKA_SEED, tk_big, 32)),
    TK_CASE("mlkem encapsulate", TK_C, CKR_OK, TK_PUB(CKK_ML_KEM),
            TK_UL(CKA_PARAMETER_SET, CKP_ML_KEM_512), TK_BUF(CKA_VALUE, tk_big, 800),
            TK_BB(CKA_ENCAPSULATE, 1)),
    TK_CASE("mldsa pub", TK_C, CKR_OK, TK_PUB(CKK_ML_DSA),
            TK_UL(CKA_PARAMETER_SET, CKP_ML_DSA_44), TK_BUF(CKA_VALUE, tk_big, 1312)),
    TK_CASE("mldsa encapsulate", TK_C, CKR_OK, TK_PUB(CKK_ML_DSA),
            TK_UL(CKA_PARAMETER_SET, CKP_ML_DSA_44), TK_BUF(CKA_VALUE, tk_big, 1312),
            TK_BB(CKA_ENCAPSULATE, 1)),
    TK_CASE("mldsa priv seed", TK_C, CKR_OK, TK_PRIV(CKK_ML_DSA),
            TK_UL(CKA_PARAMETER_SET, CKP_ML_DSA_87), TK_BUF(CKA_SEED, tk_big, 32)),
    TK_CASE("mldsa priv both", TK_C, CKR_OK, TK_PRIV(CKK_ML_DSA),
            TK_UL(CKA_PARAMETER_SET, CKP_ML_DSA_65), TK_BUF(CKA_SEED, tk_big, 32),
            TK_BUF(CKA_VALUE, tk_big, 4032)),
    TK_CASE("slhdsa pub", TK_C, CKR_OK, TK_PUB(CKK_SLH_DSA),
            TK_UL(CKA_PARAMETER_SET, CKP_SLH_DSA_SHA2_128S), TK_BUF(CKA_VALUE, tk_big, 32)),
    TK_CASE("slhdsa priv 256", TK_C, CKR_OK, TK_PRIV(CKK_SLH_DSA),
            TK_UL(CKA_PARAMETER_SET, CKP_SLH_DSA_SHAKE_256F), TK_BUF(CKA_VALUE, tk_big, 128)),
    TK_CASE("slhdsa priv seed", TK_C, CKR_TEMPLATE_INCONSISTENT, TK_PRIV(CKK_SLH_DSA),
            TK_UL(CKA_PARAMETER_SET, CKP_SLH_DSA_SHA2_128S), TK_BUF(CKA_SEED, tk_big, 32)),
};

static void
tk_test_create_table(void **state)
{
    size_t failures = 0;

    (void)state;
    for (size_t i = 0; i < sizeof(tk_cases) / sizeof(tk_cases[0]); i++) {
        const tk_create_case *c = &tk_cases[i];
        tk_obj_ctx ctx = tk_t_ctx(c->origin, c->user);
        tk_object *obj = NULL;
        CK_RV rv = tk_object_create(c->t, c->n, NULL, &ctx, &obj);
        if (rv != c->want) {
            print_error("case '%s': got 0x%lx, want 0x%lx\n", c->name, rv, c->want);
            failures++;
        }
        /* On failure nothing is handed out. */
        assert_true((rv == CKR_OK) == (obj != NULL));
        tk_object_free(obj);
    }
    print_message("%zu creation cases\n", sizeof(tk_cases) / sizeof(tk_cases[0]));
    assert_int_equal(failures, 0);
}

static void
tk_test_secret_defaults(void **state)
{
    CK_ATTRIBUTE t[] = { TK_SEC(CKK_AES), TK_AES16 };
    tk_object *a = NULL;
    tk_object *b = NULL;
    const tk_attr *ua;
    const tk_attr *ub;

    (void)state;
    assert_int_equal(tk_t_create(t, TK_COUNT(t), &a), CKR_OK);
    assert_int_equal(tk_t_create(t, TK_COUNT(t), &b), CKR_OK);
    assert_int_equal(a->cls, CKO_SECRET_KEY);
    assert_int_equal(a->is_private, CK_TRUE);
    assert_int_equal(a->is_token, CK_FALSE);
    assert_int_equal(a->handle, 0);
    assert_int_equal(tk_object_bool(a, CKA_LOCAL, 9), CK_FALSE);
    /* [PKCS11 3.2 §4.11]: not sensitive by default, but not extractable */
    assert_int_equal(tk_object_bool(a, CKA_SENSITIVE, 9), CK_FALSE);
    assert_int_equal(tk_object_bool(a, CKA_EXTRACTABLE, 9), CK_FALSE);
    assert_int_equal(tk_object_bool(a, CKA_TRUSTED, 9), CK_FALSE);
    assert_int_equal(tk_object_bool(a, CKA_ENCRYPT, 9), CK_TRUE);
    assert_null(tk_attrs_find(&a->attrs, CKA_ENCAPSULATE));
    /* absent, so core applies no mechanism restriction */
    assert_null(tk_attrs_find(&a->attrs, CKA_ALLOWED_MECHANISMS));
    assert_int_equal(tk_object_bool(a, CKA_ALWAYS_SENSITIVE, 9), CK_FALSE);
    assert_int_equal(tk_object_bool(a, CKA_NEVER_EXTRACTABLE, 9), CK_FALSE);
    assert_int_equal(tk_object_bool(a, CKA_MODIFIABLE, 9), CK_TRUE);
    assert_int_equal(tk_object_bool(a, CKA_COPYABLE, 9), CK_TRUE);
    assert_int_equal(tk_object_bool(a, CKA_DESTROYABLE, 9), CK_TRUE);
    assert_int_equal(tk_object_ulong(a, CKA_VALUE_LEN, 0), 16);
    assert_int_equal(tk_object_ulong(a, CKA_KEY_GEN_MECHANISM, 0), CK_UNAVAILABLE_INFORMATION);
    assert_int_equal(tk_object_ulong(a, CKA_MODULUS, 77), 77);
    ua = tk_attrs_find(&a->attrs, CKA_UNIQUE_ID);
    ub = tk_attrs_find(&b->attrs, CKA_UNIQUE_ID);
    assert_non_null(ua);
    assert_non_null(ub);
    assert_int_equal(ua->len, 32);
    assert_memory_not_equal(ua->value, ub->value, 32);
    assert_true(tk_object_size(a) > 16);
    tk_object_free(a);
    tk_object_free(b);
}

static void
tk_test_check_value_ignored(void **state)
{
    CK_ATTRIBUTE t[] = { TK_SEC(CKK_AES), TK_AES16, TK_STR(CKA_CHECK_VALUE, "abc") };
    CK_ATTRIBUTE q = { CKA_CHECK_VALUE, NULL, 0 };
    tk_object *o = NULL;

    (void)state;
    assert_int_equal(tk_t_create(t, TK_COUNT(t), &o), CKR_OK);
    assert_int_equal(tk_object_get_attributes(o, &q, 1), CKR_ATTRIBUTE_TYPE_INVALID);
    assert_int_equal(q.ulValueLen, CK_UNAVAILABLE_INFORMATION);
    tk_object_free(o);
}

static void
tk_test_kem_defaults(void **state)
{
    static uint8_t pk[800];
    CK_ATTRIBUTE kem[] = { TK_PUB(CKK_ML_KEM), TK_UL(CKA_PARAMETER_SET, CKP_ML_KEM_512),
                           TK_BUF(CKA_VALUE, pk, sizeof(pk)) };
    CK_ATTRIBUTE ec[] = { TK_PUB(CKK_EC), TK_ECP, TK_STR(CKA_EC_POINT, "\x04\x01") };
    tk_object *o = NULL;

    (void)state;
    assert_int_equal(tk_t_create(kem, TK_COUNT(kem), &o), CKR_OK);
    assert_int_equal(tk_object_bool(o, CKA_ENCAPSULATE, 9), CK_TRUE);
    tk_object_free(o);
    assert_int_equal(tk_t_create(ec, TK_COUNT(ec), &o), CKR_OK);
    assert_int_equal(tk_object_bool(o, CKA_ENCAPSULATE, 9), CK_FALSE);
    tk_object_free(o);
}

static void
tk_test_private_defaults(void **state)
{
    CK_ATTRIBUTE d[] = { TK_DATA };
    CK_ATTRIBUTE p[] = { TK_PUB(CKK_EC), TK_ECP, TK_STR(CKA_EC_POINT, "\x04\x01") };
    CK_ATTRIBUTE k[] = { TK_PRIV(CKK_EC), TK_ECP, TK_BUF(CKA_VALUE, tk_big, 32) };
    tk_object *o = NULL;

    (void)state;
    assert_int_equal(tk_t_create(d, TK_COUNT(d), &o), CKR_OK);
    assert_int_equal(o->is_private, CK_FALSE);
    assert_int_equal(o->cls, CKO_DATA);
    tk_t_assert_bytes(o, CKA_VALUE, NULL, 0);
    tk_object_free(o);
    assert_int_equal(tk_t_create(p, TK_COUNT(p), &o), CKR_OK);
    assert_int_equal(o->is_private, CK_FALSE);
    assert_int_equal(tk_object_bool(o, CKA_LOCAL, 9), CK_FALSE);
    tk_object_free(o);
    assert_int_equal(tk_t_create(k, TK_COUNT(k), &o), CKR_OK);
    assert_int_equal(o->is_private, CK_TRUE);
    assert_int_equal(tk_object_bool(o, CKA_SENSITIVE, 9), CK_TRUE);
    tk_object_free(o);
}

static void
tk_test_generate_derived(void **state)
{
    CK_ATTRIBUTE t[] = { TK_SEC(CKK_AES), TK_UL(CKA_VALUE_LEN, 16), TK_BB(CKA_SENSITIVE, 1) };
    CK_ATTRIBUTE loose[] = { TK_SEC(CKK_AES), TK_BB(CKA_SENSITIVE, 0), TK_BB(CKA_EXTRACTABLE, 1) };
    CK_ATTRIBUTE bad[] = { TK_SEC(CKK_AES), TK_UL(CKA_VALUE_LEN, 24) };
    tk_attrs extra = { 0 };
    tk_obj_ctx ctx = tk_t_ctx(TK_ORIGIN_GENERATE, CKU_USER);
    tk_object *o = NULL;

    (void)state;
    ctx.mech = 0x1080; /* CKM_AES_KEY_GEN */
    assert_int_equal(tk_attrs_set(&extra, CKA_VALUE, "0123456789abcdef", 16), CKR_OK);
    assert_int_equal(tk_object_create(t, TK_COUNT(t), &extra, &ctx, &o), CKR_OK);
    assert_int_equal(tk_object_bool(o, CKA_LOCAL, 9), CK_TRUE);
    assert_int_equal(tk_object_ulong(o, CKA_KEY_GEN_MECHANISM, 0), 0x1080);
    assert_int_equal(tk_object_bool(o, CKA_ALWAYS_SENSITIVE, 9), CK_TRUE);
    assert_int_equal(tk_object_bool(o, CKA_NEVER_EXTRACTABLE, 9), CK_TRUE);
    tk_t_assert_bytes(o, CKA_VALUE, "0123456789abcdef", 16);
    tk_object_free(o);

    assert_int_equal(tk_object_create(loose, TK_COUNT(loose), &extra, &ctx, &o), CKR_OK);
    assert_int_equal(tk_object_bool(o, CKA_ALWAYS_SENSITIVE, 9), CK_FALSE);
    assert_int_equal(tk_object_bool(o, CKA_NEVER_EXTRACTABLE, 9), CK_FALSE);
    tk_object_free(o);
    o = NULL;

    assert_int_equal(tk_object_create(bad, TK_COUNT(bad), &extra, &ctx, &o),
                     CKR_TEMPLATE_INCONSISTENT);
    assert_null(o);

    /* the operation's class or key type cannot be contradicted */
    CK_KEY_TYPE gen = CKK_GENERIC_SECRET;
    assert_int_equal(tk_attrs_set(&extra, CKA_KEY_TYPE, &gen, sizeof(gen)), CKR_OK);
    assert_int_equal(tk_object_create(t, TK_COUNT(t), &extra, &ctx, &o),
                     CKR_TEMPLATE_INCONSISTENT);
    assert_null(o);
    tk_attrs_clear(&extra);
    assert_int_equal(tk_attrs_set(&extra, CKA_VALUE, "0123456789abcdef", 16), CKR_OK);

    /* derived from a base that was sensitive but once extractable */
    ctx = tk_t_ctx(TK_ORIGIN_DERIVE, CKU_USER);
    ctx.base_sensitive = CK_TRUE;
    ctx.base_never_extractable = CK_FALSE;
    assert_int_equal(tk_object_create(t, TK_COUNT(t), &extra, &ctx, &o), CKR_OK);
    assert_int_equal(tk_object_bool(o, CKA_LOCAL, 9), CK_FALSE);
    assert_int_equal(tk_object_ulong(o, CKA_KEY_GEN_MECHANISM, 0), CK_UNAVAILABLE_INFORMATION);
    assert_int_equal(tk_object_bool(o, CKA_ALWAYS_SENSITIVE, 9), CK_TRUE);
    assert_int_equal(tk_object_bool(o, CKA_NEVER_EXTRACTABLE, 9), CK_FALSE);
    tk_object_free(o);

    /* unwrapped keys were outside the token once */
    ctx = tk_t_ctx(TK_ORIGIN_UNWRAP, CKU_USER);
    assert_int_equal(tk_object_create(t, TK_COUNT(t), &extra, &ctx, &o), CKR_OK);
    assert_int_equal(tk_object_bool(o, CKA_ALWAYS_SENSITIVE, 9), CK_FALSE);
    assert_int_equal(tk_object_bool(o, CKA_NEVER_EXTRACTABLE, 9), CK_FALSE);
    tk_object_free(o);
    tk_attrs_clear(&extra);
}

static void
tk_test_rsa_bits(void **state)
{
    CK_ATTRIBUTE t[] = { TK_PUB(CKK_RSA), TK_BUF(CKA_MODULUS, tk_rsa_mod, 257),
                         TK_STR(CKA_PUBLIC_EXPONENT, "\x01\x00\x01") };
    tk_object *o = NULL;

    (void)state;
    assert_int_equal(tk_t_create(t, TK_COUNT(t), &o), CKR_OK);
    assert_int_equal(tk_object_ulong(o, CKA_MODULUS_BITS, 0), 2048);
    tk_object_free(o);
}

static void
tk_test_profile(void **state)
{
    tk_object *o = NULL;
    tk_object *c = NULL;
    CK_ATTRIBUTE lab[] = { TK_STR(CKA_LABEL, "x") };
    tk_obj_ctx so = tk_t_ctx(TK_ORIGIN_COPY, CKU_SO);

    (void)state;
    assert_int_equal(tk_object_new_profile(CKP_BASELINE_PROVIDER, &o), CKR_OK);
    assert_int_equal(o->cls, CKO_PROFILE);
    assert_int_equal(o->is_token, CK_TRUE);
    assert_int_equal(o->is_private, CK_FALSE);
    assert_int_equal(tk_object_ulong(o, CKA_PROFILE_ID, 0), CKP_BASELINE_PROVIDER);
    assert_int_equal(tk_object_bool(o, CKA_DESTROYABLE, 9), CK_FALSE);
    assert_int_equal(tk_object_set_attributes(o, lab, 1, &so), CKR_ACTION_PROHIBITED);
    assert_int_equal(tk_object_copy(o, NULL, 0, &so, &c), CKR_ACTION_PROHIBITED);
    assert_null(c);
    tk_object_free(o);
}

/* ---- certificates from a real DER file (made with openssl req -x509) ---- */

/* Offsets from `openssl asn1parse -inform DER -in data/cert.der`. */
#define TK_CERT_ISSUER_OFF 31
#define TK_CERT_SUBJECT_OFF 110
#define TK_CERT_NAME_LEN 47
#define TK_CERT_SPKI_OFF 157
#define TK_CERT_SPKI_LEN 91

static void
tk_test_cert_fields(void **state)
{
    size_t len = 0;
    uint8_t *der = tk_t_read_file("cert.der", &len);
    CK_ATTRIBUTE t[] = { TK_CERT, TK_BUF(CKA_VALUE, der, len), TK_STR(CKA_LABEL, "c") };
    static const uint8_t serial[] = { 0x02, 0x04, 0x01, 0x23, 0x45, 0x67 };
    static const uint8_t check[] = { 0xfa, 0xf1, 0x4d }; /* openssl dgst -sha1 */
    tk_object *o = NULL;

    (void)state;
    assert_int_equal(tk_t_create(t, TK_COUNT(t), &o), CKR_OK);
    tk_t_assert_bytes(o, CKA_SERIAL_NUMBER, serial, sizeof(serial));
    tk_t_assert_bytes(o, CKA_ISSUER, der + TK_CERT_ISSUER_OFF, TK_CERT_NAME_LEN);
    tk_t_assert_bytes(o, CKA_SUBJECT, der + TK_CERT_SUBJECT_OFF, TK_CERT_NAME_LEN);
    tk_t_assert_bytes(o, CKA_PUBLIC_KEY_INFO, der + TK_CERT_SPKI_OFF, TK_CERT_SPKI_LEN);
    tk_t_assert_bytes(o, CKA_CHECK_VALUE, check, sizeof(check));
    tk_t_assert_bytes(o, CKA_VALUE, der, len);
    assert_int_equal(tk_object_ulong(o, CKA_CERTIFICATE_CATEGORY, 9),
                     CK_CERTIFICATE_CATEGORY_UNSPECIFIED);
    assert_int_equal(tk_object_bool(o, CKA_TRUSTED, 9), CK_FALSE);
    assert_int_equal(tk_object_bool(o, CKA_PRIVATE, 9), CK_FALSE);
    assert_int_equal(tk_object_ulong(o, CKA_JAVA_MIDP_SECURITY_DOMAIN, 9), 0);
    tk_object_free(o);
    free(der);
}

static void
tk_test_cert_given_fields(void **state)
{
    size_t len = 0;
    uint8_t *der = tk_t_read_file("cert.der", &len);
    CK_ATTRIBUTE keep[] = { TK_CERT, TK_BUF(CKA_VALUE, der, len), TK_STR(CKA_SUBJECT, "mine"),
                            TK_UL(CKA_CERTIFICATE_CATEGORY, CK_CERTIFICATE_CATEGORY_AUTHORITY) };
    CK_ATTRIBUTE badcheck[] = { TK_CERT, TK_BUF(CKA_VALUE, der, len),
                                TK_STR(CKA_CHECK_VALUE, "\x00\x00\x00") };
    CK_ATTRIBUTE okcheck[] = { TK_CERT, TK_BUF(CKA_VALUE, der, len),
                               TK_STR(CKA_CHECK_VALUE, "\xfa\xf1\x4d") };
    CK_ATTRIBUTE trunc[] = { TK_CERT, TK_BUF(CKA_VALUE, der, len - 1) };
    uint8_t *longer = calloc(1, len + 1);
    CK_ATTRIBUTE trail[] = { TK_CERT, TK_BUF(CKA_VALUE, longer, len + 1) };
    tk_object *o = NULL;

    (void)state;
    assert_non_null(longer);
    memcpy(longer, der, len);
    assert_int_equal(tk_t_create(keep, TK_COUNT(keep), &o), CKR_OK);
    tk_t_assert_bytes(o, CKA_SUBJECT, "mine", 4);
    tk_t_assert_bytes(o, CKA_ISSUER, der + TK_CERT_ISSUER_OFF, TK_CERT_NAME_LEN);
    assert_int_equal(tk_object_ulong(o, CKA_CERTIFICATE_CATEGORY, 9),
                     CK_CERTIFICATE_CATEGORY_AUTHORITY);
    tk_object_free(o);
    o = NULL;
    assert_int_equal(tk_t_create(okcheck, TK_COUNT(okcheck), &o), CKR_OK);
    tk_object_free(o);
    o = NULL;
    assert_int_equal(tk_t_create(badcheck, TK_COUNT(badcheck), &o), CKR_ATTRIBUTE_VALUE_INVALID);
    assert_int_equal(tk_t_create(trunc, TK_COUNT(trunc), &o), CKR_ATTRIBUTE_VALUE_INVALID);
    assert_int_equal(tk_t_create(trail, TK_COUNT(trail), &o), CKR_ATTRIBUTE_VALUE_INVALID);
    assert_null(o);
    free(longer);
    free(der);
}

static void
tk_test_create_args(void **state)
{
    tk_object *o = NULL;
    tk_obj_ctx ctx = tk_t_ctx(TK_ORIGIN_CREATE, CKU_USER);
    CK_ATTRIBUTE t[] = { TK_DATA };

    (void)state;
    assert_int_equal(tk_object_create(NULL, 1, NULL, &ctx, &o), CKR_ARGUMENTS_BAD);
    assert_int_equal(tk_object_create(t, 1, NULL, NULL, &o), CKR_ARGUMENTS_BAD);
    assert_int_equal(tk_object_create(NULL, 0, NULL, &ctx, &o), CKR_TEMPLATE_INCOMPLETE);
    assert_null(o);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tk_test_create_table),   cmocka_unit_test(tk_test_secret_defaults),
        cmocka_unit_test(tk_test_private_defaults), cmocka_unit_test(tk_test_generate_derived),
        cmocka_unit_test(tk_test_rsa_bits),       cmocka_unit_test(tk_test_profile),
        cmocka_unit_test(tk_test_cert_fields),    cmocka_unit_test(tk_test_cert_given_fields),
        cmocka_unit_test(tk_test_create_args),    cmocka_unit_test(tk_test_check_value_ignored),
        cmocka_unit_test(tk_test_kem_defaults),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
