#!/bin/bash
# TLS client authentication with token keys: gnutls-cli presents a
# certificate whose RSA 2048 or ECDSA P-256 key p11tool generated on the
# token, and the token signs the handshake (RSA-PSS in TLS 1.3, RSA
# PKCS#1 v1.5 or PSS in TLS 1.2, ECDSA). The peer is `openssl s_server`,
# listening on 127.0.0.1 only, which requires and verifies the client
# certificate and the handshake signature.
. "$(dirname "$0")/common.sh" "$@"
. "$(dirname "$0")/crypto_common.sh"
need p11tool
need certtool
need gnutls-cli
need pkcs11-tool
need openssl

TK_LABEL=tk-tls
init_token_pkcs11_tool "$TK_LABEL"
cd "$TK_TMP"
export GNUTLS_PIN=$TK_PIN
TOKEN="pkcs11:token=$TK_LABEL"

printf 'cn = "TrusToken TLS client"\nserial = 9\nexpiration_days = 2\n' > cli.tmpl
printf 'tls_www_client\nsigning_key\n' >> cli.tmpl
run openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout srv.key \
    -out srv.pem -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1 -days 2

for k in rsa:--bits=2048 ecdsa:--curve=secp256r1; do
    IFS=: read -r name opt <<< "$k"
    run p11tool --provider "$TK_MODULE" --login --generate-privkey="$name" "$opt" \
        --label "tls-$name" "$TOKEN" > /dev/null
    certtool_sign "cli-$name.pem" --provider "$TK_MODULE" --generate-self-signed \
        --load-privkey "$TOKEN;object=tls-$name;type=private" --template cli.tmpl
done

# handshake NAME PRIORITY TAG: one connection from gnutls-cli with the token
# key NAME to an s_server that answers with its status page (-www), which
# shows the protocol, the client's signature type and the verify result;
# the client's output is kept as cli-NAME-TAG.log.
handshake() {
    local name=$1 prio=$2 port srv cli i
    for i in 1 2 3 4 5; do
        port=$((20000 + RANDOM % 40000))
        # Bounded in time: under load a peer that never connects must not
        # hold the test until ctest's timeout.
        timeout -s KILL 90 openssl s_server -www -accept "127.0.0.1:$port" -naccept 1 \
            -cert srv.pem -key srv.key \
            -Verify 1 -verify_return_error -CAfile "cli-$name.pem" > srv.log 2>&1 &
        srv=$!
        # Wait until it listens, or has died because the port was taken.
        while kill -0 "$srv" 2>/dev/null && ! grep -q '^ACCEPT' srv.log; do
            sleep 0.1
        done
        grep -q '^ACCEPT' srv.log && break
        wait "$srv" || true
    done
    grep -q '^ACCEPT' srv.log || { cat srv.log >&2; fail "s_server did not start"; }

    echo "+ gnutls-cli $name $prio to 127.0.0.1:$port" >&2
    printf 'GET / HTTP/1.0\r\n\r\n' |
        timeout -s KILL 90 gnutls-cli --provider "$TK_MODULE" --priority "$prio" \
            --x509cafile srv.pem \
            --x509certfile "cli-$name.pem" \
            --x509keyfile "$TOKEN;object=tls-$name;type=private" \
            -p "$port" 127.0.0.1 > cli.log 2>&1 &
    cli=$!
    # The client ends once the server closed the connection after its
    # page; one that hangs on exit under the sanitizer preload is killed
    # once it has written the whole page.
    for i in $(seq 600); do
        kill -0 "$cli" 2>/dev/null || break
        grep -q "Peer has closed the GnuTLS connection" cli.log && break
        sleep 0.1
    done
    # TERM reaches the program through timeout(1); KILL would stop only
    # timeout and leave the program behind.
    kill "$cli" 2>/dev/null || true
    wait "$cli" || true
    for i in $(seq 100); do
        kill -0 "$srv" 2>/dev/null || break
        sleep 0.1
    done
    kill "$srv" 2>/dev/null || true
    wait "$srv" || true

    expect_in srv.log "1 server accepts that finished"
    expect_in cli.log "Verify return code: 0 \(ok\)"
    expect_in cli.log "Client certificate"
    cp cli.log "cli-$name-$3.log"
}

handshake rsa "NORMAL:-VERS-ALL:+VERS-TLS1.3" tls13
expect_in cli-rsa-tls13.log "Protocol +: TLSv1\.3"
expect_in cli-rsa-tls13.log "Peer signature type: RSA-PSS"
# TLS 1.2 without PSS: the token signs with RSA PKCS#1 v1.5.
NO_PSS=
for h in SHA256 SHA384 SHA512; do
    NO_PSS="$NO_PSS:-SIGN-RSA-PSS-$h:-SIGN-RSA-PSS-RSAE-$h"
done
handshake rsa "NORMAL:-VERS-ALL:+VERS-TLS1.2$NO_PSS" tls12
expect_in cli-rsa-tls12.log "Protocol +: TLSv1\.2"
expect_in cli-rsa-tls12.log "Peer signature type: RSA$"
handshake ecdsa "NORMAL:-VERS-ALL:+VERS-TLS1.3" tls13
expect_in cli-ecdsa-tls13.log "Peer signature type: ECDSA"
echo "PASS"
