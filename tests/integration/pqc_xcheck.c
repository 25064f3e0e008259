/*
 * The token's side of tests/integration/pqc_openssl35.sh: one operation
 * per run, through the module named by $TK_MODULE (a fresh throw-away
 * token each time), keys and data as raw binary files.
 *
 *   gen    ALG SET PUB PRIV [SEED]   new key pair; SEED only for ML-KEM
 *                                    and ML-DSA
 *   sign   ALG SET PRIV MSG CTX SIG  deterministic signature (CTX hex,
 *                                    "-" for none)
 *   verify ALG SET PUB MSG CTX SIG   exit 0 valid, 1 invalid
 *   encaps SET PUB CT SS             C_EncapsulateKey; SS the 32-byte key
 *   decaps SET PRIV CT SS            C_DecapsulateKey
 *
 * ALG is mlkem, mldsa or slhdsa; SET the CKP_ number. Exit 2 on usage or
 * token errors, with the CK_RV on stderr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define PIN(s) (CK_UTF8CHAR_PTR)(s), strlen(s)
#define MAX_FILE (1 << 24)

static CK_SESSION_HANDLE tk_s;

static void
die(const char *what, CK_RV rv)
{
    fprintf(stderr, "pqc_xcheck: %s: 0x%lx\n", what, (unsigned long)rv);
    th_teardown();
    exit(2);
}

static void
check(const char *what, CK_RV rv)
{
    if (rv != CKR_OK) {
        die(what, rv);
    }
}

static unsigned char *
read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    unsigned char *p = malloc(MAX_FILE);

    if (f == NULL || p == NULL) {
        die(path, 0);
    }
    *len = fread(p, 1, MAX_FILE, f);
    fclose(f);
    return p;
}

static void
write_file(const char *path, const void *p, size_t len)
{
    FILE *f = fopen(path, "wb");

    if (f == NULL || fwrite(p, 1, len, f) != len || fclose(f) != 0) {
        die(path, 0);
    }
}

/* Hex context string; "-" for none. */
static unsigned char *
ctx_bytes(const char *hex, size_t *len)
{
    size_t n = strcmp(hex, "-") == 0 ? 0 : strlen(hex) / 2;
    unsigned char *p = malloc(n + 1);

    for (size_t i = 0; i < n; i++) {
        unsigned v = 0;
        if (sscanf(hex + 2 * i, "%2x", &v) != 1) {
            die("context", 0);
        }
        p[i] = (unsigned char)v;
    }
    *len = n;
    return p;
}

static CK_KEY_TYPE
key_type(const char *alg)
{
    if (strcmp(alg, "mlkem") == 0) {
        return CKK_ML_KEM;
    }
    if (strcmp(alg, "mldsa") == 0) {
        return CKK_ML_DSA;
    }
    if (strcmp(alg, "slhdsa") == 0) {
        return CKK_SLH_DSA;
    }
    die("unknown algorithm", 0);
    return 0;
}

static CK_OBJECT_HANDLE
import(CK_OBJECT_CLASS cls, CK_KEY_TYPE kt, CK_ULONG set, const char *path,
       CK_ATTRIBUTE_TYPE use)
{
    size_t len;
    unsigned char *v = read_file(path, &len);
    CK_BBOOL yes = CK_TRUE;
    CK_ATTRIBUTE t[] = {
        {CKA_CLASS, &cls, sizeof(cls)},
        {CKA_KEY_TYPE, &kt, sizeof(kt)},
        {CKA_PARAMETER_SET, &set, sizeof(set)},
        {CKA_VALUE, v, len},
        {use, &yes, sizeof(yes)},
    };
    CK_OBJECT_HANDLE h;

    check("C_CreateObject", th.f->C_CreateObject(tk_s, t, 5, &h));
    free(v);
    return h;
}

static void
save_attr(CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE type, const char *path)
{
    CK_ATTRIBUTE a = {type, NULL, 0};

    check("C_GetAttributeValue", th.f->C_GetAttributeValue(tk_s, h, &a, 1));
    a.pValue = malloc(a.ulValueLen + 1);
    check("C_GetAttributeValue", th.f->C_GetAttributeValue(tk_s, h, &a, 1));
    write_file(path, a.pValue, a.ulValueLen);
    free(a.pValue);
}

static CK_MECHANISM_TYPE
sig_mech(CK_KEY_TYPE kt)
{
    return kt == CKK_ML_DSA ? CKM_ML_DSA : CKM_SLH_DSA;
}

static int
cmd_gen(char **argv, int argc)
{
    CK_KEY_TYPE kt = key_type(argv[0]);
    CK_ULONG set = strtoul(argv[1], NULL, 0);
    CK_MECHANISM m = {kt == CKK_ML_KEM   ? CKM_ML_KEM_KEY_PAIR_GEN
                      : kt == CKK_ML_DSA ? CKM_ML_DSA_KEY_PAIR_GEN
                                         : CKM_SLH_DSA_KEY_PAIR_GEN,
                      NULL, 0};
    CK_BBOOL yes = CK_TRUE;
    CK_BBOOL no = CK_FALSE;
    CK_ATTRIBUTE tpub[] = {{CKA_PARAMETER_SET, &set, sizeof(set)}};
    CK_ATTRIBUTE tpriv[] = {{CKA_SENSITIVE, &no, sizeof(no)},
                            {CKA_EXTRACTABLE, &yes, sizeof(yes)}};
    CK_OBJECT_HANDLE pub;
    CK_OBJECT_HANDLE priv;

    check("C_GenerateKeyPair",
          th.f->C_GenerateKeyPair(tk_s, &m, tpub, 1, tpriv, 2, &pub, &priv));
    save_attr(pub, CKA_VALUE, argv[2]);
    save_attr(priv, CKA_VALUE, argv[3]);
    if (argc > 4) {
        save_attr(priv, CKA_SEED, argv[4]);
    }
    return 0;
}

static int
cmd_sign(char **argv)
{
    CK_KEY_TYPE kt = key_type(argv[0]);
    CK_ULONG set = strtoul(argv[1], NULL, 0);
    CK_OBJECT_HANDLE h = import(CKO_PRIVATE_KEY, kt, set, argv[2], CKA_SIGN);
    size_t ml;
    size_t cl;
    unsigned char *msg = read_file(argv[3], &ml);
    unsigned char *ctx = ctx_bytes(argv[4], &cl);
    CK_SIGN_ADDITIONAL_CONTEXT p = {CKH_DETERMINISTIC_REQUIRED, ctx, cl};
    CK_MECHANISM m = {sig_mech(kt), &p, sizeof(p)};
    unsigned char *sig = malloc(50000);
    CK_ULONG sl = 50000;

    check("C_SignInit", th.f->C_SignInit(tk_s, &m, h));
    check("C_Sign", th.f->C_Sign(tk_s, msg, ml, sig, &sl));
    write_file(argv[5], sig, sl);
    free(msg);
    free(ctx);
    free(sig);
    return 0;
}

static int
cmd_verify(char **argv)
{
    CK_KEY_TYPE kt = key_type(argv[0]);
    CK_ULONG set = strtoul(argv[1], NULL, 0);
    CK_OBJECT_HANDLE h = import(CKO_PUBLIC_KEY, kt, set, argv[2], CKA_VERIFY);
    size_t ml;
    size_t cl;
    size_t sl;
    unsigned char *msg = read_file(argv[3], &ml);
    unsigned char *ctx = ctx_bytes(argv[4], &cl);
    unsigned char *sig = read_file(argv[5], &sl);
    CK_SIGN_ADDITIONAL_CONTEXT p = {CKH_HEDGE_PREFERRED, ctx, cl};
    CK_MECHANISM m = {sig_mech(kt), &p, sizeof(p)};
    CK_RV rv;

    check("C_VerifyInit", th.f->C_VerifyInit(tk_s, &m, h));
    rv = th.f->C_Verify(tk_s, msg, ml, sig, sl);
    free(msg);
    free(ctx);
    free(sig);
    if (rv == CKR_SIGNATURE_INVALID || rv == CKR_SIGNATURE_LEN_RANGE) {
        return 1;
    }
    check("C_Verify", rv);
    return 0;
}

/* The template of the shared key: a readable generic secret. */
static CK_ATTRIBUTE tk_secret_tmpl[4];
static CK_OBJECT_CLASS tk_secret_cls = CKO_SECRET_KEY;
static CK_KEY_TYPE tk_secret_kt = CKK_GENERIC_SECRET;
static CK_BBOOL tk_false = CK_FALSE;
static CK_BBOOL tk_true = CK_TRUE;

static CK_ATTRIBUTE *
secret_tmpl(void)
{
    tk_secret_tmpl[0] = (CK_ATTRIBUTE){CKA_CLASS, &tk_secret_cls, sizeof(tk_secret_cls)};
    tk_secret_tmpl[1] = (CK_ATTRIBUTE){CKA_KEY_TYPE, &tk_secret_kt, sizeof(tk_secret_kt)};
    tk_secret_tmpl[2] = (CK_ATTRIBUTE){CKA_SENSITIVE, &tk_false, sizeof(tk_false)};
    tk_secret_tmpl[3] = (CK_ATTRIBUTE){CKA_EXTRACTABLE, &tk_true, sizeof(tk_true)};
    return tk_secret_tmpl;
}

static int
cmd_encaps(char **argv)
{
    CK_ULONG set = strtoul(argv[0], NULL, 0);
    CK_OBJECT_HANDLE h = import(CKO_PUBLIC_KEY, CKK_ML_KEM, set, argv[1], CKA_ENCAPSULATE);
    CK_MECHANISM m = {CKM_ML_KEM, NULL, 0};
    unsigned char ct[1568];
    CK_ULONG cl = sizeof(ct);
    CK_OBJECT_HANDLE k;

    check("C_EncapsulateKey", th.f->C_EncapsulateKey(tk_s, &m, h, secret_tmpl(), 4, ct, &cl, &k));
    write_file(argv[2], ct, cl);
    save_attr(k, CKA_VALUE, argv[3]);
    return 0;
}

static int
cmd_decaps(char **argv)
{
    CK_ULONG set = strtoul(argv[0], NULL, 0);
    CK_OBJECT_HANDLE h = import(CKO_PRIVATE_KEY, CKK_ML_KEM, set, argv[1], CKA_DECAPSULATE);
    CK_MECHANISM m = {CKM_ML_KEM, NULL, 0};
    size_t cl;
    unsigned char *ct = read_file(argv[2], &cl);
    CK_OBJECT_HANDLE k;

    check("C_DecapsulateKey",
          th.f->C_DecapsulateKey(tk_s, &m, h, secret_tmpl(), 4, ct, cl, &k));
    free(ct);
    save_attr(k, CKA_VALUE, argv[3]);
    return 0;
}

int
main(int argc, char **argv)
{
    CK_SLOT_ID slot;
    int rc = 2;

    if (argc < 2) {
        fprintf(stderr, "usage: see the comment at the top of pqc_xcheck.c\n");
        return 2;
    }
    th_setup(NULL);
    slot = th_make_token("pqc-xcheck");
    tk_s = th_open(slot, 1);
    check("C_Login", th.f->C_Login(tk_s, CKU_USER, PIN(TH_USER_PIN)));
    if (strcmp(argv[1], "gen") == 0 && argc >= 6) {
        rc = cmd_gen(argv + 2, argc - 2);
    } else if (strcmp(argv[1], "sign") == 0 && argc == 8) {
        rc = cmd_sign(argv + 2);
    } else if (strcmp(argv[1], "verify") == 0 && argc == 8) {
        rc = cmd_verify(argv + 2);
    } else if (strcmp(argv[1], "encaps") == 0 && argc == 6) {
        rc = cmd_encaps(argv + 2);
    } else if (strcmp(argv[1], "decaps") == 0 && argc == 6) {
        rc = cmd_decaps(argv + 2);
    } else {
        fprintf(stderr, "pqc_xcheck: bad command line\n");
    }
    th_teardown();
    return rc;
}
