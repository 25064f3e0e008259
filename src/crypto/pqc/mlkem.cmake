# ML-KEM [FIPS 203]. Included from src/crypto/CMakeLists.txt, so paths use
# CMAKE_CURRENT_LIST_DIR. mlkem_kem.c is compiled once per parameter set
# (TK_MLKEM_K = 2, 3, 4 gives tk_mlkem512_*, tk_mlkem768_*, tk_mlkem1024_*);
# the shared polynomial code and the dispatcher are compiled once.
#
# The arithmetic is plain loops over 256 coefficients that gcc vectorises
# only at -O3 (gcc 12 at -O2 uses its "very cheap" vectoriser); -O3 makes
# ML-KEM about 1.2x faster. Debug builds keep their own flags.
set(TK_MLKEM_OPT $<$<NOT:$<CONFIG:Debug>>:-O3>)
foreach(tk_mlkem_k 2 3 4)
    add_library(tk_pqc_mlkem_k${tk_mlkem_k} OBJECT ${CMAKE_CURRENT_LIST_DIR}/mlkem_kem.c)
    target_compile_definitions(tk_pqc_mlkem_k${tk_mlkem_k} PRIVATE TK_MLKEM_K=${tk_mlkem_k})
    target_compile_options(tk_pqc_mlkem_k${tk_mlkem_k} PRIVATE ${TK_MLKEM_OPT})
    list(APPEND TK_MLKEM_OBJECTS $<TARGET_OBJECTS:tk_pqc_mlkem_k${tk_mlkem_k}>)
endforeach()
add_library(tk_pqc_mlkem STATIC
    ${CMAKE_CURRENT_LIST_DIR}/mlkem.c
    ${CMAKE_CURRENT_LIST_DIR}/mlkem_poly.c
    ${TK_MLKEM_OBJECTS})
target_compile_options(tk_pqc_mlkem PRIVATE ${TK_MLKEM_OPT})
target_link_libraries(tk_pqc_mlkem PUBLIC tk_pqc_keccak tk_util)
list(APPEND TK_PQC_LIBS tk_pqc_mlkem)
