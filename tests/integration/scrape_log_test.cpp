// What the daemon logs about scraping: with --log.level=debug one line per
// scrape (target, duration, samples, series added), nothing of it at info.
#include <fmt/format.h>
#include <catch2/catch.hpp>
#include <chrono>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/child_process.hpp"
#include "tests/support/daemon_runner.hpp"
#include "tests/support/http_test_server.hpp"

namespace mc::test {
namespace {

using namespace std::chrono_literals;

constexpr auto kSettle = 15s;

std::string job_yaml(const std::vector<std::string>& targets) {
  std::string list;
  for (const auto& target : targets) list += (list.empty() ? "\"" : ", \"") + target + "\"";
  return fmt::format(
      "scrape_configs:\n  - job_name: app\n    scrape_interval: 1s\n    scrape_timeout: 500ms\n"
      "    static_configs:\n      - targets: [{}]\n",
      list);
}

// The "scrape finished" lines of one target, in order.
std::vector<std::string> scrape_lines(const std::string& log, const std::string& address) {
  const std::string start =
      "msg=\"scrape finished\" job=app target=http://" + address + "/metrics ";
  std::vector<std::string> lines;
  std::istringstream in(log);
  std::string line;
  while (std::getline(in, line)) {
    if (line.find(start) != std::string::npos) lines.push_back(line);
  }
  return lines;
}

TEST_CASE("at log level debug one line per scrape says target, duration, samples, series added",
          "[scrape_log]") {
  HttpTestServer good, failing;
  good.set_response("/metrics", TestResponse{.body = "one 1\ntwo{k=\"v\"} 2\nthree 3\n"});
  failing.set_response("/metrics", TestResponse{.status = 500, .body = "boom\n"});
  DaemonRunner daemon(job_yaml({good.address(), failing.address()}), {"--log.level=debug"});

  std::string log;
  REQUIRE(wait_until(
      [&] {
        log = daemon.log();
        return scrape_lines(log, good.address()).size() >= 2 &&
               !scrape_lines(log, failing.address()).empty();
      },
      kSettle));
  auto good_lines = scrape_lines(log, good.address());
  INFO(log);
  // The first scrape added the three series; the next ones found them cached.
  CHECK_THAT(good_lines[0], Catch::Contains(" up=1 ") && Catch::Contains(" samples=3 ") &&
                                Catch::Contains(" series_added=3 ") &&
                                Catch::Contains(" duration_seconds="));
  CHECK_THAT(good_lines[1], Catch::Contains(" up=1 ") && Catch::Contains(" samples=3 ") &&
                                Catch::Contains(" series_added=0 "));
  // One line per scrape: no more lines than requests the target answered.
  CHECK(static_cast<int>(good_lines.size()) <= good.request_count("/metrics"));
  CHECK_THAT(scrape_lines(log, failing.address()).front(),
             Catch::Contains(" up=0 ") && Catch::Contains(" samples=0 "));
  CHECK_THAT(log, Catch::Contains("level=debug"));
}

TEST_CASE("at the default log level scrapes are not logged one by one", "[scrape_log]") {
  HttpTestServer good;
  good.set_response("/metrics", TestResponse{.body = "one 1\n"});
  DaemonRunner daemon(job_yaml({good.address()}));
  REQUIRE(wait_until([&] { return good.request_count("/metrics") >= 2; }, kSettle));
  CHECK(daemon.stop() == 0);
  CHECK_THAT(daemon.log(), !Catch::Contains("scrape finished"));
}

}  // namespace
}  // namespace mc::test
