// api_params: the time and duration parameters of the Prometheus HTTP API,
// read as Prometheus 2.42 reads them (web/api/v1/api.go parseTime,
// parseDuration), with its error texts:
//
//   time      Unix seconds with a fraction ("1796492780.123", "-1", "1e9"),
//             rounded to the millisecond, or RFC 3339 with an optional
//             fraction and a zone ("2026-12-05T17:00:00Z",
//             "2026-12-05T18:00:00.5+01:00"), truncated to the millisecond.
//             Else: cannot parse "x" to a valid timestamp
//   duration  float seconds ("15", "0.5") or Prometheus's syntax ("5m",
//             "1h30m"). Else: cannot parse "x" to a valid duration
//
// The route handlers add `invalid parameter "<name>": ` in front, as
// Prometheus does. Pure functions; safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "common/util/status.hpp"

namespace mc::api {

// Milliseconds since the Unix epoch; values past the int64 range of
// milliseconds are clamped to it.
Result<int64_t> parse_time(std::string_view text);
// Nanoseconds, as Go's time.Duration, so a step of 0.0001 s is positive (and
// refused later for being under a millisecond) rather than zero.
Result<int64_t> parse_duration_ns(std::string_view text);

// A time parameter with a default, as parseTimeParam: absent or empty gives
// `default_ms`; a bad value reads
// "Invalid time value for '<name>': cannot parse ...".
Result<int64_t> parse_time_param(std::optional<std::string_view> value, std::string_view name,
                                 int64_t default_ms);

}  // namespace mc::api
