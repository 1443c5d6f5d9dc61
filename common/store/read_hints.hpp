// ReadHints: what a reader tells the store about the data it is about to read,
// so that a coarser tier may answer (Thanos's max_source_resolution, and
// which aggregate of a window the reader wants, as Prometheus's SelectHints
// tell a remote store the function).
//
// A PromQL range query at a 1 h step over 30 days reads hours of window
// aggregates from the 5m tier instead of millions of raw samples; min_over_time
// over those windows reads their minima, not their averages.
#pragma once

#include <cstdint>
#include <vector>

namespace mc {

// What one point of a downsampled window carries.
enum class WindowValue {
  Natural,  // the reset-adjusted counter for counters, the average otherwise
  Average,  // sum / count
  Min,
  Max,
  Sum,
  Count,
  Counter,  // reset-adjusted, whatever the series' type says
};

struct ReadHints {
  // The coarsest tier the reader accepts where finer data exists too. 0: raw
  // data wherever it exists (coarser tiers still serve the times raw data no
  // longer covers, as without hints).
  int64_t max_resolution_ms = 0;
  WindowValue window_value = WindowValue::Natural;
  // Where finer data exists too, accept only a tier whose resolution divides
  // this (ms): every range the reader asks for then starts and ends on the
  // tier's window boundaries, where its answers are raw's. 0: any tier.
  int64_t aligned_to_ms = 0;
  // The ends of the ranges the reader asks for, ascending, each range
  // [end - range_ms, end]; empty when not known (a plain selector). A tier
  // whose windows an edge falls inside serves each such window in parts
  // (tiering/window_cuts.hpp) rather than whole.
  std::vector<int64_t> range_ends_ms = {};
  int64_t range_ms = 0;
};

}  // namespace mc
