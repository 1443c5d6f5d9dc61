#include "collector/sql/column_conversion.hpp"

#include <charconv>
#include <string>

#include <fmt/format.h>

namespace mc {

namespace {

// From PostgreSQL's catalog (pg_type.dat); stable across versions.
constexpr uint32_t kBoolOid = 16;
constexpr uint32_t kInt8Oid = 20;
constexpr uint32_t kInt2Oid = 21;
constexpr uint32_t kInt4Oid = 23;
constexpr uint32_t kTextOid = 25;
constexpr uint32_t kOidOid = 26;
constexpr uint32_t kFloat4Oid = 700;
constexpr uint32_t kFloat8Oid = 701;
constexpr uint32_t kBpcharOid = 1042;
constexpr uint32_t kVarcharOid = 1043;
constexpr uint32_t kTimestampOid = 1114;
constexpr uint32_t kTimestamptzOid = 1184;
constexpr uint32_t kIntervalOid = 1186;
constexpr uint32_t kNumericOid = 1700;

// Seconds per unit as EXTRACT(EPOCH FROM interval) counts them (DAYS_PER_YEAR
// 365.25, DAYS_PER_MONTH 30 in PostgreSQL's datetime.h).
constexpr double kSecondsPerDay = 86400;
constexpr double kSecondsPerMonth = 30 * kSecondsPerDay;
constexpr double kSecondsPerYear = 365.25 * kSecondsPerDay;

Status cannot_convert(std::string_view what, std::string_view text) {
  return Status::error(fmt::format("cannot convert {:?} to a {}", text, what));
}

// std::from_chars for double accepts "inf", "infinity" and "nan" in any case,
// which covers PostgreSQL's "Infinity", "-Infinity" and "NaN". It rejects a
// leading '+', which PostgreSQL never writes.
bool parse_double(std::string_view text, double& value) {
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size() && !text.empty();
}

}  // namespace

ValueColumnKind value_column_kind(uint32_t type_oid) {
  switch (type_oid) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
    case kOidOid:
    case kFloat4Oid:
    case kFloat8Oid:
    case kNumericOid:
      return ValueColumnKind::number;
    case kBoolOid:
      return ValueColumnKind::boolean;
    case kIntervalOid:
      return ValueColumnKind::interval;
    default:
      return ValueColumnKind::unsupported;
  }
}

std::string type_name_for_message(uint32_t type_oid) {
  switch (type_oid) {
    case kBoolOid:
      return "boolean";
    case kInt8Oid:
      return "bigint";
    case kInt2Oid:
      return "smallint";
    case kInt4Oid:
      return "integer";
    case kTextOid:
      return "text";
    case kOidOid:
      return "oid";
    case kFloat4Oid:
      return "real";
    case kFloat8Oid:
      return "double precision";
    case kBpcharOid:
      return "character";
    case kVarcharOid:
      return "character varying";
    case kTimestampOid:
      return "timestamp";
    case kTimestamptzOid:
      return "timestamp with time zone";
    case kIntervalOid:
      return "interval";
    case kNumericOid:
      return "numeric";
    default:
      return fmt::format("type oid {}", type_oid);
  }
}

Result<double> convert_value(ValueColumnKind kind, std::string_view text) {
  switch (kind) {
    case ValueColumnKind::number: {
      double value = 0;
      if (!parse_double(text, value)) return cannot_convert("number", text);
      return value;
    }
    case ValueColumnKind::boolean:
      if (text == "t") return 1.0;
      if (text == "f") return 0.0;
      return cannot_convert("boolean", text);
    case ValueColumnKind::interval:
      return parse_iso8601_interval_seconds(text);
    case ValueColumnKind::unsupported:
      break;
  }
  return Status::error("the column's type cannot be a sample value");
}

Result<double> parse_iso8601_interval_seconds(std::string_view text) {
  // PostgreSQL's iso_8601 output: P, then date parts nY nM nD, then T and
  // time parts nH nM nS; every number may carry a '-', seconds a fraction.
  std::string_view rest = text;
  if (rest.empty() || rest.front() != 'P') return cannot_convert("interval", text);
  rest.remove_prefix(1);
  bool in_time = false;
  bool any_part = false;
  double seconds = 0;
  while (!rest.empty()) {
    if (rest.front() == 'T') {
      if (in_time) return cannot_convert("interval", text);
      in_time = true;
      rest.remove_prefix(1);
      continue;
    }
    size_t number_length = 0;
    while (number_length < rest.size() &&
           (rest[number_length] == '-' || rest[number_length] == '.' ||
            (rest[number_length] >= '0' && rest[number_length] <= '9'))) {
      ++number_length;
    }
    if (number_length == 0 || number_length == rest.size()) {
      return cannot_convert("interval", text);
    }
    double number = 0;
    if (!parse_double(rest.substr(0, number_length), number)) {
      return cannot_convert("interval", text);
    }
    char unit = rest[number_length];
    rest.remove_prefix(number_length + 1);
    double unit_seconds = 0;
    if (!in_time && unit == 'Y') {
      unit_seconds = kSecondsPerYear;
    } else if (!in_time && unit == 'M') {
      unit_seconds = kSecondsPerMonth;
    } else if (!in_time && unit == 'W') {
      unit_seconds = 7 * kSecondsPerDay;
    } else if (!in_time && unit == 'D') {
      unit_seconds = kSecondsPerDay;
    } else if (in_time && unit == 'H') {
      unit_seconds = 3600;
    } else if (in_time && unit == 'M') {
      unit_seconds = 60;
    } else if (in_time && unit == 'S') {
      unit_seconds = 1;
    } else {
      return cannot_convert("interval", text);
    }
    seconds += number * unit_seconds;
    any_part = true;
  }
  if (!any_part) return cannot_convert("interval", text);
  return seconds;
}

}  // namespace mc
