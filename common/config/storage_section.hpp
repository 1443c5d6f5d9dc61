// The `storage:` section (ours): raw block length, WAL fsync, and the
// retention and downsampling tiers. read_storage() takes the values;
// finish_storage() fills the default tiers when none are given and checks
// them as retention planning needs them (the store checks them again).
//
// Private to common/config. Stateless; callable from any thread.
#pragma once

#include <vector>

#include <yaml-cpp/yaml.h>

#include "common/config/config.hpp"
#include "common/config/yaml_reader.hpp"
#include "common/util/status.hpp"

namespace mc {

struct StorageTierNodes {
  YAML::Node mapping;
  YAML::Node resolution;      // null when absent
  YAML::Node retention;       // null when absent
  YAML::Node block_duration;  // null when absent
};

struct StorageNodes {
  YAML::Node mapping;
  YAML::Node tiers;  // null when absent: the default tiers
  std::vector<StorageTierNodes> tier_nodes;
};

Status read_storage(const YamlReader& reader, const YAML::Node& node, StorageConfig& storage,
                    StorageNodes& nodes);

// The tiers as retention planning needs them (the store checks them again): raw
// first, resolutions growing by whole multiples, retentions not shrinking,
// block lengths whole multiples of the resolution and of the finer tier's
// blocks. Downsampled tiers get a block length when they have none.
Status finish_storage(const YamlReader& reader, StorageConfig& storage, const StorageNodes& nodes);

}  // namespace mc
