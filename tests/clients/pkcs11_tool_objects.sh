#!/bin/bash
# OpenSC pkcs11-tool stores a data object and a certificate; a second
# process lists them and reads them back byte for byte.
. "$(dirname "$0")/common.sh" "$@"
need pkcs11-tool
need openssl

init_token_pkcs11_tool "tk-objects"
P11=(pkcs11-tool --module "$TK_MODULE" --token-label tk-objects)

head -c 300 /dev/urandom > "$TK_TMP/data.bin"
make_cert_der "$TK_TMP/cert.der"

run "${P11[@]}" --login --pin "$TK_PIN" --write-object "$TK_TMP/data.bin" --type data \
    --label tk-data --application-label tk-app
run "${P11[@]}" --login --pin "$TK_PIN" --write-object "$TK_TMP/cert.der" --type cert \
    --label tk-cert --id 0a0b

# Each pkcs11-tool run is a new process, so these read what the store kept.
run "${P11[@]}" --login --pin "$TK_PIN" --list-objects > "$TK_TMP/list.txt"
expect_in "$TK_TMP/list.txt" "Data object"
expect_in "$TK_TMP/list.txt" "label: +'tk-data'"
expect_in "$TK_TMP/list.txt" "Certificate Object"
expect_in "$TK_TMP/list.txt" "label: +tk-cert"
expect_in "$TK_TMP/list.txt" "subject: +DN: CN ?= ?TrusToken client test"
expect_in "$TK_TMP/list.txt" "ID: +0a0b"

# Public objects are listed without login too.
run "${P11[@]}" --list-objects > "$TK_TMP/list-public.txt"
expect_in "$TK_TMP/list-public.txt" "label: +tk-cert"

run "${P11[@]}" --read-object --type cert --id 0a0b -o "$TK_TMP/cert.back"
cmp "$TK_TMP/cert.der" "$TK_TMP/cert.back" || fail "certificate read back differs"
run "${P11[@]}" --login --pin "$TK_PIN" --read-object --type data --label tk-data \
    -o "$TK_TMP/data.back"
cmp "$TK_TMP/data.bin" "$TK_TMP/data.back" || fail "data object read back differs"

# A wrong PIN is refused with the PKCS#11 code for it.
if "${P11[@]}" --login --pin 9999 --list-objects > "$TK_TMP/bad.txt" 2>&1; then
    fail "login with a wrong PIN succeeded"
fi
expect_in "$TK_TMP/bad.txt" "CKR_PIN_INCORRECT"

run "${P11[@]}" --login --pin "$TK_PIN" --delete-object --type data --label tk-data
run "${P11[@]}" --login --pin "$TK_PIN" --list-objects > "$TK_TMP/list2.txt"
expect_not_in "$TK_TMP/list2.txt" "tk-data"
expect_in "$TK_TMP/list2.txt" "tk-cert"
echo "PASS"
