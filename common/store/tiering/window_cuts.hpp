// Window cuts: what a downsampled window is estimated to hold on each side of
// a range edge that falls inside it, for a reader whose ranges do not start
// and end on the tier's window boundaries (max_source_resolution asking for a
// tier the query's steps do not align with).
//
// A window keeps its count, sum, min, max, its first and last counter samples
// (downsample.hpp), not where in it each sample sat. A range edge inside it
// therefore needs an estimate, and what Thanos gives there (a window counted
// whole by its end time, whatever part of it the range holds) is off by up to
// a whole window at each edge: avg_over_time over [t - 1h, t] read the hour
// shifted by up to 5 minutes. Here, instead:
//   - The window's samples are taken as evenly spaced from its first sample
//     to its last (regular scrapes), which tells how many fall on each side.
//   - Sums and counts are shared out by those numbers (each part's samples
//     at the window's mean), so avg_over_time weighs each part by the
//     samples it most likely holds.
//   - min and max go whole to the part that holds most of the window's
//     samples: the range that holds most of a window sees its extremes.
//   - The counter at the samples either side of an edge follows the
//     window's first and last counter samples and the mean of its raw
//     values (sum / count): without a reset
//     in the window the mean says whether it rose early or late. The
//     estimate is the parabola through both ends with that mean, which for
//     a counter of independent increments is the expected value given the
//     three (a random-walk bridge), about half the error of a straight line
//     in the middle of the window. A window with a reset, NaN, or fewer than
//     three samples is interpolated along the straight line.
// Where the edges fall on window boundaries nothing is cut: the answers stay
// those of raw data (downsample.hpp).
//
// Thread-safety: free functions without shared state.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace mc::tiering {

struct AggregateSample;  // downsample.hpp, which reads windows with cuts

// A time where a reader's ranges cut windows: the samples before `at_ms` and
// those from it on belong to different ranges (a range's start, or one past
// its end, as PromQL's ranges hold their end).
struct WindowCut {
  int64_t at_ms = 0;

  bool operator==(const WindowCut&) const = default;
};

// The cuts of ranges [end - range_ms, end] (both ends included, as PromQL's)
// for each of `range_ends_ms` into windows of `resolution_ms`, by at_ms, each
// once. An edge on a window boundary cuts nothing: whole windows answer as
// before (a sample exactly at a range's end stays in the next window).
std::vector<WindowCut> window_cuts(std::span<const int64_t> range_ends_ms, int64_t range_ms,
                                   int64_t resolution_ms);

// How many of the window's samples fall before `at_ms`, its samples taken as
// evenly spaced from first_t_ms to t_ms.
uint64_t samples_before(const AggregateSample& window, int64_t at_ms);

// One part of a window: its samples are those up to t_ms (a time it may hold
// and the ranges that hold it hold too) and after the part before.
struct WindowPart {
  int64_t t_ms = 0;
  uint64_t count = 0;
};

// The parts `cuts` (by at_ms) make of `window`, by time, parts without
// samples left out; the window itself when no cut falls inside it.
std::vector<WindowPart> window_parts(const AggregateSample& window,
                                     std::span<const WindowCut> cuts);

// The window's reset-adjusted counter at `t_ms`, estimated as described
// above. REQUIRES: window.first_t_ms < t_ms < window.t_ms, a finite
// first_counter and counter.
double counter_inside(const AggregateSample& window, int64_t t_ms);

}  // namespace mc::tiering
