// The change of a counter over the window of each step of a range query, as
// rate() and increase() of Prometheus 2.42 take it (extrapolatedRate): the
// last point minus the first, plus the value before each reset (a point
// below the one before it) whose two points are both in the window. Kept up
// to date as the window slides: each point is compared with the one before
// it once per query instead of once per step (a 1 h window at a 15 s step
// holds 240 points, each visited 240 times before), and the resets of the
// window (rare) are added in time order, so the result is the same double
// the step-by-step function computes.
//
// One per series; used by one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "common/model/sample_value.hpp"

namespace mc::query {

class SlidingCounterResets {
 public:
  // REQUIRES: `window` is not empty and holds every point of the series
  // between its first and last time; neither end moves back from call to
  // call (windows of later steps).
  double change(std::span<const Sample> window);

 private:
  struct Reset {
    int64_t t_ms;   // the point after the reset
    double before;  // the value of the point before it
  };

  std::vector<Reset> resets_;  // resets_[head_..]: those that may still be in a window
  size_t head_ = 0;
  int64_t compared_until_ms_ = std::numeric_limits<int64_t>::min();
};

}  // namespace mc::query
