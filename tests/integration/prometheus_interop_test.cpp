// Interop with the real Prometheus 2.42 (Debian's package): it scrapes the
// daemon with honor_labels: true, and the values it stores, read back through
// its HTTP API, equal what the targets served.
#include <unistd.h>

#include <fmt/format.h>
#include <catch2/catch.hpp>
#include <cmath>

#include "tests/support/child_process.hpp"
#include "tests/support/daemon_runner.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/http_test_server.hpp"

namespace mc::test {
namespace {

using namespace std::chrono_literals;

// The value of the single result of an instant query, as Prometheus prints it
// ("[<ts>,\"<value>\"]"); empty when there is no result.
std::string query_value(const std::string& prometheus_url, const std::string& query) {
  std::string url = prometheus_url + "/api/v1/query?query=";
  for (unsigned char c : query) {
    if (std::isalnum(c) || c == '_') {
      url += static_cast<char>(c);
    } else {
      url += fmt::format("%{:02X}", c);
    }
  }
  auto reply = http_get(url);
  auto value_at = reply.body.find("\"value\":[");
  if (reply.status != 200 || value_at == std::string::npos) return "";
  auto open = reply.body.find(",\"", value_at);
  auto close = reply.body.find('"', open + 2);
  return reply.body.substr(open + 2, close - open - 2);
}

TEST_CASE("Prometheus scraping the daemon stores what the targets served", "[prometheus]") {
  if (access("/usr/bin/prometheus", X_OK) != 0) {
    WARN(
        "skipped: /usr/bin/prometheus not found (Debian package prometheus; make deps installs "
        "it)");
    return;
  }
  HttpTestServer target_a, target_b;
  target_a.set_response("/metrics",
                        TestResponse{.body = "# TYPE interop_value gauge\n"
                                             "interop_value{kind=\"precise\"} 0.30000000000000004\n"
                                             "interop_value{kind=\"big\"} 1.2345678901234567e+300\n"
                                             "interop_value{kind=\"negative\"} -42.125\n"
                                             "# TYPE interop_requests_total counter\n"
                                             "interop_requests_total 123456789\n"});
  target_b.set_response("/metrics", TestResponse{.body = "interop_value{kind=\"other\"} 7\n"});
  DaemonRunner daemon(
      fmt::format("scrape_configs:\n"
                  "  - job_name: services\n    scrape_interval: 1s\n"
                  "    static_configs:\n      - targets: [\"{}\", \"{}\"]\n",
                  target_a.address(), target_b.address()));

  TempDir dir;
  uint16_t prometheus_port = free_port();
  auto config = dir.write_file(
      "prometheus.yml",
      fmt::format("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                  "scrape_configs:\n  - job_name: metrics-collector\n    honor_labels: true\n"
                  "    static_configs:\n      - targets: [\"127.0.0.1:{}\"]\n",
                  daemon.port()));
  ChildProcess prometheus({"/usr/bin/prometheus", "--config.file=" + config.string(),
                           "--storage.tsdb.path=" + (dir.path() / "data").string(),
                           fmt::format("--web.listen-address=127.0.0.1:{}", prometheus_port)},
                          dir.path() / "prometheus.log");
  std::string url = fmt::format("http://127.0.0.1:{}", prometheus_port);

  std::string a = target_a.address();
  auto series = [&](const std::string& kind, const std::string& instance) {
    return fmt::format("interop_value{{job=\"services\",instance=\"{}\",kind=\"{}\"}}", instance,
                       kind);
  };
  bool arrived = wait_until([&] { return !query_value(url, series("precise", a)).empty(); }, 40s);
  INFO(prometheus.output());
  REQUIRE(arrived);
  CHECK(query_value(url, series("precise", a)) == "0.30000000000000004");
  CHECK(query_value(url, series("big", a)) == "1.2345678901234567e+300");
  CHECK(query_value(url, series("negative", a)) == "-42.125");
  CHECK(query_value(url, series("other", target_b.address())) == "7");
  CHECK(query_value(url, fmt::format("interop_requests_total{{job=\"services\",instance=\"{}\"}}",
                                     a)) == "123456789");
  // The daemon's own up series for the targets arrive with their labels intact.
  CHECK(query_value(url, fmt::format("up{{job=\"services\",instance=\"{}\"}}", a)) == "1");
  // And Prometheus's own scrape of the daemon is healthy.
  CHECK(query_value(url, "up{job=\"metrics-collector\"}") == "1");
}

}  // namespace
}  // namespace mc::test
