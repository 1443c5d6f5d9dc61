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

// A sample value's decimal, read in one pass: what the exact fast path needs,
// and where its first significant digit lies, for telling an out-of-range
// value tiny (zero) from huge (an error).
struct DecimalScan {
  bool negative = false;
  uint64_t significand = 0;    // the significant digits as one integer, if at most 19
  int significant_digits = 0;  // from the first non-zero digit
  int fraction_digits = 0;
  int64_t exponent = 0;  // the written one, clamped far beyond any double
  // The power of ten just above the leading non-zero digit (2 for 12.5, -1
  // for 0.012); 0 when every digit is zero.
  int64_t leading_power = 0;
};

// Validates the grammar [+-] digits [. digits] [e [+-] digits] over the whole
// text. Tight loops: most of a page's values pass here once, and those too long
// for the exact path (17 digits) must cost little more than validating them.
bool scan_decimal(std::string_view text, DecimalScan& scan) {
  const char* p = text.data();
  const char* const end = p + text.size();
  if (p < end && (*p == '+' || *p == '-')) scan.negative = *p++ == '-';
  // Past 19 digits the sum wraps (unsigned, defined); significant_digits says
  // it is not to be used then.
  uint64_t significand = 0;
  const char* const integer_start = p;
  while (p < end && *p == '0') ++p;
  const char* const integer_significant = p;
  while (p < end && is_digit(*p))
    significand = significand * 10 + static_cast<uint64_t>(*p++ - '0');
  bool any_digit = p != integer_start;
  int significant_digits = static_cast<int>(p - integer_significant);
  scan.leading_power = significant_digits;
  if (p < end && *p == '.') {
    const char* const fraction_start = ++p;
    if (significant_digits == 0) {
      while (p < end && *p == '0') ++p;
      scan.leading_power = fraction_start - p;  // zeros after the point, negated
    }
    const char* const fraction_significant = p;
    while (p < end && is_digit(*p)) {
      significand = significand * 10 + static_cast<uint64_t>(*p++ - '0');
    }
    significant_digits += static_cast<int>(p - fraction_significant);
    scan.fraction_digits = static_cast<int>(p - fraction_start);
    any_digit = any_digit || p != fraction_start;
  }
  if (!any_digit) return false;
  if (significant_digits == 0) scan.leading_power = 0;
  scan.significand = significand;
  scan.significant_digits = significant_digits;
  if (p < end && (*p == 'e' || *p == 'E')) {
    ++p;
    bool exponent_negative = false;
    if (p < end && (*p == '+' || *p == '-')) exponent_negative = *p++ == '-';
    const char* const start = p;
    for (; p < end && is_digit(*p); ++p) {
      if (scan.exponent < 1'000'000) scan.exponent = scan.exponent * 10 + (*p - '0');
    }
    if (p == start) return false;
    if (exponent_negative) scan.exponent = -scan.exponent;
  }
  return p == end;
}

// Clinger's fast path: a decimal whose digits, read as one integer, are exact
// in a double (at most 2^53) and whose power of ten is within 22 either way is
// one IEEE multiplication or division of two exact doubles, which rounds once
// and so gives the correctly rounded value, the one std::from_chars finds at
// more cost. nullopt: not such a decimal.
std::optional<double> exact_value(const DecimalScan& scan) {
  static constexpr double kPowersOfTen[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                            1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                            1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  constexpr int64_t kMaxPower = 22;
  if (scan.significant_digits > 19 || scan.significand > (uint64_t{1} << 53)) return std::nullopt;
  const int64_t power = scan.exponent - scan.fraction_digits;
  if (power < -kMaxPower || power > kMaxPower) return std::nullopt;
  double value = static_cast<double>(scan.significand);
  value = power >= 0 ? value * kPowersOfTen[power] : value / kPowersOfTen[-power];
  return scan.negative ? -value : value;
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
  DecimalScan scan;
  if (!scan_decimal(text, scan)) return std::nullopt;
  if (const auto exact = exact_value(scan)) return exact;
  // std::from_chars takes no leading '+'.
  const char* first = text.data() + (text[0] == '+' ? 1 : 0);
  const char* last = text.data() + text.size();
  double value = 0;
  const auto [end, error] = std::from_chars(first, last, value);
  if (error == std::errc::result_out_of_range) {
    // Tiny (below the smallest subnormal) reads as zero; huge is an error, as in Go.
    if (scan.leading_power + scan.exponent > 0) return std::nullopt;
    return scan.negative ? -0.0 : 0.0;
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
