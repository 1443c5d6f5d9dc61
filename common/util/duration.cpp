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
      auto digit = static_cast<uint64_t>(rest[digits] - '0');
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

namespace mc {

namespace {

struct GoDurationUnit {
  std::string_view name;
  uint64_t nanoseconds;
};

// Go's unitMap (time/format.go); both spellings of micro.
constexpr std::array<GoDurationUnit, 8> kGoUnits = {{
    {"ns", 1},
    {"us", 1'000},
    {"\u00b5s", 1'000},  // µ, MICRO SIGN
    {"\u03bcs", 1'000},  // μ, GREEK SMALL LETTER MU
    {"ms", 1'000'000},
    {"s", 1'000'000'000},
    {"m", 60 * 1'000'000'000ULL},
    {"h", 3600 * 1'000'000'000ULL},
}};

Status invalid_go_duration(std::string_view text) {
  return Status::error(fmt::format("invalid duration {:?}", text));
}

}  // namespace

// Follows time.ParseDuration step by step so that the same strings pass and
// fail: [-+]?([0-9]*(\.[0-9]*)?[a-z]+)+, "0" alone, magnitude up to 1<<63
// (only with a minus sign), excess fraction digits dropped rather than rounded.
Result<std::chrono::nanoseconds> parse_go_duration(std::string_view text) {
  constexpr uint64_t kLimit = uint64_t{1} << 63;
  std::string_view rest = text;
  bool negative = false;
  if (!rest.empty() && (rest.front() == '-' || rest.front() == '+')) {
    negative = rest.front() == '-';
    rest.remove_prefix(1);
  }
  if (rest == "0") return std::chrono::nanoseconds(0);
  if (rest.empty()) return invalid_go_duration(text);

  uint64_t total = 0;
  while (!rest.empty()) {
    if (!(rest.front() == '.' || is_digit(rest.front()))) return invalid_go_duration(text);

    // Integer part; past kLimit it is out of range.
    uint64_t whole = 0;
    size_t whole_digits = 0;
    while (whole_digits < rest.size() && is_digit(rest[whole_digits])) {
      if (whole > (kLimit - 1) / 10) return invalid_go_duration(text);
      whole = whole * 10 + static_cast<uint64_t>(rest[whole_digits] - '0');
      if (whole > kLimit) return invalid_go_duration(text);
      ++whole_digits;
    }
    rest.remove_prefix(whole_digits);

    // Fraction: digits kept while they fit, the rest ignored (as Go does).
    uint64_t fraction = 0;
    double fraction_scale = 1;
    size_t fraction_digits = 0;
    bool has_dot = !rest.empty() && rest.front() == '.';
    if (has_dot) {
      rest.remove_prefix(1);
      bool overflowed = false;
      while (fraction_digits < rest.size() && is_digit(rest[fraction_digits])) {
        if (!overflowed) {
          if (fraction > (kLimit - 1) / 10) {
            overflowed = true;
          } else {
            uint64_t next = fraction * 10 + static_cast<uint64_t>(rest[fraction_digits] - '0');
            if (next > kLimit) {
              overflowed = true;
            } else {
              fraction = next;
              fraction_scale *= 10;
            }
          }
        }
        ++fraction_digits;
      }
      rest.remove_prefix(fraction_digits);
    }
    if (whole_digits == 0 && fraction_digits == 0) return invalid_go_duration(text);  // "." alone

    size_t unit_length = 0;
    while (unit_length < rest.size() && rest[unit_length] != '.' && !is_digit(rest[unit_length])) {
      ++unit_length;
    }
    if (unit_length == 0) {
      return Status::error(fmt::format("missing unit in duration {:?}", text));
    }
    std::string_view unit_name = rest.substr(0, unit_length);
    rest.remove_prefix(unit_length);
    const GoDurationUnit* unit = nullptr;
    for (const auto& candidate : kGoUnits) {
      if (candidate.name == unit_name) unit = &candidate;
    }
    if (unit == nullptr) {
      return Status::error(fmt::format("unknown unit {:?} in duration {:?}", unit_name, text));
    }

    if (whole > kLimit / unit->nanoseconds) return invalid_go_duration(text);
    uint64_t value = whole * unit->nanoseconds;
    if (fraction > 0) {
      // Go: float64(f) * (float64(unit) / scale), truncated.
      value += static_cast<uint64_t>(static_cast<double>(fraction) *
                                     (static_cast<double>(unit->nanoseconds) / fraction_scale));
      if (value > kLimit) return invalid_go_duration(text);
    }
    total += value;
    if (total > kLimit) return invalid_go_duration(text);
  }
  if (total == kLimit) {
    if (!negative) return invalid_go_duration(text);
    return std::chrono::nanoseconds(std::numeric_limits<int64_t>::min());
  }
  auto magnitude = static_cast<int64_t>(total);
  return std::chrono::nanoseconds(negative ? -magnitude : magnitude);
}

}  // namespace mc
