// WalWriter: concurrent commits, the fsync policies and durable_sequence.
#include "common/store/wal/wal_writer.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <thread>
#include <vector>

#include "common/store/wal/wal_replay.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/store/wal/wal_recording_handler.hpp"

namespace fs = std::filesystem;
using mc::WalBatch;
using namespace std::chrono_literals;

namespace {

mc::WalOptions with_policy(mc::FsyncPolicy policy) {
  mc::WalOptions options;
  options.fsync_policy = policy;
  options.fsync_interval = 20ms;
  return options;
}

WalBatch one_sample(uint64_t ref, int64_t t_ms) {
  WalBatch batch;
  batch.log_sample(ref, t_ms, 1.0);
  return batch;
}

}  // namespace

TEST_CASE("wal concurrent commits each land whole and in order per thread", "[store][wal]") {
  mc::test::TempDir temp;
  const fs::path dir = temp.path() / "wal";
  constexpr int kThreads = 4;
  constexpr int kCommits = 200;
  constexpr int kSamples = 50;
  {
    mc::WalOptions options = with_policy(mc::FsyncPolicy::interval);
    options.segment_bytes = 64 * 1024;  // cuts happen while threads commit
    auto opened = mc::WalWriter::open(dir, options);
    REQUIRE(opened.is_ok());
    mc::WalWriter& writer = **opened;
    std::vector<std::thread> threads;
    std::vector<int> failures(kThreads, 0);
    for (int thread = 0; thread < kThreads; ++thread) {
      threads.emplace_back([&, thread] {
        for (int commit = 0; commit < kCommits; ++commit) {
          WalBatch batch;
          const uint64_t first_ref = static_cast<uint64_t>(thread) * 1000 + 1;
          if (commit == 0) {
            for (int s = 0; s < kSamples; ++s) {
              batch.log_series(first_ref + s, mc::test::wal_test_labels(first_ref + s));
            }
          }
          for (int s = 0; s < kSamples; ++s) batch.log_sample(first_ref + s, commit, thread + s);
          if (!writer.commit(batch).is_ok()) ++failures[thread];
        }
      });
    }
    for (auto& t : threads) t.join();
    REQUIRE(failures == std::vector<int>(kThreads, 0));
    REQUIRE(writer.committed_sequence() == kThreads * kCommits);
    REQUIRE(writer.stats().segments > 1);
  }

  mc::test::WalRecordingHandler handler;
  auto replayed = mc::replay_wal(dir, handler);
  REQUIRE(replayed.is_ok());
  REQUIRE(replayed->damage.empty());
  REQUIRE(handler.series.size() == kThreads * kSamples);
  REQUIRE(handler.sample_batches.size() == kThreads * kCommits);
  std::map<uint64_t, int64_t> next_commit_of_thread;
  for (const auto& batch : handler.sample_batches) {
    REQUIRE(batch.size() == kSamples);
    const uint64_t thread = (batch[0].ref - 1) / 1000;
    const int64_t commit = batch[0].t_ms;
    REQUIRE(commit == next_commit_of_thread[thread]++);
    for (int s = 0; s < kSamples; ++s) {
      REQUIRE(batch[s].ref == thread * 1000 + 1 + s);
      REQUIRE(batch[s].t_ms == commit);
      REQUIRE(batch[s].value_bits == std::bit_cast<uint64_t>(static_cast<double>(thread + s)));
    }
  }
}

TEST_CASE("wal fsync policy interval fsyncs in the background", "[store][wal]") {
  mc::test::TempDir temp;
  auto opened = mc::WalWriter::open(temp.path() / "wal", with_policy(mc::FsyncPolicy::interval));
  REQUIRE(opened.is_ok());
  mc::WalWriter& writer = **opened;
  REQUIRE(writer.durable_sequence() == 0);
  uint64_t last = 0;
  for (int i = 1; i <= 3; ++i) {
    WalBatch batch = one_sample(1, i);
    auto sequence = writer.commit(batch);
    REQUIRE(sequence.is_ok());
    REQUIRE(*sequence == static_cast<uint64_t>(i));
    REQUIRE(batch.empty());
    last = *sequence;
    REQUIRE(writer.wait_durable(last, 10s));
  }
  const mc::WalStats stats = writer.stats();
  REQUIRE(stats.durable_sequence == last);
  REQUIRE(stats.fsyncs >= 1);
  REQUIRE(stats.fsyncs <= 3);
  REQUIRE(stats.fsync_nanoseconds_sum >= stats.fsync_nanoseconds_max);
  REQUIRE(stats.fsync_errors == 0);
  REQUIRE(stats.commits == 3);
  REQUIRE(stats.records_written == 3);
}

TEST_CASE("wal fsync policy always: durable when commit returns", "[store][wal]") {
  mc::test::TempDir temp;
  auto opened = mc::WalWriter::open(temp.path() / "wal", with_policy(mc::FsyncPolicy::always));
  REQUIRE(opened.is_ok());
  WalBatch batch = one_sample(1, 1);
  auto sequence = (*opened)->commit(batch);
  REQUIRE(sequence.is_ok());
  REQUIRE((*opened)->durable_sequence() == *sequence);
  REQUIRE((*opened)->stats().fsyncs == 1);
}

TEST_CASE("wal fsync policy never: nothing durable until sync()", "[store][wal]") {
  mc::test::TempDir temp;
  auto opened = mc::WalWriter::open(temp.path() / "wal", with_policy(mc::FsyncPolicy::never));
  REQUIRE(opened.is_ok());
  mc::WalWriter& writer = **opened;
  WalBatch batch = one_sample(1, 1);
  REQUIRE(writer.commit(batch).is_ok());
  REQUIRE_FALSE(writer.wait_durable(1, 50ms));
  REQUIRE(writer.stats().fsyncs == 0);
  REQUIRE(writer.sync().is_ok());
  REQUIRE(writer.durable_sequence() == 1);
  REQUIRE(writer.stats().fsyncs == 1);
  REQUIRE(writer.sync().is_ok());  // nothing new: no second fsync
  REQUIRE(writer.stats().fsyncs == 1);
}

TEST_CASE("wal empty commit writes nothing", "[store][wal]") {
  mc::test::TempDir temp;
  auto opened = mc::WalWriter::open(temp.path() / "wal", with_policy(mc::FsyncPolicy::never));
  REQUIRE(opened.is_ok());
  WalBatch batch;
  auto sequence = (*opened)->commit(batch);
  REQUIRE(sequence.is_ok());
  REQUIRE(*sequence == 0);
  REQUIRE((*opened)->stats().bytes_written == 0);
}

TEST_CASE("wal writer reopened starts a new segment, reusing an empty one", "[store][wal]") {
  mc::test::TempDir temp;
  const fs::path dir = temp.path() / "wal";
  { REQUIRE(mc::WalWriter::open(dir, with_policy(mc::FsyncPolicy::never)).is_ok()); }
  {
    auto writer = mc::WalWriter::open(dir, with_policy(mc::FsyncPolicy::never));
    REQUIRE(writer.is_ok());
    REQUIRE((*writer)->stats().segments == 1);
    WalBatch batch = one_sample(1, 1);
    REQUIRE((*writer)->commit(batch).is_ok());
  }
  auto writer = mc::WalWriter::open(dir, with_policy(mc::FsyncPolicy::never));
  REQUIRE(writer.is_ok());
  REQUIRE(fs::exists(dir / "00000002"));
  REQUIRE((*writer)->stats().segments == 2);
  REQUIRE((*writer)->stats().disk_bytes == fs::file_size(dir / "00000001"));
}
