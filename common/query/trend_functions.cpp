#include "common/query/trend_functions.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <span>
#include <string>

#include "common/query/function_args.hpp"
#include "common/query/kahan_sum.hpp"

namespace mc::query {
namespace {

struct Line {
  double slope = 0;
  double intercept = 0;  // the value at intercept_time_ms
};

// linearRegression of 2.42. x is seconds from intercept_time_ms, which keeps
// the sums small (Prometheus issue 2674). A constant series has slope 0 and
// its value as intercept (NaN for both if that value is infinite), rather
// than what rounding in the sums would make of it.
Line linear_regression(std::span<const Sample> points, int64_t intercept_time_ms) {
  KahanSum sum_x;
  KahanSum sum_y;
  KahanSum sum_xy;
  KahanSum sum_x2;
  const double initial_y = points.front().v;
  bool constant_y = true;
  double n = 0;
  for (size_t i = 0; i < points.size(); ++i) {
    const Sample& point = points[i];
    if (constant_y && i > 0 && point.v != initial_y) constant_y = false;
    n += 1;
    const double x = static_cast<double>(point.t_ms - intercept_time_ms) / 1e3;
    sum_x.add(x);
    sum_y.add(point.v);
    sum_xy.add(x * point.v);
    sum_x2.add(x * x);
  }
  if (constant_y) {
    if (std::isinf(initial_y)) {
      const double nan = std::numeric_limits<double>::quiet_NaN();
      return {nan, nan};
    }
    return {0, initial_y};
  }
  // Go adds the compensations without the infinity guard of sum_over_time.
  const double x = sum_x.sum + sum_x.compensation;
  const double y = sum_y.sum + sum_y.compensation;
  const double xy = sum_xy.sum + sum_xy.compensation;
  const double x2 = sum_x2.sum + sum_x2.compensation;
  const double covariance_xy = xy - x * y / n;
  const double variance_x = x2 - x * x / n;
  const double slope = covariance_xy / variance_x;
  return {slope, y / n - slope * x / n};
}

// Go's fmt %f: six decimals; the non-finite values as Go spells them.
std::string go_format_fixed(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  return fmt::format("{:.6f}", value);
}

}  // namespace

Result<Vector> deriv_function(const FunctionInput& input) {
  auto series = range_arg(input, 0);
  if (!series) return series.status();
  const auto& points = (*series)->points;
  if (points.size() < 2) return Vector{};
  // Regress around the first point's time: the slope is the same, the sums small.
  const Line line = linear_regression(points, points.front().t_ms);
  return Vector{VectorSample{Labels(), 0, line.slope}};
}

Result<Vector> predict_linear_function(const FunctionInput& input) {
  auto series = range_arg(input, 0);
  if (!series) return series.status();
  auto seconds = scalar_arg(input, 1);
  if (!seconds) return seconds.status();
  const auto& points = (*series)->points;
  if (points.size() < 2) return Vector{};
  const Line line = linear_regression(points, input.t_ms);
  return Vector{VectorSample{Labels(), 0, line.slope * *seconds + line.intercept}};
}

Result<Vector> holt_winters_function(const FunctionInput& input) {
  auto series = range_arg(input, 0);
  if (!series) return series.status();
  auto smoothing = scalar_arg(input, 1);
  if (!smoothing) return smoothing.status();
  auto trend = scalar_arg(input, 2);
  if (!trend) return trend.status();
  const double sf = *smoothing;
  const double tf = *trend;
  // Written as 2.42 tests them, so NaN passes (and yields NaN), as there.
  if (sf <= 0 || sf >= 1) {
    return Status::error("invalid smoothing factor. Expected: 0 < sf < 1, got: " +
                         go_format_fixed(sf));
  }
  if (tf <= 0 || tf >= 1) {
    return Status::error("invalid trend factor. Expected: 0 < tf < 1, got: " + go_format_fixed(tf));
  }
  const auto& points = (*series)->points;
  if (points.size() < 2) return Vector{};

  // s1 the smoothed value, s0 the one before, b the trend.
  double s0 = 0;
  double s1 = points[0].v;
  double b = points[1].v - points[0].v;
  for (size_t i = 1; i < points.size(); ++i) {
    const double x = sf * points[i].v;
    // The first step keeps the initial trend; later ones blend in the last change.
    if (i > 1) b = tf * (s1 - s0) + (1 - tf) * b;
    const double y = (1 - sf) * (s1 + b);
    s0 = s1;
    s1 = x + y;
  }
  return Vector{VectorSample{Labels(), 0, s1}};
}

}  // namespace mc::query
