#include "common/query/over_time_functions.hpp"

#include <cmath>
#include <span>
#include <utility>
#include <vector>

#include "common/query/function_args.hpp"
#include "common/query/kahan_sum.hpp"
#include "common/query/sample_quantile.hpp"

namespace mc::query {
namespace {

using Aggregate = double (*)(std::span<const Sample> points);

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

}  // namespace

Result<Vector> avg_over_time_function(const FunctionInput& input) { return over_time(input, mean); }

Result<Vector> min_over_time_function(const FunctionInput& input) {
  return over_time(input, [](std::span<const Sample> points) {
    double min = points.front().v;
    // A NaN is replaced by the next value, so NaN wins only when all are NaN.
    for (const Sample& point : points) {
      if (point.v < min || std::isnan(min)) min = point.v;
    }
    return min;
  });
}

Result<Vector> max_over_time_function(const FunctionInput& input) {
  return over_time(input, [](std::span<const Sample> points) {
    double max = points.front().v;
    for (const Sample& point : points) {
      if (point.v > max || std::isnan(max)) max = point.v;
    }
    return max;
  });
}

Result<Vector> sum_over_time_function(const FunctionInput& input) {
  return over_time(input, [](std::span<const Sample> points) {
    KahanSum sum;
    for (const Sample& point : points) sum.add(point.v);
    return sum.value();
  });
}

Result<Vector> count_over_time_function(const FunctionInput& input) {
  return over_time(
      input, [](std::span<const Sample> points) { return static_cast<double>(points.size()); });
}

Result<Vector> stddev_over_time_function(const FunctionInput& input) {
  return over_time(input,
                   [](std::span<const Sample> points) { return std::sqrt(variance(points)); });
}

Result<Vector> stdvar_over_time_function(const FunctionInput& input) {
  return over_time(input, variance);
}

Result<Vector> last_over_time_function(const FunctionInput& input) {
  return over_time(input, [](std::span<const Sample> points) { return points.back().v; });
}

Result<Vector> present_over_time_function(const FunctionInput& input) {
  return over_time(input, [](std::span<const Sample>) { return 1.0; });
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
