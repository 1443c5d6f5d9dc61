#include "common/exposition/parse_number.hpp"

#include <charconv>
#include <limits>
#include <system_error>

#include "common/exposition/parse_chars.hpp"

namespace mc::exposition_detail {
namespace {

bool is_digit(char c) { return static_cast<unsigned char>(c - '0') < 10; }

bool equals_ignoring_case(std::string_view text, std::string_view lower_word) {
  if (text.size() != lower_word.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((text[i] | 0x20) != lower_word[i]) return false;
  }
  return true;
}

// The pieces of [+-] digits [. digits] [e [+-] digits], validated.
struct DecimalParts {
  bool negative = false;
  std::string_view integer_digits;
  std::string_view fraction_digits;
  int64_t exponent = 0;  // clamped far beyond any double or timestamp range
};

std::optional<DecimalParts> split_decimal(std::string_view text) {
  DecimalParts parts;
  size_t i = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    parts.negative = text[i] == '-';
    ++i;
  }
  size_t start = i;
  while (i < text.size() && is_digit(text[i])) ++i;
  parts.integer_digits = text.substr(start, i - start);
  if (i < text.size() && text[i] == '.') {
    start = ++i;
    while (i < text.size() && is_digit(text[i])) ++i;
    parts.fraction_digits = text.substr(start, i - start);
  }
  if (parts.integer_digits.empty() && parts.fraction_digits.empty()) return std::nullopt;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exponent_negative = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
      exponent_negative = text[i] == '-';
      ++i;
    }
    start = i;
    while (i < text.size() && is_digit(text[i])) {
      if (parts.exponent < 1'000'000) parts.exponent = parts.exponent * 10 + (text[i] - '0');
      ++i;
    }
    if (i == start) return std::nullopt;
    if (exponent_negative) parts.exponent = -parts.exponent;
  }
  if (i != text.size()) return std::nullopt;
  return parts;
}

// Whether a decimal that std::from_chars found out of range is tiny (below the
// smallest subnormal) rather than huge: its leading digit's power of ten.
bool is_underflow(const DecimalParts& parts) {
  int64_t leading_power = 0;
  size_t first_nonzero = parts.integer_digits.find_first_not_of('0');
  if (first_nonzero != std::string_view::npos) {
    leading_power = static_cast<int64_t>(parts.integer_digits.size() - first_nonzero);
  } else {
    first_nonzero = parts.fraction_digits.find_first_not_of('0');
    leading_power = -static_cast<int64_t>(first_nonzero);
  }
  return leading_power + parts.exponent <= 0;
}

}  // namespace

std::optional<double> parse_sample_value(std::string_view text) {
  // Most values on a real page are small integers: convert them exactly here.
  if (!text.empty() && text.size() <= 15) {
    uint64_t integer = 0;
    size_t i = 0;
    while (i < text.size() && is_digit(text[i])) integer = integer * 10 + (text[i++] - '0');
    if (i == text.size()) return static_cast<double>(integer);
  }
  if (text.empty()) return std::nullopt;
  std::string_view unsigned_text = text;
  const bool has_sign = text[0] == '+' || text[0] == '-';
  if (has_sign) unsigned_text.remove_prefix(1);
  if (!unsigned_text.empty() && (unsigned_text[0] | 0x20) >= 'a' &&
      (unsigned_text[0] | 0x20) <= 'z') {
    if (equals_ignoring_case(unsigned_text, "inf") ||
        equals_ignoring_case(unsigned_text, "infinity")) {
      return text[0] == '-' ? -std::numeric_limits<double>::infinity()
                            : std::numeric_limits<double>::infinity();
    }
    // Go accepts no sign before NaN.
    if (!has_sign && equals_ignoring_case(unsigned_text, "nan")) {
      return std::numeric_limits<double>::quiet_NaN();
    }
    return std::nullopt;
  }
  const auto parts = split_decimal(text);
  if (!parts) return std::nullopt;
  // std::from_chars takes no leading '+'.
  const char* first = text.data() + (text[0] == '+' ? 1 : 0);
  const char* last = text.data() + text.size();
  double value = 0;
  const auto [end, error] = std::from_chars(first, last, value);
  if (error == std::errc::result_out_of_range) {
    if (!is_underflow(*parts)) return std::nullopt;
    return parts->negative ? -0.0 : 0.0;
  }
  if (error != std::errc() || end != last) return std::nullopt;
  return value;
}

std::optional<int64_t> parse_prometheus_timestamp(std::string_view text) {
  if (text.empty()) return std::nullopt;
  uint64_t value = 0;
  for (char c : text) {
    if (!is_digit(c)) return std::nullopt;
    if (value > (static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) - (c - '0')) / 10) {
      return std::nullopt;
    }
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  return static_cast<int64_t>(value);
}

std::optional<OpenMetricsTimestamp> parse_openmetrics_timestamp(std::string_view text) {
  const auto parts = split_decimal(text);
  if (!parts) return std::nullopt;
  // value in ns = (all digits as one integer) * 10^scale.
  const auto digit_count =
      static_cast<int64_t>(parts->integer_digits.size() + parts->fraction_digits.size());
  const int64_t scale = parts->exponent - static_cast<int64_t>(parts->fraction_digits.size()) + 9;
  // Digits below the nanosecond are truncated, like Python's Timestamp and Go's int64().
  const int64_t kept_digits = scale < 0 ? digit_count + scale : digit_count;
  // Far beyond int64 milliseconds (9.2e24 ns); values past it saturate.
  constexpr OpenMetricsNanos kSaturation =
      static_cast<OpenMetricsNanos>(1'000'000'000'000'000'000) *
      static_cast<OpenMetricsNanos>(1'000'000'000'000);
  OpenMetricsNanos nanos = 0;
  int64_t index = 0;
  for (std::string_view digits : {parts->integer_digits, parts->fraction_digits}) {
    for (char c : digits) {
      if (index++ >= kept_digits) break;
      nanos = nanos * 10 + (c - '0');
      if (nanos > kSaturation) nanos = kSaturation;
    }
  }
  for (int64_t i = 0; i < scale && nanos != 0 && nanos < kSaturation; ++i) {
    nanos *= 10;
    if (nanos > kSaturation) nanos = kSaturation;
  }
  if (parts->negative) nanos = -nanos;
  OpenMetricsTimestamp timestamp;
  timestamp.nanos = nanos;
  const OpenMetricsNanos ms = nanos / 1'000'000;  // truncates toward zero
  if (ms > std::numeric_limits<int64_t>::max()) {
    timestamp.ms = std::numeric_limits<int64_t>::max();
  } else if (ms < std::numeric_limits<int64_t>::min()) {
    timestamp.ms = std::numeric_limits<int64_t>::min();
  } else {
    timestamp.ms = static_cast<int64_t>(ms);
  }
  return timestamp;
}

}  // namespace mc::exposition_detail
