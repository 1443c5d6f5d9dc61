// Durations must parse and print exactly as Prometheus's model.ParseDuration and
// model.Duration.String do, since users copy values between the two.
#include "common/util/duration.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <limits>

using namespace std::chrono_literals;
using std::chrono::milliseconds;

namespace {

constexpr int64_t kDayMs = 24 * 60 * 60 * 1000LL;

milliseconds parse_ok(std::string_view text) {
  auto result = mc::parse_duration(text);
  INFO("text: " << text);
  REQUIRE(result.is_ok());
  return *result;
}

std::string parse_error(std::string_view text) {
  auto result = mc::parse_duration(text);
  INFO("text: " << text);
  REQUIRE_FALSE(result.is_ok());
  return result.error();
}

}  // namespace

TEST_CASE("parse_duration reads every unit", "[duration]") {
  CHECK(parse_ok("1ms") == 1ms);
  CHECK(parse_ok("15s") == 15s);
  CHECK(parse_ok("5m") == 5min);
  CHECK(parse_ok("2h") == 2h);
  CHECK(parse_ok("3d") == milliseconds(3 * kDayMs));
  CHECK(parse_ok("1w") == milliseconds(7 * kDayMs));
  CHECK(parse_ok("1y") == milliseconds(365 * kDayMs));
  CHECK(parse_ok("0s") == 0ms);
  CHECK(parse_ok("90s") == 90s);  // a unit may exceed the next larger one
}

TEST_CASE("parse_duration reads combined units largest first", "[duration]") {
  CHECK(parse_ok("1m30s") == 90s);
  CHECK(parse_ok("1h30m") == 90min);
  CHECK(parse_ok("1y2w3d4h5m6s7ms") ==
        milliseconds(365 * kDayMs + 14 * kDayMs + 3 * kDayMs) + 4h + 5min + 6s + 7ms);
  CHECK(parse_ok("2s500ms") == 2500ms);
}

TEST_CASE("parse_duration accepts a bare 0 as Prometheus does", "[duration]") {
  CHECK(parse_ok("0") == 0ms);
  CHECK(parse_error("1") == "not a valid duration string: \"1\"");
  CHECK(parse_error("00") == "not a valid duration string: \"00\"");
}

TEST_CASE("parse_duration rejects malformed text with Prometheus's messages", "[duration]") {
  CHECK(parse_error("") == "empty duration string");
  CHECK(parse_error("5x") == "unknown unit \"x\" in duration \"5x\"");
  CHECK(parse_error("5S") == "unknown unit \"S\" in duration \"5S\"");
  CHECK(parse_error("1.5s") == "unknown unit \".\" in duration \"1.5s\"");
  CHECK(parse_error("s") == "not a valid duration string: \"s\"");
  CHECK(parse_error("-1s") == "not a valid duration string: \"-1s\"");
  CHECK(parse_error(" 1s") == "not a valid duration string: \" 1s\"");
  CHECK(parse_error("1s ") == "unknown unit \"s \" in duration \"1s \"");
  CHECK(parse_error("1s1m") == "not a valid duration string: \"1s1m\"");  // order
  CHECK(parse_error("1s1s") == "not a valid duration string: \"1s1s\"");  // repeated unit
  CHECK(parse_error("1ms1s") == "not a valid duration string: \"1ms1s\"");
  CHECK(parse_error("1m1h") == "not a valid duration string: \"1m1h\"");
}

TEST_CASE("parse_duration quotes control characters like Go's %q", "[duration]") {
  CHECK(parse_error("1\n") == "unknown unit \"\\n\" in duration \"1\\n\"");
}

TEST_CASE("parse_duration keeps Prometheus's range of about 292 years", "[duration]") {
  // int64 nanoseconds end at 9223372036854775807 ns = 106751d23h47m16s854ms.
  CHECK(parse_ok("106751d23h47m16s854ms") == milliseconds(9223372036854LL));
  CHECK(parse_ok("292y") == milliseconds(292 * 365 * kDayMs));
  CHECK(parse_error("293y") == "duration out of range");
  CHECK(parse_error("106751d23h47m16s855ms") == "duration out of range");
  CHECK(parse_error("9223372036854775807ms") == "duration out of range");
  // Past uint64: Go's ParseUint fails, which Prometheus words as an invalid string.
  CHECK(parse_error("99999999999999999999s") ==
        "not a valid duration string: \"99999999999999999999s\"");
}

TEST_CASE("format_duration prints the Prometheus spelling", "[duration]") {
  CHECK(mc::format_duration(0ms) == "0s");
  CHECK(mc::format_duration(1ms) == "1ms");
  CHECK(mc::format_duration(15s) == "15s");
  CHECK(mc::format_duration(90s) == "1m30s");
  CHECK(mc::format_duration(2500ms) == "2s500ms");
  CHECK(mc::format_duration(1h) == "1h");
  CHECK(mc::format_duration(milliseconds(kDayMs) + 1h) == "1d1h");
  CHECK(mc::format_duration(milliseconds(14 * kDayMs)) == "2w");
  CHECK(mc::format_duration(milliseconds(365 * kDayMs)) == "1y");
  // Years and weeks only when exact: 90d, not 12w6d; 400d, not 1y5w.
  CHECK(mc::format_duration(milliseconds(90 * kDayMs)) == "90d");
  CHECK(mc::format_duration(milliseconds(400 * kDayMs)) == "400d");
  CHECK(mc::format_duration(milliseconds(7 * kDayMs) + 1ms) == "7d1ms");
}

TEST_CASE("format_duration marks negative durations with a sign", "[duration]") {
  CHECK(mc::format_duration(-90s) == "-1m30s");
  CHECK_FALSE(mc::format_duration(milliseconds(std::numeric_limits<int64_t>::min())).empty());
}

TEST_CASE("format_duration output parses back to the same value", "[duration]") {
  const int64_t samples[] = {
      1,      999,        1000,        59999,        60000,        3600000,       kDayMs - 1,
      kDayMs, 7 * kDayMs, 90 * kDayMs, 365 * kDayMs, 366 * kDayMs, 123456789012LL};
  for (int64_t ms : samples) {
    std::string text = mc::format_duration(milliseconds(ms));
    INFO("ms: " << ms << " text: " << text);
    CHECK(parse_ok(text) == milliseconds(ms));
  }
}

TEST_CASE("parse_duration then format_duration normalises the spelling", "[duration]") {
  CHECK(mc::format_duration(parse_ok("90s")) == "1m30s");
  CHECK(mc::format_duration(parse_ok("0")) == "0s");
  CHECK(mc::format_duration(parse_ok("60m")) == "1h");
  CHECK(mc::format_duration(parse_ok("1000ms")) == "1s");
}
