// WalWriter: appends commit batches (WalBatch) to the segments of a WAL
// directory and makes them durable by the configured fsync policy.
//
// Each commit is one write(2) of whole records to the current segment, under
// one lock, and gets the next commit sequence number (1, 2, ... per process).
// durable_sequence() is the highest N such that every commit up to N is
// fsynced. A new segment is cut before a commit that would push the current
// one past segment_bytes, so a commit never spans segments; the old segment
// is fsynced first.
//
// Open order at start: replay_wal(dir, ...) first (it repairs a torn tail),
// then WalWriter::open(dir), which always writes to a new segment (or an
// empty last one) and finishes a checkpoint a crash interrupted.
//
// Thread-safety: every method may be called from any thread; commits from
// many appenders serialise on the write lock only for the write itself
// (records are encoded by the caller, in its WalBatch).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "common/store/wal/wal_batch.hpp"
#include "common/store/wal/wal_checkpoint.hpp"
#include "common/util/status.hpp"

namespace mc {

class WalSegmentFile;

enum class FsyncPolicy {
  always,    // commit() returns after its records are fsynced (concurrent commits share one fsync)
  interval,  // a background thread fsyncs at most once per fsync_interval after a commit
  never,     // only when a segment is cut, on sync() and at close: the OS decides
};

struct WalOptions {
  uint64_t segment_bytes = uint64_t{128} << 20;
  FsyncPolicy fsync_policy = FsyncPolicy::interval;
  // With FsyncPolicy::interval, a commit is durable at most this long (plus
  // the fsync's own time) after it returns.
  std::chrono::milliseconds fsync_interval{1000};
};

struct WalStats {
  uint64_t segments = 0;    // segment files in the directory, checkpoint not counted
  uint64_t disk_bytes = 0;  // segments and checkpoint
  uint64_t commits = 0;
  uint64_t records_written = 0;
  uint64_t bytes_written = 0;
  uint64_t write_errors = 0;
  uint64_t fsyncs = 0;  // completed, successful or not
  uint64_t fsync_errors = 0;
  uint64_t fsync_nanoseconds_sum = 0;
  uint64_t fsync_nanoseconds_max = 0;
  uint64_t checkpoints = 0;
  uint64_t committed_sequence = 0;
  uint64_t durable_sequence = 0;
};

class WalWriter {
 public:
  // Creates `dir` when missing.
  static Result<std::unique_ptr<WalWriter>> open(const std::filesystem::path& dir,
                                                 WalOptions options = {});
  // Stops the fsync thread and, unless the policy is never, fsyncs.
  ~WalWriter();
  WalWriter(const WalWriter&) = delete;
  WalWriter& operator=(const WalWriter&) = delete;

  // Writes the batch's records and returns the commit's sequence number
  // (an empty batch writes nothing and returns committed_sequence()). The
  // batch is cleared either way. With FsyncPolicy::always it returns once the
  // commit is durable.
  Result<uint64_t> commit(WalBatch& batch);

  uint64_t committed_sequence() const { return committed_.load(std::memory_order_acquire); }
  uint64_t durable_sequence() const { return durable_.load(std::memory_order_acquire); }
  // Waits until durable_sequence() >= sequence; false on timeout.
  bool wait_durable(uint64_t sequence, std::chrono::milliseconds timeout);
  // Fsyncs everything committed so far, now, whatever the policy.
  Status sync();

  // Cuts a new segment, then folds every older segment into a checkpoint
  // (see wal_checkpoint.hpp) and deletes them. The block cut calls this after
  // writing a block: `keep_series` says which refs the head still has and
  // `min_time_ms` is where the head now starts. Commits go on meanwhile.
  Result<WalCheckpointStats> checkpoint(const std::function<bool(SeriesRef)>& keep_series,
                                        int64_t min_time_ms);

  WalStats stats() const;
  const std::filesystem::path& dir() const { return dir_; }

 private:
  WalWriter(std::filesystem::path dir, WalOptions options);

  Status start();
  // REQUIRES: write_mutex_ held.
  Status cut_segment_locked();
  // fsyncs the current segment if some commit is not yet durable.
  Status sync_written();
  Status timed_sync(WalSegmentFile& file);
  void advance_durable(uint64_t sequence);
  void notify_syncer();
  void run_syncer();
  void recount_files_locked();

  const std::filesystem::path dir_;
  const WalOptions options_;

  // Order when nested: checkpoint_mutex_, sync_mutex_, write_mutex_, durable_mutex_.
  std::mutex checkpoint_mutex_;
  std::mutex sync_mutex_;  // one fsync at a time; a waiting one often finds its work done

  mutable std::mutex write_mutex_;
  // Shared so a sync in progress keeps a file open while a cut replaces it.
  std::shared_ptr<WalSegmentFile> current_;  // guarded by write_mutex_
  uint64_t current_number_ = 0;              // guarded by write_mutex_
  uint64_t segments_ = 0;                    // guarded by write_mutex_
  uint64_t disk_bytes_ = 0;                  // guarded by write_mutex_

  std::atomic<uint64_t> committed_{0};  // written under write_mutex_
  std::mutex durable_mutex_;
  std::condition_variable durable_changed_;
  std::atomic<uint64_t> durable_{0};  // written under durable_mutex_

  std::mutex syncer_mutex_;
  std::condition_variable syncer_wake_;
  bool sync_pending_ = false;  // guarded by syncer_mutex_
  bool stopping_ = false;      // guarded by syncer_mutex_
  std::thread syncer_;

  std::atomic<uint64_t> commits_{0};
  std::atomic<uint64_t> records_written_{0};
  std::atomic<uint64_t> bytes_written_{0};
  std::atomic<uint64_t> write_errors_{0};
  std::atomic<uint64_t> fsyncs_{0};
  std::atomic<uint64_t> fsync_errors_{0};
  std::atomic<uint64_t> fsync_nanoseconds_sum_{0};
  std::atomic<uint64_t> fsync_nanoseconds_max_{0};
  std::atomic<uint64_t> checkpoints_{0};
};

}  // namespace mc
