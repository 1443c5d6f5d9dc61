#include "common/store/chunkenc/bit_writer.hpp"

#include <catch2/catch.hpp>
#include <random>
#include <vector>

#include "common/store/chunkenc/bit_reader.hpp"

using mc::chunkenc::BitReader;
using mc::chunkenc::BitWriter;

TEST_CASE("BitWriter packs fields most significant bit first", "[store][bits]") {
  std::vector<uint8_t> bytes;
  BitWriter writer(&bytes);
  writer.write_bit(true);
  writer.write_bits(0b010, 3);
  writer.write_bits(0xABC, 12);
  REQUIRE(bytes == std::vector<uint8_t>{0xAA, 0xBC});
  writer.write_bit(true);
  REQUIRE(bytes == std::vector<uint8_t>{0xAA, 0xBC, 0x80});
  REQUIRE(writer.free_bits_in_last_byte() == 7);
}

TEST_CASE("BitWriter and BitReader round-trip random fields of 1 to 64 bits", "[store][bits]") {
  std::mt19937_64 random(42);
  std::vector<std::pair<uint64_t, int>> fields;
  std::vector<uint8_t> bytes;
  BitWriter writer(&bytes);
  for (int i = 0; i < 5000; ++i) {
    const int width = static_cast<int>(random() % 64) + 1;
    const uint64_t value = width == 64 ? random() : random() & ((uint64_t{1} << width) - 1);
    fields.emplace_back(value, width);
    writer.write_bits(value, width);
  }
  BitReader reader(bytes);
  for (const auto& [value, width] : fields) {
    uint64_t read = 0;
    REQUIRE(reader.read_bits(width, &read));
    REQUIRE(read == value);
  }
  REQUIRE(reader.remaining_bits() < 8);
}

TEST_CASE("BitReader refuses to read past the end", "[store][bits]") {
  const std::vector<uint8_t> bytes{0xFF, 0x01};
  BitReader reader(bytes);
  uint64_t value = 0;
  REQUIRE(reader.read_bits(15, &value));
  REQUIRE(value == 0x7F80);
  REQUIRE_FALSE(reader.read_bits(2, &value));
  bool bit = false;
  REQUIRE(reader.read_bit(&bit));
  REQUIRE(bit);
  REQUIRE_FALSE(reader.read_bit(&bit));
  uint8_t byte = 0;
  REQUIRE_FALSE(reader.read_byte(&byte));
}

TEST_CASE("BitWriter resumes a partly written last byte", "[store][bits]") {
  std::vector<uint8_t> bytes;
  {
    BitWriter writer(&bytes);
    writer.write_bits(0b101, 3);
  }
  BitWriter resumed(&bytes, 5);
  resumed.write_bits(0b11111, 5);
  resumed.write_bit(true);
  REQUIRE(bytes == std::vector<uint8_t>{0xBF, 0x80});
}
