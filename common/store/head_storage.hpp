// HeadStorage: the in-memory head of the store. Series live in lock-striped
// maps; each keeps its newest sample and an open Gorilla-encoded chunk
// (common/store/chunkenc) on the heap, and its sealed chunks in a
// HeadChunkFile (memory-mapped segments: files under the options' chunk_dir,
// or anonymous memory files without one), so the heap grows with the series,
// not with the time they span. A later WAL and on-disk blocks sit behind the
// same Storage interface.
//
// Series identity: a series is created by its first append (as in Prometheus)
// but stays invisible to queries until it has a committed sample. Its
// SeriesRef never changes and is never reused; the low bits name the stripe
// that holds it, so a ref lookup takes one lock and one hash probe.
//
// Visibility guarantees of commit(): readers see committed samples only. The
// samples of one series in one batch become visible together (applied under
// one hold of the series' stripe lock), in time order. Across series a reader
// may see part of a batch: commit applies it stripe by stripe.
//
// Stale refs: truncate() removes series without recent samples. An append
// with a ref that is no longer (or never was) known falls back to its labels
// and returns the new ref; with empty labels it is rejected with
// AppendError::unknown_series and ref 0. A series with uncommitted samples in
// any appender is never removed.
//
// Followers: every commit that becomes visible is handed to the subscribers of
// commits() (see CommitFeed), after the commit log and in its order.
//
// Thread-safety: every method may be called from any thread. Appenders and
// queriers must not outlive the HeadStorage.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "common/model/shared_labels.hpp"
#include "common/store/commit_feed.hpp"
#include "common/store/commit_log.hpp"
#include "common/store/head_appender_buffers.hpp"
#include "common/store/head_latest_reader.hpp"
#include "common/store/head_series.hpp"
#include "common/store/head_series_table.hpp"
#include "common/store/metadata_interner.hpp"
#include "common/store/series_ref_map.hpp"
#include "common/store/storage.hpp"

namespace mc {

struct HeadOptions {
  // A chunk is sealed after this many samples (Prometheus: 120, where Gorilla
  // compression has flattened out and a chunk still decodes quickly).
  int chunk_max_samples = 120;
  // No chunk spans more than this; boundaries are multiples of it (the block
  // length of the disk store to come).
  int64_t chunk_max_duration_ms = int64_t{2} * 60 * 60 * 1000;
  // Series seal chunks out of step (HeadChunkLimits::staggered); off, every
  // chunk but a window's last holds chunk_max_samples (tests that pin chunk
  // boundaries).
  bool stagger_chunk_seals = true;
  // Lock stripes; rounded up to a power of two.
  size_t stripe_count = 16;
  // Where sealed chunks go (see HeadChunkFile): segment files in this
  // directory, which the head empties first, or anonymous memory files when
  // empty. Either way they leave the heap; should the directory not open
  // (chunk_file_status()), sealed chunks stay on the heap.
  std::filesystem::path chunk_dir;
  size_t chunk_segment_bytes = size_t{128} << 20;
};

class HeadStorage final : public Storage {
 public:
  explicit HeadStorage(HeadOptions options = {});
  ~HeadStorage() override;
  HeadStorage(const HeadStorage&) = delete;
  HeadStorage& operator=(const HeadStorage&) = delete;

  std::unique_ptr<Appender> appender() override;
  using Storage::querier;  // the head has no tiers: hints change nothing
  std::unique_ptr<Querier> querier(int64_t mint_ms, int64_t maxt_ms) override;
  const LatestSampleReader& latest_samples() const override { return latest_reader_; }
  StorageStats stats() const override;

  // Drops sealed chunks whose newest sample is older than `min_time_ms` (and
  // the chunk segments that held only such chunks), and series whose newest
  // sample is older (or that never got one), unless an appender holds
  // uncommitted samples for them. Returns the series removed.
  size_t truncate(int64_t min_time_ms);

  // Whether the chunk file opened; when not, sealed chunks stay on the heap.
  const Status& chunk_file_status() const { return chunk_file_status_; }
  // Segments, bytes and errors of the chunk file (zeros when it did not open).
  HeadChunkFileStats chunk_file_stats() const;

  uint64_t out_of_bounds() const { return out_of_bounds_.load(std::memory_order_relaxed); }

  // An estimate of the heap memory the head holds (series, labels, chunks,
  // maps), for benchmarks and self-monitoring.
  size_t memory_bytes() const;

  // Records every later commit in `log` before it becomes visible (null: none).
  // Set before the first appender is taken; `log` must outlive the head's use.
  // Consumers that follow commits after they are visible subscribe to commits().
  void set_commit_log(CommitLog* log) { commit_log_ = log; }

  CommitFeed& commits() override { return commits_; }

  // Restoring committed state from a log, before appenders are in use.
  //
  // Creates the series of `labels` under `ref` and returns the ref it now has:
  // `ref` itself, or another when the labels already have a series (a series
  // dropped and created again is logged twice) or when `ref` does not name the
  // stripe its labels hash to (a different stripe count). The caller maps later
  // samples of `ref` to the returned one. Restored series count as logged.
  SeriesRef restore_series(SeriesRef ref, const Labels& labels);
  void restore_metadata(SeriesRef ref, const MetricMetadata& metadata);
  // Appends a committed sample; false when `ref` is unknown or the sample is not
  // newer than the series' newest (a sample logged twice).
  bool restore_sample(SeriesRef ref, int64_t t_ms, double v);

  // Appends older than this are rejected with AppendError::out_of_bounds: the
  // disk store has cut blocks up to here, and a block never changes.
  void set_min_valid_time(int64_t t_ms) { min_valid_time_.store(t_ms, std::memory_order_release); }
  int64_t min_valid_time() const { return min_valid_time_.load(std::memory_order_acquire); }
  // Whether the head still holds the series (for the WAL checkpoint).
  bool contains(SeriesRef ref) const;

  // The time range of the committed samples held; {INT64_MAX, INT64_MIN} when
  // empty. Kept as samples are committed, so it costs two loads (the compactor
  // asks every minute, and a walk of 200,000 series cost 0.1 s each time).
  std::pair<int64_t, int64_t> time_range() const;

 private:
  friend class HeadAppender;
  friend class HeadQuerier;
  friend class HeadLatestReader;

  struct alignas(64) Stripe {
    mutable std::mutex mutex;
    // Owns the stripe's series, found by labels.
    HeadSeriesTable by_hash;
    SeriesRefMap by_ref;
    // Series of a stripe are numbered consecutively (see SeriesRefMap); the
    // ref is this number above the stripe bits, so refs are never reused.
    uint64_t next_series_id = 1;
    HeadCounts counts;  // of the stripe's series, for stats()
  };

  static constexpr size_t kReadStep = 256;
  // truncate()'s step: each series reads its kept chunks' records.
  static constexpr size_t kTruncateStep = 64;
  static constexpr int kMaxReadRestarts = 3;
  static constexpr size_t kReadPrefetchSlots = 8;

  size_t stripe_index_of_ref(SeriesRef ref) const { return ref & stripe_mask_; }
  size_t stripe_index_of_hash(uint64_t hash) const { return hash & stripe_mask_; }
  Stripe& stripe(size_t index) const { return *stripes_[index]; }

  // Reads every series for a reader of the whole head (/metrics) while
  // holding each stripe's lock for at most kReadStep map slots at a time, so
  // an appender waits microseconds, not a whole walk, behind it. Stripes are
  // read a step each in turn: a lock released is not taken again at once, so
  // waiting appenders get it (std::mutex lets the releasing thread barge).
  //
  // `start(s)` is called before stripe s is read from its first slot, then
  // `visit(s, series)` (lock held: copy what is needed, nothing more) per
  // series. When a stripe's
  // map moves entries between two steps (it grew, or truncate removed a
  // series), the stripe starts over with start(s): the caller discards what
  // it got from that stripe. After kMaxReadRestarts a stripe is read in one hold.
  template <typename Start, typename Visit>
  void read_series_in_steps(Start&& start, Visit&& visit) const;

  // REQUIRES: the stripe's mutex held.
  static HeadSeries* find_by_ref(Stripe& stripe, SeriesRef ref);
  // Finds or creates the series of `labels`; a created series shares `shared`
  // when given (it must hold `labels`), else holds a copy. REQUIRES: the mutex
  // of stripe_index_of_hash(labels.hash()) held.
  HeadSeries* get_or_create(Stripe& stripe, size_t stripe_index, const Labels& labels,
                            const SharedLabels* shared = nullptr);

  const HeadChunkLimits& limits() const { return limits_; }
  HeadChunkFile* chunk_file() const { return chunk_file_.get(); }
  MetadataInterner& metadata_interner() { return metadata_; }

  HeadChunkLimits limits_;
  size_t stripe_mask_;
  int stripe_bits_;
  // Declared before the series: they may hold a chunk file's heap fallback.
  std::unique_ptr<HeadChunkFile> chunk_file_;
  Status chunk_file_status_;
  HeadSeriesPool series_pool_;  // declared before stripes_: outlives the series it holds
  std::vector<std::unique_ptr<Stripe>> stripes_;
  MetadataInterner metadata_;
  HeadLatestReader latest_reader_{*this};

  HeadSpareBuffers spare_append_buffers_;  // of finished appenders, for the next ones

  CommitLog* commit_log_ = nullptr;
  // Serialises log_commit calls (see CommitLog), the marking of series as
  // logged, and the taking of commit feed tickets (so the feed follows the log).
  std::mutex commit_log_mutex_;
  CommitFeed commits_;

  std::atomic<uint64_t> samples_appended_{0};
  std::atomic<uint64_t> out_of_order_{0};
  std::atomic<uint64_t> duplicate_timestamp_{0};
  std::atomic<uint64_t> unknown_series_{0};
  std::atomic<uint64_t> out_of_bounds_{0};
  std::atomic<int64_t> min_valid_time_{std::numeric_limits<int64_t>::min()};
  // time_range(): lowered and raised by commits; truncate() raises min_time_
  // to what its walk finds. A commit during that walk also lowers
  // min_since_truncate_start_, so truncate() cannot overwrite its sample's time.
  std::atomic<int64_t> min_time_{std::numeric_limits<int64_t>::max()};
  std::atomic<int64_t> max_time_{std::numeric_limits<int64_t>::min()};
  std::atomic<int64_t> min_since_truncate_start_{std::numeric_limits<int64_t>::max()};
  void note_committed(int64_t min_t, int64_t max_t);
};

template <typename Start, typename Visit>
void HeadStorage::read_series_in_steps(Start&& start, Visit&& visit) const {
  struct Progress {
    size_t slot = 0;
    uint64_t layout_version = 0;
    int restarts = 0;
    bool done = false;
  };
  std::vector<Progress> progress(stripes_.size());
  for (size_t s = 0; s < stripes_.size(); ++s) start(s);
  for (size_t remaining = stripes_.size(); remaining > 0;) {
    for (size_t s = 0; s < stripes_.size(); ++s) {
      Progress& at = progress[s];
      if (at.done) continue;
      {
        const Stripe& stripe = *stripes_[s];
        std::lock_guard lock(stripe.mutex);
        const SeriesRefMap& map = stripe.by_ref;
        if (at.slot == 0) {
          at.layout_version = map.layout_version();
        } else if (map.layout_version() != at.layout_version) {
          ++at.restarts;
          at.slot = 0;
          at.layout_version = map.layout_version();
          start(s);
        }
        const size_t end = at.restarts >= kMaxReadRestarts
                               ? map.slot_count()
                               : std::min(map.slot_count(), at.slot + kReadStep);
        for (; at.slot < end; ++at.slot) {
          // A series is a cache miss or two away (200,000 of them outgrow
          // every cache); ask for the ones a few slots on while visiting this.
          if (at.slot + kReadPrefetchSlots < end) {
            if (const HeadSeries* ahead = map.at_slot(at.slot + kReadPrefetchSlots)) {
              __builtin_prefetch(ahead);
              __builtin_prefetch(reinterpret_cast<const char*>(ahead) + 64);
            }
          }
          if (const HeadSeries* series = map.at_slot(at.slot)) visit(s, *series);
        }
        at.done = at.slot >= map.slot_count();
      }
      if (at.done) --remaining;
    }
  }
}

}  // namespace mc
