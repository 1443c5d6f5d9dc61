// Storage: the store as the rest of the daemon sees it. Collectors take
// appenders, readers take queriers, /metrics reads the newest samples,
// followers subscribe to commits; none knows which store is behind.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/store/appender.hpp"
#include "common/store/commit_feed.hpp"
#include "common/store/latest_sample_reader.hpp"
#include "common/store/querier.hpp"
#include "common/store/read_hints.hpp"

namespace mc {

// The blocks of one tier of the disk store.
struct BlockTierStats {
  std::string tier;  // "raw", "5m", ...
  uint64_t blocks = 0;
  uint64_t series = 0;  // summed over blocks
  uint64_t samples = 0;
  uint64_t data_bytes = 0;
  uint64_t index_bytes = 0;
};

// What only a disk store has: its write-ahead log, blocks and compactions.
struct DiskStats {
  uint64_t wal_segments = 0;
  uint64_t wal_bytes = 0;  // segments and checkpoint on disk
  uint64_t wal_fsyncs = 0;
  uint64_t wal_fsync_errors = 0;
  double wal_fsync_seconds_sum = 0;
  double wal_fsync_seconds_max = 0;
  uint64_t wal_write_errors = 0;
  uint64_t wal_corruptions = 0;  // damaged records found at open (torn tails included)
  std::vector<BlockTierStats> tiers;
  uint64_t compactions = 0;  // rounds that did work: blocks cut, downsampled or dropped
  uint64_t compaction_failures = 0;
  double compaction_seconds_sum = 0;
  uint64_t corrupted_blocks = 0;  // set aside since start
  uint64_t out_of_bounds = 0;     // samples older than the newest block, rejected
  // The process's caches of parsed block indexes and of decompressed chunk
  // groups, which every open block shares: bytes held and budgets.
  uint64_t index_cache_bytes = 0;
  uint64_t index_cache_budget_bytes = 0;
  uint64_t group_cache_bytes = 0;
  uint64_t group_cache_budget_bytes = 0;
};

struct StorageStats {
  uint64_t series = 0;               // series held
  uint64_t chunks = 0;               // chunks held, open and sealed
  uint64_t chunk_bytes = 0;          // encoded bytes in those chunks
  uint64_t samples = 0;              // samples held
  uint64_t samples_appended = 0;     // since start
  uint64_t out_of_order = 0;         // rejected since start
  uint64_t duplicate_timestamp = 0;  // rejected since start
  uint64_t unknown_series = 0;       // rejected since start (stale ref, no labels)
  std::optional<DiskStats> disk;     // set by a disk store
};

class Storage {
 public:
  virtual ~Storage() = default;
  virtual std::unique_ptr<Appender> appender() = 0;
  // A view over [mint_ms, maxt_ms], both inclusive.
  virtual std::unique_ptr<Querier> querier(int64_t mint_ms, int64_t maxt_ms) = 0;
  // The same, letting a store with coarser tiers serve from them as `hints`
  // allow; a store without tiers ignores them.
  virtual std::unique_ptr<Querier> querier(int64_t mint_ms, int64_t maxt_ms,
                                           const ReadHints& hints) {
    (void)hints;
    return querier(mint_ms, maxt_ms);
  }
  // The newest sample of every live series (for /metrics); lives as the store.
  virtual const LatestSampleReader& latest_samples() const = 0;
  // Where consumers subscribe to follow committed batches (remote write, a
  // live stream); lives as the store.
  virtual CommitFeed& commits() = 0;
  virtual StorageStats stats() const = 0;
};

}  // namespace mc
