# ExternalProject build step of the clang fuzz project (tests/fuzz/CMakeLists.txt): builds it, and when that
# fails (a clang-only diagnostic, a missing sanitizer runtime) says so without failing the gateway's build; the
# fuzz_*_smoke tests then fail instead, naming the missing binary.
cmake_host_system_information(RESULT cores QUERY NUMBER_OF_LOGICAL_CORES)
execute_process(COMMAND ${CMAKE_COMMAND} --build ${DIR} --parallel ${cores} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(WARNING "netops_fuzz: the clang fuzz build FAILED (${rc}); the fuzz_*_smoke tests will fail")
endif()
