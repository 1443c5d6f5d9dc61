#include "common/query/tier_hints.hpp"

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
  if (function == "avg_over_time") return WindowValue::Average;
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
                               std::optional<int64_t> max_source_resolution_ms) {
  const std::optional<WindowValue> value = window_value_for(function);
  if (!value) return {};
  int64_t resolution = allowed_resolution_ms(grid, max_source_resolution_ms);
  if (range_ms < kMinWindowsPerRange * resolution) resolution = 0;
  return ReadHints{resolution, *value};
}

ReadHints instant_selector_hints(const StepGrid& grid,
                                 std::optional<int64_t> max_source_resolution_ms) {
  return ReadHints{allowed_resolution_ms(grid, max_source_resolution_ms), WindowValue::Average};
}

}  // namespace mc::query
