// OpenXorChunk writes the very bytes XorChunk does (the format is one), keeps
// its buffer to about what is written, and reads back its first and last
// samples without decoding.
#include "common/store/chunkenc/open_xor_chunk.hpp"

#include <bit>
#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "common/model/sample_value.hpp"
#include "common/store/chunkenc/xor_chunk.hpp"

using mc::chunkenc::OpenXorChunk;
using mc::chunkenc::XorChunk;
using mc::chunkenc::XorIterator;

namespace {

std::vector<uint8_t> encode_with_xor_chunk(const std::vector<mc::Sample>& samples) {
  XorChunk chunk;
  auto appender = chunk.appender();
  REQUIRE(appender.is_ok());
  for (const auto& s : samples) (*appender)->append(s.t_ms, s.v);
  return {chunk.bytes().begin(), chunk.bytes().end()};
}

std::vector<mc::Sample> mixed_samples(size_t count, uint32_t seed) {
  std::mt19937_64 random(seed);
  std::vector<mc::Sample> samples;
  int64_t t = -5'000;
  double v = 0;
  for (size_t i = 0; i < count; ++i) {
    switch (random() % 6) {
      case 0:
        t += 15'000;
        break;  // regular
      case 1:
        t += static_cast<int64_t>(random() % 100'000);
        break;  // jitter
      case 2:
        t += int64_t{1} << 40;
        break;  // huge gap
      default:
        t += 10'000;
        break;
    }
    switch (random() % 5) {
      case 0:
        v = std::bit_cast<double>(random());
        break;  // any bits, NaN payloads too
      case 1:
        v = mc::stale_nan();
        break;
      case 2:
        v += 1;
        break;
      default:
        break;  // unchanged
    }
    samples.push_back({t, v});
  }
  return samples;
}

}  // namespace

TEST_CASE("open xor chunk writes the bytes XorChunk writes", "[store][xor][open_chunk]") {
  for (uint32_t seed = 1; seed <= 20; ++seed) {
    const auto samples = mixed_samples(1 + seed * 37, seed);
    OpenXorChunk open;
    for (const auto& s : samples) open.append(s.t_ms, s.v);
    const std::vector<uint8_t> written(open.bytes().begin(), open.bytes().end());
    REQUIRE(written == encode_with_xor_chunk(samples));
    REQUIRE(open.num_samples() == static_cast<int>(samples.size()));
    REQUIRE(open.first_t() == samples.front().t_ms);
    REQUIRE(open.last_t() == samples.back().t_ms);
    REQUIRE(mc::same_bits(open.last_v(), samples.back().v));
  }
}

TEST_CASE("open xor chunk decodes with XorIterator, extreme timestamps included",
          "[store][xor][open_chunk]") {
  const std::vector<mc::Sample> samples{{std::numeric_limits<int64_t>::min(), -0.0},
                                        {-1, std::numeric_limits<double>::infinity()},
                                        {0, mc::stale_nan()},
                                        {std::numeric_limits<int64_t>::max(), 1.5}};
  OpenXorChunk open;
  for (const auto& s : samples) open.append(s.t_ms, s.v);
  REQUIRE(open.first_t() == std::numeric_limits<int64_t>::min());
  XorIterator it(open.bytes());
  for (const auto& s : samples) {
    REQUIRE(it.next());
    REQUIRE(it.at().t_ms == s.t_ms);
    REQUIRE(mc::same_bits(it.at().v, s.v));
  }
  REQUIRE_FALSE(it.next());
  REQUIRE(it.status().is_ok());
}

TEST_CASE("open xor chunk holds nothing until its first sample and after clear",
          "[store][xor][open_chunk]") {
  OpenXorChunk open;
  REQUIRE(open.empty());
  REQUIRE(open.bytes().empty());
  REQUIRE(open.heap_bytes() == 0);
  REQUIRE(open.tail() == nullptr);
  open.append(1'000, 2.0);
  REQUIRE_FALSE(open.empty());
  REQUIRE(open.heap_bytes() == 40);  // a 48-byte malloc chunk: header, first sample and more
  open.clear();
  REQUIRE(open.empty());
  REQUIRE(open.heap_bytes() == 0);
  open.append(5'000, 3.0);  // a new chunk: starts again with a full first sample
  REQUIRE(open.first_t() == 5'000);
  REQUIRE(open.num_samples() == 1);
}

TEST_CASE("open xor chunk restarted in its old buffer writes exactly a new chunk's bytes",
          "[store][xor][open_chunk]") {
  // The bytes left over from the chunk before must not leak into the next
  // one's bits (the encoder ORs bits into bytes it expects zero).
  for (uint32_t seed = 1; seed <= 20; ++seed) {
    const auto before = mixed_samples(300, seed);
    const auto after = mixed_samples(1 + seed * 11, seed + 100);
    OpenXorChunk open;
    for (const auto& s : before) open.append(s.t_ms, s.v);
    const size_t capacity = open.heap_bytes();
    open.restart();
    REQUIRE(open.empty());
    REQUIRE(open.bytes().empty());
    REQUIRE(open.heap_bytes() == capacity);
    for (const auto& s : after) open.append(s.t_ms, s.v);
    const std::vector<uint8_t> written(open.bytes().begin(), open.bytes().end());
    REQUIRE(written == encode_with_xor_chunk(after));
    REQUIRE(open.first_t() == after.front().t_ms);
    REQUIRE(open.num_samples() == static_cast<int>(after.size()));
  }
}

TEST_CASE("open xor chunk buffer stays close to the bytes written", "[store][xor][open_chunk]") {
  // Values that change in many bits: about 8 bytes a sample, the worst case.
  std::mt19937_64 random(7);
  OpenXorChunk open;
  for (int i = 0; i < 1'000; ++i) {
    open.append(int64_t{i} * 15'000, std::bit_cast<double>(random() >> 2));
    const size_t used = open.bytes().size();
    // The first 40 bytes, then at most half again what is used.
    REQUIRE(open.heap_bytes() >= used);
    REQUIRE(open.heap_bytes() <= std::max<size_t>(40, used + used / 2 + 16));
  }
}

TEST_CASE("open xor chunk moves its bytes and leaves the source empty",
          "[store][xor][open_chunk]") {
  OpenXorChunk a;
  a.append(1, 1.0);
  a.append(2, 2.0);
  const std::vector<uint8_t> bytes(a.bytes().begin(), a.bytes().end());
  OpenXorChunk b(std::move(a));
  REQUIRE(std::vector<uint8_t>(b.bytes().begin(), b.bytes().end()) == bytes);
  REQUIRE(a.empty());  // NOLINT(bugprone-use-after-move): moved-from is empty by contract
  OpenXorChunk c;
  c.append(9, 9.0);
  c = std::move(b);
  REQUIRE(c.num_samples() == 2);
  b.append(3, 3.0);  // NOLINT(bugprone-use-after-move): usable again
  REQUIRE(b.num_samples() == 1);
}
