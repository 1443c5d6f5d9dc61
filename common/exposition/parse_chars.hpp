// Character classes and UTF-8 validation shared by the exposition parsers.
//
// Private to common/exposition. Lookup tables instead of <cctype> because the
// <cctype> functions depend on the C locale and cost a call per byte on the
// parsers' hot paths.
//
// Thread-safety: constant tables and pure functions; safe from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace mc::exposition_detail {

enum CharClass : uint8_t {
  kMetricNameStartChar = 1 << 0,  // [a-zA-Z_:]
  kMetricNameChar = 1 << 1,       // [a-zA-Z0-9_:]
  kLabelNameStartChar = 1 << 2,   // [a-zA-Z_]
  kLabelNameChar = 1 << 3,        // [a-zA-Z0-9_]
  kDigitChar = 1 << 4,            // [0-9]
  // Bytes that end the fast scan of a label value: the closing quote, an
  // escape, a line break, and any non-ASCII byte (which needs UTF-8 checking).
  kLabelValueStopChar = 1 << 5,
  // Bytes that end a text 0.0.4 value token (Prometheus's lexer: [^{ \t\n]+).
  kPrometheusValueEndChar = 1 << 6,
};

inline constexpr std::array<uint8_t, 256> kCharClasses = [] {
  std::array<uint8_t, 256> table{};
  for (int c = 0; c < 256; ++c) {
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    const bool digit = c >= '0' && c <= '9';
    uint8_t classes = 0;
    if (letter || c == '_' || c == ':') classes |= kMetricNameStartChar;
    if (letter || digit || c == '_' || c == ':') classes |= kMetricNameChar;
    if (letter || c == '_') classes |= kLabelNameStartChar;
    if (letter || digit || c == '_') classes |= kLabelNameChar;
    if (digit) classes |= kDigitChar;
    if (c == '"' || c == '\\' || c == '\n' || c >= 0x80) classes |= kLabelValueStopChar;
    if (c == ' ' || c == '\t' || c == '\n' || c == '{') classes |= kPrometheusValueEndChar;
    table[c] = classes;
  }
  return table;
}();

inline bool has_class(char c, CharClass char_class) {
  return (kCharClasses[static_cast<unsigned char>(c)] & char_class) != 0;
}

inline bool is_valid_metric_name(std::string_view name) {
  if (name.empty() || !has_class(name[0], kMetricNameStartChar)) return false;
  for (char c : name.substr(1)) {
    if (!has_class(c, kMetricNameChar)) return false;
  }
  return true;
}

// Well-formed UTF-8 as Go's utf8.Valid defines it: no overlong forms, no
// surrogates, nothing above U+10FFFF.
bool is_valid_utf8(std::string_view text);

// Number of code points in valid UTF-8 text (bytes that do not continue a sequence).
inline size_t utf8_length(std::string_view text) {
  size_t count = 0;
  for (char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return count;
}

// `text` in double quotes for an error message, control bytes escaped, cut
// after 40 bytes so that a garbage line does not flood the log.
std::string quote_for_message(std::string_view text);

}  // namespace mc::exposition_detail
