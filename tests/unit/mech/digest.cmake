# Digest and MAC mechanisms (src/mech/digest.c, mac.c) tested against the
# mechanism layer directly; known answers in digest_kat.txt, mac_kat.txt.
add_library(tk_test_digest_util STATIC ${CMAKE_CURRENT_LIST_DIR}/digest_test_util.c)
target_include_directories(tk_test_digest_util PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(tk_test_digest_util PUBLIC PkgConfig::CMOCKA)

foreach(tk_digest_test digest mac)
    add_executable(tk_test_mech_${tk_digest_test}
        ${CMAKE_CURRENT_LIST_DIR}/${tk_digest_test}_test.c)
    target_link_libraries(tk_test_mech_${tk_digest_test} PRIVATE tk_mech tk_test_digest_util
        Threads::Threads)
    target_compile_definitions(tk_test_mech_${tk_digest_test} PRIVATE
        TK_DIGEST_KAT="${CMAKE_CURRENT_LIST_DIR}/digest_kat.txt"
        TK_MAC_KAT="${CMAKE_CURRENT_LIST_DIR}/mac_kat.txt")
    add_test(NAME mech.${tk_digest_test} COMMAND tk_test_mech_${tk_digest_test})
endforeach()

# Constant time: the MAC key marked undefined for valgrind memcheck, which
# then reports any branch on it (see mac_ct_test.c).
find_program(TK_VALGRIND valgrind)
if(TK_VALGRIND AND NOT TK_SANITIZE AND EXISTS /usr/include/valgrind/memcheck.h)
    add_executable(tk_test_mech_mac_ct ${CMAKE_CURRENT_LIST_DIR}/mac_ct_test.c)
    target_link_libraries(tk_test_mech_mac_ct PRIVATE tk_mech PkgConfig::CMOCKA)
    add_test(NAME mech.mac_ct
        COMMAND ${TK_VALGRIND} -q --error-exitcode=1 $<TARGET_FILE:tk_test_mech_mac_ct>)
endif()
