#include "common/config/storage_section.hpp"

#include <string>
#include <utility>

#include <fmt/format.h>

#include "common/config/field_readers.hpp"
#include "common/config/prometheus_keys.hpp"
#include "common/config/storage_defaults.hpp"
#include "common/util/duration.hpp"

namespace mc {

namespace {

Status read_storage_tier(const YamlReader& reader, const YAML::Node& node, std::string_view where,
                         StorageTierConfig& tier, StorageTierNodes& nodes) {
  nodes.mapping = node;
  auto path = [&](std::string_view field) { return join_path(where, field); };
  auto positive_duration = [&](std::string_view field, Duration& out, YAML::Node& seen) {
    return [&, field, target = &out, seen_node = &seen](const YAML::Node& value) -> Status {
      MC_ASSIGN_OR_RETURN(*target, reader.read_duration(value, path(field)));
      if (target->count() <= 0) {
        return reader.error_at(value, fmt::format("{}: must be positive", path(field)));
      }
      *seen_node = value;
      return Status::ok();
    };
  };
  return reader.read_fields(
      node, where,
      {
          {"resolution",
           [&](const YAML::Node& value) -> Status {
             nodes.resolution = value;
             auto text = reader.read_string(value, path("resolution"));
             if (!text) return text.status();
             if (*text == "raw") {
               tier.name = "raw";
               return Status::ok();
             }
             MC_ASSIGN_OR_RETURN(tier.resolution, reader.read_duration(value, path("resolution")));
             if (tier.resolution.count() <= 0) {
               return reader.error_at(
                   value, fmt::format("{}: must be positive (raw data is `resolution: raw`)",
                                      path("resolution")));
             }
             tier.name = format_duration(tier.resolution);
             return Status::ok();
           }},
          {"retention", positive_duration("retention", tier.retention, nodes.retention)},
          {"block_duration",
           positive_duration("block_duration", tier.block_duration, nodes.block_duration)},
      });
}

// The rules on tier `i` as the file gives it: required fields, raw first and
// only first, resolutions growing by whole multiples, retentions not shrinking.
Status check_given_tier(const YamlReader& reader, const StorageConfig& storage,
                        const StorageNodes& nodes, size_t i, const std::string& where) {
  const StorageTierConfig& tier = storage.tiers[i];
  const StorageTierNodes& tier_nodes = nodes.tier_nodes[i];
  for (const auto& [field, node] : {std::pair{"resolution", tier_nodes.resolution},
                                    std::pair{"retention", tier_nodes.retention}}) {
    if (node.IsNull()) {
      return reader.error_at(tier_nodes.mapping,
                             fmt::format("{}: missing required field {:?}", where, field));
    }
  }
  const bool raw = tier.name == "raw";
  if (i == 0 && !raw) {
    return reader.error_at(tier_nodes.resolution,
                           fmt::format("{}.resolution: the first tier must be raw, got {}", where,
                                       tier_nodes.resolution.Scalar()));
  }
  if (i > 0 && raw) {
    return reader.error_at(tier_nodes.resolution,
                           fmt::format("{}.resolution: only the first tier can be raw", where));
  }
  if (i == 0 && !tier_nodes.block_duration.IsNull()) {
    return reader.error_at(
        tier_nodes.block_duration,
        fmt::format("{}.block_duration: raw blocks are set by storage.block_duration", where));
  }
  if (i > 0) {
    const StorageTierConfig& finer = storage.tiers[i - 1];
    // As written in the file: "7d" reads better here than its spelling "1w".
    const StorageTierNodes& finer_nodes = nodes.tier_nodes[i - 1];
    if (tier.resolution <= finer.resolution) {
      return reader.error_at(
          tier_nodes.resolution,
          fmt::format("{}.resolution: {} is not coarser than the tier before's {}", where,
                      tier_nodes.resolution.Scalar(), finer_nodes.resolution.Scalar()));
    }
    if (finer.resolution.count() > 0 && tier.resolution % finer.resolution != Duration(0)) {
      return reader.error_at(
          tier_nodes.resolution,
          fmt::format("{}.resolution: {} is not a multiple of the tier before's {}", where,
                      tier_nodes.resolution.Scalar(), finer_nodes.resolution.Scalar()));
    }
    if (tier.retention < finer.retention) {
      return reader.error_at(
          tier_nodes.retention,
          fmt::format("{}.retention: {} is shorter than the tier before's {}; a coarser tier "
                      "must keep data at least as long",
                      where, tier_nodes.retention.Scalar(), finer_nodes.retention.Scalar()));
    }
  }
  return Status::ok();
}

// A downsampled tier's block length: derived when not given, else a whole
// multiple of its resolution and of the finer tier's blocks.
Status fill_tier_block_duration(const YamlReader& reader, StorageConfig& storage,
                                const StorageNodes& nodes, size_t i, const std::string& where) {
  StorageTierConfig& tier = storage.tiers[i];
  const StorageTierConfig& finer = storage.tiers[i - 1];
  if (tier.block_duration.count() == 0) {
    tier.block_duration = default_tier_block_duration(tier.resolution, finer.block_duration);
    return Status::ok();
  }
  const YAML::Node& at = nodes.tier_nodes[i].block_duration;
  if (tier.block_duration % tier.resolution != Duration(0)) {
    return reader.error_at(
        at, fmt::format("{}.block_duration: {} is not a multiple of the resolution {}", where,
                        format_duration(tier.block_duration), format_duration(tier.resolution)));
  }
  if (tier.block_duration % finer.block_duration != Duration(0)) {
    return reader.error_at(
        at, fmt::format("{}.block_duration: {} is not a multiple of the tier before's block "
                        "duration {}",
                        where, format_duration(tier.block_duration),
                        format_duration(finer.block_duration)));
  }
  return Status::ok();
}

}  // namespace

Status read_storage(const YamlReader& reader, const YAML::Node& node, StorageConfig& storage,
                    StorageNodes& nodes) {
  nodes.mapping = node;
  return reader.read_fields(
      node, "storage",
      {
          {"block_duration",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(storage.block_duration,
                                 reader.read_duration(value, "storage.block_duration"));
             if (storage.block_duration.count() <= 0) {
               return reader.error_at(value, "storage.block_duration: must be positive");
             }
             return Status::ok();
           }},
          {"wal_fsync",
           [&](const YAML::Node& value) -> Status {
             auto text = reader.read_string(value, "storage.wal_fsync");
             if (!text) return text.status();
             if (*text == "always") {
               storage.wal_fsync = WalFsyncMode::always;
               return Status::ok();
             }
             if (*text == "never") {
               storage.wal_fsync = WalFsyncMode::never;
               return Status::ok();
             }
             auto interval = parse_duration(*text);
             if (!interval) {
               return reader.error_at(
                   value, fmt::format("storage.wal_fsync: expected \"always\", \"never\" or a "
                                      "duration: {}",
                                      interval.error()));
             }
             if (interval->count() <= 0) {
               return reader.error_at(value,
                                      "storage.wal_fsync: an interval must be positive (\"always\" "
                                      "fsyncs at every commit)");
             }
             storage.wal_fsync = WalFsyncMode::interval;
             storage.wal_fsync_interval = *interval;
             return Status::ok();
           }},
          {"block_index_cache",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(storage.block_index_cache_bytes,
                                 reader.read_byte_size(value, "storage.block_index_cache"));
             return Status::ok();
           }},
          {"block_group_cache",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(storage.block_group_cache_bytes,
                                 reader.read_byte_size(value, "storage.block_group_cache"));
             return Status::ok();
           }},
          {"tiers",
           [&](const YAML::Node& value) -> Status {
             nodes.tiers = value;
             return reader.for_each_item(
                 value, "storage.tiers", [&](const YAML::Node& item, size_t index) -> Status {
                   storage.tiers.emplace_back();
                   nodes.tier_nodes.emplace_back();
                   return read_storage_tier(reader, item, index_path("storage.tiers", index),
                                            storage.tiers.back(), nodes.tier_nodes.back());
                 });
           }},
      },
      prometheus_storage_keys());
}

Status finish_storage(const YamlReader& reader, StorageConfig& storage, const StorageNodes& nodes) {
  if (nodes.tiers.IsNull()) {
    // Block lengths are filled below, from storage.block_duration.
    for (StorageTierConfig tier : default_storage_tiers(storage.block_duration)) {
      tier.block_duration = Duration(0);
      storage.tiers.push_back(std::move(tier));
    }
  } else if (storage.tiers.empty()) {
    return reader.error_at(nodes.tiers,
                           "storage.tiers: no tiers; the first must be `- resolution: raw`");
  }
  const bool given = !nodes.tiers.IsNull();
  for (size_t i = 0; i < storage.tiers.size(); ++i) {
    std::string where = index_path("storage.tiers", i);
    if (given) {
      if (Status status = check_given_tier(reader, storage, nodes, i, where); !status) {
        return status;
      }
    }
    if (i == 0) {
      storage.tiers[0].block_duration = storage.block_duration;
      continue;
    }
    if (Status status = fill_tier_block_duration(reader, storage, nodes, i, where); !status) {
      return status;
    }
  }
  return Status::ok();
}

}  // namespace mc
