// `metrics-collector store import|stats|verify` as an operator runs them: the
// real binary on real directories, a store written by the real DiskStorage,
// and a Prometheus TSDB written by promtool.
#include <unistd.h>

#include <catch2/catch.hpp>

#include "common/store/disk_storage.hpp"
#include "common/store/store_lock.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace mc {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

test::RunResult store_command(const std::vector<std::string>& words) {
  std::vector<std::string> argv = {MC_DAEMON_BINARY, "store"};
  argv.insert(argv.end(), words.begin(), words.end());
  return test::run_program(argv);
}

// Two series over two hours, so that 1 h blocks hold both in each block;
// 2026-11-23T06:00:00Z is 1795413600 s.
constexpr std::string_view kTwoHours =
    "# TYPE up gauge\n"
    "# HELP up 1 when the target answered.\n"
    "up{instance=\"a\"} 1 1795413600\n"
    "up{instance=\"a\"} 1 1795413660.5\n"
    "up{instance=\"a\"} 0 1795417200\n"
    "up{instance=\"a\"} 1 1795417200\n"
    "up{instance=\"b\"} 1 1795413600\n"
    "up{instance=\"b\"} 0 1795413660.5\n"
    "up{instance=\"b\"} 1 1795417200\n"
    "# EOF\n";

// The same without the repeated timestamp, which promtool refuses.
constexpr std::string_view kForPromtool =
    "# TYPE up gauge\n"
    "up{instance=\"a\"} 1 1795413600\n"
    "up{instance=\"a\"} 0 1795417200\n"
    "up{instance=\"b\"} 1 1795413600\n"
    "# EOF\n";

bool have_promtool() { return access("/usr/bin/promtool", X_OK) == 0; }

TEST_CASE("store import cuts one block per window and says what it wrote", "[store][import]") {
  test::TempDir dir;
  const fs::path file = dir.write_file("backfill.om", std::string(kTwoHours));
  const fs::path store = dir.path() / "store";
  auto imported = store_command(
      {"import", "--openmetrics", file.string(), "--dir", store.string(), "--block-duration=1h"});
  INFO(imported.output);
  REQUIRE(imported.exit_status == 0);
  CHECK_THAT(imported.output,
             Catch::Contains("wrote block " +
                             (store / "blocks" / "raw-1795413600000-1795417199999").string()) &&
                 Catch::Contains("wrote block " +
                                 (store / "blocks" / "raw-1795417200000-1795420799999").string()) &&
                 Catch::Contains("imported 7 samples of 2 series into 2 blocks") &&
                 Catch::Contains("(1 repeated timestamps kept once)"));

  auto verified = store_command({"verify", "--dir", store.string()});
  INFO(verified.output);
  CHECK(verified.exit_status == 0);
  CHECK_THAT(verified.output,
             Catch::Contains("(2 series, 4 samples)") && Catch::Contains("(2 series, 2 samples)"));
}

// 2026-11-23T00:00:00Z is 1795392000 s: three hourly blocks in that day, one
// in the next, so the day is complete and the next is not.
constexpr std::string_view kDays =
    "# TYPE up gauge\n"
    "up{instance=\"a\"} 1 1795392000\n"
    "up{instance=\"a\"} 0 1795410000\n"
    "up{instance=\"a\"} 1 1795476600\n"
    "up{instance=\"a\"} 1 1795478460\n"
    "up{instance=\"b\"} 1 1795410000\n"
    "# EOF\n";

TEST_CASE("store import merges the complete days it wrote into one block each", "[store][import]") {
  test::TempDir dir;
  const fs::path file = dir.write_file("days.om", std::string(kDays));
  const fs::path store = dir.path() / "store";
  auto imported = store_command(
      {"import", "--openmetrics", file.string(), "--dir", store.string(), "--block-duration=1h"});
  INFO(imported.output);
  REQUIRE(imported.exit_status == 0);
  CHECK_THAT(imported.output, Catch::Contains("into 4 blocks") &&
                                  Catch::Contains("then merged 1 complete windows of them"));
  std::vector<std::string> blocks;
  for (const auto& entry : fs::directory_iterator(store / "blocks")) {
    blocks.push_back(entry.path().filename().string());
  }
  std::sort(blocks.begin(), blocks.end());
  CHECK(blocks == std::vector<std::string>{"raw-1795392000000-1795478399999",
                                           "raw-1795478400000-1795481999999"});
  auto verified = store_command({"verify", "--dir", store.string()});
  INFO(verified.output);
  CHECK(verified.exit_status == 0);
  CHECK_THAT(verified.output,
             Catch::Contains("(2 series, 4 samples)") && Catch::Contains("(1 series, 1 samples)"));
}

TEST_CASE("store import merges around a damaged block already in the store, and says so",
          "[store][import]") {
  // The same day as above, with a block the import did not write lying in it,
  // its meta.json unreadable: the daemon's open sets such a block aside, so
  // the import leaves it where it is and merges its own blocks of the day.
  test::TempDir dir;
  const fs::path file = dir.write_file("days.om", std::string(kDays));
  const fs::path store = dir.path() / "store";
  const fs::path damaged = store / "blocks" / "raw-1795395600000-1795399199999";
  fs::create_directories(damaged);
  dir.write_file("store/blocks/raw-1795395600000-1795399199999/meta.json", "{not json");

  auto imported = store_command(
      {"import", "--openmetrics", file.string(), "--dir", store.string(), "--block-duration=1h"});
  INFO(imported.output);
  REQUIRE(imported.exit_status == 0);
  CHECK_THAT(imported.output, Catch::Contains("leaving a damaged block alone, not merging it") &&
                                  Catch::Contains(damaged.filename().string()) &&
                                  Catch::Contains("then merged 1 complete windows of them"));
  CHECK(fs::exists(damaged / "meta.json"));
  CHECK(fs::exists(store / "blocks" / "raw-1795392000000-1795478399999" / "meta.json"));
  CHECK_FALSE(fs::exists(store / "blocks" / "raw-1795392000000-1795395599999"));
}

TEST_CASE("store stats counts a series in two blocks once and prints RFC 3339 times",
          "[store][stats]") {
  test::TempDir dir;
  const fs::path file = dir.write_file("backfill.om", std::string(kTwoHours));
  const fs::path store = dir.path() / "store";
  REQUIRE(store_command({"import", "--openmetrics", file.string(), "--dir", store.string(),
                         "--block-duration=1h"})
              .exit_status == 0);
  auto stats = store_command({"stats", "--dir", store.string()});
  INFO(stats.output);
  REQUIRE(stats.exit_status == 0);
  CHECK_THAT(stats.output,
             Catch::Contains("tier raw blocks 2 series 2 samples 6 "
                             "min_time 1795413600000 (2026-11-23T06:00:00.000Z) "
                             "max_time 1795420799999 (2026-11-23T07:59:59.999Z)") &&
                 Catch::Contains("\nblocks 2\n") && Catch::Contains("\nseries 2\n") &&
                 Catch::Contains("\nsamples 6\n") &&
                 Catch::Contains("\nmin_time 1795413600000 (2026-11-23T06:00:00.000Z)\n"));
}

TEST_CASE("store stats of a store that has cut no block shows its head", "[store][stats]") {
  test::TempDir dir;
  const fs::path store = dir.path() / "store";
  {
    DiskStorageOptions options;
    options.dir = store;
    options.compaction_interval = 0ms;
    auto storage = DiskStorage::open(options);
    REQUIRE(storage);
    auto appender = (*storage)->appender();
    for (int i = 0; i < 30; ++i) {
      SeriesRef ref = 0;
      for (int s = 0; s < 5; ++s) {
        const Labels labels{{"__name__", "up"}, {"instance", "host-" + std::to_string(i)}};
        auto appended = appender->append(ref, labels, 1'795'413'600'000 + s * 1000, 1);
        REQUIRE(appended.error == AppendError::none);
        ref = appended.ref;
      }
    }
    REQUIRE(appender->commit());
    // Stats takes no lock: it runs beside the daemon that holds one.
    auto stats = store_command({"stats", "--dir", store.string()});
    INFO(stats.output);
    REQUIRE(stats.exit_status == 0);
    CHECK_THAT(stats.output, Catch::Contains("head series 30 samples 150 "
                                             "min_time 1795413600000 (2026-11-23T06:00:00.000Z) "
                                             "max_time 1795413604000 (2026-11-23T06:00:04.000Z)") &&
                                 Catch::Contains("\nseries 30\n") &&
                                 Catch::Contains("\nsamples 150\n"));
  }
}

TEST_CASE("store import refuses a store in use, a sample without a timestamp, and bad text",
          "[store][import]") {
  test::TempDir dir;
  const fs::path store = dir.path() / "store";
  fs::create_directories(store / "blocks");
  const fs::path good = dir.write_file("good.om", std::string(kTwoHours));
  {
    auto lock = StoreLock::acquire(store);  // as a running daemon holds it
    REQUIRE(lock);
    auto refused =
        store_command({"import", "--openmetrics", good.string(), "--dir", store.string()});
    INFO(refused.output);
    CHECK(refused.exit_status == 1);
    CHECK_THAT(refused.output, Catch::Contains("lock: the store is in use by another process"));
  }
  const fs::path untimed = dir.write_file("untimed.om", "up 1 1795413600\nup{a=\"b\"} 1\n# EOF\n");
  auto no_timestamp =
      store_command({"import", "--openmetrics", untimed.string(), "--dir", store.string()});
  INFO(no_timestamp.output);
  CHECK(no_timestamp.exit_status == 1);
  CHECK_THAT(no_timestamp.output, Catch::Contains("line 2: sample without a timestamp"));

  const fs::path broken = dir.write_file("broken.om", "up{a=\"b} 1 1795413600\n# EOF\n");
  auto bad = store_command({"import", "--openmetrics", broken.string(), "--dir", store.string()});
  INFO(bad.output);
  CHECK(bad.exit_status == 1);
  CHECK_THAT(bad.output, Catch::Contains(broken.string() + ":"));
  // Nothing was written by the refused imports.
  CHECK(fs::is_empty(store / "blocks"));
}

TEST_CASE("store verify and stats on a Prometheus TSDB say it is not a metrics-collector store",
          "[store][verify]") {
  if (!have_promtool()) {
    WARN("skipped: /usr/bin/promtool not found (Debian package prometheus; make deps installs it)");
    return;
  }
  test::TempDir dir;
  const fs::path file = dir.write_file("backfill.om", std::string(kForPromtool));
  const fs::path tsdb = dir.path() / "tsdb";
  auto created = test::run_program({"/usr/bin/promtool", "tsdb", "create-blocks-from",
                                    "openmetrics", file.string(), tsdb.string()});
  INFO(created.output);
  REQUIRE(created.exit_status == 0);

  for (const std::string verb : {"verify", "stats"}) {
    auto result = store_command({verb, "--dir", tsdb.string()});
    INFO(verb << ": " << result.output);
    CHECK(result.exit_status == 1);
    CHECK_THAT(result.output,
               Catch::Contains(tsdb.string() +
                               ": not a metrics-collector store (no blocks/ directory; found ") &&
                   Catch::Contains("Prometheus TSDB block(s): ") &&
                   Catch::Contains("this looks like a Prometheus TSDB"));
    CHECK_THAT(result.output, !Catch::Contains("damaged"));
  }
}

}  // namespace
}  // namespace mc
