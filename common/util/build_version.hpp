// The daemon's version and the git revision it was built from, for --version,
// metrics_collector_build_info and the scraper's User-Agent. Kept out of the
// compile flags of every file so that a new revision recompiles one file.
#pragma once

#include <string_view>

namespace mc {

std::string_view build_version();   // "0.1.0"
std::string_view build_revision();  // short git hash, or "unknown"

}  // namespace mc
