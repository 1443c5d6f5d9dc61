// Relabeling against the real Prometheus 2.42: one config with target and
// metric relabel rules of every action and every default, run by Prometheus
// and by the daemon against the same targets on 127.0.0.1: 47 rules in two
// jobs (the second leans on the defaults: replace, regex (.*), $1, ";"). The
// series each stores (Prometheus's /api/v1/series, ours) must be the same
// set, label for label; so must the targets' labels before and after
// relabeling (/api/v1/targets of both); and
// scrape_samples_post_metric_relabeling must agree.
#include <unistd.h>

#include <fmt/format.h>
#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "tests/support/child_process.hpp"
#include "tests/support/daemon_runner.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/http_test_server.hpp"
#include "tests/support/temp_dir.hpp"

namespace mc::test {
namespace {

using namespace std::chrono_literals;

// The label sets of a /api/v1/series answer, each as its JSON object text.
// Both servers write a label set as a JSON object with sorted keys, and no
// value here holds a brace, so the objects compare as text.
std::set<std::string> series_set(const std::string& base_url) {
  auto reply = http_get(base_url + "/api/v1/series?match%5B%5D=%7Bjob%3D~%22.%2B%22%7D");
  std::set<std::string> series;
  if (reply.status != 200) return series;
  size_t at = reply.body.find("\"data\":[");
  if (at == std::string::npos) return series;
  while ((at = reply.body.find('{', at + 1)) != std::string::npos) {
    const size_t close = reply.body.find('}', at);
    if (close == std::string::npos) break;
    series.insert(reply.body.substr(at, close - at + 1));
    at = close;
  }
  return series;
}

// The label sets of /api/v1/targets (each active target's discoveredLabels
// and labels, each dropped target's discoveredLabels), as JSON object texts
// prefixed by which they are.
std::set<std::string> target_label_sets(const std::string& base_url) {
  auto reply = http_get(base_url + "/api/v1/targets?state=any");
  std::set<std::string> sets;
  if (reply.status != 200) return sets;
  for (const std::string_view key : {"\"discoveredLabels\":{", "\"labels\":{"}) {
    size_t at = 0;
    while ((at = reply.body.find(key, at)) != std::string::npos) {
      const size_t close = reply.body.find('}', at);
      if (close == std::string::npos) break;
      sets.insert(reply.body.substr(at, close - at + 1));
      at = close;
    }
  }
  return sets;
}

// The value of an instant query's single result ("[<ts>,\"<value>\"]"), or "".
std::string query_value(const std::string& base_url, const std::string& escaped_query) {
  auto reply = http_get(base_url + "/api/v1/query?query=" + escaped_query);
  auto value_at = reply.body.find("\"value\":[");
  if (reply.status != 200 || value_at == std::string::npos) return "";
  auto open = reply.body.find(",\"", value_at);
  auto close = reply.body.find('"', open + 2);
  return reply.body.substr(open + 2, close - open - 2);
}

// The value of the /metrics line of `metric_prefix` that holds `needle`, or "".
// (The daemon has no /api/v1/query yet.)
std::string exposed_line_value(const std::string& page, std::string_view metric_prefix,
                               std::string_view needle) {
  size_t at = 0;
  while ((at = page.find(metric_prefix, at)) != std::string::npos) {
    const size_t end = page.find('\n', at);
    const std::string line = page.substr(at, end - at);
    if ((at == 0 || page[at - 1] == '\n') && line.find(needle) != std::string::npos) {
      // name{labels} value [timestamp]
      const std::string rest = line.substr(line.rfind('}') + 2);
      return rest.substr(0, rest.find(' '));
    }
    at = end;
  }
  return "";
}

// Target rules: every action; the defaults (separator, regex, replacement,
// action) wherever a rule leaves them out.
constexpr std::string_view kTargetRules = R"yaml(
    relabel_configs:
      - source_labels: [__address__]
        regex: "{dropped}"
        action: drop
      - source_labels: [__scheme__]
        regex: http
        action: keep
      - source_labels: [env]
        target_label: env_copy
      - source_labels: [env]
        target_label: env_lower
        action: lowercase
      - source_labels: [team]
        target_label: team_upper
        action: uppercase
      - source_labels: [__address__]
        modulus: 8
        target_label: shard
        action: hashmod
      - regex: "__param_(.+)"
        replacement: "param_$1"
        action: labelmap
      - source_labels: [env]
        target_label: env_copy
        action: keepequal
      - source_labels: [team]
        target_label: env
        action: dropequal
      - source_labels: [__metrics_path__]
        regex: "/(.*)"
        target_label: "path_$1"
        replacement: "yes"
      - source_labels: [__address__, team]
        separator: "@"
        regex: "127\\.0\\.0\\.1:(\\d+)@(.*)"
        target_label: instance
        replacement: "local-${{1}}-$2"
      - regex: team
        action: labeldrop
      - regex: "[a-z_]+"
        action: labelkeep
)yaml";

// Metric rules: every action again, over the series of the page below.
constexpr std::string_view kMetricRules = R"yaml(
    metric_relabel_configs:
      - source_labels: [__name__]
        regex: "drop_me_.*"
        action: drop
      - source_labels: [__name__]
        regex: "relabel_.*"
        action: keep
      - regex: tmp
        action: labeldrop
      - source_labels: [code]
        regex: "(\\d)\\d\\d"
        target_label: class
        replacement: "${{1}}xx"
      - source_labels: [Room]
        target_label: room
        action: lowercase
      - source_labels: [method]
        target_label: method_upper
        action: uppercase
      - regex: "(sensor)"
        replacement: "${{1}}_id"
        action: labelmap
      - source_labels: [__name__, code]
        modulus: 4
        target_label: bucket
        action: hashmod
      - source_labels: [job]
        target_label: job
        action: keepequal
      - source_labels: [__name__]
        target_label: alias
        action: dropequal
      - regex: "[a-z_]+"
        action: labelkeep
)yaml";

// A second job leaning on the defaults: no action (replace), no regex
// ((.*)), no replacement ($1), no separator (;), no source labels, an empty
// result (the label is removed), __tmp labels, renaming __name__.
constexpr std::string_view kDefaultsJob = R"yaml(
  - job_name: defaults
    static_configs:
      - targets: ["{a}", "{b}"]
        labels: {{zone: eu-west-1a, Owner: Team-X}}
    relabel_configs:
      - source_labels: [zone]
        target_label: zone_copy
      - source_labels: [zone, Owner]
        target_label: zone_owner
      - source_labels: [zone]
        regex: "(\\w+)-(\\w+)-(\\d)(\\w)"
        target_label: region
        replacement: "$1-$2-$3"
      - source_labels: [zone]
        regex: "no-match-(.*)"
        target_label: never_set
      - source_labels: [Owner]
        regex: "Team-(.*)"
        target_label: owner
        replacement: "${{1}}"
      - target_label: constant
        replacement: fixed
      - source_labels: [nonexistent]
        target_label: zone_copy
        regex: "x?"
        replacement: ""
      - source_labels: [Owner]
        target_label: __tmp_owner
      - source_labels: [__tmp_owner]
        target_label: owner_lower
        action: lowercase
      - source_labels: [__tmp_owner]
        target_label: owner_upper
        action: uppercase
      - source_labels: [__address__]
        modulus: 2
        target_label: __tmp_shard
        action: hashmod
      - source_labels: [__tmp_shard]
        target_label: shard_of_two
      - regex: "(zone|region)"
        replacement: "topology_$1"
        action: labelmap
      - source_labels: [zone_owner]
        target_label: zone_owner
        action: keepequal
      - source_labels: [zone]
        target_label: owner
        action: dropequal
      - regex: Owner
        action: labeldrop
      - source_labels: [nothing_here]
        regex: ""
        action: keep
    metric_relabel_configs:
      - source_labels: [__name__]
        target_label: original_name
      - source_labels: [__name__]
        regex: "relabel_(.*)"
        target_label: __name__
        replacement: "renamed_$1"
      - source_labels: [method]
        target_label: method
        replacement: "m_$1"
      - source_labels: [code, method]
        separator: "/"
        target_label: route
      - regex: tmp
        action: labeldrop
      - source_labels: [__name__]
        regex: "outside_metric|drop_me_total"
        action: drop
)yaml";

constexpr std::string_view kPage =
    "# TYPE relabel_requests_total counter\n"
    "relabel_requests_total{code=\"200\",method=\"get\",tmp=\"1\"} 10\n"
    "relabel_requests_total{code=\"500\",method=\"post\",tmp=\"2\"} 2\n"
    "relabel_temperature_celsius{Room=\"Lab\",sensor=\"s1\"} 21.5\n"
    "relabel_alias{alias=\"relabel_alias\"} 1\n"
    "relabel_alias{alias=\"other\"} 2\n"
    "drop_me_total 3\n"
    "outside_metric 1\n";

TEST_CASE("relabeling: Prometheus 2.42 and the daemon store the same series", "[relabel]") {
  if (access("/usr/bin/prometheus", X_OK) != 0) {
    WARN("skipped: /usr/bin/prometheus not found (Debian package prometheus)");
    return;
  }
  HttpTestServer target_a, target_b, target_dropped, target_c, target_d;
  for (HttpTestServer* target : {&target_a, &target_b, &target_dropped, &target_c, &target_d}) {
    target->set_response("/metrics", TestResponse{.body = std::string(kPage)});
  }
  const std::string config = fmt::format(
      "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
      "scrape_configs:\n"
      "  - job_name: relabeled\n"
      "    params: {{module: [probe]}}\n"
      "    static_configs:\n"
      "      - targets: [\"{}\", \"{}\", \"{}\"]\n"
      "        labels: {{env: Prod, team: Blue}}\n"
      "{}{}{}",
      target_a.address(), target_b.address(), target_dropped.address(),
      fmt::format(fmt::runtime(kTargetRules), fmt::arg("dropped", target_dropped.address())),
      fmt::format(fmt::runtime(kMetricRules)),
      fmt::format(fmt::runtime(kDefaultsJob), fmt::arg("a", target_c.address()),
                  fmt::arg("b", target_d.address())));

  DaemonRunner daemon(config);
  TempDir dir;
  const uint16_t prometheus_port = free_port();
  auto config_file = dir.write_file("prometheus.yml", config);
  ChildProcess prometheus({"/usr/bin/prometheus", "--config.file=" + config_file.string(),
                           "--storage.tsdb.path=" + (dir.path() / "data").string(),
                           fmt::format("--web.listen-address=127.0.0.1:{}", prometheus_port)},
                          dir.path() / "prometheus.log");
  const std::string prometheus_url = fmt::format("http://127.0.0.1:{}", prometheus_port);

  // Both scraped every kept target at least once: per target 5 report series
  // and the series the metric rules keep of the page's 7 (4 in the first
  // job, 5 in the second).
  constexpr size_t kExpectedSeries = 2 * (5 + 4) + 2 * (5 + 5);
  std::set<std::string> theirs, ours;
  const bool complete = wait_until(
      [&] {
        theirs = series_set(prometheus_url);
        ours = series_set(daemon.base_url());
        return theirs.size() >= kExpectedSeries && ours.size() >= kExpectedSeries;
      },
      25s);
  INFO(prometheus.output());
  INFO(daemon.log());
  REQUIRE(complete);
  CHECK(ours == theirs);
  CHECK(theirs.size() == kExpectedSeries);

  // The targets' labels before and after relabeling, dropped ones included.
  const std::set<std::string> their_targets = target_label_sets(prometheus_url);
  const std::set<std::string> our_targets = target_label_sets(daemon.base_url());
  CHECK(our_targets == their_targets);
  CHECK(their_targets.size() == 5 + 4);  // 5 discovered, 4 kept
  bool defaults_ran = false;
  for (const auto& labels : our_targets) {
    if (labels.find("\"constant\":\"fixed\"") == std::string::npos) continue;
    defaults_ran = labels.find("\"topology_region\":\"eu-west-1\"") != std::string::npos &&
                   labels.find("\"owner_upper\":\"TEAM-X\"") != std::string::npos &&
                   labels.find("zone_copy") == std::string::npos;
  }
  CHECK(defaults_ran);

  // Spot checks that the rules did run (not merely agree on nothing).
  const std::string instance_a = fmt::format("local-{}-Blue", target_a.port());
  bool found = false;
  for (const auto& s : ours) {
    if (s.find("\"code\":\"500\"") != std::string::npos &&
        s.find(instance_a) != std::string::npos) {
      found = true;
      CHECK(s.find("\"class\":\"5xx\"") != std::string::npos);
      CHECK(s.find("\"method_upper\":\"POST\"") != std::string::npos);
      CHECK(s.find("\"env_lower\":\"prod\"") != std::string::npos);
      CHECK(s.find("\"param_module\":\"probe\"") != std::string::npos);
      CHECK(s.find("\"path_metrics\":\"yes\"") != std::string::npos);
      CHECK(s.find("tmp") == std::string::npos);
    }
  }
  CHECK(found);

  const std::string post_relabeling =
      fmt::format("scrape_samples_post_metric_relabeling%7Binstance%3D%22{}%22%7D", instance_a);
  CHECK(exposed_line_value(daemon.metrics(), "scrape_samples_post_metric_relabeling{",
                           instance_a) == "4");
  CHECK(query_value(prometheus_url, post_relabeling) == "4");
}

}  // namespace
}  // namespace mc::test
