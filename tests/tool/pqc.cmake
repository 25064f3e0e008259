# trustoken import / export of ML-KEM, ML-DSA and SLH-DSA keys against
# OpenSSL 3.5 in a Debian 13 tree (see pqc_import.sh). pqc_sign is the
# PKCS#11 client that signs with an imported key.
if(NOT TARGET trustoken_p11 OR NOT TARGET trustoken)
    return()
endif()

add_executable(tk_tool_pqc_sign ${CMAKE_CURRENT_LIST_DIR}/pqc_sign.c)
target_link_libraries(tk_tool_pqc_sign PRIVATE ${CMAKE_DL_LIBS})
target_include_directories(tk_tool_pqc_sign PRIVATE ${PROJECT_SOURCE_DIR}/include)

add_test(NAME tool_pqc_import
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/pqc_import.sh $<TARGET_FILE:trustoken_p11>
                 $<TARGET_FILE:trustoken> $<TARGET_FILE:tk_tool_pqc_sign>)
set_tests_properties(tool_pqc_import PROPERTIES
    LABELS tool SKIP_RETURN_CODE 77 TIMEOUT 900
    ENVIRONMENT "${TK_CLIENTS_ENV};TK_TRIXIE_DEFAULT=${CMAKE_BINARY_DIR}/trixie"
    # integration_pqc_openssl35 makes the same tree when it is missing.
    RESOURCE_LOCK trixie_tree)
