#include <catch2/catch.hpp>

#include <sys/resource.h>

#include <atomic>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <random>
#include <span>
#include <string>
#include <thread>

#include "common/model/sample_value.hpp"
#include "common/store/block/group_cache.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/store/block/block_test_series.hpp"

using namespace mc::block;
using namespace mc::block::test;
using mc::Labels;

namespace {

std::vector<double> random_values(std::mt19937_64& random, size_t n) {
  std::vector<double> values(n);
  const int style = static_cast<int>(random() % 4);
  double counter = 0;
  for (size_t i = 0; i < n; ++i) {
    switch (style) {
      case 0:  // arbitrary bits: every NaN payload, infinities, -0.0, subnormals
        values[i] = std::bit_cast<double>(random());
        break;
      case 1:  // a counter
        counter += static_cast<double>(random() % 100);
        values[i] = counter;
        break;
      case 2:  // a decimal gauge
        values[i] = static_cast<double>(static_cast<int64_t>(random() % 100000) - 50000) / 100.0;
        break;
      default:  // constant
        values[i] = 42.5;
    }
    if (random() % 50 == 0) values[i] = mc::stale_nan();
  }
  if (n > 2) values[1] = -0.0;
  return values;
}

std::vector<int64_t> random_timestamps(std::mt19937_64& random, int64_t start, size_t n) {
  std::vector<int64_t> timestamps(n);
  int64_t t = start;
  for (size_t i = 0; i < n; ++i) {
    timestamps[i] = t;
    t += 1 + static_cast<int64_t>(random() % 30000);
  }
  return timestamps;
}

void require_reads_back(const BlockReader& reader, const std::vector<TestSeries>& series) {
  REQUIRE(reader.num_series() == series.size());
  std::vector<int64_t> timestamps;
  std::vector<double> values;
  for (uint32_t s = 0; s < series.size(); ++s) {
    REQUIRE(reader.labels(s) == series[s].labels);
    for (size_t k = 0; k < series[s].columns.size(); ++k) {
      INFO("series " << series[s].labels.to_string() << " column " << k);
      const auto status = reader.read(s, INT64_MIN, INT64_MAX, k, timestamps, values);
      INFO(status.message());
      REQUIRE(status.is_ok());
      REQUIRE(timestamps == series[s].timestamps);
      require_same_bits(values, series[s].columns[k]);
    }
  }
}

}  // namespace

TEST_CASE("a block reads back every sample bit for bit", "[store][block]") {
  mc::test::TempDir temp;
  std::mt19937_64 random(GENERATE(1u, 2u, 3u));
  std::vector<TestSeries> series;
  mc::MetricMetadata metadata{"requests", mc::MetricType::counter, "Requests served.", ""};
  for (int i = 0; i < 60; ++i) {
    TestSeries s;
    s.labels = Labels{{"__name__", "metric_" + std::to_string(i % 7)},
                      {"instance", "host-" + std::to_string(i)}};
    if (i % 3 == 0) s.metadata = &metadata;
    const size_t n = 1 + random() % 700;
    s.timestamps = random_timestamps(random, 1000 + static_cast<int64_t>(random() % 1000), n);
    s.columns.push_back(random_values(random, n));
    series.push_back(std::move(s));
  }
  int64_t max_time = 0;
  for (const auto& s : series) max_time = std::max(max_time, s.timestamps.back());
  BlockWriterOptions options;
  options.group_target_bytes = 2048;  // many groups
  const std::string dir = write_block(temp.path(), raw_meta(1000, max_time), series, options);
  REQUIRE(std::filesystem::path(dir).filename() == "raw-1000-" + std::to_string(max_time));

  const auto reader = open_block(dir);
  require_reads_back(*reader, series);
  for (uint32_t s = 0; s < series.size(); ++s) {
    if (series[s].metadata == nullptr) {
      REQUIRE(reader->metadata(s) == nullptr);
    } else {
      REQUIRE(reader->metadata(s) != nullptr);
      REQUIRE(*reader->metadata(s) == metadata);
    }
  }
  REQUIRE(reader->verify().is_ok());
  REQUIRE(reader->meta().series == series.size());
  REQUIRE(reader->meta().data_bytes == std::filesystem::file_size(dir + "/data"));
  REQUIRE(reader->meta().index_bytes == std::filesystem::file_size(dir + "/index"));
}

TEST_CASE("range reads return exactly the samples in range", "[store][block]") {
  mc::test::TempDir temp;
  std::vector<TestSeries> series(1);
  series[0].labels = Labels{{"__name__", "up"}};
  for (int64_t t = 0; t < 10000; ++t) series[0].timestamps.push_back(t * 1000);
  std::vector<double> values;
  for (int64_t t = 0; t < 10000; ++t) values.push_back(static_cast<double>(t));
  series[0].columns.push_back(values);
  BlockWriterOptions options;
  options.max_chunk_samples = 1000;
  const auto reader = open_block(write_block(temp.path(), raw_meta(0, 9999000), series, options));
  REQUIRE(reader->meta().chunks == 10);

  std::vector<int64_t> timestamps;
  std::vector<double> read_values;
  auto check = [&](int64_t mint, int64_t maxt) {
    INFO(mint << ".." << maxt);
    REQUIRE(reader->read(0, mint, maxt, 0, timestamps, read_values).is_ok());
    std::vector<int64_t> expected;
    for (int64_t t : series[0].timestamps) {
      if (t >= mint && t <= maxt) expected.push_back(t);
    }
    REQUIRE(timestamps == expected);
    REQUIRE(read_values.size() == expected.size());
    for (size_t i = 0; i < expected.size(); ++i) {
      REQUIRE(read_values[i] == static_cast<double>(expected[i] / 1000));
    }
  };
  check(0, 9999000);
  check(999000, 1000000);  // across a chunk boundary
  check(1500, 2500);
  check(3000500, 3000600);  // between samples: none
  check(-100, -1);
  check(10000000, 20000000);
  check(5000000, 5000000);
}

TEST_CASE("series sharing timestamps store them once", "[store][block]") {
  mc::test::TempDir temp;
  std::mt19937_64 random(7);
  const auto shared = random_timestamps(random, 0, 900);
  std::vector<TestSeries> series;
  for (int i = 0; i < 200; ++i) {
    TestSeries s;
    s.labels = Labels{{"__name__", "m"}, {"i", std::to_string(1000 + i)}};
    s.timestamps = shared;
    s.columns.push_back(random_values(random, shared.size()));
    series.push_back(std::move(s));
  }
  const auto one_dir = temp.path() / "one";
  const auto all_dir = temp.path() / "all";
  std::filesystem::create_directories(one_dir);
  std::filesystem::create_directories(all_dir);
  const auto reader_all = open_block(write_block(all_dir, raw_meta(0, shared.back()), series));
  require_reads_back(*reader_all, series);
  REQUIRE(reader_all->verify().is_ok());

  // The same series with distinct timestamps take more room.
  std::vector<TestSeries> distinct = series;
  for (size_t i = 0; i < distinct.size(); ++i) distinct[i].timestamps.back() += 1 + i;
  const auto reader_distinct =
      open_block(write_block(one_dir, raw_meta(0, shared.back() + 1000), distinct));
  require_reads_back(*reader_distinct, distinct);
  REQUIRE(reader_all->meta().data_bytes < reader_distinct->meta().data_bytes);
}

TEST_CASE("long series are split into chunks of equal length", "[store][block]") {
  mc::test::TempDir temp;
  std::mt19937_64 random(11);
  std::vector<TestSeries> series(1);
  series[0].labels = Labels{{"__name__", "long"}};
  series[0].timestamps = random_timestamps(random, 0, 4097 * 3);
  series[0].columns.push_back(random_values(random, series[0].timestamps.size()));
  const auto reader =
      open_block(write_block(temp.path(), raw_meta(0, series[0].timestamps.back()), series));
  REQUIRE(reader->meta().chunks == 4);
  REQUIRE(reader->meta().samples == 4097 * 3);
  require_reads_back(*reader, series);
}

TEST_CASE("a downsampled block keeps five columns per chunk", "[store][block]") {
  mc::test::TempDir temp;
  std::mt19937_64 random(5);
  BlockMeta meta = raw_meta(0, 86400000);
  meta.tier = "5m";
  meta.resolution_ms = 300000;
  meta.columns = {ColumnKind::count, ColumnKind::sum, ColumnKind::min, ColumnKind::max,
                  ColumnKind::counter};
  meta.sources = {"raw-0-7199999", "raw-7200000-14399999"};
  meta.compaction_level = 2;
  std::vector<TestSeries> series;
  for (int i = 0; i < 20; ++i) {
    TestSeries s;
    s.labels = Labels{{"__name__", "cpu"}, {"core", std::to_string(i)}};
    for (int64_t t = 0; t < 288; ++t) s.timestamps.push_back(t * 300000);
    for (int k = 0; k < 5; ++k) s.columns.push_back(random_values(random, s.timestamps.size()));
    series.push_back(std::move(s));
  }
  BlockWriterOptions options;
  options.max_chunk_samples = 100;
  const auto reader = open_block(write_block(temp.path(), meta, series, options));
  REQUIRE(reader->meta().columns == meta.columns);
  REQUIRE(reader->meta().sources == meta.sources);
  REQUIRE(reader->meta().tier == "5m");
  REQUIRE(reader->meta().chunks == 60);
  require_reads_back(*reader, series);
  REQUIRE(reader->verify().is_ok());
  std::vector<int64_t> timestamps;
  std::vector<double> values;
  REQUIRE_FALSE(reader->read(0, 0, 1, 5, timestamps, values).is_ok());
}

TEST_CASE("finish() leaves the block and no .tmp directory", "[store][block]") {
  mc::test::TempDir temp;
  std::vector<TestSeries> series(1);
  series[0].labels = Labels{{"__name__", "x"}};
  series[0].timestamps = {10, 20};
  series[0].columns = {{1.0, 2.0}};
  const std::string dir = write_block(temp.path(), raw_meta(0, 100), series);
  std::vector<std::string> entries;
  for (const auto& entry : std::filesystem::directory_iterator(temp.path())) {
    entries.push_back(entry.path().filename().string());
  }
  REQUIRE(entries == std::vector<std::string>{"raw-0-100"});
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    files.push_back(entry.path().filename().string());
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files == std::vector<std::string>{"data", "index", "meta.json"});

  // The same block again is refused; an abandoned writer cleans up.
  REQUIRE_FALSE(BlockWriter::create(temp.path().string(), raw_meta(0, 100)).is_ok());
  {
    auto writer = BlockWriter::create(temp.path().string(), raw_meta(0, 200));
    REQUIRE(writer.is_ok());
    REQUIRE(std::filesystem::exists(temp.path() / "raw-0-200.tmp"));
  }
  REQUIRE_FALSE(std::filesystem::exists(temp.path() / "raw-0-200.tmp"));
}

TEST_CASE("an index that cannot be written fails finish() naming it, and leaves nothing",
          "[store][block]") {
  mc::test::TempDir temp;
  auto writer = BlockWriter::create(temp.path().string(), raw_meta(0, 100));
  REQUIRE(writer.is_ok());
  // Label values that do not compress: the index is some 200 KB, the data
  // (one constant sample a series) a few KB.
  std::mt19937_64 random(7);
  const std::vector<int64_t> timestamps{10};
  const std::vector<double> values{1.0};
  const std::vector<std::span<const double>> columns{values};
  for (int i = 0; i < 4000; ++i) {
    std::string id = std::to_string(100000 + i) + "-";
    for (int c = 0; c < 48; ++c) id += static_cast<char>('a' + random() % 26);
    REQUIRE(
        (*writer)->add_series(Labels{{"__name__", "x"}, {"id", id}}, nullptr, timestamps, columns));
  }
  // Files may not grow past 64 KiB while it finishes: the index's writes fail.
  struct rlimit unlimited {};
  REQUIRE(::getrlimit(RLIMIT_FSIZE, &unlimited) == 0);
  const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  struct rlimit limited = unlimited;
  limited.rlim_cur = 64 << 10;
  REQUIRE(::setrlimit(RLIMIT_FSIZE, &limited) == 0);
  const auto finished = (*writer)->finish();
  ::setrlimit(RLIMIT_FSIZE, &unlimited);
  std::signal(SIGXFSZ, old_handler);

  REQUIRE_FALSE(finished.is_ok());
  REQUIRE_THAT(finished.error(), Catch::Contains("raw-0-100.tmp/index: write at offset 65536: "));
  REQUIRE(std::filesystem::is_empty(temp.path()));
}

TEST_CASE("an empty block opens with no series", "[store][block]") {
  mc::test::TempDir temp;
  std::vector<TestSeries> none;
  const auto reader = open_block(write_block(temp.path(), raw_meta(0, 100), none));
  REQUIRE(reader->num_series() == 0);
  REQUIRE(reader->label_names().empty());
  REQUIRE(reader->select({}).is_ok());
  REQUIRE(reader->verify().is_ok());
}

TEST_CASE("add_series rejects what the block cannot hold", "[store][block]") {
  mc::test::TempDir temp;
  auto writer = BlockWriter::create(temp.path().string(), raw_meta(0, 100));
  REQUIRE(writer.is_ok());
  const std::vector<int64_t> timestamps = {10, 20};
  const std::vector<double> values = {1, 2};
  const std::vector<std::span<const double>> one = {values};
  const Labels b{{"__name__", "b"}};
  REQUIRE((*writer)->add_series(b, nullptr, timestamps, one).is_ok());
  auto error = [&](const Labels& labels, std::vector<int64_t> t,
                   std::vector<std::span<const double>> columns) {
    const auto status = (*writer)->add_series(labels, nullptr, t, columns);
    REQUIRE_FALSE(status.is_ok());
    return status.message();
  };
  const Labels c{{"__name__", "c"}};
  REQUIRE_THAT(error(Labels{{"__name__", "a"}}, timestamps, one), Catch::Contains("label order"));
  REQUIRE_THAT(error(b, timestamps, one), Catch::Contains("label order"));
  REQUIRE_THAT(error(c, {20, 10}, one), Catch::Contains("not after"));
  REQUIRE_THAT(error(c, {20, 20}, one), Catch::Contains("not after"));
  REQUIRE_THAT(error(c, {10, 200}, one), Catch::Contains("outside"));
  REQUIRE_THAT(error(c, timestamps, {}), Catch::Contains("columns"));
  REQUIRE_THAT(error(c, {10}, one), Catch::Contains("values for 1 timestamps"));
  REQUIRE_THAT(error(c, {}, {std::span<const double>()}), Catch::Contains("no samples"));
  REQUIRE((*writer)->add_series(c, nullptr, timestamps, one).is_ok());
  REQUIRE((*writer)->finish().is_ok());
}

TEST_CASE("many threads read one block through a small cache", "[store][block]") {
  mc::test::TempDir temp;
  std::mt19937_64 random(13);
  std::vector<TestSeries> series;
  for (int i = 0; i < 100; ++i) {
    TestSeries s;
    s.labels = Labels{{"__name__", "m"}, {"i", std::to_string(1000 + i)}};
    s.timestamps = random_timestamps(random, 0, 500);
    s.columns.push_back(random_values(random, 500));
    series.push_back(std::move(s));
  }
  BlockWriterOptions options;
  options.group_target_bytes = 4096;
  const std::string dir = write_block(temp.path(), raw_meta(0, 20000000), series, options);
  mc::block::GroupCache small(16 * 8192);  // 8 KiB a shard: forces evictions
  auto reader = BlockReader::open(dir, &small);
  REQUIRE(reader.is_ok());
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      std::vector<int64_t> timestamps;
      std::vector<double> values;
      for (int round = 0; round < 5; ++round) {
        for (uint32_t s = 0; s < series.size(); ++s) {
          const uint32_t n = (s * 7 + static_cast<uint32_t>(t) * 13) % series.size();
          const auto status = (*reader)->read(n, INT64_MIN, INT64_MAX, 0, timestamps, values);
          if (!status.is_ok() || timestamps != series[n].timestamps ||
              std::memcmp(values.data(), series[n].columns[0].data(),
                          values.size() * sizeof(double)) != 0) {
            ++mismatches;
          }
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  REQUIRE(mismatches == 0);
  REQUIRE((*reader)->cached_bytes() <= 16 * 8192);
  REQUIRE(small.stats().evictions > 0);
}
