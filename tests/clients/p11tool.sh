#!/bin/bash
# GnuTLS p11tool, which loads the module through p11-kit: --list-tokens and
# --list-all show the token and a certificate stored by pkcs11-tool.
. "$(dirname "$0")/common.sh" "$@"
need p11tool
need pkcs11-tool
need openssl

init_token_pkcs11_tool "tk-gnutls"
make_cert_der "$TK_TMP/cert.der"
run pkcs11-tool --module "$TK_MODULE" --token-label tk-gnutls --login --pin "$TK_PIN" \
    --write-object "$TK_TMP/cert.der" --type cert --label gnutls-cert --id 11

run p11tool --provider "$TK_MODULE" --list-tokens > "$TK_TMP/tokens.txt"
expect_in "$TK_TMP/tokens.txt" "Label: tk-gnutls"
expect_in "$TK_TMP/tokens.txt" "URL: pkcs11:.*token=tk-gnutls"
expect_in "$TK_TMP/tokens.txt" "Manufacturer: TrusToken"

run p11tool --provider "$TK_MODULE" --list-all "pkcs11:token=tk-gnutls" > "$TK_TMP/all.txt"
expect_in "$TK_TMP/all.txt" "object=gnutls-cert"
expect_in "$TK_TMP/all.txt" "Type: X\.509 Certificate"

# The certificate p11tool exports is the one that was stored.
run p11tool --provider "$TK_MODULE" --export "pkcs11:token=tk-gnutls;object=gnutls-cert" \
    --outder --outfile "$TK_TMP/cert.back"
cmp "$TK_TMP/cert.der" "$TK_TMP/cert.back" || fail "p11tool exported another certificate"

# With the PIN, p11tool logs in and still finds the certificate.
GNUTLS_PIN=$TK_PIN run p11tool --provider "$TK_MODULE" --login --list-all \
    "pkcs11:token=tk-gnutls" > "$TK_TMP/login.txt"
expect_in "$TK_TMP/login.txt" "object=gnutls-cert"
echo "PASS"
