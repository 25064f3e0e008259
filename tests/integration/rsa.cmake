# RSA through the PKCS #11 API: Wycheproof vectors (wycheproof_rsa_test.c)
# and key generation, round trips, wrapping and OpenSSL command-line
# interoperability (rsa_api_test.c).
foreach(tk_rsa_test wycheproof_rsa rsa_api)
    # A test still being written must not break the tree's configure.
    if(NOT EXISTS ${CMAKE_CURRENT_LIST_DIR}/${tk_rsa_test}_test.c)
        continue()
    endif()
    add_executable(tk_${tk_rsa_test}_test ${CMAKE_CURRENT_LIST_DIR}/${tk_rsa_test}_test.c)
    target_link_libraries(tk_${tk_rsa_test}_test PRIVATE
        tk_test_harness tk_test_vec OpenSSL::Crypto)
    target_compile_definitions(tk_${tk_rsa_test}_test PRIVATE
        TK_TEST_VECTORS="${TK_TEST_VECTORS}")
    add_dependencies(tk_${tk_rsa_test}_test trustoken_p11)
    add_test(NAME integration_${tk_rsa_test} COMMAND tk_${tk_rsa_test}_test)
    set_tests_properties(integration_${tk_rsa_test} PROPERTIES
        ENVIRONMENT "TK_MODULE=$<TARGET_FILE:trustoken_p11>" TIMEOUT 300)
endforeach()
