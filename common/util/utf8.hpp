// UTF-8 validity, one rule for the whole daemon: the config loader checks
// label values with it, the exposition parsers check scraped label values and
// HELP text with it, the SQL collector checks text read from the database.
//
// Pure functions; safe from any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace mc {

// Well-formed UTF-8 as Go's utf8.ValidString defines it (what Prometheus
// applies to label values): no overlong forms, no surrogates, nothing above
// U+10FFFF, no truncated sequence.
bool is_valid_utf8(std::string_view text);

// Appends code point `rune` (at most U+10FFFF; the caller checks surrogates
// where its syntax forbids them) as UTF-8: string escapes such as \u00e9 in
// PromQL and in block meta.json.
void append_utf8(std::string& out, char32_t rune);

// Number of code points in valid UTF-8 text (bytes that do not continue a sequence).
inline size_t utf8_length(std::string_view text) {
  size_t count = 0;
  for (char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return count;
}

}  // namespace mc
