#include "common/util/http_header.hpp"

#include <catch2/catch.hpp>

namespace mc {
namespace {

TEST_CASE("an Accept header splits into values, parameters and qualities", "[http_header]") {
  auto elements = parse_header_list(
      "application/openmetrics-text;version=1.0.0, Text/Plain; Version=0.0.4 ;q=0.5,*/*;q=0.1");
  REQUIRE(elements.size() == 3);
  CHECK(elements[0].value == "application/openmetrics-text");
  CHECK(elements[0].parameter("version") == "1.0.0");
  CHECK(elements[0].quality == 1.0);
  CHECK(elements[1].value == "text/plain");
  CHECK(elements[1].parameter("version") == "0.0.4");
  CHECK(elements[1].quality == 0.5);
  CHECK(elements[2].value == "*/*");
  CHECK(elements[2].quality == Approx(0.1));
  CHECK(elements[2].parameter("version").empty());
}

TEST_CASE("empty elements, quoted values and odd spacing are tolerated", "[http_header]") {
  auto elements = parse_header_list(" , gzip ;q=0 ,, deflate; charset=\"utf-8\" ,");
  REQUIRE(elements.size() == 2);
  CHECK(elements[0].value == "gzip");
  CHECK(elements[0].quality == 0.0);
  CHECK(elements[1].value == "deflate");
  CHECK(elements[1].parameter("charset") == "utf-8");
  CHECK(parse_header_list("").empty());
}

}  // namespace
}  // namespace mc
