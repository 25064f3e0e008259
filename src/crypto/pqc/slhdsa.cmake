# SLH-DSA [FIPS 205], all twelve parameter sets from one source (sizes come
# from a parameter row at run time), plus the SHA-256/SHA-512 it needs.
add_library(tk_pqc_slhdsa STATIC
    ${CMAKE_CURRENT_LIST_DIR}/sha2.c
    ${CMAKE_CURRENT_LIST_DIR}/slhdsa.c
    ${CMAKE_CURRENT_LIST_DIR}/slhdsa_hash.c
    ${CMAKE_CURRENT_LIST_DIR}/slhdsa_tree.c)
target_link_libraries(tk_pqc_slhdsa PUBLIC tk_pqc_keccak tk_util)
list(APPEND TK_PQC_LIBS tk_pqc_slhdsa)
