// The least-squares line of deriv and predict_linear (Prometheus 2.42's
// linearRegression) at each step of a range query, kept up to date as the
// window slides instead of regressed over every point of every window: a
// 24 h predict_linear(v[1h]) at an 86 s step visited each point ~40 times.
//
// The sums (n, Σx, Σx², Σy, Σxy) follow the window: x is milliseconds from
// an anchor that moves to the window's first point at each step (shifted
// algebraically), so x stays within the window's span. n, Σx and Σx² are
// exact integers; Σy and Σxy are double-double sums (~106 bits) of exact
// products, so the points that left the window leave only that rounding
// behind, and the slope's cancellation (nΣxy - ΣxΣy) happens at ~106 bits.
// The result is not the step-by-step function's double to the bit: it is
// within 1e-12 of it or, where 2.42's Kahan sums in double lose more (a
// slope small against the values: up to ~2e-8 relative, measured against
// exact sums), nearer the exact line than it
// (tests/unit/query/engine_range_steps_test.cpp). Where the sums may not
// hold (a NaN, an infinity or a value so large the sums could overflow is
// in the window) fit() declines and the caller regresses the window's
// points, as an instant query does. A constant window gives slope 0 and its
// value, as 2.42's does, not what rounding would make of it.
//
// One per series; used by one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <vector>

#include "common/model/sample_value.hpp"

namespace mc::query {

__extension__ using RegressionInt = __int128;

class SlidingLinearRegression {
 public:
  struct Line {
    double slope = 0;      // per second
    double intercept = 0;  // the line's value at the time fit() was given
  };

  // The line through `window`'s points, its intercept at `at_ms`; nullopt
  // when the caller must regress the points itself (see the top), and when
  // the window has fewer than 2 points.
  // REQUIRES: `window` is not empty and holds every point of the series
  // between its first and last time; neither end moves back from call to
  // call (windows of later steps).
  std::optional<Line> fit(std::span<const Sample> window, int64_t at_ms);

  // A double-double: the value is high + low, |low| <= half an ulp of high.
  struct Wide {
    double high = 0;
    double low = 0;
  };

 private:
  void drop_before(int64_t t_ms);
  void add(const Sample& sample);
  void move_anchor(int64_t anchor_ms);

  std::vector<Sample> ring_;  // the window's points, ring_[ring_head_..]
  size_t ring_head_ = 0;
  int64_t newest_ms_ = std::numeric_limits<int64_t>::min();
  bool has_newest_ = false;
  double newest_value_ = 0;
  // The newest point whose value differs from the one before it: the window
  // is constant when it is not later than the window's first.
  int64_t last_change_ms_ = std::numeric_limits<int64_t>::min();

  int64_t anchor_ms_ = 0;  // x = t_ms - anchor_ms_
  size_t unusual_ = 0;     // NaN, infinite or huge values in the window
  int64_t n_ = 0;          // the ordinary points in the sums
  RegressionInt sum_x_ = 0;
  RegressionInt sum_x2_ = 0;
  Wide sum_y_;
  Wide sum_xy_;
};

}  // namespace mc::query
