#include "common/query/time_functions.hpp"

#include <cmath>
#include <cstdint>
#include <limits>

#include "common/query/function_args.hpp"

namespace mc::query {
namespace {

// A UTC calendar date and time of day, proleptic Gregorian, as Go's time
// package gives it.
struct CivilTime {
  int64_t year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
  int day_of_year = 1;
  int day_of_week = 4;  // 0 Sunday; 1970-01-01 was a Thursday
  int hour = 0;
  int minute = 0;
};

// Division rounding toward minus infinity, for days before year 0.
int64_t floor_div(int64_t a, int64_t b) {
  const bool rounded_up = a % b != 0 && (a < 0) != (b < 0);
  return rounded_up ? a / b - 1 : a / b;
}

bool is_leap_year(int64_t year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int64_t year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap_year(year) ? 29 : kDays[month - 1];
}

// Seconds from Go's "absolute zero" (January 1 of year -292277022399, a
// Monday) to the Unix epoch. Go's time package reads a time as unsigned
// seconds since then, so times beyond its range wrap around as they do
// there: the NaN that int64() turns into its minimum is 292277026596-12-04
// 15:30:08 in Prometheus, and here.
constexpr uint64_t kUnixToAbsoluteSeconds = 9223372028715321600ULL;
constexpr uint64_t kSecondsPerDay = 86400;

CivilTime civil_from_unix_seconds(int64_t seconds) {
  const uint64_t absolute = static_cast<uint64_t>(seconds) + kUnixToAbsoluteSeconds;
  CivilTime civil;
  const uint64_t second_of_day = absolute % kSecondsPerDay;
  civil.hour = static_cast<int>(second_of_day / 3600);
  civil.minute = static_cast<int>(second_of_day % 3600 / 60);
  // Absolute day 0 was a Monday (1 with Sunday as 0).
  civil.day_of_week = static_cast<int>((absolute / kSecondsPerDay + 1) % 7);

  // Howard Hinnant's days-to-civil over 400-year eras, from days since
  // 1970-01-01 (at most about 2^47, far from overflowing).
  const auto days = static_cast<int64_t>(absolute / kSecondsPerDay) -
                    static_cast<int64_t>(kUnixToAbsoluteSeconds / kSecondsPerDay);
  const int64_t shifted = days + 719468;  // days from 0000-03-01
  const int64_t era = floor_div(shifted, 146097);
  const int64_t day_of_era = shifted - era * 146097;
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int64_t day_of_march_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t month_index = (5 * day_of_march_year + 2) / 153;  // 0 = March
  civil.day = static_cast<int>(day_of_march_year - (153 * month_index + 2) / 5 + 1);
  civil.month = static_cast<int>(month_index < 10 ? month_index + 3 : month_index - 9);
  civil.year = year_of_era + era * 400 + (civil.month <= 2 ? 1 : 0);

  int day_of_year = civil.day;
  for (int month = 1; month < civil.month; ++month) day_of_year += days_in_month(civil.year, month);
  civil.day_of_year = day_of_year;
  return civil;
}

// Go's int64(v) on amd64, which Prometheus 2.42 runs: truncation toward
// zero, and the "integer indefinite" minimum for NaN and out-of-range values.
int64_t go_int64(double v) {
  if (std::isnan(v) || v >= 9223372036854775808.0 || v < -9223372036854775808.0) {
    return std::numeric_limits<int64_t>::min();
  }
  return static_cast<int64_t>(v);
}

using CivilField = double (*)(const CivilTime& civil);

// dateWrapper of 2.42: each sample's value as Unix seconds, or without an
// argument the step's time as one unlabelled sample.
Result<Vector> calendar(const FunctionInput& input, CivilField field) {
  if (input.args.empty()) {
    // Go's integer division truncates toward zero too.
    return Vector{VectorSample{Labels(), 0, field(civil_from_unix_seconds(input.t_ms / 1000))}};
  }
  auto vector = vector_arg(input, 0);
  if (!vector) return vector.status();
  Vector out;
  out.reserve((*vector)->size());
  for (const VectorSample& sample : **vector) {
    out.push_back(VectorSample{drop_metric_name(sample.labels), 0,
                               field(civil_from_unix_seconds(go_int64(sample.v)))});
  }
  return out;
}

}  // namespace

Result<Vector> time_function(const FunctionInput& input) {
  return Vector{VectorSample{Labels(), 0, static_cast<double>(input.t_ms) / 1000}};
}

Result<Vector> timestamp_function(const FunctionInput& input) {
  auto vector = vector_arg(input, 0);
  if (!vector) return vector.status();
  Vector out;
  out.reserve((*vector)->size());
  for (const VectorSample& sample : **vector) {
    out.push_back(
        VectorSample{drop_metric_name(sample.labels), 0, static_cast<double>(sample.t_ms) / 1000});
  }
  return out;
}

Result<Vector> year_function(const FunctionInput& input) {
  return calendar(input, [](const CivilTime& c) { return static_cast<double>(c.year); });
}
Result<Vector> month_function(const FunctionInput& input) {
  return calendar(input, [](const CivilTime& c) { return static_cast<double>(c.month); });
}
Result<Vector> day_of_month_function(const FunctionInput& input) {
  return calendar(input, [](const CivilTime& c) { return static_cast<double>(c.day); });
}
Result<Vector> day_of_year_function(const FunctionInput& input) {
  return calendar(input, [](const CivilTime& c) { return static_cast<double>(c.day_of_year); });
}
Result<Vector> day_of_week_function(const FunctionInput& input) {
  return calendar(input, [](const CivilTime& c) { return static_cast<double>(c.day_of_week); });
}
Result<Vector> days_in_month_function(const FunctionInput& input) {
  return calendar(input, [](const CivilTime& c) {
    return static_cast<double>(days_in_month(c.year, c.month));
  });
}
Result<Vector> hour_function(const FunctionInput& input) {
  return calendar(input, [](const CivilTime& c) { return static_cast<double>(c.hour); });
}
Result<Vector> minute_function(const FunctionInput& input) {
  return calendar(input, [](const CivilTime& c) { return static_cast<double>(c.minute); });
}

}  // namespace mc::query
