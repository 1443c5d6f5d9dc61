// Durations in two syntaxes:
//  - Prometheus's (model.ParseDuration), for the config: "15s", "1m30s",
//    "500ms", "1h", "2d", "1w", "1y" (units y w d h m s ms, largest first,
//    each at most once, no fractions, no sign).
//  - Go's (time.ParseDuration), for METRICS_TICK_DURATION, whose users write
//    Go durations: "15s", "1m30s", "500ms", "1.5s", "1h2m3.5s", "-2s", "90us"
//    (units h m s ms us µs μs ns, any order, fractions and a sign allowed;
//    no days).
//
// Pure functions; safe from any thread.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/util/status.hpp"

namespace mc {

// Fails with a message quoting the text when it is not a valid duration.
Result<std::chrono::milliseconds> parse_duration(std::string_view text);
// Go's time.ParseDuration, to the nanosecond, with its error messages
// ("invalid duration", "unknown unit", "missing unit"), minus its "time: " prefix.
Result<std::chrono::nanoseconds> parse_go_duration(std::string_view text);

// The shortest Prometheus spelling, e.g. 90000 ms -> "1m30s", 0 -> "0s".
std::string format_duration(std::chrono::milliseconds duration);

}  // namespace mc
