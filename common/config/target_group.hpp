// TargetGroup: a set of targets as service discovery hands them to a scrape
// pool, as Prometheus's targetgroup.Group: each target is its own label set
// (`__address__` and whatever the discovery knows of it, `__meta_*`), and the
// group adds labels common to all of them. `source` names the group inside its
// provider: a later group with the same source replaces it, and an empty one
// removes it.
//
// static_configs are groups too, so a job's static and discovered targets go
// through one path (ScrapePool::sync).
#pragma once

#include <string>
#include <vector>

#include "common/config/config.hpp"
#include "common/model/labels.hpp"

namespace mc {

struct TargetGroup {
  std::string source;
  std::vector<std::vector<Label>> targets;  // each with `__address__`; sorted by name
  std::vector<Label> labels;                // sorted by name
};

// The groups of a job's static_configs, with sources "static/0", "static/1"...
// (index in the list), as Prometheus's StaticProvider names them.
std::vector<TargetGroup> static_target_groups(const std::vector<StaticConfig>& static_configs);

}  // namespace mc
