#!/bin/bash
# The OpenSSL command line checks what the token computed: signatures made
# in the token (RSA PKCS#1 v1.5 and PSS, ECDSA on P-256, P-384 and P-521,
# Ed25519) verify with `openssl dgst` / `openssl pkeyutl` against public
# keys exported both by `trustoken export` and by pkcs11-tool; a changed
# message or signature does not verify; the token decrypts RSA-OAEP
# (SHA-256, SHA-384, with a label absent) made by openssl; ECDH on P-256 and
# P-384 gives openssl's secret. X25519 is in crypto_python.sh because
# pkcs11-tool 0.23 can neither make nor parse Curve25519 keys.
. "$(dirname "$0")/common.sh" "$@"
. "$(dirname "$0")/crypto_common.sh"
need pkcs11-tool
need openssl
[ -x "$TK_TOOL" ] || fail "trustoken tool missing: $TK_TOOL"

TK_LABEL=tk-openssl
init_token_pkcs11_tool "$TK_LABEL"
cd "$TK_TMP"

p11 --keypairgen --key-type rsa:2048 --label rsa --id 01 --usage-sign --usage-decrypt >/dev/null
p11 --keypairgen --key-type EC:prime256v1 --label p256 --id 02 --usage-derive >/dev/null
p11 --keypairgen --key-type EC:secp384r1 --label p384 --id 03 --usage-derive >/dev/null
p11 --keypairgen --key-type EC:secp521r1 --label p521 --id 05 >/dev/null
p11 --keypairgen --key-type EC:edwards25519 --label ed25519 --id 04 >/dev/null

# Public keys as SubjectPublicKeyInfo: from the trustoken tool for all,
# and as pkcs11-tool's DER for RSA. pkcs11-tool 0.23 --read-object uses
# freed memory for EC keys (AddressSanitizer reports it in sanitizer
# builds; on P-384 it fails with "cannot create EVP_PKEY", with softhsm2
# too) and reads Edwards points only DER-wrapped.
for k in rsa p256 p384 p521 ed25519; do
    export_pub "$k" "$k.pem"
done
p11 --read-object --type pubkey --id 01 -o rsa.der
openssl pkey -pubin -inform DER -in rsa.der -outform PEM -out rsa.p11.pem
same_bytes rsa.p11.pem rsa.pem "the RSA public keys from pkcs11-tool and trustoken"
openssl pkey -pubin -in rsa.pem -noout -text > rsa.txt
expect_in rsa.txt "Public-Key: \(2048 bit\)"
openssl pkey -pubin -in ed25519.pem -noout -text > ed.txt
expect_in ed.txt "ED25519 Public-Key"

random_file msg 3000
tamper msg msg.bad
openssl dgst -sha256 -binary msg > msg.sha256

# RSA PKCS#1 v1.5 and PSS (hashed in the token, and over a hash made here).
p11 --sign --id 01 -m SHA256-RSA-PKCS -i msg -o sig.rsa
run openssl dgst -sha256 -verify rsa.pem -signature sig.rsa msg
must_fail openssl dgst -sha256 -verify rsa.pem -signature sig.rsa msg.bad
p11 --sign --id 01 -m SHA384-RSA-PKCS-PSS -i msg -o sig.pss
run openssl dgst -sha384 -verify rsa.pem -sigopt rsa_padding_mode:pss \
    -sigopt rsa_pss_saltlen:48 -signature sig.pss msg
must_fail openssl dgst -sha384 -verify rsa.pem -sigopt rsa_padding_mode:pss \
    -signature sig.pss msg.bad
p11 --sign --id 01 -m RSA-PKCS-PSS --hash-algorithm SHA256 --mgf MGF1-SHA256 \
    -i msg.sha256 -o sig.pss256
run openssl pkeyutl -verify -pubin -inkey rsa.pem -pkeyopt digest:sha256 \
    -pkeyopt rsa_padding_mode:pss -pkeyopt rsa_pss_saltlen:32 -in msg.sha256 -sigfile sig.pss256

# ECDSA: pkcs11-tool writes r||s unless asked for openssl's DER form; the
# raw form is converted here to check both.
p11 --sign --id 02 -m ECDSA-SHA256 --signature-format openssl -i msg -o sig.p256
run openssl dgst -sha256 -verify p256.pem -signature sig.p256 msg
must_fail openssl dgst -sha256 -verify p256.pem -signature sig.p256 msg.bad
p11 --sign --id 03 -m ECDSA-SHA384 --signature-format openssl -i msg -o sig.p384
run openssl dgst -sha384 -verify p384.pem -signature sig.p384 msg
p11 --sign --id 05 -m ECDSA-SHA512 --signature-format openssl -i msg -o sig.p521
run openssl dgst -sha512 -verify p521.pem -signature sig.p521 msg
p11 --sign --id 02 -m ECDSA -i msg.sha256 -o sig.raw
[ "$(stat -c %s sig.raw)" -eq 64 ] || fail "raw P-256 ECDSA signature is not 64 bytes"
# r||s to an ASN.1 SEQUENCE of two INTEGERs, through openssl asn1parse.
R=$(od -An -tx1 -v -N 32 sig.raw | tr -d ' \n')
S=$(od -An -tx1 -v -j 32 sig.raw | tr -d ' \n')
printf 'asn1=SEQUENCE:sig\n[sig]\nr=INTEGER:0x%s\ns=INTEGER:0x%s\n' "$R" "$S" > sig.cnf
run openssl asn1parse -genconf sig.cnf -out sig.der > /dev/null
run openssl pkeyutl -verify -pubin -inkey p256.pem -in msg.sha256 -sigfile sig.der
tamper sig.der sig.der.bad
must_fail openssl pkeyutl -verify -pubin -inkey p256.pem -in msg.sha256 -sigfile sig.der.bad

# Ed25519 (pure EdDSA over the whole message).
p11 --sign --id 04 -m EDDSA -i msg -o sig.ed
run openssl pkeyutl -verify -pubin -inkey ed25519.pem -rawin -in msg -sigfile sig.ed
must_fail openssl pkeyutl -verify -pubin -inkey ed25519.pem -rawin -in msg.bad -sigfile sig.ed

# RSA-OAEP made by openssl, decrypted by the token.
random_file secret 64
for md in sha256 sha384; do
    run openssl pkeyutl -encrypt -pubin -inkey rsa.pem -in secret -out "ct.$md" \
        -pkeyopt rsa_padding_mode:oaep -pkeyopt "rsa_oaep_md:$md" -pkeyopt "rsa_mgf1_md:$md"
    MD=$(echo "$md" | tr a-z A-Z)
    p11 --decrypt --id 01 -m RSA-PKCS-OAEP --hash-algorithm "$MD" --mgf "MGF1-$MD" \
        -i "ct.$md" -o "pt.$md"
    same_bytes "pt.$md" secret "RSA-OAEP $md"
done
# A corrupted ciphertext must not decrypt to anything.
tamper ct.sha256 ct.bad
echo "+ pkcs11-tool --decrypt of a corrupted OAEP ciphertext (expecting failure)" >&2
if pkcs11-tool --module "$TK_MODULE" --token-label "$TK_LABEL" --login --pin "$TK_PIN" \
    --decrypt --id 01 -m RSA-PKCS-OAEP --hash-algorithm SHA256 --mgf MGF1-SHA256 \
    -i ct.bad -o pt.bad > bad.txt 2>&1; then
    cat bad.txt >&2
    fail "a corrupted OAEP ciphertext decrypted"
fi

# ECDH: the token and openssl agree on the shared secret.
for c in p256:P-256:02 p384:P-384:03; do
    IFS=: read -r k curve id <<< "$c"
    run openssl genpkey -algorithm EC -pkeyopt "ec_paramgen_curve:$curve" -out "peer-$k.pem"
    openssl pkey -in "peer-$k.pem" -pubout -outform DER -out "peer-$k.der"
    p11 --derive -m ECDH1-DERIVE --id "$id" -i "peer-$k.der" -o "z-$k.tok" >/dev/null
    run openssl pkeyutl -derive -inkey "peer-$k.pem" -peerkey "$k.pem" -out "z-$k.ossl"
    same_bytes "z-$k.tok" "z-$k.ossl" "ECDH $curve shared secret"
done
echo "PASS"
