// DaemonRunner: the real metrics-collector binary, started for a test on a
// free 127.0.0.1 port with a config written into a temporary directory, and
// stopped (SIGTERM) at the end. With a DaemonAccess it speaks https and
// sends credentials, for a daemon started with --web.config.file.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tests/support/child_process.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/temp_dir.hpp"

namespace mc::test {

// How the tests reach a daemon with a web config (TLS, basic auth).
struct DaemonAccess {
  std::string scheme = "http";
  HttpRequestOptions request;  // CA, client certificate, credentials for every request
};

class DaemonRunner {
 public:
  // Starts the daemon and waits until /-/ready answers 200 (throws after 20 s),
  // asking with `access`.
  explicit DaemonRunner(const std::string& config_yaml, std::vector<std::string> extra_flags = {},
                        DaemonAccess access = {});

  uint16_t port() const { return port_; }
  pid_t pid() const { return process_->pid(); }  // for reading /proc/<pid>/status
  std::string base_url() const { return access_.scheme + "://127.0.0.1:" + std::to_string(port_); }
  std::string metrics() const;  // GET /metrics body (text 0.0.4)
  std::string log() const { return process_->output(); }
  // The config file the daemon reads (rewrite it to test a reload).
  std::filesystem::path config_file() const { return dir_.path() / "config.yml"; }
  int stop() { return process_->stop(); }
  // Waits for the daemon to exit by itself; nullopt on timeout.
  std::optional<int> wait(std::chrono::milliseconds timeout) { return process_->wait(timeout); }

 private:
  TempDir dir_;
  uint16_t port_ = 0;
  DaemonAccess access_;
  std::unique_ptr<ChildProcess> process_;
};

// A sample's value in an exposition body: the line that starts with
// `series` followed by a space; nullopt when absent.
std::optional<double> exposed_value(const std::string& body, const std::string& series);

}  // namespace mc::test
