#include "common/config/target_group.hpp"

namespace mc {

std::vector<TargetGroup> static_target_groups(const std::vector<StaticConfig>& static_configs) {
  std::vector<TargetGroup> groups;
  groups.reserve(static_configs.size());
  for (size_t i = 0; i < static_configs.size(); ++i) {
    TargetGroup group;
    group.source = "static/" + std::to_string(i);
    group.labels = static_configs[i].labels;
    for (const auto& address : static_configs[i].targets) {
      group.targets.push_back({Label{"__address__", address}});
    }
    groups.push_back(std::move(group));
  }
  return groups;
}

}  // namespace mc
