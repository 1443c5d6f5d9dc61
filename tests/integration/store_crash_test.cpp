// Crash safety of the disk store: a real writer process (tests/tools/
// store_crash_writer) is killed with SIGKILL at random moments, many times,
// while it appends, cuts blocks, checkpoints its WAL and truncates its head.
// After each kill the store must open, hold every batch the writer had seen
// fsynced, hold each series as an unbroken run of batches with exact values,
// and pass `store verify`.
#include <signal.h>

#include <catch2/catch.hpp>
#include <random>
#include <sstream>
#include <thread>

#include "common/store/disk_storage.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace mc {
namespace {

using namespace std::chrono_literals;

constexpr int kSeries = 50;

// The last "durable N" line the writer printed; -1 when none.
int64_t last_durable(const std::string& output) {
  std::istringstream lines(output);
  std::string word;
  int64_t value = 0;
  int64_t last = -1;
  while (lines >> word) {
    if (word == "durable" && lines >> value) last = value;
  }
  return last;
}

// Checks every series holds batches 0..n-1 exactly; returns n.
int64_t check_store(const std::filesystem::path& dir) {
  DiskStorageOptions options;
  options.dir = dir;
  options.block_duration_ms = 20'000;
  options.compaction_interval = 0ms;
  auto opened = DiskStorage::open(options);
  REQUIRE(opened);
  auto querier = (*opened)->querier(0, std::numeric_limits<int64_t>::max());
  auto matcher = Matcher::make(Matcher::Kind::equal, "__name__", "crash_test");
  auto series = querier->select({*matcher});
  int64_t batches = -1;
  for (const auto& one : series) {
    const int index = std::stoi(std::string(one->labels().get("series")));
    int64_t expected = 0;
    auto it = one->iterator();
    while (it->next()) {
      const Sample sample = it->at();
      INFO(one->labels().to_string() << " at batch " << expected);
      REQUIRE(sample.t_ms == expected * 1000);
      REQUIRE(sample.v == static_cast<double>(expected * 1000 + index));
      ++expected;
    }
    REQUIRE(it->status());
    // Series of one batch commit together: every series has the same count,
    // give or take the batch in flight at the kill, which is all or nothing.
    if (batches < 0) batches = expected;
    REQUIRE(expected == batches);
  }
  if (!series.empty()) REQUIRE(series.size() == static_cast<size_t>(kSeries));
  return std::max<int64_t>(batches, 0);
}

TEST_CASE("the store keeps every fsynced batch through repeated SIGKILLs", "[store][crash]") {
  test::TempDir dir;
  const auto store = dir.path() / "store";
  std::mt19937 random(20261130);
  std::uniform_int_distribution<int> pause_ms(50, 600);
  int64_t previous = 0;
  int64_t durable_total = 0;
  for (int round = 0; round < 15; ++round) {
    const auto log = dir.path() / ("writer-" + std::to_string(round) + ".log");
    int64_t durable = -1;
    {
      test::ChildProcess writer({MC_STORE_CRASH_WRITER, store.string(), std::to_string(kSeries)},
                                log);
      std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms(random)));
      REQUIRE(writer.running());
      ::kill(writer.pid(), SIGKILL);
      writer.wait(10s);
      durable = last_durable(writer.output());
      INFO("round " << round << ", writer output tail: "
                    << writer.output().substr(
                           writer.output().size() > 400 ? writer.output().size() - 400 : 0));
    }
    const int64_t held = check_store(store);
    INFO("round " << round << ": durable through batch " << durable << ", store holds " << held);
    CHECK(held >= durable + 1);
    CHECK(held >= previous);
    previous = held;
    durable_total = std::max(durable_total, durable);
  }
  // The rounds got somewhere: blocks were cut (20 s blocks, a batch per 1 s).
  CHECK(previous > 60);
  CHECK(std::filesystem::exists(store / "blocks"));
  auto verify = test::run_program({MC_DAEMON_BINARY, "store", "verify", "--dir", store.string()});
  INFO(verify.output);
  CHECK(verify.exit_status == 0);
}

}  // namespace
}  // namespace mc
