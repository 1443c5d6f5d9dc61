#include "common/util/byte_size.hpp"

#include <catch2/catch.hpp>

namespace mc {
namespace {

TEST_CASE("byte sizes read as Prometheus reads body_size_limit", "[byte_size]") {
  CHECK(*parse_byte_size("0") == 0);
  CHECK(*parse_byte_size("0B") == 0);
  CHECK(*parse_byte_size("512B") == 512);
  CHECK(*parse_byte_size("64KB") == 65536);
  CHECK(*parse_byte_size("64KiB") == 65536);
  CHECK(*parse_byte_size("10MB") == 10u << 20);
  CHECK(*parse_byte_size("1GB") == uint64_t{1} << 30);
  CHECK(*parse_byte_size("2TB") == uint64_t{2} << 40);
}

TEST_CASE("bad byte sizes are errors that quote the text", "[byte_size]") {
  CHECK(parse_byte_size("").error() ==
        "invalid size \"\": want a whole number and a unit, e.g. 64MB");
  CHECK(parse_byte_size("MB").error() ==
        "invalid size \"MB\": want a whole number and a unit, e.g. 64MB");
  CHECK_THAT(parse_byte_size("10").error(), Catch::Contains("unknown unit"));
  CHECK_THAT(parse_byte_size("10mb").error(), Catch::Contains("unknown unit"));
  CHECK_THAT(parse_byte_size("1.5MB").error(), Catch::Contains("unknown unit"));
  CHECK_THAT(parse_byte_size("-1MB").error(), Catch::Contains("want a whole number"));
  CHECK_THAT(parse_byte_size("99999999999PB").error(), Catch::Contains("out of range"));
}

TEST_CASE("byte sizes format in the largest exact unit", "[byte_size]") {
  CHECK(format_byte_size(0) == "0B");
  CHECK(format_byte_size(1000) == "1000B");
  CHECK(format_byte_size(65536) == "64KB");
  CHECK(format_byte_size(64u << 20) == "64MB");
  CHECK(*parse_byte_size(format_byte_size(123456789)) == 123456789);
}

}  // namespace
}  // namespace mc
