// Service discovery in the real daemon: a file_sd file written next to the
// config reaches the scrape pool within a second, a bad file keeps the
// targets, SIGHUP reloads go through the same sync (unchanged loops kept), a
// failed reload keeps the running config, and two daemons sharded with
// hashmod over one file_sd list scrape disjoint sets whose union is the list.
#include <signal.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "tests/support/child_process.hpp"
#include "tests/support/daemon_runner.hpp"
#include "tests/support/http_test_server.hpp"
#include "tests/support/temp_dir.hpp"

namespace mc::test {
namespace {

using namespace std::chrono_literals;

constexpr auto kSettle = 30s;  // two shared cores
const char* kPage = "# TYPE sd_test_value gauge\nsd_test_value 1\n";

struct Fleet {
  explicit Fleet(int size) {
    for (int i = 0; i < size; ++i) {
      servers.push_back(std::make_unique<HttpTestServer>());
      servers.back()->set_response("/metrics", TestResponse{.body = kPage});
    }
  }
  // A file_sd JSON list of servers [first, end).
  std::string json(size_t first, size_t end) const {
    std::string list;
    for (size_t i = first; i < end; ++i) {
      list += (list.empty() ? "\"" : ", \"") + servers[i]->address() + "\"";
    }
    return fmt::format(R"([{{"targets": [{}], "labels": {{"team": "sd"}}}}])", list);
  }
  std::vector<std::unique_ptr<HttpTestServer>> servers;
};

void write_atomically(const std::filesystem::path& path, const std::string& content) {
  auto temporary = path;
  temporary += ".tmp";
  std::ofstream(temporary) << content;
  std::filesystem::rename(temporary, path);
}

std::optional<double> targets_of(const DaemonRunner& daemon, const std::string& job) {
  return exposed_value(daemon.metrics(),
                       fmt::format("metrics_collector_targets{{job=\"{}\"}}", job));
}

constexpr const char* kFileJob =
    "scrape_configs:\n"
    "  - job_name: files\n"
    "    scrape_interval: 1s\n"
    "    scrape_timeout: 500ms\n"
    "    file_sd_configs:\n"
    "      - files: [sd/*.json]\n";

TEST_CASE("daemon: a file_sd change reaches the scrape pool within a second", "[sd][daemon]") {
  Fleet fleet(4);
  DaemonRunner daemon(kFileJob);
  const auto sd_dir = daemon.config_file().parent_path() / "sd";
  // The directory does not exist at start: the discoverer looks for it every second.
  std::filesystem::create_directories(sd_dir);
  write_atomically(sd_dir / "a.json", fleet.json(0, 2));
  REQUIRE(wait_until([&] { return targets_of(daemon, "files") == 2.0; }, kSettle));
  REQUIRE(wait_until(
      [&] {
        return exposed_value(daemon.metrics(), fmt::format("up{{instance=\"{}\",job=\"files\","
                                                           "team=\"sd\"}}",
                                                           fleet.servers[1]->address())) == 1.0;
      },
      kSettle));

  for (size_t count : {4u, 1u, 3u}) {
    write_atomically(sd_dir / "a.json", fleet.json(0, count));
    const auto written = std::chrono::steady_clock::now();
    REQUIRE(wait_until([&] { return targets_of(daemon, "files") == double(count); }, 5s));
    CHECK(std::chrono::steady_clock::now() - written < 1s);
  }
  CHECK(exposed_value(daemon.metrics(),
                      "metrics_collector_sd_discovered_targets{config=\"files\"}") == 3.0);

  // A bad file: logged naming the file, its targets stay.
  write_atomically(sd_dir / "a.json", "[{\"targets\": [\"x:1\"]");
  REQUIRE(wait_until(
      [&] {
        return exposed_value(daemon.metrics(), "metrics_collector_sd_file_read_errors_total") ==
               1.0;
      },
      5s));
  CHECK_THAT(daemon.log(), Catch::Contains("file_sd: error reading file"));
  CHECK_THAT(daemon.log(), Catch::Contains((sd_dir / "a.json").string() + ":1:"));
  CHECK(targets_of(daemon, "files") == 3.0);

  // Deleted: its targets go.
  std::filesystem::remove(sd_dir / "a.json");
  CHECK(wait_until([&] { return targets_of(daemon, "files") == 0.0; }, 5s));
  REQUIRE(daemon.stop() == 0);
}

TEST_CASE(
    "daemon: SIGHUP goes through the discovery sync and keeps unchanged loops; a failed "
    "reload keeps the running config",
    "[sd][daemon][reload]") {
  Fleet fleet(4);
  TempDir sd;
  const auto list = sd.write_file("targets.json", fleet.json(0, 3));
  const std::string config = fmt::format(
      "scrape_configs:\n  - job_name: files\n    scrape_interval: 1s\n"
      "    scrape_timeout: 500ms\n    file_sd_configs:\n      - files: [{}]\n",
      list.string());
  DaemonRunner daemon(config);
  REQUIRE(wait_until(
      [&] {
        for (size_t i = 0; i < 3; ++i) {
          if (fleet.servers[i]->request_count("/metrics") < 2) return false;
        }
        return true;
      },
      kSettle));

  // Another job beside it: the discovered targets of the first are kept, not re-added.
  std::ofstream(daemon.config_file())
      << config + fmt::format(
                      "  - job_name: other\n    scrape_interval: 1s\n"
                      "    scrape_timeout: 500ms\n    static_configs:\n"
                      "      - targets: [\"{}\"]\n",
                      fleet.servers[3]->address());
  ::kill(daemon.pid(), SIGHUP);
  REQUIRE(wait_until(
      [&] {
        return daemon.log().find("completed loading of configuration file") != std::string::npos;
      },
      kSettle));
  CHECK_THAT(daemon.log(), Catch::Contains("targets_kept=3 targets_added=1 targets_removed=0"));
  CHECK(targets_of(daemon, "files") == 3.0);
  CHECK(exposed_value(daemon.metrics(), "metrics_collector_config_last_reload_successful") == 1.0);

  // A config that does not load: the old one goes on, discovery included.
  std::ofstream(daemon.config_file()) << config + "    file_sd_configs_typo: []\n";
  ::kill(daemon.pid(), SIGHUP);
  REQUIRE(wait_until(
      [&] {
        return exposed_value(daemon.metrics(), "metrics_collector_config_last_reload_successful") ==
               0.0;
      },
      kSettle));
  CHECK_THAT(daemon.log(), Catch::Contains("error reloading config, keeping the old one"));
  CHECK(targets_of(daemon, "other") == 1.0);
  write_atomically(list, fleet.json(0, 2));
  CHECK(wait_until([&] { return targets_of(daemon, "files") == 2.0; }, 5s));
  REQUIRE(daemon.stop() == 0);
}

TEST_CASE(
    "daemon: POST /-/reload to another file_sd list restarts its discoverer; the targets "
    "both lists share keep their loops",
    "[sd][daemon][reload]") {
  Fleet fleet(3);
  TempDir sd;
  const auto first = sd.write_file("first.json", fleet.json(0, 2));
  const auto second = sd.write_file("second.json", fleet.json(1, 3));
  auto config = [](const std::filesystem::path& list) {
    return fmt::format(
        "scrape_configs:\n  - job_name: files\n    scrape_interval: 1s\n"
        "    scrape_timeout: 500ms\n    file_sd_configs:\n      - files: [{}]\n",
        list.string());
  };
  DaemonRunner daemon(config(first), {"--web.enable-lifecycle"});
  REQUIRE(wait_until([&] { return targets_of(daemon, "files") == 2.0; }, kSettle));

  std::ofstream(daemon.config_file()) << config(second);
  HttpRequestOptions post;
  post.method = "POST";
  CHECK(http_request(daemon.base_url() + "/-/reload", post).status == 200);
  // Servers 0 and 1 until the new discoverer's first read, then 1 and 2:
  // 0 is no longer scraped, 1 goes on, 2 starts.
  REQUIRE(wait_until(
      [&] {
        return exposed_value(daemon.metrics(),
                             fmt::format("up{{instance=\"{}\",job=\"files\",team=\"sd\"}}",
                                         fleet.servers[2]->address())) == 1.0;
      },
      kSettle));
  CHECK(targets_of(daemon, "files") == 2.0);
  const int zero_requests = fleet.servers[0]->request_count("/metrics");
  const int one_requests = fleet.servers[1]->request_count("/metrics");
  REQUIRE(wait_until(
      [&] { return fleet.servers[1]->request_count("/metrics") >= one_requests + 2; }, kSettle));
  CHECK(fleet.servers[0]->request_count("/metrics") == zero_requests);
  REQUIRE(daemon.stop() == 0);
  CHECK_THAT(daemon.log(), Catch::Contains("completed loading of configuration file"));
}

TEST_CASE(
    "hashmod sharding: two daemons with modulus 2 scrape disjoint halves of one file_sd "
    "list",
    "[sd][daemon][sharding]") {
  constexpr int kTargets = 16;
  Fleet fleet(kTargets);
  TempDir sd;
  const auto list = sd.write_file("targets.json", fleet.json(0, kTargets));
  auto shard_config = [&](int shard) {
    return fmt::format(
        "scrape_configs:\n"
        "  - job_name: sharded\n"
        "    scrape_interval: 1s\n"
        "    scrape_timeout: 500ms\n"
        "    file_sd_configs:\n"
        "      - files: [{}]\n"
        "    relabel_configs:\n"
        "      - source_labels: [__address__]\n"
        "        modulus: 2\n"
        "        target_label: __tmp_hash\n"
        "        action: hashmod\n"
        "      - source_labels: [__tmp_hash]\n"
        "        regex: \"{}\"\n"
        "        action: keep\n",
        list.string(), shard);
  };
  DaemonRunner shard0(shard_config(0));
  DaemonRunner shard1(shard_config(1));
  auto scraped_by = [&](const DaemonRunner& daemon) {
    std::set<std::string> instances;
    const std::string body = daemon.metrics();
    for (const auto& server : fleet.servers) {
      auto up = exposed_value(body, fmt::format("up{{instance=\"{}\",job=\"sharded\",team=\"sd\"}}",
                                                server->address()));
      if (up == 1.0) instances.insert(server->address());
    }
    return instances;
  };
  std::set<std::string> first, second;
  REQUIRE(wait_until(
      [&] {
        first = scraped_by(shard0);
        second = scraped_by(shard1);
        return first.size() + second.size() == kTargets;
      },
      kSettle));
  CHECK(targets_of(shard0, "sharded") == double(first.size()));
  CHECK(targets_of(shard1, "sharded") == double(second.size()));
  CHECK_FALSE(first.empty());
  CHECK_FALSE(second.empty());
  std::set<std::string> both;
  for (const auto& instance : first) {
    CHECK_FALSE(second.contains(instance));
    both.insert(instance);
  }
  both.insert(second.begin(), second.end());
  CHECK(both.size() == kTargets);
  // Each server was scraped by one daemon only: the other never asked.
  CHECK(shard0.stop() == 0);
  CHECK(shard1.stop() == 0);
}

}  // namespace
}  // namespace mc::test
