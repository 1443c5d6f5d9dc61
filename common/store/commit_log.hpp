// CommitLog: where the head records a batch before making it visible, so that a
// restart can replay what was committed. The disk store plugs its write-ahead
// log in here (common/store/wal); a head without one keeps nothing across
// restarts.
//
// The head calls log_commit() once per committed batch, with the series first
// seen in the batch (their labels are logged once, then referred to by ref),
// metadata changes and the samples, and only makes the batch visible when the
// call succeeds. Calls are serialised by the head: one at a time, in commit
// order, so a series record always precedes samples that refer to it.
//
// A head has at most one CommitLog. Consumers that only follow what was
// committed (remote write, a live stream) subscribe to the head's CommitFeed
// instead: any number, told after the batch is visible, unable to fail it.
#pragma once

#include <cstdint>
#include <span>

#include "common/model/labels.hpp"
#include "common/model/metric_metadata.hpp"
#include "common/store/appender.hpp"
#include "common/util/status.hpp"

namespace mc {

struct LoggedSeries {
  SeriesRef ref;
  const Labels* labels;
};

struct LoggedMetadata {
  SeriesRef ref;
  const MetricMetadata* metadata;
};

struct LoggedSample {
  SeriesRef ref;
  int64_t t_ms;
  double v;
};

struct CommitBatch {
  std::span<const LoggedSeries> series;
  std::span<const LoggedMetadata> metadata;
  std::span<const LoggedSample> samples;
};

class CommitLog {
 public:
  virtual ~CommitLog() = default;
  // An error fails the commit: the batch is rolled back, nothing becomes visible.
  virtual Status log_commit(const CommitBatch& batch) = 0;
};

}  // namespace mc
