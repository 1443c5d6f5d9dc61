#include "common/store/block/block_index_cache.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "common/store/block/block_querier.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/store/block/block_test_series.hpp"

namespace block_index_cache_test {

using namespace mc::block;
using namespace mc::block::test;
using mc::Labels;
using mc::Matcher;

// Series are sorted by labels: the 20 "down" (no metadata) come first.
constexpr uint32_t kFirstUp = 20;

// 40 series of 120 samples each, in groups of ~1 KiB, written under `parent`.
std::string write_forty_series(const std::filesystem::path& parent,
                               const mc::MetricMetadata& metadata) {
  std::filesystem::create_directories(parent);
  std::vector<TestSeries> series;
  for (int i = 0; i < 40; ++i) {
    TestSeries s;
    s.labels = Labels{{"__name__", i % 2 == 0 ? "up" : "down"}, {"i", std::to_string(100 + i)}};
    s.metadata = i % 2 == 0 ? &metadata : nullptr;
    s.columns.resize(1);
    for (int t = 0; t < 120; ++t) {
      s.timestamps.push_back(t * 1000 + i);
      s.columns[0].push_back(std::sin(t * 0.1 + i) * 1000.0 + i);
    }
    series.push_back(std::move(s));
  }
  BlockWriterOptions options;
  options.group_target_bytes = 1024;
  return write_block(parent, raw_meta(0, 200000), series, options);
}

std::shared_ptr<BlockReader> open_with(const std::string& dir, BlockIndexCache& cache) {
  auto reader = BlockReader::open(dir, nullptr, &cache);
  INFO((reader.is_ok() ? std::string() : reader.error()));
  REQUIRE(reader.is_ok());
  return *reader;
}

Matcher name_is(std::string value) {
  auto matcher = Matcher::make(Matcher::Kind::equal, "__name__", std::move(value));
  REQUIRE(matcher.is_ok());
  return *matcher;
}

struct ThreeBlocks {
  mc::test::TempDir temp;
  mc::MetricMetadata metadata{"up", mc::MetricType::gauge, "Up.", ""};
  std::vector<std::string> dirs;

  ThreeBlocks() {
    for (const char* name : {"a", "b", "c"}) {
      dirs.push_back(write_forty_series(temp.path() / name, metadata));
    }
  }
};

// The test cases stay inside the namespace too: a using-directive at file
// scope would leak these helpers into the unity batch's other test files.

TEST_CASE("an evicted block index is parsed again and answers the same", "[store][block][cache]") {
  ThreeBlocks blocks;
  BlockIndexCache roomy(size_t{1} << 30);
  BlockIndexCache tight(1);  // keeps only the newest index
  auto kept = open_with(blocks.dirs[0], roomy);
  std::vector<std::shared_ptr<BlockReader>> readers;
  for (const auto& dir : blocks.dirs) readers.push_back(open_with(dir, tight));
  REQUIRE(tight.stats().entries == 0);  // open() checks the index, keeps none
  for (const auto& reader : readers) reader->labels(0);
  REQUIRE(tight.stats().entries == 1);
  REQUIRE(tight.stats().evictions == 2);
  auto& evicted = readers[0];

  const auto parses = tight.stats().parses;
  const mc::MetricMetadata* metadata = evicted->metadata(kFirstUp);
  REQUIRE(metadata != nullptr);
  for (uint32_t s = 0; s < kept->num_series(); ++s) {
    INFO("series " << s);
    REQUIRE(evicted->labels(s) == kept->labels(s));
    REQUIRE(evicted->label_value(s, "i") == kept->label_value(s, "i"));
    REQUIRE(evicted->min_time(s) == kept->min_time(s));
    REQUIRE(evicted->max_time(s) == kept->max_time(s));
    REQUIRE((evicted->metadata(s) == nullptr) == (kept->metadata(s) == nullptr));
  }
  // Parsed again once, then found in the cache for the other calls.
  REQUIRE(tight.stats().parses == parses + 1);
  REQUIRE(evicted->label_names() == kept->label_names());
  REQUIRE(evicted->label_values("i") == kept->label_values("i"));
  auto selected = evicted->select({name_is("up")});
  REQUIRE(selected.is_ok());
  REQUIRE(*selected == *kept->select({name_is("up")}));
  std::vector<int64_t> timestamps;
  std::vector<int64_t> expected_timestamps;
  std::vector<double> values;
  std::vector<double> expected_values;
  REQUIRE(evicted->read(3, 5000, 50000, 0, timestamps, values).is_ok());
  REQUIRE(kept->read(3, 5000, 50000, 0, expected_timestamps, expected_values).is_ok());
  REQUIRE(timestamps == expected_timestamps);
  require_same_bits(values, expected_values);
  REQUIRE(evicted->verify().is_ok());

  // Another block evicts it again; the metadata pointer taken before stays valid.
  REQUIRE(readers[1]->labels(0) == kept->labels(0));
  REQUIRE(evicted->metadata(kFirstUp) == metadata);
  REQUIRE(metadata->help == "Up.");
}

TEST_CASE("the index cache keeps the most recently used indexes within its budget",
          "[store][block][cache]") {
  ThreeBlocks blocks;
  BlockIndexCache measuring(size_t{1} << 30);
  size_t one = 0;
  {
    auto reader = open_with(blocks.dirs[0], measuring);
    REQUIRE(measuring.stats().bytes == 0);  // open() checks the index, keeps none
    reader->labels(0);
    one = measuring.stats().bytes;
  }
  REQUIRE(one > 40 * 8);
  REQUIRE(measuring.stats().entries == 0);  // a closed block leaves the cache
  REQUIRE(measuring.stats().bytes == 0);

  // Room for two of the three (identical in shape, so equal in size).
  BlockIndexCache cache(2 * one + one / 2);
  auto a = open_with(blocks.dirs[0], cache);
  auto b = open_with(blocks.dirs[1], cache);
  auto c = open_with(blocks.dirs[2], cache);
  REQUIRE(cache.stats().entries == 0);
  a->labels(0);
  b->labels(0);
  c->labels(0);  // evicts a
  REQUIRE(cache.stats().entries == 2);
  REQUIRE(cache.stats().bytes == 2 * one);
  REQUIRE(cache.stats().evictions == 1);

  auto parses = cache.stats().parses;
  b->labels(0);  // b is now more recent than c
  REQUIRE(cache.stats().parses == parses);
  a->labels(0);  // parsed again; evicts c, the least recently used
  REQUIRE(cache.stats().parses == parses + 1);
  b->labels(0);
  REQUIRE(cache.stats().parses == parses + 1);
  c->labels(0);
  REQUIRE(cache.stats().parses == parses + 2);
  REQUIRE(cache.stats().entries == 2);

  cache.set_budget(0);  // the newest stays: calls on one block do not parse it each
  REQUIRE(cache.stats().entries == 1);
  parses = cache.stats().parses;
  c->labels(1);
  c->labels(2);
  REQUIRE(cache.stats().parses == parses);
  c.reset();
  REQUIRE(cache.stats().entries == 0);
  REQUIRE(cache.stats().bytes == 0);
}

TEST_CASE("a block querier pins its index: reading its series parses it no more",
          "[store][block][cache]") {
  ThreeBlocks blocks;
  BlockIndexCache cache(1);
  auto a = open_with(blocks.dirs[0], cache);
  auto b = open_with(blocks.dirs[1], cache);
  auto querier = block_querier(a, 0, 200000);  // parses a's index again, once
  const auto series = querier->select({name_is("up")});
  REQUIRE(series.size() == 20);
  const auto parses = cache.stats().parses;
  const auto evictions = cache.stats().evictions;
  for (const auto& one : series) {
    b->labels(0);  // the first parses b again, evicting a's index from the cache
    auto it = one->iterator();
    size_t samples = 0;
    while (it->next()) ++samples;
    REQUIRE(it->status().is_ok());
    REQUIRE(samples == 120);
  }
  // a was not parsed again, and its series read through the querier's pin
  // without going to the cache, so b, parsed once, stayed there.
  REQUIRE(cache.stats().parses - parses == 1);
  REQUIRE(cache.stats().evictions - evictions == 1);
}

TEST_CASE("an index damaged after open: select and read fail naming it, lookups answer empty",
          "[store][block][cache][corruption]") {
  ThreeBlocks blocks;
  BlockIndexCache cache(1);
  auto a = open_with(blocks.dirs[0], cache);
  const mc::MetricMetadata* metadata = a->metadata(kFirstUp);
  REQUIRE(metadata != nullptr);
  auto b = open_with(blocks.dirs[1], cache);
  b->labels(0);  // evicts a's index
  const std::string index_path = blocks.dirs[0] + "/index";
  flip_byte(index_path, std::filesystem::file_size(index_path) / 2);

  auto selected = a->select({name_is("up")});
  REQUIRE_FALSE(selected.is_ok());
  REQUIRE_THAT(selected.error(), Catch::Contains(index_path));
  std::vector<int64_t> timestamps;
  std::vector<double> values;
  const auto read = a->read(0, INT64_MIN, INT64_MAX, 0, timestamps, values);
  REQUIRE_FALSE(read.is_ok());
  REQUIRE_THAT(read.message(), Catch::Contains(index_path));
  REQUIRE_FALSE(a->verify().is_ok());
  REQUIRE(a->labels(0).empty());
  REQUIRE(a->label_value(0, "i").empty());
  REQUIRE(a->metadata(kFirstUp) == nullptr);
  REQUIRE(a->label_names().empty());
  REQUIRE(a->max_time(0) < a->min_time(0));  // in no range
  REQUIRE(metadata->help == "Up.");          // taken before: still valid
  REQUIRE(block_querier(a, 0, 200000)->select({name_is("up")}).empty());
  // The other block is untouched.
  REQUIRE(b->select({name_is("up")})->size() == 20);
}

TEST_CASE("a block removed from disk while open still reads after an eviction",
          "[store][block][cache]") {
  ThreeBlocks blocks;
  BlockIndexCache cache(1);
  auto a = open_with(blocks.dirs[0], cache);
  const Labels first = a->labels(0);
  auto b = open_with(blocks.dirs[1], cache);
  b->labels(0);                                 // evicts a's index
  std::filesystem::remove_all(blocks.dirs[0]);  // as retention does under a query
  REQUIRE(a->labels(0) == first);
  std::vector<int64_t> timestamps;
  std::vector<double> values;
  REQUIRE(a->read(0, INT64_MIN, INT64_MAX, 0, timestamps, values).is_ok());
  REQUIRE(timestamps.size() == 120);
}

}  // namespace block_index_cache_test
