# Crypto client tests: RSA, EC, EdDSA, ECDH and AES driven by real PKCS#11
# applications (pkcs11-tool, GnuTLS, NSS, OpenSSH, the JDK's SunPKCS11,
# PyKCS11), every result checked by a tool that shares no code with the
# module. A missing client program makes the test "skipped" (exit 77).
#
# tests/CMakeLists.txt includes the fragments sorted by path, so
# clients.cmake has run and TK_CLIENTS_ENV (the sanitizer preload) is set.
if(NOT TARGET trustoken_p11 OR NOT TARGET trustoken)
    return()
endif()

set(TK_CRYPTO_CLIENTS_DIR ${CMAKE_CURRENT_LIST_DIR})

# tk_crypto_client_test(<area> [extra arguments...]) runs crypto_<area>.sh.
function(tk_crypto_client_test area)
    add_test(NAME client_crypto_${area}
             COMMAND ${TK_CRYPTO_CLIENTS_DIR}/crypto_${area}.sh
                     $<TARGET_FILE:trustoken_p11> $<TARGET_FILE:trustoken> ${ARGN})
    set_tests_properties(client_crypto_${area} PROPERTIES
        LABELS clients SKIP_RETURN_CODE 77 TIMEOUT 240
        ENVIRONMENT "${TK_CLIENTS_ENV}")
endfunction()

tk_crypto_client_test(pkcs11_tool)
tk_crypto_client_test(openssl)
tk_crypto_client_test(gnutls)
tk_crypto_client_test(nss)
tk_crypto_client_test(ssh)
tk_crypto_client_test(java)
tk_crypto_client_test(python)
tk_crypto_client_test(tls)
# Expects a module bug fixed: through the OpenSSL pkcs11 engine the
# module's C_SignInit and C_DecryptInit fail with CKR_FUNCTION_FAILED
# (see the script's header); it passes with softhsm2 as the module.
tk_crypto_client_test(openssl_engine)
