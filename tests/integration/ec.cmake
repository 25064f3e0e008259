# Elliptic curves through the module's function list: Wycheproof known
# answers (ECDSA, ECDH, EdDSA, XDH) and the token's own keys, with the
# OpenSSL command line as the other party. tk_test_harness comes from
# integration.cmake.
foreach(tk_ec_test wycheproof_ec ec)
    add_executable(tk_${tk_ec_test}_test ${CMAKE_CURRENT_LIST_DIR}/${tk_ec_test}_test.c)
    target_link_libraries(tk_${tk_ec_test}_test PRIVATE tk_test_harness tk_test_vec)
    target_compile_definitions(tk_${tk_ec_test}_test PRIVATE
        TK_TEST_VECTORS="${TK_TEST_VECTORS}")
    add_dependencies(tk_${tk_ec_test}_test trustoken_p11)
    add_test(NAME integration_${tk_ec_test} COMMAND tk_${tk_ec_test}_test)
    set_tests_properties(integration_${tk_ec_test} PROPERTIES
        ENVIRONMENT "TK_MODULE=$<TARGET_FILE:trustoken_p11>" TIMEOUT 300)
endforeach()
