// Instants written as RFC 3339 in UTC with milliseconds,
// "2026-11-23T06:00:00.000Z": log lines, `store stats`, and later the query
// API's times. One formatter, so every place prints the same shape.
#pragma once

#include <cstdint>
#include <string>

namespace mc {

// `t_ms` in milliseconds since the Unix epoch (negative ones too).
std::string format_rfc3339_ms(int64_t t_ms);

}  // namespace mc
