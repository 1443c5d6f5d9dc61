#include "common/query/over_time_functions.hpp"

#include <cmath>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "common/query/function_args.hpp"
#include "common/query/kahan_sum.hpp"
#include "common/query/sample_quantile.hpp"

namespace mc::query {
namespace {

using Aggregate = OverTimeValue;

// The window's points through `aggregate`; no value for an empty window.
Result<Vector> over_time(const FunctionInput& input, Aggregate aggregate) {
  auto series = range_arg(input, 0);
  if (!series) return series.status();
  const auto& points = (*series)->points;
  if (points.empty()) return Vector{};
  return Vector{VectorSample{Labels(), 0, aggregate(points)}};
}

double mean(std::span<const Sample> points) {
  // mean += x/n - mean/n rather than sum/n: no overflow for values near the
  // double's limit.
  KahanSum mean;
  double count = 0;
  for (const Sample& point : points) {
    count += 1;
    if (std::isinf(mean.sum)) {
      // Inf - Inf would make the mean NaN; an infinite mean only changes
      // for a NaN or the opposite infinity.
      if (std::isinf(point.v) && (mean.sum > 0) == (point.v > 0)) continue;
      if (!std::isinf(point.v) && !std::isnan(point.v)) continue;
    }
    mean.add(point.v / count - mean.sum / count);
  }
  return mean.value();
}

// Welford's online variance, both running values Kahan-compensated.
double variance(std::span<const Sample> points) {
  double count = 0;
  KahanSum mean;
  KahanSum aux;
  for (const Sample& point : points) {
    count += 1;
    const double delta = point.v - (mean.sum + mean.compensation);
    mean.add(delta / count);
    aux.add(delta * (point.v - (mean.sum + mean.compensation)));
  }
  return (aux.sum + aux.compensation) / count;
}

// min_over_time's and max_over_time's value as Prometheus 2.42's loop gives
// it (a NaN is replaced by the next value and never replaces a number; of
// equal values the first stays): the extreme of the values from the first
// number on, the first of them when equal (+0 and -0), and the last value
// when all are NaN. Four running extremes over interleaved values instead of
// one: one at a time, each value waited ~7 cycles for the compare before it
// (a third of a week-long max_over_time's CPU).
template <typename Better>
double first_extreme(std::span<const Sample> points, Better better) {
  size_t first = 0;
  while (first < points.size() && std::isnan(points[first].v)) ++first;
  if (first == points.size()) return points.back().v;
  double best[4] = {points[first].v, points[first].v, points[first].v, points[first].v};
  size_t i = first + 1;
  for (; i + 4 <= points.size(); i += 4) {
    for (size_t lane = 0; lane < 4; ++lane) {
      const double v = points[i + lane].v;
      best[lane] = better(v, best[lane]) ? v : best[lane];  // a NaN compares false
    }
  }
  for (; i < points.size(); ++i) best[0] = better(points[i].v, best[0]) ? points[i].v : best[0];
  double result = best[0];
  for (size_t lane = 1; lane < 4; ++lane) result = better(best[lane], result) ? best[lane] : result;
  // Equal values differ in their bits only as +0 and -0: the first in order
  // is the one the loop keeps.
  if (result == 0) {
    for (size_t j = first; j < points.size(); ++j) {
      if (points[j].v == 0) return points[j].v;
    }
  }
  return result;
}

double min_value(std::span<const Sample> points) {
  return first_extreme(points, [](double v, double best) { return v < best; });
}

double max_value(std::span<const Sample> points) {
  return first_extreme(points, [](double v, double best) { return v > best; });
}

double sum_value(std::span<const Sample> points) {
  KahanSum sum;
  for (const Sample& point : points) sum.add(point.v);
  return sum.value();
}

double count_value(std::span<const Sample> points) { return static_cast<double>(points.size()); }

double standard_deviation(std::span<const Sample> points) { return std::sqrt(variance(points)); }

double last_value(std::span<const Sample> points) { return points.back().v; }

double present_value(std::span<const Sample>) { return 1.0; }

}  // namespace

Result<Vector> avg_over_time_function(const FunctionInput& input) { return over_time(input, mean); }

Result<Vector> min_over_time_function(const FunctionInput& input) {
  return over_time(input, min_value);
}

Result<Vector> max_over_time_function(const FunctionInput& input) {
  return over_time(input, max_value);
}

Result<Vector> sum_over_time_function(const FunctionInput& input) {
  return over_time(input, sum_value);
}

Result<Vector> count_over_time_function(const FunctionInput& input) {
  return over_time(input, count_value);
}

Result<Vector> stddev_over_time_function(const FunctionInput& input) {
  return over_time(input, standard_deviation);
}

Result<Vector> stdvar_over_time_function(const FunctionInput& input) {
  return over_time(input, variance);
}

Result<Vector> last_over_time_function(const FunctionInput& input) {
  return over_time(input, last_value);
}

Result<Vector> present_over_time_function(const FunctionInput& input) {
  return over_time(input, present_value);
}

OverTimeValue over_time_value_function(std::string_view name) {
  static constexpr std::pair<std::string_view, OverTimeValue> kFunctions[] = {
      {"avg_over_time", mean},
      {"min_over_time", min_value},
      {"max_over_time", max_value},
      {"sum_over_time", sum_value},
      {"count_over_time", count_value},
      {"stddev_over_time", standard_deviation},
      {"stdvar_over_time", variance},
      {"last_over_time", last_value},
      {"present_over_time", present_value},
  };
  for (const auto& [function, value] : kFunctions) {
    if (function == name) return value;
  }
  return nullptr;
}

Result<Vector> quantile_over_time_function(const FunctionInput& input) {
  auto phi = scalar_arg(input, 0);
  if (!phi) return phi.status();
  auto series = range_arg(input, 1);
  if (!series) return series.status();
  const auto& points = (*series)->points;
  if (points.empty()) return Vector{};
  std::vector<double> values;
  values.reserve(points.size());
  for (const Sample& point : points) values.push_back(point.v);
  return Vector{VectorSample{Labels(), 0, sample_quantile(*phi, values)}};
}

}  // namespace mc::query
