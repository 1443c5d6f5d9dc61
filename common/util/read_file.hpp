// Reads a whole file into a string with plain read(2): config files, web
// configs, DSN and password files, OpenMetrics backfill files, /proc files
// (which report size 0, so the size is never trusted). The error is the errno
// text alone ("No such file or directory"); the caller says which file and
// what it was for, in its own words.
#pragma once

#include <string>

#include "common/util/status.hpp"

namespace mc {

Result<std::string> read_file(const std::string& path);

}  // namespace mc
