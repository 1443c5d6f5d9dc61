// DiskStorageOptions: how a disk store is laid out and run (the daemon fills
// them from the config's storage section). Beside DiskStorage so that its
// parts (the compactor, tier plan execution) take the same options.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "common/store/block/block_writer.hpp"
#include "common/store/head_storage.hpp"
#include "common/store/tiering/retention_plan.hpp"
#include "common/store/wal/wal_writer.hpp"

namespace mc {

struct DiskStorageOptions {
  std::filesystem::path dir;
  HeadOptions head;
  WalOptions wal;
  block::BlockWriterOptions block_writer;
  // Raw blocks cover [k * block_duration, (k + 1) * block_duration).
  int64_t block_duration_ms = int64_t{2} * 60 * 60 * 1000;
  // Raw blocks of each aligned window this long are merged into one once the
  // window is complete (raw_block_merge.hpp); 0 merges none. The daemon sets
  // the 5-minute tier's block duration (24h by default).
  int64_t raw_merge_window_ms = 0;
  // Finest first; the first is the raw tier. Empty: raw blocks kept forever.
  std::vector<tiering::TierConfig> tiers;
  // How often the compactor thread looks for work; 0 runs no thread (tests call compact()).
  std::chrono::milliseconds compaction_interval{60'000};
  // How often the compactor thread hands the free memory malloc holds back
  // to the kernel (malloc_trim), between rounds and during a long cut; at
  // most compaction_interval. The scrape threads' arenas fill with free
  // memory at 20-30 MiB a minute at 200 targets x 1,000 series every
  // second, and once a minute made a saw of that height (bench/soak/README.md).
  std::chrono::milliseconds return_free_memory_interval{10'000};
  // The current time in ms since the epoch; retention is measured against it.
  std::function<int64_t()> clock;

  // The name of the tier raw blocks are cut into.
  std::string raw_tier_name() const { return tiers.empty() ? "raw" : tiers.front().name; }
};

}  // namespace mc
