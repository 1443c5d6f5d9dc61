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
// The parts, one file each: store_lock (DIR/lock), store_recovery (open the
// blocks, set aside damaged ones, replay the WAL), compactor (cut blocks from
// the head, the thread), tier_plan_execution (downsample, drop),
// tier_query_plan (which blocks serve a range) and block_set (the blocks
// served). DiskStorage wires them together behind the Storage interface.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include "common/store/block_set.hpp"
#include "common/store/disk_storage_options.hpp"
#include "common/store/head_storage.hpp"
#include "common/store/storage.hpp"
#include "common/store/wal/wal_writer.hpp"

namespace mc {

class Compactor;
class StoreLock;

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
  std::unique_ptr<Querier> querier(int64_t mint_ms, int64_t maxt_ms,
                                   const ReadHints& hints) override;
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
  // shutdown, or in tests), then compacts.
  Status flush();

  // The highest commit sequence whose samples are fsynced (see WalWriter).
  uint64_t durable_sequence() const { return wal_->durable_sequence(); }
  uint64_t committed_sequence() const { return wal_->committed_sequence(); }

  HeadStorage& head() { return *head_; }
  size_t head_memory_bytes() const { return head_->memory_bytes(); }

 private:
  class WalLog;

  explicit DiskStorage(DiskStorageOptions options);

  DiskStorageOptions options_;
  std::unique_ptr<StoreLock> lock_;
  std::unique_ptr<HeadStorage> head_;
  std::unique_ptr<WalWriter> wal_;
  std::unique_ptr<WalLog> wal_log_;
  BlockSet blocks_;
  // Declared last: destroyed first, so its thread stops before what it uses goes.
  std::unique_ptr<Compactor> compactor_;

  std::atomic<uint64_t> corrupted_blocks_{0};
  std::atomic<uint64_t> wal_corruptions_{0};
};

}  // namespace mc
