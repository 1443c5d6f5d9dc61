// LatestSampleReader: the newest committed sample of every live series, which
// is all /metrics exposes. It is a read of its own, not part of Querier: only
// the head holds the newest sample of a live series, so blocks and downsampled
// tiers would have nothing to add, and a range query never needs it.
//
// Thread-safety: for_each_latest may be called from any thread, by several at
// once; the visitor runs on the caller's thread with no store lock held.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "common/model/labels.hpp"
#include "common/model/metric_metadata.hpp"
#include "common/model/sample_value.hpp"

namespace mc {

// The newest committed sample of a series.
struct LatestSample {
  const Labels& labels;            // valid during the visit only
  const MetricMetadata* metadata;  // null when the series never had metadata; lives as the store
  Sample sample;
  // Shares ownership of `labels`, so that a visitor may keep them past the
  // visit without copying.
  std::shared_ptr<const Labels> shared_labels = nullptr;
};

class LatestSampleReader {
 public:
  virtual ~LatestSampleReader() = default;

  // Calls `visit` with the newest sample of every series whose newest sample
  // lies in [mint_ms, maxt_ms], stale markers included (the caller decides).
  // Order is unspecified.
  virtual void for_each_latest(int64_t mint_ms, int64_t maxt_ms,
                               const std::function<void(const LatestSample&)>& visit) const = 0;
};

}  // namespace mc
