#!/bin/bash
# Benchmark TrusToken against SoftHSMv2 and raw OpenSSL in one run.
#
#   ./scripts/bench.sh [--quick]
#
# Builds a Release tree, makes throw-away tokens for both modules (with
# TrusToken's default Argon2 cost: login is measured as users pay it),
# runs bench/p11bench on each, takes the raw OpenSSL ceiling from
# `openssl speed` in the same run, and writes bench/results/latest.{csv,md,png}
# (and latest-raw.csv, what the modules and openssl printed).
# --quick: shorter runs and 1,000 objects (for a smoke test, not for figures).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT="$ROOT/bench/results"
BUILD="$ROOT/build-bench"
SECONDS_PER_RUN=1
OSSL_SECONDS=1 # `openssl speed -seconds` takes whole seconds only
REPS=3
OBJECTS=10000
QUICK=
if [ "${1:-}" = "--quick" ]; then
    QUICK=1
    SECONDS_PER_RUN=0.3
    REPS=1
    OBJECTS=1000
fi

"$ROOT/scripts/deps.sh"
# The chart needs matplotlib. Debian's package serves /usr/bin/python3,
# which need not be the python3 on PATH (pyenv, a virtualenv).
PYTHON=python3
if ! "$PYTHON" -c "import matplotlib.pyplot" 2>/dev/null; then
    PYTHON=/usr/bin/python3
fi
if ! "$PYTHON" -c "import matplotlib.pyplot" 2>/dev/null; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-matplotlib >/dev/null
fi

cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DTK_BUILD_TESTS=OFF >/dev/null
cmake --build "$BUILD" -j "$(nproc)" --target trustoken_p11 p11bench >/dev/null

WORK=$(mktemp -d /tmp/tk-bench-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$OUT" "$WORK/trustoken" "$WORK/softhsm"
CSV="$WORK/results.csv"
# OpenSSL rows (below) leave the two range columns out.
echo "module,workload,group,threads,ops_per_sec,min_ops,max_ops" > "$CSV"

THREADS=$(nproc)
ARGS=(--seconds "$SECONDS_PER_RUN" --reps "$REPS" --threads "$THREADS" --objects "$OBJECTS"
      --csv "$CSV")

# TrusToken with its default KDF cost.
printf 'token_dir = %s/trustoken\n' "$WORK" > "$WORK/trustoken.conf"
TRUSTOKEN_CONF="$WORK/trustoken.conf" "$BUILD/bench/p11bench" \
    --module "$BUILD/src/api/libtrustoken_p11.so" --name trustoken "${ARGS[@]}"

# SoftHSMv2 from Debian, on its own throw-away token directory.
SOFTHSM_LIB=$(dpkg -L softhsm2-common libsofthsm2 2>/dev/null | grep -m1 'libsofthsm2.so$' || true)
[ -n "$SOFTHSM_LIB" ] || SOFTHSM_LIB=/usr/lib/softhsm/libsofthsm2.so
printf 'directories.tokendir = %s/softhsm\nobjectstore.backend = file\nlog.level = ERROR\n' \
    "$WORK" > "$WORK/softhsm2.conf"
SOFTHSM2_CONF="$WORK/softhsm2.conf" "$BUILD/bench/p11bench" \
    --module "$SOFTHSM_LIB" --name softhsm2 "${ARGS[@]}"

# The raw OpenSSL ceiling, one thread, the same per-operation work; taken
# REPS times like the modules' figures, report.py keeps the median.
speed() { openssl speed -seconds "$OSSL_SECONDS" -mr "$@" 2>/dev/null | grep '^+F'; }
for _ in $(seq "$REPS"); do
    speed ecdsap256 | awk -F: '{printf "openssl,sign_ecdsa_p256,sign,1,%s\nopenssl,verify_ecdsa_p256,verify,1,%s\n",$4,$5}'
    speed rsa2048 | awk -F: '{printf "openssl,sign_rsa2048_sha256,sign,1,%s\nopenssl,verify_rsa2048_sha256,verify,1,%s\n",$4,$5}'
    speed ed25519 | awk -F: '{printf "openssl,sign_ed25519,sign,1,%s\nopenssl,verify_ed25519,verify,1,%s\n",$5,$6}'
    for n in 64 1024 1048576; do
        name=$([ $n = 64 ] && echo 64 || { [ $n = 1024 ] && echo 1k || echo 1m; })
        speed -aead -evp aes-256-gcm -bytes $n |
            awk -F: -v n=$n -v w="$name" '{printf "openssl,aes256gcm_%s,cipher,1,%.1f\nopenssl,aes256gcm_msg_%s,cipher,1,%.1f\n",w,$4/n,w,$4/n}'
    done
    for n in 64 1048576; do
        name=$([ $n = 64 ] && echo 64 || echo 1m)
        speed -evp sha256 -bytes $n | awk -F: -v n=$n -v w="$name" '{printf "openssl,sha256_%s,digest,1,%.1f\n",w,$4/n}'
    done
done >> "$CSV"

cp "$CSV" "$OUT/latest-raw.csv" # every run, for report.py again
"$PYTHON" "$ROOT/bench/report.py" "$CSV" "$OUT" \
    "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(openssl version)" \
    "./scripts/bench.sh${QUICK:+ --quick}"
echo "bench: results in $OUT/latest.md, latest.csv and latest.png"
