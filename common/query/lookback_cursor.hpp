// What an instant vector selector reads of one series at each step: the
// newest sample in [reference time - lookback, reference time], both ends
// included as in Prometheus 2.42. The caller drops a staleness marker found
// there (the series has ended), without looking further back.
//
// Walks the series once for all steps of an evaluation, seeking over gaps.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "common/store/querier.hpp"

namespace mc::query {

class LookbackCursor {
 public:
  explicit LookbackCursor(std::unique_ptr<SampleIterator> samples) : samples_(std::move(samples)) {}

  // REQUIRES: floor_ms and at_ms never decrease from one call to the next.
  std::optional<Sample> newest(int64_t floor_ms, int64_t at_ms);
  Status status() const { return samples_->status(); }

 private:
  std::unique_ptr<SampleIterator> samples_;
  enum class State { NotStarted, Ahead, Exhausted } state_ = State::NotStarted;
  Sample ahead_;                  // the source's first sample not yet read
  std::optional<Sample> newest_;  // the newest consumed sample
  std::vector<Sample> read_;      // samples read ahead, reused; read_[next_..] not yet consumed
  size_t next_ = 0;
  bool started_ = false;
  int64_t last_at_ms_ = 0;  // the previous call's at_ms: the step
};

}  // namespace mc::query
