#include "exporter/gzip.hpp"

#include <catch2/catch.hpp>

#include <string>

#include "tests/unit/exporter/http_test_client.hpp"

namespace mc {
namespace {

TEST_CASE("accepts_gzip reads Accept-Encoding with qualities", "[gzip]") {
  CHECK(accepts_gzip("gzip"));
  CHECK(accepts_gzip("deflate, GZIP;q=0.5"));
  CHECK(accepts_gzip("br, *"));
  CHECK(accepts_gzip("gzip, deflate, br"));  // what Prometheus and browsers send
  CHECK_FALSE(accepts_gzip(""));
  CHECK_FALSE(accepts_gzip("identity"));
  CHECK_FALSE(accepts_gzip("gzip;q=0"));
  CHECK_FALSE(accepts_gzip("gzip; q=0.0, deflate"));
  CHECK_FALSE(accepts_gzip("x-gzip-ish"));
}

TEST_CASE("gzip_compress output decompresses to the input", "[gzip]") {
  std::string input;
  for (int i = 0; i < 5000; ++i) input += "metric{label=\"" + std::to_string(i) + "\"} 1\n";
  std::string compressed;
  REQUIRE(gzip_compress(input, compressed).is_ok());
  CHECK(compressed.size() < input.size() / 4);
  CHECK(static_cast<unsigned char>(compressed[0]) == 0x1f);  // gzip magic
  CHECK(static_cast<unsigned char>(compressed[1]) == 0x8b);
  bool ok = false;
  CHECK(test::gunzip(compressed, ok) == input);
  CHECK(ok);

  REQUIRE(gzip_compress("", compressed).is_ok());
  CHECK(test::gunzip(compressed, ok).empty());
  CHECK(ok);
}

}  // namespace
}  // namespace mc
