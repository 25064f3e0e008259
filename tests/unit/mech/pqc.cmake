# Post-quantum mechanisms (src/mech/pqc*.c) tested against the mechanism
# layer directly: key pairs, signatures, encapsulation, imported keys.
add_executable(tk_test_mech_pqc ${CMAKE_CURRENT_LIST_DIR}/pqc_test.c)
target_link_libraries(tk_test_mech_pqc PRIVATE tk_mech PkgConfig::CMOCKA Threads::Threads)
add_test(NAME mech.pqc COMMAND tk_test_mech_pqc)
set_tests_properties(mech.pqc PROPERTIES TIMEOUT 300)
