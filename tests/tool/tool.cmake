# Tests of the trustoken tool beyond the client walk-through in
# tests/clients/: every input format import accepts, checked by exporting
# the stored public key again. Uses the helpers of tests/clients/common.sh.
# TK_CLIENTS_ENV (sanitizer preload) comes from tests/clients/clients.cmake,
# which the sorted fragment list includes first.
if(NOT TARGET trustoken_p11 OR NOT TARGET trustoken)
    return()
endif()

add_test(NAME tool_formats
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/tool_formats.sh $<TARGET_FILE:trustoken_p11>
                 $<TARGET_FILE:trustoken>)
set_tests_properties(tool_formats PROPERTIES
    LABELS tool SKIP_RETURN_CODE 77 TIMEOUT 180 ENVIRONMENT "${TK_CLIENTS_ENV}")

# PIN prompts on a pseudo-terminal, driven by tests/tool/prompt.py.
add_test(NAME tool_prompt
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/tool_prompt.sh $<TARGET_FILE:trustoken_p11>
                 $<TARGET_FILE:trustoken>)
set_tests_properties(tool_prompt PROPERTIES
    LABELS tool SKIP_RETURN_CODE 77 TIMEOUT 180 ENVIRONMENT "${TK_CLIENTS_ENV}")
