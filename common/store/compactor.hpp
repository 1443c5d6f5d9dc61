// Compactor: moves data out of a disk store's head. Each round cuts every
// complete raw block the head holds (RawBlockCut), truncates the head and
// checkpoints the WAL behind it, then executes the tier plan (downsampling and
// retention). A thread runs a round every compaction_interval; compact() and
// flush() run one on the caller's thread. One round at a time.
//
// When to cut (as Prometheus): once the head spans one and a half blocks, so
// that the newest half block stays in memory for late samples of slow
// targets; flush() cuts everything, whatever its age (at shutdown, in tests).
//
// Memory (issue 14): a cut reads the head a batch of metric names at a time
// (compactor_series_batches.hpp), and a round that wrote or dropped blocks
// hands the memory it freed back to the kernel, so that RssAnon does not
// step up at every cut (bench/head_memory.md, "Across block cuts").
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <limits>
#include <mutex>
#include <thread>

#include "common/store/block_set.hpp"
#include "common/store/disk_storage_options.hpp"
#include "common/store/head_storage.hpp"
#include "common/store/wal/wal_writer.hpp"
#include "common/util/status.hpp"

namespace mc {

struct CompactorStats {
  uint64_t compactions = 0;  // rounds that did work
  uint64_t failures = 0;
  double seconds_sum = 0;
  uint64_t blocks_written = 0;  // raw blocks cut from the head
};

class Compactor {
 public:
  // `head_min_time`: where the head starts, the end of the newest raw block
  // plus one (or the minimum when there is none). The references must outlive
  // the compactor.
  Compactor(const DiskStorageOptions& options, HeadStorage& head, WalWriter& wal, BlockSet& blocks,
            int64_t head_min_time);
  // Stops the thread, waiting for a round in progress.
  ~Compactor();
  Compactor(const Compactor&) = delete;
  Compactor& operator=(const Compactor&) = delete;

  // Starts the thread; none when options.compaction_interval is 0.
  void start();

  // One round; the number of blocks written and dropped.
  Result<size_t> compact();
  // Cuts the head into blocks up to its newest sample, then compacts.
  Status flush();

  CompactorStats stats() const;

 private:
  // Writes one raw block of [mint, maxt] from the head; false when it has no samples there.
  Result<bool> cut_block(int64_t mint, int64_t maxt);
  Status truncate_head(int64_t min_time_ms);
  void run();

  const DiskStorageOptions& options_;
  HeadStorage& head_;
  WalWriter& wal_;
  BlockSet& blocks_;

  std::mutex round_mutex_;
  int64_t head_min_time_;  // guarded by round_mutex_

  std::mutex thread_mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by thread_mutex_
  std::thread thread_;

  std::atomic<uint64_t> compactions_{0};
  std::atomic<uint64_t> failures_{0};
  std::atomic<uint64_t> nanoseconds_{0};
  std::atomic<uint64_t> blocks_written_{0};
};

}  // namespace mc
