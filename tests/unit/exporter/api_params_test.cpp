// api_params: times and durations as Prometheus 2.42's API reads them, and
// its words for the ones it refuses.
#include "exporter/api/api_params.hpp"

#include <catch2/catch.hpp>

namespace mc::api {
namespace {

int64_t time_ms(std::string_view text) {
  auto parsed = parse_time(text);
  REQUIRE(parsed.is_ok());
  return *parsed;
}

int64_t duration_ns(std::string_view text) {
  auto parsed = parse_duration_ns(text);
  REQUIRE(parsed.is_ok());
  return *parsed;
}

TEST_CASE("times as Unix seconds, rounded to the millisecond", "[exporter][api]") {
  CHECK(time_ms("1796492780") == 1796492780000);
  CHECK(time_ms("1796492780.1234") == 1796492780123);
  CHECK(time_ms("1796492780.1236") == 1796492780124);
  CHECK(time_ms("-1") == -1000);
  CHECK(time_ms("-1.5") == -1500);
  CHECK(time_ms("+2") == 2000);
  CHECK(time_ms("1e3") == 1000000);
  CHECK(time_ms("0") == 0);
}

TEST_CASE("times as RFC 3339 with a fraction and a zone", "[exporter][api]") {
  CHECK(time_ms("2026-12-05T17:00:00Z") == 1796490000000);
  CHECK(time_ms("2026-12-05T17:00:00.5Z") == 1796490000500);
  CHECK(time_ms("2026-12-05T17:00:00.123456789Z") == 1796490000123);
  CHECK(time_ms("2026-12-05T18:00:00+01:00") == 1796490000000);
  CHECK(time_ms("2026-12-05T16:30:00-00:30") == 1796490000000);
  CHECK(time_ms("1970-01-01T00:00:00Z") == 0);
  CHECK(time_ms("1969-12-31T23:59:59.5Z") == -500);
}

TEST_CASE("bad times are refused in Prometheus's words", "[exporter][api]") {
  for (std::string_view bad :
       {"abc", "", "2026-12-05", "2026-12-05T17:00:00", "2026-13-05T17:00:00Z",
        "2026-02-30T17:00:00Z", "2026-12-05T24:00:00Z", "2026-12-05 17:00:00Z",
        "2026-12-05T17:00:00.Z", "2026-12-05T17:00:00+0100", "1.5s", "NaN", "Inf", "--1", "+-1"}) {
    INFO(bad);
    auto parsed = parse_time(bad);
    REQUIRE_FALSE(parsed.is_ok());
    CHECK(parsed.error() == "cannot parse \"" + std::string(bad) + "\" to a valid timestamp");
  }
}

TEST_CASE("a time parameter defaults when absent and names itself when bad", "[exporter][api]") {
  CHECK(*parse_time_param(std::nullopt, "time", 42) == 42);
  CHECK(*parse_time_param(std::string_view(""), "time", 42) == 42);
  CHECK(*parse_time_param(std::string_view("1"), "time", 42) == 1000);
  auto bad = parse_time_param(std::string_view("x"), "start", 0);
  REQUIRE_FALSE(bad.is_ok());
  CHECK(bad.error() == "Invalid time value for 'start': cannot parse \"x\" to a valid timestamp");
}

TEST_CASE("durations as float seconds or Prometheus's syntax, in nanoseconds", "[exporter][api]") {
  CHECK(duration_ns("15") == 15'000'000'000);
  CHECK(duration_ns("0.5") == 500'000'000);
  CHECK(duration_ns("0.0001") == 100'000);
  CHECK(duration_ns("0") == 0);
  CHECK(duration_ns("-1") == -1'000'000'000);
  CHECK(duration_ns("5m") == 300'000'000'000);
  CHECK(duration_ns("1h30m") == 5'400'000'000'000);
  CHECK(duration_ns("100ms") == 100'000'000);
}

TEST_CASE("bad durations are refused in Prometheus's words", "[exporter][api]") {
  for (std::string_view bad : {"x", "", "5 m", "1.5m", "-5m", "5M"}) {
    INFO(bad);
    auto parsed = parse_duration_ns(bad);
    REQUIRE_FALSE(parsed.is_ok());
    CHECK(parsed.error() == "cannot parse \"" + std::string(bad) + "\" to a valid duration");
  }
  auto huge = parse_duration_ns("1e10");
  REQUIRE_FALSE(huge.is_ok());
  CHECK(huge.error() == "cannot parse \"1e10\" to a valid duration. It overflows int64");
}

}  // namespace
}  // namespace mc::api
