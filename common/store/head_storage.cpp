#include "common/store/head_storage.hpp"

#include <algorithm>
#include <bit>
#include <limits>

#include "common/store/chunkenc/chunk.hpp"
#include "common/store/head_appender.hpp"
#include "common/store/head_querier.hpp"
#include "common/util/atomic_bounds.hpp"
#include "common/util/logger.hpp"

namespace mc {

HeadStorage::HeadStorage(HeadOptions options) {
  limits_ = HeadChunkLimits::make(
      std::clamp(options.chunk_max_samples, 1, chunkenc::Chunk::kMaxSamples),
      std::max<int64_t>(options.chunk_max_duration_ms, 1), options.stagger_chunk_seals);
  const size_t stripe_count = std::bit_ceil(std::max<size_t>(options.stripe_count, 1));
  stripe_mask_ = stripe_count - 1;
  stripe_bits_ = std::countr_zero(stripe_count);
  stripes_.reserve(stripe_count);
  for (size_t i = 0; i < stripe_count; ++i) {
    stripes_.push_back(std::make_unique<Stripe>());
    stripes_.back()->by_ref = SeriesRefMap(stripe_bits_);
  }
  auto file =
      HeadChunkFile::open(HeadChunkFileOptions{options.chunk_dir, options.chunk_segment_bytes});
  if (file) {
    chunk_file_ = std::move(*file);
  } else {
    chunk_file_status_ = file.status();
    log::error("head chunks stay on the heap: the chunk file did not open",
               {{"err", chunk_file_status_.message()}});
  }
}

HeadStorage::~HeadStorage() = default;

std::unique_ptr<Appender> HeadStorage::appender() { return std::make_unique<HeadAppender>(*this); }

std::unique_ptr<Querier> HeadStorage::querier(int64_t mint_ms, int64_t maxt_ms) {
  return std::make_unique<HeadQuerier>(*this, mint_ms, maxt_ms);
}

HeadSeries* HeadStorage::find_by_ref(Stripe& stripe, SeriesRef ref) {
  return stripe.by_ref.find(ref);
}

HeadSeries* HeadStorage::get_or_create(Stripe& stripe, size_t stripe_index, const Labels& labels,
                                       const SharedLabels* shared) {
  if (HeadSeries* found = stripe.by_hash.find(labels)) return found;
  // The ref's low bits name the stripe, so a ref alone finds its lock.
  const SeriesRef ref =
      (stripe.next_series_id++ << stripe_bits_) | static_cast<SeriesRef>(stripe_index);
  auto series = series_pool_.create(ref, shared != nullptr ? *shared : SharedLabels(labels));
  HeadSeries* raw = series.get();
  stripe.by_ref.insert(ref, raw);
  stripe.by_hash.insert(std::move(series));
  return raw;
}

SeriesRef HeadStorage::restore_series(SeriesRef ref, const Labels& labels) {
  const size_t stripe_index = stripe_index_of_hash(labels.hash());
  Stripe& stripe = *stripes_[stripe_index];
  std::lock_guard lock(stripe.mutex);
  if (const HeadSeries* found = stripe.by_hash.find(labels)) return found->ref();
  if (ref == 0 || stripe_index_of_ref(ref) != stripe_index || stripe.by_ref.find(ref) != nullptr) {
    HeadSeries* created = get_or_create(stripe, stripe_index, labels);
    created->set_logged(true);
    return created->ref();
  }
  stripe.next_series_id = std::max(stripe.next_series_id, (ref >> stripe_bits_) + 1);
  auto series = series_pool_.create(ref, SharedLabels(labels));
  series->set_logged(true);
  stripe.by_ref.insert(ref, series.get());
  stripe.by_hash.insert(std::move(series));
  return ref;
}

void HeadStorage::restore_metadata(SeriesRef ref, const MetricMetadata& metadata) {
  const MetricMetadata* interned = metadata_.intern(metadata);
  Stripe& stripe = *stripes_[stripe_index_of_ref(ref)];
  std::lock_guard lock(stripe.mutex);
  if (HeadSeries* series = find_by_ref(stripe, ref)) series->set_metadata(interned);
}

bool HeadStorage::restore_sample(SeriesRef ref, int64_t t_ms, double v) {
  Stripe& stripe = *stripes_[stripe_index_of_ref(ref)];
  std::lock_guard lock(stripe.mutex);
  HeadSeries* series = find_by_ref(stripe, ref);
  if (series == nullptr || series->order_of(t_ms, v) != SampleOrder::newer) return false;
  series->append(t_ms, v, limits_, chunk_file_.get(), &stripe.counts);
  note_committed(t_ms, t_ms);
  return true;
}

bool HeadStorage::contains(SeriesRef ref) const {
  Stripe& stripe = *stripes_[stripe_index_of_ref(ref)];
  std::lock_guard lock(stripe.mutex);
  return find_by_ref(stripe, ref) != nullptr;
}

std::pair<int64_t, int64_t> HeadStorage::time_range() const {
  return {min_time_.load(std::memory_order_acquire), max_time_.load(std::memory_order_acquire)};
}

void HeadStorage::note_committed(int64_t min_t, int64_t max_t) {
  if (min_t > max_t) return;
  lower_atomic_to(min_since_truncate_start_, min_t);
  lower_atomic_to(min_time_, min_t);
  raise_atomic_to(max_time_, max_t);
}

size_t HeadStorage::truncate(int64_t min_time_ms) {
  size_t removed = 0;
  int64_t kept_min = std::numeric_limits<int64_t>::max();
  int64_t kept_max = std::numeric_limits<int64_t>::min();
  min_since_truncate_start_.store(std::numeric_limits<int64_t>::max(), std::memory_order_release);
  // Whether the series stays; if so its old chunks go (pinned ones drop old
  // chunks too: their segments are deleted below). REQUIRES: its stripe's lock.
  const auto keep = [&](HeadSeries& series, Stripe& stripe) {
    if (!series.pinned() && !(series.has_samples() && series.newest().t_ms >= min_time_ms)) {
      return false;
    }
    series.drop_chunks_before(min_time_ms, chunk_file_.get(), &stripe.counts);
    if (series.has_samples()) {
      kept_min = std::min(kept_min, series.min_time());
      kept_max = std::max(kept_max, series.newest().t_ms);
    }
    return true;
  };
  std::vector<HeadSeries*> gone_series;
  for (auto& stripe : stripes_) {
    // Dropping a series' chunks reads its kept chunks' records (a CRC each,
    // page faults on a cold mapping): at 200,000 series a stripe held in one
    // go kept scrapes' appends waiting for a quarter of a second at the end of
    // each block cut. The stripe is walked kTruncateStep map slots a hold; a
    // map that moved entries meanwhile is walked again (dropping is
    // idempotent), and the series found gone are removed in the last hold,
    // asked again there since a commit between holds may have kept them.
    gone_series.clear();
    size_t slot = 0;
    uint64_t layout_version = 0;
    int restarts = 0;
    for (bool done = false; !done;) {
      std::lock_guard lock(stripe->mutex);
      SeriesRefMap& map = stripe->by_ref;
      if (slot == 0) {
        layout_version = map.layout_version();
      } else if (map.layout_version() != layout_version) {
        ++restarts;
        slot = 0;
        layout_version = map.layout_version();
        gone_series.clear();
      }
      const size_t end = restarts >= kMaxReadRestarts
                             ? map.slot_count()
                             : std::min(map.slot_count(), slot + kTruncateStep);
      for (; slot < end; ++slot) {
        HeadSeries* series = map.at_slot(slot);
        if (series != nullptr && !keep(*series, *stripe)) gone_series.push_back(series);
      }
      done = slot >= map.slot_count();
      if (!done) continue;
      // Removal moves entries of the maps: after the walk, in this hold.
      for (HeadSeries* series : gone_series) {
        if (keep(*series, *stripe)) continue;
        const HeadCounts gone = series->counts();
        stripe->counts.series -= gone.series;
        stripe->counts.chunks -= gone.chunks;
        stripe->counts.chunk_bytes -= gone.chunk_bytes;
        stripe->counts.samples -= gone.samples;
        stripe->by_ref.erase(series->ref());
        stripe->by_hash.erase(series);
        ++removed;
      }
    }
  }
  // Commits during the walk went into stripes walked or not yet walked: their
  // times are in min_since_truncate_start_ or in kept_min, or both.
  min_time_.store(std::min(kept_min, min_since_truncate_start_.load(std::memory_order_acquire)),
                  std::memory_order_release);
  if (kept_max == std::numeric_limits<int64_t>::min() &&
      min_time_.load(std::memory_order_acquire) == std::numeric_limits<int64_t>::max()) {
    max_time_.store(kept_max, std::memory_order_release);  // empty again
  }
  // No series refers to a chunk ending before min_time_ms any more.
  if (chunk_file_) chunk_file_->truncate(min_time_ms);
  return removed;
}

StorageStats HeadStorage::stats() const {
  // /metrics asks for these on every request: counters kept per stripe as
  // series change, read under each stripe's lock (a walk of every series cost
  // an eighth of a 200,000-series render).
  StorageStats stats;
  for (const auto& stripe : stripes_) {
    std::lock_guard lock(stripe->mutex);
    stats.series += static_cast<uint64_t>(stripe->counts.series);
    stats.chunks += static_cast<uint64_t>(stripe->counts.chunks);
    stats.chunk_bytes += static_cast<uint64_t>(stripe->counts.chunk_bytes);
    stats.samples += static_cast<uint64_t>(stripe->counts.samples);
  }
  stats.samples_appended = samples_appended_.load(std::memory_order_relaxed);
  stats.out_of_order = out_of_order_.load(std::memory_order_relaxed);
  stats.duplicate_timestamp = duplicate_timestamp_.load(std::memory_order_relaxed);
  stats.unknown_series = unknown_series_.load(std::memory_order_relaxed);
  return stats;
}

HeadChunkFileStats HeadStorage::chunk_file_stats() const {
  return chunk_file_ ? chunk_file_->stats() : HeadChunkFileStats{};
}

size_t HeadStorage::memory_bytes() const {
  size_t bytes = sizeof(*this) + stripes_.size() * sizeof(Stripe);
  for (const auto& stripe : stripes_) {
    std::lock_guard lock(stripe->mutex);
    bytes += stripe->by_hash.memory_bytes() + stripe->by_ref.memory_bytes();
    stripe->by_hash.for_each([&](const HeadSeries& series) { bytes += series.memory_bytes(); });
  }
  return bytes;
}

}  // namespace mc
