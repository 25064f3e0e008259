# The key-derivation family (src/mech/kdf*.c, src/crypto/ossl/kdf.c)
# against the mechanism layer: HKDF and PBKDF2 known answers from
# Wycheproof files, SP 800-108 counter and feedback mode cross-checked
# against OpenSSL's KBKDF for the layouts it supports, parameter checks.
add_executable(tk_test_mech_kdf ${CMAKE_CURRENT_LIST_DIR}/kdf_test.c)
target_link_libraries(tk_test_mech_kdf PRIVATE tk_mech PkgConfig::CMOCKA tk_test_vec
    OpenSSL::Crypto)
add_test(NAME mech.kdf COMMAND tk_test_mech_kdf)
