# The Debian package of the agent (CPack), and Debian's own bcc files.
#
#   cmake --build build --target package    # build/pmdabcc_<version>_amd64.deb
#                                            # (+ pmdabcc-dbgsym_..._amd64.ddeb)
#
# The package holds every file the install rules install (the same as
# `cmake --install`), binaries stripped, their debug symbols in the -dbgsym
# package. Debian's `pcp` owns files in the agent's folder (the retired
# Python agent): the package diverts them (preinst) and puts them back when
# it is removed (postrm); `cmake --install` diverts them the same way before
# writing its files, and `cmake --build build --target uninstall` undoes it.
if(NOT BCC_BUILD_AGENT)
  return()
endif()

install(PROGRAMS Upgrade DESTINATION ${BCC_PMDA_DIR})

# pcp's files in the folder, relative to it (directories left out: a path
# that holds another one of the list)
set(BCC_DIVERT_DIR "${PCP_VAR_DIR}/pmdabcc-diverted")
execute_process(COMMAND dpkg-query -L pcp OUTPUT_VARIABLE pcp_paths
                RESULT_VARIABLE pcp_listed ERROR_QUIET)
set(pcp_files)
if(pcp_listed EQUAL 0)
  string(REPLACE "\n" ";" pcp_paths "${pcp_paths}")
  set(in_folder)
  foreach(path IN LISTS pcp_paths)
    string(FIND "${path}" "${BCC_PMDA_DIR}/" at)
    if(at EQUAL 0)
      string(LENGTH "${BCC_PMDA_DIR}/" skip)
      string(SUBSTRING "${path}" ${skip} -1 relative)
      list(APPEND in_folder "${relative}")
    endif()
  endforeach()
  foreach(relative IN LISTS in_folder)
    set(is_directory FALSE)
    foreach(other IN LISTS in_folder)
      string(FIND "${other}" "${relative}/" at)
      if(at EQUAL 0)
        set(is_directory TRUE)
        break()
      endif()
    endforeach()
    if(NOT is_directory)
      list(APPEND pcp_files "${relative}")
    endif()
  endforeach()
endif()
list(LENGTH pcp_files count)
message(STATUS "pcp's files in ${BCC_PMDA_DIR} to divert: ${count}")
list(JOIN pcp_files "\n" BCC_PCP_FILES)
set(BCC_PCP_FILES "\n${BCC_PCP_FILES}\n")

set(debian "${CMAKE_BINARY_DIR}/debian")
configure_file(cmake/debian/diversions.sh.in ${debian}/diversions.sh @ONLY)
file(READ ${debian}/diversions.sh BCC_DIVERSIONS_SH)
foreach(script preinst prerm postrm cmake-install.sh)
  configure_file(cmake/debian/${script}.in ${debian}/${script} @ONLY
                 FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ
                 GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
endforeach()
# configuration files: an upgrade keeps the operator's edits
file(WRITE ${debian}/conffiles "${BCC_PMDA_DIR}/bcc.conf\n${PCP_SYSCONF_DIR}/pmrep/bcc.conf\n")
# run by the first install rule (CMakeLists.txt), before any file is written
file(WRITE ${CMAKE_BINARY_DIR}/pmdabcc-divert.cmake
     "execute_process(COMMAND \"${debian}/cmake-install.sh\" divert RESULT_VARIABLE diverted)\n"
     "if(NOT diverted EQUAL 0)\n"
     "  message(FATAL_ERROR \"cannot divert pcp's files out of ${BCC_PMDA_DIR}\")\n"
     "endif()\n")
add_custom_target(uninstall
  COMMAND "${debian}/cmake-install.sh" uninstall "${CMAKE_BINARY_DIR}/install_manifest.txt"
  COMMENT "Removing what cmake --install installed, and putting pcp's files back")

# cpack installs from the build as it is (the `package` target still builds
# everything first); the install target neither
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME pmdabcc)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "pmdabcc maintainers <root@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Performance Co-Pilot agent for eBPF programs built with BCC (bcc.* metrics)")
set(CPACK_PACKAGE_DESCRIPTION
    "pmdabcc exports what eBPF programs aggregate in the kernel as PCP metrics
under bcc.*, the names of PCP's retired Python BCC agent. After installing,
run ./Install in ${BCC_PMDA_DIR}.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "pcp")
# libbcc compiles the modules against the kernel's headers
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "linux-headers-amd64")
set(CPACK_DEBIAN_DEBUGINFO_PACKAGE ON)  # strips, keeps the symbols in -dbgsym
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${debian}/preinst ${debian}/prerm ${debian}/postrm ${debian}/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
# the install rules name absolute folders (PCP's, from /etc/pcp.conf)
set(CPACK_SET_DESTDIR ON)
set(CPACK_INSTALL_PREFIX /usr)  # not /usr/local: no empty folder of it in the package
set(CPACK_PACKAGE_DIRECTORY ${CMAKE_BINARY_DIR})
include(CPack)
