# AES-256-GCM and the OpenSSL error helper (src/crypto/ossl/aead.c, err.c).
add_executable(tk_test_aead ${CMAKE_CURRENT_LIST_DIR}/aead_test.c)
target_link_libraries(tk_test_aead PRIVATE tk_crypto_ossl PkgConfig::CMOCKA)
target_compile_definitions(tk_test_aead PRIVATE
    TK_AEAD_VECTORS="${CMAKE_CURRENT_LIST_DIR}/aead_gcm_vectors.txt")
add_test(NAME crypto.ossl.aead COMMAND tk_test_aead)
