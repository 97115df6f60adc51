# Install layout (`cmake --install`, and the .deb/.tar.gz that packaging/ makes from it):
#   bin/                                  netspatial, netspatial-studio, netspatial-bench
#   lib/<multiarch>/netspatial-studio/    libnetspatial_core.so, libnetspatial_models.so,
#                                         libnetspatial_ui.so
# The three libraries are private: no public headers, no SONAME versioning, no other users, so
# they stay out of the linker's search path (no ldconfig, no -dev package) in a folder of their
# own, named after the package as Debian policy 10.2 and lintian expect of private libraries.
# The executables find them through a RUNPATH relative to themselves ($ORIGIN), so the installed
# tree works under any prefix (/usr in the .deb, ~/.local, an unpacked .tar.gz) and the build
# tree keeps its own absolute RUNPATH (build-tree binaries and tests are unaffected).
include_guard(GLOBAL)
include(GNUInstallDirs)

# Relative to the install prefix. The multiarch folder is named whatever the prefix, because the
# .deb is staged from a tree configured for /usr/local (where CMAKE_INSTALL_LIBDIR is plain "lib")
# and installed under /usr. Not directly below lib/ either: CPack adds ldconfig calls to the
# package's maintainer scripts for libraries in lib/<dir>/, which lintian flags as needless for
# private libraries.
if(CMAKE_LIBRARY_ARCHITECTURE)
  set(_private_libdir "lib/${CMAKE_LIBRARY_ARCHITECTURE}/netspatial-studio")
else()
  set(_private_libdir "${CMAKE_INSTALL_LIBDIR}/netspatial-studio")
endif()
set(NETSPATIAL_INSTALL_PRIVATE_LIBDIR "${_private_libdir}"
    CACHE INTERNAL "Install folder of the project's private shared libraries")

# A project shared library: into the private folder, finding its siblings next to itself
# (RUNPATH is not inherited: libnetspatial_ui.so needs its own to find libnetspatial_core.so).
function(netspatial_install_private_library target)
  set_target_properties(${target} PROPERTIES INSTALL_RPATH "$ORIGIN")
  install(TARGETS ${target} LIBRARY DESTINATION ${NETSPATIAL_INSTALL_PRIVATE_LIBDIR})
endfunction()

# An executable: into bin/, finding the private libraries relative to itself.
function(netspatial_install_executable target)
  file(RELATIVE_PATH _to_libs "/${CMAKE_INSTALL_BINDIR}" "/${NETSPATIAL_INSTALL_PRIVATE_LIBDIR}")
  set_target_properties(${target} PROPERTIES INSTALL_RPATH "$ORIGIN/${_to_libs}")
  install(TARGETS ${target} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endfunction()
