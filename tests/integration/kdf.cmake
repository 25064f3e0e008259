# Key derivation through the module's function list: Wycheproof HKDF and
# PBKDF2 vectors, SP 800-108 against OpenSSL's KBKDF, and the refusals.
# tk_test_harness comes from integration.cmake.
add_executable(tk_wycheproof_kdf_test ${CMAKE_CURRENT_LIST_DIR}/wycheproof_kdf_test.c)
target_link_libraries(tk_wycheproof_kdf_test PRIVATE tk_test_harness tk_test_vec
    OpenSSL::Crypto)
add_dependencies(tk_wycheproof_kdf_test trustoken_p11)
add_test(NAME integration_wycheproof_kdf COMMAND tk_wycheproof_kdf_test)
set_tests_properties(integration_wycheproof_kdf PROPERTIES
    ENVIRONMENT "TK_MODULE=$<TARGET_FILE:trustoken_p11>" TIMEOUT 300)
