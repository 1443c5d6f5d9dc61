// /api/v1/targets and /api/v1/targets/metadata against the real Prometheus
// 2.42 (Debian's package): both scrape the same targets (one up, one on a
// closed port, one too slow for its timeout, one answering 503, one dropped
// by relabeling) with the same config, and what their
// APIs say must be byte-equal once the times are taken out (lastScrape and
// lastScrapeDuration differ by nature) and the lists are sorted (Prometheus
// walks Go maps, so its order changes from call to call).
#include <unistd.h>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <regex>
#include <string>
#include <vector>

#include "tests/support/child_process.hpp"
#include "tests/support/daemon_runner.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/http_test_server.hpp"

namespace mc::test {
namespace {

using namespace std::chrono_literals;

constexpr const char* kTargetBody =
    "# HELP app_requests_total Requests served, by \"code\" \\\\ and a\\nnewline.\n"
    "# TYPE app_requests_total counter\n"
    "app_requests_total{code=\"200\"} 5\n"
    "# TYPE app_temperature_celsius gauge\n"
    "app_temperature_celsius 21.5\n"
    "# HELP app_help_only Only a HELP line <b>.\n"
    "app_help_only 1\n"
    "app_bare 2\n"
    "# HELP app_latency_seconds Latency.\n"
    "# TYPE app_latency_seconds histogram\n"
    "app_latency_seconds_bucket{le=\"0.1\"} 1\n"
    "app_latency_seconds_bucket{le=\"+Inf\"} 2\n"
    "app_latency_seconds_sum 0.3\n"
    "app_latency_seconds_count 2\n";

// The same scrape configs for both servers.
std::string scrape_configs(const std::string& up, const std::string& down) {
  return fmt::format(
      "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
      "scrape_configs:\n"
      "  - job_name: apps\n"
      "    params: {{module: [http_2xx], x: [\"a b\"]}}\n"
      "    static_configs:\n"
      "      - targets: [\"{0}\", \"{1}\"]\n"
      "        labels: {{team: \"a<b>&\\\"c\\\" é\", env: prod}}\n"
      "      - targets: [\"drop.example:80\"]\n"
      "        labels: {{env: drop}}\n"
      "    relabel_configs:\n"
      "      - source_labels: [env]\n"
      "        regex: drop\n"
      "        action: drop\n"
      "      - source_labels: [__address__]\n"
      "        regex: '127\\.0\\.0\\.1:(.*)'\n"
      "        target_label: port\n"
      "      - source_labels: [__param_module]\n"
      "        target_label: module\n"
      "  - job_name: other\n"
      "    metrics_path: /other\n"
      "    scrape_interval: 2s\n"
      "    scrape_timeout: 1500ms\n"
      "    static_configs:\n"
      "      - targets: [\"{0}\"]\n"
      "  - job_name: slow\n"
      "    metrics_path: /slow\n"
      "    scrape_interval: 2s\n"
      "    scrape_timeout: 300ms\n"
      "    static_configs:\n"
      "      - targets: [\"{0}\"]\n",
      up, down);
}

// Where the JSON object starting at `begin` ends (one past its '}').
size_t object_end(const std::string& json, size_t begin) {
  int depth = 0;
  bool in_string = false;
  for (size_t at = begin; at < json.size(); ++at) {
    const char c = json[at];
    if (in_string) {
      if (c == '\\') {
        ++at;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{') {
      ++depth;
    } else if (c == '}' && --depth == 0) {
      return at + 1;
    }
  }
  return json.size();
}

// The objects of a JSON array whose elements all start with `marker`, each as
// its text, sorted; the times removed.
std::vector<std::string> objects(std::string json, const std::string& marker) {
  static const std::regex kTimes(R"("lastScrape":"[^"]*","lastScrapeDuration":[^,]*,)");
  json = std::regex_replace(json, kTimes, "");
  std::vector<std::string> found;
  for (size_t at = json.find(marker); at != std::string::npos;) {
    const size_t end = object_end(json, at);
    found.push_back(json.substr(at, end - at));
    at = json.find(marker, end);
  }
  std::sort(found.begin(), found.end());
  return found;
}

// The part of a targets answer between `"<list>":[` and the end of that list.
std::string list_of(const std::string& body, const std::string& list) {
  const size_t begin = body.find("\"" + list + "\":[");
  if (begin == std::string::npos) return "";
  const size_t end = list == "activeTargets" ? body.find("\"droppedTargets\":[") : body.size();
  return body.substr(begin, end - begin);
}

std::string get_body(const std::string& url) {
  HttpReply reply = http_get(url);
  return reply.status == 200 ? reply.body : "";
}

bool all_scraped(const std::string& body, size_t targets) {
  size_t healthy_or_down = 0;
  for (const char* health : {"\"health\":\"up\"", "\"health\":\"down\""}) {
    for (size_t at = body.find(health); at != std::string::npos; at = body.find(health, at + 1)) {
      ++healthy_or_down;
    }
  }
  return healthy_or_down == targets && body.find("\"health\":\"unknown\"") == std::string::npos;
}

TEST_CASE("targets and targets metadata equal Prometheus 2.42's for the same targets",
          "[prometheus][targets]") {
  if (access("/usr/bin/prometheus", X_OK) != 0) {
    WARN(
        "skipped: /usr/bin/prometheus not found (Debian package prometheus; make deps installs "
        "it)");
    return;
  }
  HttpTestServer up;
  up.set_response("/metrics", TestResponse{.body = kTargetBody});
  up.set_response("/other", TestResponse{.status = 503, .body = "maintenance\n"});
  up.set_response("/slow", TestResponse{.body = "late 1\n", .delay = 1s});
  const std::string down = fmt::format("127.0.0.1:{}", free_port());  // nothing listens

  DaemonRunner daemon(scrape_configs(up.address(), down));
  TempDir dir;
  const uint16_t prometheus_port = free_port();
  auto config = dir.write_file("prometheus.yml", scrape_configs(up.address(), down));
  ChildProcess prometheus({"/usr/bin/prometheus", "--config.file=" + config.string(),
                           "--storage.tsdb.path=" + (dir.path() / "data").string(),
                           fmt::format("--web.listen-address=127.0.0.1:{}", prometheus_port)},
                          dir.path() / "prometheus.log");
  const std::string ours = daemon.base_url();
  const std::string theirs = fmt::format("http://127.0.0.1:{}", prometheus_port);

  // Every target scraped at least once by both (the 2 s job needs up to 2 s).
  const bool scraped = wait_until(
      [&] {
        return all_scraped(get_body(ours + "/api/v1/targets"), 4) &&
               all_scraped(get_body(theirs + "/api/v1/targets"), 4);
      },
      40s);
  INFO(prometheus.output());
  REQUIRE(scraped);

  const std::string our_targets = get_body(ours + "/api/v1/targets");
  const std::string their_targets = get_body(theirs + "/api/v1/targets");
  INFO("ours:   " << our_targets);
  INFO("theirs: " << their_targets);
  const auto our_active = objects(list_of(our_targets, "activeTargets"), "{\"discoveredLabels\"");
  const auto their_active =
      objects(list_of(their_targets, "activeTargets"), "{\"discoveredLabels\"");
  REQUIRE(our_active.size() == 4);
  CHECK(our_active == their_active);
  const auto our_dropped = objects(list_of(our_targets, "droppedTargets"), "{\"discoveredLabels\"");
  REQUIRE(our_dropped.size() == 1);
  CHECK(our_dropped == objects(list_of(their_targets, "droppedTargets"), "{\"discoveredLabels\""));

  // What the comparison covered, spelled out.
  CHECK(our_targets.find(fmt::format("\"lastError\":\"Get \\\"http://{}/metrics?module=http_2xx"
                                     "\\u0026x=a+b\\\": dial tcp {}: connect: connection "
                                     "refused\"",
                                     down, down)) != std::string::npos);
  CHECK(our_targets.find("\"lastError\":\"server returned HTTP status 503 Service Unavailable\"") !=
        std::string::npos);
  CHECK(our_targets.find(fmt::format("\"lastError\":\"Get \\\"http://{}/slow\\\": context "
                                     "deadline exceeded\"",
                                     up.address())) != std::string::npos);
  // Go's model.Duration spelling.
  CHECK(our_targets.find("\"scrapeTimeout\":\"1s500ms\"") != std::string::npos);

  for (const std::string query :
       {"", "?match_target=%7Bjob%3D%22apps%22%7D", "?metric=app_requests_total",
        "?metric=app_bare", "?match_target=%7Bport%3D~%22.%2B%22%7D&metric=app_help_only",
        "?limit=0"}) {
    const std::string our_metadata = get_body(ours + "/api/v1/targets/metadata" + query);
    const std::string their_metadata = get_body(theirs + "/api/v1/targets/metadata" + query);
    INFO("query " << query << "\nours:   " << our_metadata << "\ntheirs: " << their_metadata);
    REQUIRE(!our_metadata.empty());
    CHECK(objects(our_metadata, "{\"target\"") == objects(their_metadata, "{\"target\""));
  }
  CHECK(get_body(ours + "/api/v1/scrape_pools") == get_body(theirs + "/api/v1/scrape_pools"));
  // scrapePool keeps one job's targets, active and dropped.
  for (const std::string query :
       {"?scrapePool=other", "?scrapePool=apps&state=active", "?state=dropped", "?state=bogus"}) {
    const std::string our_answer = get_body(ours + "/api/v1/targets" + query);
    const std::string their_answer = get_body(theirs + "/api/v1/targets" + query);
    INFO("query " << query << "\nours:   " << our_answer << "\ntheirs: " << their_answer);
    REQUIRE(!our_answer.empty());
    CHECK(objects(our_answer, "{\"discoveredLabels\"") ==
          objects(their_answer, "{\"discoveredLabels\""));
  }
  // The job filter kept the families of the up target: 4 declared, app_bare not.
  CHECK(objects(get_body(ours + "/api/v1/targets/metadata?match_target=%7Bjob%3D%22apps%22%7D"),
                "{\"target\"")
            .size() == 4);
}

}  // namespace
}  // namespace mc::test
