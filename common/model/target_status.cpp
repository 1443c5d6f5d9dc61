#include "common/model/target_status.hpp"

namespace mc {

std::string_view target_health_name(TargetHealth health) {
  switch (health) {
    case TargetHealth::up:
      return "up";
    case TargetHealth::down:
      return "down";
    case TargetHealth::unknown:
      break;
  }
  return "unknown";
}

}  // namespace mc
