// The real daemon scraping real HTTP targets on 127.0.0.1 and re-exposing what
// it stored on its own port.
#include <zlib.h>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "tests/support/child_process.hpp"
#include "tests/support/daemon_runner.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/http_test_server.hpp"
#include "tests/support/temp_dir.hpp"

namespace mc::test {
namespace {

using namespace std::chrono_literals;

constexpr auto kSettle = 15s;  // how long a test waits for a scrape to show up

std::string job_yaml(const std::string& job, const std::vector<std::string>& targets,
                     const std::string& extra = "") {
  std::string list;
  for (const auto& target : targets) list += (list.empty() ? "" : ", ") + ("\"" + target + "\"");
  return fmt::format(
      "  - job_name: {}\n    scrape_interval: 1s\n    scrape_timeout: 500ms\n{}"
      "    static_configs:\n      - targets: [{}]\n",
      job, extra, list);
}

std::string up_series(const std::string& job, const std::string& instance) {
  return fmt::format("up{{instance=\"{}\",job=\"{}\"}}", instance, job);
}

std::string gzip(const std::string& text) {
  z_stream stream{};
  deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&stream, text.size()) + 32, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

const char* kPage =
    "# HELP http_requests_total Requests served.\n"
    "# TYPE http_requests_total counter\n"
    "http_requests_total{code=\"200\",method=\"get\"} 1027\n"
    "http_requests_total{code=\"500\",method=\"get\"} 3\n"
    "# HELP temperature_celsius Current temperature.\n"
    "# TYPE temperature_celsius gauge\n"
    "temperature_celsius 21.5\n";

TEST_CASE("the daemon scrapes a target and re-exposes its samples with job and instance",
          "[end_to_end]") {
  HttpTestServer target;
  target.set_response("/metrics", TestResponse{.body = kPage});
  DaemonRunner daemon("scrape_configs:\n" + job_yaml("app", {target.address()}));

  std::string body;
  REQUIRE(wait_until(
      [&] {
        body = daemon.metrics();
        return exposed_value(body, up_series("app", target.address())) == 1.0;
      },
      kSettle));
  std::string instance = target.address();
  CHECK(exposed_value(body, fmt::format("http_requests_total{{code=\"200\",instance=\"{}\","
                                        "job=\"app\",method=\"get\"}}",
                                        instance)) == 1027);
  CHECK(exposed_value(body, fmt::format("temperature_celsius{{instance=\"{}\",job=\"app\"}}",
                                        instance)) == 21.5);
  CHECK_THAT(body, Catch::Contains("# TYPE http_requests_total counter"));
  CHECK_THAT(body, Catch::Contains("# HELP temperature_celsius Current temperature."));
  CHECK(exposed_value(body, fmt::format("scrape_samples_scraped{{instance=\"{}\",job=\"app\"}}",
                                        instance)) == 3);
  // Counted just after the scrape's commit, so possibly a moment after up shows.
  CHECK(wait_until(
      [&] {
        return exposed_value(daemon.metrics(), "metrics_collector_scrapes_total{job=\"app\"}")
                   .value_or(0) >= 1;
      },
      kSettle));

  // What the scraper asked for: OpenMetrics first, gzip, the timeout header.
  auto head = target.last_request_head("/metrics");
  CHECK_THAT(head, Catch::Contains("Accept: application/openmetrics-text;version=1.0.0"));
  CHECK_THAT(head, Catch::Contains("Accept-Encoding: gzip"));
  CHECK_THAT(head, Catch::Contains("X-Prometheus-Scrape-Timeout-Seconds: 0.5"));
}

TEST_CASE("a series that leaves the target leaves /metrics, and a dead target's series too",
          "[end_to_end]") {
  HttpTestServer target;
  target.set_response("/metrics", TestResponse{.body = "kept 1\nleaving 2\n"});
  DaemonRunner daemon("scrape_configs:\n" + job_yaml("app", {target.address()}));
  std::string kept = fmt::format("kept{{instance=\"{}\",job=\"app\"}}", target.address());
  std::string leaving = fmt::format("leaving{{instance=\"{}\",job=\"app\"}}", target.address());

  REQUIRE(wait_until([&] { return exposed_value(daemon.metrics(), leaving) == 2.0; }, kSettle));
  target.set_response("/metrics", TestResponse{.body = "kept 1\n"});
  REQUIRE(wait_until([&] { return !exposed_value(daemon.metrics(), leaving); }, kSettle));
  CHECK(exposed_value(daemon.metrics(), kept) == 1.0);

  // The target goes down: up 0, and its series go stale too.
  target.set_response("/metrics", TestResponse{.status = 500, .body = "boom"});
  REQUIRE(wait_until(
      [&] { return exposed_value(daemon.metrics(), up_series("app", target.address())) == 0.0; },
      kSettle));
  CHECK_FALSE(exposed_value(daemon.metrics(), kept));
}

TEST_CASE("bad targets are marked down with a reason while good ones keep working",
          "[end_to_end]") {
  HttpTestServer good, garbage, html, error, slow, cut, bad_gzip, silent;
  good.set_response("/metrics", TestResponse{.body = kPage});
  garbage.set_response("/metrics", TestResponse{.body = "ok_metric 1\n\x01\x02 garbage {{{\n"});
  html.set_response("/metrics",
                    TestResponse{.content_type = "text/html",
                                 .body = "<!DOCTYPE html>\n<html><body>Login</body></html>\n"});
  error.set_response("/metrics", TestResponse{.status = 500, .body = "internal error\n"});
  slow.set_response("/metrics", TestResponse{.body = kPage, .delay = 3s});
  cut.set_response("/metrics", TestResponse{.body = kPage, .close_after_bytes = 40});
  bad_gzip.set_response("/metrics",
                        TestResponse{.body = "this is not gzip", .content_encoding = "gzip"});
  silent.set_response("/metrics", TestResponse{.hang_up = true});
  std::string refused = fmt::format("127.0.0.1:{}", free_port());  // nothing listens there

  DaemonRunner daemon(
      "scrape_configs:\n" + job_yaml("good", {good.address()}) +
      job_yaml("bad", {garbage.address(), html.address(), error.address(), slow.address(),
                       cut.address(), bad_gzip.address(), silent.address(), refused}));

  std::vector<std::string> bad = {garbage.address(), html.address(), error.address(),
                                  slow.address(),    cut.address(),  bad_gzip.address(),
                                  silent.address(),  refused};
  std::string body;
  bool settled = wait_until(
      [&] {
        body = daemon.metrics();
        if (exposed_value(body, up_series("good", good.address())) != 1.0) return false;
        for (const auto& address : bad) {
          if (exposed_value(body, up_series("bad", address)) != 0.0) return false;
        }
        return true;
      },
      kSettle);
  INFO(body);
  REQUIRE(settled);

  // The good target's samples are all there.
  CHECK(exposed_value(body, fmt::format("temperature_celsius{{instance=\"{}\",job=\"good\"}}",
                                        good.address())) == 21.5);
  // Nothing of the garbage page was kept, not even its valid first line.
  CHECK_THAT(body, !Catch::Contains("ok_metric"));

  // Each failure is a log line naming the target and the reason; a parse error
  // names the line. The line and the failure counter follow a scrape's commit,
  // so they may trail `up 0` on /metrics by a moment: wait for them too.
  std::string log;
  auto failures = [](const std::string& address, const std::string& reason) {
    return fmt::format(
        "metrics_collector_scrape_failures_total{{instance=\"{}\",job=\"bad\",reason=\"{}\"}}",
        address, reason);
  };
  auto failure_line = [&](const std::string& address) {
    auto at = log.find("msg=\"scrape failed\" job=bad target=http://" + address);
    return at == std::string::npos ? std::string() : log.substr(at, log.find('\n', at) - at);
  };
  wait_until(
      [&] {
        log = daemon.log();
        body = daemon.metrics();
        for (const auto& address : bad) {
          if (failure_line(address).empty()) return false;
        }
        return exposed_value(body, failures(garbage.address(), "parse")).value_or(0) >= 1 &&
               exposed_value(body, failures(html.address(), "parse")).value_or(0) >= 1;
      },
      kSettle);
  CHECK_THAT(failure_line(garbage.address()),
             Catch::Contains("reason=parse") && Catch::Contains("line 2"));
  CHECK_THAT(failure_line(html.address()),
             Catch::Contains("reason=parse") && Catch::Contains("line 1"));
  CHECK_THAT(failure_line(error.address()),
             Catch::Contains("reason=http_status") && Catch::Contains("500"));
  CHECK_THAT(failure_line(slow.address()), Catch::Contains("reason=timeout"));
  CHECK_THAT(failure_line(cut.address()), Catch::Contains("reason=connection"));
  CHECK_THAT(failure_line(bad_gzip.address()), Catch::Contains("reason=encoding"));
  CHECK_THAT(failure_line(silent.address()), Catch::Contains("reason=connection"));
  CHECK_THAT(failure_line(refused), Catch::Contains("reason=connection"));

  // Failures are counted by target and reason.
  CHECK(exposed_value(body, failures(garbage.address(), "parse")).value_or(0) >= 1);
  CHECK(exposed_value(body, failures(html.address(), "parse")).value_or(0) >= 1);
  CHECK(exposed_value(body, failures(slow.address(), "timeout")).value_or(0) >= 1);
  CHECK(exposed_value(body, failures(refused, "connection")).value_or(0) >= 1);
  CHECK_FALSE(exposed_value(body, failures(good.address(), "parse")).has_value());

  // A target that recovers is scraped fine on its next turn.
  error.set_response("/metrics", TestResponse{.body = "recovered 1\n"});
  CHECK(wait_until(
      [&] { return exposed_value(daemon.metrics(), up_series("bad", error.address())) == 1.0; },
      kSettle));
}

TEST_CASE("a body over body_size_limit fails the scrape, decoded size counted", "[end_to_end]") {
  std::string big_page;
  for (int i = 0; i < 200; ++i) big_page += fmt::format("filler_{} {}\n", i, i);  // ~2.6 KB
  HttpTestServer plain, zipped, small;
  plain.set_response("/metrics", TestResponse{.body = big_page});
  // 2.6 KB compresses far below the limit; the limit is on what it decodes to.
  zipped.set_response("/metrics", TestResponse{.body = gzip(big_page), .content_encoding = "gzip"});
  small.set_response("/metrics", TestResponse{.body = "tiny 1\n"});
  DaemonRunner daemon("scrape_configs:\n" +
                      job_yaml("limited", {plain.address(), zipped.address(), small.address()},
                               "    body_size_limit: 1KB\n"));
  std::string body;
  bool settled = wait_until(
      [&] {
        body = daemon.metrics();
        return exposed_value(body, up_series("limited", plain.address())) == 0.0 &&
               exposed_value(body, up_series("limited", zipped.address())) == 0.0 &&
               exposed_value(body, up_series("limited", small.address())) == 1.0;
      },
      kSettle);
  INFO(body);
  REQUIRE(settled);
  CHECK_THAT(body, !Catch::Contains("filler_0"));
  // The counter and the log line follow the commit that set up 0: wait for them.
  auto failures = [](const std::string& address) {
    return fmt::format(
        "metrics_collector_scrape_failures_total{{instance=\"{}\",job=\"limited\","
        "reason=\"body_size\"}}",
        address);
  };
  const std::string log_line = "reason=body_size err=\"body size limit of 1024 bytes exceeded\"";
  CHECK(wait_until(
      [&] {
        const std::string metrics = daemon.metrics();
        return exposed_value(metrics, failures(plain.address())).value_or(0) >= 1 &&
               exposed_value(metrics, failures(zipped.address())).value_or(0) >= 1 &&
               daemon.log().find(log_line) != std::string::npos;
      },
      kSettle));
}

TEST_CASE("a gzip-encoded target body is decoded", "[end_to_end]") {
  HttpTestServer target;
  target.set_response("/metrics", TestResponse{.body = gzip(kPage), .content_encoding = "gzip"});
  DaemonRunner daemon("scrape_configs:\n" + job_yaml("zipped", {target.address()}));
  CHECK(wait_until(
      [&] {
        return exposed_value(daemon.metrics(),
                             fmt::format("temperature_celsius{{instance=\"{}\",job=\"zipped\"}}",
                                         target.address())) == 21.5;
      },
      kSettle));
}

TEST_CASE("a bad config stops the daemon with status 2 and file:line:col", "[end_to_end]") {
  TempDir dir;
  auto config = dir.write_file("bad.yml",
                               "global:\n  scrape_interval: 15s\nscrape_configs:\n"
                               "  - job_name: x\n    scrape_intervall: 5s\n");
  auto result = run_program({MC_DAEMON_BINARY, "--config.file=" + config.string(),
                             "--web.listen-address=127.0.0.1:0",
                             "--storage.path=" + (dir.path() / "data").string()});
  CHECK(result.exit_status == 2);
  CHECK_THAT(result.output,
             Catch::Contains(config.string() + ":5:5") && Catch::Contains("scrape_intervall"));

  auto missing =
      run_program({MC_DAEMON_BINARY, "--config.file=" + (dir.path() / "none.yml").string()});
  CHECK(missing.exit_status == 2);
  CHECK_THAT(missing.output, Catch::Contains("none.yml"));
}

TEST_CASE("flags are checked and --version and --help answer", "[end_to_end]") {
  auto unknown = run_program({MC_DAEMON_BINARY, "--no-such-flag=1"});
  CHECK(unknown.exit_status == 2);
  CHECK_THAT(unknown.output, Catch::Contains("unknown flag --no-such-flag"));

  auto version = run_program({MC_DAEMON_BINARY, "--version"});
  CHECK(version.exit_status == 0);
  CHECK_THAT(version.output, Catch::StartsWith("metrics-collector, version "));

  auto help = run_program({MC_DAEMON_BINARY, "--help"});
  CHECK(help.exit_status == 0);
  CHECK_THAT(help.output, Catch::Contains("--config.file"));

  auto bad_level = run_program({MC_DAEMON_BINARY, "--log.level=loud"});
  CHECK(bad_level.exit_status == 2);
  CHECK_THAT(bad_level.output, Catch::Contains("--log.level"));
}

TEST_CASE("a port already in use is a clear error", "[end_to_end]") {
  HttpTestServer occupant;
  TempDir dir;
  auto config = dir.write_file("ok.yml", "scrape_configs: []\n");
  auto result = run_program({MC_DAEMON_BINARY, "--config.file=" + config.string(),
                             "--web.listen-address=" + occupant.address(),
                             "--storage.path=" + (dir.path() / "data").string()});
  CHECK(result.exit_status == 1);
  CHECK_THAT(result.output, Catch::Contains("cannot start the web server"));
}

TEST_CASE("the quickstart config runs with nothing else and scrapes the daemon itself",
          "[end_to_end]") {
  // The quickstart scrapes localhost:9993; run a copy that points at our port.
  uint16_t port = free_port();
  TempDir dir;
  auto config = dir.write_file(
      "quickstart.yml",
      fmt::format(
          "scrape_configs:\n  - job_name: metrics-collector\n    metrics_path: /metrics/self\n"
          "    scrape_interval: 1s\n    static_configs:\n      - targets: [\"127.0.0.1:{}\"]\n",
          port));
  ChildProcess daemon({MC_DAEMON_BINARY, "--config.file=" + config.string(),
                       fmt::format("--web.listen-address=127.0.0.1:{}", port),
                       "--storage.path=" + (dir.path() / "data").string()},
                      dir.path() / "log");
  std::string url = fmt::format("http://127.0.0.1:{}/metrics", port);
  std::string up = fmt::format("up{{instance=\"127.0.0.1:{}\",job=\"metrics-collector\"}}", port);
  std::string body;
  bool scraped_itself = wait_until(
      [&] {
        body = http_get(url).body;
        return exposed_value(body, up) == 1.0;
      },
      kSettle);
  INFO(daemon.output());
  CHECK(scraped_itself);
  // The self-scrape stores meta-metrics, never series that came from the store.
  CHECK_THAT(body, !Catch::Contains("job=\"metrics-collector\",job="));
  CHECK(daemon.stop() == 0);
}

}  // namespace
}  // namespace mc::test
