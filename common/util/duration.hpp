// Durations in Prometheus / Go syntax: "15s", "1m30s", "500ms", "1h", "2d", "1w",
// "1y" (units y w d h m s ms, largest first, each at most once). Used by the
// config and by METRICS_TICK_DURATION.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/util/status.hpp"

namespace mc {

// Fails with a message quoting the text when it is not a valid duration.
Result<std::chrono::milliseconds> parse_duration(std::string_view text);
// The shortest Prometheus spelling, e.g. 90000 ms -> "1m30s", 0 -> "0s".
std::string format_duration(std::chrono::milliseconds duration);

}  // namespace mc
