#!/bin/bash
# Post-quantum speed of TrusToken against OpenSSL 3.5, in one run [issue 4]:
# ML-KEM-768, ML-DSA-65, SLH-DSA-SHA2-128f and SLH-DSA-SHAKE-128f key
# generation, encapsulation / decapsulation and signing / verification.
#
#   ./scripts/bench_pqc.sh [--quick]
#
# Builds a Release tree ($TK_BUILD, default build-bench), takes OpenSSL 3.5
# from a Debian 13 tree ($TK_TRIXIE, default $TK_BUILD/trixie; made with
# mmdebstrap when missing) run through the tree's own dynamic loader, and
# measures both on one thread with two clocks:
#   - CPU time: p11bench --cpu-time against plain `openssl speed` (user
#     time), the figure `openssl speed` gives by default and the one a
#     loaded machine disturbs less;
#   - wall-clock time: p11bench as it usually measures, against `openssl
#     speed -elapsed`.
# The two sides alternate one algorithm at a time, so that a change in
# load falls on both alike. bench/pqc_report.py then writes
# bench/results/pqc.md and pqc.csv, with the machine and its load average.
# TrusToken runs on a throw-away token with cheap Argon2: login is not
# measured here.
# --quick: short runs (a smoke test, not figures).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT="$ROOT/bench/results"
BUILD=${TK_BUILD:-$ROOT/build-bench}
TREE=${TK_TRIXIE:-$BUILD/trixie}
SECONDS_PER_RUN=2
OSSL_SECONDS=2 # `openssl speed -seconds` takes whole seconds only
REPS=3
if [ "${1:-}" = "--quick" ]; then
    SECONDS_PER_RUN=0.3
    OSSL_SECONDS=1
    REPS=1
fi

# p11bench workload, OpenSSL algorithm, its `speed` operation, target ratio
# ("-" for none). Order is the order of the table.
OPS="keygen_mlkem768 ML-KEM-768 keygen 1.0
encaps_mlkem768 ML-KEM-768 encaps 1.0
decaps_mlkem768 ML-KEM-768 decaps 1.0
keygen_mldsa65 ML-DSA-65 keygen 1.0
sign_mldsa65 ML-DSA-65 sign 1.5
verify_mldsa65 ML-DSA-65 verify 1.0
keygen_slhdsa_sha2_128f SLH-DSA-SHA2-128f keygen -
sign_slhdsa_sha2_128f SLH-DSA-SHA2-128f sign 1.0
verify_slhdsa_sha2_128f SLH-DSA-SHA2-128f verify -
keygen_slhdsa_shake_128f SLH-DSA-SHAKE-128f keygen -
sign_slhdsa_shake_128f SLH-DSA-SHAKE-128f sign 1.0
verify_slhdsa_shake_128f SLH-DSA-SHAKE-128f verify -"
ALGS=$(echo "$OPS" | awk '{print $2}' | uniq)

# The sources built, noted before building.
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git -C "$ROOT" status --porcelain -- src include 2>/dev/null)" ]; then
    COMMIT="$COMMIT (with uncommitted changes under src/ or include/)"
fi
cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DTK_BUILD_TESTS=OFF >/dev/null
cmake --build "$BUILD" -j "$(nproc)" --target trustoken_p11 p11bench >/dev/null

if [ ! -x "$TREE/usr/bin/openssl" ]; then
    if ! command -v mmdebstrap >/dev/null; then
        echo "bench_pqc: no $TREE and no mmdebstrap" >&2
        exit 1
    fi
    rm -rf "$TREE.tmp"
    mmdebstrap --variant=minbase --include=openssl trixie "$TREE.tmp" >"$TREE.log" 2>&1
    mv "$TREE.tmp" "$TREE"
fi
LIBDIR=$TREE/usr/lib/x86_64-linux-gnu
ossl() {
    OPENSSL_CONF=$TREE/usr/lib/ssl/openssl.cnf OPENSSL_MODULES=$LIBDIR/ossl-modules \
        "$TREE/lib64/ld-linux-x86-64.so.2" --library-path "$LIBDIR" "$TREE/usr/bin/openssl" "$@"
}
OSSL_VERSION=$(ossl version)
case $OSSL_VERSION in
OpenSSL\ 3.[5-9]*) ;;
*) echo "bench_pqc: $OSSL_VERSION is not OpenSSL 3.5 or later" >&2; exit 1 ;;
esac

WORK=$(mktemp -d /tmp/tk-bench-pqc-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$OUT" "$WORK/tokens"
printf 'token_dir = %s/tokens\nkdf_memory_kib = 256\nkdf_passes = 1\n' "$WORK" \
    >"$WORK/trustoken.conf"
echo "$OPS" >"$WORK/ops.txt"

# TrusToken through p11bench: CSV rows module,workload,group,threads,ops/s.
tk() { # CSV WORKLOADS [--cpu-time]
    TRUSTOKEN_CONF="$WORK/trustoken.conf" "$BUILD/bench/p11bench" \
        --module "$BUILD/src/api/libtrustoken_p11.so" --name trustoken --pin 123456 \
        --so-pin 12345678 --threads 1 --seconds "$SECONDS_PER_RUN" --reps "$REPS" \
        --only "$2" --csv "$1" "${@:3}"
}

# OpenSSL's -mr output gives, per operation, "+DTP:ALG:OP:1" and then
# "+R<n>:COUNT:ALG:SECONDS", both on standard error (the "+F" summary
# lines on standard output carry no names). Append ALG,OP,COUNT/SECONDS
# for each of REPS runs; the report takes the median, as p11bench does.
ossl_speed() { # OUT ALG [-elapsed]
    for _ in $(seq "$REPS"); do
        ossl speed -seconds "$OSSL_SECONDS" -mr "${@:3}" "$2" 2>&1 |
            awk -F: '/^\+DTP:/ { alg = $2; op = ($3 == "signs") ? "sign" : $3 }
                     /^\+R[0-9]+:/ && alg != "" && $4 > 0 {
                         printf "%s,%s,%.1f\n", alg, op, $2 / $4; alg = "" }' >>"$1"
    done
}

LOAD_BEFORE=$(uptime | sed 's/.*load average: //')
DATE=$(date -u '+%Y-%m-%d %H:%M UTC')
echo "bench_pqc: load average $LOAD_BEFORE"
# One algorithm at a time, both sides and both clocks in turn.
for alg in $ALGS; do
    only=$(echo "$OPS" | awk -v a="$alg" '$2 == a {print $1}' | paste -sd, -)
    tk "$WORK/tk_wall.csv" "$only"
    ossl_speed "$WORK/ossl_wall.csv" "$alg" -elapsed
    tk "$WORK/tk_cpu.csv" "$only" --cpu-time
    ossl_speed "$WORK/ossl_cpu.csv" "$alg"
done
LOAD_AFTER=$(uptime | sed 's/.*load average: //')

MACHINE="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs),\
 $(uname -sr)"

OSSL_LINE="OpenSSL: $OSSL_VERSION from a Debian 13 tree,"
OSSL_LINE+=" openssl speed -seconds $OSSL_SECONDS -mr ALG, $REPS runs, median"
python3 "$ROOT/bench/pqc_report.py" "$WORK" "$OUT" \
    "TrusToken: p11bench, 1 thread, $SECONDS_PER_RUN s x $REPS runs, median" \
    "$OSSL_LINE" \
    "Run $DATE on $MACHINE" \
    "Load average (1, 5, 15 min): before $LOAD_BEFORE; after $LOAD_AFTER" \
    "TrusToken $COMMIT, Release build; hedged signing on both sides"
echo "bench_pqc: results in $OUT/pqc.md and pqc.csv"
