// The config's `storage:` section: block length, WAL fsync and the retention
// tiers, their defaults, and the exact "file:line:col: message" of each error.
#include <catch2/catch.hpp>
#include <chrono>
#include <string>

#include "common/config/config.hpp"
#include "common/config/storage_defaults.hpp"
#include "tests/support/config_parsing.hpp"

using namespace std::chrono_literals;
using mc::test::parse_config_error;
using mc::test::parse_config_ok;

namespace {

constexpr auto kDay = std::chrono::hours(24);

// A storage section whose tiers are `tiers` (list items, indented by 4).
std::string with_tiers(const std::string& tiers) { return "storage:\n  tiers:\n" + tiers; }

}  // namespace

TEST_CASE("storage config: defaults when the section is absent", "[storage_config]") {
  auto config = parse_config_ok("scrape_configs: []\n");
  const mc::StorageConfig& storage = config.storage;
  CHECK(storage.block_duration == 2h);
  CHECK(storage.wal_fsync == mc::WalFsyncMode::interval);
  CHECK(storage.wal_fsync_interval == 1s);
  REQUIRE(storage.tiers.size() == 3);
  CHECK(storage.tiers[0].name == "raw");
  CHECK(storage.tiers[0].resolution == 0ms);
  CHECK(storage.tiers[0].retention == 7 * kDay);
  CHECK(storage.tiers[0].block_duration == 2h);
  CHECK(storage.tiers[1].name == "5m");
  CHECK(storage.tiers[1].resolution == 5min);
  CHECK(storage.tiers[1].retention == 30 * kDay);
  CHECK(storage.tiers[1].block_duration == 24h);
  CHECK(storage.tiers[2].name == "1h");
  CHECK(storage.tiers[2].resolution == 1h);
  CHECK(storage.tiers[2].retention == 365 * kDay);
  CHECK(storage.tiers[2].block_duration == 12 * kDay);

  // An empty section, or `tiers:` with nothing, is the same.
  for (const char* yaml : {"storage:\n", "storage:\n  tiers:\n", "storage: {}\n"}) {
    INFO(yaml);
    CHECK(parse_config_ok(yaml).storage.tiers.size() == 3);
  }
}

TEST_CASE("storage config: a full section fills every field", "[storage_config]") {
  auto config = parse_config_ok(R"(storage:
  block_duration: 3h
  wal_fsync: 10s
  tiers:
    - resolution: raw
      retention: 2w
    - resolution: 10m
      retention: 90d
      block_duration: 2d
    - resolution: 1h
      retention: 2y
)");
  const mc::StorageConfig& storage = config.storage;
  CHECK(storage.block_duration == 3h);
  CHECK(storage.wal_fsync == mc::WalFsyncMode::interval);
  CHECK(storage.wal_fsync_interval == 10s);
  REQUIRE(storage.tiers.size() == 3);
  CHECK(storage.tiers[0].name == "raw");
  CHECK(storage.tiers[0].retention == 14 * kDay);
  CHECK(storage.tiers[0].block_duration == 3h);
  CHECK(storage.tiers[1].name == "10m");
  CHECK(storage.tiers[1].resolution == 10min);
  CHECK(storage.tiers[1].retention == 90 * kDay);
  CHECK(storage.tiers[1].block_duration == 48h);
  CHECK(storage.tiers[2].name == "1h");
  CHECK(storage.tiers[2].retention == 730 * kDay);      // y is 365d, as in Prometheus
  CHECK(storage.tiers[2].block_duration == 12 * kDay);  // 288h, a multiple of 2d
}

TEST_CASE("storage config: wal_fsync", "[storage_config]") {
  CHECK(parse_config_ok("storage:\n  wal_fsync: always\n").storage.wal_fsync ==
        mc::WalFsyncMode::always);
  CHECK(parse_config_ok("storage:\n  wal_fsync: never\n").storage.wal_fsync ==
        mc::WalFsyncMode::never);
  auto every = parse_config_ok("storage:\n  wal_fsync: 500ms\n").storage;
  CHECK(every.wal_fsync == mc::WalFsyncMode::interval);
  CHECK(every.wal_fsync_interval == 500ms);
  CHECK(parse_config_error("storage:\n  wal_fsync: sometimes\n") ==
        "config.yml:2:14: storage.wal_fsync: expected \"always\", \"never\" or a duration: not a "
        "valid duration string: \"sometimes\"");
  CHECK(parse_config_error("storage:\n  wal_fsync: 0s\n") ==
        "config.yml:2:14: storage.wal_fsync: an interval must be positive (\"always\" fsyncs at "
        "every commit)");
  CHECK(parse_config_error("storage:\n  wal_fsync: [always]\n") ==
        "config.yml:2:14: storage.wal_fsync: expected a string, got a sequence");
}

TEST_CASE("storage config: only raw", "[storage_config]") {
  auto storage = parse_config_ok(with_tiers("    - {resolution: raw, retention: 15d}\n")).storage;
  REQUIRE(storage.tiers.size() == 1);
  CHECK(storage.tiers[0].retention == 15 * kDay);
  CHECK(storage.tiers[0].block_duration == 2h);
}

TEST_CASE("storage config: errors name the place and the problem", "[storage_config]") {
  CHECK(parse_config_error("storage:\n  block_duration: 0s\n") ==
        "config.yml:2:19: storage.block_duration: must be positive");
  CHECK(parse_config_error("storage:\n  block_duration: 2 h\n") ==
        "config.yml:2:19: storage.block_duration: unknown unit \" h\" in duration \"2 h\"");
  CHECK(parse_config_error("storage:\n  retention: 7d\n") ==
        "config.yml:2:3: unknown field \"retention\" in storage");
  CHECK(parse_config_error("storage:\n  tiers: []\n") ==
        "config.yml:2:10: storage.tiers: no tiers; the first must be `- resolution: raw`");
  CHECK(parse_config_error("storage:\n  tiers: {raw: 7d}\n") ==
        "config.yml:2:10: storage.tiers: expected a sequence, got a mapping");
  CHECK(parse_config_error(with_tiers("    - retention: 7d\n")) ==
        "config.yml:3:7: storage.tiers[0]: missing required field \"resolution\"");
  CHECK(parse_config_error(with_tiers("    - resolution: raw\n")) ==
        "config.yml:3:7: storage.tiers[0]: missing required field \"retention\"");
  CHECK(parse_config_error(with_tiers("    - {resolution: raw, retention: 7d, keep: yes}\n")) ==
        "config.yml:3:40: unknown field \"keep\" in storage.tiers[0]");
  CHECK(parse_config_error(with_tiers("    - {resolution: 5m, retention: 7d}\n")) ==
        "config.yml:3:20: storage.tiers[0].resolution: the first tier must be raw, got 5m");
  CHECK(parse_config_error(with_tiers("    - {resolution: raw, retention: 7d}\n"
                                      "    - {resolution: raw, retention: 30d}\n")) ==
        "config.yml:4:20: storage.tiers[1].resolution: only the first tier can be raw");
  CHECK(parse_config_error(with_tiers("    - {resolution: raw, retention: 7d}\n"
                                      "    - {resolution: 0s, retention: 30d}\n")) ==
        "config.yml:4:20: storage.tiers[1].resolution: must be positive (raw data is "
        "`resolution: raw`)");
  CHECK(parse_config_error(with_tiers("    - {resolution: raw, retention: 7d}\n"
                                      "    - {resolution: 5 minutes, retention: 30d}\n")) ==
        "config.yml:4:20: storage.tiers[1].resolution: unknown unit \" minutes\" in duration \"5 "
        "minutes\"");
  CHECK(parse_config_error(with_tiers("    - {resolution: raw, retention: 0s}\n")) ==
        "config.yml:3:36: storage.tiers[0].retention: must be positive");
  CHECK(parse_config_error(
            with_tiers("    - {resolution: raw, retention: 7d, block_duration: 4h}\n")) ==
        "config.yml:3:56: storage.tiers[0].block_duration: raw blocks are set by "
        "storage.block_duration");
}

TEST_CASE("storage config: tiers grow coarser and keep data longer", "[storage_config]") {
  const std::string raw = "    - {resolution: raw, retention: 7d}\n";
  CHECK(
      parse_config_error(with_tiers(raw + "    - {resolution: 1h, retention: 30d}\n" +
                                    "    - {resolution: 5m, retention: 365d}\n")) ==
      "config.yml:5:20: storage.tiers[2].resolution: 5m is not coarser than the tier before's 1h");
  CHECK(
      parse_config_error(with_tiers(raw + "    - {resolution: 1h, retention: 30d}\n" +
                                    "    - {resolution: 1h, retention: 365d}\n")) ==
      "config.yml:5:20: storage.tiers[2].resolution: 1h is not coarser than the tier before's 1h");
  CHECK(
      parse_config_error(with_tiers(raw + "    - {resolution: 5m, retention: 30d}\n" +
                                    "    - {resolution: 7m, retention: 365d}\n")) ==
      "config.yml:5:20: storage.tiers[2].resolution: 7m is not a multiple of the tier before's 5m");
  CHECK(parse_config_error(with_tiers(raw + "    - {resolution: 5m, retention: 3d}\n")) ==
        "config.yml:4:35: storage.tiers[1].retention: 3d is shorter than the tier before's 7d; a "
        "coarser tier must keep data at least as long");
  CHECK(
      parse_config_error(with_tiers(raw + "    - {resolution: 5m, retention: 30d, block_duration: "
                                          "1h1m}\n")) ==
      "config.yml:4:56: storage.tiers[1].block_duration: 1h1m is not a multiple of the "
      "resolution 5m");
  CHECK(
      parse_config_error(with_tiers(raw + "    - {resolution: 5m, retention: 30d, block_duration: "
                                          "5h}\n")) ==
      "config.yml:4:56: storage.tiers[1].block_duration: 5h is not a multiple of the tier "
      "before's block duration 2h");
  // Equal retentions are allowed.
  CHECK(parse_config_ok(with_tiers(raw + "    - {resolution: 5m, retention: 7d}\n"))
            .storage.tiers.size() == 2);
}

TEST_CASE("storage config: a downsampled tier's default block length", "[storage_config]") {
  // Rounded up to whole finer blocks and whole windows: 288 x 5m = 24h is 8
  // blocks of 3h; 288 x 7m = 33.6h becomes 42h, twice lcm(7m, 3h) = 21h.
  CHECK(mc::default_tier_block_duration(5min, 3h) == 24h);
  CHECK(mc::default_tier_block_duration(7min, 3h) == 42h);
  CHECK(mc::default_tier_block_duration(5min, 2h) == 24h);
  CHECK(mc::default_tier_block_duration(1h, 24h) == 12 * kDay);
}
