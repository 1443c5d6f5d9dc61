#include "common/exposition/format_value.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace mc {

namespace {

// Go's 'g' with the shortest precision switches to exponent form at a decimal
// exponent of 6 (strconv/ftoa.go: "if precision was the shortest possible, use
// precision 6 for this decision").
constexpr int kExponentFormFrom = 6;
constexpr int kExponentFormBelow = -4;

// Appends `value` (finite, nonzero) in Go's %g shortest form. Returns whether
// the text holds a '.' or an exponent, so OpenMetrics knows when to add ".0".
bool append_shortest(std::string& out, double value) {
  // to_chars in scientific form gives the shortest round-trip digits, with
  // the exponent spelled as Go spells it (sign, at least two digits).
  char buffer[32];
  auto [end, error] =
      std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::scientific);
  (void)error;  // 32 bytes always suffice for a double
  const char* cursor = buffer;
  const bool negative = *cursor == '-';
  if (negative) ++cursor;
  const char* exponent_mark = cursor;
  while (exponent_mark < end && *exponent_mark != 'e') ++exponent_mark;
  int exponent = 0;
  std::from_chars(exponent_mark + 1 + (exponent_mark[1] == '+' ? 1 : 0), end, exponent);

  if (exponent < kExponentFormBelow || exponent >= kExponentFormFrom) {
    out.append(buffer, end);
    return true;
  }

  char digits[20];
  int digit_count = 0;
  for (const char* p = cursor; p < exponent_mark; ++p) {
    if (*p != '.') digits[digit_count++] = *p;
  }
  if (negative) out += '-';
  bool has_point = false;
  if (exponent < 0) {
    out += "0.";
    out.append(static_cast<size_t>(-exponent - 1), '0');
    out.append(digits, static_cast<size_t>(digit_count));
    has_point = true;
  } else {
    const int integer_digits = exponent + 1;
    if (digit_count <= integer_digits) {
      out.append(digits, static_cast<size_t>(digit_count));
      out.append(static_cast<size_t>(integer_digits - digit_count), '0');
    } else {
      out.append(digits, static_cast<size_t>(integer_digits));
      out += '.';
      out.append(digits + integer_digits, static_cast<size_t>(digit_count - integer_digits));
      has_point = true;
    }
  }
  return has_point;
}

// Appends NaN/+Inf/-Inf; false when the value is finite.
bool append_special(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "NaN";
    return true;
  }
  if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
    return true;
  }
  return false;
}

void append_integer(std::string& out, int64_t value) {
  char buffer[24];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  (void)error;
  out.append(buffer, end);
}

}  // namespace

void append_text_float(std::string& out, double value) {
  if (append_special(out, value)) return;
  if (value == 0) {  // both zeros, as expfmt's writeFloat
    out += '0';
    return;
  }
  append_shortest(out, value);
}

void append_openmetrics_float(std::string& out, double value) {
  if (append_special(out, value)) return;
  if (value == 0) {
    out += "0.0";
    return;
  }
  if (!append_shortest(out, value)) out += ".0";
}

void append_text_timestamp(std::string& out, int64_t timestamp_ms) {
  append_integer(out, timestamp_ms);
}

void append_openmetrics_timestamp(std::string& out, int64_t timestamp_ms) {
  // Written from the integer parts, not through a double, so no precision is
  // lost (client_golang's float conversion would print 1.605281325123e+09).
  uint64_t magnitude = timestamp_ms < 0 ? 0 - static_cast<uint64_t>(timestamp_ms)
                                        : static_cast<uint64_t>(timestamp_ms);
  if (timestamp_ms < 0) out += '-';
  char buffer[24];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof(buffer), magnitude / 1000);
  (void)error;
  out.append(buffer, end);
  auto millis = static_cast<unsigned>(magnitude % 1000);
  if (millis == 0) return;
  char fraction[4] = {'.', static_cast<char>('0' + millis / 100),
                      static_cast<char>('0' + millis / 10 % 10),
                      static_cast<char>('0' + millis % 10)};
  size_t length = 4;
  while (fraction[length - 1] == '0') --length;
  out.append(fraction, length);
}

}  // namespace mc
