# The modules' kernel side as the agent finds it: one flat folder of
# programs and the headers they include, looked up by file name
# ($PCP_PMDAS_DIR/bcc/modules once installed). The sources keep a folder
# per module (modules/<name>/<name>.bpf and <name>.h) beside the files
# several modules share (modules/block_request.h, modules/fsdist.bpf...);
# the loader gives clang that one folder (-I), so `#include "<name>.h"`
# and `#include "block_request.h"` both resolve, and no two files may share
# a name.
#
# Sets MODULE_PROGRAMS (what is installed) and the target module_programs,
# which copies them into ${CMAKE_BINARY_DIR}/modules for the agent run from
# the build folder (pmdabcc --check -m build/modules, the benchmark).

file(GLOB MODULE_PROGRAMS CONFIGURE_DEPENDS modules/*.bpf modules/*.h modules/*/*.bpf)
# A module folder's own <name>.h is its program's; other headers there are
# its C++ helpers, not installed.
file(GLOB module_folder_headers CONFIGURE_DEPENDS modules/*/*.h)
foreach(header ${module_folder_headers})
  get_filename_component(folder "${header}" DIRECTORY)
  get_filename_component(folder "${folder}" NAME)
  get_filename_component(name "${header}" NAME_WE)
  if(name STREQUAL folder)
    list(APPEND MODULE_PROGRAMS "${header}")
  endif()
endforeach()

set(module_program_names "")
foreach(program ${MODULE_PROGRAMS})
  get_filename_component(name "${program}" NAME)
  if(name IN_LIST module_program_names)
    message(FATAL_ERROR "${program} and ${module_program_path_${name}} share the name ${name}: "
                        "module programs and headers are installed into one folder, rename one")
  endif()
  list(APPEND module_program_names "${name}")
  set(module_program_path_${name} "${program}")
endforeach()

add_custom_target(module_programs
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/modules
  COMMAND ${CMAKE_COMMAND} -E copy_if_different ${MODULE_PROGRAMS} ${CMAKE_BINARY_DIR}/modules
  COMMENT "module programs into ${CMAKE_BINARY_DIR}/modules"
  VERBATIM)
