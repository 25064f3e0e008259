# Reproducers from hostile testing (tests/integration/trial_*_test.c): each
# loads the built module with dlopen through the integration harness and
# asserts what the PKCS#11 3.2 specification or docs/CONFIG.md requires.
foreach(t template readonly config opstate)
    add_executable(tk_trial_${t}_test ${CMAKE_CURRENT_LIST_DIR}/trial_${t}_test.c)
    target_link_libraries(tk_trial_${t}_test PRIVATE tk_test_harness)
    add_dependencies(tk_trial_${t}_test trustoken_p11)
    add_test(NAME integration_trial_${t} COMMAND tk_trial_${t}_test)
    set_tests_properties(integration_trial_${t} PROPERTIES
        ENVIRONMENT "TK_MODULE=$<TARGET_FILE:trustoken_p11>" TIMEOUT 300)
endforeach()
