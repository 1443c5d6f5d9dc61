// SeriesStream: a block's series in order from its index file, as the parsed
// index gives them: labels, metadata and every column's samples over any
// range, through refills of its window and both ways a section is stored.
#include "common/store/block/series_stream.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>

#include "common/store/block/block_reader.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/store/block/block_test_series.hpp"

namespace series_stream_test {

using namespace mc::block;
using namespace mc::block::test;
using mc::Labels;

// `count` series with two value columns; every fifth without metadata;
// lengths from 1 to 700 samples, so that some split into several chunks.
std::vector<TestSeries> make_series(int count, const mc::MetricMetadata& metadata) {
  std::vector<TestSeries> all;
  for (int i = 0; i < count; ++i) {
    TestSeries s;
    // Long, distinct values make a series section of hundreds of KiB.
    s.labels = Labels{{"__name__", "metric_" + std::to_string(i % 7)},
                      {"instance", "host-" + std::to_string(i * 7919) + "-rack-" +
                                       std::to_string(i % 13) + ".cluster.example:9100"},
                      {"job", i % 3 == 0 ? "node" : "app"}};
    s.metadata = i % 5 == 0 ? nullptr : &metadata;
    s.columns.resize(2);
    const int samples = 1 + (i * 37) % 700;
    for (int t = 0; t < samples; ++t) {
      s.timestamps.push_back(int64_t{t} * 1000 + i % 17);
      s.columns[0].push_back(std::sin(t * 0.1 + i) * 100.0);
      s.columns[1].push_back(static_cast<double>(t + i));
    }
    all.push_back(std::move(s));
  }
  return all;
}

void require_stream_matches_reader(const std::string& dir) {
  const auto reader = open_block(dir);
  auto stream = SeriesStream::open(reader);
  INFO((stream.is_ok() ? std::string() : stream.error()));
  REQUIRE(stream.is_ok());
  std::vector<int64_t> expected_timestamps;
  std::vector<double> expected_values;
  std::vector<int64_t> timestamps;
  std::vector<double> values;
  uint32_t n = 0;
  while ((*stream)->next()) {
    REQUIRE(n < reader->num_series());
    REQUIRE((*stream)->labels() == reader->labels(n));
    const mc::MetricMetadata* expected = reader->metadata(n);
    REQUIRE(((*stream)->metadata() == nullptr) == (expected == nullptr));
    if (expected != nullptr) REQUIRE(*(*stream)->metadata() == *expected);
    for (size_t column = 0; column < reader->meta().columns.size(); ++column) {
      for (const auto& [mint, maxt] : {std::pair<int64_t, int64_t>{INT64_MIN, INT64_MAX},
                                       {150'000, 420'500},
                                       {900'000, 950'000}}) {
        REQUIRE(reader->read(n, mint, maxt, column, expected_timestamps, expected_values).is_ok());
        REQUIRE((*stream)->read(mint, maxt, column, timestamps, values).is_ok());
        REQUIRE(timestamps == expected_timestamps);
        require_same_bits(values, expected_values);
      }
    }
    ++n;
  }
  INFO((*stream)->status().message());
  REQUIRE((*stream)->status().is_ok());
  CHECK(n == reader->num_series());
  CHECK_FALSE((*stream)->next());
  CHECK((*stream)->status().is_ok());
}

BlockMeta two_column_meta() {
  BlockMeta meta = raw_meta(0, 1'000'000);
  meta.columns = {ColumnKind::value, ColumnKind::count};
  return meta;
}

TEST_CASE("series stream: every series as the parsed index has it", "[store][block]") {
  mc::test::TempDir temp;
  const mc::MetricMetadata metadata{"metric", mc::MetricType::gauge, "Some help.", "seconds"};
  SECTION("3,000 series: a zstd series section read in many windows") {
    auto series = make_series(3000, metadata);
    BlockWriterOptions options;
    options.group_target_bytes = 8 << 10;
    options.max_chunk_samples = 120;
    require_stream_matches_reader(write_block(temp.path(), two_column_meta(), series, options));
  }
  SECTION("one series: a section too small to compress") {
    auto series = make_series(1, metadata);
    require_stream_matches_reader(write_block(temp.path(), two_column_meta(), series));
  }
  SECTION("no series") {
    std::vector<TestSeries> none;
    require_stream_matches_reader(write_block(temp.path(), raw_meta(0, 1000), none));
  }
}

TEST_CASE("series stream: a damaged index fails open with the file", "[store][block]") {
  mc::test::TempDir temp;
  const mc::MetricMetadata metadata{"metric", mc::MetricType::gauge, "Some help.", ""};
  auto series = make_series(200, metadata);
  const std::string dir = write_block(temp.path(), two_column_meta(), series);
  const auto reader = open_block(dir);
  flip_byte(dir + "/index", 40);
  auto stream = SeriesStream::open(reader);
  REQUIRE_FALSE(stream.is_ok());
  CHECK_THAT(stream.error(), Catch::Contains(dir + "/index"));
}

TEST_CASE("series stream: chunks copied as stored read back the same", "[store][block]") {
  mc::test::TempDir temp;
  const mc::MetricMetadata metadata{"metric", mc::MetricType::gauge, "Some help.", ""};
  auto series = make_series(300, metadata);
  BlockWriterOptions options;
  options.max_chunk_samples = 100;
  const auto source =
      open_block(write_block(temp.path() / "a", two_column_meta(), series, options));
  auto stream = SeriesStream::open(source);
  REQUIRE(stream.is_ok());
  auto writer = BlockWriter::create((temp.path() / "b").string(), two_column_meta());
  REQUIRE(writer.is_ok());
  std::vector<EncodedChunk> chunks;
  std::vector<std::shared_ptr<const std::vector<uint8_t>>> held;
  while ((*stream)->next()) {
    chunks.clear();
    held.clear();
    REQUIRE((*stream)->encoded_chunks(chunks, held).is_ok());
    if (chunks.size() > 1) {
      // Out of order: refused, and the writer takes the series in order after.
      std::vector<EncodedChunk> swapped{chunks[1], chunks[0]};
      CHECK_FALSE((*writer)->add_series_chunks((*stream)->labels(), nullptr, swapped).is_ok());
    }
    REQUIRE(
        (*writer)->add_series_chunks((*stream)->labels(), (*stream)->metadata(), chunks).is_ok());
  }
  REQUIRE((*stream)->status().is_ok());
  auto dir = (*writer)->finish();
  REQUIRE(dir.is_ok());
  const auto copy = open_block(*dir);
  REQUIRE(copy->verify().is_ok());
  REQUIRE(copy->num_series() == source->num_series());
  CHECK(copy->meta().chunks == source->meta().chunks);
  CHECK(copy->meta().samples == source->meta().samples);
  std::vector<int64_t> expected_timestamps;
  std::vector<double> expected_values;
  std::vector<int64_t> timestamps;
  std::vector<double> values;
  for (uint32_t n = 0; n < source->num_series(); ++n) {
    REQUIRE(copy->labels(n) == source->labels(n));
    for (size_t column = 0; column < 2; ++column) {
      REQUIRE(source->read(n, INT64_MIN, INT64_MAX, column, expected_timestamps, expected_values)
                  .is_ok());
      REQUIRE(copy->read(n, INT64_MIN, INT64_MAX, column, timestamps, values).is_ok());
      REQUIRE(timestamps == expected_timestamps);
      require_same_bits(values, expected_values);
    }
  }
}

}  // namespace series_stream_test
