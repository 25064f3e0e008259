# The RSA family (src/mech/rsa*.c, src/crypto/ossl/rsa.c, pkey.c) against
# the mechanism layer: generation, every mechanism, lengths, parameters,
# the constant-time PKCS #1 v1.5 unpadding, wrapping.
add_executable(tk_test_mech_rsa ${CMAKE_CURRENT_LIST_DIR}/rsa_test.c)
target_link_libraries(tk_test_mech_rsa PRIVATE tk_mech PkgConfig::CMOCKA)
add_test(NAME mech.rsa COMMAND tk_test_mech_rsa)
set_tests_properties(mech.rsa PROPERTIES TIMEOUT 300)
