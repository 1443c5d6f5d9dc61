#include "common/store/store_inventory.hpp"

#include <algorithm>
#include <limits>
#include <unordered_set>

#include "common/model/labels.hpp"
#include "common/store/block/block_reader.hpp"
#include "common/store/head_storage.hpp"
#include "common/store/matcher.hpp"
#include "common/store/store_directory.hpp"
#include "common/store/store_recovery.hpp"

namespace mc {

namespace fs = std::filesystem;

namespace {

struct LabelsHash {
  size_t operator()(const Labels& labels) const { return static_cast<size_t>(labels.hash()); }
};
using SeriesSet = std::unordered_set<Labels, LabelsHash>;

void widen(InventoryPart& part, int64_t min_time, int64_t max_time) {
  part.min_time = std::min(part.min_time.value_or(min_time), min_time);
  part.max_time = std::max(part.max_time.value_or(max_time), max_time);
}

void add_counts(InventoryPart& into, const InventoryPart& part) {
  into.blocks += part.blocks;
  into.samples += part.samples;
  into.data_bytes += part.data_bytes;
  into.index_bytes += part.index_bytes;
  if (part.min_time) widen(into, *part.min_time, *part.max_time);
}

uint64_t directory_bytes(const fs::path& dir) {
  uint64_t bytes = 0;
  std::error_code error;
  for (const auto& entry : fs::recursive_directory_iterator(dir, error)) {
    if (entry.is_regular_file(error)) bytes += entry.file_size(error);
  }
  return bytes;
}

// The head a restart would build from the WAL, and its series into `series`.
Result<InventoryPart> head_from_wal(const fs::path& wal_dir, std::optional<int64_t> raw_max_time,
                                    SeriesSet& series, uint64_t& damaged_records) {
  HeadStorage head(HeadOptions{});
  if (raw_max_time) head.set_min_valid_time(*raw_max_time + 1);
  WalReplayOptions options;
  options.repair_torn_tail = false;  // stats changes nothing
  auto replayed = replay_wal_into_head(wal_dir, head, options);
  if (!replayed) return replayed.status();
  damaged_records = *replayed;
  InventoryPart part;
  const StorageStats stats = head.stats();
  part.samples = stats.samples;
  const auto [min_time, max_time] = head.time_range();
  if (part.samples > 0 && min_time <= max_time) widen(part, min_time, max_time);
  auto querier =
      head.querier(std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max());
  auto all = Matcher::make(Matcher::Kind::regex, "__name__", ".+");
  for (const auto& one : querier->select({*all})) {
    ++part.series;
    series.insert(one->labels());
  }
  return part;
}

}  // namespace

Result<StoreInventory> take_store_inventory(const fs::path& dir) {
  if (Status store = check_store_directory(dir); !store) return store;
  StoreInventory inventory;
  std::map<std::string, SeriesSet> tier_series;
  SeriesSet all_series;
  std::optional<int64_t> raw_max_time;
  for (const auto& path : list_block_dirs(dir)) {
    auto reader = block::BlockReader::open(path.string());
    if (!reader) {
      inventory.problems.push_back(reader.error());
      continue;
    }
    const auto& meta = (*reader)->meta();
    InventoryPart& tier = inventory.tiers[meta.tier];
    ++tier.blocks;
    tier.samples += meta.samples;
    tier.data_bytes += meta.data_bytes;
    tier.index_bytes += meta.index_bytes;
    widen(tier, meta.min_time, meta.max_time);
    if (meta.resolution_ms == 0) {
      raw_max_time = std::max(raw_max_time.value_or(meta.max_time), meta.max_time);
    }
    SeriesSet& seen = tier_series[meta.tier];
    for (uint32_t n = 0; n < (*reader)->num_series(); ++n) {
      const Labels& labels = (*reader)->labels(n);
      if (seen.insert(labels).second) all_series.insert(labels);
    }
  }
  for (auto& [name, tier] : inventory.tiers) {
    tier.series = tier_series[name].size();
    add_counts(inventory.total, tier);
  }
  const fs::path wal_dir = dir / "wal";
  if (fs::is_directory(wal_dir)) {
    inventory.wal_bytes = directory_bytes(wal_dir);
    auto head = head_from_wal(wal_dir, raw_max_time, all_series, inventory.wal_damaged_records);
    if (head) {
      add_counts(inventory.total, *head);
      inventory.head = std::move(*head);
    } else {
      inventory.problems.push_back(head.error());
    }
  }
  inventory.total.series = all_series.size();
  return inventory;
}

}  // namespace mc
