# SLH-DSA and SHA-2 unit tests. The SLH-DSA known answers run as one ctest
# entry per parameter set so that the slow 's' sets run side by side.
add_executable(tk_test_sha2 ${CMAKE_CURRENT_LIST_DIR}/sha2_test.c)
target_link_libraries(tk_test_sha2 PRIVATE tk_pqc_slhdsa PkgConfig::CMOCKA)
add_test(NAME pqc_sha2 COMMAND tk_test_sha2)

add_executable(tk_test_slhdsa ${CMAKE_CURRENT_LIST_DIR}/slhdsa_test.c)
target_link_libraries(tk_test_slhdsa PRIVATE tk_pqc_slhdsa PkgConfig::CMOCKA PkgConfig::CJSON)
target_compile_definitions(tk_test_slhdsa PRIVATE
    TK_SLHDSA_VECTORS="${TK_TEST_VECTORS}/slhdsa")
add_test(NAME pqc_slhdsa_api COMMAND tk_test_slhdsa api)
add_test(NAME pqc_slhdsa_acvp COMMAND tk_test_slhdsa acvp)
foreach(set SHA2-128s SHAKE-128s SHA2-128f SHAKE-128f SHA2-192s SHAKE-192s
            SHA2-192f SHAKE-192f SHA2-256s SHAKE-256s SHA2-256f SHAKE-256f)
    add_test(NAME pqc_slhdsa_kat_${set} COMMAND tk_test_slhdsa kat SLH-DSA-${set})
endforeach()

# The four-way Keccak permutation that SLH-DSA's SHAKE sets batch through.
add_executable(tk_test_keccak_x4 ${CMAKE_CURRENT_LIST_DIR}/keccak_x4_test.c)
target_link_libraries(tk_test_keccak_x4 PRIVATE tk_pqc_keccak PkgConfig::CMOCKA)
add_test(NAME pqc_slhdsa_keccak_x4 COMMAND tk_test_keccak_x4)

# Manual timing tool, not run by ctest: slhdsa_bench [seconds] [set ...].
add_executable(tk_slhdsa_bench ${CMAKE_CURRENT_LIST_DIR}/slhdsa_bench.c)
target_link_libraries(tk_slhdsa_bench PRIVATE tk_pqc_slhdsa)

# Constant-time check under valgrind: a copy of the library built with
# TK_SLHDSA_CT_TEST, which marks published values as defined.
find_program(TK_VALGRIND valgrind)
if(TK_VALGRIND AND NOT TK_SANITIZE)
    get_target_property(tk_slhdsa_srcs tk_pqc_slhdsa SOURCES)
    add_library(tk_pqc_slhdsa_ct STATIC ${tk_slhdsa_srcs})
    target_compile_definitions(tk_pqc_slhdsa_ct PRIVATE TK_SLHDSA_CT_TEST)
    target_link_libraries(tk_pqc_slhdsa_ct PUBLIC tk_pqc_keccak tk_util)
    add_executable(tk_test_slhdsa_ct ${CMAKE_CURRENT_LIST_DIR}/slhdsa_ct_test.c)
    target_link_libraries(tk_test_slhdsa_ct PRIVATE tk_pqc_slhdsa_ct)
    add_test(NAME pqc_slhdsa_ct
             COMMAND ${TK_VALGRIND} -q --error-exitcode=1 $<TARGET_FILE:tk_test_slhdsa_ct>)
endif()
