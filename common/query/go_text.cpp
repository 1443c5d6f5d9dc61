#include "common/query/go_text.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "common/util/utf8.hpp"

namespace mc::query {
namespace {

// unicode.IsPrint for the runes PromQL text meets: ASCII graphics and space,
// and the rest of Unicode except the control, format and separator runes Go
// escapes. Go's full tables are larger; the differences are unassigned runes.
bool is_printable(char32_t rune) {
  if (rune < 0x20 || rune == 0x7F) return false;
  if (rune < 0x7F) return true;
  if (rune >= 0x80 && rune <= 0xA0) return false;  // C1 controls, no-break space
  if (rune == 0xAD) return false;                  // soft hyphen
  if (rune >= 0x2000 && rune <= 0x200F) return false;
  if (rune >= 0x2028 && rune <= 0x202F) return false;
  if (rune >= 0x205F && rune <= 0x206F) return false;
  if (rune == 0x3000 || rune == 0xFEFF) return false;
  if (rune >= 0xD800 && rune <= 0xDFFF) return false;
  if (rune >= 0xE000 && rune <= 0xF8FF) return false;  // private use
  if (rune >= 0xFFF9 && rune <= 0xFFFB) return false;
  if ((rune & 0xFFFE) == 0xFFFE) return false;  // noncharacters
  if (rune > 0x10FFFF) return false;
  return true;
}

void append_escaped_rune(std::string& out, char32_t rune, char quote) {
  if (rune == static_cast<char32_t>(quote) || rune == '\\') {
    out += '\\';
    out += static_cast<char>(rune);
    return;
  }
  if (is_printable(rune)) {
    append_utf8(out, rune);
    return;
  }
  switch (rune) {
    case '\a':
      out += "\\a";
      return;
    case '\b':
      out += "\\b";
      return;
    case '\f':
      out += "\\f";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    case '\v':
      out += "\\v";
      return;
    default:
      break;
  }
  if (rune < ' ' || rune == 0x7F) {
    out += fmt::format("\\x{:02x}", static_cast<unsigned>(rune));
  } else if (rune < 0x10000) {
    out += fmt::format("\\u{:04x}", static_cast<unsigned>(rune));
  } else {
    out += fmt::format("\\U{:08x}", static_cast<unsigned>(rune));
  }
}

}  // namespace

DecodedRune decode_rune(std::string_view text) {
  if (text.empty()) return {kRuneError, 0};
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char first = byte(0);
  if (first < 0x80) return {first, 1};
  size_t length = 0;
  char32_t rune = 0;
  char32_t minimum = 0;
  if (first >= 0xC2 && first <= 0xDF) {
    length = 2, rune = first & 0x1F, minimum = 0x80;
  } else if (first >= 0xE0 && first <= 0xEF) {
    length = 3, rune = first & 0x0F, minimum = 0x800;
  } else if (first >= 0xF0 && first <= 0xF4) {
    length = 4, rune = first & 0x07, minimum = 0x10000;
  } else {
    return {kRuneError, 1};
  }
  if (text.size() < length) return {kRuneError, 1};
  for (size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return {kRuneError, 1};
    rune = (rune << 6) | (byte(i) & 0x3F);
  }
  if (rune < minimum || rune > 0x10FFFF || (rune >= 0xD800 && rune <= 0xDFFF)) {
    return {kRuneError, 1};
  }
  return {rune, length};
}

std::string go_quote(std::string_view text) {
  return go_quote_prefix(text, std::string_view::npos);
}

std::string go_quote_prefix(std::string_view text, size_t max_runes) {
  std::string out = "\"";
  size_t runes = 0;
  while (!text.empty() && runes < max_runes) {
    const DecodedRune decoded = decode_rune(text);
    if (decoded.rune == kRuneError && decoded.width == 1) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(text[0]));
    } else {
      append_escaped_rune(out, decoded.rune, '"');
    }
    text.remove_prefix(decoded.width);
    ++runes;
  }
  out += '"';
  return out;
}

std::string go_quote_rune(char32_t rune) {
  if (rune > 0x10FFFF || (rune >= 0xD800 && rune <= 0xDFFF)) rune = kRuneError;
  std::string out = "'";
  append_escaped_rune(out, rune, '\'');
  out += '\'';
  return out;
}

std::string go_unicode_name(char32_t rune) {
  std::string out = fmt::format("U+{:04X}", static_cast<unsigned>(rune));
  if (is_printable(rune)) {
    out += " '";
    append_utf8(out, rune);
    out += "'";
  }
  return out;
}

std::string go_format_float(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value == 0) return std::signbit(value) ? "-0" : "0";
  // The shortest digits that read back as the same double, as Go picks them.
  char buffer[64];
  const auto result =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
  const std::string_view scientific(buffer, static_cast<size_t>(result.ptr - buffer));
  const size_t e_at = scientific.find('e');
  std::string_view mantissa = scientific.substr(0, e_at);
  const int exponent = std::atoi(std::string(scientific.substr(e_at + 1)).c_str());
  std::string sign;
  if (mantissa.front() == '-') {
    sign = "-";
    mantissa.remove_prefix(1);
  }
  std::string digits;
  for (char c : mantissa) {
    if (c != '.') digits += c;
  }
  // strconv's 'g' with the shortest precision switches to an exponent at 1e+06.
  if (exponent < -4 || exponent >= 6) {
    std::string out = sign + digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    out += fmt::format("e{}{:02d}", exponent < 0 ? '-' : '+', std::abs(exponent));
    return out;
  }
  std::string out = sign;
  if (exponent < 0) {
    out += "0." + std::string(static_cast<size_t>(-exponent - 1), '0') + digits;
  } else if (static_cast<size_t>(exponent) + 1 >= digits.size()) {
    out += digits + std::string(static_cast<size_t>(exponent) + 1 - digits.size(), '0');
  } else {
    out += digits.substr(0, static_cast<size_t>(exponent) + 1) + "." +
           digits.substr(static_cast<size_t>(exponent) + 1);
  }
  return out;
}

}  // namespace mc::query
