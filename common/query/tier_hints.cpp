#include "common/query/tier_hints.hpp"

#include <algorithm>
#include <cstdlib>
#include <numeric>
#include <optional>

namespace mc::query {
namespace {

// Thanos's auto: a fifth of the step.
constexpr int64_t kStepsPerResolution = 5;
// A range over fewer window points than this loses accuracy.
constexpr int64_t kMinWindowsPerRange = 5;

// The aggregate a function reads from a window; none: raw data only.
std::optional<WindowValue> window_value_for(std::string_view function) {
  // rate() over raw samples takes every decrease for a reset, whatever the
  // series' type; the reset-adjusted counter does the same, where Natural
  // would read averages for a series stored without counter metadata.
  if (function == "rate" || function == "increase") return WindowValue::Counter;
  // delta() is for gauges: averages, or the counter for a counter.
  if (function == "delta") return WindowValue::Natural;
  // Window sums, divided by the window counts (range_call_evaluation.cpp):
  // each window weighs as many samples as it holds, as over raw samples.
  if (function == "avg_over_time") return WindowValue::Sum;
  if (function == "min_over_time") return WindowValue::Min;
  if (function == "max_over_time") return WindowValue::Max;
  // Window sums, plus the raw tail after the tier ends, add up to the raw sum.
  if (function == "sum_over_time") return WindowValue::Sum;
  return std::nullopt;
}

}  // namespace

int64_t allowed_resolution_ms(const StepGrid& grid,
                              std::optional<int64_t> max_source_resolution_ms) {
  if (max_source_resolution_ms) return *max_source_resolution_ms;
  if (grid.size() <= 1) return 0;
  return grid.interval_ms / kStepsPerResolution;
}

ReadHints range_function_hints(std::string_view function, const StepGrid& grid, int64_t range_ms,
                               std::optional<int64_t> max_source_resolution_ms,
                               int64_t first_range_end_ms, bool pinned) {
  const std::optional<WindowValue> value = window_value_for(function);
  if (!value) return {};
  int64_t resolution = allowed_resolution_ms(grid, max_source_resolution_ms);
  if (range_ms < kMinWindowsPerRange * resolution) resolution = 0;
  ReadHints hints{resolution, *value};
  // Every range's end, so that a tier serving any part of it can split the
  // windows an edge falls inside (tiering/window_cuts.hpp).
  hints.range_ms = range_ms;
  const size_t ends = pinned ? std::min<size_t>(grid.size(), 1) : grid.size();
  hints.range_ends_ms.reserve(ends);
  for (size_t step = 0; step < ends; ++step) {
    hints.range_ends_ms.push_back(first_range_end_ms + (grid.time(step) - grid.start_ms));
  }
  if (!max_source_resolution_ms && resolution > 0) {
    // Every range end is first_range_end + k * interval, every start that
    // minus range_ms: all are multiples of a resolution dividing this.
    hints.aligned_to_ms = std::gcd(std::abs(first_range_end_ms), range_ms);
    if (!pinned && grid.size() > 1) {
      hints.aligned_to_ms = std::gcd(hints.aligned_to_ms, grid.interval_ms);
    }
  }
  return hints;
}

bool ranges_cut_windows(const ReadHints& hints, int64_t resolution_ms) {
  if (resolution_ms <= 0) return false;
  const auto inside = [resolution_ms](int64_t t) { return t % resolution_ms != 0; };
  return std::any_of(hints.range_ends_ms.begin(), hints.range_ends_ms.end(),
                     [&](int64_t end) { return inside(end) || inside(end - hints.range_ms); });
}

ReadHints instant_selector_hints(const StepGrid& grid,
                                 std::optional<int64_t> max_source_resolution_ms) {
  return ReadHints{allowed_resolution_ms(grid, max_source_resolution_ms), WindowValue::Average};
}

}  // namespace mc::query
