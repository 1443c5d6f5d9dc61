// The number grammar both text formats share, and the two timestamp forms.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "common/exposition/parse_number.hpp"

using mc::exposition_detail::parse_openmetrics_timestamp;
using mc::exposition_detail::parse_prometheus_timestamp;
using mc::exposition_detail::parse_sample_value;

TEST_CASE("sample values: Go ParseFloat spellings without hex or separators",
          "[exposition][number]") {
  CHECK(parse_sample_value("0") == 0.0);
  CHECK(parse_sample_value("123456789012345") == 123456789012345.0);
  CHECK(parse_sample_value("9223372036854775808") == 9223372036854775808.0);
  CHECK(parse_sample_value("+1.5") == 1.5);
  CHECK(parse_sample_value("-2.5e-3") == -0.0025);
  CHECK(parse_sample_value("1.") == 1.0);
  CHECK(parse_sample_value(".5") == 0.5);
  CHECK(parse_sample_value("1E5") == 100000.0);
  CHECK(parse_sample_value("0000000000000000000000000000000000000000001.2e-1") == 0.12);
  CHECK(parse_sample_value("0.013300656000000001") == 0.013300656000000001);
  CHECK(parse_sample_value("+Inf") == std::numeric_limits<double>::infinity());
  CHECK(parse_sample_value("-infinity") == -std::numeric_limits<double>::infinity());
  CHECK(std::isnan(*parse_sample_value("NaN")));
  CHECK(std::isnan(*parse_sample_value("nan")));
  CHECK(parse_sample_value("1e-400") == 0.0);
  for (const char* bad : {"", "+", "-", ".", "e5", "1e", "1e+", "1.2.3", "0x1", "0x1p-3", "1_0",
                          "+NaN", "Infx", " 1", "1 ", "1\r", "1e400", "--1", "one"}) {
    INFO(bad);
    CHECK_FALSE(parse_sample_value(bad));
  }
}

TEST_CASE("text 0.0.4 timestamps: digits only, int64", "[exposition][number]") {
  CHECK(parse_prometheus_timestamp("0") == 0);
  CHECK(parse_prometheus_timestamp("9223372036854775807") == std::numeric_limits<int64_t>::max());
  CHECK_FALSE(parse_prometheus_timestamp("9223372036854775808"));
  CHECK_FALSE(parse_prometheus_timestamp("-1"));
  CHECK_FALSE(parse_prometheus_timestamp("1.5"));
  CHECK_FALSE(parse_prometheus_timestamp(""));
}

TEST_CASE("openmetrics timestamps: exact decimal seconds to ms and ns", "[exposition][number]") {
  const auto ts = parse_openmetrics_timestamp("1605281325.123456789");
  REQUIRE(ts);
  CHECK(ts->ms == 1605281325123);
  CHECK(ts->nanos == static_cast<mc::exposition_detail::OpenMetricsNanos>(1605281325123456789));
  CHECK(parse_openmetrics_timestamp("1.5e3")->ms == 1500000);
  CHECK(parse_openmetrics_timestamp("15e-1")->ms == 1500);
  CHECK(parse_openmetrics_timestamp("-0.0015")->ms == -1);
  CHECK(parse_openmetrics_timestamp("0.0000000001")->nanos == 0);
  CHECK(parse_openmetrics_timestamp("1e300")->ms == std::numeric_limits<int64_t>::max());
  CHECK(parse_openmetrics_timestamp("-1e300")->ms == std::numeric_limits<int64_t>::min());
  for (const char* bad : {"", "Inf", "NaN", "1_2", "1.1.1", "0x1p-3", "z", "1z"}) {
    INFO(bad);
    CHECK_FALSE(parse_openmetrics_timestamp(bad));
  }
}
