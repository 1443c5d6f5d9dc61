#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "tests/support/temp_dir.hpp"
#include "tests/unit/store/block/block_test_series.hpp"

using namespace mc::block;
using namespace mc::block::test;
using mc::Labels;

namespace {

// 50 series with distinct timestamps and values in groups of ~1 KiB.
std::string write_test_block(const std::filesystem::path& parent) {
  std::vector<TestSeries> series;
  for (int i = 0; i < 50; ++i) {
    TestSeries s;
    s.labels = Labels{{"__name__", "m"}, {"i", std::to_string(100 + i)}};
    for (int t = 0; t < 300; ++t) {
      s.timestamps.push_back(t * 1000 + i);
      s.columns.resize(1);
      s.columns[0].push_back(std::sin(t * 0.1 + i) * 1000.0 + i);
    }
    series.push_back(std::move(s));
  }
  BlockWriterOptions options;
  options.group_target_bytes = 1024;
  options.zstd_level = 1;
  return write_block(parent, raw_meta(0, 400000), series, options);
}

}  // namespace

TEST_CASE("a damaged chunk group is reported by file and offset; others still read",
          "[store][block][corruption]") {
  mc::test::TempDir temp;
  const std::string dir = write_test_block(temp.path());
  auto reader = open_block(dir);
  REQUIRE(reader->verify().is_ok());

  // Damage the middle of the data file, then find which series still read.
  const uint64_t size = std::filesystem::file_size(dir + "/data");
  const uint64_t damaged = size / 2;
  flip_byte(dir + "/data", damaged);
  reader = open_block(dir);  // the index does not cover data bytes: open succeeds

  const auto verified = reader->verify();
  REQUIRE_FALSE(verified.is_ok());
  REQUIRE_THAT(verified.message(), Catch::Contains(dir + "/data: chunk group at offset ") &&
                                       Catch::Contains("CRC mismatch"));
  std::vector<int64_t> timestamps;
  std::vector<double> values;
  size_t good = 0;
  size_t bad = 0;
  for (uint32_t s = 0; s < reader->num_series(); ++s) {
    const auto status = reader->read(s, INT64_MIN, INT64_MAX, 0, timestamps, values);
    if (status.is_ok()) {
      ++good;
      REQUIRE(timestamps.size() == 300);
    } else {
      ++bad;
      REQUIRE_THAT(status.message(), Catch::Contains(dir + "/data: chunk group at offset"));
    }
  }
  REQUIRE(bad > 0);
  REQUIRE(good > 0);
}

TEST_CASE("a damaged index fails open with a clear error", "[store][block][corruption]") {
  mc::test::TempDir temp;
  const std::string dir = write_test_block(temp.path());
  const uint64_t size = std::filesystem::file_size(dir + "/index");
  // Every byte of the index is covered: the header, each section, the table
  // of contents and the trailer.
  for (uint64_t offset = 0; offset < size; offset += std::max<uint64_t>(1, size / 97)) {
    flip_byte(dir + "/index", offset);
    auto reader = BlockReader::open(dir);
    INFO("offset " << offset);
    REQUIRE_FALSE(reader.is_ok());
    REQUIRE_THAT(reader.error(), Catch::Contains(dir + "/index"));
    flip_byte(dir + "/index", offset);  // repair
  }
  REQUIRE(BlockReader::open(dir).is_ok());
  flip_byte(dir + "/index", size - 20);  // inside the table of contents
  auto reader = BlockReader::open(dir);
  REQUIRE_FALSE(reader.is_ok());
  REQUIRE_THAT(reader.error(), Catch::Contains("CRC mismatch"));
}

TEST_CASE("truncated files fail open", "[store][block][corruption]") {
  mc::test::TempDir temp;
  const std::string dir = write_test_block(temp.path());
  for (const char* name : {"data", "index", "meta.json"}) {
    INFO(name);
    const std::string path = dir + "/" + name;
    const uint64_t size = std::filesystem::file_size(path);
    std::filesystem::copy_file(path, path + ".keep");
    std::filesystem::resize_file(path, size - 3);
    auto reader = BlockReader::open(dir);
    REQUIRE_FALSE(reader.is_ok());
    REQUIRE_THAT(reader.error(), Catch::Contains(path));
    std::filesystem::resize_file(path, 0);
    REQUIRE_FALSE(BlockReader::open(dir).is_ok());
    std::filesystem::rename(path + ".keep", path);
  }
  REQUIRE(BlockReader::open(dir).is_ok());
  std::filesystem::remove(dir + "/data");
  REQUIRE_THAT(BlockReader::open(dir).error(), Catch::Contains(dir + "/data"));
}
