#include "common/store/disk_storage.hpp"

#include <algorithm>
#include <limits>

#include "common/store/block/block_index_cache.hpp"
#include "common/store/block/group_cache.hpp"
#include "common/store/compactor.hpp"
#include "common/store/store_lock.hpp"
#include "common/store/store_recovery.hpp"
#include "common/store/tier_query_plan.hpp"
#include "common/store/wal/wal_batch.hpp"
#include "common/util/logger.hpp"
#include "common/util/wall_clock.hpp"

namespace mc {

namespace fs = std::filesystem;

// Hands each head commit to the WAL. The head serialises calls, so one batch
// buffer serves every commit.
class DiskStorage::WalLog final : public CommitLog {
 public:
  explicit WalLog(WalWriter& wal) : wal_(wal) {}

  Status log_commit(const CommitBatch& commit) override {
    for (const auto& series : commit.series) batch_.log_series(series.ref, *series.labels);
    for (const auto& metadata : commit.metadata)
      batch_.log_metadata(metadata.ref, *metadata.metadata);
    for (const auto& sample : commit.samples) batch_.log_sample(sample.ref, sample.t_ms, sample.v);
    auto sequence = wal_.commit(batch_);
    if (!sequence) return sequence.status();
    return Status::ok();
  }

 private:
  WalWriter& wal_;
  WalBatch batch_;
};

DiskStorage::DiskStorage(DiskStorageOptions options) : options_(std::move(options)) {
  if (!options_.clock) options_.clock = wall_clock_ms;
  // Head chunks end on block boundaries, so cutting a block drops whole chunks.
  options_.head.chunk_max_duration_ms = options_.block_duration_ms;
  // The head's sealed chunks are not durable state: they are rebuilt from the
  // WAL, and the head empties this directory before writing it.
  options_.head.chunk_dir = options_.dir / "chunks_head";
}

Result<std::unique_ptr<DiskStorage>> DiskStorage::open(DiskStorageOptions options) {
  if (options.block_duration_ms <= 0) return Status::error("block duration must be positive");
  if (!options.tiers.empty()) {
    if (Status valid = tiering::validate_tiers(options.tiers); !valid) return valid;
    if (options.tiers.front().block_duration_ms != options.block_duration_ms) {
      return Status::error("the raw tier's block duration must equal the block duration");
    }
  }
  std::unique_ptr<DiskStorage> storage(new DiskStorage(std::move(options)));
  const fs::path& dir = storage->options_.dir;
  std::error_code error;
  fs::create_directories(dir / "blocks", error);
  if (error) return Status::error(dir.string() + ": cannot create: " + error.message());
  auto lock = StoreLock::acquire(dir);
  if (!lock) return lock.status();
  storage->lock_ = std::move(*lock);
  // Made only now: the head empties chunks_head/, which the lock's holder owns.
  storage->head_ = std::make_unique<HeadStorage>(storage->options_.head);
  if (Status chunks = storage->head_->chunk_file_status(); !chunks) return chunks;

  auto recovered = recover_blocks(dir);
  if (!recovered) return recovered.status();
  storage->corrupted_blocks_ += recovered->set_aside;
  for (auto& block : recovered->blocks) storage->blocks_.add(std::move(block));
  int64_t head_min_time = std::numeric_limits<int64_t>::min();
  if (recovered->raw_max_time) {
    head_min_time = *recovered->raw_max_time + 1;
    storage->head_->set_min_valid_time(head_min_time);
  }
  auto wal_corruptions = replay_wal_into_head(dir / "wal", *storage->head_);
  if (!wal_corruptions) return wal_corruptions.status();
  storage->wal_corruptions_ += *wal_corruptions;

  auto wal = WalWriter::open(dir / "wal", storage->options_.wal);
  if (!wal) return wal.status();
  storage->wal_ = std::move(*wal);
  storage->wal_log_ = std::make_unique<WalLog>(*storage->wal_);
  storage->head_->set_commit_log(storage->wal_log_.get());

  storage->compactor_ = std::make_unique<Compactor>(
      storage->options_, *storage->head_, *storage->wal_, storage->blocks_, head_min_time);
  storage->compactor_->start();
  return storage;
}

DiskStorage::~DiskStorage() {
  compactor_.reset();  // its thread stops before the WAL's last sync
  if (wal_) {
    if (Status status = wal_->sync(); !status) {
      log::error("cannot sync the write-ahead log", {{"err", status.message()}});
    }
  }
}

std::unique_ptr<Appender> DiskStorage::appender() { return head_->appender(); }

std::unique_ptr<Querier> DiskStorage::querier(int64_t mint_ms, int64_t maxt_ms) {
  return querier(mint_ms, maxt_ms, ReadHints{});
}

std::unique_ptr<Querier> DiskStorage::querier(int64_t mint_ms, int64_t maxt_ms,
                                              const ReadHints& hints) {
  return plan_tier_querier(
      [this](int64_t mint, int64_t maxt) { return head_->querier(mint, maxt); }, blocks_.snapshot(),
      mint_ms, maxt_ms, hints);
}

Result<size_t> DiskStorage::compact() { return compactor_->compact(); }

Status DiskStorage::flush() { return compactor_->flush(); }

StorageStats DiskStorage::stats() const {
  StorageStats stats = head_->stats();
  DiskStats disk;
  const WalStats wal = wal_->stats();
  disk.wal_segments = wal.segments;
  disk.wal_bytes = wal.disk_bytes;
  disk.wal_fsyncs = wal.fsyncs;
  disk.wal_fsync_errors = wal.fsync_errors;
  disk.wal_fsync_seconds_sum = static_cast<double>(wal.fsync_nanoseconds_sum) / 1e9;
  disk.wal_fsync_seconds_max = static_cast<double>(wal.fsync_nanoseconds_max) / 1e9;
  disk.wal_write_errors = wal.write_errors;
  disk.wal_corruptions = wal_corruptions_.load();
  const auto indexes = block::BlockIndexCache::process().stats();
  disk.index_cache_bytes = indexes.bytes;
  disk.index_cache_budget_bytes = indexes.budget_bytes;
  const auto groups = block::GroupCache::process().stats();
  disk.group_cache_bytes = groups.bytes;
  disk.group_cache_budget_bytes = groups.budget_bytes;
  for (const auto& block : blocks_.snapshot()) {
    const auto& meta = block->meta();
    auto tier = std::find_if(disk.tiers.begin(), disk.tiers.end(),
                             [&](const BlockTierStats& t) { return t.tier == meta.tier; });
    if (tier == disk.tiers.end()) {
      disk.tiers.push_back(BlockTierStats{meta.tier});
      tier = disk.tiers.end() - 1;
    }
    ++tier->blocks;
    tier->series += meta.series;
    tier->samples += meta.samples;
    tier->data_bytes += meta.data_bytes;
    tier->index_bytes += meta.index_bytes;
  }
  for (const auto& tier : options_.tiers) {
    if (std::none_of(disk.tiers.begin(), disk.tiers.end(),
                     [&](const BlockTierStats& t) { return t.tier == tier.name; })) {
      disk.tiers.push_back(BlockTierStats{tier.name});
    }
  }
  const CompactorStats compaction = compactor_->stats();
  disk.compactions = compaction.compactions;
  disk.compaction_failures = compaction.failures;
  disk.compaction_seconds_sum = compaction.seconds_sum;
  disk.corrupted_blocks = corrupted_blocks_.load();
  disk.out_of_bounds = head_->out_of_bounds();
  stats.disk = std::move(disk);
  return stats;
}

}  // namespace mc
