# ML-DSA tests: Wycheproof and NIST ACVP vector files (tests/vectors/mldsa)
# and unit tests of the API's own behaviour.
set(TK_MLDSA_TEST_DIR ${CMAKE_CURRENT_LIST_DIR})
add_library(tk_test_mldsa_util STATIC ${TK_MLDSA_TEST_DIR}/mldsa_test_util.c)
target_compile_definitions(tk_test_mldsa_util
    PUBLIC TK_MLDSA_VECTOR_DIR="${TK_TEST_VECTORS}/mldsa")
target_link_libraries(tk_test_mldsa_util PUBLIC tk_pqc_mldsa PkgConfig::CMOCKA PkgConfig::CJSON)

foreach(tk_mldsa_test wycheproof acvp unit)
    add_executable(tk_test_mldsa_${tk_mldsa_test}
        ${TK_MLDSA_TEST_DIR}/mldsa_${tk_mldsa_test}_test.c)
    target_link_libraries(tk_test_mldsa_${tk_mldsa_test} PRIVATE tk_test_mldsa_util)
    add_test(NAME mldsa_${tk_mldsa_test} COMMAND tk_test_mldsa_${tk_mldsa_test})
endforeach()
