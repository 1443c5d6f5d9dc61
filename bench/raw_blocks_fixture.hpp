// Raw blocks of one label set written straight with BlockWriter, for the
// benches that measure what reading or downsampling blocks costs in memory:
// SERIES node_exporter-like series, BLOCKS blocks of 10 minutes each, SAMPLES
// evenly spaced samples a series a block, values integers below 1,000: in
// steps of 3 (a column packs to almost nothing), or with `noisy` drawn at
// random (~10 bits a sample, as a typical gauge's decimal mantissas).
#pragma once

#include <stdlib.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/model/labels.hpp"
#include "common/store/block/block_writer.hpp"

namespace mc::bench {

inline constexpr int64_t kFixtureBlockMs = 10 * 60'000;

inline std::vector<Labels> node_like_labels(int series) {
  std::vector<Labels> all;
  all.reserve(static_cast<size_t>(series));
  for (int i = 0; i < series; ++i) {
    all.push_back(Labels{{"__name__", "node_metric_" + std::to_string(i % 250) + "_total"},
                         {"cpu", std::to_string(i % 8)},
                         {"instance", "10.0.0." + std::to_string(i / 250) + ":9100"},
                         {"job", "node"}});
  }
  std::sort(all.begin(), all.end());
  return all;
}

// Block b covers [b * kFixtureBlockMs, (b + 1) * kFixtureBlockMs). Prints the
// error and returns false when a write fails.
inline bool write_raw_blocks(const std::filesystem::path& blocks_dir,
                             const std::vector<Labels>& labels, int blocks, int samples,
                             bool noisy = false) {
  uint64_t random = 0x9e3779b97f4a7c15;
  const int64_t step = kFixtureBlockMs / samples;
  std::vector<int64_t> timestamps(static_cast<size_t>(samples));
  std::vector<double> values(static_cast<size_t>(samples));
  for (int b = 0; b < blocks; ++b) {
    block::BlockMeta meta;
    meta.min_time = b * kFixtureBlockMs;
    meta.max_time = (b + 1) * kFixtureBlockMs - 1;
    auto writer = block::BlockWriter::create(blocks_dir.string(), meta);
    if (!writer) {
      std::fprintf(stderr, "%s\n", writer.error().c_str());
      return false;
    }
    for (size_t s = 0; s < labels.size(); ++s) {
      for (int i = 0; i < samples; ++i) {
        timestamps[static_cast<size_t>(i)] = meta.min_time + i * step;
        random ^= random << 13;  // xorshift64: the same values every run
        random ^= random >> 7;
        random ^= random << 17;
        const uint64_t step_value =
            s * 7 + static_cast<uint64_t>(b) * 131 + static_cast<uint64_t>(i) * 3;
        values[static_cast<size_t>(i)] = static_cast<double>((noisy ? random : step_value) % 1000);
      }
      const std::span<const double> column(values);
      if (auto status = (*writer)->add_series(labels[s], nullptr, timestamps, {&column, 1});
          !status) {
        std::fprintf(stderr, "%s\n", status.message().c_str());
        return false;
      }
    }
    if (auto dir = (*writer)->finish(); !dir) {
      std::fprintf(stderr, "%s\n", dir.error().c_str());
      return false;
    }
  }
  return true;
}

// The shape a bench writes: argv[1..3] as SERIES BLOCKS SAMPLES, each
// defaulting to `defaults`'; nullopt, after printing `usage`, when one is out
// of range (blocks below `min_blocks`, samples above 600).
struct FixtureShape {
  int series = 50'000;
  int blocks = 12;
  int samples = 120;
};

inline std::optional<FixtureShape> parse_fixture_shape(int argc, char** argv, FixtureShape defaults,
                                                       const char* usage, int min_blocks = 1) {
  FixtureShape shape = defaults;
  if (argc > 1) shape.series = std::atoi(argv[1]);
  if (argc > 2) shape.blocks = std::atoi(argv[2]);
  if (argc > 3) shape.samples = std::atoi(argv[3]);
  if (shape.series <= 0 || shape.blocks < min_blocks || shape.samples <= 0 || shape.samples > 600) {
    std::fprintf(stderr, "usage: %s\n", usage);
    return std::nullopt;
  }
  return shape;
}

// A new directory /tmp/<name>-XXXXXX for the bench's store; empty on failure.
inline std::filesystem::path make_bench_dir(const std::string& name) {
  std::string pattern = "/tmp/" + name + "-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) return {};
  return pattern;
}

}  // namespace mc::bench
