#include "common/store/store_inventory.hpp"

#include <catch2/catch.hpp>
#include <fstream>

#include "common/store/disk_storage.hpp"
#include "common/store/raw_block_cut.hpp"
#include "tests/support/temp_dir.hpp"

namespace mc {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr int64_t kSecond = 1000;

DiskStorageOptions options_for(const fs::path& dir) {
  DiskStorageOptions options;
  options.dir = dir;
  options.block_duration_ms = 10 * kSecond;
  options.compaction_interval = 0ms;  // the test cuts blocks
  options.wal.fsync_policy = FsyncPolicy::never;
  return options;
}

// `series` series with one sample a second in [first_second, last_second].
void append(Storage& storage, int series, int first_second, int last_second) {
  auto appender = storage.appender();
  std::vector<SeriesRef> refs(series, 0);
  for (int s = first_second; s <= last_second; ++s) {
    for (int i = 0; i < series; ++i) {
      const Labels labels{{"__name__", "up"}, {"instance", "host-" + std::to_string(i)}};
      auto result = appender->append(refs[i], labels, s * kSecond, 1);
      REQUIRE(result.error == AppendError::none);
      refs[i] = result.ref;
    }
  }
  REQUIRE(appender->commit());
}

StoreInventory inventory_of(const fs::path& dir) {
  auto inventory = take_store_inventory(dir);
  INFO((inventory ? "" : inventory.error()));
  REQUIRE(inventory);
  return std::move(*inventory);
}

TEST_CASE("The inventory of a store that has cut no block counts its write-ahead log",
          "[store][inventory]") {
  test::TempDir dir;
  {
    auto storage = DiskStorage::open(options_for(dir.path()));
    REQUIRE(storage);
    append(**storage, 30, 0, 4);
  }
  const StoreInventory inventory = inventory_of(dir.path());
  CHECK(inventory.problems.empty());
  CHECK(inventory.tiers.empty());
  REQUIRE(inventory.head);
  CHECK(inventory.head->series == 30);
  CHECK(inventory.head->samples == 150);
  CHECK(inventory.head->min_time == 0);
  CHECK(inventory.head->max_time == 4 * kSecond);
  CHECK(inventory.total.blocks == 0);
  CHECK(inventory.total.series == 30);
  CHECK(inventory.total.samples == 150);
  CHECK(inventory.wal_bytes > 0);
}

TEST_CASE("The inventory counts a series held by several blocks and the head once",
          "[store][inventory]") {
  test::TempDir dir;
  {
    auto storage = DiskStorage::open(options_for(dir.path()));
    REQUIRE(storage);
    append(**storage, 512, 0, 24);  // [0 s, 24 s]: the head spans 2.4 blocks of 10 s
    auto cut = (*storage)->compact();
    REQUIRE(cut);
    REQUIRE(*cut == 1);            // [0 s, 10 s) cut; [10 s, 25 s] stays in the head (the 1.5 rule)
    REQUIRE((*storage)->flush());  // [10 s, 20 s) and [20 s, 30 s) cut too
    append(**storage, 512, 30, 31);
  }
  const StoreInventory inventory = inventory_of(dir.path());
  CHECK(inventory.problems.empty());
  REQUIRE(inventory.tiers.count("raw") == 1);
  const InventoryPart& raw = inventory.tiers.at("raw");
  CHECK(raw.blocks == 3);
  CHECK(raw.series == 512);  // not 3 x 512
  CHECK(raw.samples == 512 * 25);
  CHECK(raw.min_time == 0);
  CHECK(raw.max_time == 30 * kSecond - 1);
  REQUIRE(inventory.head);
  CHECK(inventory.head->series == 512);
  CHECK(inventory.head->samples == 512 * 2);
  CHECK(inventory.total.series == 512);  // not 4 x 512
  CHECK(inventory.total.samples == 512 * 27);
  CHECK(inventory.total.max_time == 31 * kSecond);
}

TEST_CASE("The inventory skips write-ahead log samples that blocks already hold",
          "[store][inventory]") {
  test::TempDir dir;
  {
    auto storage = DiskStorage::open(options_for(dir.path()));
    REQUIRE(storage);
    append(**storage, 10, 0, 15);
  }
  // A block of [0 s, 10 s) beside a WAL that still holds those samples, as a
  // crash between a cut and its checkpoint leaves them.
  RawBlockCut cut(dir.path() / "blocks", "raw", 0, 10 * kSecond - 1);
  for (int i = 0; i < 10; ++i) {
    std::vector<int64_t> timestamps;
    for (int s = 0; s < 10; ++s) timestamps.push_back(s * kSecond);
    const std::vector<double> values(timestamps.size(), 1);
    REQUIRE(cut.add_series(Labels{{"__name__", "up"}, {"instance", "host-" + std::to_string(i)}},
                           nullptr, timestamps, values));
  }
  REQUIRE(cut.finish());

  const StoreInventory inventory = inventory_of(dir.path());
  CHECK(inventory.tiers.at("raw").samples == 10 * 10);
  REQUIRE(inventory.head);
  CHECK(inventory.head->samples == 10 * 6);  // [10 s, 15 s] only
  CHECK(inventory.head->min_time == 10 * kSecond);
  CHECK(inventory.total.samples == 10 * 16);
  CHECK(inventory.total.series == 10);
}

TEST_CASE("The inventory names a block it cannot open and counts the rest", "[store][inventory]") {
  test::TempDir dir;
  {
    auto storage = DiskStorage::open(options_for(dir.path()));
    REQUIRE(storage);
    append(**storage, 5, 0, 25);
    REQUIRE((*storage)->flush());
  }
  const fs::path broken = dir.path() / "blocks" / "raw-0-9999";
  REQUIRE(fs::exists(broken / "meta.json"));
  std::ofstream(broken / "meta.json", std::ios::trunc) << "{";
  const StoreInventory inventory = inventory_of(dir.path());
  REQUIRE(inventory.problems.size() == 1);
  CHECK_THAT(inventory.problems[0], Catch::Contains("raw-0-9999"));
  CHECK(inventory.tiers.at("raw").blocks == 2);
  CHECK(inventory.total.series == 5);
}

TEST_CASE("The inventory counts damaged write-ahead log records and changes nothing",
          "[store][inventory]") {
  test::TempDir dir;
  DiskStorageOptions options = options_for(dir.path());
  options.wal.segment_bytes = 1024;  // many small segments
  {
    auto storage = DiskStorage::open(options);
    REQUIRE(storage);
    for (int s = 0; s < 60; ++s) append(**storage, 10, s, s);  // one commit a second
  }
  std::vector<fs::path> segments;
  for (const auto& entry : fs::directory_iterator(dir.path() / "wal")) {
    if (entry.is_regular_file()) segments.push_back(entry.path());
  }
  std::sort(segments.begin(), segments.end());
  REQUIRE(segments.size() >= 4);
  // A torn tail: the last segment cut in the middle of its last record.
  const fs::path last = segments.back();
  const auto size = fs::file_size(last);
  REQUIRE(size > 8);
  fs::resize_file(last, size - 4);

  const StoreInventory inventory = inventory_of(dir.path());
  CHECK(inventory.wal_damaged_records == 1);
  REQUIRE(inventory.head);
  CHECK(inventory.head->series == 10);
  CHECK(inventory.head->samples < 600);
  CHECK(inventory.head->samples >= 500);
  // Stats repairs nothing: the torn tail is still there for the daemon to cut.
  CHECK(fs::file_size(last) == size - 4);
}

TEST_CASE("The inventory of a Prometheus TSDB says it is not a metrics-collector store",
          "[store][inventory]") {
  test::TempDir dir;
  // Prometheus's layout: ULID block directories, wal/, chunks_head/.
  const fs::path block = dir.path() / "01HGW2N7EHHC4DQ9K1G6Y6RN3V";
  fs::create_directories(block / "chunks");
  std::ofstream(block / "meta.json") << "{\"ulid\":\"01HGW2N7EHHC4DQ9K1G6Y6RN3V\",\"version\":1}";
  std::ofstream(block / "index") << "";
  fs::create_directories(dir.path() / "wal");
  std::ofstream(dir.path() / "wal" / "00000000") << "";
  fs::create_directories(dir.path() / "chunks_head");
  auto inventory = take_store_inventory(dir.path());
  REQUIRE_FALSE(inventory);
  CHECK_THAT(inventory.error(),
             Catch::Contains("not a metrics-collector store (no blocks/ directory") &&
                 Catch::Contains("1 Prometheus TSDB block(s): 01HGW2N7EHHC4DQ9K1G6Y6RN3V") &&
                 Catch::Contains("chunks_head/") && Catch::Contains("wal/") &&
                 Catch::Contains("looks like a Prometheus TSDB"));
}

TEST_CASE("The inventory of an empty or missing directory says what is wrong",
          "[store][inventory]") {
  test::TempDir dir;
  auto empty = take_store_inventory(dir.path());
  REQUIRE_FALSE(empty);
  CHECK_THAT(empty.error(),
             Catch::Contains("not a metrics-collector store") && Catch::Contains("found nothing"));
  auto missing = take_store_inventory(dir.path() / "missing");
  REQUIRE_FALSE(missing);
  CHECK_THAT(missing.error(), Catch::Contains("missing: not a directory"));
}

}  // namespace
}  // namespace mc
