// Helpers of the block tests: series with their samples, written into a block.
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "common/model/labels.hpp"
#include "common/model/metric_metadata.hpp"
#include "common/store/block/block_reader.hpp"
#include "common/store/block/block_writer.hpp"

namespace mc::block::test {

// Damages one byte of a block file in place (XOR 0x5a), for the corruption tests.
inline void flip_byte(const std::string& path, uint64_t offset) {
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  REQUIRE(file);
  file.seekg(static_cast<std::streamoff>(offset));
  char c = 0;
  file.read(&c, 1);
  c = static_cast<char>(c ^ 0x5a);
  file.seekp(static_cast<std::streamoff>(offset));
  file.write(&c, 1);
  REQUIRE(file);
}

struct TestSeries {
  Labels labels;
  const MetricMetadata* metadata = nullptr;
  std::vector<int64_t> timestamps;
  std::vector<std::vector<double>> columns;  // one per column kind
};

inline BlockMeta raw_meta(int64_t min_time, int64_t max_time) {
  BlockMeta meta;
  meta.tier = "raw";
  meta.min_time = min_time;
  meta.max_time = max_time;
  return meta;
}

// Writes `series` (sorted here) and returns the block directory.
inline std::string write_block(const std::filesystem::path& parent, BlockMeta meta,
                               std::vector<TestSeries>& series, BlockWriterOptions options = {}) {
  std::sort(series.begin(), series.end(),
            [](const TestSeries& a, const TestSeries& b) { return a.labels < b.labels; });
  auto writer = BlockWriter::create(parent.string(), std::move(meta), options);
  REQUIRE(writer.is_ok());
  for (const TestSeries& s : series) {
    std::vector<std::span<const double>> columns(s.columns.begin(), s.columns.end());
    const Status status = (*writer)->add_series(s.labels, s.metadata, s.timestamps, columns);
    INFO(status.message());
    REQUIRE(status.is_ok());
  }
  auto dir = (*writer)->finish();
  INFO((dir.is_ok() ? std::string() : dir.error()));
  REQUIRE(dir.is_ok());
  return *dir;
}

inline std::shared_ptr<BlockReader> open_block(const std::string& dir) {
  auto reader = BlockReader::open(dir);
  INFO((reader.is_ok() ? std::string() : reader.error()));
  REQUIRE(reader.is_ok());
  return *reader;
}

inline void require_same_bits(const std::vector<double>& actual,
                              const std::vector<double>& expected) {
  REQUIRE(actual.size() == expected.size());
  for (size_t i = 0; i < actual.size(); ++i) {
    INFO("sample " << i);
    REQUIRE(std::bit_cast<uint64_t>(actual[i]) == std::bit_cast<uint64_t>(expected[i]));
  }
}

}  // namespace mc::block::test
