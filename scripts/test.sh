#!/bin/bash
# Build and test TrusToken twice: a Release build (build/) and a build with
# AddressSanitizer and UndefinedBehaviorSanitizer (build-asan/). Runs every
# ctest test of both, prints "N passed, N failed" for the two runs together
# and exits non-zero when anything failed, including a build.
#
# TK_JOBS overrides the parallelism (default: 2, the size of the CI box).
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
JOBS=${TK_JOBS:-2}
PASSED=0
FAILED=0
SKIPPED=0

"$ROOT/scripts/deps.sh" || { echo "test: installing dependencies failed" >&2; exit 1; }

# run_suite NAME BUILD_DIR CMAKE_ARGS...: configure, build, ctest, count.
# A failed build counts as one failure; the tests of whatever did build
# still run, so one broken file does not hide the state of the rest.
run_suite() {
    local name=$1 dir=$2 log summary total failed skipped keep_going
    shift 2
    log="$dir/ctest.log"
    echo "==> $name: configure and build in $dir"
    if ! cmake -S "$ROOT" -B "$dir" "$@"; then
        echo "==> $name: CONFIGURE FAILED"
        FAILED=$((FAILED + 1))
        return
    fi
    keep_going=(-k)
    [ ! -f "$dir/build.ninja" ] || keep_going=(-k 0)
    if ! cmake --build "$dir" -j "$JOBS" -- "${keep_going[@]}"; then
        echo "==> $name: BUILD FAILED (counted as one failure; running what was built)"
        FAILED=$((FAILED + 1))
    fi
    echo "==> $name: ctest"
    ctest --test-dir "$dir" --output-on-failure -j "$JOBS" 2>&1 | tee "$log"
    summary=$(grep -E "tests passed, [0-9]+ tests? failed out of [0-9]+" "$log" | tail -n 1)
    if [ -z "$summary" ]; then
        echo "==> $name: no ctest summary"
        FAILED=$((FAILED + 1))
        return
    fi
    total=$(sed -E 's/.* out of ([0-9]+).*/\1/' <<< "$summary")
    failed=$(sed -E 's/.* ([0-9]+) tests? failed.*/\1/' <<< "$summary")

    # ctest counts a skipped test (a missing client program) as passed.
    skipped=$(grep -c -E "^[[:space:]]*[0-9]+ - .*\(Skipped\)$" "$log" || true)
    PASSED=$((PASSED + total - failed - skipped))
    FAILED=$((FAILED + failed))
    SKIPPED=$((SKIPPED + skipped))
    echo "==> $name: $((total - failed - skipped)) passed, $failed failed, $skipped skipped"
}

run_suite "Release" "$ROOT/build" -DCMAKE_BUILD_TYPE=Release -DTK_BUILD_TESTS=ON \
    -DTK_SANITIZE=OFF
run_suite "Sanitizers" "$ROOT/build-asan" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTK_BUILD_TESTS=ON \
    -DTK_SANITIZE=ON

[ "$SKIPPED" -eq 0 ] || echo "($SKIPPED skipped: see the ctest output above)"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
