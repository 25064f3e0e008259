# CKM_EDDSA with CK_EDDSA_PARAMS (Ed25519ctx, Ed25519ph, Ed448 with a
# context, Ed448ph) through the module's function list: the RFC 8032
# vectors imported with C_CreateObject, and the token's own keys.
# tk_test_harness comes from integration.cmake.
add_executable(tk_eddsa_ext_test ${CMAKE_CURRENT_LIST_DIR}/eddsa_ext_test.c)
target_link_libraries(tk_eddsa_ext_test PRIVATE tk_test_harness tk_test_vec)
target_compile_definitions(tk_eddsa_ext_test PRIVATE TK_TEST_VECTORS="${TK_TEST_VECTORS}")
add_dependencies(tk_eddsa_ext_test trustoken_p11)
add_test(NAME integration_eddsa_ext COMMAND tk_eddsa_ext_test)
set_tests_properties(integration_eddsa_ext PROPERTIES
    ENVIRONMENT "TK_MODULE=$<TARGET_FILE:trustoken_p11>" TIMEOUT 300)
