// format_rfc3339_ms: the instants `date -u -d @SECONDS +%FT%T` gives, with
// milliseconds, including before 1970 and across a leap day.
#include "common/util/rfc3339.hpp"

#include <catch2/catch.hpp>

TEST_CASE("rfc3339: milliseconds since the epoch in UTC", "[rfc3339]") {
  CHECK(mc::format_rfc3339_ms(0) == "1970-01-01T00:00:00.000Z");
  CHECK(mc::format_rfc3339_ms(1) == "1970-01-01T00:00:00.001Z");
  CHECK(mc::format_rfc3339_ms(1795413600000) == "2026-11-23T06:00:00.000Z");
  CHECK(mc::format_rfc3339_ms(951782400999) == "2000-02-29T00:00:00.999Z");
  CHECK(mc::format_rfc3339_ms(-1) == "1969-12-31T23:59:59.999Z");
  CHECK(mc::format_rfc3339_ms(-86400000) == "1969-12-31T00:00:00.000Z");
}
