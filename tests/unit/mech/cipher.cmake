# The cipher family (src/mech/cipher*.c) against the mechanism layer:
# AES modes, ChaCha20-Poly1305, message-based AEAD, key wrap and derivation.
add_executable(tk_test_mech_cipher ${CMAKE_CURRENT_LIST_DIR}/cipher_test.c)
target_link_libraries(tk_test_mech_cipher PRIVATE tk_mech PkgConfig::CMOCKA tk_test_vec
    Threads::Threads)
add_test(NAME mech.cipher COMMAND tk_test_mech_cipher)
