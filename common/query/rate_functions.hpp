// How a series changes over a range, as Prometheus 2.42 computes it
// (promql/functions.go): rate, increase and delta extrapolated to the
// window's bounds (extrapolatedRate), irate and idelta from the last two
// points, resets and changes counted over the window.
//
// Each is a FunctionImpl of a range vector (function_call.hpp): one series'
// window in, at most one value out. Pure; safe from any thread.
#pragma once

#include <cstddef>
#include <cstdint>

#include "common/query/function_call.hpp"

namespace mc::query {

// The window of extrapolated_rate: its first and last points, how many, and
// the bounds of the range they were selected from.
struct RateWindow {
  Sample first;
  Sample last;
  size_t count = 0;  // at least 2
  int64_t range_start_ms = 0;
  int64_t range_end_ms = 0;
};

// extrapolatedRate of 2.42 from the window's `change` (last - first, counter
// resets added back for a counter): scaled from the span the points cover to
// the window; rate() per second. The range query's sliding rate computes
// `change` incrementally (sliding_counter_resets.hpp) and shares the rest.
// `pinned_start`/`pinned_end`: no extrapolation at that end (delta() over a
// tier's window points, see rate_functions.cpp).
double extrapolate_change(const RateWindow& window, double change, bool is_counter, bool is_rate,
                          bool pinned_start = false, bool pinned_end = false);

Result<Vector> rate_function(const FunctionInput& input);
Result<Vector> increase_function(const FunctionInput& input);
Result<Vector> delta_function(const FunctionInput& input);
Result<Vector> irate_function(const FunctionInput& input);
Result<Vector> idelta_function(const FunctionInput& input);
Result<Vector> resets_function(const FunctionInput& input);
Result<Vector> changes_function(const FunctionInput& input);

}  // namespace mc::query
