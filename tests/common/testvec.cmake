# Helpers shared by the tests that read JSON vector files (testvec.h). This
# fragment sorts before tests/integration and tests/unit, its users.
add_library(tk_test_vec STATIC ${CMAKE_CURRENT_LIST_DIR}/testvec.c)
target_include_directories(tk_test_vec PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(tk_test_vec PUBLIC PkgConfig::CMOCKA PkgConfig::CJSON)
target_compile_definitions(tk_test_vec PRIVATE TK_TEST_VECTORS="${TK_TEST_VECTORS}")
