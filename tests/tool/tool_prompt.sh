#!/bin/bash
# trustoken asks for PINs on a terminal without echoing them: init asks for
# each PIN twice, a mismatch is refused, and login reads the PIN typed.
. "$(dirname "$0")/../clients/common.sh" "$@"
need python3
[ -x "$TK_TOOL" ] || fail "trustoken tool not given"
PROMPT=("$(dirname "$0")/prompt.py")
TK=("$TK_TOOL" --module "$TK_MODULE")

# Distinctive PINs, so that an echo would be found in the transcript.
SO=so-secret-4711
USER_PIN=user-secret-0815

expect_rc 3 "${PROMPT[@]}" "$SO" "$SO" "$USER_PIN" other-pin -- \
    "${TK[@]}" init --label tk-prompt > "$TK_TMP/mismatch.txt"
expect_in "$TK_TMP/mismatch.txt" "the two PINs differ"

run "${PROMPT[@]}" "$SO" "$SO" "$USER_PIN" "$USER_PIN" -- \
    "${TK[@]}" init --label tk-prompt > "$TK_TMP/init.txt"
expect_in "$TK_TMP/init.txt" "Security Officer PIN: "
expect_in "$TK_TMP/init.txt" "Repeat to confirm: "
expect_in "$TK_TMP/init.txt" "Token 'tk-prompt' initialised"
expect_not_in "$TK_TMP/init.txt" "secret"

run "${PROMPT[@]}" "$USER_PIN" -- "${TK[@]}" objects --login > "$TK_TMP/login.txt"
expect_in "$TK_TMP/login.txt" "User PIN: "
expect_not_in "$TK_TMP/login.txt" "secret"
expect_not_in "$TK_TMP/login.txt" "CKR_"
echo "PASS"
