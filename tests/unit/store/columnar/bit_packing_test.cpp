#include "common/store/columnar/bit_packing.hpp"

#include <catch2/catch.hpp>

#include <random>

#include "common/store/columnar/column_format.hpp"

namespace mc::columnar {
namespace {

TEST_CASE("bit packing round-trips every width, across blocks", "[store][columnar]") {
  std::mt19937_64 random(5);
  for (int width = 0; width <= 64; ++width) {
    for (const size_t count :
         {size_t{0}, size_t{1}, size_t{7}, size_t{128}, size_t{129}, size_t{300}}) {
      CAPTURE(width, count);
      std::vector<uint64_t> values(count);
      for (auto& v : values) {
        v = width == 0 ? 0 : width == 64 ? random() : random() & ((uint64_t{1} << width) - 1);
      }
      if (count > 0 && width > 0) values[count / 2] |= uint64_t{1} << (width - 1);  // full width
      std::vector<uint8_t> packed{0xEE};
      pack_blocks(values, packed);
      REQUIRE(packed.size() == 1 + packed_size(values));
      ByteReader reader{std::span(packed).subspan(1)};
      std::vector<uint64_t> unpacked(count, 12345);
      REQUIRE(unpack_blocks(reader, count, unpacked));
      REQUIRE(reader.at_end());
      REQUIRE(unpacked == values);
    }
  }
}

TEST_CASE("bit packing bytes: a width byte per block, most significant bit first",
          "[store][columnar]") {
  std::vector<uint8_t> packed;
  pack_blocks(std::vector<uint64_t>{1, 2, 3, 0, 5}, packed);
  // width 3: 001 010 011 000 101 + 1 bit of padding = 0010 1001 1000 1010
  REQUIRE(packed == std::vector<uint8_t>{0x03, 0x29, 0x8A});
  packed.clear();
  std::vector<uint64_t> zeros(column_format::kBlockValues + 1, 0);
  pack_blocks(zeros, packed);
  REQUIRE(packed == std::vector<uint8_t>{0x00, 0x00});
}

TEST_CASE("bit packing refuses widths above 64 and short blocks", "[store][columnar]") {
  std::vector<uint64_t> out(3);
  const std::vector<uint8_t> wide{65, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                  0,  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  ByteReader wide_reader(wide);
  REQUIRE_FALSE(unpack_blocks(wide_reader, 3, out));
  const std::vector<uint8_t> short_block{8, 1, 2};
  ByteReader short_reader(short_block);
  REQUIRE_FALSE(unpack_blocks(short_reader, 3, out));
}

}  // namespace
}  // namespace mc::columnar
