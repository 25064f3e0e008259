# Client tests: real PKCS#11 applications (OpenSC pkcs11-tool, GnuTLS
# p11tool, NSS modutil/certutil, the trustoken tool and a two-process C
# helper) drive the built module. Each script makes its own throw-away
# configuration and token_dir; a missing client program makes the test
# report "skipped" (exit code 77), not "passed".
if(NOT TARGET trustoken_p11 OR NOT TARGET trustoken)
    return()
endif()

set(TK_CLIENTS_DIR ${CMAKE_CURRENT_LIST_DIR})

add_executable(tk_client_twoproc ${TK_CLIENTS_DIR}/twoproc.c)
target_link_libraries(tk_client_twoproc PRIVATE ${CMAKE_DL_LIBS})

# An instrumented module can only be loaded into an uninstrumented client
# when the sanitizer runtime is preloaded; leaks of the clients themselves
# are not ours to report.
set(TK_CLIENTS_ENV "")
if(TK_SANITIZE)
    execute_process(COMMAND ${CMAKE_C_COMPILER} -print-file-name=libasan.so
                    OUTPUT_VARIABLE TK_LIBASAN OUTPUT_STRIP_TRAILING_WHITESPACE)
    execute_process(COMMAND ${CMAKE_C_COMPILER} -print-file-name=libubsan.so
                    OUTPUT_VARIABLE TK_LIBUBSAN OUTPUT_STRIP_TRAILING_WHITESPACE)
    set(TK_CLIENTS_ENV
        "LD_PRELOAD=${TK_LIBASAN}:${TK_LIBUBSAN}"
        "ASAN_OPTIONS=detect_leaks=0:verify_asan_link_order=0"
        "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1")
endif()

# tk_client_test(<name> <script> [extra arguments...])
function(tk_client_test name script)
    add_test(NAME client_${name}
             COMMAND ${TK_CLIENTS_DIR}/${script} $<TARGET_FILE:trustoken_p11>
                     $<TARGET_FILE:trustoken> ${ARGN})
    set_tests_properties(client_${name} PROPERTIES
        LABELS clients SKIP_RETURN_CODE 77 TIMEOUT 180
        ENVIRONMENT "${TK_CLIENTS_ENV}")
endfunction()

tk_client_test(pkcs11_tool_info pkcs11_tool_info.sh)
tk_client_test(pkcs11_tool_objects pkcs11_tool_objects.sh)
tk_client_test(p11tool p11tool.sh)
tk_client_test(nss nss.sh)
tk_client_test(trustoken_tool trustoken_tool.sh)
tk_client_test(twoproc twoproc.sh $<TARGET_FILE:tk_client_twoproc>)
tk_client_test(install install.sh ${CMAKE_BINARY_DIR})
