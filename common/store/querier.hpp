// Querier: a consistent read view of the store over a time range.
//
// Readers (PromQL, cutting blocks, tests) see committed samples only. The
// newest sample of each live series, all /metrics needs, is read through
// LatestSampleReader (common/store/latest_sample_reader.hpp) instead. A Querier
// and the iterators it hands out are used by one thread; open as many as needed.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/model/labels.hpp"
#include "common/model/metric_metadata.hpp"
#include "common/model/sample_value.hpp"
#include "common/store/matcher.hpp"

namespace mc {

// Iterates one series' samples in time order. Use:
//   while (it->next()) { auto s = it->at(); ... }
//   if (!it->status()) { ... }   // decode errors are read after the loop
class SampleIterator {
 public:
  virtual ~SampleIterator() = default;
  virtual bool next() = 0;
  // Advances to the first sample with t >= t_ms; false when there is none.
  virtual bool seek(int64_t t_ms) = 0;
  virtual Sample at() const = 0;
  virtual Status status() const = 0;
  // Appends the current sample and the ones after it up to `maxt_ms` to
  // `out`, and moves to the first sample after `maxt_ms`; false when there is
  // none (as next()). One call per window instead of two virtual calls per
  // sample: a week-long query reads millions. REQUIRES: positioned (the last
  // next() or seek() returned true).
  virtual bool read_until(int64_t maxt_ms, std::vector<Sample>& out) {
    do {
      const Sample sample = at();
      if (sample.t_ms > maxt_ms) return true;
      out.push_back(sample);
    } while (next());
    return false;
  }
  // No sample of this iterator is earlier than this (its block's start, its
  // querier's range), so that a merge of a week of blocks can leave a block
  // unread until the merged series reaches its time. INT64_MIN when unknown.
  virtual int64_t lower_bound_ms() const { return std::numeric_limits<int64_t>::min(); }
};

class Series {
 public:
  virtual ~Series() = default;
  virtual const Labels& labels() const = 0;
  // The series' family metadata (TYPE, HELP, UNIT), kept with the series by
  // the store: the newest the store has for it when the series was selected;
  // null when it never had any. Valid while the Series and its store live.
  virtual const MetricMetadata* metadata() const = 0;
  virtual std::unique_ptr<SampleIterator> iterator() const = 0;
};

class Querier {
 public:
  virtual ~Querier() = default;

  // Series matching every matcher with at least one sample in the querier's
  // range, sorted by labels.
  virtual std::vector<std::unique_ptr<Series>> select(const std::vector<Matcher>& matchers) = 0;
  virtual std::vector<std::string> label_names() = 0;
  virtual std::vector<std::string> label_values(std::string_view name) = 0;
  // The tiers of the store this querier reads ("raw", "5m", "1h"), finest
  // first, so that an answer can say which served; empty when the querier
  // reads one place and does not know it as a tier (the head alone).
  virtual std::vector<std::string> tiers() const { return {}; }
};

}  // namespace mc
