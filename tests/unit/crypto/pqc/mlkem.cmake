# ML-KEM tests [FIPS 203]: known answers (Wycheproof, ACVP, CCTV), the
# accumulated 10,000-run check and unit tests of the arithmetic. Included
# from tests/CMakeLists.txt; paths use CMAKE_CURRENT_LIST_DIR.
find_package(ZLIB REQUIRED)

add_library(tk_mlkem_test_util STATIC ${CMAKE_CURRENT_LIST_DIR}/mlkem_test_util.c)
target_compile_definitions(tk_mlkem_test_util PUBLIC TK_TEST_VECTORS="${TK_TEST_VECTORS}")
target_include_directories(tk_mlkem_test_util PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(tk_mlkem_test_util PUBLIC
    tk_pqc_mlkem PkgConfig::CMOCKA PkgConfig::CJSON ZLIB::ZLIB)

foreach(tk_mlkem_test unit accumulated wycheproof acvp cctv)
    add_executable(tk_mlkem_${tk_mlkem_test}_test
        ${CMAKE_CURRENT_LIST_DIR}/mlkem_${tk_mlkem_test}_test.c)
    target_link_libraries(tk_mlkem_${tk_mlkem_test}_test PRIVATE tk_mlkem_test_util)
    add_test(NAME crypto.pqc.mlkem.${tk_mlkem_test} COMMAND tk_mlkem_${tk_mlkem_test}_test)
endforeach()

# Constant-time check: secrets marked undefined for valgrind memcheck, which
# then fails on any secret-dependent branch or index. Valgrind cannot run
# sanitizer builds, so those skip it.
find_program(TK_VALGRIND valgrind)
if(TK_VALGRIND AND NOT TK_SANITIZE AND EXISTS /usr/include/valgrind/memcheck.h)
    add_executable(tk_mlkem_ct_test ${CMAKE_CURRENT_LIST_DIR}/mlkem_ct_test.c)
    target_link_libraries(tk_mlkem_ct_test PRIVATE tk_mlkem_test_util)
    add_test(NAME crypto.pqc.mlkem.ct
             COMMAND ${TK_VALGRIND} --quiet --error-exitcode=1 --track-origins=yes
                     $<TARGET_FILE:tk_mlkem_ct_test>)
endif()

# Cross-check against OpenSSL 3.5 in a Debian 13 tree named by the
# environment variable TK_OPENSSL35_ROOT at configure time; without it the
# test is not registered (the tool still builds, for manual runs).
add_executable(tk_mlkem_xcheck_tool ${CMAKE_CURRENT_LIST_DIR}/mlkem_xcheck_tool.c)
target_link_libraries(tk_mlkem_xcheck_tool PRIVATE tk_mlkem_test_util)
if(DEFINED ENV{TK_OPENSSL35_ROOT})
    add_test(NAME crypto.pqc.mlkem.openssl35
             COMMAND ${CMAKE_COMMAND} -E env TK_OPENSSL35_ROOT=$ENV{TK_OPENSSL35_ROOT}
                     bash ${CMAKE_CURRENT_LIST_DIR}/mlkem_openssl35.sh
                     $<TARGET_FILE:tk_mlkem_xcheck_tool> 10)
    set_tests_properties(crypto.pqc.mlkem.openssl35 PROPERTIES SKIP_RETURN_CODE 77)
endif()
