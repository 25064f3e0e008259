#!/bin/bash
# NSS: modutil registers the module in a fresh database, lists it with its
# token, and certutil shows the certificate that pkcs11-tool stored.
. "$(dirname "$0")/common.sh" "$@"
need modutil
need certutil
need pkcs11-tool
need openssl

init_token_pkcs11_tool "tk-nss"
make_cert_der "$TK_TMP/cert.der"
run pkcs11-tool --module "$TK_MODULE" --token-label tk-nss --login --pin "$TK_PIN" \
    --write-object "$TK_TMP/cert.der" --type cert --label nss-cert --id 21

DB="sql:$TK_TMP/nssdb"
mkdir -p "$TK_TMP/nssdb"
printf '%s\n' "$TK_PIN" > "$TK_TMP/pwfile"
run certutil -N -d "$DB" --empty-password

# -force skips modutil's "is the browser running" question.
run modutil -dbdir "$DB" -add trustoken -libfile "$TK_MODULE" -force
run modutil -dbdir "$DB" -list > "$TK_TMP/list.txt"
expect_in "$TK_TMP/list.txt" "[0-9]+\. trustoken"
expect_in "$TK_TMP/list.txt" "token: tk-nss"
run modutil -dbdir "$DB" -list trustoken > "$TK_TMP/mod.txt"
expect_in "$TK_TMP/mod.txt" "Manufacturer: TrusToken"

run certutil -L -h tk-nss -d "$DB" -f "$TK_TMP/pwfile" > "$TK_TMP/certs.txt"
expect_in "$TK_TMP/certs.txt" "tk-nss:nss-cert"
run certutil -L -h tk-nss -d "$DB" -f "$TK_TMP/pwfile" -n tk-nss:nss-cert -r \
    > "$TK_TMP/cert.back"
cmp "$TK_TMP/cert.der" "$TK_TMP/cert.back" || fail "NSS returned another certificate"
echo "PASS"
