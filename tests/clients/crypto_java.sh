#!/bin/bash
# Java 17 SunPKCS11: keytool lists the token as a PKCS11 keystore,
# generates an EC P-256 and an RSA 2048 key pair on it with self-signed
# certificates (signed by the token), and -list shows both; openssl checks
# the exported certificates' signatures. java/TkCryptoCheck.java then signs
# with both keys (ECDSA, RSA PKCS#1 v1.5 and PSS), decrypts RSA, does ECDH
# and AES-GCM through SunPKCS11 and checks every result with the JDK's
# software providers.
. "$(dirname "$0")/common.sh" "$@"
. "$(dirname "$0")/crypto_common.sh"
need keytool
need java
need pkcs11-tool
need openssl
JAVA_DIR="$(cd "$(dirname "$0")" && pwd)/java"

TK_LABEL=tk-java
init_token_pkcs11_tool "$TK_LABEL"
cd "$TK_TMP"

# slotListIndex 0: the initialised token is in the first slot.
# SunPKCS11 asks for neither CKA_DERIVE on the EC private keys it generates
# nor CKA_EXTRACTABLE on the secret ECDH derives, yet reads that secret's
# CKA_VALUE. The module defaults both to CK_FALSE ([PKCS11 3.2 §4.10]
# leaves CKA_EXTRACTABLE to the token), so ECDH would fail with
# CKR_KEY_FUNCTION_NOT_PERMITTED, then CKR_ATTRIBUTE_SENSITIVE; the
# templates ask for both.
cat > sunpkcs11.cfg <<CFG
name = TrusToken
library = $TK_MODULE
slotListIndex = 0
attributes(generate, CKO_PRIVATE_KEY, CKK_EC) = {
    CKA_DERIVE = true
}
attributes(generate, CKO_SECRET_KEY, CKK_GENERIC_SECRET) = {
    CKA_EXTRACTABLE = true
}
CFG
# -providerName makes keytool generate the key pairs with the token too:
# without it the JDK 17 keytool makes the RSA pair in software and imports
# it (CKA_LOCAL false). SunPKCS11 names the provider after "name" above.
KT=(keytool -keystore NONE -storetype PKCS11 -providerClass sun.security.pkcs11.SunPKCS11
    -providerArg "$TK_TMP/sunpkcs11.cfg" -providerName SunPKCS11-TrusToken
    -storepass "$TK_PIN")

run "${KT[@]}" -list > list0.txt 2>&1 || { cat list0.txt >&2; fail "keytool -list"; }
expect_in list0.txt "Keystore type: PKCS11"
expect_in list0.txt "Your keystore contains 0 entries"

run "${KT[@]}" -genkeypair -alias ec1 -keyalg EC -groupname secp256r1 -dname CN=ec1 -validity 2
run "${KT[@]}" -genkeypair -alias rsa1 -keyalg RSA -keysize 2048 -dname CN=rsa1 -validity 2
run "${KT[@]}" -list > list.txt 2>&1
expect_in list.txt "Your keystore contains 2 entries"
expect_in list.txt "^ec1, PrivateKeyEntry"
expect_in list.txt "^rsa1, PrivateKeyEntry"

for a in ec1 rsa1; do
    run "${KT[@]}" -exportcert -rfc -alias "$a" -file "$a.pem"
    run openssl verify -check_ss_sig -CAfile "$a.pem" "$a.pem"
done
openssl x509 -in ec1.pem -noout -text > ec1.txt
expect_in ec1.txt "Signature Algorithm: ecdsa-with-SHA256"
openssl x509 -in rsa1.pem -noout -text > rsa1.txt
expect_in rsa1.txt "Public-Key: \(2048 bit\)"

# The keys are on the token, where other clients see them; SunPKCS11
# keeps the alias in CKA_ID ("ec1", "rsa1") and leaves CKA_LABEL empty.
run pkcs11-tool --module "$TK_MODULE" --token-label "$TK_LABEL" --login --pin "$TK_PIN" \
    --list-objects --type privkey > objs.txt 2>&1
expect_in objs.txt "ID: +656331$"
expect_in objs.txt "ID: +72736131$"
[ "$(grep -c 'always sensitive, never extractable, local' objs.txt)" -eq 2 ] ||
    { cat objs.txt >&2; fail "keytool's keys were not both generated on the token"; }

# Source-file mode compiles in memory; nothing is written to the tree.
run java "$JAVA_DIR/TkCryptoCheck.java" "$TK_TMP/sunpkcs11.cfg" "$TK_PIN" ec1 rsa1 \
    > check.txt 2>&1 || { cat check.txt >&2; fail "TkCryptoCheck"; }
cat check.txt
expect_in check.txt "^all checks passed$"
echo "PASS"
