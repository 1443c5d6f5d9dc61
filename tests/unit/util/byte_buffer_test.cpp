#include "common/util/byte_buffer.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "common/util/crc32c.hpp"

namespace mc {
namespace {

TEST_CASE("ByteWriter and ByteReader round-trip every kind of field") {
  std::vector<uint8_t> buffer;
  ByteWriter writer(buffer);
  writer.u8(0xab);
  writer.u32(0xdeadbeef);
  writer.u64(0x0123456789abcdefULL);
  writer.f64(-0.0);
  writer.uvarint(0);
  writer.uvarint(std::numeric_limits<uint64_t>::max());
  writer.varint(std::numeric_limits<int64_t>::min());
  writer.varint(-1);
  writer.string("job");

  ByteReader reader(buffer);
  CHECK(reader.u8() == 0xab);
  CHECK(reader.u32() == 0xdeadbeef);
  CHECK(reader.u64() == 0x0123456789abcdefULL);
  const double zero = reader.f64();
  CHECK(zero == 0.0);
  CHECK(std::signbit(zero));
  CHECK(reader.uvarint() == 0);
  CHECK(reader.uvarint() == std::numeric_limits<uint64_t>::max());
  CHECK(reader.varint() == std::numeric_limits<int64_t>::min());
  CHECK(reader.varint() == -1);
  CHECK(reader.string() == "job");
  CHECK(reader.ok());
  CHECK(reader.at_end());
}

TEST_CASE("Fixed-width integers are little-endian, varints are LEB128") {
  std::vector<uint8_t> buffer;
  ByteWriter writer(buffer);
  writer.u32(0x01020304);
  writer.uvarint(300);
  writer.varint(-2);
  CHECK(buffer == std::vector<uint8_t>{0x04, 0x03, 0x02, 0x01, 0xac, 0x02, 0x03});
}

TEST_CASE("ByteReader fails, and stays failed, on a short or malformed input") {
  SECTION("fixed width past the end") {
    const std::vector<uint8_t> three{1, 2, 3};
    ByteReader reader(three);
    CHECK(reader.u32() == 0);
    CHECK_FALSE(reader.ok());
    CHECK(reader.u8() == 0);
    CHECK_FALSE(reader.ok());
  }
  SECTION("a varint that never ends") {
    const std::vector<uint8_t> endless(11, 0xff);
    ByteReader reader(endless);
    reader.uvarint();
    CHECK_FALSE(reader.ok());
  }
  SECTION("a varint that overflows 64 bits") {
    std::vector<uint8_t> overflow(9, 0xff);
    overflow.push_back(0x02);
    ByteReader reader(overflow);
    reader.uvarint();
    CHECK_FALSE(reader.ok());
  }
  SECTION("a string longer than what is left") {
    const std::vector<uint8_t> liar{5, 'a', 'b'};
    ByteReader reader(liar);
    CHECK(reader.string().empty());
    CHECK_FALSE(reader.ok());
  }
}

TEST_CASE("crc32c matches the standard check values") {
  const std::string check = "123456789";
  const std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t*>(check.data()),
                                       check.size());
  CHECK(crc32c(bytes) == 0xe3069283);
  CHECK(crc32c({}) == 0);
  // Chained over pieces equals one pass over the whole.
  CHECK(crc32c(bytes.subspan(4), crc32c(bytes.subspan(0, 4))) == 0xe3069283);
  // 32 zero bytes (RFC 3720, B.4).
  const std::vector<uint8_t> zeros(32, 0);
  CHECK(crc32c(zeros) == 0x8a9136aa);
}

}  // namespace
}  // namespace mc
