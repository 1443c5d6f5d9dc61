// LatestSampleReader: the newest committed sample of every live series, which
// is all /metrics exposes. It is a read of its own, not part of Querier: only
// the head holds the newest sample of a live series, so blocks and downsampled
// tiers would have nothing to add, and a range query never needs it.
//
// Thread-safety: for_each_latest and for_each_latest_in_place may be called
// from any thread, by several at once; the visitor runs on the caller's
// thread, with no store lock held (for_each_latest) or under the lock of the
// few hundred series being visited (for_each_latest_in_place).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "common/model/labels.hpp"
#include "common/model/metric_metadata.hpp"
#include "common/model/sample_value.hpp"
#include "common/model/shared_labels.hpp"

namespace mc {

// The newest committed sample of a series.
struct LatestSample {
  const Labels& labels;            // valid during the visit only
  const MetricMetadata* metadata;  // null when the series never had metadata; lives as the store
  Sample sample;
  // Shares ownership of `labels`, so that a visitor may keep them past the
  // visit without copying.
  SharedLabels shared_labels = nullptr;
};

// The newest committed sample of a series, seen in place: nothing is copied,
// not even the shared ownership of the labels (copying a shared_ptr was two
// atomic operations and a cache miss on its control block per series, a
// fifth of a /metrics render at 200,000 series; a SharedLabels copy is one
// atomic operation on the labels' own block).
struct LatestSampleInPlace {
  const SharedLabels& labels;      // valid during the visit only; never null
  const MetricMetadata* metadata;  // as LatestSample::metadata
  Sample sample;
};

class LatestSampleReader {
 public:
  virtual ~LatestSampleReader() = default;

  // Calls `visit` with the newest sample of every series whose newest sample
  // lies in [mint_ms, maxt_ms], stale markers included (the caller decides).
  // Order is unspecified.
  virtual void for_each_latest(int64_t mint_ms, int64_t maxt_ms,
                               const std::function<void(const LatestSample&)>& visit) const = 0;

  // As for_each_latest, but `visit` runs while the store holds back appends
  // to the series being visited (a step of a few hundred), so it must be
  // quick and must not call into the store; it may copy `labels` to keep
  // them. A series may be visited twice (the head re-reads a part whose
  // layout changed during the read): the visitor drops repeats. The default
  // visits copies, through for_each_latest.
  virtual void for_each_latest_in_place(
      int64_t mint_ms, int64_t maxt_ms,
      const std::function<void(const LatestSampleInPlace&)>& visit) const {
    for_each_latest(mint_ms, maxt_ms, [&visit](const LatestSample& latest) {
      const SharedLabels labels =
          latest.shared_labels ? latest.shared_labels : SharedLabels(latest.labels);
      visit(LatestSampleInPlace{labels, latest.metadata, latest.sample});
    });
  }
};

}  // namespace mc
