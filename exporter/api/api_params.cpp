#include "exporter/api/api_params.hpp"

#include <fmt/format.h>

#include <charconv>
#include <chrono>
#include <cmath>
#include <limits>

#include "common/util/duration.hpp"

namespace mc::api {

namespace {

constexpr int64_t kMaxMs = std::numeric_limits<int64_t>::max();
constexpr int64_t kMinMs = std::numeric_limits<int64_t>::min();

// Go's strconv.ParseFloat for the decimal forms clients send: an optional
// sign, digits, a fraction, an exponent, "Inf" and "NaN".
std::optional<double> parse_go_float(std::string_view text) {
  std::string_view digits = text;
  bool negative = false;
  if (!digits.empty() && (digits.front() == '+' || digits.front() == '-')) {
    negative = digits.front() == '-';
    digits.remove_prefix(1);
    // from_chars takes no sign of its own; a second one is not a number.
    if (!digits.empty() && (digits.front() == '+' || digits.front() == '-')) return std::nullopt;
  }
  if (digits.empty()) return std::nullopt;
  double value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec == std::errc::result_out_of_range) {
    // Go answers ±Inf or 0 with an error; Prometheus refuses the value then.
    return std::nullopt;
  }
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return negative ? -value : value;
}

bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

int to_int(std::string_view digits) {
  int value = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), value);
  return value;
}

// time.Parse(time.RFC3339Nano, text): "2006-01-02T15:04:05[.fraction](Z|±hh:mm)".
std::optional<int64_t> parse_rfc3339_ms(std::string_view text) {
  constexpr size_t kDateTimeLength = 19;  // "2006-01-02T15:04:05"
  if (text.size() < kDateTimeLength + 1) return std::nullopt;
  const std::string_view date_time = text.substr(0, kDateTimeLength);
  if (date_time[4] != '-' || date_time[7] != '-' || date_time[10] != 'T' || date_time[13] != ':' ||
      date_time[16] != ':') {
    return std::nullopt;
  }
  const std::string_view year_text = date_time.substr(0, 4);
  const std::string_view month_text = date_time.substr(5, 2);
  const std::string_view day_text = date_time.substr(8, 2);
  const std::string_view hour_text = date_time.substr(11, 2);
  const std::string_view minute_text = date_time.substr(14, 2);
  const std::string_view second_text = date_time.substr(17, 2);
  for (std::string_view part :
       {year_text, month_text, day_text, hour_text, minute_text, second_text}) {
    if (!all_digits(part)) return std::nullopt;
  }
  using namespace std::chrono;
  const year_month_day date{year{to_int(year_text)},
                            month{static_cast<unsigned>(to_int(month_text))},
                            day{static_cast<unsigned>(to_int(day_text))}};
  const int hours = to_int(hour_text);
  const int minutes = to_int(minute_text);
  const int seconds = to_int(second_text);
  if (!date.ok() || hours > 23 || minutes > 59 || seconds > 59) return std::nullopt;

  std::string_view rest = text.substr(kDateTimeLength);
  int64_t fraction_ms = 0;
  if (rest.front() == '.') {
    size_t digits = 1;
    while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9') ++digits;
    const std::string_view fraction = rest.substr(1, digits - 1);
    if (fraction.empty() || fraction.size() > 9) return std::nullopt;
    for (size_t i = 0; i < 3; ++i) {
      fraction_ms = fraction_ms * 10 + (i < fraction.size() ? fraction[i] - '0' : 0);
    }
    rest.remove_prefix(digits);
  }
  int64_t zone_offset_s = 0;
  if (rest == "Z") {
    zone_offset_s = 0;
  } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':' &&
             all_digits(rest.substr(1, 2)) && all_digits(rest.substr(4, 2))) {
    const int zone_hours = to_int(rest.substr(1, 2));
    const int zone_minutes = to_int(rest.substr(4, 2));
    if (zone_hours > 23 || zone_minutes > 59) return std::nullopt;
    zone_offset_s = (zone_hours * 3600 + zone_minutes * 60) * (rest[0] == '-' ? -1 : 1);
  } else {
    return std::nullopt;
  }
  const int64_t day_count = sys_days{date}.time_since_epoch().count();
  const int64_t epoch_seconds =
      day_count * 86400 + hours * 3600 + minutes * 60 + seconds - zone_offset_s;
  return epoch_seconds * 1000 + fraction_ms;
}

Status not_a_timestamp(std::string_view text) {
  return Status::error(fmt::format("cannot parse \"{}\" to a valid timestamp", text));
}

}  // namespace

Result<int64_t> parse_time(std::string_view text) {
  if (const std::optional<double> seconds = parse_go_float(text)) {
    if (!std::isfinite(*seconds)) return not_a_timestamp(text);
    double whole = 0;
    const double fraction = std::modf(*seconds, &whole);
    const double ms = whole * 1000 + std::round(fraction * 1000);
    if (ms >= static_cast<double>(kMaxMs)) return kMaxMs;
    if (ms <= static_cast<double>(kMinMs)) return kMinMs;
    return static_cast<int64_t>(ms);
  }
  if (const std::optional<int64_t> ms = parse_rfc3339_ms(text)) return *ms;
  return not_a_timestamp(text);
}

Result<int64_t> parse_duration_ns(std::string_view text) {
  if (const std::optional<double> seconds = parse_go_float(text)) {
    const double ns = *seconds * 1e9;
    // Go compares against float64(MaxInt64), which rounds up to 2^63.
    if (!(ns < 0x1p63 && ns >= -0x1p63)) {
      return Status::error(
          fmt::format("cannot parse \"{}\" to a valid duration. It overflows int64", text));
    }
    return static_cast<int64_t>(ns);
  }
  if (auto duration = parse_duration(text)) {
    const int64_t ms = duration->count();
    if (ms <= std::numeric_limits<int64_t>::max() / 1'000'000) return ms * 1'000'000;
  }
  return Status::error(fmt::format("cannot parse \"{}\" to a valid duration", text));
}

Result<int64_t> parse_time_param(std::optional<std::string_view> value, std::string_view name,
                                 int64_t default_ms) {
  if (!value || value->empty()) return default_ms;
  auto parsed = parse_time(*value);
  if (!parsed) {
    return Status::error(fmt::format("Invalid time value for '{}': {}", name, parsed.error()));
  }
  return parsed;
}

}  // namespace mc::api
