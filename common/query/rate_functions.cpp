#include "common/query/rate_functions.hpp"

#include <cmath>
#include <optional>
#include <vector>

#include "common/query/function_args.hpp"

namespace mc::query {
namespace {

Vector one_value(double v) { return Vector{VectorSample{Labels(), 0, v}}; }

int64_t window_of(int64_t t_ms, int64_t resolution_ms) {
  return t_ms >= 0 ? t_ms / resolution_ms : (t_ms + 1) / resolution_ms - 1;
}

// The increase over the range from a tier's window points, when the window
// point before the range is at hand and the range's first point is a window
// point (not the series' first sample): the counter at the range's start is
// interpolated between the two, where extrapolating back from the first
// point (stamped up to a resolution after the start) would guess the first
// window's increase from the others' (7% off on a bursty counter). At the
// end, as rate() over raw samples, up to the range's end unless the series
// stopped a resolution or more before it. `increase` is the points' own,
// resets counted. nullopt: not such a window.
std::optional<double> counter_from_range_start(const FunctionInput& input,
                                               const std::vector<Sample>& points, double increase) {
  const int64_t resolution = input.window_resolution_ms;
  if (resolution <= 0 || !input.point_before) return std::nullopt;
  const Sample& before = *input.point_before;
  const Sample& first = points.front();
  const Sample& last = points.back();
  if (first.t_ms - input.range_start_ms >= resolution || first.v < before.v ||
      first.t_ms <= before.t_ms || before.t_ms > input.range_start_ms ||
      last.t_ms <= input.range_start_ms) {
    return std::nullopt;
  }
  const double at_start = before.v + (first.v - before.v) *
                                         static_cast<double>(input.range_start_ms - before.t_ms) /
                                         static_cast<double>(first.t_ms - before.t_ms);
  increase += first.v - at_start;
  // The counter at the range's end likewise, from the point after it.
  if (const auto& after = input.point_after;
      after && after->v >= last.v && after->t_ms > input.range_end_ms) {
    return increase + (after->v - last.v) * static_cast<double>(input.range_end_ms - last.t_ms) /
                          static_cast<double>(after->t_ms - last.t_ms);
  }
  const double sampled = static_cast<double>(last.t_ms - input.range_start_ms);
  const int64_t to_end = input.range_end_ms - last.t_ms;
  const double extended = sampled + (to_end < resolution ? static_cast<double>(to_end) : 0);
  return increase * extended / sampled;
}

// extrapolatedRate of 2.42: the change over the points, counter resets added
// back for counters, then scaled from the span the points cover to the
// window, where "the window" ends half an average interval past a point when
// the series seems to start or stop inside it. Counters are not extrapolated
// below zero. The zero point limits durationToStart BEFORE the 1.1 threshold
// test, as 2.42 does (later versions swapped the order).
Result<Vector> extrapolated_rate(const FunctionInput& input, bool is_counter, bool is_rate) {
  auto series = range_arg(input, 0);
  if (!series) return series.status();
  const std::vector<Sample>& points = (*series)->points;
  if (points.size() < 2) return Vector{};

  const Sample& first = points.front();
  const Sample& last = points.back();
  double result = last.v - first.v;
  if (is_counter) {
    double previous = first.v;
    for (size_t i = 1; i < points.size(); ++i) {
      if (points[i].v < previous) result += previous;
      previous = points[i].v;
    }
    if (auto from_start = counter_from_range_start(input, points, result)) {
      return one_value(
          is_rate ? *from_start /
                        (static_cast<double>(input.range_end_ms - input.range_start_ms) / 1000)
                  : *from_start);
    }
  }

  double duration_to_start = static_cast<double>(first.t_ms - input.range_start_ms) / 1000;
  const double duration_to_end = static_cast<double>(input.range_end_ms - last.t_ms) / 1000;
  const double sampled_interval = static_cast<double>(last.t_ms - first.t_ms) / 1000;
  const double average_interval = sampled_interval / static_cast<double>(points.size() - 1);

  if (is_counter && result > 0 && first.v >= 0) {
    const double duration_to_zero = sampled_interval * (first.v / result);
    if (duration_to_zero < duration_to_start) duration_to_start = duration_to_zero;
  }

  const double threshold = average_interval * 1.1;
  double extrapolate_start =
      duration_to_start < threshold ? duration_to_start : average_interval / 2;
  double extrapolate_end = duration_to_end < threshold ? duration_to_end : average_interval / 2;
  if (input.window_resolution_ms > 0) {
    // Window points of a tier: their spacing is the resolution, not the
    // scrape interval raw rate() would extrapolate by half of (minutes here
    // against seconds there). Where the series starts or stops inside the
    // range, extrapolate by nothing: raw's half scrape interval is not
    // known, and off by at most that over a range of 5 windows or more.
    // The series starts inside the range when no window point falls in its
    // first window's span, or when the first point shares its window with
    // the next (a span's first raw sample, not a window point).
    const int64_t resolution = input.window_resolution_ms;
    if (first.t_ms - input.range_start_ms >= resolution ||
        window_of(points[1].t_ms, resolution) == window_of(first.t_ms, resolution)) {
      extrapolate_start = 0;
    }
    if (input.range_end_ms - last.t_ms >= resolution) extrapolate_end = 0;
  }
  const double extrapolate_to_interval = sampled_interval + extrapolate_start + extrapolate_end;

  double factor = extrapolate_to_interval / sampled_interval;
  if (is_rate) {
    factor /= static_cast<double>(input.range_end_ms - input.range_start_ms) / 1000;
  }
  return one_value(result * factor);
}

// instantValue of 2.42: the last two points only.
Result<Vector> instant_value(const FunctionInput& input, bool is_rate) {
  auto series = range_arg(input, 0);
  if (!series) return series.status();
  const std::vector<Sample>& points = (*series)->points;
  if (points.size() < 2) return Vector{};

  const Sample& last = points[points.size() - 1];
  const Sample& previous = points[points.size() - 2];
  // A counter that went down was reset: it counted `last` since.
  double result = is_rate && last.v < previous.v ? last.v : last.v - previous.v;
  const int64_t interval_ms = last.t_ms - previous.t_ms;
  if (interval_ms == 0) return Vector{};
  if (is_rate) result /= static_cast<double>(interval_ms) / 1000;
  return one_value(result);
}

}  // namespace

Result<Vector> rate_function(const FunctionInput& input) {
  return extrapolated_rate(input, true, true);
}

Result<Vector> increase_function(const FunctionInput& input) {
  return extrapolated_rate(input, true, false);
}

Result<Vector> delta_function(const FunctionInput& input) {
  return extrapolated_rate(input, false, false);
}

Result<Vector> irate_function(const FunctionInput& input) { return instant_value(input, true); }

Result<Vector> idelta_function(const FunctionInput& input) { return instant_value(input, false); }

Result<Vector> resets_function(const FunctionInput& input) {
  auto series = range_arg(input, 0);
  if (!series) return series.status();
  const std::vector<Sample>& points = (*series)->points;
  if (points.empty()) return Vector{};
  int resets = 0;
  for (size_t i = 1; i < points.size(); ++i) {
    if (points[i].v < points[i - 1].v) ++resets;
  }
  return one_value(resets);
}

Result<Vector> changes_function(const FunctionInput& input) {
  auto series = range_arg(input, 0);
  if (!series) return series.status();
  const std::vector<Sample>& points = (*series)->points;
  if (points.empty()) return Vector{};
  int changes = 0;
  for (size_t i = 1; i < points.size(); ++i) {
    const double current = points[i].v;
    const double previous = points[i - 1].v;
    // NaN to NaN is no change, though NaN != NaN.
    if (current != previous && !(std::isnan(current) && std::isnan(previous))) ++changes;
  }
  return one_value(changes);
}

}  // namespace mc::query
