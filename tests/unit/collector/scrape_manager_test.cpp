// ScrapeManager::apply_config and sync without starting the scheduler (no
// network): which loops a config change keeps, adds, restarts and removes.
#include "collector/scrape/scrape_manager.hpp"

#include <catch2/catch.hpp>

#include <prometheus/registry.h>

#include "common/store/head_storage.hpp"
#include "tests/support/config_parsing.hpp"

namespace mc {
namespace {

using test::parse_config_ok;

constexpr const char* kTwoJobs =
    "scrape_configs:\n"
    "  - job_name: a\n"
    "    static_configs:\n"
    "      - targets: [\"h1:9100\", \"h2:9100\"]\n"
    "  - job_name: b\n"
    "    static_configs:\n"
    "      - targets: [\"h3:9100\"]\n";

TEST_CASE("apply_config keeps unchanged targets and changes only what changed",
          "[scrape_manager]") {
  HeadStorage storage;
  prometheus::Registry registry;
  ScrapeManager manager(storage, registry);

  auto first = manager.apply_config(parse_config_ok(kTwoJobs));
  CHECK(first.jobs_added == 2);
  CHECK(first.targets_added == 3);
  CHECK(manager.target_count() == 3);

  auto same = manager.apply_config(parse_config_ok(kTwoJobs));
  CHECK(same.jobs_synced == 2);
  CHECK(same.targets_kept == 3);
  CHECK(same.targets_added + same.targets_removed + same.jobs_restarted == 0);

  // h2 leaves, h4 comes, h1 is listed twice and kept once; h3 gains a label,
  // which makes it another target.
  auto moved = manager.apply_config(
      parse_config_ok("scrape_configs:\n"
                      "  - job_name: a\n"
                      "    static_configs:\n"
                      "      - targets: [\"h1:9100\", \"h4:9100\", \"h1:9100\"]\n"
                      "  - job_name: b\n"
                      "    static_configs:\n"
                      "      - targets: [\"h3:9100\"]\n"
                      "        labels: {env: prod}\n"));
  CHECK(moved.targets_kept == 1);
  CHECK(moved.targets_added == 2);
  CHECK(moved.targets_removed == 2);
  CHECK(manager.target_count() == 3);

  // Another interval for b restarts its loops; a is only synced.
  auto restarted =
      manager.apply_config(parse_config_ok("scrape_configs:\n"
                                           "  - job_name: a\n"
                                           "    static_configs:\n"
                                           "      - targets: [\"h1:9100\", \"h4:9100\"]\n"
                                           "  - job_name: b\n"
                                           "    scrape_interval: 5s\n"
                                           "    static_configs:\n"
                                           "      - targets: [\"h3:9100\"]\n"
                                           "        labels: {env: prod}\n"));
  CHECK(restarted.jobs_restarted == 1);
  CHECK(restarted.jobs_synced == 1);
  CHECK(restarted.targets_kept == 2);
  CHECK(restarted.targets_added == 1);
  CHECK(restarted.targets_removed == 1);

  auto removed =
      manager.apply_config(parse_config_ok("scrape_configs:\n"
                                           "  - job_name: a\n"
                                           "    static_configs:\n"
                                           "      - targets: [\"h1:9100\", \"h4:9100\"]\n"));
  CHECK(removed.jobs_removed == 1);
  CHECK(removed.targets_removed == 1);
  CHECK(manager.target_count() == 2);
}

TEST_CASE("sync replaces one job's targets and refuses an unknown job", "[scrape_manager]") {
  HeadStorage storage;
  prometheus::Registry registry;
  ScrapeManager manager(parse_config_ok(kTwoJobs), storage, registry);

  auto synced = manager.sync("a", static_target_groups({StaticConfig{{"h2:9100", "h5:9100"}, {}}}));
  REQUIRE(synced);
  CHECK(synced->kept == 1);
  CHECK(synced->added == 1);
  CHECK(synced->removed == 1);
  CHECK(manager.target_count() == 3);

  auto unknown = manager.sync("nope", static_target_groups({StaticConfig{{"h9:9100"}, {}}}));
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error() == "cannot sync targets: no scrape config has job_name \"nope\"");
  CHECK(manager.target_count() == 3);
}

}  // namespace
}  // namespace mc
