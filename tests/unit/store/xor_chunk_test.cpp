// The Gorilla XOR format pinned to exact bytes: changing them must be deliberate
// (and would break chunks written by an earlier version).
#include "common/store/chunkenc/xor_chunk.hpp"

#include <catch2/catch.hpp>
#include <vector>

#include "common/model/sample_value.hpp"

using mc::chunkenc::XorChunk;
using mc::chunkenc::XorIterator;

namespace {

std::vector<uint8_t> encode(const std::vector<mc::Sample>& samples) {
  XorChunk chunk;
  auto appender = chunk.appender();
  REQUIRE(appender.is_ok());
  for (const auto& s : samples) (*appender)->append(s.t_ms, s.v);
  return {chunk.bytes().begin(), chunk.bytes().end()};
}

}  // namespace

TEST_CASE("xor chunk bytes of the worked example in xor_chunk.cpp", "[store][xor]") {
  const std::vector<uint8_t> expected{0x01, 0x00, 0x04, 0xD0, 0x0F, 0x3F, 0xF0,
                                      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xE8,
                                      0x07, 0x30, 0x99, 0xFF, 0xF0, 0x00, 0x20};
  REQUIRE(encode({{1000, 1.0}, {2000, 1.0}, {3000, 3.0}, {4001, 3.0}}) == expected);
}

TEST_CASE("xor chunk bytes of an empty chunk and of a single stale marker", "[store][xor]") {
  REQUIRE(encode({}) == std::vector<uint8_t>{0x01, 0x00, 0x00});
  // zigzag(-1) = 1; StaleNaN raw.
  REQUIRE(encode({{-1, mc::stale_nan()}}) == std::vector<uint8_t>{0x01, 0x00, 0x01, 0x01, 0x7F,
                                                                  0xF0, 0x00, 0x00, 0x00, 0x00,
                                                                  0x00, 0x02});
}

TEST_CASE("xor chunk bytes of a small counter", "[store][xor]") {
  // t: 0, 10, 20, 30 (dod 0 after the first delta); v: 0, 1, 2, 3.
  //   1.0 ^ 0.0 = 0x3FF0...: new window, 2 leading zeros, 10 significant bits
  //   2.0 ^ 1.0 = 0x7FF0...: 1 leading zero < 2, so a new window of 11 bits
  //   3.0 ^ 2.0 = 0x0008...: 51 trailing zeros < 52, so a new window of 1 bit
  // (cross-checked with an independent Python encoder of the same format).
  const auto bytes = encode({{0, 0.0}, {10, 1.0}, {20, 2.0}, {30, 3.0}});
  const std::vector<uint8_t> expected{0x01, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00,
                                      0x00, 0x00, 0x00, 0x00, 0x00, 0x0A, 0xC4,
                                      0x57, 0xFE, 0xC2, 0x5F, 0xFF, 0x6C, 0x06};
  REQUIRE(bytes == expected);
}

TEST_CASE("xor iterator reports where a truncated chunk ends", "[store][xor]") {
  auto bytes = encode({{1000, 1.0}, {2000, 1.0}, {3000, 3.0}, {4001, 3.0}});
  bytes.resize(bytes.size() - 2);
  XorIterator it(bytes);
  int decoded = 0;
  while (it.next()) ++decoded;
  REQUIRE(decoded == 3);
  REQUIRE_THAT(it.status().message(), Catch::Contains("truncated timestamp at sample 4 of 4"));
}

TEST_CASE("xor iterator rejects a value that reuses a window never written", "[store][xor]") {
  // Two samples; the second value says "10": reuse the previous window, but the
  // first sample wrote none.
  const std::vector<uint8_t> bytes{0x01, 0x00, 0x02, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x80};
  XorIterator it(bytes);
  REQUIRE(it.next());
  REQUIRE_FALSE(it.next());
  REQUIRE_THAT(it.status().message(), Catch::Contains("reuses a window"));
}

TEST_CASE("xor chunk appender refuses to resume a corrupt chunk", "[store][xor]") {
  XorChunk chunk(std::vector<uint8_t>{0x01, 0x00, 0x05, 0x02});
  REQUIRE_FALSE(chunk.appender().is_ok());
}
