// Column conversion: PostgreSQL text forms of every supported type to
// sample values; intervals as EXTRACT(EPOCH FROM interval) counts them.
#include "collector/sql/column_conversion.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

using mc::ValueColumnKind;

namespace {

double convert_ok(ValueColumnKind kind, std::string_view text) {
  auto value = mc::convert_value(kind, text);
  INFO("text: " << text);
  if (!value.is_ok()) FAIL("unexpected error: " << value.error());
  return *value;
}

}  // namespace

TEST_CASE("value column kinds follow the PostgreSQL type", "[column_conversion]") {
  for (uint32_t oid : {20u, 21u, 23u, 26u, 700u, 701u, 1700u}) {
    CHECK(mc::value_column_kind(oid) == ValueColumnKind::number);
  }
  CHECK(mc::value_column_kind(16) == ValueColumnKind::boolean);
  CHECK(mc::value_column_kind(1186) == ValueColumnKind::interval);
  for (uint32_t oid : {25u, 1043u, 1114u, 1184u, 114u, 3802u, 790u}) {  // text, json, money...
    CHECK(mc::value_column_kind(oid) == ValueColumnKind::unsupported);
  }
  CHECK(mc::type_name_for_message(25) == "text");
  CHECK(mc::type_name_for_message(3802) == "type oid 3802");
}

TEST_CASE("numbers convert as PostgreSQL writes them", "[column_conversion]") {
  CHECK(convert_ok(ValueColumnKind::number, "42") == 42);
  CHECK(convert_ok(ValueColumnKind::number, "-7") == -7);
  CHECK(convert_ok(ValueColumnKind::number, "1.5") == 1.5);
  CHECK(convert_ok(ValueColumnKind::number, "9223372036854775807") == 9223372036854775807.0);
  CHECK(convert_ok(ValueColumnKind::number, "123456789012345678901234567890.5") ==
        1.2345678901234568e29);
  CHECK(convert_ok(ValueColumnKind::number, "1e+300") == 1e300);
  CHECK(convert_ok(ValueColumnKind::number, "0.1") == 0.1);
  CHECK(convert_ok(ValueColumnKind::number, "Infinity") == std::numeric_limits<double>::infinity());
  CHECK(convert_ok(ValueColumnKind::number, "-Infinity") ==
        -std::numeric_limits<double>::infinity());
  CHECK(std::isnan(convert_ok(ValueColumnKind::number, "NaN")));
  for (std::string_view bad : {"", "abc", "1,5", " 1", "1 ", "$1.00", "1.5.2"}) {
    INFO("text: " << bad);
    CHECK_FALSE(mc::convert_value(ValueColumnKind::number, bad).is_ok());
  }
  CHECK(mc::convert_value(ValueColumnKind::number, "abc").error() ==
        "cannot convert \"abc\" to a number");
}

TEST_CASE("booleans convert to 1 and 0", "[column_conversion]") {
  CHECK(convert_ok(ValueColumnKind::boolean, "t") == 1);
  CHECK(convert_ok(ValueColumnKind::boolean, "f") == 0);
  CHECK_FALSE(mc::convert_value(ValueColumnKind::boolean, "true").is_ok());
  CHECK_FALSE(mc::convert_value(ValueColumnKind::unsupported, "1").is_ok());
}

TEST_CASE("ISO 8601 intervals convert to seconds as EXTRACT(EPOCH) does", "[column_conversion]") {
  auto seconds = [](std::string_view text) { return convert_ok(ValueColumnKind::interval, text); };
  CHECK(seconds("PT0S") == 0);
  CHECK(seconds("PT1S") == 1);
  CHECK(seconds("PT0.5S") == 0.5);
  CHECK(seconds("PT1M30S") == 90);
  CHECK(seconds("PT2H") == 7200);
  CHECK(seconds("P1D") == 86400);
  CHECK(seconds("P1DT2H3.5S") == 86400 + 7200 + 3.5);
  CHECK(seconds("P1M") == 30 * 86400);      // a month is 30 days
  CHECK(seconds("P1Y") == 365.25 * 86400);  // a year is 365.25 days
  CHECK(seconds("P1Y2M3D") == 37000800);    // SELECT EXTRACT(EPOCH FROM '1 year 2 mons 3 days')
  CHECK(seconds("P-1DT0.25S") == -86400 + 0.25);  // '-1 day +00:00:00.25'
  CHECK(seconds("P-1Y-2M3DT-4H-5M-6.5S") ==
        -365.25 * 86400 - 2 * 30 * 86400 + 3 * 86400 - 4 * 3600 - 5 * 60 - 6.5);
  CHECK(seconds("PT-0.000001S") == -0.000001);
  CHECK(seconds("P2W") == 14 * 86400);
  for (std::string_view bad :
       {"", "P", "PT", "1 day", "00:00:01", "P1H", "PT1D", "P1", "PTT1S", "P1X", "P--1D"}) {
    INFO("text: " << bad);
    CHECK_FALSE(mc::parse_iso8601_interval_seconds(bad).is_ok());
  }
}
