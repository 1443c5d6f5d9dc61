// The daemon keeps one HTTP connection per target alive between scrapes, as
// Prometheus does. libcurl's shared connection cache once held only 4
// connections per transfer under way, so with more targets every scrape
// connected anew: a TCP handshake and about a dozen extra syscalls on both
// sides, each scrape. The targets here answer keep-alive requests and count
// the connections they accept.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/child_process.hpp"
#include "tests/support/daemon_runner.hpp"

namespace mc::test {
namespace {

using namespace std::chrono_literals;

// An HTTP/1.1 target on 127.0.0.1 that keeps connections open: it answers
// every request on a connection with the same page and counts accepted
// connections and answered requests.
class KeepAliveTarget {
 public:
  // `drop_second_request`: a connection's second request is met with a close
  // and no answer, as when a server's idle timeout fires just as the request
  // arrives; the scraper must send it again on a new connection.
  explicit KeepAliveTarget(bool drop_second_request = false)
      : drop_second_request_(drop_second_request) {
    listener_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(listener_ >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0);
    REQUIRE(listen(listener_, 16) == 0);
    socklen_t length = sizeof(address);
    REQUIRE(getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) == 0);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~KeepAliveTarget() {
    stopping_ = true;
    thread_.join();
    close(listener_);
  }
  KeepAliveTarget(const KeepAliveTarget&) = delete;
  KeepAliveTarget& operator=(const KeepAliveTarget&) = delete;

  std::string address() const { return fmt::format("127.0.0.1:{}", port_); }
  int connections() const { return connections_; }
  int requests() const { return requests_; }
  int dropped() const { return dropped_; }

 private:
  void serve() {
    std::map<int, std::string> inputs;  // connection -> bytes not yet answered
    std::map<int, int> answered;        // connection -> requests read on it
    while (!stopping_) {
      std::vector<pollfd> fds{{listener_, POLLIN, 0}};
      for (const auto& [fd, input] : inputs) fds.push_back({fd, POLLIN, 0});
      if (poll(fds.data(), fds.size(), 50) <= 0) continue;
      if (fds[0].revents & POLLIN) {
        const int fd = accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd >= 0) {
          inputs[fd];
          ++connections_;
        }
      }
      for (size_t i = 1; i < fds.size(); ++i) {
        if (fds[i].revents == 0) continue;
        char buffer[4096];
        const ssize_t got = read(fds[i].fd, buffer, sizeof(buffer));
        if (got <= 0) {
          close(fds[i].fd);
          inputs.erase(fds[i].fd);
          continue;
        }
        std::string& input = inputs[fds[i].fd];
        input.append(buffer, static_cast<size_t>(got));
        bool dropped = false;
        for (size_t end; (end = input.find("\r\n\r\n")) != std::string::npos;) {
          input.erase(0, end + 4);
          if (drop_second_request_ && ++answered[fds[i].fd] == 2) {
            dropped = true;
            break;
          }
          const std::string body = "keep_alive_probe 1\n";
          const std::string reply = fmt::format(
              "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\n"
              "Content-Length: {}\r\n\r\n{}",
              body.size(), body);
          // A short write fails the scrape, which the test then sees as a
          // second connection (no Catch assertion off the test's thread).
          if (write(fds[i].fd, reply.data(), reply.size()) == static_cast<ssize_t>(reply.size())) {
            ++requests_;
          }
        }
        if (dropped) {
          close(fds[i].fd);
          inputs.erase(fds[i].fd);
          answered.erase(fds[i].fd);
          ++dropped_;
        }
      }
    }
    for (const auto& [fd, input] : inputs) close(fd);
  }

  int listener_ = -1;
  uint16_t port_ = 0;
  std::atomic<int> connections_ = 0;
  std::atomic<int> requests_ = 0;
  std::atomic<int> dropped_ = 0;
  const bool drop_second_request_;
  std::atomic<bool> stopping_ = false;
  std::thread thread_;
};

TEST_CASE("each target's connection is kept alive from scrape to scrape, with many targets",
          "[end_to_end][keep_alive]") {
  // More targets than libcurl's default cache kept connections for.
  constexpr int kTargets = 12;
  std::vector<std::unique_ptr<KeepAliveTarget>> targets;
  std::string list;
  for (int i = 0; i < kTargets; ++i) {
    targets.push_back(std::make_unique<KeepAliveTarget>());
    list += fmt::format("{}\"{}\"", i == 0 ? "" : ", ", targets.back()->address());
  }
  DaemonRunner daemon(
      fmt::format("scrape_configs:\n  - job_name: keep\n    scrape_interval: 1s\n"
                  "    scrape_timeout: 900ms\n"
                  "    static_configs:\n      - targets: [{}]\n",
                  list));
  REQUIRE(wait_until(
      [&] {
        for (const auto& target : targets) {
          if (target->requests() < 3) return false;
        }
        return true;
      },
      20s));
  for (const auto& target : targets) {
    INFO(target->address() << ": " << target->requests() << " requests");
    CHECK(target->connections() == 1);
  }
}

TEST_CASE("a request the server drops on a kept connection is sent again on a new one",
          "[end_to_end][keep_alive]") {
  KeepAliveTarget target(/*drop_second_request=*/true);
  DaemonRunner daemon(
      fmt::format("scrape_configs:\n  - job_name: retry\n    scrape_interval: 1s\n"
                  "    scrape_timeout: 900ms\n"
                  "    static_configs:\n      - targets: [\"{}\"]\n",
                  target.address()));
  REQUIRE(wait_until([&] { return target.requests() >= 4; }, 20s));
  // Every scrape after the first met a dropped request and was answered on a
  // new connection: none of them failed.
  CHECK(target.dropped() >= 3);
  const std::string metrics = daemon.metrics();
  INFO(metrics);
  CHECK(exposed_value(metrics,
                      fmt::format("up{{instance=\"{}\",job=\"retry\"}}", target.address())) == 1.0);
  CHECK_THAT(metrics, !Catch::Contains("metrics_collector_scrape_failures_total{instance=\"" +
                                       target.address()));
}

}  // namespace
}  // namespace mc::test
