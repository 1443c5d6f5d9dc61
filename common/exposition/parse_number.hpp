// Sample values and timestamps of the text exposition formats.
//
// Private to common/exposition. Both formats spell a value the way Go's
// strconv.ParseFloat reads it once Prometheus has banned hex floats and digit
// separators (textparse parseFloat): [+-] digits [. digits] [e [+-] digits],
// or [+-]Inf/Infinity, or NaN, the words in any case. That is also the
// OpenMetrics ABNF `number`. A value too large for a double is an error (as in
// Go); one too small becomes zero.
//
// Timestamps differ: text 0.0.4 writes integer milliseconds (digits only, as
// Prometheus's lexer accepts them); OpenMetrics writes seconds as a real
// number, converted here exactly in decimal (no float rounding), truncated
// toward zero like Go's int64(ts*1000).
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace mc::exposition_detail {

std::optional<double> parse_sample_value(std::string_view text);

// Text 0.0.4: one or more digits, fitting an int64.
std::optional<int64_t> parse_prometheus_timestamp(std::string_view text);

__extension__ using OpenMetricsNanos = __int128;

struct OpenMetricsTimestamp {
  int64_t ms = 0;              // saturated at the int64 range
  OpenMetricsNanos nanos = 0;  // exact to the nanosecond (finer digits truncated); for ordering
};

// OpenMetrics: [+-] digits [. digits] [e [+-] digits] (or . digits) in
// seconds; NaN and Inf are not timestamps.
std::optional<OpenMetricsTimestamp> parse_openmetrics_timestamp(std::string_view text);

}  // namespace mc::exposition_detail
