#include "common/query/go_parse_float.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <string>

namespace mc::query {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

TEST_CASE("go_parse_float: decimal numbers as Go's ParseFloat reads them") {
  CHECK(go_parse_float("1") == 1.0);
  CHECK(go_parse_float("-0.25") == -0.25);
  CHECK(go_parse_float("+.5") == 0.5);
  CHECK(go_parse_float("5.") == 5.0);
  CHECK(go_parse_float("1e3") == 1000.0);
  CHECK(go_parse_float("1E-3") == 0.001);
  CHECK(go_parse_float("1_000.5") == 1000.5);  // Go's digit separators
  CHECK(go_parse_float("1e-400") == 0.0);      // too small: zero, as Go
}

TEST_CASE("go_parse_float: the infinities and NaN in any case") {
  CHECK(go_parse_float("+Inf") == kInf);
  CHECK(go_parse_float("-inf") == -kInf);
  CHECK(go_parse_float("Inf") == kInf);
  CHECK(go_parse_float("INFINITY") == kInf);
  CHECK(go_parse_float("-Infinity") == -kInf);
  REQUIRE(go_parse_float("NaN"));
  CHECK(std::isnan(*go_parse_float("nan")));
}

TEST_CASE("go_parse_float: hexadecimal floats need their p exponent") {
  CHECK(go_parse_float("0x1p-2") == 0.25);
  CHECK(go_parse_float("0X1.8P1") == 3.0);
  CHECK(go_parse_float("0x_1p0") == 1.0);
  CHECK_FALSE(go_parse_float("0x1.8"));
  CHECK_FALSE(go_parse_float("0x10"));
  CHECK_FALSE(go_parse_float("0x"));
}

TEST_CASE("go_parse_float: what Go rejects") {
  for (const std::string text :
       {"",      "abc",  "1.5e", "1e+", ".",    "+",    "1.2.3", "1 ",     " 1",   "+nan", "infx",
        "infin", "nanx", "_1",   "1_",  "1__0", "1._5", "1e400", "-1e400", "0x1p", "1f"}) {
    INFO(text);
    CHECK_FALSE(go_parse_float(text));
  }
}

}  // namespace
}  // namespace mc::query
