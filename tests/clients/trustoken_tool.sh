#!/bin/bash
# The trustoken tool end to end: init, slots, info, import of a certificate
# and RSA, EC P-256 and Ed25519 keys, objects, export compared with
# `openssl pkey -pubout`, delete, set-pin, and the documented exit codes.
. "$(dirname "$0")/common.sh" "$@"
need openssl
[ -x "$TK_TOOL" ] || fail "trustoken tool not given"

TK=("$TK_TOOL" --module "$TK_MODULE")

# Exit code 1: usage errors, before the module is even asked.
expect_rc 1 "${TK[@]}"
expect_rc 1 "${TK[@]}" no-such-command
expect_rc 1 "${TK[@]}" objects --id xyz

run "${TK[@]}" slots > "$TK_TMP/slots0.txt"
expect_in "$TK_TMP/slots0.txt" "empty token"

# PINs from a file and from the environment, as scripts pass them.
printf '%s\n' "$TK_SO_PIN" > "$TK_TMP/so.pin"
TRUSTOKEN_PIN=$TK_PIN run "${TK[@]}" init --label tk-tool --so-pin-file "$TK_TMP/so.pin" \
    > "$TK_TMP/init.txt"
expect_in "$TK_TMP/init.txt" "Token 'tk-tool' initialised"
run "${TK[@]}" slots > "$TK_TMP/slots.txt"
expect_in "$TK_TMP/slots.txt" "token 'tk-tool'"
expect_in "$TK_TMP/slots.txt" "empty token"
run "${TK[@]}" info > "$TK_TMP/info.txt"
expect_in "$TK_TMP/info.txt" "cryptoki version +3\."
expect_in "$TK_TMP/info.txt" "label +tk-tool"
expect_in "$TK_TMP/info.txt" "user-pin-set"

# Exit code 1 also when a PIN is needed but no source gives one and stdin
# is not a terminal to ask on, and for a label longer than 32 bytes.
expect_rc 1 "${TK[@]}" objects --login < /dev/null
expect_rc 1 "${TK[@]}" init --label "$(printf 'x%.0s' {1..33})" --so-pin "$TK_SO_PIN" \
    --pin "$TK_PIN"
expect_rc 3 "${TK[@]}" objects --login --pin-file "$TK_TMP/no-such.pin"

export TRUSTOKEN_PIN=$TK_PIN
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$TK_TMP/rsa.pem" 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$TK_TMP/ec.pem"
openssl genpkey -algorithm ED25519 -out "$TK_TMP/ed.pem"
make_cert_der "$TK_TMP/cert.der"
openssl x509 -inform DER -in "$TK_TMP/cert.der" -out "$TK_TMP/cert.pem"

# The EC key goes in as DER PKCS#8, the others as PEM.
openssl pkcs8 -topk8 -nocrypt -in "$TK_TMP/ec.pem" -outform DER -out "$TK_TMP/ec.p8.der"
run "${TK[@]}" import "$TK_TMP/rsa.pem" --label k-rsa --id 01
run "${TK[@]}" import "$TK_TMP/ec.p8.der" --label k-ec --id 02
run "${TK[@]}" import "$TK_TMP/ed.pem" --label k-ed --id 03
run "${TK[@]}" import "$TK_TMP/cert.der" --label c-cert --id 04

# Exit code 3: unreadable or unparsable input.
expect_rc 3 "${TK[@]}" import "$TK_TMP/does-not-exist.pem"
head -c 100 /dev/urandom > "$TK_TMP/junk.bin"
expect_rc 3 "${TK[@]}" import "$TK_TMP/junk.bin"

# Without login only the public objects are visible.
run "${TK[@]}" objects > "$TK_TMP/public.txt"
expect_in "$TK_TMP/public.txt" "^pubkey +RSA +label=k-rsa id=01$"
expect_in "$TK_TMP/public.txt" "^pubkey +EC +label=k-ec id=02$"
expect_in "$TK_TMP/public.txt" "^pubkey +EC_EDWARDS +label=k-ed id=03$"
expect_in "$TK_TMP/public.txt" "^cert +- +label=c-cert id=04$"
expect_not_in "$TK_TMP/public.txt" "^privkey"
run "${TK[@]}" objects --login > "$TK_TMP/all.txt"
expect_in "$TK_TMP/all.txt" "^privkey +RSA +label=k-rsa id=01$"
expect_in "$TK_TMP/all.txt" "^privkey +EC +label=k-ec id=02$"
expect_in "$TK_TMP/all.txt" "^privkey +EC_EDWARDS +label=k-ed id=03$"
# The module's own objects (CKO_PROFILE) are not counted.
[ "$(grep -cv '^profile ' "$TK_TMP/all.txt")" -eq 7 ] || fail "expected 7 objects"

# Exported public keys equal OpenSSL's own SubjectPublicKeyInfo.
for k in rsa ec ed; do
    openssl pkey -in "$TK_TMP/$k.pem" -pubout -out "$TK_TMP/$k.pub.pem"
    run "${TK[@]}" export --label "k-$k" --out "$TK_TMP/$k.exp.pem"
    cmp "$TK_TMP/$k.pub.pem" "$TK_TMP/$k.exp.pem" || fail "exported $k key differs"
done
run "${TK[@]}" export --id 04 > "$TK_TMP/cert.exp.pem"
cmp "$TK_TMP/cert.pem" "$TK_TMP/cert.exp.pem" || fail "exported certificate differs"
expect_rc 2 "${TK[@]}" export --label no-such-label

# delete with --class removes only that class.
run "${TK[@]}" delete --label k-rsa --class privkey
run "${TK[@]}" objects --login > "$TK_TMP/after1.txt"
expect_not_in "$TK_TMP/after1.txt" "^privkey +RSA"
expect_in "$TK_TMP/after1.txt" "^pubkey +RSA +label=k-rsa"
run "${TK[@]}" delete --id 02
run "${TK[@]}" objects --login > "$TK_TMP/after2.txt"
expect_not_in "$TK_TMP/after2.txt" "k-ec"
expect_rc 2 "${TK[@]}" delete --label k-ec

# set-pin: the new PIN works, the old one fails with exit code 2.
run "${TK[@]}" set-pin --pin "$TK_PIN" --new-pin 4321
expect_rc 2 "${TK[@]}" objects --login --pin "$TK_PIN"
"${TK[@]}" objects --login --pin "$TK_PIN" 2> "$TK_TMP/err.txt" || true
expect_in "$TK_TMP/err.txt" "CKR_PIN_INCORRECT"
run "${TK[@]}" objects --login --pin 4321 > "$TK_TMP/newpin.txt"
expect_in "$TK_TMP/newpin.txt" "^privkey +EC_EDWARDS +label=k-ed"
run "${TK[@]}" set-pin --so --so-pin "$TK_SO_PIN" --new-pin 87654321
expect_rc 2 "${TK[@]}" set-pin --so --so-pin "$TK_SO_PIN" --new-pin 11111111
echo "PASS"
