// The value of min/max/sum/avg/count/last/present_over_time at each step of a
// range query, kept up to date as the window slides instead of recomputed
// from every point of the window: a 1 h window at an 86 s step shares all but
// ~6 of its ~240 points with the previous step's, so the recomputation read
// each sample ~40 times (the profile of a 24 h avg_over_time was that loop).
//
// min and max keep a monotonic queue of the window's candidates and answer
// exactly as Prometheus 2.42 does (NaN only when every point is NaN; of equal
// values, -0 and 0, the earliest). sum and avg keep a running double-double
// sum, which is within a few units in the last place of Prometheus's Kahan
// sum; where that may not hold (a NaN, an infinity or a value so large that
// the running sum could overflow is in the window) update() declines and the
// caller computes the step as Prometheus does.
//
// One per series; used by one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "common/model/sample_value.hpp"

namespace mc::query {

enum class SlidingAggregate { Min, Max, Sum, Avg, Count, Last, Present };

// The aggregate that answers the range function `name`, if one does.
std::optional<SlidingAggregate> sliding_aggregate_for(std::string_view function_name);

class SlidingWindowAggregate {
 public:
  explicit SlidingWindowAggregate(SlidingAggregate kind) : kind_(kind) {}

  // The aggregate over `window`, this step's points in time order; nullopt
  // when the caller must compute it from the points itself (see the top).
  // REQUIRES: `window` is not empty and holds every point of the series
  // between its first and last time; neither end moves back from call to
  // call (windows of later steps).
  std::optional<double> update(std::span<const Sample> window);

 private:
  void drop_before(int64_t t_ms);
  void add(const Sample& sample);

  SlidingAggregate kind_;
  int64_t newest_ms_ = INT64_MIN;  // the newest point taken in
  bool has_newest_ = false;

  // min/max: the window's points that may still become its extreme, in time
  // order, values monotonic (queue_[head_..]).
  std::vector<Sample> queue_;
  size_t head_ = 0;

  // sum/avg: every point of the window (ring_[ring_head_..]), the running
  // sum of the ordinary ones and how many are not ordinary.
  std::vector<Sample> ring_;
  size_t ring_head_ = 0;
  double sum_high_ = 0;
  double sum_low_ = 0;
  size_t unusual_ = 0;  // NaN, infinite or huge values in the window
};

}  // namespace mc::query
