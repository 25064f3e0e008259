# Unit tests of the core and util layers.
add_executable(tk_core_config_test ${CMAKE_CURRENT_LIST_DIR}/config_test.c)
target_link_libraries(tk_core_config_test PRIVATE tk_core PkgConfig::CMOCKA)
add_test(NAME core.config COMMAND tk_core_config_test)

add_executable(tk_util_hmap_test ${CMAKE_CURRENT_LIST_DIR}/../util/hmap_test.c)
target_link_libraries(tk_util_hmap_test PRIVATE tk_util PkgConfig::CMOCKA)
add_test(NAME util.hmap COMMAND tk_util_hmap_test)
add_executable(tk_util_srw_test ${CMAKE_CURRENT_LIST_DIR}/../util/srw_test.c)
target_link_libraries(tk_util_srw_test PRIVATE tk_util PkgConfig::CMOCKA)
add_test(NAME util.srw COMMAND tk_util_srw_test)
