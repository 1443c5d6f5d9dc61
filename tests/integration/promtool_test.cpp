// What the daemon serves must be clean for the real tools: `promtool check
// metrics` on the text format, and our own strict OpenMetrics parser on the
// OpenMetrics form (it agrees with the OpenMetrics conformance suite).
#include <fmt/format.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include "tests/support/child_process.hpp"
#include "tests/support/daemon_runner.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/http_test_server.hpp"

namespace mc::test {
namespace {

using namespace std::chrono_literals;

// A page with every family type a target may expose, in text format 0.0.4,
// itself lint-clean (promtool also lints: a family without HELP in a target's
// page would be re-exposed without HELP and reported, rightly, as the target's).
const char* kRichPage =
    "# HELP rpc_duration_seconds RPC latency.\n"
    "# TYPE rpc_duration_seconds histogram\n"
    "rpc_duration_seconds_bucket{le=\"0.1\"} 10\n"
    "rpc_duration_seconds_bucket{le=\"1\"} 15\n"
    "rpc_duration_seconds_bucket{le=\"+Inf\"} 17\n"
    "rpc_duration_seconds_sum 9.5\n"
    "rpc_duration_seconds_count 17\n"
    "# HELP gc_pause_seconds GC pauses.\n"
    "# TYPE gc_pause_seconds summary\n"
    "gc_pause_seconds{quantile=\"0.5\"} 0.001\n"
    "gc_pause_seconds{quantile=\"0.99\"} 0.01\n"
    "gc_pause_seconds_sum 0.5\n"
    "gc_pause_seconds_count 100\n"
    "# HELP jobs_processed_total Jobs processed.\n"
    "# TYPE jobs_processed_total counter\n"
    "jobs_processed_total{queue=\"a \\\"quoted\\\" \\\\ name\\nline\"} 5\n"
    "# HELP queue_depth Items waiting.\n"
    "# TYPE queue_depth gauge\n"
    "queue_depth NaN\n"
    "# HELP untyped_thing Something without a type.\n"
    "untyped_thing 1e-07\n";

bool have_promtool() { return access("/usr/bin/promtool", X_OK) == 0; }

TEST_CASE("/metrics passes promtool check metrics", "[promtool]") {
  if (!have_promtool()) {
    WARN("skipped: /usr/bin/promtool not found (Debian package prometheus; make deps installs it)");
    return;
  }
  HttpTestServer target;
  target.set_response("/metrics", TestResponse{.body = kRichPage});
  DaemonRunner daemon(
      fmt::format("scrape_configs:\n"
                  "  - job_name: rich\n    scrape_interval: 1s\n"
                  "    static_configs:\n      - targets: [\"{}\"]\n",
                  target.address()));
  std::string body;
  REQUIRE(wait_until(
      [&] {
        body = daemon.metrics();
        return body.find("rpc_duration_seconds_bucket") != std::string::npos &&
               body.find("gc_pause_seconds_count") != std::string::npos;
      },
      15s));
  TempDir dir;
  auto file = dir.write_file("metrics.txt", body);
  auto result = run_program({"/usr/bin/promtool", "check", "metrics"}, file);
  INFO(body);
  INFO(result.output);
  CHECK(result.exit_status == 0);
  // promtool prints lint problems (not only errors); there must be none.
  CHECK(result.output.find("error") == std::string::npos);
}

TEST_CASE("/metrics in OpenMetrics form is valid OpenMetrics", "[promtool]") {
  HttpTestServer target;
  target.set_response("/metrics", TestResponse{.body = kRichPage});
  DaemonRunner daemon(
      fmt::format("scrape_configs:\n"
                  "  - job_name: rich\n    scrape_interval: 1s\n"
                  "    static_configs:\n      - targets: [\"{}\"]\n",
                  target.address()));
  REQUIRE(wait_until(
      [&] { return daemon.metrics().find("rpc_duration_seconds_bucket") != std::string::npos; },
      15s));
  HttpRequestOptions options;
  options.headers = {"Accept: application/openmetrics-text;version=1.0.0,text/plain;q=0.5"};
  auto reply = http_request(daemon.base_url() + "/metrics", options);
  REQUIRE(reply.status == 200);
  CHECK_THAT(reply.headers["content-type"], Catch::StartsWith("application/openmetrics-text"));
  TempDir dir;
  auto file = dir.write_file("metrics.om", reply.body);
  auto result =
      run_program({MC_DAEMON_BINARY, "check", "exposition", "--format=openmetrics"}, file);
  INFO(reply.body);
  INFO(result.output);
  CHECK(result.exit_status == 0);
}

}  // namespace
}  // namespace mc::test
