# Our own Ed25519 and Ed448 (src/crypto/ed) [RFC 8032]: the RFC's vectors,
# Wycheproof's, agreement with OpenSSL on random keys, and a valgrind
# constant-time check. SHA-512 and SHAKE256 come from tk_crypto_pqc, which
# tk_crypto_ed does not link itself (the module links both).
add_executable(tk_ed_test ${CMAKE_CURRENT_LIST_DIR}/ed_test.c)
target_compile_definitions(tk_ed_test PRIVATE TK_TEST_VECTORS="${TK_TEST_VECTORS}")
target_link_libraries(tk_ed_test PRIVATE
    tk_crypto_ed tk_crypto_pqc tk_test_vec OpenSSL::Crypto)
add_test(NAME crypto.ed.unit COMMAND tk_ed_test)

# Secrets marked undefined for valgrind memcheck, which then fails on any
# branch or index that depends on them. Valgrind cannot run sanitizer
# builds, so those skip it.
find_program(TK_VALGRIND valgrind)
if(TK_VALGRIND AND NOT TK_SANITIZE AND EXISTS /usr/include/valgrind/memcheck.h)
    add_executable(tk_ed_ct_test ${CMAKE_CURRENT_LIST_DIR}/ed_ct_test.c)
    target_link_libraries(tk_ed_ct_test PRIVATE tk_crypto_ed tk_crypto_pqc)
    add_test(NAME crypto.ed.ct
             COMMAND ${TK_VALGRIND} --quiet --error-exitcode=1 --track-origins=yes
                     $<TARGET_FILE:tk_ed_ct_test>)
endif()
