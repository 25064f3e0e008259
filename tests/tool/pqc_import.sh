#!/bin/bash
# trustoken import and export of ML-KEM, ML-DSA and SLH-DSA keys against
# OpenSSL 3.5: keys OpenSSL makes are imported in each private-key form
# it writes (seed and expanded key together, seed only, expanded key
# only; PEM and DER), as SubjectPublicKeyInfo and as raw bytes; the token
# signs with each imported signature key (through pqc_sign) and OpenSSL
# verifies; every public key the token holds exports to exactly what
# OpenSSL writes, and OpenSSL reads the export back. Malformed and
# inconsistent inputs are refused.
#
# OpenSSL 3.5 runs from a Debian 13 tree in $TK_TRIXIE (default
# $TK_TRIXIE_DEFAULT, set by pqc.cmake to the build directory's trixie/),
# made once with mmdebstrap and run through its own dynamic loader.
# Without the tree, and no way to make it, the test is skipped (exit 77).
#
# Usage: pqc_import.sh MODULE TOOL PQC_SIGN
. "$(dirname "$0")/../clients/common.sh" "$1" "$2"
SIGN=${3:?pqc_sign helper missing}
[ -x "$TK_TOOL" ] || fail "trustoken tool not given"

TREE=${TK_TRIXIE:-${TK_TRIXIE_DEFAULT:-/trixie}}
if [ ! -x "$TREE/usr/bin/openssl" ]; then
    command -v mmdebstrap >/dev/null 2>&1 || { echo "SKIP: no $TREE, no mmdebstrap"; exit 77; }
    rm -rf "$TREE.tmp"
    if ! mmdebstrap --variant=minbase --include=openssl trixie "$TREE.tmp" >"$TREE.log" 2>&1; then
        rm -rf "$TREE.tmp"
        echo "SKIP: mmdebstrap could not make $TREE (see $TREE.log)"
        exit 77
    fi
    mv "$TREE.tmp" "$TREE"
fi
LIBDIR=$TREE/usr/lib/x86_64-linux-gnu
ossl() {
    OPENSSL_CONF=$TREE/usr/lib/ssl/openssl.cnf OPENSSL_MODULES=$LIBDIR/ossl-modules \
        "$TREE/lib64/ld-linux-x86-64.so.2" --library-path "$LIBDIR" "$TREE/usr/bin/openssl" "$@"
}
case $(ossl version) in
OpenSSL\ 3.[5-9]*) ;;
*) echo "SKIP: $(ossl version 2>&1 | head -n 1) is not OpenSSL 3.5 or later"; exit 77 ;;
esac

TK=("$TK_TOOL" --module "$TK_MODULE")
printf '%s\n' "$TK_PIN" > "$TK_TMP/user.pin"
run "${TK[@]}" init --label tk-pqc --so-pin "$TK_SO_PIN" --pin-file "$TK_TMP/user.pin"
export TRUSTOKEN_PIN=$TK_PIN
cd "$TK_TMP"
printf 'signed by an imported key' > msg
CHECKS=0

# export_matches LABEL WANT.pem: the token's public key LABEL exports to
# WANT.pem byte for byte, and OpenSSL 3.5 reads the export.
export_matches() {
    run "${TK[@]}" export --label "$1" --class pubkey --out "$1.got.pem"
    cmp "$2" "$1.got.pem" || fail "$1: exported public key differs from OpenSSL's"
    ossl pkey -pubin -in "$1.got.pem" -noout -text > "$1.txt" || fail "$1: OpenSSL refuses it"
    CHECKS=$((CHECKS + 1))
}

# signs LABEL MECH PUB.pem: the token signs with LABEL, OpenSSL verifies.
signs() {
    run "$SIGN" "$TK_MODULE" "$TK_PIN" "$1" "$2" msg "$1.sig"
    ossl pkeyutl -verify -rawin -pubin -inkey "$3" -in msg -sigfile "$1.sig" >/dev/null ||
        fail "$1: OpenSSL rejects the token's signature"
    CHECKS=$((CHECKS + 1))
}

# The PKCS#8 of KEY.pem in FORM (ALG: ml-dsa or ml-kem), as DER to OUT.
p8_form() { # ALG KEY FORM OUT
    ossl pkey -in "$2" -provparam "$1.output_formats=$3" -outform DER -out "$4"
}

# pub_raw NAME LEN: the raw public key of NAME.pub.pem.
pub_raw() {
    ossl pkey -pubin -in "$1.pub.pem" -outform DER | tail -c "$2" > "$1.pub.raw"
}

mldsa_case() { # NAME KEYTYPE PUBLEN SEEDLEN
    local n=$1 kt=$2
    ossl genpkey -algorithm "$n" -out "$n.pem"
    ossl pkey -in "$n.pem" -pubout -out "$n.pub.pem"
    # Seed and expanded key (OpenSSL's default PEM), seed only, key only.
    run "${TK[@]}" import "$n.pem" --label "$n-both"
    signs "$n-both" 1d "$n.pub.pem"
    p8_form ml-dsa "$n.pem" seed-only "$n.seed.der"
    run "${TK[@]}" import "$n.seed.der" --label "$n-seed"
    signs "$n-seed" 1d "$n.pub.pem"
    p8_form ml-dsa "$n.pem" priv-only "$n.priv.der"
    run "${TK[@]}" import "$n.priv.der" --label "$n-priv"
    signs "$n-priv" 1d "$n.pub.pem"
    # Raw seed.
    tail -c "$4" "$n.seed.der" > "$n.seed.raw"
    run "${TK[@]}" import "$n.seed.raw" --raw --key-type "$kt" --class private --label "$n-raw"
    signs "$n-raw" 1d "$n.pub.pem"
    # Public keys: SubjectPublicKeyInfo PEM and raw.
    run "${TK[@]}" import "$n.pub.pem" --label "$n-pub"
    export_matches "$n-pub" "$n.pub.pem"
    pub_raw "$n" "$3"
    run "${TK[@]}" import "$n.pub.raw" --raw --key-type "$kt" --class public --label "$n-rawpub"
    export_matches "$n-rawpub" "$n.pub.pem"
    # A seed that does not give the expanded key next to it.
    python3 - "$n.pem" "$n.bad.der" <<'PY'
import base64, sys
pem = open(sys.argv[1]).read().split("-----")[2]
der = bytearray(base64.b64decode(pem))
der[-1] ^= 1
open(sys.argv[2], "wb").write(der)
PY
    expect_rc 2 "${TK[@]}" import "$n.bad.der" --label "$n-bad"
    expect_rc 3 "${TK[@]}" import msg --raw --key-type "$kt" --class private --label "$n-short"
}

slhdsa_case() { # NAME KEYTYPE PUBLEN
    local n=$1 kt=$2
    ossl genpkey -algorithm "$n" -out "$n.pem"
    ossl pkey -in "$n.pem" -pubout -out "$n.pub.pem"
    # The public key is part of the private key: both objects appear.
    run "${TK[@]}" import "$n.pem" --label "$n-pem"
    signs "$n-pem" 2e "$n.pub.pem"
    export_matches "$n-pem" "$n.pub.pem"
    ossl pkey -in "$n.pem" -outform DER -out "$n.der"
    tail -c $((4 * $3 / 2)) "$n.der" > "$n.raw"
    run "${TK[@]}" import "$n.raw" --raw --key-type "$kt" --class private --label "$n-raw"
    signs "$n-raw" 2e "$n.pub.pem"
    export_matches "$n-raw" "$n.pub.pem"
    run "${TK[@]}" import "$n.pub.pem" --label "$n-pub"
    export_matches "$n-pub" "$n.pub.pem"
    # A private key whose PK.root is not its tree's.
    head -c $((4 * $3 / 2 - 1)) "$n.raw" > "$n.bad.raw"
    printf '\001' >> "$n.bad.raw"
    cmp -s "$n.raw" "$n.bad.raw" && printf '\002' | dd of="$n.bad.raw" bs=1 \
        seek=$((4 * $3 / 2 - 1)) conv=notrunc 2>/dev/null
    expect_rc 2 "${TK[@]}" import "$n.bad.raw" --raw --key-type "$kt" --class private \
        --label "$n-bad"
}

mlkem_case() { # NAME KEYTYPE PUBLEN
    local n=$1 kt=$2
    ossl genpkey -algorithm "$n" -out "$n.pem"
    ossl pkey -in "$n.pem" -pubout -out "$n.pub.pem"
    # The expanded key holds ek: the public key object comes along.
    run "${TK[@]}" import "$n.pem" --label "$n-both"
    export_matches "$n-both" "$n.pub.pem"
    p8_form ml-kem "$n.pem" priv-only "$n.priv.der"
    run "${TK[@]}" import "$n.priv.der" --label "$n-priv"
    export_matches "$n-priv" "$n.pub.pem"
    p8_form ml-kem "$n.pem" seed-only "$n.seed.der"
    run "${TK[@]}" import "$n.seed.der" --label "$n-seed"
    ossl pkey -in "$n.pub.pem" -outform DER -pubin -out "$n.pub.der"
    run "${TK[@]}" import "$n.pub.der" --label "$n-pub"
    export_matches "$n-pub" "$n.pub.pem"
    # OpenSSL encapsulates to the exported key.
    ossl pkeyutl -encap -pubin -inkey "$n-pub.got.pem" -out "$n.ct" -secret "$n.ss" ||
        fail "$n: OpenSSL cannot encapsulate to the exported key"
}

mldsa_case ML-DSA-44 ml-dsa-44 1312 32
mldsa_case ML-DSA-65 ml-dsa-65 1952 32
mldsa_case ML-DSA-87 ml-dsa-87 2592 32
slhdsa_case SLH-DSA-SHA2-128f slh-dsa-sha2-128f 32
slhdsa_case SLH-DSA-SHAKE-192f slh-dsa-shake-192f 48
mlkem_case ML-KEM-512 ml-kem-512 800
mlkem_case ML-KEM-768 ml-kem-768 1184
mlkem_case ML-KEM-1024 ml-kem-1024 1568

# --raw without its options is a usage error.
expect_rc 1 "${TK[@]}" import msg --raw --class private
echo "PQC import and export against OpenSSL $(ossl version | cut -d' ' -f2): $CHECKS checks"
