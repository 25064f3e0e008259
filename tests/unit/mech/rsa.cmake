# The RSA family (src/mech/rsa*.c, src/crypto/ossl/rsa.c, pkey.c) against
# the mechanism layer: generation, every mechanism, lengths, parameters,
# the constant-time PKCS #1 v1.5 unpadding, wrapping.
add_executable(tk_test_mech_rsa ${CMAKE_CURRENT_LIST_DIR}/rsa_test.c)
target_link_libraries(tk_test_mech_rsa PRIVATE tk_mech PkgConfig::CMOCKA Threads::Threads)
add_test(NAME mech.rsa COMMAND tk_test_mech_rsa)
set_tests_properties(mech.rsa PROPERTIES TIMEOUT 300)

# Constant-time check of the PKCS #1 v1.5 unpadding: the decrypted block is
# marked undefined for valgrind memcheck, which then fails on any branch or
# index that depends on it. Valgrind cannot run sanitizer builds.
find_program(TK_VALGRIND valgrind)
if(TK_VALGRIND AND NOT TK_SANITIZE AND EXISTS /usr/include/valgrind/memcheck.h)
    add_executable(tk_test_mech_rsa_ct ${CMAKE_CURRENT_LIST_DIR}/rsa_ct_test.c)
    target_link_libraries(tk_test_mech_rsa_ct PRIVATE tk_crypto_ossl PkgConfig::CMOCKA)
    add_test(NAME mech.rsa.ct
             COMMAND ${TK_VALGRIND} --quiet --error-exitcode=1 --track-origins=yes
                     $<TARGET_FILE:tk_test_mech_rsa_ct>)
endif()
