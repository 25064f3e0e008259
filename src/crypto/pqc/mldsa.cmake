# ML-DSA [FIPS 204]. mldsa_sign.c is compiled once per parameter set, the
# set chosen by TK_MLDSA_MODE (see mldsa_params.h, which also renames its
# symbols to tk_mldsa44_*, tk_mldsa65_*, tk_mldsa87_*); mldsa.c dispatches
# on the set at run time and mldsa_poly.c holds the shared arithmetic.
set(TK_MLDSA_DIR ${CMAKE_CURRENT_LIST_DIR})
set(TK_MLDSA_OBJECTS "")
foreach(tk_mldsa_mode 44 65 87)
    add_library(tk_pqc_mldsa${tk_mldsa_mode} OBJECT ${TK_MLDSA_DIR}/mldsa_sign.c)
    target_compile_definitions(tk_pqc_mldsa${tk_mldsa_mode}
        PRIVATE TK_MLDSA_MODE=${tk_mldsa_mode})
    list(APPEND TK_MLDSA_OBJECTS $<TARGET_OBJECTS:tk_pqc_mldsa${tk_mldsa_mode}>)
endforeach()
add_library(tk_pqc_mldsa STATIC
    ${TK_MLDSA_DIR}/mldsa.c ${TK_MLDSA_DIR}/mldsa_poly.c ${TK_MLDSA_OBJECTS})
target_link_libraries(tk_pqc_mldsa PUBLIC tk_pqc_keccak tk_util)
list(APPEND TK_PQC_LIBS tk_pqc_mldsa)
