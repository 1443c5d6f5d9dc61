# Writes the git revision of SOURCE_DIR into OUTPUT as a C++ definition, run at
# every build (not only at configure time, so an incremental build after a
# commit reports the new revision). The file is rewritten only when its text
# changes, so an unchanged revision rebuilds nothing.
execute_process(COMMAND git rev-parse --short=12 HEAD WORKING_DIRECTORY ${SOURCE_DIR}
                OUTPUT_VARIABLE revision OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT revision)
  set(revision "unknown")
endif()
set(text "#define MC_REVISION \"${revision}\"\n")
if(EXISTS ${OUTPUT})
  file(READ ${OUTPUT} old_text)
endif()
if(NOT "${text}" STREQUAL "${old_text}")
  file(WRITE ${OUTPUT} "${text}")
endif()
