#!/bin/bash
# OpenSC pkcs11-tool drives the classic mechanisms: key pairs for RSA 2048,
# P-256, P-384 and Ed25519 made on the token; signatures made and checked
# by the token (and a tampered message refused); RSA-OAEP and RSA-PKCS
# decryption of what openssl encrypted; AES-CBC-PAD both ways against
# `openssl enc`; ECDH with an openssl peer; `--test` and
# `--list-mechanisms`.
#
# pkcs11-tool 0.23 has no AES-GCM or AES-CTR in --encrypt, no public-key
# --encrypt, and cannot parse X25519 peers or make Curve25519 keys (it
# sends a private OID): crypto_python.sh covers those.
. "$(dirname "$0")/common.sh" "$@"
. "$(dirname "$0")/crypto_common.sh"
need pkcs11-tool
need openssl

TK_LABEL=tk-p11crypto
init_token_pkcs11_tool "$TK_LABEL"
cd "$TK_TMP"

# Key pairs. pkcs11-tool 0.23 names Ed25519 "edwards25519".
p11 --keypairgen --key-type rsa:2048 --label rsa --id 01 --usage-sign --usage-decrypt \
    > gen-rsa.txt
expect_in gen-rsa.txt "Public Key Object; RSA 2048 bits"
p11 --keypairgen --key-type EC:prime256v1 --label p256 --id 02 --usage-sign --usage-derive \
    > gen-p256.txt
expect_in gen-p256.txt "EC_PARAMS: +06082a8648ce3d030107"
p11 --keypairgen --key-type EC:secp384r1 --label p384 --id 03 --usage-sign --usage-derive \
    > gen-p384.txt
expect_in gen-p384.txt "EC_PARAMS: +06052b81040022"
p11 --keypairgen --key-type EC:edwards25519 --label ed25519 --id 04 --usage-sign \
    > gen-ed.txt
expect_in gen-ed.txt "Public Key Object; EC_EDWARDS"
expect_in gen-ed.txt "sensitive, always sensitive, never extractable, local"

# Sign and verify in the token; a changed message must be refused.
random_file msg 1000
tamper msg msg.bad
openssl dgst -sha256 -binary msg > msg.sha256
sign_verify() {
    local id=$1 mech=$2
    shift 2
    p11 --sign --id "$id" -m "$mech" "$@" -i "$IN" -o "sig.$mech"
    [ -s "sig.$mech" ] || fail "$mech made an empty signature"
    p11 --verify --id "$id" -m "$mech" "$@" -i "$IN" --signature-file "sig.$mech" > ver.txt
    expect_in ver.txt "^Signature is valid"
    p11 --verify --id "$id" -m "$mech" "$@" -i "$IN.bad" --signature-file "sig.$mech" \
        > ver.txt
    expect_in ver.txt "^Invalid signature"
}
IN=msg
sign_verify 01 SHA256-RSA-PKCS
sign_verify 01 SHA256-RSA-PKCS-PSS
sign_verify 02 ECDSA-SHA256
sign_verify 03 ECDSA-SHA384
sign_verify 04 EDDSA
[ "$(stat -c %s sig.EDDSA)" -eq 64 ] || fail "an Ed25519 signature is 64 bytes"
[ "$(stat -c %s sig.ECDSA-SHA384)" -eq 96 ] || fail "a raw P-384 signature is 96 bytes"
# The bare mechanisms sign a hash computed outside.
IN=msg.sha256
openssl dgst -sha256 -binary msg.bad > msg.sha256.bad
sign_verify 01 RSA-PKCS-PSS --hash-algorithm SHA256 --mgf MGF1-SHA256
sign_verify 02 ECDSA

# RSA decryption of what openssl encrypted to the token's public key,
# read back from the token as DER.
p11 --read-object --type pubkey --id 01 -o rsa.der
random_file secret 100
run openssl pkeyutl -encrypt -pubin -keyform DER -inkey rsa.der -in secret -out ct.oaep \
    -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -pkeyopt rsa_mgf1_md:sha256
p11 --decrypt --id 01 -m RSA-PKCS-OAEP --hash-algorithm SHA256 --mgf MGF1-SHA256 \
    -i ct.oaep -o pt.oaep
same_bytes pt.oaep secret "RSA-OAEP SHA-256 decryption"
run openssl pkeyutl -encrypt -pubin -keyform DER -inkey rsa.der -in secret -out ct.pkcs1 \
    -pkeyopt rsa_padding_mode:pkcs1
p11 --decrypt --id 01 -m RSA-PKCS -i ct.pkcs1 -o pt.pkcs1
same_bytes pt.pkcs1 secret "RSA-PKCS decryption"

# AES-256: a key the token keeps, and one made extractable so that openssl
# can check the token's ciphertext and the token openssl's.
IV=0f0e0d0c0b0a09080706050403020100
random_file plain 77
p11 --keygen --key-type AES:32 --label aes-kept --id 10 > gen-aes.txt
expect_in gen-aes.txt "never extractable"
p11 --encrypt --id 10 -m AES-CBC-PAD --iv "$IV" -i plain -o ct.kept
[ "$(stat -c %s ct.kept)" -eq 80 ] || fail "77 bytes pad to 80 in AES-CBC-PAD"
p11 --decrypt --id 10 -m AES-CBC-PAD --iv "$IV" -i ct.kept -o pt.kept
same_bytes pt.kept plain "AES-CBC-PAD round trip"

p11 --keygen --key-type AES:32 --label aes-out --id 11 --extractable > /dev/null
p11 --read-object --type secrkey --id 11 -o aes.key
[ "$(stat -c %s aes.key)" -eq 32 ] || fail "AES:32 made no 32-byte key"
KEY=$(od -An -tx1 -v aes.key | tr -d ' \n')
p11 --encrypt --id 11 -m AES-CBC-PAD --iv "$IV" -i plain -o ct.tok
run openssl enc -d -aes-256-cbc -K "$KEY" -iv "$IV" -in ct.tok -out pt.ossl
same_bytes pt.ossl plain "openssl decrypting the token's AES-CBC-PAD"
run openssl enc -e -aes-256-cbc -K "$KEY" -iv "$IV" -in plain -out ct.ossl
p11 --decrypt --id 11 -m AES-CBC-PAD --iv "$IV" -i ct.ossl -o pt.tok
same_bytes pt.tok plain "the token decrypting openssl's AES-CBC-PAD"
head -c 64 plain > plain64
p11 --encrypt --id 11 -m AES-CBC --iv "$IV" -i plain64 -o ct.nopad
run openssl enc -d -aes-256-cbc -nopad -K "$KEY" -iv "$IV" -in ct.nopad -out pt.nopad
same_bytes pt.nopad plain64 "AES-CBC without padding"

# ECDH with an openssl peer: the token derives an extractable generic
# secret and pkcs11-tool prints its value.
run openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out peer.pem
run openssl pkey -in peer.pem -pubout -outform DER -out peer.der
p11 --derive -m ECDH1-DERIVE --id 02 -i peer.der -o z.tok
# Not pkcs11-tool --read-object: for EC keys 0.23 uses freed memory
# (AddressSanitizer in sanitizer builds; "cannot create EVP_PKEY" on P-384,
# with softhsm2 too).
export_pub p256 p256.pem
run openssl pkeyutl -derive -inkey peer.pem -peerkey p256.pem -out z.ossl
[ "$(stat -c %s z.tok)" -eq 32 ] || fail "a P-256 shared secret is 32 bytes"
same_bytes z.tok z.ossl "ECDH P-256 shared secret"

# The built-in self test, with an RSA and EC keys on the token. Without
# --allow-sw pkcs11-tool 0.23 skips every mechanism lacking CKF_HW.
p11 --test --allow-sw > test.txt
expect_in test.txt "^No errors$"
expect_in test.txt "SHA256-RSA-PKCS: OK"
expect_in test.txt "RSA-PKCS-OAEP: .*"
expect_not_in test.txt "not implemented"

p11 --list-mechanisms > mechs.txt
for m in RSA-PKCS-KEY-PAIR-GEN RSA-PKCS-OAEP SHA256-RSA-PKCS-PSS ECDSA-KEY-PAIR-GEN \
    ECDSA-SHA256 ECDH1-DERIVE EC-EDWARDS-KEY-PAIR-GEN EC-MONTGOMERY-KEY-PAIR-GEN EDDSA \
    AES-KEY-GEN AES-CBC-PAD AES-GCM; do
    expect_in mechs.txt "^  $m, "
done
expect_in mechs.txt "^  RSA-PKCS-OAEP, .*decrypt"
expect_in mechs.txt "^  ECDH1-DERIVE, .*derive"
echo "PASS"
