#!/bin/bash
# `cmake --install` into a staging prefix puts the module, the tool, the
# p11-kit module file, the pkg-config file and the headers where
# README.md says, and the installed tool finds the installed module.
# $3 is the build directory.
. "$(dirname "$0")/common.sh" "$@"
need pkg-config
TK_BUILD=${3:?build directory missing}
PREFIX="$TK_TMP/prefix"

# A separate configure of the same build tree would disturb it, so the
# install goes through --prefix, which overrides CMAKE_INSTALL_PREFIX.
run cmake --install "$TK_BUILD" --prefix "$PREFIX" > "$TK_TMP/install.txt"

MOD=$(find "$PREFIX" -path '*/pkcs11/libtrustoken_p11.so' | head -n 1)
[ -n "$MOD" ] || fail "module not installed under lib*/pkcs11"
[ -x "$PREFIX/bin/trustoken" ] || fail "tool not installed in bin"
[ -f "$PREFIX/include/trustoken/pkcs11.h" ] || fail "pkcs11.h not installed"
P11KIT_FILE="$PREFIX/share/p11-kit/modules/trustoken.module"
[ -f "$P11KIT_FILE" ] || fail "p11-kit module file missing"
expect_in "$P11KIT_FILE" "^module: /.*/pkcs11/libtrustoken_p11\.so$"

PC=$(find "$PREFIX" -name trustoken-p11.pc | head -n 1)
[ -n "$PC" ] || fail "trustoken-p11.pc not installed"
export PKG_CONFIG_PATH
PKG_CONFIG_PATH=$(dirname "$PC")
run pkg-config --exists trustoken-p11
[ "$(pkg-config --variable=module trustoken-p11 | xargs basename)" = libtrustoken_p11.so ] ||
    fail "pkg-config module variable is wrong"
pkg-config --variable=p11_module_configs trustoken-p11 | grep -q 'share/p11-kit/modules$' ||
    fail "pkg-config p11_module_configs variable is wrong"

# The installed header compiles on its own.
printf '#include <trustoken/pkcs11.h>\nint main(void) { return (int)CKR_OK; }\n' \
    > "$TK_TMP/hdr.c"
run cc -std=c11 -Wall -Werror -I"$PREFIX/include" "$TK_TMP/hdr.c" -o "$TK_TMP/hdr"

# The staged tool, pointed at the staged module, talks to it.
run "$PREFIX/bin/trustoken" --module "$MOD" slots > "$TK_TMP/slots.txt"
expect_in "$TK_TMP/slots.txt" "empty token"
echo "PASS"
