# Elliptic-curve mechanisms (src/mech/ec*.c) tested against the mechanism
# layer directly: generation, signatures and derivation on every curve.
add_executable(tk_test_mech_ec ${CMAKE_CURRENT_LIST_DIR}/ec_test.c)
target_link_libraries(tk_test_mech_ec PRIVATE tk_mech PkgConfig::CMOCKA Threads::Threads)
add_test(NAME mech.ec COMMAND tk_test_mech_ec)
