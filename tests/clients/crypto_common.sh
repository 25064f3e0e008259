# Shared set-up of the crypto client tests; sourced by each
# tests/clients/crypto_*.sh after common.sh.
#
# The crypto tests prove the module's RSA, EC, EdDSA, ECDH and AES against
# clients that share none of its code: whatever the token signs, encrypts
# or derives is checked by an independent tool (openssl, GnuTLS, NSS,
# OpenSSH, the JDK), never only by the token itself.

# pkcs11-tool logged in to the token labelled $TK_LABEL; stdout is kept,
# its chatter on stderr ("Using slot ...") is not.
p11() {
    echo "+ pkcs11-tool $*" >&2
    pkcs11-tool --module "$TK_MODULE" --token-label "$TK_LABEL" --login --pin "$TK_PIN" \
        "$@" 2> "$TK_TMP/p11.err" || {
        cat "$TK_TMP/p11.err" >&2
        fail "pkcs11-tool $*"
    }
}

# A message of $2 random bytes in the file $1.
random_file() {
    head -c "$2" /dev/urandom > "$1"
}

# Assert that two files hold the same bytes: same_bytes A B what.
same_bytes() {
    [ -s "$1" ] || fail "$3: $1 is empty"
    cmp "$1" "$2" || fail "$3: $1 and $2 differ"
}

# The SubjectPublicKeyInfo PEM of the public key labelled $1, rebuilt from
# its PKCS#11 attributes by the trustoken tool: $2 = output file.
export_pub() {
    run "$TK_TOOL" --module "$TK_MODULE" export --label "$1" --class pubkey --out "$2"
    openssl pkey -pubin -in "$2" -noout || fail "openssl cannot read the public key $1"
}

# Assert that the command fails (a tampered signature must not verify).
must_fail() {
    echo "+ $* (expecting failure)" >&2
    if "$@" > "$TK_TMP/must_fail.out" 2>&1; then
        cat "$TK_TMP/must_fail.out" >&2
        fail "unexpectedly succeeded: $*"
    fi
}

# A copy of $1 with its last byte changed, in $2. No dd: under the
# sanitizer preload of an ASan build, coreutils dd aborts in aligned_alloc.
tamper() {
    local size last
    size=$(stat -c %s "$1")
    last=$(tail -c 1 "$1" | od -An -tu1 | tr -d ' ')
    {
        head -c $((size - 1)) "$1"
        printf "$(printf '\\%03o' $(((last + 1) % 256)))"
    } > "$2"
}

# Under the sanitizer preload of an ASan build, GnuTLS programs (certtool,
# gnutls-cli) deadlock in their exit handlers (freelocale in p11-kit's
# destructor; with softhsm2 as well) after their work is done. There
# certtool runs in the background until the certificate ($1) is written,
# then is killed; the certificate is checked like any other. GnuTLS calls
# that need no module run without the preload.
certtool_sign() {
    local out=$1 pid i
    shift
    if [[ "${LD_PRELOAD:-}" != *libasan* ]]; then
        run certtool "$@" --outfile "$out"
        return
    fi
    echo "+ certtool $* --outfile $out (sanitizer preload: killed once written)" >&2
    certtool "$@" --outfile "$out" &
    pid=$!
    for i in $(seq 300); do
        if grep -q -- "-----END CERTIFICATE-----" "$out" 2>/dev/null ||
            ! kill -0 "$pid" 2>/dev/null; then
            break
        fi
        sleep 0.2
    done
    sleep 0.5
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" || true
    grep -q -- "-----END CERTIFICATE-----" "$out" || fail "certtool wrote no certificate"
}
