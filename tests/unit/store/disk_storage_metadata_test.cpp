// Series metadata across the disk store's tiers: cut_block writes each
// series' metadata (Series::metadata of the head) into the block, and the
// store's querier hands it back once the head no longer holds the series.
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>

#include "common/store/disk_storage.hpp"
#include "tests/support/temp_dir.hpp"

namespace mc {

TEST_CASE("a block cut from the head keeps each series' metadata", "[store][disk][metadata]") {
  test::TempDir dir;
  DiskStorageOptions options;
  options.dir = dir.path();
  options.block_duration_ms = 10'000;
  options.compaction_interval = std::chrono::milliseconds(0);
  options.wal.fsync_policy = FsyncPolicy::never;
  const Labels with{{"__name__", "jobs_total"}, {"job", "a"}};
  const Labels without{{"__name__", "queue_depth"}, {"job", "a"}};
  const MetricMetadata counter{"jobs", MetricType::counter, "Jobs done.", ""};
  {
    auto opened = DiskStorage::open(options);
    REQUIRE(opened);
    auto appender = (*opened)->appender();
    SeriesRef ref = 0;
    for (int64_t t = 0; t < 30'000; t += 1000) {
      ref = appender->append(ref, with, t, static_cast<double>(t)).ref;
      appender->append(0, without, t, 1);
    }
    appender->update_metadata(ref, counter);
    REQUIRE(appender->commit());
    REQUIRE((*opened)->flush());
  }
  // Reopened: the WAL was checkpointed past the blocks, so what the querier
  // finds for the first block's range comes from blocks.
  auto reopened = DiskStorage::open(options);
  REQUIRE(reopened);
  auto all = Matcher::make(Matcher::Kind::regex, "__name__", ".+");
  REQUIRE(all);
  REQUIRE((*reopened)->head().querier(0, 9'999)->select({*all}).empty());
  const auto selected = (*reopened)->querier(0, 9'999)->select({*all});
  REQUIRE(selected.size() == 2);
  for (const auto& series : selected) {
    INFO(series->labels().to_string());
    if (series->labels() == with) {
      REQUIRE(series->metadata() != nullptr);
      CHECK(*series->metadata() == counter);
    } else {
      CHECK(series->metadata() == nullptr);
    }
  }
}

}  // namespace mc
