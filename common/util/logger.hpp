// Structured logging in logfmt (default) or JSON, as Prometheus logs.
//
//   log::info("scrape failed", {{"target", url}, {"err", message}});
//   -> ts=2026-11-23T10:00:00.123Z level=info msg="scrape failed" target=... err=...
//
// One process-wide logger; configure() once at start, before threads exist.
// Writing is thread-safe (one lock per line) and a line is written whole.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <ostream>
#include <string>
#include <string_view>
#include <type_traits>

#include <fmt/format.h>

#include "common/util/status.hpp"

namespace mc::log {

enum class Level { debug, info, warn, error };
enum class Format { logfmt, json };

Result<Level> parse_level(std::string_view text);
Result<Format> parse_format(std::string_view text);

// `out` must outlive all logging; stderr by default.
void configure(Level level, Format format, std::ostream* out = nullptr);
bool enabled(Level level);

// A key and its value as text. JSON lines write a number or a boolean
// unquoted, so that log pipelines can compare and sum them; logfmt has no
// types and writes every value the same way.
struct Field {
  enum class Kind { string, number, boolean };

  template <typename T>
  Field(std::string_view k, const T& v) : key(k) {  // NOLINT: implicit for brace lists
    if constexpr (std::is_convertible_v<const T&, std::string_view>) {
      value = std::string(std::string_view(v));
    } else if constexpr (std::is_same_v<T, bool>) {
      value = v ? "true" : "false";
      kind = Kind::boolean;
    } else if constexpr (std::is_arithmetic_v<T> && !std::is_same_v<T, char>) {
      value = fmt::format("{}", v);
      kind = number_kind(value);
    } else {
      value = fmt::format("{}", v);
    }
  }
  std::string_view key;
  std::string value;
  Kind kind = Kind::string;

 private:
  // NaN and the infinities have no JSON number; they stay strings.
  static Kind number_kind(std::string_view text) {
    return text.find_first_of("ni") == std::string_view::npos ? Kind::number : Kind::string;
  }
};

void write(Level level, std::string_view message, std::initializer_list<Field> fields);

inline void debug(std::string_view message, std::initializer_list<Field> fields = {}) {
  if (enabled(Level::debug)) write(Level::debug, message, fields);
}
inline void info(std::string_view message, std::initializer_list<Field> fields = {}) {
  if (enabled(Level::info)) write(Level::info, message, fields);
}
inline void warn(std::string_view message, std::initializer_list<Field> fields = {}) {
  if (enabled(Level::warn)) write(Level::warn, message, fields);
}
inline void error(std::string_view message, std::initializer_list<Field> fields = {}) {
  if (enabled(Level::error)) write(Level::error, message, fields);
}

}  // namespace mc::log
