// Each column encoding pinned to exact bytes: changing them must be deliberate
// (blocks already written would no longer read). The worked examples at the
// top of the codec sources are among these.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "column_inputs.hpp"
#include "common/store/columnar/column_codec.hpp"

namespace mc::columnar {
namespace {

std::vector<uint8_t> values_as(ColumnEncoding encoding, const std::vector<double>& values) {
  std::vector<uint8_t> column;
  REQUIRE(encode_values_as(encoding, values, column));
  std::vector<double> decoded;
  REQUIRE(decode_values(column, decoded).is_ok());
  REQUIRE(testing::same_bits(decoded, values));
  return column;
}

std::vector<uint8_t> timestamps_as(ColumnEncoding encoding,
                                   const std::vector<int64_t>& timestamps) {
  std::vector<uint8_t> column;
  REQUIRE(encode_timestamps_as(encoding, timestamps, column));
  std::vector<int64_t> decoded;
  REQUIRE(decode_timestamps(column, decoded).is_ok());
  REQUIRE(decoded == timestamps);
  return column;
}

using Bytes = std::vector<uint8_t>;

TEST_CASE("pinned bytes: empty columns", "[store][columnar]") {
  REQUIRE(values_as(ColumnEncoding::value_constant, {}) == Bytes{0x10, 0x00});
  REQUIRE(values_as(ColumnEncoding::value_gorilla_xor, {}) == Bytes{0x11, 0x00});
  REQUIRE(values_as(ColumnEncoding::value_decimal, {}) == Bytes{0x12, 0x00});
  REQUIRE(timestamps_as(ColumnEncoding::timestamp_constant_delta, {}) == Bytes{0x01, 0x00});
}

TEST_CASE("pinned bytes: timestamps", "[store][columnar]") {
  const std::vector<int64_t> t{1000, 2000, 3005, 4000};
  REQUIRE(timestamps_as(ColumnEncoding::timestamp_constant_delta, {1000, 2000, 3000}) ==
          Bytes{0x01, 0x03, 0xD0, 0x0F, 0xD0, 0x0F});
  REQUIRE(timestamps_as(ColumnEncoding::timestamp_delta_of_delta, t) ==
          Bytes{0x02, 0x04, 0xD0, 0x0F, 0xD0, 0x0F, 0x05, 0x54, 0xC0});
  REQUIRE(timestamps_as(ColumnEncoding::timestamp_grid_offset, t) ==
          Bytes{0x03, 0x04, 0xD0, 0x0F, 0xD0, 0x0F, 0x04, 0x0A, 0x00});
}

TEST_CASE("pinned bytes: values", "[store][columnar]") {
  REQUIRE(values_as(ColumnEncoding::value_constant, {7.5, 7.5, 7.5}) ==
          Bytes{0x10, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x1E, 0x40});
  REQUIRE(
      values_as(ColumnEncoding::value_gorilla_xor, {1.0, 1.0, 3.0}) ==
      Bytes{0x11, 0x03, 0x3F, 0xF0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x61, 0x33, 0xFF, 0xC0});
  REQUIRE(values_as(ColumnEncoding::value_decimal,
                    {1.5, 2.5, 3.5, std::numeric_limits<double>::quiet_NaN()}) ==
          Bytes{0x12, 0x04, 0x41, 0x01, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF8, 0x7F, 0x1E,
                0x14, 0x00});
}

}  // namespace
}  // namespace mc::columnar
