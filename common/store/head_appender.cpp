#include "common/store/head_appender.hpp"

#include <algorithm>
#include <limits>
#include <mutex>

#include "common/store/head_storage.hpp"

namespace mc {

namespace {

// How many samples ahead commit asks the CPU for a series' chunk.
constexpr uint32_t kPrefetchDistance = 8;

size_t slot_hash(SeriesRef ref) { return static_cast<size_t>((ref * 0x9e3779b97f4a7c15ULL) >> 32); }

// Groups `count` items by stripe (counting sort, stable): writes item indices
// to `grouped` and the start of each stripe's run to `offsets` (size stripes + 1).
template <typename StripeOf>
void group_by_stripe(size_t count, size_t stripe_count, StripeOf stripe_of,
                     std::vector<uint32_t>& offsets, std::vector<uint32_t>& cursors,
                     std::vector<uint32_t>& grouped) {
  offsets.assign(stripe_count + 1, 0);
  for (uint32_t i = 0; i < count; ++i) ++offsets[stripe_of(i) + 1];
  for (size_t s = 0; s < stripe_count; ++s) offsets[s + 1] += offsets[s];
  cursors.assign(offsets.begin(), offsets.end() - 1);
  grouped.resize(count);
  for (uint32_t i = 0; i < count; ++i) grouped[cursors[stripe_of(i)]++] = i;
}

}  // namespace

HeadAppender::HeadAppender(HeadStorage& head)
    : head_(head), buffers_(head.spare_append_buffers_.take()) {}

HeadAppender::~HeadAppender() {
  if (!buffers_.slots.empty()) finish(false);
  buffers_.committed_series.clear();  // a commit cut short by a throw may leave some
  head_.spare_append_buffers_.give_back(std::move(buffers_));
}

uint32_t HeadAppender::find_slot(SeriesRef ref) const {
  if (buffers_.slot_table.empty()) return kNoSlot;
  const size_t mask = buffers_.slot_table.size() - 1;
  for (size_t i = slot_hash(ref) & mask;; i = (i + 1) & mask) {
    const uint32_t entry = buffers_.slot_table[i];
    if (entry == 0) return kNoSlot;
    if (buffers_.slots[entry - 1].ref == ref) return entry - 1;
  }
}

uint32_t HeadAppender::add_slot(HeadSeries* series) {
  // Keep the table at most half full so probes stay short.
  if ((buffers_.slots.size() + 1) * 2 > buffers_.slot_table.size()) {
    buffers_.slot_table.assign(buffers_.slot_table.empty() ? 64 : buffers_.slot_table.size() * 2,
                               0);
    const size_t mask = buffers_.slot_table.size() - 1;
    for (uint32_t index = 0; index < buffers_.slots.size(); ++index) {
      size_t i = slot_hash(buffers_.slots[index].ref) & mask;
      while (buffers_.slot_table[i] != 0) i = (i + 1) & mask;
      buffers_.slot_table[i] = index + 1;
    }
  }
  const auto index = static_cast<uint32_t>(buffers_.slots.size());
  buffers_.slots.push_back(Slot{series->ref(), series, false, 0, 0, nullptr, nullptr});
  const size_t mask = buffers_.slot_table.size() - 1;
  size_t i = slot_hash(series->ref()) & mask;
  while (buffers_.slot_table[i] != 0) i = (i + 1) & mask;
  buffers_.slot_table[i] = index + 1;
  return index;
}

uint32_t HeadAppender::resolve(SeriesRef ref, const Labels& labels, const SharedLabels* shared,
                               int64_t t_ms, double v, SampleOrder* committed_order) {
  if (ref != 0) {
    const uint32_t existing = find_slot(ref);
    if (existing != kNoSlot) {
      auto& stripe = head_.stripe(head_.stripe_index_of_ref(ref));
      std::lock_guard lock(stripe.mutex);
      *committed_order = buffers_.slots[existing].series->order_of(t_ms, v);
      return existing;
    }
    auto& stripe = head_.stripe(head_.stripe_index_of_ref(ref));
    HeadSeries* series = nullptr;
    const void* chunk_hint = nullptr;
    {
      std::lock_guard lock(stripe.mutex);
      series = HeadStorage::find_by_ref(stripe, ref);
      if (series) {
        *committed_order = series->order_of(t_ms, v);
        series->pin();
        chunk_hint = series->open_chunk_address();
      }
    }
    if (series) {
      const uint32_t index = add_slot(series);
      buffers_.slots[index].chunk_hint = chunk_hint;
      return index;
    }
  }
  // No ref, or a ref truncate() has removed since the caller cached it.
  if (labels.empty()) return kNoSlot;
  const size_t stripe_index = head_.stripe_index_of_hash(labels.hash());
  auto& stripe = head_.stripe(stripe_index);
  HeadSeries* series = nullptr;
  uint32_t existing = kNoSlot;
  {
    std::lock_guard lock(stripe.mutex);
    series = head_.get_or_create(stripe, stripe_index, labels, shared);
    *committed_order = series->order_of(t_ms, v);
    existing = find_slot(series->ref());
    if (existing == kNoSlot) series->pin();
  }
  return existing != kNoSlot ? existing : add_slot(series);
}

AppendResult HeadAppender::append(SeriesRef ref, const Labels& labels, int64_t t_ms, double v) {
  return append_resolved(ref, labels, nullptr, t_ms, v);
}

AppendResult HeadAppender::append_shared(SeriesRef ref, const SharedLabels& labels, int64_t t_ms,
                                         double v) {
  return append_resolved(ref, *labels, &labels, t_ms, v);
}

AppendResult HeadAppender::append_resolved(SeriesRef ref, const Labels& labels,
                                           const SharedLabels* shared, int64_t t_ms, double v) {
  if (t_ms < head_.min_valid_time()) {
    head_.out_of_bounds_.fetch_add(1, std::memory_order_relaxed);
    return AppendResult{ref, AppendError::out_of_bounds};
  }
  SampleOrder committed = SampleOrder::newer;
  const uint32_t slot_index = resolve(ref, labels, shared, t_ms, v, &committed);
  if (slot_index == kNoSlot) {
    head_.unknown_series_.fetch_add(1, std::memory_order_relaxed);
    return AppendResult{0, AppendError::unknown_series};
  }
  Slot& slot = buffers_.slots[slot_index];
  SampleOrder order = committed;
  if (order == SampleOrder::newer && slot.has_pending_sample) {
    order = order_after(slot.last_t, slot.last_v, t_ms, v);
  }
  switch (order) {
    case SampleOrder::out_of_order:
      head_.out_of_order_.fetch_add(1, std::memory_order_relaxed);
      return AppendResult{slot.ref, AppendError::out_of_order};
    case SampleOrder::duplicate:
      head_.duplicate_timestamp_.fetch_add(1, std::memory_order_relaxed);
      return AppendResult{slot.ref, AppendError::duplicate_timestamp};
    case SampleOrder::same_sample:
      return AppendResult{slot.ref, AppendError::none};
    case SampleOrder::newer:
      break;
  }
  buffers_.pending.push_back(PendingSample{slot_index, t_ms, v});
  slot.has_pending_sample = true;
  slot.last_t = t_ms;
  slot.last_v = v;
  return AppendResult{slot.ref, AppendError::none};
}

void HeadAppender::update_metadata(SeriesRef ref, const MetricMetadata& metadata) {
  if (ref == 0) return;
  uint32_t slot_index = find_slot(ref);
  if (slot_index == kNoSlot) {
    auto& stripe = head_.stripe(head_.stripe_index_of_ref(ref));
    HeadSeries* series = nullptr;
    {
      std::lock_guard lock(stripe.mutex);
      series = HeadStorage::find_by_ref(stripe, ref);
      if (series) series->pin();
    }
    if (!series) return;  // removed meanwhile: nothing to attach the metadata to
    slot_index = add_slot(series);
  }
  if (last_metadata_ == nullptr || !(*last_metadata_ == metadata)) {
    last_metadata_ = head_.metadata_interner().intern(metadata);
  }
  buffers_.slots[slot_index].metadata = last_metadata_;
}

Status HeadAppender::commit() {
  CommitLog* log = head_.commit_log_;
  const bool followed = !buffers_.slots.empty() && head_.commits_.followed();
  uint64_t ticket = 0;
  if ((log != nullptr || followed) && !buffers_.slots.empty()) {
    // Applying the batch stays outside the log's lock: only the order of log
    // records matters (a series record before its samples), and commits of
    // different targets should not wait for each other's chunk appends
    // (unless someone follows the commits: see CommitFeed).
    std::lock_guard guard(head_.commit_log_mutex_);
    if (log != nullptr) {
      if (Status status = log_batch(*log); !status) {
        finish(false);
        return status;
      }
    }
    // Taken with the log record, so that subscribers get batches in log order.
    if (followed) ticket = head_.commits_.take_ticket();
  }
  if (!followed) {
    finish(true);
    return Status::ok();
  }
  head_.commits_.apply_and_deliver(ticket, [&] {
    finish(true, true);
    return CommittedBatch{0, buffers_.committed_series, buffers_.committed_metadata,
                          buffers_.committed_samples};
  });
  buffers_.committed_series.clear();  // lets truncate() free the labels of series it removes
  return Status::ok();
}

Status HeadAppender::log_batch(CommitLog& log) {
  buffers_.logged_series.clear();
  buffers_.newly_logged.clear();
  buffers_.logged_metadata.clear();
  buffers_.logged_samples.clear();
  group_by_stripe(
      buffers_.slots.size(), head_.stripes_.size(),
      [&](uint32_t i) { return head_.stripe_index_of_ref(buffers_.slots[i].ref); },
      buffers_.slot_offsets, buffers_.cursors, buffers_.grouped_slots);
  for (size_t s = 0; s + 1 < buffers_.slot_offsets.size(); ++s) {
    if (buffers_.slot_offsets[s] == buffers_.slot_offsets[s + 1]) continue;
    std::lock_guard lock(head_.stripe(s).mutex);
    for (uint32_t i = buffers_.slot_offsets[s]; i < buffers_.slot_offsets[s + 1]; ++i) {
      const Slot& slot = buffers_.slots[buffers_.grouped_slots[i]];
      HeadSeries* series = slot.series;
      if (!series->logged()) {
        series->set_logged(true);
        buffers_.newly_logged.push_back(series);
        buffers_.logged_series.push_back(LoggedSeries{series->ref(), &series->labels()});
      }
      if (slot.metadata != nullptr && slot.metadata != series->metadata()) {
        buffers_.logged_metadata.push_back(LoggedMetadata{series->ref(), slot.metadata});
      }
    }
  }
  buffers_.logged_samples.reserve(buffers_.pending.size());
  for (const PendingSample& sample : buffers_.pending) {
    buffers_.logged_samples.push_back(
        LoggedSample{buffers_.slots[sample.slot].ref, sample.t_ms, sample.v});
  }
  Status status = log.log_commit(
      CommitBatch{buffers_.logged_series, buffers_.logged_metadata, buffers_.logged_samples});
  if (!status) {
    // Not in the log after all: the next commit that touches them logs them.
    for (HeadSeries* series : buffers_.newly_logged) {
      std::lock_guard lock(head_.stripe(head_.stripe_index_of_ref(series->ref())).mutex);
      series->set_logged(false);
    }
  }
  return status;
}

void HeadAppender::rollback() { finish(false); }

void HeadAppender::collect_committed_samples() {
  buffers_.committed_samples.clear();
  buffers_.committed_samples.reserve(buffers_.pending.size());
  std::sort(buffers_.overtaken.begin(), buffers_.overtaken.end());
  size_t next_overtaken = 0;
  for (uint32_t i = 0; i < buffers_.pending.size(); ++i) {
    if (next_overtaken < buffers_.overtaken.size() && buffers_.overtaken[next_overtaken] == i) {
      ++next_overtaken;
      continue;
    }
    const PendingSample& sample = buffers_.pending[i];
    buffers_.committed_samples.push_back(
        LoggedSample{buffers_.slots[sample.slot].ref, sample.t_ms, sample.v});
  }
}

void HeadAppender::finish(bool apply, bool for_feed) {
  const size_t stripe_count = head_.stripes_.size();
  if (!apply) buffers_.pending.clear();
  if (for_feed) {
    buffers_.committed_series.clear();
    buffers_.committed_metadata.clear();
    buffers_.overtaken.clear();
  }
  // Grouping by stripe takes every stripe lock once per batch and keeps each
  // series' samples in append order (the sort is stable).
  group_by_stripe(
      buffers_.slots.size(), stripe_count,
      [&](uint32_t i) { return head_.stripe_index_of_ref(buffers_.slots[i].ref); },
      buffers_.slot_offsets, buffers_.cursors, buffers_.grouped_slots);
  group_by_stripe(
      buffers_.pending.size(), stripe_count,
      [&](uint32_t i) {
        return head_.stripe_index_of_ref(buffers_.slots[buffers_.pending[i].slot].ref);
      },
      buffers_.sample_offsets, buffers_.cursors, buffers_.grouped_samples);

  uint64_t appended = 0;
  int64_t committed_min = std::numeric_limits<int64_t>::max();
  int64_t committed_max = std::numeric_limits<int64_t>::min();
  uint64_t out_of_order = 0;
  uint64_t duplicate = 0;
  const HeadChunkLimits& limits = head_.limits();
  HeadChunkFile* chunk_file = head_.chunk_file();
  for (size_t s = 0; s < stripe_count; ++s) {
    if (buffers_.slot_offsets[s] == buffers_.slot_offsets[s + 1]) continue;  // samples imply slots
    auto& stripe = head_.stripe(s);
    std::lock_guard lock(stripe.mutex);
    const uint32_t end = buffers_.sample_offsets[s + 1];
    const auto total = static_cast<uint32_t>(buffers_.pending.size());
    auto slot_at = [&](uint32_t i) -> const Slot& {
      return buffers_.slots[buffers_.pending[buffers_.grouped_samples[i]].slot];
    };
    // Each series' chunk is a few cache misses away: ask for them ahead, in
    // stages. The first stage uses only addresses this batch holds, so it
    // runs on into the next stripes; the second reads the chunk, under its lock.
    for (uint32_t i = buffers_.sample_offsets[s]; i < end; ++i) {
      if (i + kPrefetchDistance < total) {
        const Slot& ahead = slot_at(i + kPrefetchDistance);
        __builtin_prefetch(ahead.series);
        __builtin_prefetch(ahead.chunk_hint);
      }
      if (i + kPrefetchDistance / 2 < end) {
        slot_at(i + kPrefetchDistance / 2).series->prefetch_open_chunk_bytes();
      }
      const PendingSample& sample = buffers_.pending[buffers_.grouped_samples[i]];
      HeadSeries* series = buffers_.slots[sample.slot].series;
      // Another appender may have committed newer samples since append().
      switch (series->order_of(sample.t_ms, sample.v)) {
        case SampleOrder::newer:
          series->append(sample.t_ms, sample.v, limits, chunk_file, &stripe.counts);
          ++appended;
          committed_min = std::min(committed_min, sample.t_ms);
          committed_max = std::max(committed_max, sample.t_ms);
          break;
        case SampleOrder::same_sample:
          if (for_feed) buffers_.overtaken.push_back(buffers_.grouped_samples[i]);
          break;
        case SampleOrder::out_of_order:
          ++out_of_order;
          if (for_feed) buffers_.overtaken.push_back(buffers_.grouped_samples[i]);
          break;
        case SampleOrder::duplicate:
          ++duplicate;
          if (for_feed) buffers_.overtaken.push_back(buffers_.grouped_samples[i]);
          break;
      }
    }
    for (uint32_t i = buffers_.slot_offsets[s]; i < buffers_.slot_offsets[s + 1]; ++i) {
      const Slot& slot = buffers_.slots[buffers_.grouped_slots[i]];
      if (for_feed) {
        // Shared, not borrowed: once unpinned, truncate() may drop the series.
        buffers_.committed_series.push_back(
            CommittedSeries{slot.ref, slot.series->shared_labels()});
        if (slot.metadata != nullptr && slot.metadata != slot.series->metadata()) {
          buffers_.committed_metadata.push_back(LoggedMetadata{slot.ref, slot.metadata});
        }
      }
      if (apply && slot.metadata != nullptr) slot.series->set_metadata(slot.metadata);
      slot.series->unpin();
    }
  }
  if (for_feed) collect_committed_samples();
  head_.note_committed(committed_min, committed_max);
  if (appended) head_.samples_appended_.fetch_add(appended, std::memory_order_relaxed);
  if (out_of_order) head_.out_of_order_.fetch_add(out_of_order, std::memory_order_relaxed);
  if (duplicate) head_.duplicate_timestamp_.fetch_add(duplicate, std::memory_order_relaxed);

  buffers_.slots.clear();
  std::fill(buffers_.slot_table.begin(), buffers_.slot_table.end(), 0);
  buffers_.pending.clear();
}

}  // namespace mc
