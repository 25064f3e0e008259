# Tests of include/trustoken: struct layouts, function-list order and
# constant values are checked at compile time (the test does not build if
# one is wrong); the run checks that CK_DEFINE_FUNCTION exports an entry
# point from a module built with -fvisibility=hidden. Included from
# tests/CMakeLists.txt; paths use CMAKE_CURRENT_LIST_DIR.

# A stand-in module: one entry point defined with CK_DEFINE_FUNCTION and
# one ordinary function, both under the project-wide hidden visibility.
add_library(tk_header_probe_module MODULE
    ${CMAKE_CURRENT_LIST_DIR}/header_probe_module.c)
set_target_properties(tk_header_probe_module PROPERTIES PREFIX "")

add_executable(tk_header_test ${CMAKE_CURRENT_LIST_DIR}/header_test.c)
# Applications may build with stricter flags than the module itself.
target_compile_options(tk_header_test PRIVATE -Wpedantic -Wcast-align -Wconversion)
target_compile_definitions(tk_header_test PRIVATE
    TK_HEADER_PROBE_MODULE="$<TARGET_FILE:tk_header_probe_module>")
target_link_libraries(tk_header_test PRIVATE ${CMAKE_DL_LIBS})
add_dependencies(tk_header_test tk_header_probe_module)
add_test(NAME header.pkcs11 COMMAND tk_header_test)
