#include "tests/support/daemon_runner.hpp"

#include <sstream>
#include <stdexcept>

#include "tests/support/http_client.hpp"

namespace mc::test {

DaemonRunner::DaemonRunner(const std::string& config_yaml, std::vector<std::string> extra_flags,
                           DaemonAccess access)
    : access_(std::move(access)) {
  auto config = dir_.write_file("config.yml", config_yaml);
  port_ = free_port();
  std::vector<std::string> argv = {MC_DAEMON_BINARY, "--config.file=" + config.string(),
                                   "--web.listen-address=127.0.0.1:" + std::to_string(port_),
                                   "--storage.path=" + (dir_.path() / "data").string()};
  argv.insert(argv.end(), extra_flags.begin(), extra_flags.end());
  process_ = std::make_unique<ChildProcess>(argv, dir_.path() / "daemon.log");
  bool ready = wait_until(
      [&] {
        return !process_->running() ||
               http_request(base_url() + "/-/ready", access_.request).status == 200;
      },
      std::chrono::seconds(20));
  if (!ready || !process_->running()) {
    throw std::runtime_error("the daemon did not become ready; its log:\n" + process_->output());
  }
}

std::string DaemonRunner::metrics() const {
  return http_request(base_url() + "/metrics", access_.request).body;
}

std::optional<double> exposed_value(const std::string& body, const std::string& series) {
  std::istringstream lines(body);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.size() > series.size() && line.compare(0, series.size(), series) == 0 &&
        line[series.size()] == ' ') {
      return std::stod(line.substr(series.size() + 1));
    }
  }
  return std::nullopt;
}

}  // namespace mc::test
