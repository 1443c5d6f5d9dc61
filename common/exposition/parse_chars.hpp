// Character classes shared by the exposition parsers. The whole-string rules
// (UTF-8 validity, metric and label names) live in common/util/utf8.hpp and
// common/model/label_name.hpp, shared with the config loader; they are
// included here so the parsers see them under the same unqualified names.
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

#include "common/model/label_name.hpp"
#include "common/util/utf8.hpp"

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

// `text` in double quotes for an error message, control bytes escaped, cut
// after 40 bytes so that a garbage line does not flood the log.
std::string quote_for_message(std::string_view text);

}  // namespace mc::exposition_detail
