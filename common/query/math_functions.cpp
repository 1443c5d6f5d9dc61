#include "common/query/math_functions.hpp"

#include <cmath>
#include <limits>
#include <numbers>

#include "common/query/function_args.hpp"

namespace mc::query {
namespace {

// Every sample of the first argument through `apply`, metric name dropped.
template <typename Apply>
Result<Vector> each_sample(const FunctionInput& input, Apply apply) {
  auto vector = vector_arg(input, 0);
  if (!vector) return vector.status();
  Vector out;
  out.reserve((*vector)->size());
  for (const VectorSample& sample : **vector) {
    out.push_back(VectorSample{drop_metric_name(sample.labels), 0, apply(sample.v)});
  }
  return out;
}

// Go's math.Max and math.Min: an infinity in the direction asked wins even
// over NaN (Max(+Inf, NaN) is +Inf), otherwise NaN if either is NaN
// (std::fmax would ignore it), and +0 above -0.
double go_max(double a, double b) {
  if (std::isinf(a) && a > 0) return a;
  if (std::isinf(b) && b > 0) return b;
  if (std::isnan(a) || std::isnan(b)) return std::numeric_limits<double>::quiet_NaN();
  if (a == 0 && b == 0) return std::signbit(a) ? b : a;
  return a > b ? a : b;
}

double go_min(double a, double b) {
  if (std::isinf(a) && a < 0) return a;
  if (std::isinf(b) && b < 0) return b;
  if (std::isnan(a) || std::isnan(b)) return std::numeric_limits<double>::quiet_NaN();
  if (a == 0 && b == 0) return std::signbit(a) ? a : b;
  return a < b ? a : b;
}

// Go's math.Log10 is ln(x) times 1/ln(10), not a correctly rounded log10:
// log10(1000) is 2.9999999999999996 there, and so here.
double go_log10(double x) { return std::log(x) * std::numbers::log10e; }

// Go's math.Log2: exact for powers of two, else ln of the fraction over ln 2.
double go_log2(double x) {
  int exponent = 0;
  const double fraction = std::frexp(x, &exponent);
  if (fraction == 0.5) return exponent - 1;
  return std::log(fraction) * (1 / std::numbers::ln2) + exponent;
}

}  // namespace

Result<Vector> abs_function(const FunctionInput& input) {
  return each_sample(input, [](double v) { return std::abs(v); });
}
Result<Vector> ceil_function(const FunctionInput& input) {
  return each_sample(input, [](double v) { return std::ceil(v); });
}
Result<Vector> floor_function(const FunctionInput& input) {
  return each_sample(input, [](double v) { return std::floor(v); });
}
Result<Vector> exp_function(const FunctionInput& input) {
  return each_sample(input, [](double v) { return std::exp(v); });
}
Result<Vector> ln_function(const FunctionInput& input) {
  return each_sample(input, [](double v) { return std::log(v); });
}
Result<Vector> log2_function(const FunctionInput& input) { return each_sample(input, go_log2); }
Result<Vector> log10_function(const FunctionInput& input) { return each_sample(input, go_log10); }
Result<Vector> sqrt_function(const FunctionInput& input) {
  return each_sample(input, [](double v) { return std::sqrt(v); });
}

Result<Vector> sgn_function(const FunctionInput& input) {
  // 0, -0 and NaN are their own sign.
  return each_sample(input, [](double v) { return v < 0 ? -1.0 : v > 0 ? 1.0 : v; });
}

Result<Vector> round_function(const FunctionInput& input) {
  double to_nearest = 1;
  if (input.args.size() >= 2) {
    auto scalar = scalar_arg(input, 1);
    if (!scalar) return scalar.status();
    to_nearest = *scalar;
  }
  // Multiplying by the inverse rounds better than dividing (0.1 is inexact,
  // 10 is not).
  const double inverse = 1.0 / to_nearest;
  return each_sample(input,
                     [inverse](double v) { return std::floor(v * inverse + 0.5) / inverse; });
}

Result<Vector> clamp_function(const FunctionInput& input) {
  auto min = scalar_arg(input, 1);
  if (!min) return min.status();
  auto max = scalar_arg(input, 2);
  if (!max) return max.status();
  if (*max < *min) return Vector{};
  return each_sample(input, [lo = *min, hi = *max](double v) { return go_max(lo, go_min(hi, v)); });
}

Result<Vector> clamp_min_function(const FunctionInput& input) {
  auto min = scalar_arg(input, 1);
  if (!min) return min.status();
  return each_sample(input, [lo = *min](double v) { return go_max(lo, v); });
}

Result<Vector> clamp_max_function(const FunctionInput& input) {
  auto max = scalar_arg(input, 1);
  if (!max) return max.status();
  return each_sample(input, [hi = *max](double v) { return go_min(hi, v); });
}

Result<Vector> sin_function(const FunctionInput& input) {
  return each_sample(input, [](double v) { return std::sin(v); });
}
Result<Vector> cos_function(const FunctionInput& input) {
  return each_sample(input, [](double v) { return std::cos(v); });
}
Result<Vector> tan_function(const FunctionInput& input) {
  return each_sample(input, [](double v) { return std::tan(v); });
}
Result<Vector> asin_function(const FunctionInput& input) {
  return each_sample(input, [](double v) { return std::asin(v); });
}
Result<Vector> acos_function(const FunctionInput& input) {
  return each_sample(input, [](double v) { return std::acos(v); });
}
Result<Vector> atan_function(const FunctionInput& input) {
  return each_sample(input, [](double v) { return std::atan(v); });
}
Result<Vector> sinh_function(const FunctionInput& input) {
  return each_sample(input, [](double v) { return std::sinh(v); });
}
Result<Vector> cosh_function(const FunctionInput& input) {
  return each_sample(input, [](double v) { return std::cosh(v); });
}
Result<Vector> tanh_function(const FunctionInput& input) {
  return each_sample(input, [](double v) { return std::tanh(v); });
}
Result<Vector> asinh_function(const FunctionInput& input) {
  return each_sample(input, [](double v) { return std::asinh(v); });
}
Result<Vector> acosh_function(const FunctionInput& input) {
  return each_sample(input, [](double v) { return std::acosh(v); });
}
Result<Vector> atanh_function(const FunctionInput& input) {
  return each_sample(input, [](double v) { return std::atanh(v); });
}

// Left to right as Go evaluates v * 180 / Pi, so rounding matches.
Result<Vector> deg_function(const FunctionInput& input) {
  return each_sample(input, [](double v) { return v * 180 / std::numbers::pi; });
}
Result<Vector> rad_function(const FunctionInput& input) {
  return each_sample(input, [](double v) { return v * std::numbers::pi / 180; });
}

Result<Vector> pi_function(const FunctionInput&) {
  return Vector{VectorSample{Labels(), 0, std::numbers::pi}};
}

}  // namespace mc::query
