# tk_layer_library(<name> <dir> DEPS <libs...>)
# Builds every .c file of <dir> into one static library. A layer folder with
# no source yet becomes an interface library, so the tree configures while
# layers are being filled in.
function(tk_layer_library name dir)
    cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
    file(GLOB srcs CONFIGURE_DEPENDS ${dir}/*.c)
    if(srcs)
        add_library(${name} STATIC ${srcs})
        target_link_libraries(${name} PUBLIC ${ARG_DEPS})
    else()
        add_library(${name} INTERFACE)
        target_link_libraries(${name} INTERFACE ${ARG_DEPS})
    endif()
endfunction()
