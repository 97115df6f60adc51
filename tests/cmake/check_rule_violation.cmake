# Configures the project with one forbidden link injected; passes only if configuration fails
# with the dependency-rule message.
file(REMOVE_RECURSE "${WORK_DIR}")
execute_process(
  COMMAND ${CMAKE_COMMAND} -S "${SOURCE_DIR}" -B "${WORK_DIR}" -G "${GENERATOR}"
          -DNETSPATIAL_BUILD_TESTS=OFF -DNETSPATIAL_INJECT_RULE_VIOLATION=${VIOLATION}
  RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
file(REMOVE_RECURSE "${WORK_DIR}")
if(result EQUAL 0)
  message(FATAL_ERROR "configuration succeeded although '${VIOLATION}' breaks a dependency rule")
endif()
string(FIND "${err}" "Dependency rule broken: ${EXPECTED}" found)
if(found EQUAL -1)
  message(FATAL_ERROR "configuration failed, but not with 'Dependency rule broken: ${EXPECTED}':\n${err}")
endif()
message(STATUS "'${VIOLATION}' rejected as expected")
