# Installation of everything but the module and the tool, which their own
# folders install: the p11-kit module file, the pkg-config file and the
# public headers. Included from the top-level CMakeLists.txt.
set(TK_MODULE_DIR ${CMAKE_INSTALL_FULL_LIBDIR}/pkcs11)
set(TK_MODULE_PATH ${TK_MODULE_DIR}/libtrustoken_p11.so)

# Under the install prefix, like every other file; a /usr/local install is
# therefore not seen by the system p11-kit until the file is copied or
# linked into /usr/share/p11-kit/modules (README.md says how).
set(TK_P11KIT_MODULE_DIR ${CMAKE_INSTALL_FULL_DATAROOTDIR}/p11-kit/modules)

configure_file(${CMAKE_SOURCE_DIR}/packaging/trustoken.module.in
               ${CMAKE_BINARY_DIR}/packaging/trustoken.module @ONLY)
configure_file(${CMAKE_SOURCE_DIR}/packaging/trustoken-p11.pc.in
               ${CMAKE_BINARY_DIR}/packaging/trustoken-p11.pc @ONLY)

install(FILES ${CMAKE_BINARY_DIR}/packaging/trustoken.module
        DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/p11-kit/modules)
install(FILES ${CMAKE_BINARY_DIR}/packaging/trustoken-p11.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/include/trustoken
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.h")
