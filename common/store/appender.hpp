// Appender: how samples enter the store. Collectors never write any other way.
//
// One Appender serves one batch (one scrape, one SQL tick). Samples appended to
// it are invisible to readers until commit(), which makes the whole batch
// visible at once; rollback() drops it. Appender objects are not thread-safe:
// one thread uses one appender; many appenders may be open at once.
#pragma once

#include <memory>

#include <cstdint>

#include "common/model/labels.hpp"
#include "common/model/metric_metadata.hpp"
#include "common/model/shared_labels.hpp"
#include "common/util/status.hpp"

namespace mc {

// A store's handle for a series; 0 means "none". append() returns it so the
// caller can cache it and skip the label lookup next time.
using SeriesRef = uint64_t;

enum class AppendError {
  none,
  out_of_order,         // older than the newest sample of the series
  duplicate_timestamp,  // same timestamp as the newest sample, different value
  unknown_series,       // nonzero ref the store no longer knows, and empty labels
  out_of_bounds,        // older than what the store has already written to disk
};

struct AppendResult {
  SeriesRef ref = 0;  // valid even when the sample was rejected
  AppendError error = AppendError::none;
};

class Appender {
 public:
  virtual ~Appender() = default;

  // Appends one sample. With a nonzero `ref` from an earlier append the labels
  // may be empty and are not looked at; with ref 0 the series is found or
  // created by `labels` (which must hold __name__). A sample with the same
  // timestamp and the same value bits as the newest one is accepted silently
  // and not stored twice.
  virtual AppendResult append(SeriesRef ref, const Labels& labels, int64_t t_ms, double v) = 0;

  // As append(), but a series the store creates for `labels` shares them
  // instead of copying: a scrape loop keeps every series' labels in its cache
  // anyway, and a second copy per series is much of a head's memory.
  // REQUIRES: labels is not null.
  virtual AppendResult append_shared(SeriesRef ref, const SharedLabels& labels, int64_t t_ms,
                                     double v) {
    return append(ref, *labels, t_ms, v);
  }

  // Records the family metadata of the series `ref` (applied at commit).
  virtual void update_metadata(SeriesRef ref, const MetricMetadata& metadata) = 0;

  virtual Status commit() = 0;
  virtual void rollback() = 0;
};

}  // namespace mc
