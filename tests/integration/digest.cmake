# Digests and MACs through the built module: Wycheproof HMAC and AES-CMAC
# vectors (tests/vectors/wycheproof), digest known answers and key rules.
# tk_test_digest_util comes from tests/unit/mech/digest.cmake.
add_executable(tk_wycheproof_mac_test ${CMAKE_CURRENT_LIST_DIR}/wycheproof_mac_test.c)
target_link_libraries(tk_wycheproof_mac_test PRIVATE tk_test_harness tk_test_vec)

add_executable(tk_digest_api_test ${CMAKE_CURRENT_LIST_DIR}/digest_api_test.c)
target_link_libraries(tk_digest_api_test PRIVATE tk_test_harness tk_test_digest_util)
target_compile_definitions(tk_digest_api_test PRIVATE
    TK_DIGEST_KAT="${CMAKE_CURRENT_LIST_DIR}/../unit/mech/digest_kat.txt")

foreach(t wycheproof_mac digest_api)
    add_dependencies(tk_${t}_test trustoken_p11)
    add_test(NAME integration_${t} COMMAND tk_${t}_test)
    set_tests_properties(integration_${t} PROPERTIES
        ENVIRONMENT "TK_MODULE=$<TARGET_FILE:trustoken_p11>" TIMEOUT 300)
endforeach()
