# The PKCS#8 private-key encoder and decoder (src/mech/keyenc.c,
# src/crypto/ossl/pkcs8.c) against the mechanism layer.
add_executable(tk_test_mech_keyenc ${CMAKE_CURRENT_LIST_DIR}/keyenc_test.c)
target_link_libraries(tk_test_mech_keyenc PRIVATE tk_mech PkgConfig::CMOCKA)
add_test(NAME mech.keyenc COMMAND tk_test_mech_keyenc)
set_tests_properties(mech.keyenc PROPERTIES TIMEOUT 300)
