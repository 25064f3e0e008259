#!/bin/sh
# Checks the dynamic symbol table of the module: it defines the PKCS#11
# entry points (C_*) and nothing else, and exactly the expected number of
# them, so no internal tk_ symbol leaks and no entry point is missing.
#
# Usage: exports.sh <nm> <module.so> <expected number of C_* symbols>
set -eu

nm_tool=$1
module=$2
want=$3

syms=$("$nm_tool" -D --defined-only "$module" | awk '{ print $NF }')
others=$(printf '%s\n' "$syms" | grep -v '^C_' || true)
count=$(printf '%s\n' "$syms" | grep -c '^C_' || true)

status=0
if [ -n "$others" ]; then
    echo "symbols other than C_* exported:" >&2
    printf '%s\n' "$others" >&2
    status=1
fi
if [ "$count" -ne "$want" ]; then
    echo "exported $count C_* symbols, want $want" >&2
    status=1
fi
echo "$module: $count C_* symbols, nothing else: $([ $status -eq 0 ] && echo ok || echo FAIL)"
exit $status
