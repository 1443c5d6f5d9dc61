#include "common/store/compactor.hpp"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "common/store/compactor_series_batches.hpp"
#include "common/store/raw_block_cut.hpp"
#include "common/store/raw_block_merge.hpp"
#include "common/store/tier_plan_execution.hpp"
#include "common/util/aligned_window.hpp"
#include "common/util/logger.hpp"

namespace mc {

namespace {

// Series a cut reads from the head at a time: their chunk references are the
// cut's largest allocation (compactor_series_batches.hpp). A few thousand
// keep each select() of the head worth its scan of every series.
constexpr size_t kCutBatchSeries = 8192;

// A round frees what it allocated (the head's chunk references, the index
// being built) into the compactor thread's malloc arena, between pieces that
// live on (the new block's parsed index). glibc keeps such memory for the
// thread's next allocations, and this thread allocates next at the next
// cut: before this, every cut left RssAnon higher (bench/head_memory.md,
// "Across block cuts"). malloc_trim hands the free pages of every arena back
// to the kernel.
void return_free_memory() {
#if defined(__GLIBC__)
  const auto started = std::chrono::steady_clock::now();
  ::malloc_trim(0);
  log::debug("returned the compaction's free memory",
             {{"seconds",
               std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()}});
#endif
}

// While a cut runs (minutes at 200,000 series and 30-minute blocks) the
// thread's loop cannot return free memory, and the scrape threads' arenas
// fill up with it as they do between rounds (run()). The cut returns it
// itself, as often as the loop would: once a compaction interval.
class ReturnFreeMemoryWhileCutting {
 public:
  explicit ReturnFreeMemoryWhileCutting(std::chrono::milliseconds interval)
      : interval_(interval), last_(std::chrono::steady_clock::now()) {}

  // Called once a series; looks at the clock once every few thousand.
  void series_done() {
    if (interval_.count() <= 0 || ++series_ % 4096 != 0) return;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_ < interval_) return;
    return_free_memory();
    last_ = std::chrono::steady_clock::now();
  }

 private:
  std::chrono::milliseconds interval_;
  std::chrono::steady_clock::time_point last_;
  uint64_t series_ = 0;
};

}  // namespace

Compactor::Compactor(const DiskStorageOptions& options, HeadStorage& head, WalWriter& wal,
                     BlockSet& blocks, int64_t head_min_time)
    : options_(options), head_(head), wal_(wal), blocks_(blocks), head_min_time_(head_min_time) {}

Compactor::~Compactor() {
  {
    std::lock_guard lock(thread_mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Compactor::start() {
  if (options_.compaction_interval.count() > 0) thread_ = std::thread([this] { run(); });
}

void Compactor::run() {
  const auto trim_every = std::clamp(options_.return_free_memory_interval,
                                     std::chrono::milliseconds(1), options_.compaction_interval);
  auto next_round = std::chrono::steady_clock::now() + options_.compaction_interval;
  std::unique_lock lock(thread_mutex_);
  while (!stopping_) {
    const auto wake_at = std::min(next_round, std::chrono::steady_clock::now() + trim_every);
    wake_.wait_until(lock, wake_at, [&] { return stopping_; });
    if (stopping_) break;
    if (std::chrono::steady_clock::now() < next_round) {
      // Between rounds: only the free memory (DiskStorageOptions).
      lock.unlock();
      return_free_memory();
      lock.lock();
      continue;
    }
    next_round = std::chrono::steady_clock::now() + options_.compaction_interval;
    lock.unlock();
    auto result = compact();
    if (!result) log::error("compaction failed", {{"err", result.error()}});
    // A round that did work returned free memory already. Between cuts the
    // scrape threads' arenas hold about as much free memory as they use
    // (malloc_stats in a 50x1,000 soak: 154.6 MB taken from the kernel,
    // 77.8 MB in use), and RssAnon climbed by hundreds of MiB from one cut to
    // the next in the 3-hour soak (bench/soak/README.md); returning it every
    // return_free_memory_interval keeps it near what is in use, for a few ms
    // to ~100 ms of one thread's time each.
    if (!result || *result == 0) return_free_memory();
    lock.lock();
  }
}

CompactorStats Compactor::stats() const {
  return CompactorStats{compactions_.load(), failures_.load(),
                        static_cast<double>(nanoseconds_.load()) / 1e9, blocks_written_.load()};
}

Result<bool> Compactor::cut_block(int64_t mint, int64_t maxt) {
  // Logged at the start too: a cut takes minutes at 200,000 series, and what
  // else slows down meanwhile is told by when it began.
  log::info("cutting a block from the head", {{"min_time", mint}, {"max_time", maxt}});
  const auto started = std::chrono::steady_clock::now();
  auto querier = head_.querier(mint, maxt);
  RawBlockCut cut(options_.dir / "blocks", options_.raw_tier_name(), mint, maxt,
                  options_.block_writer);
  std::vector<int64_t> timestamps;
  std::vector<double> values;
  ReturnFreeMemoryWhileCutting returner(
      std::min(options_.return_free_memory_interval, options_.compaction_interval));
  const Status read =
      for_each_named_series_in_order(*querier, kCutBatchSeries, [&](const Series& one) -> Status {
        timestamps.clear();
        values.clear();
        auto it = one.iterator();
        while (it->next()) {
          const Sample sample = it->at();
          if (sample.t_ms < mint || sample.t_ms > maxt) continue;
          timestamps.push_back(sample.t_ms);
          values.push_back(sample.v);
        }
        if (Status status = it->status(); !status) {
          return Status::error("cutting block: series " + one.labels().to_string() + ": " +
                               status.message());
        }
        returner.series_done();
        // Metadata travels with the series into the block (Series::metadata()).
        return cut.add_series(one.labels(), one.metadata(), timestamps, values);
      });
  if (!read) return read;
  auto dir = cut.finish();
  if (!dir) return dir.status();
  if (!*dir) return false;
  auto reader = block::BlockReader::open(**dir);
  if (!reader) return reader.status();
  log::info("cut a block from the head",
            {{"block", **dir},
             {"series", (*reader)->meta().series},
             {"samples", (*reader)->meta().samples},
             {"data_bytes", (*reader)->meta().data_bytes},
             {"index_bytes", (*reader)->meta().index_bytes},
             {"seconds",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()}});
  blocks_.add(std::move(*reader));
  ++blocks_written_;
  return true;
}

Status Compactor::truncate_head(int64_t min_time_ms) {
  head_.set_min_valid_time(min_time_ms);
  head_.truncate(min_time_ms);
  head_min_time_ = min_time_ms;
  auto checkpoint =
      wal_.checkpoint([this](SeriesRef ref) { return head_.contains(ref); }, min_time_ms);
  if (!checkpoint) return checkpoint.status();
  return Status::ok();
}

Result<size_t> Compactor::compact() {
  std::lock_guard lock(round_mutex_);
  const auto started = std::chrono::steady_clock::now();
  size_t work = 0;
  const int64_t duration = options_.block_duration_ms;
  for (;;) {
    const auto [head_min, head_max] = head_.time_range();
    if (head_min > head_max) break;
    const int64_t start = aligned_window_start(std::max(head_min, head_min_time_), duration);
    if (head_max - start < duration + duration / 2) break;
    auto cut = cut_block(start, start + duration - 1);
    if (!cut) {
      ++failures_;
      return cut.status();
    }
    if (Status status = truncate_head(start + duration); !status) {
      ++failures_;
      return status;
    }
    if (*cut) ++work;
  }
  // Complete windows of raw blocks become one block each before the tier
  // plan reads them: no raw block can be cut older than the head's start.
  const RawMergeOutcome merged = merge_raw_blocks(options_, blocks_, head_min_time_);
  failures_ += merged.failed;
  work += merged.done;
  const TierPlanOutcome planned = execute_tier_plan(options_, blocks_);
  failures_ += planned.failed;
  work += planned.done;
  if (work > 0) {
    return_free_memory();
    ++compactions_;
    nanoseconds_ += static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                              std::chrono::steady_clock::now() - started)
                                              .count());
  }
  return work;
}

Status Compactor::flush() {
  {
    std::lock_guard lock(round_mutex_);
    const int64_t duration = options_.block_duration_ms;
    for (;;) {
      const auto [head_min, head_max] = head_.time_range();
      if (head_min > head_max) break;
      const int64_t start = aligned_window_start(std::max(head_min, head_min_time_), duration);
      auto cut = cut_block(start, start + duration - 1);
      if (!cut) return cut.status();
      if (Status status = truncate_head(start + duration); !status) return status;
    }
  }
  auto compacted = compact();
  if (!compacted) return compacted.status();
  return Status::ok();
}

}  // namespace mc
