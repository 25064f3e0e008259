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

# Constant-time test: the ML-DSA sources again, built with
# TK_MLDSA_CT_TESTING so that TK_MLDSA_PUBLIC() tells valgrind which
# secret-derived values may be branched on, then run under memcheck.
find_program(TK_VALGRIND valgrind)
if(TK_VALGRIND AND NOT TK_SANITIZE AND EXISTS /usr/include/valgrind/memcheck.h)
    set(TK_MLDSA_SRC ${CMAKE_SOURCE_DIR}/src/crypto/pqc)
    set(TK_MLDSA_CT_OBJECTS "")
    foreach(tk_mldsa_mode 44 65 87)
        add_library(tk_test_mldsa_ct${tk_mldsa_mode} OBJECT ${TK_MLDSA_SRC}/mldsa_sign.c)
        target_compile_definitions(tk_test_mldsa_ct${tk_mldsa_mode}
            PRIVATE TK_MLDSA_MODE=${tk_mldsa_mode} TK_MLDSA_CT_TESTING)
        list(APPEND TK_MLDSA_CT_OBJECTS $<TARGET_OBJECTS:tk_test_mldsa_ct${tk_mldsa_mode}>)
    endforeach()
    add_executable(tk_test_mldsa_ct ${TK_MLDSA_TEST_DIR}/mldsa_ct_test.c
        ${TK_MLDSA_SRC}/mldsa.c ${TK_MLDSA_SRC}/mldsa_poly.c ${TK_MLDSA_CT_OBJECTS})
    target_compile_definitions(tk_test_mldsa_ct PRIVATE TK_MLDSA_CT_TESTING)
    target_link_libraries(tk_test_mldsa_ct PRIVATE tk_pqc_keccak tk_util PkgConfig::CMOCKA)
    add_test(NAME mldsa_ct
        COMMAND ${TK_VALGRIND} -q --error-exitcode=1 $<TARGET_FILE:tk_test_mldsa_ct>)
endif()
