#include "common/query/rate_functions.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <optional>
#include <vector>

#include "common/query/function_args.hpp"

namespace mc::query {
namespace {

Vector one_value(double v) { return Vector{VectorSample{Labels(), 0, v}}; }

int64_t window_of(int64_t t_ms, int64_t resolution_ms) {
  return t_ms >= 0 ? t_ms / resolution_ms : (t_ms + 1) / resolution_ms - 1;
}

// The tier's counter points (tiering::counter_points: each window's first and
// last counter samples, reset-adjusted) stand in for raw samples, and
// rate() is computed as 2.42 computes it over raw ones, from the raw samples
// nearest the range's ends:
//   - A point and the next one in a different window are consecutive raw
//     samples (so are two points a raw interval apart). Where the point
//     before the range and the first in it are consecutive, the first is the
//     raw first sample in the range, exactly; so at the end with the point
//     after. Ranges whose ends are window boundaries are therefore exact.
//   - Otherwise raw samples lie between the two, unknown: the counter at the
//     range's end is interpolated between them and taken as a sample there.
//   - Raw extrapolates by at most 1.1 times the average raw interval, or half
//     of it where a series starts or stops: that interval is taken as the
//     median spacing of the consecutive raw samples among the points.
//   - Raw does not extrapolate a counter back past where it would be zero,
//     from the first sample's value: the reset-adjusted value stands in for
//     it, the same unless a reset came before (then larger, and a range
//     starting right after a reset is off by at most the raw interval over
//     the range). A counter that starts at 0 is not extrapolated, as raw.
struct TierCounterEnds {
  Sample first;  // the raw first sample in the range, or the counter at its start
  Sample last;
  double average_interval_s = 0;
};

TierCounterEnds tier_counter_ends(const FunctionInput& input, const std::vector<Sample>& points) {
  const int64_t resolution = input.window_resolution_ms;
  const auto apart = [resolution](const Sample& a, const Sample& b) {
    return window_of(a.t_ms, resolution) != window_of(b.t_ms, resolution);
  };
  // The median, not the mean: one gap would make every window's first and
  // last samples look consecutive.
  std::vector<int64_t> spacings;
  const auto count = [&](const Sample& a, const Sample& b) {
    if (apart(a, b)) spacings.push_back(b.t_ms - a.t_ms);
  };
  if (input.point_before) count(*input.point_before, points.front());
  for (size_t i = 1; i < points.size(); ++i) count(points[i - 1], points[i]);
  if (input.point_after) count(points.back(), *input.point_after);
  double interval_ms = static_cast<double>(points.back().t_ms - points.front().t_ms) /
                       static_cast<double>(points.size() - 1);
  if (!spacings.empty()) {
    const auto middle = spacings.begin() + static_cast<ptrdiff_t>(spacings.size() / 2);
    std::nth_element(spacings.begin(), middle, spacings.end());
    interval_ms = static_cast<double>(*middle);
  }
  // Two points of one window a raw interval apart are consecutive too.
  const auto consecutive = [&](const Sample& a, const Sample& b) {
    return apart(a, b) || static_cast<double>(b.t_ms - a.t_ms) <= 1.5 * interval_ms;
  };
  const auto at = [](const Sample& a, const Sample& b, int64_t t) {
    return Sample{t, a.v + (b.v - a.v) * static_cast<double>(t - a.t_ms) /
                               static_cast<double>(b.t_ms - a.t_ms)};
  };
  TierCounterEnds ends{points.front(), points.back(), interval_ms / 1000};
  if (const auto& before = input.point_before; before && !consecutive(*before, ends.first)) {
    ends.first = at(*before, ends.first, input.range_start_ms);
  }
  if (const auto& after = input.point_after; after && !consecutive(ends.last, *after)) {
    ends.last = at(ends.last, *after, input.range_end_ms);
  }
  return ends;
}

// rate() or increase() over a tier's counter points: `increase` is the
// points' own (resets added back), extended to the estimated raw ends and
// extrapolated as extrapolated_rate does.
double tier_counter_rate(const FunctionInput& input, const std::vector<Sample>& points,
                         double increase, bool is_rate) {
  const TierCounterEnds ends = tier_counter_ends(input, points);
  increase += (points.front().v - ends.first.v) + (ends.last.v - points.back().v);
  const double sampled_interval = static_cast<double>(ends.last.t_ms - ends.first.t_ms) / 1000;
  double duration_to_start = static_cast<double>(ends.first.t_ms - input.range_start_ms) / 1000;
  if (increase > 0 && ends.first.v >= 0) {
    duration_to_start = std::min(duration_to_start, sampled_interval * (ends.first.v / increase));
  }
  const double duration_to_end = static_cast<double>(input.range_end_ms - ends.last.t_ms) / 1000;
  const double threshold = ends.average_interval_s * 1.1;
  const double extrapolate_start =
      duration_to_start < threshold ? duration_to_start : ends.average_interval_s / 2;
  const double extrapolate_end =
      duration_to_end < threshold ? duration_to_end : ends.average_interval_s / 2;
  double factor = sampled_interval > 0
                      ? (sampled_interval + extrapolate_start + extrapolate_end) / sampled_interval
                      : 1;
  if (is_rate) factor /= static_cast<double>(input.range_end_ms - input.range_start_ms) / 1000;
  return increase * factor;
}

// extrapolatedRate of 2.42: the change over the points, counter resets added
// back for counters, extrapolated by extrapolate_change().
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
    if (input.window_resolution_ms > 0) {
      return one_value(tier_counter_rate(input, points, result, is_rate));
    }
  }

  bool pinned_start = false;
  bool pinned_end = false;
  if (input.window_resolution_ms > 0) {
    // Window points of a tier (delta() of a gauge's window averages): their spacing is the
    // resolution, not the scrape interval raw rate() would extrapolate by half of (minutes here
    // against seconds there). Where the series starts or stops inside the
    // range, extrapolate by nothing: raw's half scrape interval is not
    // known, and off by at most that over a range of 5 windows or more.
    // The series starts inside the range when no window point falls in its
    // first window's span, or when the first point shares its window with
    // the next (a span's first raw sample, not a window point).
    const int64_t resolution = input.window_resolution_ms;
    pinned_start = first.t_ms - input.range_start_ms >= resolution ||
                   window_of(points[1].t_ms, resolution) == window_of(first.t_ms, resolution);
    pinned_end = input.range_end_ms - last.t_ms >= resolution;
  }
  const RateWindow window{first, last, points.size(), input.range_start_ms, input.range_end_ms};
  return one_value(
      extrapolate_change(window, result, is_counter, is_rate, pinned_start, pinned_end));
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

// The zero point limits durationToStart BEFORE the 1.1 threshold test, as
// 2.42 does (later versions swapped the order). Counters are not
// extrapolated below zero.
double extrapolate_change(const RateWindow& window, double change, bool is_counter, bool is_rate,
                          bool pinned_start, bool pinned_end) {
  const Sample& first = window.first;
  const Sample& last = window.last;
  double duration_to_start = static_cast<double>(first.t_ms - window.range_start_ms) / 1000;
  const double duration_to_end = static_cast<double>(window.range_end_ms - last.t_ms) / 1000;
  const double sampled_interval = static_cast<double>(last.t_ms - first.t_ms) / 1000;
  const double average_interval = sampled_interval / static_cast<double>(window.count - 1);

  if (is_counter && change > 0 && first.v >= 0) {
    const double duration_to_zero = sampled_interval * (first.v / change);
    if (duration_to_zero < duration_to_start) duration_to_start = duration_to_zero;
  }

  // Where the window ends half an average interval past a point when the
  // series seems to start or stop inside it.
  const double threshold = average_interval * 1.1;
  double extrapolate_start =
      duration_to_start < threshold ? duration_to_start : average_interval / 2;
  double extrapolate_end = duration_to_end < threshold ? duration_to_end : average_interval / 2;
  if (pinned_start) extrapolate_start = 0;
  if (pinned_end) extrapolate_end = 0;
  const double extrapolate_to_interval = sampled_interval + extrapolate_start + extrapolate_end;

  double factor = extrapolate_to_interval / sampled_interval;
  if (is_rate) {
    factor /= static_cast<double>(window.range_end_ms - window.range_start_ms) / 1000;
  }
  return change * factor;
}

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
