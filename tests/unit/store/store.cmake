# The store (src/store): behaviour through store.h, and its files on disk.
# The tests also open the database with plain SQLite to tamper with it.
add_library(tk_test_store_util STATIC ${CMAKE_CURRENT_LIST_DIR}/store_test_util.c)
target_link_libraries(tk_test_store_util PUBLIC tk_store PkgConfig::CMOCKA)

add_executable(tk_test_store ${CMAKE_CURRENT_LIST_DIR}/store_test.c)
target_link_libraries(tk_test_store PRIVATE tk_test_store_util)
add_test(NAME store.api COMMAND tk_test_store)

add_executable(tk_test_store_files ${CMAKE_CURRENT_LIST_DIR}/store_files_test.c)
target_link_libraries(tk_test_store_files PRIVATE tk_test_store_util)
add_test(NAME store.files COMMAND tk_test_store_files)

add_executable(tk_test_store_pin_cache ${CMAKE_CURRENT_LIST_DIR}/pin_cache_test.c)
target_link_libraries(tk_test_store_pin_cache PRIVATE tk_test_store_util)
add_test(NAME store.pin_cache COMMAND tk_test_store_pin_cache)
