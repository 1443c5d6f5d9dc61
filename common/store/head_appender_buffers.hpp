// HeadAppenderBuffers: what a HeadAppender holds for one batch (its slots,
// pending samples and the scratch of commit), apart from the appender, so
// the head can hand the grown buffers of a finished appender to the next one.
//
// A scrape takes a new appender (Storage::appender()) and appends a target's
// page to it; with fresh vectors every scrape the slots, the ref table and
// the scratch grew anew each time, a dozen mallocs and copies per scrape
// (HeadAppender::add_slot with its mallocs was 1.9% of the daemon's CPU at
// 50 targets x 1,000 series). HeadSpareBuffers keeps a few of them between
// appenders.
//
// Thread-safety: HeadAppenderBuffers none (one appender owns it);
// HeadSpareBuffers is safe from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <vector>

#include "common/store/appender.hpp"
#include "common/store/commit_feed.hpp"
#include "common/store/commit_log.hpp"

namespace mc {

class HeadSeries;
struct MetricMetadata;

struct HeadAppenderBuffers {
  // What a batch holds for one series. The series is pinned (see
  // HeadSeries::pin) while a slot refers to it, so the pointer stays valid.
  struct Slot {
    SeriesRef ref = 0;  // 0: free
    HeadSeries* series = nullptr;
    bool has_pending_sample = false;
    int64_t last_t = 0;
    double last_v = 0;
    const MetricMetadata* metadata = nullptr;  // interned; null: unchanged
    // Where the end of the series' open chunk was at append(); commit
    // prefetches it (see HeadSeries::open_chunk_address).
    const void* chunk_hint = nullptr;
  };
  struct PendingSample {
    uint32_t slot;
    int64_t t_ms;
    double v;
  };

  std::vector<Slot> slots;           // one per series in the batch; indices are stable
  std::vector<uint32_t> slot_table;  // open addressing ref -> slot index + 1; 0 is empty
  std::vector<PendingSample> pending;
  // Scratch for finish(): pending samples and slots grouped by stripe.
  std::vector<uint32_t> grouped_samples;
  std::vector<uint32_t> grouped_slots;
  std::vector<uint32_t> sample_offsets;
  std::vector<uint32_t> slot_offsets;
  std::vector<uint32_t> cursors;
  // Scratch for log_batch().
  std::vector<LoggedSeries> logged_series;
  std::vector<HeadSeries*> newly_logged;
  std::vector<LoggedMetadata> logged_metadata;
  std::vector<LoggedSample> logged_samples;
  // Scratch for the head's commit subscribers (see CommitFeed).
  std::vector<CommittedSeries> committed_series;
  std::vector<LoggedMetadata> committed_metadata;
  std::vector<LoggedSample> committed_samples;
  std::vector<uint32_t> overtaken;  // pending indices not applied at commit
};

// The buffers of finished appenders, newest first, for the next appenders.
class HeadSpareBuffers {
 public:
  // More than the appenders a daemon has open at once (one per scrape worker
  // and SQL collector): each spare is as large as the largest batch it served.
  static constexpr size_t kMaxSpares = 16;

  // Spare buffers, or empty ones when none are left.
  HeadAppenderBuffers take() {
    std::lock_guard lock(mutex_);
    if (spares_.empty()) return {};
    HeadAppenderBuffers buffers = std::move(spares_.back());
    spares_.pop_back();
    return buffers;
  }
  // REQUIRES: they hold no batch (no slots, no pending samples, no committed
  // series) and an all-zero slot_table: what a finished appender leaves.
  void give_back(HeadAppenderBuffers&& buffers) {
    std::lock_guard lock(mutex_);
    if (spares_.size() < kMaxSpares) spares_.push_back(std::move(buffers));
  }

  size_t size() const {
    std::lock_guard lock(mutex_);
    return spares_.size();
  }

 private:
  mutable std::mutex mutex_;
  std::vector<HeadAppenderBuffers> spares_;
};

}  // namespace mc
