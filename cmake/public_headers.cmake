# stage_public_headers(<target> <header>...)
#
# Makes <target>'s public include directory a folder that holds only the listed
# headers (as links into the source tree, so edits need no re-configure). A target
# that links <target> can then include exactly those headers and nothing else of
# its source folder: `#include "queue/core/engine.h"` from backend_v2 fails to
# compile because no include directory it can see has that file. This is the
# compile-time half of the module boundary; tools/check_boundaries is the lint half.
function(stage_public_headers target)
  set(stage "${CMAKE_BINARY_DIR}/public/${target}")
  foreach(header IN LISTS ARGN)
    file(RELATIVE_PATH rel "${CMAKE_SOURCE_DIR}" "${CMAKE_CURRENT_SOURCE_DIR}/${header}")
    get_filename_component(dir "${stage}/${rel}" DIRECTORY)
    file(MAKE_DIRECTORY "${dir}")
    file(CREATE_LINK "${CMAKE_CURRENT_SOURCE_DIR}/${header}" "${stage}/${rel}" SYMBOLIC)
  endforeach()
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "INTERFACE_LIBRARY")
    target_include_directories(${target} INTERFACE "${stage}")
  else()
    target_include_directories(${target} PUBLIC "$<BUILD_INTERFACE:${stage}>")
    # The target's own sources see the whole tree, as code inside a module should.
    target_include_directories(${target} PRIVATE "${CMAKE_SOURCE_DIR}")
  endif()
endfunction()
