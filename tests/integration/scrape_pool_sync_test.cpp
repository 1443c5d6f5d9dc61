// ScrapeManager::sync called from other threads while the scheduler scrapes,
// as service discovery will call it: real targets on 127.0.0.1, the manager
// in-process on the in-memory head.
#include <fmt/format.h>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include <prometheus/registry.h>

#include "collector/scrape/scrape_manager.hpp"
#include "common/model/sample_value.hpp"
#include "common/store/head_storage.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/config_parsing.hpp"
#include "tests/support/http_test_server.hpp"
#include "tests/support/store_reading.hpp"

namespace mc::test {
namespace {

using namespace std::chrono_literals;

constexpr int kServers = 6;
constexpr int kSyncsPerThread = 100;

std::vector<TargetGroup> groups_of(const std::vector<std::unique_ptr<HttpTestServer>>& servers,
                                   int first, int end) {
  StaticConfig group;
  for (int i = first; i < end; ++i) group.targets.push_back(servers[i]->address());
  return static_target_groups({group});
}

Labels value_series(const std::string& instance) {
  LabelsBuilder builder;
  builder.set("__name__", "sync_test_value");
  builder.set("instance", instance);
  builder.set("job", "fleet");
  return builder.labels();
}

TEST_CASE("syncs from two threads while scraping leave exactly the last target list",
          "[scrape_sync]") {
  std::vector<std::unique_ptr<HttpTestServer>> servers;
  for (int i = 0; i < kServers; ++i) {
    servers.push_back(std::make_unique<HttpTestServer>());
    servers.back()->set_response("/metrics", TestResponse{.body = "sync_test_value 1\n"});
  }
  std::string targets;
  for (const auto& server : servers) {
    targets += (targets.empty() ? "\"" : ", \"") + server->address() + "\"";
  }
  HeadStorage storage;
  prometheus::Registry registry;
  ScrapeManager manager(
      parse_config_ok(fmt::format("scrape_configs:\n  - job_name: fleet\n    scrape_interval: 1s\n"
                                  "    scrape_timeout: 500ms\n    static_configs:\n"
                                  "      - targets: [{}]\n",
                                  targets)),
      storage, registry);
  manager.start();
  REQUIRE(wait_until(
      [&] {
        for (const auto& server : servers) {
          if (server->request_count("/metrics") < 1) return false;
        }
        return true;
      },
      15s));

  // Two "discovery" threads, each switching between two lists. Catch2 asserts
  // on the test's thread only: the threads count what failed.
  std::atomic<int> failed_syncs = 0;
  auto churn = [&](int first, int end) {
    for (int i = 0; i < kSyncsPerThread; ++i) {
      auto synced = manager.sync(
          "fleet", i % 2 == 0 ? groups_of(servers, first, end) : groups_of(servers, 0, kServers));
      if (!synced) ++failed_syncs;
    }
  };
  std::thread one(churn, 0, 4);
  std::thread two(churn, 2, kServers);
  one.join();
  two.join();
  CHECK(failed_syncs == 0);

  auto last = manager.sync("fleet", groups_of(servers, 0, 3));
  REQUIRE(last);
  CHECK(manager.target_count() == 3);
  std::vector<int> requests;
  for (const auto& server : servers) requests.push_back(server->request_count("/metrics"));
  REQUIRE(wait_until(
      [&] {
        for (int i = 0; i < 3; ++i) {
          if (servers[i]->request_count("/metrics") < requests[i] + 2) return false;
        }
        return true;
      },
      15s));
  // The targets left out are not scraped any more, and their series are stale.
  for (int i = 3; i < kServers; ++i) CHECK(servers[i]->request_count("/metrics") == requests[i]);
  auto latest = latest_samples(storage);
  for (int i = 0; i < kServers; ++i) {
    INFO(servers[i]->address());
    auto found = latest.find(value_series(servers[i]->address()));
    REQUIRE(found != latest.end());
    if (i < 3) {
      CHECK(found->second.v == 1.0);
    } else {
      CHECK(is_stale_nan(found->second.v));
    }
  }
  manager.stop();
}

}  // namespace
}  // namespace mc::test
