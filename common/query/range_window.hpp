// The points of one series in a range selector's window at each step:
// [maxt - range, maxt], both ends included as in Prometheus 2.42 (3.0 leaves
// the left end out), staleness markers left out. Windows of consecutive
// steps overlap; the points they share are kept rather than read again, and
// gaps between windows are sought over.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "common/store/querier.hpp"

namespace mc::query {

class RangeWindow {
 public:
  explicit RangeWindow(std::unique_ptr<SampleIterator> samples) : samples_(std::move(samples)) {}

  // REQUIRES: mint_ms and maxt_ms never decrease from one call to the next.
  std::span<const Sample> advance(int64_t mint_ms, int64_t maxt_ms);
  Status status() const { return samples_->status(); }

 private:
  void drop_before(int64_t mint_ms);

  std::unique_ptr<SampleIterator> samples_;
  enum class State { NotStarted, Ahead, Exhausted } state_ = State::NotStarted;
  Sample ahead_;  // the first sample not yet in the window
  std::vector<Sample> points_;
  size_t first_ = 0;  // points_[first_..] are the window
};

}  // namespace mc::query
