// A job's proxy_url and follow_redirects, as Prometheus 2.42: the scrape goes
// through the proxy named, and through none when none is named, whatever the
// http_proxy environment says; a redirect is followed unless
// follow_redirects is false, when the 302 fails the scrape in Prometheus's words.
#include <stdlib.h>

#include <fmt/format.h>
#include <catch2/catch.hpp>
#include <chrono>
#include <string>

#include "tests/support/child_process.hpp"
#include "tests/support/daemon_runner.hpp"
#include "tests/support/http_test_server.hpp"

namespace mc::test {
namespace {

using namespace std::chrono_literals;

constexpr auto kSettle = 15s;

std::string job_yaml(const std::string& job, const std::string& target, const std::string& extra) {
  return fmt::format(
      "  - job_name: {}\n    scrape_interval: 1s\n    scrape_timeout: 900ms\n{}"
      "    static_configs:\n      - targets: [\"{}\"]\n",
      job, extra, target);
}

// Sets an environment variable for the daemon started in its lifetime.
class ScopedEnvironment {
 public:
  ScopedEnvironment(const char* name, const std::string& value) : name_(name) {
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedEnvironment() { ::unsetenv(name_); }
  ScopedEnvironment(const ScopedEnvironment&) = delete;
  ScopedEnvironment& operator=(const ScopedEnvironment&) = delete;

 private:
  const char* name_;
};

TEST_CASE("proxy_url sends the scrape through the proxy; without it the environment's is unused",
          "[proxy]") {
  HttpTestServer target, proxy;
  target.set_response("/metrics", TestResponse{.body = "direct_value 1\n"});
  // A forward proxy gets the absolute URL in the request line.
  const std::string proxied_url = fmt::format("http://{}/metrics", target.address());
  proxy.set_response(proxied_url, TestResponse{.body = "via_proxy_value 1\n"});
  const std::string by_name = fmt::format("localhost:{}", target.port());
  proxy.set_response(fmt::format("http://{}/metrics", by_name),
                     TestResponse{.body = "via_proxy_value 1\n"});

  // The daemon gets an http_proxy pointing at the proxy; the test's own
  // requests to 127.0.0.1 skip it (no_proxy), the job scraping by name would
  // not, if the environment were used.
  ScopedEnvironment http_proxy("http_proxy", fmt::format("http://{}", proxy.address()));
  ScopedEnvironment no_proxy("no_proxy", "127.0.0.1");
  DaemonRunner daemon("scrape_configs:\n" +
                      job_yaml("proxied", target.address(),
                               fmt::format("    proxy_url: http://{}\n", proxy.address())) +
                      job_yaml("direct", by_name, ""));

  std::string body;
  const bool seen = wait_until(
      [&] {
        body = daemon.metrics();
        return exposed_value(body, fmt::format("via_proxy_value{{instance=\"{}\",job=\"proxied\"}}",
                                               target.address())) == 1.0 &&
               exposed_value(body, fmt::format("direct_value{{instance=\"{}\",job=\"direct\"}}",
                                               by_name)) == 1.0;
      },
      kSettle);
  INFO(body);
  INFO(daemon.log());
  REQUIRE(seen);
  CHECK(proxy.request_count(proxied_url) >= 1);
  CHECK(proxy.request_count(fmt::format("http://{}/metrics", by_name)) == 0);
  CHECK(target.request_count("/metrics") >= 1);
}

TEST_CASE("redirects are followed unless follow_redirects is false", "[redirect]") {
  HttpTestServer target;
  target.set_response("/metrics", TestResponse{.status = 302, .location = "/real-metrics"});
  target.set_response("/real-metrics", TestResponse{.body = "redirected_value 1\n"});
  DaemonRunner daemon("scrape_configs:\n" + job_yaml("follows", target.address(), "") +
                      job_yaml("stays", target.address(), "    follow_redirects: false\n"));
  const std::string failed_line = fmt::format(
      "msg=\"scrape failed\" job=stays target=http://{}/metrics reason=http_status "
      "err=\"server returned HTTP status 302 Found\"",
      target.address());
  std::string body, log;
  const bool seen = wait_until(
      [&] {
        body = daemon.metrics();
        log = daemon.log();
        return exposed_value(body, fmt::format("up{{instance=\"{}\",job=\"follows\"}}",
                                               target.address())) == 1.0 &&
               exposed_value(body, fmt::format("up{{instance=\"{}\",job=\"stays\"}}",
                                               target.address())) == 0.0 &&
               log.find(failed_line) != std::string::npos;
      },
      kSettle);
  INFO(body);
  INFO(log);
  REQUIRE(seen);
  CHECK(exposed_value(body, fmt::format("redirected_value{{instance=\"{}\",job=\"follows\"}}",
                                        target.address())) == 1.0);
}

}  // namespace
}  // namespace mc::test
