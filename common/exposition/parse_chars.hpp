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
#include <bit>
#include <cstdint>
#include <cstring>
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

// The first byte of [at, end) that ends a text 0.0.4 value token
// (kPrometheusValueEndChar), or end. Every sample's value passes here: eight
// bytes at a time, the first that is at most 0x20 (blanks, the line break, any
// other control byte) or '{' is found with word arithmetic, and the table
// decides from there; the byte loop took a lookup and a branch a byte.
inline const char* find_value_end(const char* at, const char* end) {
  if constexpr (std::endian::native == std::endian::little) {
    constexpr uint64_t kOnes = 0x0101010101010101ULL;
    constexpr uint64_t kHigh = 0x8080808080808080ULL;
    while (end - at >= 8) {
      uint64_t word;
      std::memcpy(&word, at, sizeof word);
      // A byte's high bit flags it when it is below 0x21, or equal to '{';
      // the lowest flagged byte is exact (no borrow reaches it from below).
      const uint64_t controls = (word - 0x21 * kOnes) & ~word & kHigh;
      const uint64_t braces_apart = word ^ ('{' * kOnes);
      const uint64_t braces = (braces_apart - kOnes) & ~braces_apart & kHigh;
      if (const uint64_t found = controls | braces; found != 0) {
        at += std::countr_zero(found) / 8;
        break;
      }
      at += 8;
    }
  }
  while (at < end && !has_class(*at, kPrometheusValueEndChar)) ++at;
  return at;
}

// `text` in double quotes for an error message, control bytes escaped, cut
// after 40 bytes so that a garbage line does not flood the log.
std::string quote_for_message(std::string_view text);

}  // namespace mc::exposition_detail
