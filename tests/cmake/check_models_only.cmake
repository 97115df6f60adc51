file(REMOVE_RECURSE "${WORK_DIR}")
execute_process(
  COMMAND ${CMAKE_COMMAND} -S "${SOURCE_DIR}" -B "${WORK_DIR}" -G "${GENERATOR}" -DCMAKE_BUILD_TYPE=Release
          -DNETSPATIAL_MODELS_ONLY=ON
          -DCMAKE_DISABLE_FIND_PACKAGE_Qt6=ON -DCMAKE_DISABLE_FIND_PACKAGE_GDAL=ON
          -DCMAKE_DISABLE_FIND_PACKAGE_PROJ=ON -DCMAKE_DISABLE_FIND_PACKAGE_QCustomPlotQt6=ON
  RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "models-only configuration failed:\n${out}\n${err}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build "${WORK_DIR}" --target netspatial-bench -j 2
                RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "models-only build failed:\n${out}\n${err}")
endif()
execute_process(COMMAND "${WORK_DIR}/app/bench/netspatial-bench" --sizes 64 --min-seconds 0.01
                RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
file(REMOVE_RECURSE "${WORK_DIR}")
if(NOT result EQUAL 0 OR NOT out MATCHES "peak cpu float32 matmul")
  message(FATAL_ERROR "models-only netspatial-bench did not run:\n${out}\n${err}")
endif()
message(STATUS "models-only build OK:\n${out}")
