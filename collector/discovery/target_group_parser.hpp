// parse_target_groups: the list of target groups that file_sd files and
// http_sd responses hold, in Prometheus's format:
//   [{"targets": ["host:port", ...], "labels": {"name": "value", ...}}, ...]
// as JSON or YAML. Each target becomes a label set {__address__: target};
// label names must be valid (reserved "__" names are allowed: discovery may
// set __metrics_path__ and the like); empty label values are dropped, as
// Prometheus treats them as absent.
//
// Both formats are read with yaml-cpp (YAML 1.2 reads JSON), so errors carry
// line and column: "name:line:col: message". As with Prometheus (Go's
// encoding/json vs yaml.UnmarshalStrict), JSON ignores unknown keys of a group
// and YAML refuses them. Sources are left empty for the caller to name.
//
// Stateless; callable from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/config/target_group.hpp"
#include "common/util/status.hpp"

namespace mc {

enum class TargetGroupFormat { json, yaml };

// `name` (a file path, a URL) prefixes every error.
Result<std::vector<TargetGroup>> parse_target_groups(std::string_view text, std::string_view name,
                                                     TargetGroupFormat format);

// A group with no targets: published, it removes the group of that source.
TargetGroup removed_group(std::string source);

// The number of targets in `groups`.
size_t count_targets(const std::vector<TargetGroup>& groups);

}  // namespace mc
