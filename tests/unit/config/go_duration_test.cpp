// parse_go_duration must accept and reject exactly what Go's
// time.ParseDuration does (METRICS_TICK_DURATION is written by Go users);
// the cases follow Go's own parseDurationTests.
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <limits>

#include "common/util/duration.hpp"

using namespace std::chrono_literals;
using std::chrono::nanoseconds;

namespace {

nanoseconds go_ok(std::string_view text) {
  auto result = mc::parse_go_duration(text);
  INFO("text: " << text);
  if (!result.is_ok()) FAIL("unexpected error: " << result.error());
  return *result;
}

std::string go_error(std::string_view text) {
  auto result = mc::parse_go_duration(text);
  INFO("text: " << text);
  REQUIRE_FALSE(result.is_ok());
  return result.error();
}

}  // namespace

TEST_CASE("parse_go_duration reads Go's units, fractions and signs", "[go_duration]") {
  CHECK(go_ok("0") == 0ns);
  CHECK(go_ok("5s") == 5s);
  CHECK(go_ok("30s") == 30s);
  CHECK(go_ok("1478s") == 1478s);
  CHECK(go_ok("-5s") == -5s);
  CHECK(go_ok("+5s") == 5s);
  CHECK(go_ok("-0") == 0ns);
  CHECK(go_ok("+0") == 0ns);
  CHECK(go_ok("5.0s") == 5s);
  CHECK(go_ok("5.6s") == 5s + 600ms);
  CHECK(go_ok("5.s") == 5s);
  CHECK(go_ok(".5s") == 500ms);
  CHECK(go_ok("1.0s") == 1s);
  CHECK(go_ok("1.00s") == 1s);
  CHECK(go_ok("1.004s") == 1s + 4ms);
  CHECK(go_ok("1.0040s") == 1s + 4ms);
  CHECK(go_ok("100.00100s") == 100s + 1ms);
  CHECK(go_ok("10ns") == 10ns);
  CHECK(go_ok("11us") == 11us);
  CHECK(go_ok("12\u00b5s") == 12us);  // µ MICRO SIGN
  CHECK(go_ok("12\u03bcs") == 12us);  // μ GREEK SMALL LETTER MU
  CHECK(go_ok("13ms") == 13ms);
  CHECK(go_ok("14s") == 14s);
  CHECK(go_ok("15m") == 15min);
  CHECK(go_ok("16h") == 16h);
  CHECK(go_ok("3h30m") == 3h + 30min);
  CHECK(go_ok("10.5s4m") == 4min + 10s + 500ms);  // any order
  CHECK(go_ok("-2m3.4s") == -(2min + 3s + 400ms));
  CHECK(go_ok("1h2m3s4ms5us6ns") == 1h + 2min + 3s + 4ms + 5us + 6ns);
  CHECK(go_ok("39h9m14.425s") == 39h + 9min + 14s + 425ms);
  CHECK(go_ok("52763797000ns") == 52763797000ns);
  CHECK(go_ok("0.3333333333333333333h") == 20min);  // excess digits dropped
  CHECK(go_ok("9007199254740993ns") == nanoseconds((int64_t{1} << 53) + 1));
  CHECK(go_ok("9223372036854775807ns") == nanoseconds(std::numeric_limits<int64_t>::max()));
  CHECK(go_ok("9223372036854775.807us") == nanoseconds(std::numeric_limits<int64_t>::max()));
  CHECK(go_ok("-9223372036854775808ns") == nanoseconds(std::numeric_limits<int64_t>::min()));
  CHECK(go_ok("1m30s") == 90s);
  CHECK(go_ok("500ms") == 500ms);
  CHECK(go_ok("15s") == 15s);
}

TEST_CASE("parse_go_duration rejects what Go rejects, with Go's messages", "[go_duration]") {
  CHECK(go_error("") == "invalid duration \"\"");
  CHECK(go_error("3") == "missing unit in duration \"3\"");
  CHECK(go_error("-") == "invalid duration \"-\"");
  CHECK(go_error("s") == "invalid duration \"s\"");
  CHECK(go_error(".") == "invalid duration \".\"");
  CHECK(go_error("-.") == "invalid duration \"-.\"");
  CHECK(go_error(".s") == "invalid duration \".s\"");
  CHECK(go_error("+.s") == "invalid duration \"+.s\"");
  CHECK(go_error("1d") == "unknown unit \"d\" in duration \"1d\"");
  CHECK(go_error("5x") == "unknown unit \"x\" in duration \"5x\"");
  CHECK(go_error("1.5") == "missing unit in duration \"1.5\"");
  CHECK(go_error("1 s") == "unknown unit \" s\" in duration \"1 s\"");
  CHECK(go_error("9223372036854775808ns") == "invalid duration \"9223372036854775808ns\"");
  CHECK(go_error("9223372036854775.808us") == "invalid duration \"9223372036854775.808us\"");
  CHECK(go_error("9223372036854ms775us808ns") == "invalid duration \"9223372036854ms775us808ns\"");
  CHECK(go_error("-9223372036854775809ns") == "invalid duration \"-9223372036854775809ns\"");
  CHECK(go_error("3000000h") == "invalid duration \"3000000h\"");
}
