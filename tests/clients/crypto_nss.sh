#!/bin/bash
# NSS: certutil -S generates EC P-256 and P-384, RSA 2048 and RSA-PSS key
# pairs on the token and makes a self-signed certificate with each, the
# token signing.
# certutil lists the certificates and keys on the token and validates the
# certificates with their signatures; openssl checks the exported
# certificates' self-signatures as well.
. "$(dirname "$0")/common.sh" "$@"
. "$(dirname "$0")/crypto_common.sh"
need modutil
need certutil
need pkcs11-tool
need openssl

TK_LABEL=tk-nss-crypto
init_token_pkcs11_tool "$TK_LABEL"
cd "$TK_TMP"

DB="sql:$TK_TMP/nssdb"
mkdir -p nssdb
printf '%s\n' "$TK_PIN" > pwfile
random_file noise 64
run certutil -N -d "$DB" --empty-password
run modutil -dbdir "$DB" -add trustoken -libfile "$TK_MODULE" -force
# FRIENDLY ("certificates are public") lets certutil -V find the
# certificate without a login: -V reads no password file.
run modutil -dbdir "$DB" -default trustoken -mechanisms FRIENDLY -force

run certutil -S -d "$DB" -h "$TK_LABEL" -f pwfile -z noise -n nss-ec -s "CN=nss ec,O=TrusToken" \
    -x -t "CT,," -k ec -q nistp256 -Z SHA256 -v 2 -m 101
run certutil -S -d "$DB" -h "$TK_LABEL" -f pwfile -z noise -n nss-rsa \
    -s "CN=nss rsa,O=TrusToken" -x -t "CT,," -k rsa -g 2048 -Z SHA256 -v 2 -m 102

# RSA-PSS (an RSASSA-PSS key and signature) and P-384 as well.
run certutil -S -d "$DB" -h "$TK_LABEL" -f pwfile -z noise -n nss-pss \
    -s "CN=nss pss,O=TrusToken" -x -t "CT,," -k rsa -g 2048 --pss -Z SHA256 -v 2 -m 103
run certutil -S -d "$DB" -h "$TK_LABEL" -f pwfile -z noise -n nss-p384 \
    -s "CN=nss p384,O=TrusToken" -x -t "CT,," -k ec -q secp384r1 -Z SHA384 -v 2 -m 104

run certutil -L -d "$DB" -h "$TK_LABEL" -f pwfile > certs.txt
expect_in certs.txt "^$TK_LABEL:nss-ec "
expect_in certs.txt "^$TK_LABEL:nss-rsa "
run certutil -K -d "$DB" -h "$TK_LABEL" -f pwfile > keys.txt
expect_in keys.txt "> ec +[0-9a-f]+ +$TK_LABEL:nss-ec"
expect_in keys.txt "> rsa +[0-9a-f]+ +$TK_LABEL:nss-rsa"

for n in ec rsa pss p384; do
    # -e: check the signature too, not only the validity period and usage.
    run certutil -V -d "$DB" -u V -e -n "$TK_LABEL:nss-$n" > "valid-$n.txt" 2>&1
    expect_in "valid-$n.txt" "certificate is valid"
    run certutil -L -d "$DB" -h "$TK_LABEL" -f pwfile -n "$TK_LABEL:nss-$n" -a > "nss-$n.pem"
    run openssl verify -check_ss_sig -CAfile "nss-$n.pem" "nss-$n.pem"
done
openssl x509 -in nss-ec.pem -noout -text > ec.txt
expect_in ec.txt "Signature Algorithm: ecdsa-with-SHA256"
expect_in ec.txt "NIST CURVE: P-256"
openssl x509 -in nss-rsa.pem -noout -text > rsa.txt
expect_in rsa.txt "Signature Algorithm: sha256WithRSAEncryption"
expect_in rsa.txt "Public-Key: \(2048 bit\)"
openssl x509 -in nss-pss.pem -noout -text > pss.txt
expect_in pss.txt "Signature Algorithm: rsassaPss"
openssl x509 -in nss-p384.pem -noout -text > p384.txt
expect_in p384.txt "Signature Algorithm: ecdsa-with-SHA384"

# The private keys stay on the token: sensitive, never extractable, local.
run pkcs11-tool --module "$TK_MODULE" --token-label "$TK_LABEL" --login --pin "$TK_PIN" \
    --list-objects --type privkey > objs.txt 2>&1
[ "$(grep -c 'always sensitive, never extractable, local' objs.txt)" -eq 4 ] ||
    { cat objs.txt >&2; fail "NSS's keys are not all token-generated and sensitive"; }
echo "PASS"
