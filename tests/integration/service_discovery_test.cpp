// Service discovery with real parts: files written, renamed and deleted in a
// temporary directory (inotify), HTTP servers and a DNS responder on
// 127.0.0.1, and the DiscoveryManager feeding a real ScrapeManager (its
// target count is the pool's).
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include "collector/discovery/discovery_manager.hpp"
#include "collector/discovery/dns_sd_discoverer.hpp"
#include "collector/discovery/file_sd_discoverer.hpp"
#include "collector/discovery/http_sd_discoverer.hpp"
#include "collector/discovery/target_group_parser.hpp"
#include "collector/scrape/scrape_manager.hpp"
#include "common/store/head_storage.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/config_parsing.hpp"
#include "tests/support/daemon_runner.hpp"
#include "tests/support/dns_test_server.hpp"
#include "tests/support/http_test_server.hpp"
#include "tests/support/temp_dir.hpp"

namespace mc::test {
namespace {

using namespace std::chrono_literals;

// Collects what a discoverer publishes, merged by source as the manager does.
class Published {
 public:
  Discoverer::Publish publish() {
    return [this](std::vector<TargetGroup> changed) {
      std::lock_guard lock(mutex_);
      ++calls_;
      for (auto& group : changed) {
        if (group.targets.empty()) {
          groups_.erase(group.source);
        } else {
          groups_[group.source] = group;
        }
      }
    };
  }
  // Every __address__, sorted.
  std::vector<std::string> addresses() const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (const auto& [source, group] : groups_) {
      for (const auto& target : group.targets) {
        for (const auto& label : target) {
          if (label.name == "__address__") out.push_back(label.value);
        }
      }
    }
    std::ranges::sort(out);
    return out;
  }
  std::map<std::string, TargetGroup> groups() const {
    std::lock_guard lock(mutex_);
    return groups_;
  }
  int calls() const {
    std::lock_guard lock(mutex_);
    return calls_;
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, TargetGroup> groups_;
  int calls_ = 0;
};

// Runs a discoverer on its own thread for the test's life.
class Running {
 public:
  Running(Discoverer& discoverer, Published& published)
      : thread_([&discoverer, publish = published.publish()](std::stop_token stop) {
          discoverer.run(stop, publish);
        }) {}

 private:
  std::jthread thread_;
};

using Addresses = std::vector<std::string>;

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout = 5s) {
  return wait_until(condition, timeout);
}

// Replaces a file as deploy tools do: write beside it, rename over it.
void write_atomically(const std::filesystem::path& path, const std::string& content) {
  auto temporary = path;
  temporary += ".tmp";
  std::ofstream(temporary) << content;
  std::filesystem::rename(temporary, path);
}

std::string serialize(prometheus::Registry& registry) {
  return prometheus::TextSerializer().Serialize(registry.Collect());
}

TEST_CASE("file_sd: JSON and YAML files, globs, __meta_filepath, sources per group", "[sd][file]") {
  TempDir dir;
  dir.write_file("a.json", R"([{"targets": ["a1:9100", "a2:9100"], "labels": {"env": "prod"}},
                               {"targets": ["a3:9100"]}])");
  dir.write_file("b.yml", "- targets: [b1:9100]\n  labels:\n    __metrics_path__: /m\n");
  dir.write_file("c.txt", "not matched by the glob");
  FileSdConfig config;
  config.files = {"*.json", (dir.path() / "b.yml").string()};
  FileSdDiscoverer discoverer(config, dir.path().string(), nullptr);
  Published published;
  Running running(discoverer, published);
  REQUIRE(eventually([&] { return published.addresses().size() == 4; }));
  CHECK(published.addresses() == Addresses{"a1:9100", "a2:9100", "a3:9100", "b1:9100"});
  const std::string a = (dir.path() / "a.json").string();
  const std::string b = (dir.path() / "b.yml").string();
  auto groups = published.groups();
  REQUIRE(groups.contains(a + ":0"));
  CHECK(groups[a + ":0"].labels == std::vector<Label>{{"__meta_filepath", a}, {"env", "prod"}});
  CHECK(groups[a + ":1"].labels == std::vector<Label>{{"__meta_filepath", a}});
  CHECK(groups[b + ":0"].labels ==
        std::vector<Label>{{"__meta_filepath", b}, {"__metrics_path__", "/m"}});

  // A new file matching the glob is found by inotify, well before the 5m refresh.
  dir.write_file("d.json", R"([{"targets": ["d1:9100"]}])");
  CHECK(eventually([&] { return published.addresses().size() == 5; }, 2s));
}

TEST_CASE("file_sd: atomic rename, edit in place, fewer groups, delete", "[sd][file]") {
  TempDir dir;
  const auto path = dir.write_file("t.json", R"([{"targets": ["x:1"]}, {"targets": ["y:1"]}])");
  FileSdConfig config;
  config.files = {path.string()};
  FileSdDiscoverer discoverer(config, "", nullptr);
  Published published;
  Running running(discoverer, published);
  REQUIRE(eventually([&] { return published.addresses() == Addresses{"x:1", "y:1"}; }));

  write_atomically(path, R"([{"targets": ["x:1", "z:1"]}])");
  // The group the file no longer has is removed with an empty group.
  CHECK(eventually([&] { return published.addresses() == Addresses{"x:1", "z:1"}; }, 1s));

  std::ofstream(path, std::ios::trunc) << R"([{"targets": ["w:1"]}])";
  CHECK(eventually([&] { return published.addresses() == Addresses{"w:1"}; }, 1s));

  std::filesystem::remove(path);
  CHECK(eventually([&] { return published.addresses().empty(); }, 1s));
}

TEST_CASE("file_sd: a bad file keeps its last targets and counts a read error", "[sd][file]") {
  TempDir dir;
  prometheus::Registry registry;
  DiscoveryMetrics metrics(registry);
  const auto good = dir.write_file("good.yaml", "- targets: [g:1]\n");
  const auto path = dir.write_file("t.yaml", "- targets: [x:1]\n");
  FileSdConfig config;
  config.files = {(dir.path() / "*.yaml").string()};
  FileSdDiscoverer discoverer(config, "", &metrics);
  Published published;
  Running running(discoverer, published);
  REQUIRE(eventually([&] { return published.addresses() == Addresses{"g:1", "x:1"}; }));

  // As Prometheus 2.42: the file's last good groups stay.
  write_atomically(path, "- targets: [y:1]\n  lables: {a: b}\n");
  REQUIRE(eventually([&] {
    return exposed_value(serialize(registry), "metrics_collector_sd_file_read_errors_total") >= 1.0;
  }));
  CHECK(published.addresses() == Addresses{"g:1", "x:1"});

  // Fixed: the new targets come.
  write_atomically(path, "- targets: [y:1]\n");
  CHECK(eventually([&] { return published.addresses() == Addresses{"g:1", "y:1"}; }, 1s));
}

TEST_CASE("file_sd: parse errors name the file, line and column", "[sd][file]") {
  auto json = parse_target_groups("[{\"targets\": [\"a:1\"]},\n {\"targets\": \"b\"}]",
                                  "/etc/sd/t.json", TargetGroupFormat::json);
  REQUIRE_FALSE(json);
  CHECK(json.error() == "/etc/sd/t.json:2:14: target group 1: targets: expected a list of strings");
  auto yaml =
      parse_target_groups("- targets: [a:1]\n  lables: {}\n", "t.yml", TargetGroupFormat::yaml);
  REQUIRE_FALSE(yaml);
  CHECK(yaml.error() == "t.yml:2:3: target group 0: unknown key \"lables\" (want targets, labels)");
  // JSON ignores unknown keys, as Go's encoding/json does.
  CHECK(parse_target_groups(R"([{"targets": ["a:1"], "extra": 1}])", "t.json",
                            TargetGroupFormat::json));
  auto syntax = parse_target_groups("[{\"targets\": [\"a:1\"]", "t.json", TargetGroupFormat::json);
  REQUIRE_FALSE(syntax);
  CHECK(syntax.error().starts_with("t.json:1:"));
  auto label = parse_target_groups(R"([{"targets": ["a:1"], "labels": {"a-b": "c"}}])", "t.json",
                                   TargetGroupFormat::json);
  REQUIRE_FALSE(label);
  CHECK(label.error() == "t.json:1:34: \"a-b\" is not a valid label name");
  auto null_group = parse_target_groups("- ~\n", "t.yml", TargetGroupFormat::yaml);
  REQUIRE_FALSE(null_group);
  CHECK(null_group.error() == "t.yml:1:3: nil target group item found");
  CHECK(parse_target_groups("", "t.json", TargetGroupFormat::json).error() ==
        "t.json: unexpected end of JSON input");
  CHECK(parse_target_groups("", "t.yml", TargetGroupFormat::yaml)->empty());
}

TEST_CASE("http_sd: groups with __meta_url, Prometheus's headers, failures keep the last groups",
          "[sd][http]") {
  HttpTestServer server;
  server.set_response("/sd", TestResponse{.content_type = "application/json",
                                          .body = R"([{"targets": ["a:1", "b:1"],
                                                       "labels": {"env": "x"}},
                                                      {"targets": ["c:1"]}])"});
  HttpSdConfig config;
  config.url = "http://" + server.address() + "/sd";
  config.refresh_interval = 200ms;
  prometheus::Registry registry;
  DiscoveryMetrics metrics(registry);
  HttpSdDiscoverer discoverer(config, &metrics);
  Published published;
  Running running(discoverer, published);
  REQUIRE(eventually([&] { return published.addresses() == Addresses{"a:1", "b:1", "c:1"}; }));
  auto groups = published.groups();
  CHECK(groups[config.url + ":0"].labels ==
        std::vector<Label>{{"__meta_url", config.url}, {"env", "x"}});
  const std::string head = server.last_request_head("/sd");
  CHECK_THAT(head, Catch::Contains("X-Prometheus-Refresh-Interval-Seconds: 0.2"));
  CHECK_THAT(head, Catch::Contains("User-Agent: metrics-collector/"));
  CHECK_THAT(head, Catch::Contains("Accept: application/json"));

  auto failures_after = [&](int requests, int failures) {
    return eventually([&] {
      return server.request_count("/sd") >= requests &&
             serialize(registry).find(fmt::format("metrics_collector_sd_http_failures_total {}",
                                                  failures)) != std::string::npos;
    });
  };
  // A 500, a body that is not JSON, a wrong content type: the groups stay.
  server.set_response("/sd", TestResponse{.status = 500, .body = "oops"});
  REQUIRE(failures_after(server.request_count("/sd") + 1, 1));
  CHECK(published.addresses() == Addresses{"a:1", "b:1", "c:1"});
  server.set_response("/sd", TestResponse{.content_type = "application/json", .body = "[{"});
  REQUIRE(failures_after(server.request_count("/sd") + 1, 2));
  server.set_response("/sd", TestResponse{.content_type = "text/plain", .body = "[]"});
  REQUIRE(failures_after(server.request_count("/sd") + 1, 3));
  CHECK(published.addresses() == Addresses{"a:1", "b:1", "c:1"});
  CHECK_THAT(serialize(registry),
             Catch::Contains("metrics_collector_sd_refresh_failures_total{mechanism=\"http\"} 3"));

  // Good again, with one group fewer: the missing source is removed.
  server.set_response("/sd", TestResponse{.content_type = "application/json; charset=utf-8",
                                          .body = R"([{"targets": ["d:1"]}])"});
  CHECK(eventually([&] { return published.addresses() == Addresses{"d:1"}; }));
}

TEST_CASE("http_sd: the errors name the URL and the reason", "[sd][http]") {
  HttpTestServer server;
  HttpSdConfig config;
  config.url = "http://" + server.address() + "/sd";
  config.refresh_interval = 300ms;
  HttpSdDiscoverer discoverer(config, nullptr);
  server.set_response("/sd", TestResponse{.status = 503, .body = ""});
  auto unavailable = discoverer.fetch({});
  REQUIRE_FALSE(unavailable);
  CHECK(unavailable.error() ==
        config.url + ": server returned HTTP status 503 Service Unavailable");
  server.set_response("/sd", TestResponse{.content_type = "application/json", .body = "[1]"});
  auto bad = discoverer.fetch({});
  REQUIRE_FALSE(bad);
  CHECK(bad.error() == config.url + ":1:2: target group 0: expected a mapping");
  server.set_response("/sd",
                      TestResponse{.content_type = "application/json", .body = "[]", .delay = 2s});
  auto slow = discoverer.fetch({});
  REQUIRE_FALSE(slow);
  CHECK_THAT(slow.error(), Catch::StartsWith(config.url + ": Timeout was reached"));
}

TEST_CASE("http_sd: the entry's HTTP client settings are applied", "[sd][http]") {
  HttpTestServer server;
  server.set_response(
      "/sd", TestResponse{.content_type = "application/json", .body = R"([{"targets": ["a:1"]}])"});
  TempDir dir;
  dir.write_file("password", "secret-1\n");
  Config config = parse_config_ok(
      fmt::format("scrape_configs:\n  - job_name: a\n    http_sd_configs:\n"
                  "      - url: http://{}/sd\n        basic_auth:\n          username: user\n"
                  "          password_file: {}\n",
                  server.address(), (dir.path() / "password").string()));
  HttpSdDiscoverer discoverer(config.scrape_configs.at(0).http_sd_configs.at(0), nullptr);
  REQUIRE(discoverer.fetch({}));
  // base64("user:secret-1")
  CHECK_THAT(server.last_request_head("/sd"),
             Catch::Contains("Authorization: Basic dXNlcjpzZWNyZXQtMQ=="));
  // A rotated password file is read again at the next refresh.
  write_atomically(dir.path() / "password", "secret-2\n");
  REQUIRE(discoverer.fetch({}));
  CHECK_THAT(server.last_request_head("/sd"),
             Catch::Contains("Authorization: Basic dXNlcjpzZWNyZXQtMg=="));
}

TEST_CASE("dns_sd: SRV, A, AAAA and MX records as Prometheus labels them", "[sd][dns]") {
  DnsTestServer dns;
  dns.set_srv("_metrics._tcp.example.test",
              {{.priority = 1, .weight = 1, .port = 9100, .target = "node1.example.test."},
               {.priority = 1, .weight = 1, .port = 9200, .target = "node2.example.test."}});
  dns.set_a("web.example.test", {"192.0.2.1", "192.0.2.2"});
  dns.set_aaaa("web.example.test", {"2001:db8::1"});
  dns.set_mx("mail.example.test", {{10, "mx1.example.test."}});

  DnsSdConfig srv;
  srv.names = {"_metrics._tcp.example.test"};
  DnsSdDiscoverer srv_discoverer(srv, nullptr, dns.address());
  auto srv_group = srv_discoverer.lookup("_metrics._tcp.example.test");
  REQUIRE(srv_group);
  CHECK(srv_group->source == "_metrics._tcp.example.test");
  REQUIRE(srv_group->targets.size() == 2);
  CHECK(srv_group->targets[0] ==
        std::vector<Label>{{"__address__", "node1.example.test:9100"},
                           {"__meta_dns_name", "_metrics._tcp.example.test"},
                           {"__meta_dns_srv_record_port", "9100"},
                           {"__meta_dns_srv_record_target", "node1.example.test."}});

  DnsSdConfig a{.names = {"web.example.test"}, .type = "A", .port = 80};
  auto a_group = DnsSdDiscoverer(a, nullptr, dns.address()).lookup("web.example.test");
  REQUIRE(a_group);
  REQUIRE(a_group->targets.size() == 2);
  CHECK(a_group->targets[1] == std::vector<Label>{{"__address__", "192.0.2.2:80"},
                                                  {"__meta_dns_name", "web.example.test"}});

  DnsSdConfig aaaa{.names = {"web.example.test"}, .type = "AAAA", .port = 80};
  auto aaaa_group = DnsSdDiscoverer(aaaa, nullptr, dns.address()).lookup("web.example.test");
  REQUIRE(aaaa_group);
  REQUIRE(aaaa_group->targets.size() == 1);
  CHECK(aaaa_group->targets[0][0] == Label{"__address__", "[2001:db8::1]:80"});

  DnsSdConfig mx{.names = {"mail.example.test"}, .type = "MX", .port = 25};
  auto mx_group = DnsSdDiscoverer(mx, nullptr, dns.address()).lookup("mail.example.test");
  REQUIRE(mx_group);
  REQUIRE(mx_group->targets.size() == 1);
  CHECK(mx_group->targets[0] ==
        std::vector<Label>{{"__address__", "mx1.example.test:25"},
                           {"__meta_dns_mx_record_target", "mx1.example.test."},
                           {"__meta_dns_name", "mail.example.test"}});

  // A name that does not exist has no targets; it is not an error.
  auto missing = DnsSdDiscoverer(a, nullptr, dns.address()).lookup("nothing.example.test");
  REQUIRE(missing);
  CHECK(missing->targets.empty());
}

TEST_CASE("dns_sd: refreshes follow the records; a failing lookup keeps the last targets",
          "[sd][dns]") {
  DnsTestServer dns;
  dns.set_a("web.example.test", {"192.0.2.1"});
  prometheus::Registry registry;
  DiscoveryMetrics metrics(registry);
  DnsSdConfig config{
      .names = {"web.example.test"}, .type = "A", .port = 9100, .refresh_interval = 200ms};
  DnsSdDiscoverer discoverer(config, &metrics, dns.address());
  Published published;
  Running running(discoverer, published);
  REQUIRE(eventually([&] { return published.addresses() == Addresses{"192.0.2.1:9100"}; }));
  dns.set_a("web.example.test", {"192.0.2.1", "192.0.2.7"});
  REQUIRE(eventually([&] {
    return published.addresses() == Addresses{"192.0.2.1:9100", "192.0.2.7:9100"};
  }));

  dns.set_failing("web.example.test", true);
  REQUIRE(eventually([&] {
    return serialize(registry).find("metrics_collector_sd_dns_lookup_failures_total 1") !=
           std::string::npos;
  }));
  CHECK(published.addresses() == Addresses{"192.0.2.1:9100", "192.0.2.7:9100"});
  dns.set_failing("web.example.test", false);
  dns.set_a("web.example.test", {});
  CHECK(eventually([&] { return published.addresses().empty(); }));
}

constexpr const char* kFileJob = R"(scrape_configs:
  - job_name: files
    scrape_interval: 1h
    static_configs:
      - targets: ["static:1"]
    file_sd_configs:
      - files: [targets.json]
)";

TEST_CASE("discovery manager: a file_sd change reaches the scrape pool within a second",
          "[sd][manager]") {
  TempDir dir;
  const auto path = dir.write_file("targets.json", R"([{"targets": ["a:1", "b:1"]}])");
  HeadStorage storage;
  prometheus::Registry registry;
  ScrapeManager scrapes(storage, registry);
  DiscoveryOptions options;
  options.context.config_directory = dir.path().string();
  DiscoveryManager discovery(
      registry,
      [&](const std::string& job, std::vector<TargetGroup> groups) {
        REQUIRE(scrapes.sync(job, groups));
      },
      options);
  Config config = parse_config_ok(kFileJob);
  discovery.apply_config(config);
  scrapes.apply_config(
      config, [&](const ScrapeConfig& job) { return discovery.target_groups(job.job_name); });
  CHECK(scrapes.target_count() == 1);  // the static target; the file is read once started
  discovery.start();
  REQUIRE(eventually([&] { return scrapes.target_count() == 3; }, 2s));
  CHECK_THAT(serialize(registry),
             Catch::Contains("metrics_collector_sd_discovered_targets{config=\"files\"} 3"));

  for (int round = 0; round < 5; ++round) {
    std::string targets = R"(["a:1")";
    for (int i = 0; i <= round; ++i) targets += fmt::format(R"(, "n{}:1")", i);
    write_atomically(path, fmt::format(R"([{{"targets": {}]}}])", targets));
    const auto written = std::chrono::steady_clock::now();
    const size_t want = 3 + static_cast<size_t>(round);
    REQUIRE(eventually([&] { return scrapes.target_count() == want; }, 2s));
    CHECK(std::chrono::steady_clock::now() - written < 1s);
  }
}

TEST_CASE(
    "discovery manager: a reload keeps unchanged discoverers' targets and restarts changed "
    "ones without a gap",
    "[sd][manager]") {
  HttpTestServer first_server;
  first_server.set_response("/sd", TestResponse{.content_type = "application/json",
                                                .body = R"([{"targets": ["a:1", "b:1"]}])"});
  HeadStorage storage;
  prometheus::Registry registry;
  ScrapeManager scrapes(storage, registry);
  std::mutex mutex;
  std::vector<size_t> delivered;  // target count of each delivery
  DiscoveryManager discovery(registry,
                             [&](const std::string& job, std::vector<TargetGroup> groups) {
                               std::lock_guard lock(mutex);
                               delivered.push_back(count_targets(groups));
                               REQUIRE(scrapes.sync(job, groups));
                             });
  auto apply = [&](const std::string& yaml) {
    Config config = parse_config_ok(yaml);
    discovery.apply_config(config);
    auto change = scrapes.apply_config(
        config, [&](const ScrapeConfig& job) { return discovery.target_groups(job.job_name); });
    discovery.flush();
    return change;
  };
  const std::string first = fmt::format(
      "scrape_configs:\n  - job_name: j\n    scrape_interval: 1h\n"
      "    http_sd_configs:\n      - url: http://{}/sd\n",
      first_server.address());
  apply(first);
  discovery.start();
  REQUIRE(eventually([&] { return scrapes.target_count() == 2; }));

  // Same config: the discoverer keeps running, its targets are kept.
  auto same = apply(first);
  CHECK(same.targets_kept == 2);
  CHECK(same.targets_removed == 0);

  // Another URL, slow to answer: the discoverer restarts, and a and b stay
  // until its first result, which replaces them with c.
  {
    std::lock_guard lock(mutex);
    delivered.clear();
  }
  HttpTestServer server;
  server.set_response("/sd", TestResponse{.content_type = "application/json",
                                          .body = R"([{"targets": ["c:1"]}])",
                                          .delay = 1s});
  const std::string changed_config = fmt::format(
      "scrape_configs:\n  - job_name: j\n    scrape_interval: 1h\n"
      "    http_sd_configs:\n      - url: http://{}/sd\n",
      server.address());
  auto changed = apply(changed_config);
  CHECK(changed.targets_kept == 2);
  CHECK(changed.targets_removed == 0);
  REQUIRE(eventually([&] { return scrapes.target_count() == 1; }));
  {
    std::lock_guard lock(mutex);
    CHECK(std::ranges::find(delivered, 0u) == delivered.end());  // never empty in between
  }

  // A job whose scrape settings change gets a new pool with the current targets at once.
  std::string slower = changed_config;
  slower.replace(slower.find("1h"), 2, "30m");
  auto restarted = apply(slower);
  CHECK(restarted.jobs_restarted == 1);
  CHECK(restarted.targets_added == 1);
  CHECK(scrapes.target_count() == 1);

  // A removed job: its discoverers stop, its pool goes.
  apply("scrape_configs: []\n");
  CHECK(scrapes.target_count() == 0);
  discovery.stop();
}

TEST_CASE("discovery manager: stop is prompt with slow discoverers", "[sd][manager]") {
  HttpTestServer server;
  server.set_response("/sd",
                      TestResponse{.content_type = "application/json", .body = "[]", .delay = 4s});
  prometheus::Registry registry;
  DiscoveryManager discovery(registry, [](const std::string&, std::vector<TargetGroup>) {});
  discovery.apply_config(
      parse_config_ok(fmt::format("scrape_configs:\n  - job_name: j\n    http_sd_configs:\n"
                                  "      - url: http://{}/sd\n",
                                  server.address())));
  discovery.start();
  REQUIRE(eventually([&] { return server.request_count("/sd") >= 1; }));
  const auto asked = std::chrono::steady_clock::now();
  discovery.stop();
  CHECK(std::chrono::steady_clock::now() - asked < 2s);
}

}  // namespace
}  // namespace mc::test
