# AES and ChaCha20-Poly1305 known answers (Wycheproof) through the module's
# function list. tk_test_harness comes from integration.cmake; the name is
# resolved when the build files are generated, so the order does not matter.
add_executable(tk_wycheproof_cipher_test ${CMAKE_CURRENT_LIST_DIR}/wycheproof_cipher_test.c)
target_link_libraries(tk_wycheproof_cipher_test PRIVATE tk_test_harness tk_test_vec)
add_dependencies(tk_wycheproof_cipher_test trustoken_p11)
add_test(NAME integration_wycheproof_cipher COMMAND tk_wycheproof_cipher_test)
set_tests_properties(integration_wycheproof_cipher PROPERTIES
    ENVIRONMENT "TK_MODULE=$<TARGET_FILE:trustoken_p11>" TIMEOUT 300)
