#include "common/util/duration.hpp"

#include <array>
#include <cstdint>
#include <iterator>
#include <limits>

#include <fmt/format.h>

namespace mc {

namespace {

struct DurationUnit {
  std::string_view name;
  int64_t milliseconds;
};

constexpr int64_t kSecond = 1000;
constexpr int64_t kMinute = 60 * kSecond;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;
constexpr int64_t kWeek = 7 * kDay;
constexpr int64_t kYear = 365 * kDay;

// Largest first; a duration must name its units in this order, each at most once.
constexpr std::array<DurationUnit, 7> kUnits = {{
    {"y", kYear},
    {"w", kWeek},
    {"d", kDay},
    {"h", kHour},
    {"m", kMinute},
    {"s", kSecond},
    {"ms", 1},
}};

// Prometheus keeps durations as Go time.Duration (int64 nanoseconds), so anything
// past about 292 years is "out of range" there; we keep the same limit so a
// config valid here is valid in Prometheus and the other way round.
constexpr uint64_t kNanosecondsPerMillisecond = 1'000'000;
constexpr uint64_t kMaxNanoseconds = std::numeric_limits<int64_t>::max();

bool is_digit(char c) { return c >= '0' && c <= '9'; }

Status not_valid(std::string_view text) {
  return Status::error(fmt::format("not a valid duration string: {:?}", text));
}

}  // namespace

Result<std::chrono::milliseconds> parse_duration(std::string_view text) {
  if (text == "0") return std::chrono::milliseconds(0);  // Prometheus allows a bare 0
  if (text.empty()) return Status::error("empty duration string");

  uint64_t total_nanoseconds = 0;
  size_t next_unit = 0;  // index into kUnits of the smallest unit still allowed
  std::string_view rest = text;
  while (!rest.empty()) {
    if (!is_digit(rest.front())) return not_valid(text);
    uint64_t number = 0;
    size_t digits = 0;
    for (; digits < rest.size() && is_digit(rest[digits]); ++digits) {
      uint64_t digit = static_cast<uint64_t>(rest[digits] - '0');
      // Go's ParseUint fails on a number past uint64, and ParseDuration reports
      // that as an invalid string rather than as out of range.
      if (number > (std::numeric_limits<uint64_t>::max() - digit) / 10) return not_valid(text);
      number = number * 10 + digit;
    }
    rest.remove_prefix(digits);

    size_t unit_length = 0;
    while (unit_length < rest.size() && !is_digit(rest[unit_length])) ++unit_length;
    if (unit_length == 0) return not_valid(text);
    std::string_view unit_name = rest.substr(0, unit_length);
    rest.remove_prefix(unit_length);

    size_t unit_index = 0;
    while (unit_index < kUnits.size() && kUnits[unit_index].name != unit_name) ++unit_index;
    if (unit_index == kUnits.size()) {
      return Status::error(fmt::format("unknown unit {:?} in duration {:?}", unit_name, text));
    }
    if (unit_index < next_unit) return not_valid(text);
    next_unit = unit_index + 1;

    uint64_t unit_nanoseconds =
        static_cast<uint64_t>(kUnits[unit_index].milliseconds) * kNanosecondsPerMillisecond;
    if (number > (kMaxNanoseconds + 1) / unit_nanoseconds) {
      return Status::error("duration out of range");
    }
    total_nanoseconds += number * unit_nanoseconds;
    if (total_nanoseconds > kMaxNanoseconds) return Status::error("duration out of range");
  }
  return std::chrono::milliseconds(
      static_cast<int64_t>(total_nanoseconds / kNanosecondsPerMillisecond));
}

std::string format_duration(std::chrono::milliseconds duration) {
  int64_t count_ms = duration.count();
  if (count_ms == 0) return "0s";
  std::string out;
  // Prometheus prints nothing for a negative duration; a sign is more useful
  // in our logs and cannot be confused with a valid positive spelling.
  if (count_ms < 0) out += '-';
  // Unsigned so that the most negative value has a magnitude too.
  uint64_t remaining =
      count_ms < 0 ? 0 - static_cast<uint64_t>(count_ms) : static_cast<uint64_t>(count_ms);
  for (const auto& unit : kUnits) {
    auto unit_ms = static_cast<uint64_t>(unit.milliseconds);
    // Years and weeks only when they divide exactly: "90d" reads better than "12w6d".
    bool exact_only = unit.milliseconds == kYear || unit.milliseconds == kWeek;
    if (exact_only && remaining % unit_ms != 0) continue;
    uint64_t count = remaining / unit_ms;
    if (count > 0) {
      fmt::format_to(std::back_inserter(out), "{}{}", count, unit.name);
      remaining -= count * unit_ms;
    }
  }
  return out;
}

}  // namespace mc
