// Number formatting of the text exposition formats, as the Go client writes it.
//
// Values are written as Go's strconv.FormatFloat(v, 'g', -1, 64) does: the
// shortest text that reads back to the same double, in exponent form when the
// decimal exponent is below -4 or at least 6 (1e+06, 1.5e-07, 123456, 0.1),
// and NaN, +Inf, -Inf for the special values. OpenMetrics adds ".0" to a value
// that would otherwise read as an integer (client_golang's
// writeOpenMetricsFloat), so "1" in text 0.0.4 is "1.0" in OpenMetrics.
//
// Thread-safety: stateless functions.
#pragma once

#include <cstdint>
#include <string>

namespace mc {

// Text 0.0.4 value; -0 is written as "0", as expfmt does.
void append_text_float(std::string& out, double value);
// OpenMetrics value: as the text format, plus ".0" on integral values.
void append_openmetrics_float(std::string& out, double value);
// Text 0.0.4 timestamp: milliseconds since the epoch.
void append_text_timestamp(std::string& out, int64_t timestamp_ms);
// OpenMetrics timestamp: seconds since the epoch with the milliseconds as a
// fraction, trailing zeros dropped: 1605281325123 -> "1605281325.123",
// 1605281325000 -> "1605281325".
void append_openmetrics_timestamp(std::string& out, int64_t timestamp_ms);

}  // namespace mc
