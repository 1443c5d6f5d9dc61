#include "common/query/go_parse_float.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>

namespace mc::query {
namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// How many leading characters of `text` spell `word`, case ignored.
size_t common_prefix_ignoring_case(std::string_view text, std::string_view word) {
  size_t n = 0;
  while (n < text.size() && n < word.size() && lower(text[n]) == word[n]) ++n;
  return n;
}

// strconv's special(): [+-]inf, [+-]infinity, nan (unsigned).
std::optional<double> parse_special(std::string_view text) {
  if (text.empty()) return std::nullopt;
  double sign = 1;
  std::string_view rest = text;
  if (text[0] == '+' || text[0] == '-') {
    sign = text[0] == '-' ? -1 : 1;
    rest.remove_prefix(1);
  } else if (lower(text[0]) == 'n') {
    if (text.size() == 3 && common_prefix_ignoring_case(text, "nan") == 3) {
      return std::numeric_limits<double>::quiet_NaN();
    }
    return std::nullopt;
  }
  const size_t n = common_prefix_ignoring_case(rest, "infinity");
  if ((n == 3 || n == 8) && n == rest.size()) return sign * std::numeric_limits<double>::infinity();
  return std::nullopt;
}

// strconv's underscoreOK(): each '_' between two digits (a base prefix
// counts as a digit).
bool underscores_ok(std::string_view text) {
  char saw = '^';
  size_t i = 0;
  if (!text.empty() && (text[0] == '+' || text[0] == '-')) text.remove_prefix(1);
  bool hex = false;
  if (text.size() >= 2 && text[0] == '0' &&
      (lower(text[1]) == 'b' || lower(text[1]) == 'o' || lower(text[1]) == 'x')) {
    i = 2;
    saw = '0';
    hex = lower(text[1]) == 'x';
  }
  for (; i < text.size(); ++i) {
    const char c = lower(text[i]);
    if ((c >= '0' && c <= '9') || (hex && c >= 'a' && c <= 'f')) {
      saw = '0';
      continue;
    }
    if (c == '_') {
      if (saw != '0') return false;
      saw = '_';
      continue;
    }
    if (saw == '_') return false;
    saw = '!';
  }
  return saw != '_';
}

}  // namespace

std::optional<double> go_parse_float(std::string_view text) {
  if (auto special = parse_special(text)) return special;

  // readFloat's syntax: [+-] (digits [. digits] [e [+-] digits] | 0x hexdigits
  // [. hexdigits] p [+-] digits), underscores anywhere in the digits.
  size_t i = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  bool hex = false;
  if (i + 2 < text.size() && text[i] == '0' && lower(text[i + 1]) == 'x') {
    hex = true;
    i += 2;
  }
  bool underscores = false;
  bool saw_dot = false;
  bool saw_digits = false;
  for (; i < text.size(); ++i) {
    const char c = lower(text[i]);
    if (c == '_') {
      underscores = true;
    } else if (c == '.') {
      if (saw_dot) break;
      saw_dot = true;
    } else if ((c >= '0' && c <= '9') || (hex && c >= 'a' && c <= 'f')) {
      saw_digits = true;
    } else {
      break;
    }
  }
  if (!saw_digits) return std::nullopt;
  const char exponent_mark = hex ? 'p' : 'e';
  if (i < text.size() && lower(text[i]) == exponent_mark) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (i >= text.size() || text[i] < '0' || text[i] > '9') return std::nullopt;
    for (; i < text.size() && ((text[i] >= '0' && text[i] <= '9') || text[i] == '_'); ++i) {
      if (text[i] == '_') underscores = true;
    }
  } else if (hex) {
    return std::nullopt;  // a hex mantissa needs its 'p' exponent
  }
  if (i != text.size()) return std::nullopt;
  if (underscores && !underscores_ok(text)) return std::nullopt;

  // The syntax is Go's; strtod (C locale) reads both forms once the
  // separators are gone.
  std::string digits;
  digits.reserve(text.size());
  for (const char c : text) {
    if (c != '_') digits += c;
  }
  errno = 0;
  const double value = std::strtod(digits.c_str(), nullptr);
  if (errno == ERANGE && std::isinf(value)) return std::nullopt;
  return value;
}

}  // namespace mc::query
