#include "common/query/go_math.hpp"

#include <cmath>
#include <cstdint>
#include <limits>

namespace mc::query {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

bool is_odd_integer(double value) {
  if (std::fabs(value) >= 9007199254740992.0) return false;  // 2^53: every such double is even
  double integral = 0;
  if (std::modf(value, &integral) != 0) return false;
  return static_cast<int64_t>(integral) % 2 != 0;
}

// The Cephes series for atan on [0, 0.66].
double atan_series(double x) {
  constexpr double p0 = -8.750608600031904122785e-01;
  constexpr double p1 = -1.615753718733365076637e+01;
  constexpr double p2 = -7.500855792314704667340e+01;
  constexpr double p3 = -1.228866684490136173410e+02;
  constexpr double p4 = -6.485021904942025371773e+01;
  constexpr double q0 = +2.485846490142306297962e+01;
  constexpr double q1 = +1.650270098316988542046e+02;
  constexpr double q2 = +4.328810604912902668951e+02;
  constexpr double q3 = +4.853903996359136964868e+02;
  constexpr double q4 = +1.945506571482613964425e+02;
  const double square = x * x;
  const double numerator = (((p0 * square + p1) * square + p2) * square + p3) * square + p4;
  const double denominator =
      ((((square + q0) * square + q1) * square + q2) * square + q3) * square + q4;
  return x * (square * numerator / denominator) + x;
}

// atan of a positive x, reduced to the series' range.
double atan_positive(double x) {
  constexpr double kPi = 3.14159265358979323846264338327950288419716939937510582097494459;
  constexpr double kPiOver2Remainder = 6.123233995736765886130e-17;  // pi/2 - double(pi/2)
  constexpr double kTan3PiOver8 = 2.41421356237309504880;
  if (x <= 0.66) return atan_series(x);
  if (x > kTan3PiOver8) return kPi / 2 - atan_series(1 / x) + kPiOver2Remainder;
  return kPi / 4 + atan_series((x - 1) / (x + 1)) + 0.5 * kPiOver2Remainder;
}

double go_atan(double x) {
  if (x == 0) return x;
  return x > 0 ? atan_positive(x) : -atan_positive(-x);
}

}  // namespace

double go_pow(double x, double y) {
  if (y == 0 || x == 1) return 1;
  if (y == 1) return x;
  if (std::isnan(x) || std::isnan(y)) return kNaN;
  if (x == 0) {
    if (y < 0) return std::signbit(x) && is_odd_integer(y) ? -kInf : kInf;
    return std::signbit(x) && is_odd_integer(y) ? x : 0;
  }
  if (std::isinf(y)) {
    if (x == -1) return 1;
    return (std::fabs(x) < 1) == (y > 0) ? 0 : kInf;
  }
  if (std::isinf(x)) {
    if (x < 0) return go_pow(1 / x, -y);  // Pow(-0, -y)
    return y < 0 ? 0 : kInf;
  }
  if (y == 0.5) return std::sqrt(x);
  if (y == -0.5) return 1 / std::sqrt(x);

  double integral = 0;
  double fraction = std::modf(std::fabs(y), &integral);
  if (fraction != 0 && x < 0) return kNaN;
  if (integral >= 9223372036854775808.0) {
    // An even exponent this large overflows or underflows for every x but -1.
    if (x == -1) return 1;
    return (std::fabs(x) < 1) == (y > 0) ? 0 : kInf;
  }

  // The answer is mantissa * 2^exponent; the fractional power comes first.
  double mantissa = 1;
  int64_t exponent = 0;
  if (fraction != 0) {
    if (fraction > 0.5) {
      fraction -= 1;
      integral += 1;
    }
    mantissa = std::exp(fraction * std::log(x));
  }
  int x_exponent_int = 0;
  double x_mantissa = std::frexp(x, &x_exponent_int);
  int64_t x_exponent = x_exponent_int;
  for (auto bits = static_cast<int64_t>(integral); bits != 0; bits >>= 1) {
    // Past 2^±4096 the next squaring would overflow: the result is 0 or Inf.
    if (x_exponent < -(int64_t{1} << 12) || (int64_t{1} << 12) < x_exponent) {
      exponent += x_exponent;
      break;
    }
    if ((bits & 1) == 1) {
      mantissa *= x_mantissa;
      exponent += x_exponent;
    }
    x_mantissa *= x_mantissa;
    x_exponent <<= 1;
    if (x_mantissa < 0.5) {
      x_mantissa += x_mantissa;
      x_exponent--;
    }
  }
  if (y < 0) {
    mantissa = 1 / mantissa;
    exponent = -exponent;
  }
  // ldexp takes an int; beyond ±2^20 the result is 0 or Inf either way.
  constexpr int64_t kExponentBound = int64_t{1} << 20;
  if (exponent > kExponentBound) exponent = kExponentBound;
  if (exponent < -kExponentBound) exponent = -kExponentBound;
  return std::ldexp(mantissa, static_cast<int>(exponent));
}

double go_mod(double x, double y) {
  // fmod is exact and has Go's special cases (NaN for y = 0 or infinite x,
  // x for infinite y, the sign of x).
  return std::fmod(x, y);
}

double go_atan2(double y, double x) {
  constexpr double kPi = 3.14159265358979323846264338327950288419716939937510582097494459;
  // Rounded once from the exact value, as Go's constant arithmetic does.
  constexpr double k3PiOver4 = 2.35619449019234492884698253745962716314787704953132936573120844;
  if (std::isnan(y) || std::isnan(x)) return kNaN;
  if (y == 0) {
    if (x >= 0 && !std::signbit(x)) return std::copysign(0.0, y);
    return std::copysign(kPi, y);
  }
  if (x == 0) return std::copysign(kPi / 2, y);
  if (std::isinf(x)) {
    if (x > 0) return std::isinf(y) ? std::copysign(kPi / 4, y) : std::copysign(0.0, y);
    return std::isinf(y) ? std::copysign(k3PiOver4, y) : std::copysign(kPi, y);
  }
  if (std::isinf(y)) return std::copysign(kPi / 2, y);
  const double angle = go_atan(y / x);
  if (x < 0) return angle <= 0 ? angle + kPi : angle - kPi;
  return angle;
}

}  // namespace mc::query
