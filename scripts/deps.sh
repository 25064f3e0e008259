#!/bin/bash
# Install everything TrusToken needs to build and test on Debian 12:
# compiler and build tools, the libraries the module links, the PKCS#11
# clients the tests drive, and valgrind for the constant-time tests.
# Uses sudo only when not already root. When every package is present the
# package lists are not even refreshed, so repeated runs work offline;
# TK_DEPS_FORCE=1 runs apt-get regardless.
set -euo pipefail

PACKAGES=(
    build-essential cmake pkg-config
    libssl-dev libsqlite3-dev libargon2-dev zlib1g-dev
    libcmocka-dev libcjson-dev
    opensc gnutls-bin libnss3-tools softhsm2 sqlite3
    openssh-client openjdk-17-jdk-headless python3-pykcs11 libengine-pkcs11-openssl
    valgrind python3
)

missing=()
for p in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

if [ "${#missing[@]}" -eq 0 ] && [ "${TK_DEPS_FORCE:-0}" != 1 ]; then
    echo "deps: all ${#PACKAGES[@]} packages are installed"
    exit 0
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "deps: not root and no sudo" >&2; exit 1; }
    SUDO=(sudo)
fi

echo "deps: installing ${missing[*]:-${PACKAGES[*]}}"
"${SUDO[@]}" apt-get update
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "${PACKAGES[@]}"
