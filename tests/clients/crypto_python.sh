#!/bin/bash
# PyKCS11 (Debian's python3-pykcs11) makes the Montgomery and Edwards keys
# pkcs11-tool 0.23 cannot: X25519 and X448 key pairs generated on the
# token derive, with an openssl peer, the secret `openssl pkeyutl -derive`
# computes; Ed25519 and Ed448 signatures made in the token verify with
# openssl against the keys `trustoken export` writes.
. "$(dirname "$0")/common.sh" "$@"
. "$(dirname "$0")/crypto_common.sh"
need pkcs11-tool
need openssl
[ -x "$TK_TOOL" ] || fail "trustoken tool missing: $TK_TOOL"

# Debian's package installs for the system python, which a pyenv or venv
# python3 earlier in PATH does not see.
PY=
for p in python3 /usr/bin/python3; do
    if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import PyKCS11' 2>/dev/null; then
        PY=$p
        break
    fi
done
[ -n "$PY" ] || { echo "SKIP: no python3 with PyKCS11 (python3-pykcs11)"; exit 77; }

TK_LABEL=tk-python
init_token_pkcs11_tool "$TK_LABEL"
cd "$TK_TMP"

# Peers and the message, made by openssl. A raw Montgomery public key is
# the tail of its SubjectPublicKeyInfo.
for c in x25519:X25519:32 x448:X448:56; do
    IFS=: read -r k alg n <<< "$c"
    run openssl genpkey -algorithm "$alg" -out "peer-$k.pem"
    openssl pkey -in "peer-$k.pem" -pubout -outform DER | tail -c "$n" > "peer-$k.raw"
done
random_file msg 2000

cat > drive.py <<'PY'
import sys
import PyKCS11 as P

module, pin, label = sys.argv[1:4]
lib = P.PyKCS11Lib()
lib.load(module)
slot = next(s for s in lib.getSlotList(tokenPresent=True)
            if lib.getTokenInfo(s).label.strip() == label)
se = lib.openSession(slot, P.CKF_SERIAL_SESSION | P.CKF_RW_SESSION)
se.login(pin)


def keypair(mech, ktype, oid, name, usage):
    pub = [(P.CKA_CLASS, P.CKO_PUBLIC_KEY), (P.CKA_KEY_TYPE, ktype),
           (P.CKA_TOKEN, True), (P.CKA_LABEL, name), (P.CKA_EC_PARAMS, oid),
           (usage, True)]
    priv = [(P.CKA_CLASS, P.CKO_PRIVATE_KEY), (P.CKA_KEY_TYPE, ktype),
            (P.CKA_TOKEN, True), (P.CKA_LABEL, name), (P.CKA_PRIVATE, True),
            (P.CKA_SENSITIVE, True), (P.CKA_EXTRACTABLE, False),
            (P.CKA_DERIVE if usage == P.CKA_DERIVE else P.CKA_SIGN, True)]
    return se.generateKeyPair(pub, priv, mecha=P.Mechanism(mech))


# Raw public key bytes; a DER OCTET STRING wrapper is accepted too.
def raw_point(pubkey, n):
    pt = bytes(se.getAttributeValue(pubkey, [P.CKA_EC_POINT])[0])
    if len(pt) == n + 2 and pt[0] == 0x04 and pt[1] == n:
        pt = pt[2:]
    if len(pt) != n:
        sys.exit("FAIL: CKA_EC_POINT of %d bytes for a %d-byte key" % (len(pt), n))
    return pt


for name, oid, n in (("x25519", "06032b656e", 32), ("x448", "06032b656f", 56)):
    pub, priv = keypair(P.CKM_EC_MONTGOMERY_KEY_PAIR_GEN, P.CKK_EC_MONTGOMERY,
                        bytes.fromhex(oid), name, P.CKA_DERIVE)
    open(name + ".tokraw", "wb").write(raw_point(pub, n))
    peer = open("peer-%s.raw" % name, "rb").read()
    tmpl = [(P.CKA_CLASS, P.CKO_SECRET_KEY), (P.CKA_KEY_TYPE, P.CKK_GENERIC_SECRET),
            (P.CKA_TOKEN, False), (P.CKA_SENSITIVE, False), (P.CKA_EXTRACTABLE, True),
            (P.CKA_VALUE_LEN, n)]
    z = se.deriveKey(priv, tmpl, P.ECDH1_DERIVE_Mechanism(peer))
    open(name + ".z", "wb").write(bytes(se.getAttributeValue(z, [P.CKA_VALUE])[0]))
    print("derived", name)

msg = open("msg", "rb").read()
for name, oid in (("ed25519", "06032b6570"), ("ed448", "06032b6571")):
    pub, priv = keypair(P.CKM_EC_EDWARDS_KEY_PAIR_GEN, P.CKK_EC_EDWARDS,
                        bytes.fromhex(oid), name, P.CKA_VERIFY)
    sig = bytes(se.sign(priv, msg, P.Mechanism(P.CKM_EDDSA)))
    open(name + ".sig", "wb").write(sig)
    print("signed", name, len(sig))

se.logout()
se.closeSession()
PY
run "$PY" drive.py "$TK_MODULE" "$TK_PIN" "$TK_LABEL"

# X25519 / X448: the token's secret is openssl's. The peer side uses the
# token public key both as trustoken exports it and as rebuilt here from
# the raw CKA_EC_POINT (RFC 8410 prefix).
for c in x25519:302a300506032b656e032100 x448:3042300506032b656f033900; do
    IFS=: read -r k prefix <<< "$c"
    export_pub "$k" "$k.pem"
    { printf "$(echo "$prefix" | sed 's/../\\x&/g')"; cat "$k.tokraw"; } > "$k.der"
    openssl pkey -pubin -inform DER -in "$k.der" -out "$k.rebuilt.pem"
    same_bytes "$k.rebuilt.pem" "$k.pem" "$k public key from trustoken export"
    run openssl pkeyutl -derive -inkey "peer-$k.pem" -peerkey "$k.pem" -out "$k.z.ossl"
    same_bytes "$k.z" "$k.z.ossl" "$k shared secret"
done

# Ed25519 / Ed448 (pure EdDSA): openssl verifies; a changed message fails.
tamper msg msg.bad
for k in ed25519 ed448; do
    export_pub "$k" "$k.pem"
    run openssl pkeyutl -verify -pubin -inkey "$k.pem" -rawin -in msg -sigfile "$k.sig"
    must_fail openssl pkeyutl -verify -pubin -inkey "$k.pem" -rawin -in msg.bad \
        -sigfile "$k.sig"
done
[ "$(stat -c %s ed448.sig)" -eq 114 ] || fail "an Ed448 signature is 114 bytes"
echo "PASS"
