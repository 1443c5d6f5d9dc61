// A reload of the real daemon changes only what changed: targets that stay keep
// their loops (series caches, staleness state), a new target starts, a removed
// one's series are marked stale at once. Read back from the daemon's own store
// after it stops, so every scrape's report samples count, not only the last.
#include <signal.h>

#include <fmt/format.h>
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <memory>
#include <vector>

#include "common/model/labels.hpp"
#include "common/model/sample_value.hpp"
#include "common/store/disk_storage.hpp"
#include "common/util/wall_clock.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/daemon_runner.hpp"
#include "tests/support/http_test_server.hpp"
#include "tests/support/store_reading.hpp"

namespace mc::test {
namespace {

using namespace std::chrono_literals;

constexpr auto kSettle = 30s;  // 51 targets on two shared cores
constexpr int kTargets = 50;

const char* kPage =
    "# TYPE reload_test_value gauge\n"
    "reload_test_value{k=\"a\"} 1\n"
    "reload_test_value{k=\"b\"} 2\n";

std::string fleet_config(const std::vector<std::unique_ptr<HttpTestServer>>& servers, size_t first,
                         size_t end) {
  std::string list;
  for (size_t i = first; i < end; ++i) {
    list += (list.empty() ? "\"" : ", \"") + servers[i]->address() + "\"";
  }
  return fmt::format(
      "scrape_configs:\n  - job_name: fleet\n    scrape_interval: 1s\n    scrape_timeout: 500ms\n"
      "    static_configs:\n      - targets: [{}]\n",
      list);
}

Labels series(const std::string& name, const std::string& instance,
              const std::vector<Label>& extra = {}) {
  LabelsBuilder builder;
  builder.set("__name__", name);
  builder.set("instance", instance);
  builder.set("job", "fleet");
  for (const auto& label : extra) builder.set(label.name, label.value);
  return builder.labels();
}

std::string up_series(const std::string& instance) {
  return fmt::format("up{{instance=\"{}\",job=\"fleet\"}}", instance);
}

TEST_CASE("a reload that changes one target of fifty keeps the other 49 loops", "[reload]") {
  std::vector<std::unique_ptr<HttpTestServer>> servers;
  for (int i = 0; i <= kTargets; ++i) {
    servers.push_back(std::make_unique<HttpTestServer>());
    servers.back()->set_response("/metrics", TestResponse{.body = kPage});
  }
  const std::string removed = servers.front()->address();
  const std::string added = servers.back()->address();
  DaemonRunner daemon(fleet_config(servers, 0, kTargets));

  // Every target scraped at least twice: the caches are warm.
  bool warm = wait_until(
      [&] {
        for (int i = 0; i < kTargets; ++i) {
          if (servers[i]->request_count("/metrics") < 2) return false;
        }
        return true;
      },
      kSettle);
  REQUIRE(warm);
  std::vector<int> requests_before(kTargets + 1);
  for (int i = 0; i <= kTargets; ++i) requests_before[i] = servers[i]->request_count("/metrics");

  std::ofstream(daemon.config_file()) << fleet_config(servers, 1, kTargets + 1);
  const int64_t reload_sent_ms = wall_clock_ms();
  ::kill(daemon.pid(), SIGHUP);
  REQUIRE(wait_until(
      [&] {
        return daemon.log().find("msg=\"completed loading of configuration file\"") !=
               std::string::npos;
      },
      kSettle));
  const int64_t reload_done_ms = wall_clock_ms();
  const int removed_requests = servers.front()->request_count("/metrics");
  CHECK_THAT(daemon.log(), Catch::Contains("targets_kept=49 targets_added=1 targets_removed=1"));

  // The removed target's series leave /metrics at once (stale markers), the new
  // one is scraped, and the 49 go on being scraped.
  const std::string removed_value =
      fmt::format("reload_test_value{{instance=\"{}\",job=\"fleet\",k=\"a\"}}", removed);
  std::string body = daemon.metrics();
  CHECK_FALSE(exposed_value(body, up_series(removed)).has_value());
  CHECK_FALSE(exposed_value(body, removed_value).has_value());
  bool continued = wait_until(
      [&] {
        if (exposed_value(daemon.metrics(), up_series(added)) != 1.0) return false;
        for (int i = 1; i < kTargets; ++i) {
          if (servers[i]->request_count("/metrics") < requests_before[i] + 2) return false;
        }
        return true;
      },
      kSettle);
  REQUIRE(continued);
  // The removed target's loop is gone: no request since the reload.
  CHECK(servers.front()->request_count("/metrics") == removed_requests);
  const int64_t stop_ms = wall_clock_ms();
  REQUIRE(daemon.stop() == 0);

  DiskStorageOptions options;
  options.dir = daemon.config_file().parent_path() / "data";
  auto opened = DiskStorage::open(options);
  REQUIRE(opened);
  Storage& store = **opened;

  // The 49: one scrape added their series, before the reload; every later one,
  // across the reload, added none and marked nothing stale. Only the shutdown
  // ends them.
  for (int i = 1; i < kTargets; ++i) {
    const std::string instance = servers[i]->address();
    INFO("kept target " << instance);
    auto added_series = samples_of(store, series("scrape_series_added", instance));
    REQUIRE(added_series.size() >= 4);
    CHECK(added_series.front().v == 2.0);
    int after_reload = 0;
    for (size_t s = 1; s + 1 < added_series.size(); ++s) {
      CHECK(added_series[s].v == 0.0);
      if (added_series[s].t_ms > reload_done_ms) ++after_reload;
    }
    CHECK(after_reload >= 1);
    CHECK(is_stale_nan(added_series.back().v));
    CHECK(added_series.back().t_ms >= stop_ms);
    auto values = samples_of(store, series("reload_test_value", instance, {{"k", "a"}}));
    REQUIRE(values.size() >= 4);
    for (size_t s = 0; s + 1 < values.size(); ++s) CHECK(values[s].v == 1.0);
  }

  // The new target: its first scrape added its two series and up.
  auto new_added = samples_of(store, series("scrape_series_added", added));
  REQUIRE(!new_added.empty());
  CHECK(new_added.front().v == 2.0);
  CHECK(new_added.front().t_ms >= reload_sent_ms);

  // The removed target: its series end in a stale marker written by the reload.
  for (const Labels& labels :
       {series("reload_test_value", removed, {{"k", "a"}}),
        series("reload_test_value", removed, {{"k", "b"}}), series("up", removed)}) {
    INFO(labels.to_string());
    auto samples = samples_of(store, labels);
    REQUIRE(samples.size() >= 2);
    CHECK(is_stale_nan(samples.back().v));
    CHECK(samples.back().t_ms >= reload_sent_ms);
    CHECK(samples.back().t_ms <= reload_done_ms);
    for (size_t s = 0; s + 1 < samples.size(); ++s) CHECK_FALSE(is_stale_nan(samples[s].v));
  }
}

TEST_CASE("a reload restarts a job whose settings changed and stops a job that left", "[reload]") {
  HttpTestServer kept, leaving;
  kept.set_response("/metrics", TestResponse{.body = kPage});
  leaving.set_response("/metrics", TestResponse{.body = kPage});
  auto job = [](const std::string& name, const std::string& target, const std::string& extra) {
    return fmt::format(
        "  - job_name: {}\n    scrape_interval: 1s\n    scrape_timeout: 500ms\n{}"
        "    static_configs:\n      - targets: [\"{}\"]\n",
        name, extra, target);
  };
  DaemonRunner daemon("scrape_configs:\n" + job("fleet", kept.address(), "") +
                      job("gone", leaving.address(), ""));
  REQUIRE(wait_until(
      [&] { return kept.request_count("/metrics") >= 2 && leaving.request_count("/metrics") >= 2; },
      kSettle));

  std::ofstream(daemon.config_file())
      << "scrape_configs:\n" + job("fleet", kept.address(), "    sample_limit: 100\n");
  const int64_t reload_sent_ms = wall_clock_ms();
  ::kill(daemon.pid(), SIGHUP);
  REQUIRE(wait_until(
      [&] {
        return daemon.log().find("msg=\"completed loading of configuration file\"") !=
               std::string::npos;
      },
      kSettle));
  const int64_t reload_done_ms = wall_clock_ms();
  CHECK_THAT(daemon.log(), Catch::Contains("jobs_added=0 jobs_removed=1 jobs_restarted=1"));
  CHECK(exposed_value(daemon.metrics(), "metrics_collector_targets{job=\"gone\"}") == 0.0);
  CHECK(exposed_value(daemon.metrics(), "metrics_collector_targets{job=\"fleet\"}") == 1.0);
  const int requests = kept.request_count("/metrics");
  REQUIRE(wait_until([&] { return kept.request_count("/metrics") >= requests + 2; }, kSettle));
  REQUIRE(daemon.stop() == 0);

  DiskStorageOptions options;
  options.dir = daemon.config_file().parent_path() / "data";
  auto opened = DiskStorage::open(options);
  REQUIRE(opened);
  Storage& store = **opened;

  // The restarted loop began with an empty cache, so it added the series
  // again; but they went on without a stale marker in between.
  auto added_series = samples_of(store, series("scrape_series_added", kept.address()));
  int additions = 0;
  for (const auto& sample : added_series) {
    if (sample.v == 2.0) {
      ++additions;
      if (additions == 2) CHECK(sample.t_ms >= reload_sent_ms);
    }
  }
  CHECK(additions == 2);
  auto values = samples_of(store, series("reload_test_value", kept.address(), {{"k", "a"}}));
  REQUIRE(values.size() >= 4);
  for (size_t s = 0; s + 1 < values.size(); ++s) CHECK_FALSE(is_stale_nan(values[s].v));

  // The job that left: its series end with the reload.
  LabelsBuilder gone;
  gone.set("__name__", "up");
  gone.set("instance", leaving.address());
  gone.set("job", "gone");
  auto up = samples_of(store, gone.labels());
  REQUIRE(up.size() >= 2);
  CHECK(is_stale_nan(up.back().v));
  CHECK(up.back().t_ms >= reload_sent_ms);
  CHECK(up.back().t_ms <= reload_done_ms);
}

}  // namespace
}  // namespace mc::test
