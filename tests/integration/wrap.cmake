# C_WrapKey / C_UnwrapKey of private keys (PKCS#8 under AES-KWP and
# AES-CBC-PAD) through the module's function list, with OpenSSL reading
# the classic blobs. tk_test_harness comes from integration.cmake.
add_executable(tk_wrap_private_test ${CMAKE_CURRENT_LIST_DIR}/wrap_private_test.c)
target_link_libraries(tk_wrap_private_test PRIVATE tk_test_harness OpenSSL::Crypto)
add_dependencies(tk_wrap_private_test trustoken_p11)
add_test(NAME integration_wrap_private COMMAND tk_wrap_private_test)
set_tests_properties(integration_wrap_private PROPERTIES
    ENVIRONMENT "TK_MODULE=$<TARGET_FILE:trustoken_p11>" TIMEOUT 600)
