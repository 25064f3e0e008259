# Tests that load the built module with dlopen, as applications do.
add_library(tk_test_harness STATIC ${CMAKE_CURRENT_LIST_DIR}/../common/harness.c)
target_include_directories(tk_test_harness PUBLIC ${CMAKE_CURRENT_LIST_DIR}/../common)
target_link_libraries(tk_test_harness PUBLIC PkgConfig::CMOCKA ${CMAKE_DL_LIBS})

foreach(t token resilience threads auth opstate wrap_rules login_cache)
    add_executable(tk_${t}_test ${CMAKE_CURRENT_LIST_DIR}/${t}_test.c)
    target_link_libraries(tk_${t}_test PRIVATE tk_test_harness Threads::Threads)
    add_dependencies(tk_${t}_test trustoken_p11)
    add_test(NAME integration_${t} COMMAND tk_${t}_test)
    set_tests_properties(integration_${t} PROPERTIES
        ENVIRONMENT "TK_MODULE=$<TARGET_FILE:trustoken_p11>" TIMEOUT 300)
endforeach()
