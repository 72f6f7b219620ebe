# Builds backend_v2/boundary_probe.cpp, which includes Queue's public header and then
# an internal one, and prints the build's output for ctest's PASS_REGULAR_EXPRESSION
# to find the compiler saying the internal header does not exist.
#
#   cmake -DSOURCE_DIR=... -DBINARY_DIR=... -P boundary_probe_test.cmake
#
# A missing-header error proves the boundary only if the header exists: otherwise the
# probe would "fail" for the wrong reason, so that is checked first.
set(internal_header "${SOURCE_DIR}/queue/core/service.h")
if(NOT EXISTS "${internal_header}")
  message(FATAL_ERROR "${internal_header} is gone: point boundary_probe.cpp at another internal Queue header")
endif()

execute_process(
  COMMAND "${CMAKE_COMMAND}" --build "${BINARY_DIR}" --target boundary_probe
  RESULT_VARIABLE result
  OUTPUT_VARIABLE output
  ERROR_VARIABLE output)
message("${output}")
if(result EQUAL 0)
  message(FATAL_ERROR "boundary_probe compiled: backend_v2 can see Queue's internal headers")
endif()
