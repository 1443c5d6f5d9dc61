// DiskStorage: the durable store. An in-memory head (HeadStorage) takes every
// commit after logging it to a write-ahead log (wal/); a compactor thread cuts
// the head into immutable columnar blocks (block/) on block_duration
// boundaries, downsamples old blocks into coarser tiers and drops what is past
// its tier's retention (tiering/). Collectors and the exporter see the same
// Storage interface as for the head alone.
//
// Directory layout (docs/storage-format.md):
//   DIR/lock                  held (flock) while a process has the store open
//   DIR/wal/                  segments and checkpoints
//   DIR/blocks/<tier>-<mint>-<maxt>/   meta.json, data, index
//   DIR/corrupt/              blocks set aside because they failed to open
//
// Durability: a commit is in the WAL when commit() returns, and on disk by the
// fsync policy (default: within 1 s). open() replays the WAL into the head, so
// a crash loses at most the commits not yet fsynced; a torn WAL tail is cut at
// its last good record. A block that fails its checks at open is moved to
// corrupt/, logged and counted; the rest serves.
//
// Reads: a querier merges the head with the blocks of the finest tier that
// overlap its range; a coarser tier serves only times older than every block of
// the finer one (its values are window averages, or for counters the
// reset-adjusted counter, so rate() stays right). Where a block and the head
// both hold a timestamp (between a block cut and the head's truncation) the
// sample appears once.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/store/block/block_reader.hpp"
#include "common/store/block/block_writer.hpp"
#include "common/store/head_storage.hpp"
#include "common/store/storage.hpp"
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
  // Finest first; the first is the raw tier. Empty: raw blocks kept forever.
  std::vector<tiering::TierConfig> tiers;
  // How often the compactor thread looks for work; 0 runs no thread (tests call compact()).
  std::chrono::milliseconds compaction_interval{60'000};
  // The current time in ms since the epoch; retention is measured against it.
  std::function<int64_t()> clock;
};

class DiskStorage final : public Storage {
 public:
  // Opens (creating when missing) the store at options.dir: locks it, opens
  // the blocks, replays the WAL into the head, and starts the compactor.
  static Result<std::unique_ptr<DiskStorage>> open(DiskStorageOptions options);
  // Stops the compactor and fsyncs the WAL.
  ~DiskStorage() override;
  DiskStorage(const DiskStorage&) = delete;
  DiskStorage& operator=(const DiskStorage&) = delete;

  std::unique_ptr<Appender> appender() override;
  std::unique_ptr<Querier> querier(int64_t mint_ms, int64_t maxt_ms) override;
  // The head's: the newest sample of a live series is never only in a block.
  const LatestSampleReader& latest_samples() const override { return head_->latest_samples(); }
  // The head's: subscribers hear of a batch after the WAL has it.
  CommitFeed& commits() override { return head_->commits(); }
  StorageStats stats() const override;

  // One round of the compactor's work: cut every complete block the head
  // holds, then downsample and drop blocks as the tiers say. Returns the number
  // of blocks written and dropped.
  Result<size_t> compact();

  // Cuts the head into blocks up to its newest sample, whatever their age (at
  // shutdown, or for `store import`), then compacts.
  Status flush();

  // The highest commit sequence whose samples are fsynced (see WalWriter).
  uint64_t durable_sequence() const { return wal_->durable_sequence(); }
  uint64_t committed_sequence() const { return wal_->committed_sequence(); }

  HeadStorage& head() { return *head_; }
  size_t head_memory_bytes() const { return head_->memory_bytes(); }

 private:
  class WalLog;
  struct Blocks;

  explicit DiskStorage(DiskStorageOptions options);
  Status open_blocks();
  Status replay();
  // Writes one raw block of [mint, maxt] from the head; false when it has no samples there.
  Result<bool> cut_block(int64_t mint, int64_t maxt);
  Result<size_t> apply_plan();
  Status downsample(const tiering::DownsampleAction& action);
  void add_block(std::shared_ptr<block::BlockReader> reader);
  void drop_block(const std::string& dir);
  void set_aside(const std::filesystem::path& block_dir, const std::string& reason);
  std::vector<std::shared_ptr<block::BlockReader>> blocks_snapshot() const;
  void run_compactor();
  Status truncate_head(int64_t min_time_ms);

  DiskStorageOptions options_;
  int lock_fd_ = -1;
  std::unique_ptr<HeadStorage> head_;
  std::unique_ptr<WalWriter> wal_;
  std::unique_ptr<WalLog> wal_log_;

  mutable std::mutex blocks_mutex_;
  std::vector<std::shared_ptr<block::BlockReader>> blocks_;  // sorted by tier then min_time

  // One compaction at a time (the thread, compact(), flush()).
  std::mutex compaction_mutex_;
  int64_t head_min_time_ = std::numeric_limits<int64_t>::min();  // guarded by compaction_mutex_

  std::mutex compactor_mutex_;
  std::condition_variable compactor_wake_;
  bool stopping_ = false;  // guarded by compactor_mutex_
  std::thread compactor_;

  std::atomic<uint64_t> compactions_{0};
  std::atomic<uint64_t> compaction_failures_{0};
  std::atomic<uint64_t> compaction_nanoseconds_{0};
  std::atomic<uint64_t> blocks_written_{0};
  std::atomic<uint64_t> corrupted_blocks_{0};
  std::atomic<uint64_t> wal_corruptions_{0};
};

}  // namespace mc
