# Object layer tests: creation rules per class, attribute reads, writes and
# copies, certificate fields, the stored form and object sets. Included from
# tests/CMakeLists.txt; paths use CMAKE_CURRENT_LIST_DIR.
foreach(tk_obj_test create attrs serial objset oom)
    # A test still being written must not break the tree's configure.
    if(NOT EXISTS ${CMAKE_CURRENT_LIST_DIR}/${tk_obj_test}_test.c)
        continue()
    endif()
    add_executable(tk_object_${tk_obj_test}_test
        ${CMAKE_CURRENT_LIST_DIR}/${tk_obj_test}_test.c)
    target_include_directories(tk_object_${tk_obj_test}_test PRIVATE ${CMAKE_CURRENT_LIST_DIR})
    target_compile_definitions(tk_object_${tk_obj_test}_test PRIVATE
        TK_OBJ_TEST_DATA="${CMAKE_CURRENT_LIST_DIR}/data")
    target_link_libraries(tk_object_${tk_obj_test}_test PRIVATE tk_object PkgConfig::CMOCKA)
    add_test(NAME object.${tk_obj_test} COMMAND tk_object_${tk_obj_test}_test)
endforeach()

# The fault test replaces malloc, calloc, realloc and the random source in
# the code it links statically (ours), not in shared libraries.
if(TARGET tk_object_oom_test)
    target_link_options(tk_object_oom_test PRIVATE
        -Wl,--wrap=malloc -Wl,--wrap=calloc -Wl,--wrap=realloc -Wl,--wrap=tk_ossl_random)
endif()
