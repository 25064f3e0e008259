#!/bin/bash
# OpenSC pkcs11-tool reads the library, slot and interface information of
# the module: --show-info, --list-slots and --list-interfaces.
. "$(dirname "$0")/common.sh" "$@"
need pkcs11-tool

run pkcs11-tool --module "$TK_MODULE" --show-info > "$TK_TMP/info.txt"
expect_in "$TK_TMP/info.txt" "Cryptoki version 3\.[0-9]+"
expect_in "$TK_TMP/info.txt" "Manufacturer +.*[Tt]rus[Tt]oken"

# A fresh token_dir holds exactly the one empty slot of the configuration.
run pkcs11-tool --module "$TK_MODULE" --list-slots > "$TK_TMP/slots.txt"
expect_in "$TK_TMP/slots.txt" "Available slots:"
expect_in "$TK_TMP/slots.txt" "token state: +uninitialized"
[ "$(grep -c '^Slot ' "$TK_TMP/slots.txt")" -eq 1 ] || fail "expected exactly one slot"

# --list-interfaces calls C_GetInterfaceList [PKCS11 3.2 §5.4].
pkcs11-tool --help > "$TK_TMP/help.txt" 2>&1 || true
if grep -q -- --list-interfaces "$TK_TMP/help.txt"; then
    run pkcs11-tool --module "$TK_MODULE" --list-interfaces > "$TK_TMP/ifaces.txt"
    expect_in "$TK_TMP/ifaces.txt" "Interface 'PKCS 11'"
    expect_in "$TK_TMP/ifaces.txt" "version: +3\.[0-9]+"
else
    echo "note: this pkcs11-tool has no --list-interfaces; that step is skipped"
fi

# After C_InitToken the token is listed as initialised, with its label,
# and a new empty slot appears next to it.
init_token_pkcs11_tool "tk-info"
run pkcs11-tool --module "$TK_MODULE" --list-slots > "$TK_TMP/slots2.txt"
expect_in "$TK_TMP/slots2.txt" "token label +: tk-info"
expect_in "$TK_TMP/slots2.txt" "PIN initialized"
[ "$(grep -c '^Slot ' "$TK_TMP/slots2.txt")" -eq 2 ] || fail "expected two slots after init"
echo "PASS"
