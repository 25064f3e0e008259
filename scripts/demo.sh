#!/bin/bash
# A five-minute tour of TrusToken on a fresh Debian 12 machine: install the
# dependencies, build, create a token with a throw-away configuration, store
# a certificate and a data object with OpenSC's pkcs11-tool and list them
# from separate processes, then generate EC and RSA keys on the token, sign
# with them through pkcs11-tool and verify the signatures with OpenSSL. Nothing outside build/ and a temporary directory
# is touched; the temporary directory is removed at the end.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD="$ROOT/build"
JOBS=${TK_JOBS:-2}
STEP=0

step() {
    STEP=$((STEP + 1))
    printf '\n==> Step %d: %s\n' "$STEP" "$*"
}

show() {
    printf '    $ %s\n' "$*"
    "$@" 2>&1 | sed 's/^/      /'
}

step "install the build and client dependencies (scripts/deps.sh)"
"$ROOT/scripts/deps.sh"

step "build the module and the trustoken tool in $BUILD"
# Tests are built by scripts/test.sh; the demo needs only the module and tool.
cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DTK_BUILD_TESTS=OFF > /dev/null
cmake --build "$BUILD" -j "$JOBS" --target trustoken_p11 trustoken > /dev/null
MODULE="$BUILD/src/api/libtrustoken_p11.so"
TOOL="$BUILD/tools/trustoken"
echo "    module: $MODULE"
echo "    tool:   $TOOL"

DEMO=$(mktemp -d "${TMPDIR:-/tmp}/trustoken-demo.XXXXXX")
trap 'rm -rf "$DEMO"' EXIT

step "write a throw-away configuration ($DEMO/trustoken.conf)"
# Cheap Argon2 settings keep the demo fast; the defaults are far stronger.
cat > "$DEMO/trustoken.conf" <<CONF
token_dir = $DEMO/tokens
empty_slots = 1
kdf_memory_kib = 256
kdf_passes = 1
CONF
mkdir -p "$DEMO/tokens"
export TRUSTOKEN_CONF="$DEMO/trustoken.conf"
sed 's/^/      /' "$TRUSTOKEN_CONF"

P11=(pkcs11-tool --module "$MODULE")

step "list the slots: one empty token is ready for C_InitToken"
show "${P11[@]}" --list-slots

step "create the token 'demo' and set its PINs (SO PIN 12345678, user PIN 1234)"
show "${P11[@]}" --slot-index 0 --init-token --label demo --so-pin 12345678
show "${P11[@]}" --token-label demo --login --login-type so --so-pin 12345678 \
    --init-pin --pin 1234

step "make a self-signed certificate with OpenSSL"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$DEMO/key.pem" -subj "/CN=TrusToken demo" -days 30 \
    -outform DER -out "$DEMO/cert.der" 2>/dev/null
echo "Hello from TrusToken" > "$DEMO/hello.txt"
echo "    $DEMO/cert.der and $DEMO/hello.txt"

step "store the certificate and a data object on the token"
show "${P11[@]}" --token-label demo --login --pin 1234 \
    --write-object "$DEMO/cert.der" --type cert --label demo-cert --id 01
show "${P11[@]}" --token-label demo --login --pin 1234 \
    --write-object "$DEMO/hello.txt" --type data --label demo-data

step "list the objects from a second process (pkcs11-tool)"
show "${P11[@]}" --token-label demo --login --pin 1234 --list-objects

step "and from a third (the trustoken tool)"
show "$TOOL" --module "$MODULE" slots
show "$TOOL" --module "$MODULE" objects --login --pin 1234

step "read the data object back"
show "${P11[@]}" --token-label demo --login --pin 1234 --read-object --type data \
    --label demo-data

step "generate an EC P-256 and an RSA-2048 key pair on the token"
show "${P11[@]}" --token-label demo --login --pin 1234 --keypairgen \
    --key-type EC:prime256v1 --label demo-ec --id 02
show "${P11[@]}" --token-label demo --login --pin 1234 --keypairgen \
    --key-type rsa:2048 --label demo-rsa --id 03

step "sign hello.txt on the token: ECDSA-SHA256 and SHA256-RSA-PKCS"
show "${P11[@]}" --token-label demo --login --pin 1234 --sign --id 02 \
    --mechanism ECDSA-SHA256 --signature-format openssl \
    --input-file "$DEMO/hello.txt" --output-file "$DEMO/hello.ec.sig"
show "${P11[@]}" --token-label demo --login --pin 1234 --sign --id 03 \
    --mechanism SHA256-RSA-PKCS --input-file "$DEMO/hello.txt" \
    --output-file "$DEMO/hello.rsa.sig"

step "export the public keys and verify the signatures with OpenSSL"
show "$TOOL" --module "$MODULE" export --id 02 --class pubkey --out "$DEMO/ec.pem"
show "$TOOL" --module "$MODULE" export --id 03 --class pubkey --out "$DEMO/rsa.pem"
show openssl dgst -sha256 -verify "$DEMO/ec.pem" -signature "$DEMO/hello.ec.sig" \
    "$DEMO/hello.txt"
show openssl dgst -sha256 -verify "$DEMO/rsa.pem" -signature "$DEMO/hello.rsa.sig" \
    "$DEMO/hello.txt"
# A changed message must not verify; the demo stops if it does.
echo "tampered" >> "$DEMO/hello.txt"
if openssl dgst -sha256 -verify "$DEMO/ec.pem" -signature "$DEMO/hello.ec.sig" \
    "$DEMO/hello.txt" > /dev/null 2>&1; then
    echo "    a tampered message verified: something is wrong" >&2
    exit 1
fi
echo "    a tampered message fails to verify, as it must"

printf '\nDone. The token lived in %s and is removed now.\n' "$DEMO"
printf 'Run ./scripts/test.sh for the full test suite.\n'
