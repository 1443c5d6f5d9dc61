// GroupCache: one byte budget for the decompressed groups of every block, and
// a store's open check of its blocks that leaves the caches as they were.
#include "common/store/block/group_cache.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>

#include "common/store/block/block_index_cache.hpp"
#include "common/store/block/block_reader.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/store/block/block_test_series.hpp"

namespace group_cache_test {

using namespace mc::block;
using namespace mc::block::test;
using mc::Labels;

GroupCache::Group bytes_of_size(size_t size) {
  return std::make_shared<const std::vector<uint8_t>>(size, uint8_t{7});
}

// 60 series of 200 samples in groups of ~1 KiB (about 25 groups).
std::string write_sixty_series(const std::filesystem::path& parent, int64_t offset) {
  std::filesystem::create_directories(parent);
  std::vector<TestSeries> series;
  for (int i = 0; i < 60; ++i) {
    TestSeries s;
    s.labels = Labels{{"__name__", "m"}, {"i", std::to_string(100 + i)}};
    s.columns.resize(1);
    for (int t = 0; t < 200; ++t) {
      s.timestamps.push_back(offset + t * 1000 + i);
      s.columns[0].push_back(std::sin(t * 0.37 + i) * 1000.0);
    }
    series.push_back(std::move(s));
  }
  BlockWriterOptions options;
  options.group_target_bytes = 1024;
  return write_block(parent, raw_meta(offset, offset + 300000), series, options);
}

void read_every_series(const BlockReader& reader) {
  std::vector<int64_t> timestamps;
  std::vector<double> values;
  for (uint32_t s = 0; s < reader.num_series(); ++s) {
    REQUIRE(reader.read(s, INT64_MIN, INT64_MAX, 0, timestamps, values).is_ok());
    REQUIRE(timestamps.size() == 200);
  }
}

TEST_CASE("group cache: one budget across blocks, least recently used out", "[store][block]") {
  GroupCache cache(GroupCache::kShards * 1000);  // 1,000 bytes a shard
  const uint64_t a = cache.new_key();
  const uint64_t b = cache.new_key();
  REQUIRE(a != b);
  for (uint32_t g = 0; g < 200; ++g) {
    cache.insert(a, g, bytes_of_size(100));
    cache.insert(b, g, bytes_of_size(100));
  }
  const auto stats = cache.stats();
  CHECK(stats.budget_bytes == GroupCache::kShards * 1000);
  CHECK(stats.bytes <= stats.budget_bytes);
  CHECK(stats.bytes == stats.entries * 100);
  CHECK(stats.evictions == 400 - stats.entries);
  CHECK(cache.bytes_of(a) + cache.bytes_of(b) == stats.bytes);
  // The newest of each block are kept, the oldest gone.
  CHECK(cache.find(a, 199) != nullptr);
  CHECK(cache.find(b, 199) != nullptr);
  CHECK(cache.find(a, 0) == nullptr);
  CHECK(cache.stats().hits == 2);
  CHECK(cache.stats().misses == 1);
}

TEST_CASE("group cache: a group found after every insert is never evicted", "[store][block]") {
  GroupCache cache(GroupCache::kShards * 300);  // three 100-byte groups a shard
  const uint64_t key = cache.new_key();
  cache.insert(key, 0, bytes_of_size(100));
  // 160 more groups, about ten in group 0's shard: without the refresh a
  // find gives, group 0 would be the least recently used there by the fourth.
  for (uint32_t g = 1; g <= 160; ++g) {
    cache.insert(key, g, bytes_of_size(100));
    REQUIRE(cache.find(key, 0) != nullptr);
  }
  CHECK(cache.stats().evictions > 0);
}

TEST_CASE("group cache: erase forgets one block; too large is not kept", "[store][block]") {
  GroupCache cache(GroupCache::kShards * 1000);
  const uint64_t a = cache.new_key();
  const uint64_t b = cache.new_key();
  for (uint32_t g = 0; g < 5; ++g) {
    cache.insert(a, g, bytes_of_size(10));
    cache.insert(b, g, bytes_of_size(10));
  }
  cache.erase(a);
  CHECK(cache.bytes_of(a) == 0);
  CHECK(cache.bytes_of(b) == 50);
  CHECK(cache.stats().bytes == 50);
  CHECK(cache.find(a, 3) == nullptr);
  CHECK(cache.find(b, 3) != nullptr);
  cache.insert(a, 9, bytes_of_size(1001));  // over a shard's share
  CHECK(cache.find(a, 9) == nullptr);
  cache.set_budget(0);
  CHECK(cache.stats().bytes == 0);
  CHECK(cache.stats().entries == 0);
}

TEST_CASE("block readers share one group budget; a closed block's groups go", "[store][block]") {
  mc::test::TempDir temp;
  const std::string first = write_sixty_series(temp.path() / "blocks", 0);
  const std::string second = write_sixty_series(temp.path() / "blocks", 1'000'000);
  GroupCache cache(GroupCache::kShards * 2048);  // two or so ~1 KiB groups a shard
  BlockIndexCache indexes(64 << 20);
  auto a = BlockReader::open(first, &cache, &indexes);
  auto b = BlockReader::open(second, &cache, &indexes);
  REQUIRE(a.is_ok());
  REQUIRE(b.is_ok());
  read_every_series(**a);
  read_every_series(**b);
  const auto stats = cache.stats();
  CHECK(stats.bytes <= stats.budget_bytes);
  CHECK(stats.evictions > 0);
  CHECK((*a)->cached_bytes() + (*b)->cached_bytes() == stats.bytes);
  CHECK((*b)->cached_bytes() > 0);
  a->reset();
  CHECK(cache.stats().bytes == (*b)->cached_bytes());
}

TEST_CASE("verify reads every group and leaves both caches as they were", "[store][block]") {
  mc::test::TempDir temp;
  const std::string dir = write_sixty_series(temp.path() / "blocks", 0);
  GroupCache cache(64 << 20);
  BlockIndexCache indexes(64 << 20);
  auto reader = BlockReader::open(dir, &cache, &indexes);
  REQUIRE(reader.is_ok());
  REQUIRE((*reader)->verify().is_ok());
  // The store checks every block at open: before, that left each block's
  // groups (up to 16 MiB a block) and its index cached for no query.
  CHECK(cache.stats().entries == 0);
  CHECK(indexes.stats().entries == 0);
  read_every_series(**reader);
  CHECK(cache.stats().entries > 0);
  CHECK(indexes.stats().entries == 1);
  // With the index and groups cached by a query, verify still checks the file.
  flip_byte(dir + "/data", 20);
  const auto damaged = (*reader)->verify();
  REQUIRE_FALSE(damaged.is_ok());
  CHECK_THAT(damaged.message(), Catch::Contains(dir + "/data"));
}

}  // namespace group_cache_test
