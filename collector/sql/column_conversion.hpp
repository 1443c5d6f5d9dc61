// Column conversion: a PostgreSQL value, as libpq's text format gives it,
// turned into a sample value.
//
// Value columns may be numeric, smallint, integer, bigint, oid, real, double
// precision (including NaN and ±Infinity), boolean (1 or 0) or interval (in
// seconds, counting a month as 30 days and a year as 365.25 days, exactly as
// PostgreSQL's EXTRACT(EPOCH FROM interval) does). Intervals must come in
// IntervalStyle iso_8601, which the SQL collector sets on every connection.
//
// Pure functions; safe from any thread.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/util/status.hpp"

namespace mc {

// How a value column of a given PostgreSQL type (its OID) is converted.
enum class ValueColumnKind { number, boolean, interval, unsupported };

ValueColumnKind value_column_kind(uint32_t type_oid);
// A readable name of the common type OIDs ("text", "bigint", ...), else "type oid N".
std::string type_name_for_message(uint32_t type_oid);

// Converts the text form of a non-NULL value. Fails (with a message quoting
// the text) when it does not parse, or for ValueColumnKind::unsupported.
Result<double> convert_value(ValueColumnKind kind, std::string_view text);

// An ISO 8601 interval as PostgreSQL writes it ("P1Y2M3DT4H5M6.5S",
// "P-1DT-0.5S", "PT0S") in seconds.
Result<double> parse_iso8601_interval_seconds(std::string_view text);

}  // namespace mc
