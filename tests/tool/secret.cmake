# trustoken import --raw of secret keys and export of raw values, checked
# against pkcs11-tool and OpenSSL (see secret_keys.sh). TK_CLIENTS_ENV
# (sanitizer preload) comes from tests/clients/clients.cmake, which the
# sorted fragment list includes first.
if(NOT TARGET trustoken_p11 OR NOT TARGET trustoken)
    return()
endif()

add_test(NAME tool_secret_keys
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/secret_keys.sh $<TARGET_FILE:trustoken_p11>
                 $<TARGET_FILE:trustoken>)
set_tests_properties(tool_secret_keys PROPERTIES
    LABELS tool SKIP_RETURN_CODE 77 TIMEOUT 180 ENVIRONMENT "${TK_CLIENTS_ENV}")
