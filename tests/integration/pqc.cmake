# Post-quantum mechanisms through the module's function list: known
# answers (ML-KEM, ML-DSA, SLH-DSA vectors), round trips and template
# rules, and interoperability with OpenSSL 3.5 in a Debian 13 tree.
# tk_test_harness comes from integration.cmake.
add_library(tk_test_pqc_util STATIC ${CMAKE_CURRENT_LIST_DIR}/pqc_util.c)
target_link_libraries(tk_test_pqc_util PUBLIC tk_test_harness tk_test_vec)
target_compile_definitions(tk_test_pqc_util PUBLIC TK_TEST_VECTORS="${TK_TEST_VECTORS}")

foreach(tk_pqc_test pqc_vectors pqc_api)
    add_executable(tk_${tk_pqc_test}_test ${CMAKE_CURRENT_LIST_DIR}/${tk_pqc_test}_test.c)
    target_link_libraries(tk_${tk_pqc_test}_test PRIVATE tk_test_pqc_util)
    add_dependencies(tk_${tk_pqc_test}_test trustoken_p11)
    add_test(NAME integration_${tk_pqc_test} COMMAND tk_${tk_pqc_test}_test)
    set_tests_properties(integration_${tk_pqc_test} PROPERTIES
        ENVIRONMENT "TK_MODULE=$<TARGET_FILE:trustoken_p11>" TIMEOUT 900)
endforeach()

# The token side of the OpenSSL cross-check.
add_executable(tk_pqc_xcheck ${CMAKE_CURRENT_LIST_DIR}/pqc_xcheck.c)
target_link_libraries(tk_pqc_xcheck PRIVATE tk_test_harness)
add_dependencies(tk_pqc_xcheck trustoken_p11)
add_test(NAME integration_pqc_openssl35
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/pqc_openssl35.sh $<TARGET_FILE:tk_pqc_xcheck>)
set_tests_properties(integration_pqc_openssl35 PROPERTIES
    ENVIRONMENT "TK_MODULE=$<TARGET_FILE:trustoken_p11>;TK_TRIXIE_DEFAULT=${CMAKE_BINARY_DIR}/trixie"
    SKIP_RETURN_CODE 77 TIMEOUT 1800
    # tool_pqc_import makes the same tree when it is missing: one at a time.
    RESOURCE_LOCK trixie_tree)
