// One shared run of every chunk encoding: random and adversarial samples must
// come back with the exact same bits.
#include "common/store/chunkenc/chunk.hpp"

#include <bit>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "common/model/sample_value.hpp"

using mc::Sample;
using mc::chunkenc::Chunk;
using mc::chunkenc::ChunkEncoding;

namespace {

constexpr int64_t kInt64Min = std::numeric_limits<int64_t>::min();
constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();

std::unique_ptr<Chunk> encode(ChunkEncoding encoding, const std::vector<Sample>& samples) {
  auto chunk = mc::chunkenc::new_chunk(encoding);
  REQUIRE(chunk);
  auto appender = chunk->appender();
  REQUIRE(appender.is_ok());
  for (const auto& s : samples) (*appender)->append(s.t_ms, s.v);
  return chunk;
}

// Decodes `chunk` and compares timestamps and value bits with `expected`.
void require_round_trip(const Chunk& chunk, const std::vector<Sample>& expected) {
  REQUIRE(chunk.num_samples() == static_cast<int>(expected.size()));
  auto it = mc::chunkenc::new_chunk_iterator(chunk.bytes());
  size_t i = 0;
  while (it->next()) {
    REQUIRE(i < expected.size());
    const Sample got = it->at();
    INFO("sample " << i);
    REQUIRE(got.t_ms == expected[i].t_ms);
    REQUIRE(std::bit_cast<uint64_t>(got.v) == std::bit_cast<uint64_t>(expected[i].v));
    ++i;
  }
  REQUIRE(it->status().is_ok());
  REQUIRE(i == expected.size());
}

std::vector<double> adversarial_values() {
  return {0.0,
          -0.0,
          1.0,
          -1.0,
          std::numeric_limits<double>::infinity(),
          -std::numeric_limits<double>::infinity(),
          std::numeric_limits<double>::quiet_NaN(),
          mc::stale_nan(),
          std::bit_cast<double>(uint64_t{0x7ff0000000000001}),  // signalling NaN payload
          std::bit_cast<double>(uint64_t{0xfff8000000000abc}),  // negative NaN with payload
          std::bit_cast<double>(uint64_t{0xffffffffffffffff}),
          std::numeric_limits<double>::denorm_min(),
          -std::numeric_limits<double>::denorm_min(),
          std::numeric_limits<double>::min(),
          std::numeric_limits<double>::max(),
          std::numeric_limits<double>::lowest(),
          std::numeric_limits<double>::epsilon(),
          1e300,
          123456.789};
}

}  // namespace

TEST_CASE("chunks round-trip adversarial values bit for bit", "[store][chunk]") {
  const auto encoding = GENERATE(ChunkEncoding::xor_gorilla);
  const auto values = adversarial_values();
  std::vector<Sample> samples;
  int64_t t = 1'700'000'000'000;
  // Every value after every other, so each XOR transition is exercised.
  for (double a : values) {
    for (double b : values) {
      samples.push_back({t += 15'000, a});
      samples.push_back({t += 15'000, b});
    }
  }
  for (size_t start = 0; start < samples.size(); start += 120) {
    std::vector<Sample> part(
        samples.begin() + static_cast<long>(start),
        samples.begin() + static_cast<long>(std::min(start + 120, samples.size())));
    require_round_trip(*encode(encoding, part), part);
  }
}

TEST_CASE("chunks round-trip timestamps across the whole int64 range", "[store][chunk]") {
  const auto encoding = GENERATE(ChunkEncoding::xor_gorilla);
  // Every delta-of-delta bucket edge, both signs, and jumps of up to 2^64 - 1 ms.
  std::vector<std::vector<int64_t>> cases = {
      {kInt64Min, kInt64Max},
      {kInt64Min, kInt64Max, kInt64Max},
      {kInt64Min, kInt64Min, kInt64Min + 1, kInt64Max},
      {kInt64Min, 0, kInt64Max},
      {-5, -4, kInt64Max - 1, kInt64Max},
      {0, 1, 2, 3, 3, 3},
      {-1'000'000, -999'000, -998'000, 1'000'000'000'000},
  };
  for (int bits : {14, 17, 20}) {
    const int64_t half = int64_t{1} << (bits - 1);
    for (int64_t dod : {half, half + 1, -(half - 1), -half}) {
      const int64_t base_delta = int64_t{1} << 30;
      cases.push_back({0, base_delta, 2 * base_delta + dod, 3 * base_delta + 2 * dod});
    }
  }
  for (const auto& timestamps : cases) {
    std::vector<Sample> samples;
    for (int64_t t : timestamps) samples.push_back({t, static_cast<double>(samples.size())});
    require_round_trip(*encode(encoding, samples), samples);
  }
}

TEST_CASE("chunks round-trip random series", "[store][chunk]") {
  const auto encoding = GENERATE(ChunkEncoding::xor_gorilla);
  std::mt19937_64 random(7);
  for (int round = 0; round < 200; ++round) {
    std::vector<Sample> samples;
    int64_t t = static_cast<int64_t>(random() >> 20) - (int64_t{1} << 43);
    double counter = 0;
    const int kind = round % 4;
    const int count = static_cast<int>(random() % 300) + 1;
    for (int i = 0; i < count; ++i) {
      // Jittered scrapes with rare huge gaps.
      t += (random() % 50 == 0) ? static_cast<int64_t>(random() >> 4)
                                : 15'000 + static_cast<int64_t>(random() % 200) - 100;
      double v = 0;
      if (kind == 0) v = std::bit_cast<double>(random());  // arbitrary bits, NaNs included
      if (kind == 1) v = counter += static_cast<double>(random() % 1000);
      if (kind == 2) v = static_cast<double>(random() % 3);
      if (kind == 3) v = std::ldexp(static_cast<double>(random() % 1000), -1070);  // denormals
      samples.push_back({t, v});
    }
    require_round_trip(*encode(encoding, samples), samples);
  }
}

TEST_CASE("a chunk appender resumes after the samples already in the chunk", "[store][chunk]") {
  const auto encoding = GENERATE(ChunkEncoding::xor_gorilla);
  std::vector<Sample> samples;
  for (int i = 0; i < 50; ++i) samples.push_back({i * 1000 + (i % 3), i * 0.25});
  for (size_t split : {size_t{0}, size_t{1}, size_t{2}, size_t{3}, size_t{17}, size_t{49}}) {
    auto chunk = encode(encoding, {samples.begin(), samples.begin() + static_cast<long>(split)});
    auto copy = mc::chunkenc::chunk_from_bytes({chunk->bytes().begin(), chunk->bytes().end()});
    REQUIRE(copy.is_ok());
    auto appender = (*copy)->appender();
    REQUIRE(appender.is_ok());
    for (size_t i = split; i < samples.size(); ++i) {
      (*appender)->append(samples[i].t_ms, samples[i].v);
    }
    require_round_trip(**copy, samples);
    const auto whole = encode(encoding, samples);
    REQUIRE(std::vector<uint8_t>((*copy)->bytes().begin(), (*copy)->bytes().end()) ==
            std::vector<uint8_t>(whole->bytes().begin(), whole->bytes().end()));
  }
}

TEST_CASE("every truncation of a chunk is reported as an error", "[store][chunk]") {
  const auto encoding = GENERATE(ChunkEncoding::xor_gorilla);
  std::vector<Sample> samples;
  for (int i = 0; i < 120; ++i) samples.push_back({i * 15'000 + (i % 7) * 3, std::sin(i)});
  const auto chunk = encode(encoding, samples);
  const auto bytes = chunk->bytes();
  for (size_t length = 0; length < bytes.size(); ++length) {
    // A copy of exactly `length` bytes, so a read past it would be caught by ASan.
    const std::vector<uint8_t> truncated(bytes.begin(), bytes.begin() + static_cast<long>(length));
    auto it = mc::chunkenc::new_chunk_iterator(truncated);
    int decoded = 0;
    while (it->next()) ++decoded;
    INFO("length " << length);
    REQUIRE_FALSE(it->status().is_ok());
    REQUIRE(decoded < 120);
    REQUIRE_FALSE(it->next());  // stays failed
  }
}

TEST_CASE("decoders survive random bytes", "[store][chunk]") {
  const auto encoding = GENERATE(ChunkEncoding::xor_gorilla);
  std::mt19937_64 random(99);
  std::unique_ptr<mc::chunkenc::ChunkIterator> it;
  for (int round = 0; round < 3000; ++round) {
    std::vector<uint8_t> bytes(random() % 64);
    for (auto& b : bytes) b = static_cast<uint8_t>(random());
    if (bytes.size() >= 1) bytes[0] = static_cast<uint8_t>(encoding);
    it = mc::chunkenc::new_chunk_iterator(bytes, std::move(it));
    int decoded = 0;
    while (it->next()) ++decoded;
    REQUIRE(decoded <= Chunk::kMaxSamples);
    if (bytes.size() < mc::chunkenc::kChunkHeaderBytes) REQUIRE_FALSE(it->status().is_ok());
  }
}

TEST_CASE("unknown encodings and short headers are errors", "[store][chunk]") {
  REQUIRE_FALSE(mc::chunkenc::chunk_from_bytes({}).is_ok());
  REQUIRE_FALSE(mc::chunkenc::chunk_from_bytes({0x01, 0x00}).is_ok());
  const auto unknown = mc::chunkenc::chunk_from_bytes({0x7f, 0x00, 0x00});
  REQUIRE_FALSE(unknown.is_ok());
  REQUIRE_THAT(unknown.error(), Catch::Contains("unknown encoding byte 127"));
  const std::vector<uint8_t> bytes{0x00, 0x00, 0x00};
  auto it = mc::chunkenc::new_chunk_iterator(bytes);
  REQUIRE_FALSE(it->next());
  REQUIRE_FALSE(it->status().is_ok());
}
