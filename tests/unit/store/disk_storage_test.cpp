#include "common/store/disk_storage.hpp"

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <fstream>
#include <thread>

#include "common/store/tiering/downsample.hpp"
#include "tests/support/store_reading.hpp"
#include "tests/support/temp_dir.hpp"

namespace mc {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr int64_t kSecond = 1000;
constexpr int64_t kMinute = 60 * kSecond;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;

Labels series_labels(int i) {
  return Labels{{"__name__", i % 2 ? "requests_total" : "temperature"},
                {"instance", "host-" + std::to_string(i)},
                {"job", "node"}};
}

// A store with no compactor thread: the test calls compact() and controls the clock.
struct TestStore {
  explicit TestStore(const fs::path& dir, int64_t block_duration = 10 * kSecond,
                     std::vector<tiering::TierConfig> tiers = {}) {
    options.dir = dir;
    options.block_duration_ms = block_duration;
    options.compaction_interval = 0ms;
    options.wal.fsync_policy = FsyncPolicy::never;
    options.tiers = std::move(tiers);
    options.clock = [this] { return now; };
  }
  std::unique_ptr<DiskStorage> open() {
    auto opened = DiskStorage::open(options);
    INFO((opened ? "" : opened.error()));
    REQUIRE(opened);
    return std::move(*opened);
  }
  DiskStorageOptions options;
  int64_t now = 0;
};

// Appends `samples` samples per series for `series` series at 1 s steps from `start`.
void append(Storage& storage, int series, int64_t start, int samples) {
  auto appender = storage.appender();
  std::vector<SeriesRef> refs(series, 0);
  for (int s = 0; s < samples; ++s) {
    for (int i = 0; i < series; ++i) {
      const int64_t t = start + s * kSecond;
      auto result =
          appender->append(refs[i], series_labels(i), t, static_cast<double>(t / 1000 + i));
      REQUIRE(result.error == AppendError::none);
      refs[i] = result.ref;
    }
    REQUIRE(appender->commit());
  }
}

void check_samples(Storage& storage, int series, int64_t start, int samples) {
  for (int i = 0; i < series; ++i) {
    const auto got = test::samples_of(storage, series_labels(i));
    INFO(series_labels(i).to_string());
    REQUIRE(got.size() == static_cast<size_t>(samples));
    for (int s = 0; s < samples; ++s) {
      const int64_t t = start + s * kSecond;
      REQUIRE(got[s].t_ms == t);
      REQUIRE(got[s].v == static_cast<double>(t / 1000 + i));
    }
  }
}

std::vector<std::string> block_names(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir / "blocks")) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

TEST_CASE("A disk store replays its write-ahead log after a restart", "[store][disk]") {
  test::TempDir dir;
  TestStore store(dir.path());
  {
    auto storage = store.open();
    append(*storage, 20, 0, 5);
  }
  auto storage = store.open();
  check_samples(*storage, 20, 0, 5);
  // New series after the restart do not collide with the replayed ones.
  append(*storage, 30, 5 * kSecond, 1);
  CHECK(test::samples_of(*storage, series_labels(25)).size() == 1);
  CHECK(test::samples_of(*storage, series_labels(3)).size() == 6);
}

size_t head_chunk_segments(const fs::path& dir) {
  size_t count = 0;
  for (const auto& entry : fs::directory_iterator(dir / "chunks_head")) {
    count += entry.is_regular_file() ? 1 : 0;
  }
  return count;
}

TEST_CASE("A disk store keeps sealed head chunks in chunks_head/ and rebuilds them at open",
          "[store][disk][head_chunks]") {
  test::TempDir dir;
  TestStore store(dir.path(), 10 * kMinute);
  store.options.head.chunk_max_samples = 10;
  uint64_t chunks_before = 0;
  {
    auto storage = store.open();
    append(*storage, 5, 0, 95);  // 9 or 10 sealed chunks a series (staggered)
    CHECK(head_chunk_segments(dir.path()) == 1);
    CHECK(storage->head().chunk_file_stats().bytes > 5 * 9 * 10);
    check_samples(*storage, 5, 0, 95);
    chunks_before = storage->stats().chunks;
    CHECK(chunks_before >= 5 * 10u);
    CHECK(chunks_before <= 5 * 11u);
  }
  // A leftover segment of an earlier run is not read: the head is the WAL's.
  std::ofstream(dir.path() / "chunks_head" / "000009") << "stale";
  auto storage = store.open();
  CHECK_FALSE(fs::exists(dir.path() / "chunks_head" / "000009"));
  check_samples(*storage, 5, 0, 95);
  CHECK(storage->stats().chunks == chunks_before);
  CHECK(head_chunk_segments(dir.path()) == 1);
}

TEST_CASE("A store whose chunks_head cannot be created does not open, and says why",
          "[store][disk][head_chunks]") {
  test::TempDir dir;
  TestStore store(dir.path());
  std::ofstream(dir.path() / "chunks_head") << "a file, not a directory";
  auto opened = DiskStorage::open(store.options);
  REQUIRE_FALSE(opened);
  CHECK_THAT(opened.error(), Catch::Contains("chunks_head: cannot create"));
  // Nothing was lost: the file is as it was.
  CHECK(fs::file_size(dir.path() / "chunks_head") == 23);
}

TEST_CASE("A disk store cuts blocks, serves them with the head, and keeps them across restarts",
          "[store][disk]") {
  test::TempDir dir;
  TestStore store(dir.path());
  {
    auto storage = store.open();
    append(*storage, 10, 0, 40);  // 40 s of samples, 10 s blocks
    auto cut = storage->compact();
    REQUIRE(cut);
    // Blocks are cut while the head spans at least 1.5 blocks: [0,10), [10,20)
    // and [20,30); [30,40) stays in the head.
    CHECK(*cut == 3);
    CHECK(block_names(dir.path()) ==
          std::vector<std::string>{"raw-0-9999", "raw-10000-19999", "raw-20000-29999"});
    check_samples(*storage, 10, 0, 40);
    const auto stats = storage->stats();
    REQUIRE(stats.disk);
    REQUIRE(stats.disk->tiers.size() == 1);
    CHECK(stats.disk->tiers[0].blocks == 3);
    CHECK(stats.disk->tiers[0].samples == 300);

    // Samples older than the newest block are refused: blocks never change.
    auto appender = storage->appender();
    CHECK(appender->append(0, series_labels(0), 19 * kSecond, 1).error ==
          AppendError::out_of_bounds);
    CHECK(appender->append(0, series_labels(0), 40 * kSecond, 1).error == AppendError::none);
    REQUIRE(appender->commit());
  }
  auto storage = store.open();
  auto all = test::samples_of(*storage, series_labels(0));
  REQUIRE(all.size() == 41);
  CHECK(all.back().t_ms == 40 * kSecond);
  for (int i = 1; i < 10; ++i) CHECK(test::samples_of(*storage, series_labels(i)).size() == 40);
}

TEST_CASE("flush cuts everything the head holds into blocks", "[store][disk]") {
  test::TempDir dir;
  TestStore store(dir.path());
  auto storage = store.open();
  append(*storage, 3, 0, 25);
  REQUIRE(storage->flush());
  CHECK(block_names(dir.path()).size() == 3);
  CHECK(storage->head().time_range().first > storage->head().time_range().second);  // empty
  check_samples(*storage, 3, 0, 25);
}

TEST_CASE("A damaged block is set aside at open and the rest of the store serves",
          "[store][disk]") {
  test::TempDir dir;
  TestStore store(dir.path());
  {
    auto storage = store.open();
    append(*storage, 5, 0, 40);
    REQUIRE(storage->compact());
  }
  const fs::path damaged = dir.path() / "blocks" / "raw-0-9999";
  SECTION("in its index") {
    std::fstream index(damaged / "index", std::ios::in | std::ios::out | std::ios::binary);
    index.seekp(20);
    index.put('\x5a');
  }
  SECTION("in its data") {
    const auto size = fs::file_size(damaged / "data");
    std::fstream data(damaged / "data", std::ios::in | std::ios::out | std::ios::binary);
    data.seekp(static_cast<std::streamoff>(size / 2));
    char byte = 0;
    data.seekg(static_cast<std::streamoff>(size / 2));
    data.get(byte);
    data.seekp(static_cast<std::streamoff>(size / 2));
    data.put(static_cast<char>(byte ^ 0x40));
  }
  auto storage = store.open();
  CHECK(fs::exists(dir.path() / "corrupt" / "raw-0-9999"));
  CHECK_FALSE(fs::exists(damaged));
  const auto stats = storage->stats();
  REQUIRE(stats.disk);
  CHECK(stats.disk->corrupted_blocks == 1);
  // The second block and the head still serve: samples from 10 s on.
  const auto got = test::samples_of(*storage, series_labels(2));
  REQUIRE(got.size() == 30);
  CHECK(got.front().t_ms == 10 * kSecond);
}

TEST_CASE("A damaged write-ahead log is reported and the rest of it is replayed", "[store][disk]") {
  test::TempDir dir;
  TestStore store(dir.path());
  store.options.wal.segment_bytes = 1024;  // many small segments
  {
    auto storage = store.open();
    append(*storage, 10, 0, 60);
  }
  std::vector<fs::path> segments;
  for (const auto& entry : fs::directory_iterator(dir.path() / "wal")) {
    if (entry.is_regular_file()) segments.push_back(entry.path());
  }
  std::sort(segments.begin(), segments.end());
  REQUIRE(segments.size() >= 4);
  {
    // A flipped byte in the middle of the second segment.
    const fs::path victim = segments[1];
    std::fstream file(victim, std::ios::in | std::ios::out | std::ios::binary);
    const auto middle = static_cast<std::streamoff>(fs::file_size(victim) / 2);
    char byte = 0;
    file.seekg(middle);
    file.get(byte);
    file.seekp(middle);
    file.put(static_cast<char>(byte ^ 0x01));
  }
  auto storage = store.open();
  const auto stats = storage->stats();
  REQUIRE(stats.disk);
  CHECK(stats.disk->wal_corruptions == 1);
  // What came before the damage and every later segment are served: the first
  // and the last samples are there, only part of the damaged segment is lost.
  const auto got = test::samples_of(*storage, series_labels(4));
  REQUIRE_FALSE(got.empty());
  CHECK(got.front().t_ms == 0);
  CHECK(got.back().t_ms == 59 * kSecond);
  CHECK(got.size() < 60);
}

TEST_CASE("Appends and queries go on while the store compacts", "[store][disk][concurrency]") {
  test::TempDir dir;
  TestStore store(dir.path(), 5 * kSecond);
  auto storage = store.open();
  // Catch2's assertions belong to the test's thread: the others count failures.
  std::atomic<bool> done{false};
  std::atomic<int> compaction_failures{0};
  std::atomic<int> unordered_reads{0};
  std::thread compactor([&] {
    while (!done.load()) {
      if (!storage->compact()) ++compaction_failures;
    }
  });
  std::thread reader([&] {
    while (!done.load()) {
      const auto got = test::samples_of(*storage, series_labels(1));
      for (size_t i = 1; i < got.size(); ++i) {
        if (got[i].t_ms <= got[i - 1].t_ms) ++unordered_reads;
      }
    }
  });
  append(*storage, 20, 0, 200);
  done = true;
  compactor.join();
  reader.join();
  CHECK(compaction_failures == 0);
  CHECK(unordered_reads == 0);
  check_samples(*storage, 20, 0, 200);
  // How many blocks the racing compactor cut depends on timing; after one more
  // round the count does not.
  REQUIRE(storage->compact());
  const auto stats = storage->stats();
  REQUIRE(stats.disk->tiers.size() == 1);
  CHECK(stats.disk->tiers[0].blocks == 39);  // [0 s, 195 s): the head keeps 1.5 blocks
  check_samples(*storage, 20, 0, 200);
}

TEST_CASE("The compactor's thread returns free memory between rounds and still cuts each round",
          "[store][disk]") {
  test::TempDir dir;
  TestStore store(dir.path());
  store.options.compaction_interval = 300ms;
  store.options.return_free_memory_interval = 20ms;  // some 15 returns a round
  auto storage = store.open();
  append(*storage, 10, 0, 40);  // as above: three blocks to cut
  const auto blocks = [&] {     // whole ones: a block being written ends in .tmp
    const auto names = block_names(dir.path());
    return std::count_if(names.begin(), names.end(),
                         [](const std::string& name) { return !name.ends_with(".tmp"); });
  };
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (blocks() < 3 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  CHECK(blocks() == 3);
  CHECK(block_names(dir.path()) ==
        std::vector<std::string>{"raw-0-9999", "raw-10000-19999", "raw-20000-29999"});
  check_samples(*storage, 10, 0, 40);
}

TEST_CASE("A second process cannot open a store in use", "[store][disk]") {
  test::TempDir dir;
  TestStore store(dir.path());
  auto storage = store.open();
  // flock locks belong to the open file description: a second open() in this
  // process conflicts just as another process would.
  auto again = DiskStorage::open(store.options);
  REQUIRE_FALSE(again);
  CHECK_THAT(again.error(), Catch::Contains("in use"));
}

// Raw 10 min blocks kept 1 h; 5 min windows in 1 h blocks kept 1 day.
std::vector<tiering::TierConfig> raw_hour_and_5m_day_tiers() {
  return {
      {"raw", 0, 1 * kHour, 10 * kMinute},
      {"5m", 5 * kMinute, kDay, kHour},
  };
}

TEST_CASE("Retention drops old blocks and downsampling keeps exact aggregates",
          "[store][disk][tiering]") {
  test::TempDir dir;
  TestStore store(dir.path(), 10 * kMinute, raw_hour_and_5m_day_tiers());
  auto storage = store.open();
  // Two hours of a counter with a reset and a gauge, one sample every 15 s.
  const Labels counter{{"__name__", "jobs_total"}, {"job", "a"}};
  const Labels gauge{{"__name__", "queue_depth"}, {"job", "a"}};
  std::vector<Sample> counter_raw;
  std::vector<Sample> gauge_raw;
  {
    auto appender = storage->appender();
    SeriesRef counter_ref = 0;
    SeriesRef gauge_ref = 0;
    double total = 0;
    for (int64_t t = 0; t < 2 * kHour; t += 15 * kSecond) {
      total = t == 50 * kMinute ? 3 : total + static_cast<double>((t / 15000) % 7);
      const double depth = static_cast<double>((t / 15000) % 11) * 0.5;
      counter_ref = appender->append(counter_ref, counter, t, total).ref;
      appender->update_metadata(counter_ref, MetricMetadata{"jobs", MetricType::counter, "", ""});
      gauge_ref = appender->append(gauge_ref, gauge, t, depth).ref;
      counter_raw.push_back({t, total});
      gauge_raw.push_back({t, depth});
      REQUIRE(appender->commit());
    }
  }
  REQUIRE(storage->flush());
  CHECK(block_names(dir.path()).size() == 12);  // 2 h of 10 min raw blocks

  // Three hours on: the raw blocks of the first hour are past retention, and
  // the windows of both hours are settled, so both 5m blocks are made first.
  store.now = 3 * kHour + 30 * kMinute;
  REQUIRE(storage->compact());
  auto names = block_names(dir.path());
  CHECK(std::count_if(names.begin(), names.end(), [](auto& n) { return n.starts_with("5m-"); }) ==
        2);
  CHECK(std::count_if(names.begin(), names.end(), [](auto& n) { return n.starts_with("raw-"); }) ==
        0);

  // The 5m data equals downsampling the raw samples directly, window for window.
  const auto expected_gauge = tiering::downsample_raw(gauge_raw, 5 * kMinute);
  REQUIRE(expected_gauge);
  const auto served_gauge = test::samples_of(*storage, gauge);
  REQUIRE(served_gauge.size() == expected_gauge->windows.size());
  for (size_t i = 0; i < served_gauge.size(); ++i) {
    const auto& w = expected_gauge->windows[i];
    CHECK(served_gauge[i].t_ms == w.t_ms);
    CHECK(served_gauge[i].v == w.sum / static_cast<double>(w.count));
  }
  // The counter is served reset-adjusted, so increase over whole windows equals the raw one.
  const auto served_counter = test::samples_of(*storage, counter);
  for (int64_t from = 0; from < 2 * kHour; from += 5 * kMinute) {
    for (int64_t to = from + 5 * kMinute; to <= 2 * kHour; to += 25 * kMinute) {
      INFO("from " << from << " to " << to);
      const auto raw_increase = tiering::increase_over(counter_raw, from, to);
      const auto served_increase = tiering::increase_over(served_counter, from, to);
      REQUIRE(raw_increase);
      REQUIRE(served_increase);
      if (from > 0) CHECK(*served_increase == *raw_increase);
    }
  }

  // A day later the 5m blocks are past their retention too.
  store.now = 3 * kHour + 2 * kDay;
  REQUIRE(storage->compact());
  CHECK(block_names(dir.path()).empty());
  CHECK(test::samples_of(*storage, gauge).empty());
}

TEST_CASE("Downsampling merges series that only some source blocks hold, in label order",
          "[store][disk][tiering]") {
  test::TempDir dir;
  TestStore store(dir.path(), 10 * kMinute, raw_hour_and_5m_day_tiers());
  auto storage = store.open();
  // Series k lives in the 10-minute blocks b where b % (k + 1) == 0, so the
  // six raw blocks of the hour hold different sets; names interleave in
  // label order with the gaps.
  constexpr int kSeriesCount = 5;
  auto labels_of = [](int k) { return Labels{{"__name__", "depth"}, {"k", std::to_string(k)}}; };
  std::vector<std::vector<Sample>> raw(kSeriesCount);
  for (int64_t t = 0; t < kHour; t += 15 * kSecond) {
    auto appender = storage->appender();
    for (int k = 0; k < kSeriesCount; ++k) {
      if ((t / (10 * kMinute)) % (k + 1) != 0) continue;
      const double value = static_cast<double>((t / 15000 + k) % 13);
      appender->append(0, labels_of(k), t, value);
      raw[static_cast<size_t>(k)].push_back({t, value});
    }
    REQUIRE(appender->commit());
  }
  REQUIRE(storage->flush());
  CHECK(block_names(dir.path()).size() == 6);

  store.now = 3 * kHour;  // the raw hour is past retention: one 5m block from six sources
  REQUIRE(storage->compact());
  CHECK(block_names(dir.path()) == std::vector<std::string>{"5m-0-3599999"});
  for (int k = 0; k < kSeriesCount; ++k) {
    INFO("series " << k);
    const auto expected = tiering::downsample_raw(raw[static_cast<size_t>(k)], 5 * kMinute);
    REQUIRE(expected);
    const auto served = test::samples_of(*storage, labels_of(k));
    REQUIRE(served.size() == expected->windows.size());
    for (size_t i = 0; i < served.size(); ++i) {
      const auto& window = expected->windows[i];
      CHECK(served[i].t_ms == window.t_ms);
      CHECK(served[i].v == window.sum / static_cast<double>(window.count));
    }
  }
}

}  // namespace
}  // namespace mc
