// Raw block merge through the store: complete windows of raw blocks become
// one block each, every sample and every series' metadata kept, and a merge
// a crash left half done is finished at the next round.
#include "common/store/raw_block_merge.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <map>

#include "common/store/block/block_reader.hpp"
#include "common/store/block/block_writer.hpp"
#include "common/store/disk_storage.hpp"
#include "tests/support/temp_dir.hpp"

namespace raw_block_merge_test {

using namespace std::chrono_literals;
using mc::Labels;
using mc::Sample;
namespace fs = std::filesystem;

constexpr int64_t kSecond = 1000;
constexpr int64_t kMinute = 60 * kSecond;
constexpr int64_t kHour = 60 * kMinute;

std::vector<std::string> block_names(const fs::path& store) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(store / "blocks")) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// Every sample of every series in [0, 3h], by labels.
std::map<Labels, std::vector<Sample>> everything(mc::Storage& storage) {
  auto querier = storage.querier(0, 3 * kHour);
  auto any = mc::Matcher::make(mc::Matcher::Kind::regex, "__name__", ".+");
  REQUIRE(any);
  std::map<Labels, std::vector<Sample>> all;
  for (const auto& series : querier->select({*any})) {
    auto it = series->iterator();
    auto& samples = all[series->labels()];
    while (it->next()) samples.push_back(it->at());
    REQUIRE(it->status());
  }
  return all;
}

// 10-minute blocks merged by the hour; rounds only when the test asks.
mc::DiskStorageOptions merging_options(const fs::path& dir) {
  mc::DiskStorageOptions options;
  options.dir = dir;
  options.block_duration_ms = 10 * kMinute;
  options.raw_merge_window_ms = kHour;
  options.compaction_interval = 0ms;
  options.wal.fsync_policy = mc::FsyncPolicy::never;
  options.clock = [] { return 3 * kHour; };
  return options;
}

struct MergingStore {
  MergingStore() : options(merging_options(dir.path())) { open(); }
  void open() {
    auto opened = mc::DiskStorage::open(options);
    REQUIRE(opened);
    storage = std::move(*opened);
  }
  // Two and a half hours every 15 s: series 0 throughout, series 1 only in
  // the first 25 minutes, series 2 from minute 50 (so windows and blocks
  // hold different series), each with its family's metadata.
  void append() {
    auto appender = storage->appender();
    const mc::MetricMetadata metadata{"load", mc::MetricType::gauge, "Load.", ""};
    for (int64_t t = 0; t < 2 * kHour + 30 * kMinute; t += 15 * kSecond) {
      for (int s = 0; s < 3; ++s) {
        if ((s == 1 && t >= 25 * kMinute) || (s == 2 && t < 50 * kMinute)) continue;
        const Labels labels{{"__name__", "load"}, {"s", std::to_string(s)}};
        const double value = static_cast<double>((t / 15000) % 17) * 0.25 + s;
        const auto added = appender->append(0, labels, t, value);
        if (t == 0 || (s == 2 && t == 50 * kMinute)) appender->update_metadata(added.ref, metadata);
        expected[labels].push_back(Sample{t, value});
      }
    }
    REQUIRE(appender->commit());
  }

  mc::test::TempDir dir;
  mc::DiskStorageOptions options;
  std::unique_ptr<mc::DiskStorage> storage;
  std::map<Labels, std::vector<Sample>> expected;
};

TEST_CASE("raw block merge: complete hours of 10-minute blocks become one block each",
          "[store][tiering]") {
  MergingStore store;
  store.append();
  REQUIRE(store.storage->flush());  // cuts every block, then merges
  // The third hour is not complete (the head starts at 2h30m): its blocks stay.
  CHECK(block_names(store.dir.path()) ==
        std::vector<std::string>{"raw-0-3599999", "raw-3600000-7199999", "raw-7200000-7799999",
                                 "raw-7800000-8399999", "raw-8400000-8999999"});
  auto merged = mc::block::BlockReader::open((store.dir.path() / "blocks/raw-0-3599999").string());
  REQUIRE(merged);
  CHECK((*merged)->meta().compaction_level == 2);
  CHECK((*merged)->meta().sources.size() == 6);
  CHECK((*merged)->meta().series == 3);
  // The sources' chunks copied as they are: 6 + 3 + 1.
  CHECK((*merged)->meta().chunks == 10);
  for (uint32_t s = 0; s < 3; ++s) {
    REQUIRE((*merged)->metadata(s) != nullptr);
    CHECK((*merged)->metadata(s)->help == "Load.");
  }
  CHECK(everything(*store.storage) == store.expected);
  // Reopened: the same samples, nothing more to merge.
  store.storage.reset();
  store.open();
  CHECK(everything(*store.storage) == store.expected);
  auto work = store.storage->compact();
  REQUIRE(work);
  CHECK(*work == 0);
}

TEST_CASE("raw block merge: a source a crash left beside its merged block is deleted",
          "[store][tiering]") {
  MergingStore store;
  const fs::path blocks = store.dir.path() / "blocks";
  const fs::path kept = store.dir.path() / "kept-source";
  store.append();
  {
    // Cut the blocks without merging, keep a copy of one source, then merge.
    store.storage.reset();
    store.options.raw_merge_window_ms = 0;
    store.open();
    REQUIRE(store.storage->flush());
    fs::copy(blocks / "raw-600000-1199999", kept, fs::copy_options::recursive);
    store.storage.reset();
    store.options.raw_merge_window_ms = kHour;
    store.open();
    REQUIRE(store.storage->compact());
    REQUIRE_FALSE(fs::exists(blocks / "raw-600000-1199999"));
  }
  // As if the process died before deleting it.
  store.storage.reset();
  fs::copy(kept, blocks / "raw-600000-1199999", fs::copy_options::recursive);
  store.open();
  CHECK(everything(*store.storage) == store.expected);  // each sample once meanwhile
  auto work = store.storage->compact();
  REQUIRE(work);
  CHECK(*work == 1);
  CHECK_FALSE(fs::exists(blocks / "raw-600000-1199999"));
  CHECK(everything(*store.storage) == store.expected);
}

TEST_CASE("raw block merge: overlapping sources are joined, each timestamp once",
          "[store][tiering]") {
  // An import of 10-minute blocks over a store of 1-hour ones leaves blocks
  // that overlap in one window: the merge reads them sample by sample.
  mc::test::TempDir dir;
  const fs::path blocks = dir.path() / "blocks";
  fs::create_directories(blocks);
  const Labels labels{{"__name__", "load"}, {"s", "0"}};
  auto write = [&](int64_t min_time, int64_t max_time, int64_t from, int64_t to, double value) {
    mc::block::BlockMeta meta;
    meta.min_time = min_time;
    meta.max_time = max_time;
    auto writer = mc::block::BlockWriter::create(blocks.string(), meta);
    REQUIRE(writer);
    std::vector<int64_t> timestamps;
    std::vector<double> values;
    for (int64_t t = from; t < to; t += 15 * kSecond) {
      timestamps.push_back(t);
      values.push_back(value);
    }
    const std::span<const double> column(values);
    REQUIRE((*writer)->add_series(labels, nullptr, timestamps, {&column, 1}));
    REQUIRE((*writer)->finish());
  };
  write(0, 40 * kMinute - 1, 0, 40 * kMinute, 1.0);
  write(20 * kMinute, 30 * kMinute - 1, 20 * kMinute, 30 * kMinute, 2.0);  // inside it
  write(40 * kMinute, kHour - 1, 40 * kMinute, kHour, 3.0);
  write(kHour, kHour + 10 * kMinute - 1, kHour, kHour + 10 * kMinute, 4.0);
  auto storage = mc::DiskStorage::open(merging_options(dir.path()));
  REQUIRE(storage);
  REQUIRE((*storage)->compact());
  REQUIRE(fs::exists(blocks / "raw-0-3599999"));
  CHECK_FALSE(fs::exists(blocks / "raw-1200000-1799999"));
  const auto all = everything(**storage);
  const auto& samples = all.at(labels);
  REQUIRE(samples.size() == 240 + 40);
  for (size_t i = 0; i < 240; ++i) {
    CHECK(samples[i].t_ms == static_cast<int64_t>(i) * 15 * kSecond);
    // The earlier block's value where two blocks have the timestamp.
    CHECK(samples[i].v == (i < 160 ? 1.0 : 3.0));
  }
  CHECK(samples[240].v == 4.0);
  CHECK_FALSE(fs::exists(blocks / "raw-0-2399999"));
  CHECK_FALSE(fs::exists(blocks / "raw-2400000-3599999"));
}

}  // namespace raw_block_merge_test
