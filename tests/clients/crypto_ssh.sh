#!/bin/bash
# OpenSSH: ssh-keygen -D lists the token's RSA and ECDSA public keys, the
# same keys the trustoken tool exports; ssh-agent loads the module
# (ssh-add -s, the PIN given through an askpass script) and
# `ssh-keygen -Y sign` signs a file with each token key through the agent;
# `ssh-keygen -Y verify` accepts the signatures and refuses them for a
# changed file. The agent listens on a unix socket in the temporary
# directory only. OpenSSH 9.2 has no Ed25519 over PKCS#11.
. "$(dirname "$0")/common.sh" "$@"
. "$(dirname "$0")/crypto_common.sh"
need ssh-keygen
need ssh-agent
need ssh-add
need pkcs11-tool
need openssl
[ -x "$TK_TOOL" ] || fail "trustoken tool missing: $TK_TOOL"

TK_LABEL=tk-ssh
init_token_pkcs11_tool "$TK_LABEL"
cd "$TK_TMP"

# pkcs11-tool makes token objects; the public halves are public objects,
# so ssh-keygen -D reads them without a login.
p11 --keypairgen --key-type rsa:2048 --label ssh-rsa --id 31 --usage-sign > /dev/null
p11 --keypairgen --key-type EC:prime256v1 --label ssh-ec --id 32 --usage-sign > /dev/null

run ssh-keygen -D "$TK_MODULE" > listed.pub 2> listed.err || { cat listed.err >&2; fail "-D"; }
expect_in listed.pub "^ssh-rsa AAAA"
expect_in listed.pub "^ecdsa-sha2-nistp256 AAAA"
for k in rsa ec; do
    export_pub "ssh-$k" "$k.pem"
    ssh-keygen -i -m PKCS8 -f "$k.pem" > "$k.pub"
    grep -qF "$(cut -d' ' -f1-2 "$k.pub")" listed.pub ||
        { cat listed.pub >&2; fail "ssh-keygen -D does not list the token's $k key"; }
done

# The agent, its helper and so the module see this test's TRUSTOKEN_CONF.
# -P allows the module outside the default /usr/lib*/* pattern.
printf '#!/bin/sh\necho %s\n' "$TK_PIN" > askpass
chmod 700 askpass
SOCK="$TK_TMP/agent.sock"
run ssh-agent -a "$SOCK" -P "$TK_MODULE" -s > agent.env
AGENT_PID=$(sed -n 's/^SSH_AGENT_PID=\([0-9]*\);.*/\1/p' agent.env)
[ -n "$AGENT_PID" ] || fail "ssh-agent printed no pid"
trap 'kill "$AGENT_PID" 2>/dev/null; rm -rf "$TK_TMP"' EXIT
export SSH_AUTH_SOCK=$SOCK
SSH_ASKPASS="$TK_TMP/askpass" SSH_ASKPASS_REQUIRE=force \
    run ssh-add -s "$TK_MODULE" < /dev/null > add.txt 2>&1 || { cat add.txt >&2; fail "ssh-add"; }
run ssh-add -L > agent.pub
for k in rsa ec; do
    grep -qF "$(cut -d' ' -f1-2 "$k.pub")" agent.pub ||
        { cat agent.pub >&2; fail "the agent does not hold the token's $k key"; }
done

random_file data.bin 5000
tamper data.bin data.bad
for k in rsa ec; do
    # -f names the public key: the private key is the agent's, the token's.
    cp data.bin "data-$k"
    run ssh-keygen -Y sign -f "$k.pub" -n file "data-$k" > /dev/null 2>&1 ||
        fail "ssh-keygen -Y sign with the token's $k key"
    [ -s "data-$k.sig" ] || fail "no signature file for $k"
    echo "tester@trustoken $(cut -d' ' -f1-2 "$k.pub")" > "allowed-$k"
    run ssh-keygen -Y verify -f "allowed-$k" -I tester@trustoken -n file \
        -s "data-$k.sig" < data.bin > "verify-$k.txt" 2>&1
    expect_in "verify-$k.txt" "^Good \"file\" signature for tester@trustoken"
    must_fail ssh-keygen -Y verify -f "allowed-$k" -I tester@trustoken -n file \
        -s "data-$k.sig" < data.bad
done

# Removing the provider takes the keys out of the agent.
run ssh-add -e "$TK_MODULE" > /dev/null 2>&1
expect_rc 1 ssh-add -L
echo "PASS"
