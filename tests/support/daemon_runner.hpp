// DaemonRunner: the real metrics-collector binary, started for a test on a
// free 127.0.0.1 port with a config written into a temporary directory, and
// stopped (SIGTERM) at the end.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tests/support/child_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace mc::test {

class DaemonRunner {
 public:
  // Starts the daemon and waits until /-/ready answers 200 (throws after 20 s).
  explicit DaemonRunner(const std::string& config_yaml, std::vector<std::string> extra_flags = {});

  uint16_t port() const { return port_; }
  pid_t pid() const { return process_->pid(); }  // for reading /proc/<pid>/status
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string metrics() const;  // GET /metrics body (text 0.0.4)
  std::string log() const { return process_->output(); }
  int stop() { return process_->stop(); }

 private:
  TempDir dir_;
  uint16_t port_ = 0;
  std::unique_ptr<ChildProcess> process_;
};

// A sample's value in an exposition body: the line that starts with
// `series` followed by a space; nullopt when absent.
std::optional<double> exposed_value(const std::string& body, const std::string& series);

}  // namespace mc::test
