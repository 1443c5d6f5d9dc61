// A PromQL parse error as Prometheus 2.42 reports it (ParseErr.Error()):
// "<line>:<column>: parse error: <message>", the column counted in bytes from
// 1, or "invalid position: parse error: ..." when the position is outside the
// query.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace mc::query {

struct ParseError {
  size_t position = 0;  // byte offset in the query
  std::string message;  // without the position: "unexpected end of input"
};

std::string format_parse_error(std::string_view query, const ParseError& error);

inline std::string format_parse_error(std::string_view query, const ParseError& error) {
  if (error.position > query.size()) return "invalid position: parse error: " + error.message;
  size_t line = 1;
  long last_line_break = -1;
  for (size_t i = 0; i < error.position; ++i) {
    if (query[i] == '\n') {
      last_line_break = static_cast<long>(i);
      ++line;
    }
  }
  const long column = static_cast<long>(error.position) - last_line_break;
  return std::to_string(line) + ":" + std::to_string(column) + ": parse error: " + error.message;
}

}  // namespace mc::query
