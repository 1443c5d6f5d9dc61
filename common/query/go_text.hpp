// Go's text conventions that Prometheus's PromQL parser shows to its users:
// strconv.Quote (%q) for strings and runes, %#U for code points, %v for a
// float64, and utf8.DecodeRuneInString. The printer and the error messages
// use them so that our output is byte for byte what Prometheus 2.42 writes.
//
// Pure functions; safe from any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace mc::query {

// The rune Go substitutes for invalid UTF-8 (utf8.RuneError).
inline constexpr char32_t kRuneError = 0xFFFD;

struct DecodedRune {
  char32_t rune = kRuneError;
  size_t width = 0;  // 0 only at the end of the text
};

// utf8.DecodeRuneInString: an invalid byte decodes as RuneError of width 1.
DecodedRune decode_rune(std::string_view text);

// strconv.Quote: double quotes, Go escapes, printable runes kept as they are.
std::string go_quote(std::string_view text);
// fmt's %.Nq: at most max_runes runes of the text, quoted.
std::string go_quote_prefix(std::string_view text, size_t max_runes);
// strconv.QuoteRune: single quotes; a negative rune (end of input) prints as
// Go prints its eof constant, U+FFFD.
std::string go_quote_rune(char32_t rune);
// fmt's %#U: "U+0027 '''".
std::string go_unicode_name(char32_t rune);
// fmt's %v of a float64: the shortest digits, with an exponent below 1e-4 and
// from 1e+06 on ("100000", "1e+06", "0.0001", "1e-05", "+Inf", "NaN").
std::string go_format_float(double value);

}  // namespace mc::query
