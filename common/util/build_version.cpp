#include "common/util/build_version.hpp"

namespace mc {

std::string_view build_version() { return MC_VERSION; }
std::string_view build_revision() { return MC_REVISION; }

}  // namespace mc
