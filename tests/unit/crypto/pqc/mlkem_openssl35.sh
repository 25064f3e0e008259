#!/bin/bash
# Cross-check of ML-KEM against OpenSSL 3.5, an independent implementation,
# in both directions: key generation from the same seed, OpenSSL encaps /
# our decaps, our encaps / OpenSSL decaps, and implicit rejection of a
# changed ciphertext (both sides must return the same J(z || c)).
#
# Needs a Debian 13 tree with openssl (3.5) in $TK_OPENSSL35_ROOT, e.g.
#   mmdebstrap --variant=minbase --include=openssl trixie DIR
# and root for chroot. Without it the test is skipped (exit 77).
# Usage: mlkem_openssl35.sh TOOL [ROUNDS]   (TOOL: tk_mlkem_xcheck_tool)
set -u
tool=$1
rounds=${2:-10}
root=${TK_OPENSSL35_ROOT:-}
if [ -z "$root" ] || [ ! -x "$root/usr/bin/openssl" ] || [ "$(id -u)" != 0 ]; then
    echo "TK_OPENSSL35_ROOT not set or not usable: skipped"
    exit 77
fi
work=$(mktemp -d "$root/tmp/tk-mlkem.XXXXXX")
trap 'rm -rf "$work"' EXIT
in=/tmp/$(basename "$work")
ossl() { chroot "$root" openssl "$@"; }
hexof() { od -An -v -tx1 "$1" | tr -d ' \n'; }
field() { awk -v k="$1:" '$1 == k {f = 1; next} /^[a-z]+:/ {f = 0} f' | tr -d ' :\n'; }
agree=0
differ=0
check() {
    if [ "$1" = "$2" ]; then
        agree=$((agree + 1))
    else
        differ=$((differ + 1))
        echo "differ: $3"
    fi
}
for set in 1 2 3; do
    name=ML-KEM-$(case $set in 1) echo 512 ;; 2) echo 768 ;; 3) echo 1024 ;; esac)
    for _ in $(seq 1 "$rounds"); do
        seed=$(od -An -N64 -tx1 /dev/urandom | tr -d ' \n')
        m=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
        ossl genpkey -algorithm "$name" -pkeyopt "hexseed:$seed" -out "$in/k.pem" 2>/dev/null
        ossl pkey -in "$in/k.pem" -pubout -out "$in/p.pem"
        text=$(ossl pkey -in "$in/k.pem" -text -noout)
        ours=$("$tool" keygen $set "$seed" | tr -d '\n')
        check "$ours" "$(echo "$text" | field ek)$(echo "$text" | field dk)" "$name keygen $seed"

        ossl pkeyutl -encap -pubin -inkey "$in/p.pem" -out "$in/c1" -secret "$in/k1" 2>/dev/null
        check "$("$tool" decaps $set "$seed" "$work/c1")" "$(hexof "$work/k1")" "$name decaps"

        k2=$("$tool" encaps $set "$seed" "$m" "$work/c2")
        ossl pkeyutl -decap -inkey "$in/k.pem" -in "$in/c2" -secret "$in/k2" 2>/dev/null
        check "$k2" "$(hexof "$work/k2")" "$name encaps"

        # Flip one bit of the ciphertext: both must reject it the same way.
        cp "$work/c2" "$work/c3"
        printf "$(printf '\\x%02x' $(( 0x$(hexof "$work/c2" | cut -c1-2) ^ 1 )))" |
            dd of="$work/c3" bs=1 count=1 conv=notrunc status=none
        ossl pkeyutl -decap -inkey "$in/k.pem" -in "$in/c3" -secret "$in/k3" 2>/dev/null
        k3=$("$tool" decaps $set "$seed" "$work/c3")
        check "$k3" "$(hexof "$work/k3")" "$name implicit rejection"
        if [ "$k3" = "$k2" ]; then differ=$((differ + 1)); echo "differ: $name rejection"; fi
    done
done
echo "ML-KEM vs OpenSSL 3.5: $agree agree, $differ differ"
[ "$differ" -eq 0 ] && [ "$agree" -gt 0 ]
