// The value of min/max/sum/avg/count/last/present_over_time at each step of a
// range query, kept up to date as the window slides instead of recomputed
// from every point of the window: a 1 h window at an 86 s step shares all but
// ~6 of its ~240 points with the previous step's, so the recomputation read
// each sample ~40 times (the profile of a 24 h avg_over_time was that loop).
//
// min and max answer exactly as Prometheus 2.42 does (NaN only when every
// point is NaN; of equal values, -0 and 0, the earliest), as a queue made of
// two stacks: the back keeps the extreme of the points that entered since
// the last turn, the front each point's extreme from it to the turn; a
// window's extreme is the front's first and the back's. Each point costs
// two comparisons without a branch (a monotonic queue's pops cost a
// mispredicted branch a point on noisy values: 19% of a 24 h
// max_over_time[15m]). sum and avg keep a running double-double
// sum, which is within a few units in the last place of Prometheus's Kahan
// sum; where that may not hold (a NaN, an infinity or a value so large that
// the running sum could overflow is in the window) update() declines and the
// caller computes the step as Prometheus does.
//
// quantile_over_time keeps the window's values sorted (NaN counted apart, as
// 2.42 sorts it first): each step merges its new points in and takes the
// old ones out in one pass, instead of sorting the whole window.
//
// One per series; used by one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "common/model/sample_value.hpp"

namespace mc::query {

enum class SlidingAggregate { Min, Max, Sum, Avg, Count, Last, Present, Quantile };

// The aggregate that answers the range function `name`, if one does.
std::optional<SlidingAggregate> sliding_aggregate_for(std::string_view function_name);

// Whether sliding pays over computing each window from its points, for
// windows of `range_ms` whose end moves by `advance_ms` from step to step
// over `steps` steps. min and max slide where a point is in three windows or
// more (a 24 h min_over_time[10m] at 86 s: 7; a 7 d max_over_time[15m] at
// 605 s: 1.5, where sliding measured 8.3 ms a request against 6.3 for
// visiting each window's points); sum, avg and quantile (a merge
// against a sort), wherever windows overlap. count, last and present need no
// points either way. Without overlap, or at one step (an instant query), the
// function computes the window as Prometheus does.
bool worth_sliding(SlidingAggregate kind, int64_t range_ms, int64_t advance_ms, size_t steps);

class SlidingWindowAggregate {
 public:
  explicit SlidingWindowAggregate(SlidingAggregate kind) : kind_(kind) {}
  SlidingAggregate kind() const { return kind_; }

  // The aggregate over `window`, this step's points in time order; nullopt
  // when the caller must compute it from the points itself (see the top).
  // REQUIRES: `window` is not empty and holds every point of the series
  // between its first and last time; neither end moves back from call to
  // call (windows of later steps).
  // `phi`: quantile_over_time's φ at this step (unused by the others).
  std::optional<double> update(std::span<const Sample> window, double phi = 0);

 private:
  void drop_before(int64_t t_ms);
  void add(const Sample& sample);
  // quantile: the values that left and entered, out of and into sorted_.
  void resort();

  SlidingAggregate kind_;
  int64_t newest_ms_ = INT64_MIN;  // the newest point taken in
  bool has_newest_ = false;

  template <SlidingAggregate kKind>
  double update_extreme(std::span<const Sample> window);

  // min/max: the points taken in and not yet left behind, in time order:
  // the front [front_, back_start_), each value replaced by the extreme from
  // it to back_start_, then the back, values as they came, whose extreme is
  // back_extreme_ (NaN: none).
  std::vector<int64_t> times_;
  std::vector<double> values_;
  size_t front_ = 0;
  size_t back_start_ = 0;
  double back_extreme_ = std::numeric_limits<double>::quiet_NaN();

  // sum/avg: every point of the window (ring_[ring_head_..]), the running
  // sum of the ordinary ones and how many are not ordinary.
  std::vector<Sample> ring_;
  size_t ring_head_ = 0;
  double sum_high_ = 0;
  double sum_low_ = 0;
  size_t unusual_ = 0;  // NaN, infinite or huge values in the window

  // quantile: the window's values but NaN, sorted; how many are NaN; and the
  // values leaving and entering at this step.
  std::vector<double> sorted_;
  size_t nans_ = 0;
  std::vector<double> leaving_;
  std::vector<double> entering_;
};

}  // namespace mc::query
