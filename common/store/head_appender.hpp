// HeadAppender: the Appender of HeadStorage. Buffers a batch and applies it
// under the stripe locks at commit().
//
// append() checks order against the series' committed newest sample and
// against the samples pending in this batch, so it reports out-of-order and
// duplicate timestamps at once; commit() checks again, because another
// appender may have committed newer samples meanwhile (those rejections are
// counted in the storage stats only, and such samples are not passed to the
// head's commit subscribers). Nothing is allocated per sample once the
// batch buffers have grown to the batch size; an appender may be reused after
// commit() or rollback(), and a new appender starts with the buffers an
// earlier one grew (the head keeps a few: HeadSpareBuffers), so a scrape's
// batch does not grow them anew every scrape.
//
// Private to the head. Thread-safety: as Appender (one thread per appender).
#pragma once

#include <cstdint>
#include <vector>

#include "common/model/shared_labels.hpp"
#include "common/store/appender.hpp"
#include "common/store/commit_feed.hpp"
#include "common/store/commit_log.hpp"
#include "common/store/head_appender_buffers.hpp"
#include "common/store/head_series.hpp"

namespace mc {

class HeadStorage;

class HeadAppender final : public Appender {
 public:
  explicit HeadAppender(HeadStorage& head);
  ~HeadAppender() override;
  HeadAppender(const HeadAppender&) = delete;
  HeadAppender& operator=(const HeadAppender&) = delete;

  AppendResult append(SeriesRef ref, const Labels& labels, int64_t t_ms, double v) override;
  AppendResult append_shared(SeriesRef ref, const SharedLabels& labels, int64_t t_ms,
                             double v) override;
  void update_metadata(SeriesRef ref, const MetricMetadata& metadata) override;
  Status commit() override;
  void rollback() override;

 private:
  using Slot = HeadAppenderBuffers::Slot;
  using PendingSample = HeadAppenderBuffers::PendingSample;

  static constexpr uint32_t kNoSlot = UINT32_MAX;

  // The slot index of `ref` in this batch, or kNoSlot.
  uint32_t find_slot(SeriesRef ref) const;
  // Adds a slot for `series`, which the caller pinned under its stripe lock.
  uint32_t add_slot(HeadSeries* series);
  // Finds the series by ref, else finds or creates it by labels; pins it when
  // it is new to this batch and reads how (t, v) relates to its committed
  // newest sample. Returns kNoSlot for an unknown ref with empty labels. A
  // created series shares `shared` when given (it holds `labels`), else copies.
  uint32_t resolve(SeriesRef ref, const Labels& labels, const SharedLabels* shared, int64_t t_ms,
                   double v, SampleOrder* committed_order);
  AppendResult append_resolved(SeriesRef ref, const Labels& labels, const SharedLabels* shared,
                               int64_t t_ms, double v);
  // Applies (commit) or drops (rollback) the batch and unpins its series.
  // With `for_feed`, also keeps what became visible in the committed_* scratch.
  void finish(bool apply, bool for_feed = false);
  // The committed_* scratch's samples: the pending ones minus those overtaken.
  void collect_committed_samples();
  // Hands the batch to the head's commit log. REQUIRES: the head's
  // commit_log_mutex_ held.
  Status log_batch(CommitLog& log);

  HeadStorage& head_;
  // The batch and commit's scratch: a finished appender's, taken from the
  // head and handed back by the destructor (see HeadSpareBuffers).
  HeadAppenderBuffers buffers_;
  const MetricMetadata* last_metadata_ = nullptr;  // skips the interner lock for repeats
};

}  // namespace mc
