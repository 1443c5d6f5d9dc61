#include "common/util/build_version.hpp"

// MC_REVISION, written at every build (cmake/write_revision.cmake).
#include "build_revision.inc"

namespace mc {

std::string_view build_version() { return MC_VERSION; }
std::string_view build_revision() { return MC_REVISION; }

}  // namespace mc
