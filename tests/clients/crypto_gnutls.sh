#!/bin/bash
# GnuTLS: p11tool generates an ECDSA P-256 and an RSA 2048 key on the
# token and --test-sign signs with each; certtool makes a self-signed
# certificate whose signature the token computes, and both certtool and
# openssl verify it; the certificate carries the token's public key.
. "$(dirname "$0")/common.sh" "$@"
. "$(dirname "$0")/crypto_common.sh"
need p11tool
need certtool
need pkcs11-tool
need openssl

TK_LABEL=tk-gnutls-crypto
init_token_pkcs11_tool "$TK_LABEL"
cd "$TK_TMP"
export GNUTLS_PIN=$TK_PIN
TOKEN="pkcs11:token=$TK_LABEL"

cat > cert.tmpl <<'TMPL'
cn = "TrusToken GnuTLS client test"
serial = 7
expiration_days = 2
ca
cert_signing_key
signing_key
TMPL

gnutls_key() {
    local name=$1
    shift
    run p11tool --provider "$TK_MODULE" --login --generate-privkey="$name" "$@" \
        --label "gnutls-$name" --outfile "gen-$name.pem" "$TOKEN"
    openssl pkey -pubin -in "gen-$name.pem" -noout || fail "p11tool printed no public key"

    local key="$TOKEN;object=gnutls-$name;type=private"
    run p11tool --provider "$TK_MODULE" --login --test-sign "$key" > "sign-$name.txt" 2>&1
    expect_in "sign-$name.txt" "Verifying against private key parameters\.\.\. ok"
    expect_in "sign-$name.txt" "Verifying against public key in the token\.\.\. ok"

    certtool_sign "cert-$name.pem" --provider "$TK_MODULE" --generate-self-signed \
        --load-privkey "$key" --template cert.tmpl
    run env -u LD_PRELOAD certtool --verify --load-ca-certificate "cert-$name.pem" \
        --infile "cert-$name.pem" > "verify-$name.txt" 2>&1
    expect_in "verify-$name.txt" "Verified\. The certificate is trusted\."
    # -check_ss_sig: openssl checks a trust anchor's own signature only so.
    run openssl verify -check_ss_sig -CAfile "cert-$name.pem" "cert-$name.pem"

    # The certificate holds the token's public key, so only the token's
    # private key can have made the signature that verified.
    run p11tool --provider "$TK_MODULE" --export-pubkey "$TOKEN;object=gnutls-$name" \
        --outfile "tokpub-$name.pem"
    openssl pkey -pubin -in "tokpub-$name.pem" -out "tokpub-$name.norm"
    openssl x509 -in "cert-$name.pem" -pubkey -noout > "certpub-$name.norm"
    same_bytes "certpub-$name.norm" "tokpub-$name.norm" "certificate key of $name"

    # A certificate with one changed signature byte must not verify.
    openssl x509 -in "cert-$name.pem" -outform DER -out "cert-$name.der"
    tamper "cert-$name.der" "cert-$name.bad"
    openssl x509 -inform DER -in "cert-$name.bad" -out "cert-$name.bad.pem"
    must_fail openssl verify -check_ss_sig -CAfile "cert-$name.bad.pem" "cert-$name.bad.pem"
    expect_in "$TK_TMP/must_fail.out" "certificate signature failure"
}

gnutls_key ecdsa --curve=secp256r1
expect_in cert-ecdsa.pem "BEGIN CERTIFICATE"
openssl x509 -in cert-ecdsa.pem -noout -text > ecdsa.txt
expect_in ecdsa.txt "Signature Algorithm: ecdsa-with-SHA256"
expect_in ecdsa.txt "NIST CURVE: P-256"

gnutls_key rsa --bits=2048
openssl x509 -in cert-rsa.pem -noout -text > rsa.txt
expect_in rsa.txt "Public-Key: \(2048 bit\)"

# The keys are token objects another client sees.
run pkcs11-tool --module "$TK_MODULE" --token-label "$TK_LABEL" --login --pin "$TK_PIN" \
    --list-objects --type privkey > objs.txt 2>&1
expect_in objs.txt "label: +gnutls-ecdsa"
expect_in objs.txt "label: +gnutls-rsa"
echo "PASS"
