#!/bin/bash
# trustoken import reads every input format it documents, and the public
# keys it stores export back to exactly what OpenSSL derives from the file:
# PKCS#12, encrypted PKCS#8 PEM, traditional RSA and SEC1 EC PEM (with an
# EC PARAMETERS block), PKCS#1 and SubjectPublicKeyInfo public keys, and
# the Edwards and Montgomery curves (Ed448, X25519, X448) next to P-384.
. "$(dirname "$0")/../clients/common.sh" "$@"
need openssl
[ -x "$TK_TOOL" ] || fail "trustoken tool not given"

TK=("$TK_TOOL" --module "$TK_MODULE")
printf '%s\n' "$TK_PIN" > "$TK_TMP/user.pin"
run "${TK[@]}" init --label tk-formats --so-pin "$TK_SO_PIN" --pin-file "$TK_TMP/user.pin"
export TRUSTOKEN_PIN=$TK_PIN
cd "$TK_TMP"

# import_and_compare LABEL FILE SOURCE [import options...]: import FILE,
# export LABEL's public key and compare it with `openssl pkey -pubout` of
# SOURCE (the private key the file was made from).
import_and_compare() {
    local label=$1 file=$2 src=$3
    shift 3
    run "${TK[@]}" import "$file" --label "$label" "$@"
    openssl pkey -in "$src" -pubout -out "$label.want.pem"
    run "${TK[@]}" export --label "$label" --class pubkey --out "$label.got.pem"
    cmp "$label.want.pem" "$label.got.pem" || fail "$label: exported key differs"
}

# PKCS#12: key and certificate share the derived id.
openssl req -x509 -newkey rsa:2048 -nodes -keyout p12key.pem -subj /CN=p12 -days 2 \
    -out p12cert.pem 2>/dev/null
openssl pkcs12 -export -in p12cert.pem -inkey p12key.pem -out bundle.p12 -passout pass:secret
expect_rc 3 "${TK[@]}" import bundle.p12 --label p12 --passin wrong
import_and_compare p12 bundle.p12 p12key.pem --passin secret
run "${TK[@]}" objects --login --label p12 > p12.txt
[ "$(wc -l < p12.txt)" -eq 3 ] || { cat p12.txt; fail "PKCS#12 should give 3 objects"; }
[ "$(sed -E 's/.* id=//' p12.txt | sort -u | wc -l)" -eq 1 ] || fail "ids differ"
run "${TK[@]}" export --label p12 --class cert --out p12.back.pem
openssl x509 -in p12cert.pem | cmp - p12.back.pem || fail "PKCS#12 certificate differs"

# Encrypted PKCS#8 PEM.
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out p384.pem
openssl pkcs8 -topk8 -in p384.pem -passout pass:pw -v2 aes-256-cbc -out p384.enc.pem
expect_rc 3 "${TK[@]}" import p384.enc.pem --label p384
import_and_compare p384 p384.enc.pem p384.pem --passin pw

# Traditional "RSA PRIVATE KEY" and SEC1 "EC PRIVATE KEY" with parameters.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa.pem 2>/dev/null
openssl rsa -in rsa.pem -traditional -out rsa.trad.pem 2>/dev/null
grep -q "BEGIN RSA PRIVATE KEY" rsa.trad.pem || fail "openssl made no traditional key"
import_and_compare rsa-trad rsa.trad.pem rsa.pem
openssl ecparam -name prime256v1 -genkey -out sec1.pem
grep -q "BEGIN EC PARAMETERS" sec1.pem || fail "openssl made no EC PARAMETERS block"
import_and_compare sec1 sec1.pem sec1.pem

# Public keys alone: PKCS#1 PEM and SubjectPublicKeyInfo DER.
openssl rsa -in rsa.pem -RSAPublicKey_out -out rsa.pkcs1.pem 2>/dev/null
import_and_compare rsa-pkcs1 rsa.pkcs1.pem rsa.pem
openssl pkey -in rsa.pem -pubout -outform DER -out rsa.spki.der
import_and_compare rsa-spki rsa.spki.der rsa.pem
run "${TK[@]}" objects --login --label rsa-spki > spki.txt
expect_not_in spki.txt "privkey"

# Edwards and Montgomery curves, raw CKA_EC_POINT [PKCS11 3.2 §6.5].
for alg in ED448 X25519 X448; do
    openssl genpkey -algorithm "$alg" -out "$alg.pem"
    import_and_compare "k-$alg" "$alg.pem" "$alg.pem"
done
run "${TK[@]}" objects --login > all.txt
expect_in all.txt "^privkey +EC_EDWARDS +label=k-ED448"
expect_in all.txt "^privkey +EC_MONTGOMERY +label=k-X25519"
expect_in all.txt "^pubkey +EC_MONTGOMERY +label=k-X448"
echo "PASS"
