#include "common/exposition/format_value.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>

namespace mc {
namespace {

std::string text(double value) {
  std::string out;
  append_text_float(out, value);
  return out;
}

std::string openmetrics(double value) {
  std::string out;
  append_openmetrics_float(out, value);
  return out;
}

std::string openmetrics_timestamp(int64_t ms) {
  std::string out;
  append_openmetrics_timestamp(out, ms);
  return out;
}

TEST_CASE("values are formatted like Go's strconv.FormatFloat(v, 'g', -1, 64)", "[format]") {
  struct Case {
    double value;
    const char* text;
    const char* openmetrics;
  };
  const auto inf = std::numeric_limits<double>::infinity();
  auto c = GENERATE_COPY(values<Case>({
      {0, "0", "0.0"},
      {-0.0, "0", "0.0"},
      {1, "1", "1.0"},
      {-1, "-1", "-1.0"},
      {0.1, "0.1", "0.1"},
      {12.5, "12.5", "12.5"},
      {100, "100", "100.0"},
      {123456, "123456", "123456.0"},
      {999999, "999999", "999999.0"},
      {1e6, "1e+06", "1e+06"},
      {1234567, "1.234567e+06", "1.234567e+06"},
      {1605281000, "1.605281e+09", "1.605281e+09"},
      {0.0001, "0.0001", "0.0001"},
      {0.00012345, "0.00012345", "0.00012345"},
      {0.00001, "1e-05", "1e-05"},
      {1.5e-07, "1.5e-07", "1.5e-07"},
      {-2.5e-05, "-2.5e-05", "-2.5e-05"},
      {0.30000000000000004, "0.30000000000000004", "0.30000000000000004"},
      {1e21, "1e+21", "1e+21"},
      {1e100, "1e+100", "1e+100"},
      {1.7976931348623157e308, "1.7976931348623157e+308", "1.7976931348623157e+308"},
      {5e-324, "5e-324", "5e-324"},
      {inf, "+Inf", "+Inf"},
      {-inf, "-Inf", "-Inf"},
      {std::nan(""), "NaN", "NaN"},
  }));
  CAPTURE(c.value);
  CHECK(text(c.value) == c.text);
  CHECK(openmetrics(c.value) == c.openmetrics);
}

TEST_CASE("shortest text reads back to the same double", "[format]") {
  for (double value : {0.1, 1.0 / 3, 2.0 / 3 * 1e10, 123.456e-30, 9007199254740993.0, 4.35e-5}) {
    CHECK(std::strtod(text(value).c_str(), nullptr) == value);
  }
}

TEST_CASE("OpenMetrics timestamps are seconds with the milliseconds as fraction", "[format]") {
  CHECK(openmetrics_timestamp(1605281325123) == "1605281325.123");
  CHECK(openmetrics_timestamp(1605281325100) == "1605281325.1");
  CHECK(openmetrics_timestamp(1605281325020) == "1605281325.02");
  CHECK(openmetrics_timestamp(1605281325000) == "1605281325");
  CHECK(openmetrics_timestamp(5) == "0.005");
  CHECK(openmetrics_timestamp(0) == "0");
  CHECK(openmetrics_timestamp(-1500) == "-1.5");
  std::string out;
  append_text_timestamp(out, 1605281325123);
  CHECK(out == "1605281325123");
}

}  // namespace
}  // namespace mc
