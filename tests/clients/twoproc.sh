#!/bin/bash
# Two applications on one token: the C helper tk_client_twoproc forks a
# process that opens a session first and must see the object the other
# process creates, and then its removal. $3 is the helper.
. "$(dirname "$0")/common.sh" "$@"
need pkcs11-tool
TK_HELPER=${3:?helper path missing}

init_token_pkcs11_tool "tk-shared"
run "$TK_HELPER" "$TK_MODULE" tk-shared "$TK_PIN" > "$TK_TMP/out.txt"
expect_in "$TK_TMP/out.txt" "^PASS$"

# Nothing is left behind on the token.
run pkcs11-tool --module "$TK_MODULE" --token-label tk-shared --login --pin "$TK_PIN" \
    --list-objects > "$TK_TMP/list.txt"
expect_not_in "$TK_TMP/list.txt" "twoproc-object"
echo "PASS"
