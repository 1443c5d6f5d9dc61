// Checkpoints: what they keep, what replay sees after them, and that the files
// they replace are gone.
#include "common/store/wal/wal_checkpoint.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <vector>

#include "common/store/wal/wal_directory.hpp"
#include "common/store/wal/wal_replay.hpp"
#include "common/store/wal/wal_writer.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/store/wal/wal_recording_handler.hpp"

namespace fs = std::filesystem;
using mc::WalBatch;
using mc::test::WalLoggedMetadata;
using mc::test::WalLoggedSample;
using mc::test::WalLoggedSeries;
using mc::test::WalRecordingHandler;

namespace {

mc::WalOptions small_segments() {
  mc::WalOptions options;
  options.fsync_policy = mc::FsyncPolicy::never;
  options.segment_bytes = 2048;
  return options;
}

mc::MetricMetadata metadata_version(uint64_t ref, int version) {
  return {"metric_" + std::to_string(ref), mc::MetricType::gauge,
          "help v" + std::to_string(version), ""};
}

// Series 1..10 created in the first commit with metadata v0; commits at
// t = first..last, one sample per series each; metadata v1 at commit `first + 5`.
void write_commits(mc::WalWriter& writer, int64_t first, int64_t last, bool create_series) {
  for (int64_t t = first; t <= last; ++t) {
    WalBatch batch;
    if (create_series && t == first) {
      for (uint64_t ref = 1; ref <= 10; ++ref) {
        batch.log_series(ref, mc::test::wal_test_labels(ref));
        batch.log_metadata(ref, metadata_version(ref, 0));
      }
    }
    if (t == first + 5) {
      for (uint64_t ref = 1; ref <= 10; ++ref) batch.log_metadata(ref, metadata_version(ref, 1));
    }
    for (uint64_t ref = 1; ref <= 10; ++ref) batch.log_sample(ref, t, static_cast<double>(t * ref));
    REQUIRE(writer.commit(batch).is_ok());
  }
}

bool odd(mc::SeriesRef ref) { return ref % 2 == 1; }

std::vector<WalLoggedSample> expected_samples(int64_t first, int64_t last,
                                              bool (*keep)(mc::SeriesRef)) {
  std::vector<WalLoggedSample> out;
  for (int64_t t = first; t <= last; ++t) {
    for (uint64_t ref = 1; ref <= 10; ++ref) {
      if (keep(ref)) out.push_back({ref, t, std::bit_cast<uint64_t>(static_cast<double>(t * ref))});
    }
  }
  return out;
}

WalRecordingHandler replay(const fs::path& dir) {
  WalRecordingHandler handler;
  auto replayed = mc::replay_wal(dir, handler);
  REQUIRE(replayed.is_ok());
  REQUIRE(replayed->damage.empty());
  return handler;
}

}  // namespace

TEST_CASE("wal checkpoint keeps kept series, their latest metadata and recent samples",
          "[store][wal]") {
  mc::test::TempDir temp;
  const fs::path dir = temp.path() / "wal";
  auto opened = mc::WalWriter::open(dir, small_segments());
  REQUIRE(opened.is_ok());
  mc::WalWriter& writer = **opened;
  write_commits(writer, 0, 99, true);
  REQUIRE(writer.stats().segments > 5);

  auto checkpointed = writer.checkpoint(odd, 60);
  REQUIRE(checkpointed.is_ok());
  const uint64_t number = checkpointed->number;
  REQUIRE(number > 5);
  REQUIRE(checkpointed->segments_folded == number);
  REQUIRE(checkpointed->series_kept == 5);
  REQUIRE(checkpointed->series_dropped == 5);
  REQUIRE(checkpointed->metadata_kept == 5);
  REQUIRE(checkpointed->samples_kept == 40 * 5);
  REQUIRE(checkpointed->samples_dropped == 100 * 10 - 40 * 5);

  // Only the checkpoint and the new (empty) segment remain.
  auto listing = mc::list_wal_directory(dir);
  REQUIRE(listing.is_ok());
  REQUIRE(listing->checkpoints == std::vector<uint64_t>{number});
  REQUIRE(listing->segments == std::vector<uint64_t>{number + 1});
  REQUIRE(listing->temporary.empty());
  REQUIRE(writer.stats().segments == 1);
  REQUIRE(writer.stats().checkpoints == 1);
  REQUIRE(writer.stats().disk_bytes == mc::wal_disk_bytes(dir));

  write_commits(writer, 100, 109, false);
  auto handler = replay(dir);
  std::vector<WalLoggedSeries> series;
  std::vector<WalLoggedMetadata> metadata;
  for (uint64_t ref = 1; ref <= 10; ref += 2) {
    series.push_back({ref, mc::test::wal_test_labels(ref)});
    metadata.push_back({ref, metadata_version(ref, 1)});
  }
  REQUIRE(handler.series == series);
  // The checkpoint's latest metadata, then what the segment after it logged.
  for (uint64_t ref = 1; ref <= 10; ++ref) metadata.push_back({ref, metadata_version(ref, 1)});
  REQUIRE(handler.metadata_entries == metadata);
  auto samples = expected_samples(60, 99, odd);
  for (int64_t t = 100; t <= 109; ++t) {
    for (uint64_t ref = 1; ref <= 10; ++ref) {
      samples.push_back({ref, t, std::bit_cast<uint64_t>(static_cast<double>(t * ref))});
    }
  }
  REQUIRE(handler.samples == samples);
}

TEST_CASE("wal second checkpoint folds the first one and replaces it", "[store][wal]") {
  mc::test::TempDir temp;
  const fs::path dir = temp.path() / "wal";
  auto opened = mc::WalWriter::open(dir, small_segments());
  REQUIRE(opened.is_ok());
  mc::WalWriter& writer = **opened;
  write_commits(writer, 0, 49, true);
  auto first = writer.checkpoint(odd, 20);
  REQUIRE(first.is_ok());
  write_commits(writer, 50, 79, false);
  auto second = writer.checkpoint([](mc::SeriesRef ref) { return ref == 1 || ref == 3; }, 40);
  REQUIRE(second.is_ok());
  REQUIRE(second->number > first->number);
  REQUIRE(second->series_kept == 2);

  auto listing = mc::list_wal_directory(dir);
  REQUIRE(listing.is_ok());
  REQUIRE(listing->checkpoints == std::vector<uint64_t>{second->number});
  REQUIRE(listing->segments == std::vector<uint64_t>{second->number + 1});
  REQUIRE_FALSE(fs::exists(mc::wal_checkpoint_path(dir, first->number)));

  auto handler = replay(dir);
  REQUIRE(handler.series == std::vector<WalLoggedSeries>{{1, mc::test::wal_test_labels(1)},
                                                         {3, mc::test::wal_test_labels(3)}});
  REQUIRE(handler.samples ==
          expected_samples(40, 79, [](mc::SeriesRef ref) { return ref == 1 || ref == 3; }));

  // A checkpoint with nothing new to fold does nothing.
  auto third = writer.checkpoint(odd, 0);
  REQUIRE(third.is_ok());
  REQUIRE(third->number == 0);
}

TEST_CASE("wal reopening after a checkpoint, and leftovers of a crashed one", "[store][wal]") {
  mc::test::TempDir temp;
  const fs::path dir = temp.path() / "wal";
  uint64_t number = 0;
  {
    auto opened = mc::WalWriter::open(dir, small_segments());
    REQUIRE(opened.is_ok());
    write_commits(**opened, 0, 29, true);
    auto checkpointed = (*opened)->checkpoint(odd, 10);
    REQUIRE(checkpointed.is_ok());
    number = checkpointed->number;
  }
  // What a crash mid-checkpoint leaves: a temporary directory, and a
  // segment the checkpoint replaced but that was not yet deleted.
  fs::create_directory(dir / "checkpoint.99999999.tmp");
  fs::copy_file(dir / mc::wal_segment_name(number + 1), mc::wal_segment_path(dir, number));
  REQUIRE(replay(dir).samples == expected_samples(10, 29, odd));

  auto reopened = mc::WalWriter::open(dir, small_segments());
  REQUIRE(reopened.is_ok());
  REQUIRE_FALSE(fs::exists(dir / "checkpoint.99999999.tmp"));
  REQUIRE_FALSE(fs::exists(mc::wal_segment_path(dir, number)));
  write_commits(**reopened, 30, 31, false);
  auto samples = expected_samples(10, 29, odd);
  auto more = expected_samples(30, 31, [](mc::SeriesRef) { return true; });
  samples.insert(samples.end(), more.begin(), more.end());
  REQUIRE(replay(dir).samples == samples);
}
