// ChildProcess: runs a program (the daemon, promtool, prometheus) for a test,
// with stdout and stderr captured to a file, and stops it (SIGTERM, then
// SIGKILL after a grace period) when the object goes away.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace mc::test {

class ChildProcess {
 public:
  // `stdin_file`: a file to read standard input from; empty for /dev/null.
  ChildProcess(std::vector<std::string> argv, std::filesystem::path output_file,
               std::filesystem::path stdin_file = {});
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  bool running();
  // Sends SIGTERM and waits; returns the exit status (128+signal when killed).
  int stop(std::chrono::milliseconds grace = std::chrono::seconds(10));
  // Waits for the process to exit by itself; nullopt on timeout.
  std::optional<int> wait(std::chrono::milliseconds timeout);
  std::string output() const;  // what it wrote to stdout and stderr so far

 private:
  pid_t pid_ = -1;
  std::optional<int> exit_status_;
  std::filesystem::path output_file_;
};

// Runs a program to completion; returns its exit status and combined output.
struct RunResult {
  int exit_status = -1;
  std::string output;
};
RunResult run_program(std::vector<std::string> argv, const std::filesystem::path& stdin_file = {},
                      std::chrono::milliseconds timeout = std::chrono::seconds(60));

// Polls `condition` every 50 ms until it holds or `timeout` passes.
bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout);

}  // namespace mc::test
