// Go's strconv.ParseFloat(text, 64), which Prometheus 2.42 uses to read a
// bucket's "le" label: decimal and hexadecimal (0x1.8p3, 'p' exponent
// required) floats, digit-separating underscores as Go's syntax places
// them, and Inf, +Inf, -Inf, Infinity, NaN in any case. Anything else, and
// a value beyond the double's range, is not a number. Values below the
// smallest double become zero, as in Go.
//
// Pure function; safe from any thread.
#pragma once

#include <optional>
#include <string_view>

namespace mc::query {

std::optional<double> go_parse_float(std::string_view text);

}  // namespace mc::query
