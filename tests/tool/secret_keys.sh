#!/bin/bash
# trustoken import --raw of secret keys and export of raw values: an
# imported AES-256 key encrypts through pkcs11-tool and OpenSSL decrypts;
# imported generic and HMAC keys sign through pkcs11-tool to the HMAC
# OpenSSL computes; a key imported --no-sensitive --extractable exports
# back byte for byte, a sensitive or non-extractable one is refused with
# the reason; wrong AES and ChaCha20 lengths are refused; a data object
# exports its value raw.
. "$(dirname "$0")/../clients/common.sh" "$@"
need openssl
need pkcs11-tool
need xxd
[ -x "$TK_TOOL" ] || fail "trustoken tool not given"

TK=("$TK_TOOL" --module "$TK_MODULE")
P11=(pkcs11-tool --module "$TK_MODULE" --login --pin "$TK_PIN")
printf '%s\n' "$TK_PIN" > "$TK_TMP/user.pin"
run "${TK[@]}" init --label tk-secret --so-pin "$TK_SO_PIN" --pin-file "$TK_TMP/user.pin"
export TRUSTOKEN_PIN=$TK_PIN
cd "$TK_TMP"
hex() { xxd -p "$1" | tr -d '\n'; }

# AES-256: the token encrypts with AES-CBC-PAD, OpenSSL decrypts.
openssl rand 32 > aes.key
printf 'a message longer than one AES block, padded by the token' > plain
IV=000102030405060708090a0b0c0d0e0f
run "${TK[@]}" import --raw --key-type aes aes.key --label aes --id a1 > aes.out
expect_in aes.out "Imported aes secret key id=a1"
run "${P11[@]}" --encrypt --mechanism AES-CBC-PAD --id a1 --iv "$IV" \
    --input-file plain --output-file cipher
openssl enc -d -aes-256-cbc -K "$(hex aes.key)" -iv "$IV" -in cipher -out plain.back ||
    fail "OpenSSL cannot decrypt the token's AES-CBC-PAD output"
cmp plain plain.back || fail "AES round trip differs"

# The imported key is private, sensitive and not extractable by default.
run "${TK[@]}" objects --login --label aes > aes.objs
expect_in aes.objs "secret"
expect_rc 2 "${TK[@]}" export --label aes --class secret --out aes.exp 2> aes.err
expect_in aes.err "CKR_ATTRIBUTE_SENSITIVE"
expect_in aes.err "sensitive"
[ ! -s aes.exp ] || fail "a refused export left bytes behind"

# HMAC-SHA256 with a generic and with a CKK_SHA256_HMAC key.
printf 'authenticate me' > msg
openssl dgst -sha256 -mac HMAC -macopt "hexkey:$(openssl rand -hex 40 | tee mac.hex)" \
    -binary -out mac.want msg
xxd -r -p mac.hex > mac.key
# pkcs11-tool picks the key by --id only, so each key gets its own.
for kt in generic hmac-sha256; do
    id=$(printf '%s' "$kt" | xxd -p)
    run "${TK[@]}" import --raw --key-type "$kt" mac.key --label "$kt" --id "$id"
    run "${P11[@]}" --sign --mechanism SHA256-HMAC --id "$id" --input-file msg \
        --output-file "$kt.mac"
    cmp mac.want "$kt.mac" || fail "$kt: the token's HMAC differs from OpenSSL's"
done

# A non-sensitive, extractable key exports back byte for byte.
openssl rand 32 > chacha.key
run "${TK[@]}" import --raw --key-type chacha20 chacha.key --label cc --no-sensitive \
    --extractable
run "${TK[@]}" export --label cc --class secret --out cc.exp
cmp chacha.key cc.exp || fail "exported ChaCha20 key differs"
[ "$(stat -c %a cc.exp)" = 600 ] || fail "exported key file is not mode 0600"
run "${TK[@]}" export --label cc --class secret > cc.stdout
cmp chacha.key cc.stdout || fail "ChaCha20 key exported to stdout differs"

# Non-sensitive but not extractable: refused, and the reason named.
run "${TK[@]}" import --raw --key-type hmac-sha512 mac.key --label ne --no-sensitive
expect_rc 2 "${TK[@]}" export --label ne --class secret --out ne.exp 2> ne.err
expect_in ne.err "not extractable"
expect_not_in ne.err "is sensitive"
# Explicitly sensitive even though extractable: refused.
run "${TK[@]}" import --raw --key-type aes aes.key --label se --sensitive --extractable
expect_rc 2 "${TK[@]}" export --label se --class secret --out se.exp 2> se.err
expect_in se.err "sensitive"

# Wrong lengths are refused before the token sees them.
head -c 20 /dev/urandom > aes20.key
expect_rc 3 "${TK[@]}" import --raw --key-type aes aes20.key --label bad 2> bad.err
expect_in bad.err "AES key is 16, 24 or 32 bytes; the file holds 20"
expect_rc 3 "${TK[@]}" import --raw --key-type chacha20 aes20.key --label bad 2> bad.err
expect_in bad.err "ChaCha20 key is 32 bytes"
: > empty.key
expect_rc 3 "${TK[@]}" import --raw --key-type generic empty.key --label bad
expect_rc 1 "${TK[@]}" import --raw --key-type aes aes.key --class private
expect_rc 1 "${TK[@]}" export --label aes --class privkey
run "${TK[@]}" objects --login --label bad > bad.objs
expect_in bad.objs "^no objects$"

# AES-128 and AES-192 are accepted too.
head -c 16 /dev/urandom > aes16.key
head -c 24 /dev/urandom > aes24.key
run "${TK[@]}" import --raw --key-type aes aes16.key --label aes16
run "${TK[@]}" import --raw --key-type aes aes24.key --label aes24

# A data object, public and private, exports its value raw.
printf 'some data\0with a NUL byte' > data.bin
run "${P11[@]}" --write-object data.bin --type data --label dat
run "${TK[@]}" export --label dat --class data --out dat.exp
cmp data.bin dat.exp || fail "data object value differs"
run "${P11[@]}" --write-object data.bin --type data --label pdat --private
expect_rc 2 "${TK[@]}" export --label pdat --class data --out pdat.exp
run "${TK[@]}" export --label pdat --class data --login --out pdat.exp
cmp data.bin pdat.exp || fail "private data object value differs"
echo "secret key import and export: ok"
