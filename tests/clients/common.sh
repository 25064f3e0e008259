# Shared set-up of the client tests; sourced by each tests/clients/*.sh.
#
# Usage in a test: `. "$(dirname "$0")/common.sh" "$@"` with the module path
# as $1 and the trustoken tool as $2. Every test gets its own temporary
# directory holding the configuration and the token_dir, so tests never
# touch the user's tokens and may run in parallel.

set -euo pipefail

TK_MODULE=${1:?module path missing}
TK_TOOL=${2:-}
TK_TMP=$(mktemp -d "${TMPDIR:-/tmp}/tk-client.XXXXXX")
trap 'rm -rf "$TK_TMP"' EXIT

# Argon2 kept cheap: the tests check behaviour, not PIN-guessing cost.
mkdir -p "$TK_TMP/tokens" "$TK_TMP/xdg-config" "$TK_TMP/xdg-data"
cat > "$TK_TMP/trustoken.conf" <<CONF
token_dir = $TK_TMP/tokens
empty_slots = 1
kdf_memory_kib = 256
kdf_passes = 1
kdf_parallelism = 1
CONF
export TRUSTOKEN_CONF="$TK_TMP/trustoken.conf"
export XDG_CONFIG_HOME="$TK_TMP/xdg-config"
export XDG_DATA_HOME="$TK_TMP/xdg-data"
unset TRUSTOKEN_PIN TRUSTOKEN_SO_PIN TRUSTOKEN_NEW_PIN

TK_SO_PIN=12345678
TK_PIN=1234

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# ctest reports exit code 77 as "skipped" (SKIP_RETURN_CODE).
need() {
    command -v "$1" >/dev/null 2>&1 || { echo "SKIP: $1 is not installed"; exit 77; }
}

# Echo a command before running it, so --output-on-failure shows the step.
run() {
    echo "+ $*" >&2
    "$@"
}

# Assert that the file $1 contains the extended regular expression $2.
expect_in() {
    grep -Eq -- "$2" "$1" || { cat "$1" >&2; fail "'$2' not found in the output above"; }
}

# Assert that the file $1 does not contain the regular expression $2.
expect_not_in() {
    if grep -Eq -- "$2" "$1"; then
        cat "$1" >&2
        fail "'$2' unexpectedly found in the output above"
    fi
}

# Run a command and assert its exit code: expect_rc CODE cmd args...
expect_rc() {
    local want=$1 got=0
    shift
    echo "+ $* (expecting exit $want)" >&2
    "$@" || got=$?
    [ "$got" -eq "$want" ] || fail "exit code $got, wanted $want: $*"
}

# Initialise a token labelled $1 in the first empty slot with pkcs11-tool,
# then set its user PIN.
init_token_pkcs11_tool() {
    run pkcs11-tool --module "$TK_MODULE" --slot-index 0 --init-token \
        --label "$1" --so-pin "$TK_SO_PIN"
    run pkcs11-tool --module "$TK_MODULE" --token-label "$1" --login --login-type so \
        --so-pin "$TK_SO_PIN" --init-pin --pin "$TK_PIN"
}

# A self-signed EC P-256 certificate in DER, made at test time: $1 = file.
make_cert_der() {
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
        -keyout "$TK_TMP/cert-key.pem" -subj "/CN=TrusToken client test" -days 2 \
        -outform DER -out "$1" 2>/dev/null
}
