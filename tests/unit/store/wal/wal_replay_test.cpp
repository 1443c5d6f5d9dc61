// Replay of a WAL directory: segment rotation, torn tails at every byte, and
// corruption in an earlier segment.
#include "common/store/wal/wal_replay.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <vector>

#include "common/model/sample_value.hpp"
#include "common/store/wal/wal_directory.hpp"
#include "common/store/wal/wal_writer.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/store/wal/wal_recording_handler.hpp"

namespace fs = std::filesystem;
using mc::WalBatch;
using mc::test::WalLoggedSample;
using mc::test::WalRecordingHandler;

namespace {

mc::WalOptions no_fsync(uint64_t segment_bytes = uint64_t{128} << 20) {
  mc::WalOptions options;
  options.fsync_policy = mc::FsyncPolicy::never;
  options.segment_bytes = segment_bytes;
  return options;
}

// Ten samples of refs 1..10 at t = 1000 + i: every such batch encodes to the
// same number of bytes.
WalBatch fixed_size_batch(int i) {
  WalBatch batch;
  for (uint64_t ref = 1; ref <= 10; ++ref) batch.log_sample(ref, 1000 + i, i * 100.0 + ref);
  return batch;
}

std::vector<WalLoggedSample> fixed_size_samples(int i) {
  std::vector<WalLoggedSample> out;
  for (uint64_t ref = 1; ref <= 10; ++ref)
    out.push_back({ref, 1000 + i, std::bit_cast<uint64_t>(i * 100.0 + ref)});
  return out;
}

WalRecordingHandler replay(const fs::path& dir, mc::WalReplayStats* stats = nullptr) {
  WalRecordingHandler handler;
  auto replayed = mc::replay_wal(dir, handler);
  REQUIRE(replayed.is_ok());
  if (stats != nullptr) *stats = *replayed;
  return handler;
}

}  // namespace

TEST_CASE("wal replay of a missing or empty directory sees nothing", "[store][wal]") {
  mc::test::TempDir temp;
  auto handler = replay(temp.path() / "absent");
  REQUIRE(handler.samples.empty());
  {
    auto writer = mc::WalWriter::open(temp.path() / "wal", no_fsync());
    REQUIRE(writer.is_ok());
  }
  mc::WalReplayStats stats;
  handler = replay(temp.path() / "wal", &stats);
  REQUIRE(handler.samples.empty());
  REQUIRE(stats.files_read == 1);
  REQUIRE(stats.damage.empty());
}

TEST_CASE("wal segments rotate at segment_bytes between commits", "[store][wal]") {
  mc::test::TempDir temp;
  const fs::path dir = temp.path() / "wal";
  const size_t record_bytes = fixed_size_batch(0).finish().size();
  REQUIRE(record_bytes == 110);
  {
    auto writer = mc::WalWriter::open(dir, no_fsync(1000));
    REQUIRE(writer.is_ok());
    for (int i = 0; i < 50; ++i) {
      WalBatch batch = fixed_size_batch(i);
      REQUIRE((*writer)->commit(batch).is_ok());
    }
    REQUIRE((*writer)->stats().segments == 6);  // 9 commits of 110 bytes fit in 1000
    REQUIRE((*writer)->stats().disk_bytes == 50 * record_bytes);
    REQUIRE((*writer)->stats().fsyncs == 5);  // each cut fsyncs the segment it closes
  }
  auto listing = mc::list_wal_directory(dir);
  REQUIRE(listing.is_ok());
  REQUIRE(listing->segments == std::vector<uint64_t>{1, 2, 3, 4, 5, 6});
  for (uint64_t number : listing->segments) {
    const auto size = fs::file_size(mc::wal_segment_path(dir, number));
    REQUIRE(size == (number < 6 ? 9 : 5) * record_bytes);
  }
  REQUIRE(fs::exists(dir / "00000001"));

  mc::WalReplayStats stats;
  auto handler = replay(dir, &stats);
  REQUIRE(stats.files_read == 6);
  REQUIRE(stats.records == 50);
  REQUIRE(stats.damage.empty());
  std::vector<WalLoggedSample> expected;
  for (int i = 0; i < 50; ++i) {
    auto batch = fixed_size_samples(i);
    expected.insert(expected.end(), batch.begin(), batch.end());
  }
  REQUIRE(handler.samples == expected);
}

TEST_CASE("wal torn tail: every truncation of the last records is repaired", "[store][wal]") {
  mc::test::TempDir temp;
  const fs::path original = temp.path() / "original";
  const mc::Labels labels = mc::test::wal_test_labels(100);
  size_t size_before_last = 0;
  size_t series_record_bytes = 0;
  {
    auto writer = mc::WalWriter::open(original, no_fsync());
    REQUIRE(writer.is_ok());
    for (int i = 0; i < 3; ++i) {
      WalBatch batch = fixed_size_batch(i);
      REQUIRE((*writer)->commit(batch).is_ok());
    }
    size_before_last = fs::file_size(original / "00000001");
    WalBatch last;
    last.log_series(100, labels);
    series_record_bytes = last.finish().size();
    last.log_sample(100, 5000, mc::stale_nan());
    last.log_sample(101, 5000, -0.0);
    REQUIRE((*writer)->commit(last).is_ok());
  }
  const size_t full_size = fs::file_size(original / "00000001");
  std::vector<WalLoggedSample> before;
  for (int i = 0; i < 3; ++i) {
    auto batch = fixed_size_samples(i);
    before.insert(before.end(), batch.begin(), batch.end());
  }

  // From the middle of the last fixed batch to one byte short of the end.
  for (size_t cut = size_before_last - 50; cut < full_size; ++cut) {
    CAPTURE(cut);
    const fs::path dir = temp.path() / ("cut" + std::to_string(cut));
    fs::copy(original, dir);
    fs::resize_file(dir / "00000001", cut);

    const bool series_survives = cut >= size_before_last + series_record_bytes;
    const size_t good_end = cut < size_before_last ? size_before_last - 110
                            : series_survives      ? size_before_last + series_record_bytes
                                                   : size_before_last;
    mc::WalReplayStats stats;
    auto handler = replay(dir, &stats);
    std::vector<WalLoggedSample> expected = before;
    if (cut < size_before_last) expected.resize(20);
    REQUIRE(handler.samples == expected);
    REQUIRE(handler.series.size() == (series_survives ? 1u : 0u));
    if (cut == good_end) {
      REQUIRE(stats.damage.empty());
    } else {
      REQUIRE(stats.torn_tails_repaired == 1);
      REQUIRE(stats.corruptions == 0);
      REQUIRE(stats.damage.size() == 1);
      REQUIRE(stats.damage[0].path == dir / "00000001");
      REQUIRE(stats.damage[0].offset == good_end);
      REQUIRE(stats.damage[0].truncated);
    }
    REQUIRE(fs::file_size(dir / "00000001") == good_end);

    // The repaired log takes new commits after what survived.
    {
      auto writer = mc::WalWriter::open(dir, no_fsync());
      REQUIRE(writer.is_ok());
      WalBatch batch = fixed_size_batch(7);
      REQUIRE((*writer)->commit(batch).is_ok());
    }
    auto after = replay(dir, &stats);
    REQUIRE(stats.damage.empty());
    auto appended = fixed_size_samples(7);
    expected.insert(expected.end(), appended.begin(), appended.end());
    REQUIRE(after.samples == expected);
    fs::remove_all(dir);
  }
}

TEST_CASE("wal garbage and zeros after the last record are cut off", "[store][wal]") {
  mc::test::TempDir temp;
  const fs::path dir = temp.path() / "wal";
  {
    auto writer = mc::WalWriter::open(dir, no_fsync());
    REQUIRE(writer.is_ok());
    WalBatch batch = fixed_size_batch(1);
    REQUIRE((*writer)->commit(batch).is_ok());
  }
  const std::string tail =
      GENERATE(std::string(4096, '\0'), std::string("\x03garbage-garbage-garbage"));
  { std::ofstream(dir / "00000001", std::ios::binary | std::ios::app) << tail; }
  mc::WalReplayStats stats;
  auto handler = replay(dir, &stats);
  REQUIRE(handler.samples == fixed_size_samples(1));
  REQUIRE(stats.damage.size() == 1);
  REQUIRE(stats.damage[0].offset == 110);
  REQUIRE(fs::file_size(dir / "00000001") == 110);
}

TEST_CASE("wal flipped byte in an earlier segment: reported, rest of the log served",
          "[store][wal]") {
  mc::test::TempDir temp;
  const fs::path dir = temp.path() / "wal";
  {
    auto writer = mc::WalWriter::open(dir, no_fsync(1000));
    REQUIRE(writer.is_ok());
    for (int i = 0; i < 30; ++i) {
      WalBatch batch = fixed_size_batch(i);
      REQUIRE((*writer)->commit(batch).is_ok());
    }
  }
  // Segment 2 holds commits 9..17; flip a value byte of its 4th record (commit 12).
  const fs::path segment = dir / "00000002";
  const size_t flipped_at = 3 * 110 + 40;
  {
    std::fstream file(segment, std::ios::binary | std::ios::in | std::ios::out);
    file.seekg(static_cast<std::streamoff>(flipped_at));
    char byte = 0;
    file.read(&byte, 1);
    file.seekp(static_cast<std::streamoff>(flipped_at));
    byte = static_cast<char>(byte ^ 0x10);
    file.write(&byte, 1);
  }
  const auto size_before = fs::file_size(segment);

  mc::WalReplayStats stats;
  auto handler = replay(dir, &stats);
  std::vector<WalLoggedSample> expected;
  for (int i = 0; i < 30; ++i) {
    if (i >= 12 && i < 18) continue;  // from the bad record to the end of segment 2
    auto batch = fixed_size_samples(i);
    expected.insert(expected.end(), batch.begin(), batch.end());
  }
  REQUIRE(handler.samples == expected);
  REQUIRE(stats.corruptions == 1);
  REQUIRE(stats.torn_tails_repaired == 0);
  REQUIRE(stats.damage.size() == 1);
  REQUIRE(stats.damage[0].path == segment);
  REQUIRE(stats.damage[0].offset == 3 * 110);
  REQUIRE(stats.damage[0].bytes_lost == 6 * 110);
  REQUIRE_FALSE(stats.damage[0].truncated);
  REQUIRE(stats.damage[0].problem.find("CRC mismatch") != std::string::npos);
  REQUIRE(fs::file_size(segment) == size_before);  // an earlier segment is never cut
}

TEST_CASE("wal flipped type byte in the last segment truncates there", "[store][wal]") {
  mc::test::TempDir temp;
  const fs::path dir = temp.path() / "wal";
  {
    auto writer = mc::WalWriter::open(dir, no_fsync());
    REQUIRE(writer.is_ok());
    for (int i = 0; i < 4; ++i) {
      WalBatch batch = fixed_size_batch(i);
      REQUIRE((*writer)->commit(batch).is_ok());
    }
  }
  {
    std::fstream file(dir / "00000001", std::ios::binary | std::ios::in | std::ios::out);
    file.seekp(2 * 110);
    file.put('\x7f');
  }
  mc::WalReplayStats stats;
  auto handler = replay(dir, &stats);
  REQUIRE(handler.samples.size() == 20);
  REQUIRE(stats.corruptions == 1);  // records follow the bad one: damage, not a torn write
  REQUIRE(stats.damage.at(0).offset == 220);
  REQUIRE(stats.damage.at(0).problem == "unknown record type 127");
  REQUIRE(fs::file_size(dir / "00000001") == 220);
}
