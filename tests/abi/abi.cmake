# ABI tests of the built module libtrustoken_p11.so. The test program
# dlopen()s the module and reaches it only through C_GetInterface and
# C_GetFunctionList; a shell check lists the module's dynamic symbols.
# Included from tests/CMakeLists.txt; paths use CMAKE_CURRENT_LIST_DIR.

# src/api builds no module while it has no source.
if(TARGET trustoken_p11)
    add_executable(tk_abi_test ${CMAKE_CURRENT_LIST_DIR}/abi_test.c)
    target_link_libraries(tk_abi_test PRIVATE PkgConfig::CMOCKA Threads::Threads
                          ${CMAKE_DL_LIBS})
    add_dependencies(tk_abi_test trustoken_p11)

    add_test(NAME abi.module COMMAND tk_abi_test $<TARGET_FILE:trustoken_p11>)

    # The same run with every call logged, so the debug formatting of each
    # entry point meets NULL pointers and bad handles too.
    add_test(NAME abi.debug_log COMMAND tk_abi_test $<TARGET_FILE:trustoken_p11>)
    set_tests_properties(abi.debug_log PROPERTIES ENVIRONMENT
        "TRUSTOKEN_LOG_LEVEL=debug;TRUSTOKEN_LOG_FILE=${CMAKE_CURRENT_BINARY_DIR}/abi_debug.log")

    # 68 entry points of 2.40, 24 added by 3.0, 12 added by 3.2.
    add_test(NAME abi.exports COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/exports.sh
             ${CMAKE_NM} $<TARGET_FILE:trustoken_p11> 104)
endif()
