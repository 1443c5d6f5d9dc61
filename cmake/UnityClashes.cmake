# Unity builds without hand-kept lists: for each unity-built target, the
# sources that define a namespace-scope name an earlier source of their batch
# defines too (two anonymous `kInf`s, two `Fixture`s) compile on their own
# (SKIP_UNITY_BUILD_INCLUSION). cmake/unity_clashes.py reads the sources and
# batches them as CMake does; see its header for what it recognises.
#
# A source edited to define a new clashing name needs a re-configure: in a
# unity tree every source of a unity target is a configure dependency.

find_package(Python3 COMPONENTS Interpreter)

function(mc_leave_unity_clashes_out target)
  get_target_property(unity ${target} UNITY_BUILD)
  if(NOT unity)
    return()
  endif()
  if(NOT Python3_Interpreter_FOUND)
    message(WARNING "python3 not found: unity batches of ${target} are not checked for clashing names")
    return()
  endif()
  get_target_property(sources ${target} SOURCES)
  get_target_property(source_dir ${target} SOURCE_DIR)
  get_target_property(batch ${target} UNITY_BUILD_BATCH_SIZE)
  if(NOT batch)
    set(batch 8)
  endif()
  set(candidates)
  foreach(source IN LISTS sources)
    if(NOT source MATCHES "\\.(cpp|cc|cxx)$")
      continue()
    endif()
    cmake_path(ABSOLUTE_PATH source BASE_DIRECTORY ${source_dir} NORMALIZE OUTPUT_VARIABLE path)
    get_source_file_property(skipped ${path} DIRECTORY ${source_dir} SKIP_UNITY_BUILD_INCLUSION)
    if(NOT skipped)
      list(APPEND candidates ${path})
    endif()
  endforeach()
  if(NOT candidates)
    return()
  endif()
  execute_process(
    COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/cmake/unity_clashes.py --verbose --batch ${batch} -- ${candidates}
    OUTPUT_VARIABLE clashing ERROR_VARIABLE why RESULT_VARIABLE failed)
  if(failed)
    message(FATAL_ERROR "cmake/unity_clashes.py failed on ${target}: ${why}")
  endif()
  string(REPLACE "\n" ";" clashing "${clashing}")
  list(FILTER clashing EXCLUDE REGEX "^$")
  if(clashing)
    message(STATUS "${target}: compiled outside its unity batches (a name shared with a batch neighbour):\n${why}")
    set_source_files_properties(${clashing} DIRECTORY ${source_dir} PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON)
  endif()
  set_property(DIRECTORY ${PROJECT_SOURCE_DIR} APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${candidates})
endfunction()

# Every target defined in `directory` and below it.
function(mc_leave_unity_clashes_out_below directory)
  get_property(targets DIRECTORY ${directory} PROPERTY BUILDSYSTEM_TARGETS)
  foreach(target IN LISTS targets)
    get_target_property(type ${target} TYPE)
    if(type MATCHES "^(STATIC_LIBRARY|SHARED_LIBRARY|OBJECT_LIBRARY|MODULE_LIBRARY|EXECUTABLE)$")
      mc_leave_unity_clashes_out(${target})
    endif()
  endforeach()
  get_property(subdirectories DIRECTORY ${directory} PROPERTY SUBDIRECTORIES)
  foreach(subdirectory IN LISTS subdirectories)
    mc_leave_unity_clashes_out_below(${subdirectory})
  endforeach()
endfunction()
