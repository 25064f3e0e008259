#!/bin/sh
# ML-KEM, ML-DSA and SLH-DSA between the token and OpenSSL 3.5, for every
# parameter set:
#   - a key pair made in the token is rebuilt in OpenSSL from its seed
#     (d || z, xi, or SK.seed || SK.prf || PK.seed) and must give the same
#     public key; both sides then sign the same message deterministically
#     with a context and must give the same signature, which each side
#     verifies;
#   - a key made in OpenSSL signs (hedged) and the token verifies;
#   - OpenSSL encapsulates to a token key and the token decapsulates to
#     the same secret, and the other way round.
# OpenSSL 3.5 runs from a Debian 13 tree built once with mmdebstrap into
# $TK_TRIXIE (default $TK_TRIXIE_DEFAULT, set by pqc.cmake to the build
# directory's trixie/), through the tree's own dynamic loader so no chroot
# is needed. Without the tree (and no way to build it) the test is
# skipped (exit 77).
#
# Usage: pqc_openssl35.sh PATH/TO/tk_pqc_xcheck   (TK_MODULE set)
set -eu

XCHECK=$1
TREE=${TK_TRIXIE:-${TK_TRIXIE_DEFAULT:-/trixie}}

if [ ! -x "$TREE/usr/bin/openssl" ]; then
    if ! command -v mmdebstrap >/dev/null 2>&1; then
        echo "SKIP: no Debian 13 tree at $TREE and no mmdebstrap"
        exit 77
    fi
    rm -rf "$TREE.tmp"
    if ! mmdebstrap --variant=minbase --include=openssl trixie "$TREE.tmp" >"$TREE.log" 2>&1; then
        echo "SKIP: mmdebstrap could not build $TREE (see $TREE.log)"
        rm -rf "$TREE.tmp"
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
*)
    echo "SKIP: $(ossl version 2>&1 | head -n 1) is not OpenSSL 3.5 or later"
    exit 77
    ;;
esac

W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
FAILS=0
PASSES=0

fail() {
    echo "FAIL: $*"
    FAILS=$((FAILS + 1))
}
pass() {
    PASSES=$((PASSES + 1))
}
hexof() {
    od -An -v -tx1 "$1" | tr -d ' \n'
}
size() {
    wc -c <"$1" | tr -d ' '
}
# Raw public key -> SubjectPublicKeyInfo DER, with the header taken from
# a throw-away OpenSSL key of the same algorithm.
spki() { # ALG RAW OUT
    ossl genpkey -algorithm "$1" -out "$W/hdr.pem" 2>/dev/null
    ossl pkey -in "$W/hdr.pem" -pubout -outform DER -out "$W/hdr.der"
    head -c $(($(size "$W/hdr.der") - $(size "$2"))) "$W/hdr.der" >"$3"
    cat "$2" >>"$3"
}
# SPKI DER -> raw public key of LEN bytes.
rawpub() { # PEMKEY LEN OUT
    ossl pkey -in "$1" -pubout -outform DER -out "$W/p.der"
    tail -c "$2" "$W/p.der" >"$3"
}

printf 'a message signed by the token and by OpenSSL' >"$W/msg"
CTX=0102030405

sig_case() { # alg(mldsa|slhdsa) CKP OPENSSL-NAME SEEDLEN(for slhdsa, else 0)
    alg=$1
    set=$2
    name=$3
    # Token key, rebuilt in OpenSSL from its seed.
    if [ "$alg" = mldsa ]; then
        "$XCHECK" gen "$alg" "$set" "$W/t.pub" "$W/t.priv" "$W/t.seed"
    else
        "$XCHECK" gen "$alg" "$set" "$W/t.pub" "$W/t.priv"
        head -c "$4" "$W/t.priv" >"$W/t.seed"
    fi
    ossl genpkey -algorithm "$name" -pkeyopt hexseed:"$(hexof "$W/t.seed")" -out "$W/o.pem"
    rawpub "$W/o.pem" "$(size "$W/t.pub")" "$W/o.pub"
    cmp -s "$W/o.pub" "$W/t.pub" || fail "$name: OpenSSL rebuilds another public key"
    # Deterministic signatures agree and cross-verify.
    "$XCHECK" sign "$alg" "$set" "$W/t.priv" "$W/msg" "$CTX" "$W/t.sig"
    ossl pkeyutl -sign -rawin -inkey "$W/o.pem" -in "$W/msg" -out "$W/o.sig" \
        -pkeyopt deterministic:1 -pkeyopt hexcontext-string:"$CTX"
    cmp -s "$W/t.sig" "$W/o.sig" || fail "$name: deterministic signatures differ"
    spki "$name" "$W/t.pub" "$W/t.spki"
    if ossl pkeyutl -verify -rawin -pubin -keyform DER -inkey "$W/t.spki" -in "$W/msg" \
        -sigfile "$W/t.sig" -pkeyopt hexcontext-string:"$CTX" >/dev/null; then
        pass
    else
        fail "$name: OpenSSL refuses the token's signature"
    fi
    # An OpenSSL key signs (hedged), the token verifies.
    ossl genpkey -algorithm "$name" -out "$W/o2.pem"
    rawpub "$W/o2.pem" "$(size "$W/t.pub")" "$W/o2.pub"
    ossl pkeyutl -sign -rawin -inkey "$W/o2.pem" -in "$W/msg" -out "$W/o2.sig" \
        -pkeyopt hexcontext-string:"$CTX"
    if "$XCHECK" verify "$alg" "$set" "$W/o2.pub" "$W/msg" "$CTX" "$W/o2.sig"; then
        pass
    else
        fail "$name: the token refuses OpenSSL's signature"
    fi
    # And refuses it under another context.
    if "$XCHECK" verify "$alg" "$set" "$W/o2.pub" "$W/msg" 01 "$W/o2.sig"; then
        fail "$name: the token accepts a signature under another context"
    fi
}

kem_case() { # CKP OPENSSL-NAME
    set=$1
    name=$2
    # Token key pair; OpenSSL rebuilds it from d || z and encapsulates.
    "$XCHECK" gen mlkem "$set" "$W/t.pub" "$W/t.priv" "$W/t.seed"
    ossl genpkey -algorithm "$name" -pkeyopt hexseed:"$(hexof "$W/t.seed")" -out "$W/o.pem"
    rawpub "$W/o.pem" "$(size "$W/t.pub")" "$W/o.pub"
    cmp -s "$W/o.pub" "$W/t.pub" || fail "$name: OpenSSL rebuilds another public key"
    spki "$name" "$W/t.pub" "$W/t.spki"
    ossl pkeyutl -encap -pubin -keyform DER -inkey "$W/t.spki" -out "$W/o.ct" \
        -secret "$W/o.ss"
    "$XCHECK" decaps "$set" "$W/t.priv" "$W/o.ct" "$W/t.ss"
    if cmp -s "$W/o.ss" "$W/t.ss"; then
        pass
    else
        fail "$name: the token decapsulates to another secret"
    fi
    # The token encapsulates to an OpenSSL key.
    ossl genpkey -algorithm "$name" -out "$W/o2.pem"
    rawpub "$W/o2.pem" "$(size "$W/t.pub")" "$W/o2.pub"
    "$XCHECK" encaps "$set" "$W/o2.pub" "$W/t2.ct" "$W/t2.ss"
    ossl pkeyutl -decap -inkey "$W/o2.pem" -in "$W/t2.ct" -out "$W/o2.ss"
    if cmp -s "$W/o2.ss" "$W/t2.ss"; then
        pass
    else
        fail "$name: OpenSSL decapsulates to another secret"
    fi
}

kem_case 1 ML-KEM-512
kem_case 2 ML-KEM-768
kem_case 3 ML-KEM-1024
sig_case mldsa 1 ML-DSA-44
sig_case mldsa 2 ML-DSA-65
sig_case mldsa 3 ML-DSA-87
n=1
for name in SHA2-128s SHAKE-128s SHA2-128f SHAKE-128f SHA2-192s SHAKE-192s SHA2-192f \
    SHAKE-192f SHA2-256s SHAKE-256s SHA2-256f SHAKE-256f; do
    sig_case slhdsa $n "SLH-DSA-$name" $((3 * (16 + 8 * ((n - 1) / 4))))
    n=$((n + 1))
done

echo "OpenSSL $(ossl version | cut -d' ' -f2) cross-checks: $PASSES passed, $FAILS failed"
[ "$FAILS" -eq 0 ]
