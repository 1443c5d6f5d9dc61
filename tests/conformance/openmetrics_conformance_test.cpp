// Runs the OpenMetrics parser conformance suite (../shared/conformance/
// openmetrics/parsers, one folder per case: `metrics` and `test.json` with
// "shouldParse") through the daemon's check command:
//   metrics-collector check exposition --format=openmetrics < metrics
// A valid case must exit 0; an invalid one must exit non-zero with a message
// that names the line ("error: line N: ..."). Exit 77 (skipped) when the
// shared folder is absent.
// Every case runs through run_check_command in this process, the function
// the binary's `check` dispatches to; the first valid and the first invalid
// case also run through the real binary, which must answer alike. One binary
// start per case cost 0.5 s of CPU under ASan (211 cases: 194 s of CI's ASan
// step, .ci/README.md).
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/check_command.hpp"

extern char** environ;

namespace {

namespace fs = std::filesystem;

struct RunResult {
  int exit_status = -1;
  std::string stderr_text;
};

std::string read_file(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

// "shouldParse": true/false from test.json; the files are tiny and regular.
std::optional<bool> should_parse(const fs::path& test_json) {
  const std::string text = read_file(test_json);
  const size_t key = text.find("\"shouldParse\"");
  if (key == std::string::npos) return std::nullopt;
  const size_t value = text.find_first_not_of(" \t\r\n:", key + 13);
  if (value == std::string::npos) return std::nullopt;
  if (text.compare(value, 4, "true") == 0) return true;
  if (text.compare(value, 5, "false") == 0) return false;
  return std::nullopt;
}

// Runs the daemon with `input` as fd 0 and its stderr captured.
std::optional<RunResult> run_check(const fs::path& input) {
  const int input_fd = open(input.c_str(), O_RDONLY | O_CLOEXEC);
  if (input_fd < 0) return std::nullopt;
  int stderr_pipe[2];
  if (pipe2(stderr_pipe, O_CLOEXEC) != 0) {
    close(input_fd);
    return std::nullopt;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, input_fd, 0);
  posix_spawn_file_actions_adddup2(&actions, stderr_pipe[1], 2);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  std::string binary = MC_DAEMON_BINARY;
  std::string check = "check", exposition = "exposition", format = "--format=openmetrics";
  char* argv[] = {binary.data(), check.data(), exposition.data(), format.data(), nullptr};
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  close(input_fd);
  close(stderr_pipe[1]);
  RunResult result;
  if (spawned != 0) {
    close(stderr_pipe[0]);
    return std::nullopt;
  }
  char buffer[4096];
  for (;;) {
    const ssize_t n = read(stderr_pipe[0], buffer, sizeof buffer);
    if (n <= 0) break;
    result.stderr_text.append(buffer, static_cast<size_t>(n));
  }
  close(stderr_pipe[0]);
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return std::nullopt;
  result.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

// The same check in this process: the exit status and what went to stderr.
std::optional<RunResult> check_in_process(const fs::path& input) {
  std::ifstream in(input, std::ios::binary);
  if (!in) return std::nullopt;
  const std::string_view args[] = {"exposition", "--format=openmetrics"};
  std::ostringstream out;
  std::ostringstream err;
  RunResult result;
  result.exit_status = mc::run_check_command(args, in, out, err);
  result.stderr_text = err.str();
  return result;
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

}  // namespace

int main() {
  const fs::path suite = fs::path(MC_SHARED_DIR) / "conformance" / "openmetrics" / "parsers";
  std::error_code error;
  if (!fs::is_directory(suite, error)) {
    std::printf(
        "skipped: %s not found; the OpenMetrics conformance suite lives in the team's shared/ "
        "folder beside the clone\n",
        suite.c_str());
    return 77;
  }
  std::vector<fs::path> cases;
  for (const auto& entry : fs::directory_iterator(suite)) {
    if (entry.is_directory()) cases.push_back(entry.path());
  }
  std::sort(cases.begin(), cases.end());

  int passed = 0;
  int failed = 0;
  bool valid_through_binary = false;
  bool invalid_through_binary = false;
  for (const fs::path& test_case : cases) {
    const std::string name = test_case.filename().string();
    const auto expected_valid = should_parse(test_case / "test.json");
    if (!expected_valid) {
      std::printf("FAIL %s: test.json has no readable \"shouldParse\"\n", name.c_str());
      ++failed;
      continue;
    }
    const auto run = check_in_process(test_case / "metrics");
    if (!run) {
      std::printf("FAIL %s: could not read %s\n", name.c_str(), (test_case / "metrics").c_str());
      ++failed;
      continue;
    }
    bool& through_binary = *expected_valid ? valid_through_binary : invalid_through_binary;
    if (!through_binary) {
      through_binary = true;
      const auto binary_run = run_check(test_case / "metrics");
      if (!binary_run) {
        std::printf("FAIL %s: could not run %s\n", name.c_str(), MC_DAEMON_BINARY);
        ++failed;
        continue;
      }
      if (binary_run->exit_status != run->exit_status ||
          first_line(binary_run->stderr_text) != first_line(run->stderr_text)) {
        std::printf("FAIL %s: the binary exited %d (%s), the check in process %d (%s)\n",
                    name.c_str(), binary_run->exit_status,
                    first_line(binary_run->stderr_text).c_str(), run->exit_status,
                    first_line(run->stderr_text).c_str());
        ++failed;
        continue;
      }
    }
    const std::string message = first_line(run->stderr_text);
    const bool accepted = run->exit_status == 0;
    if (*expected_valid && !accepted) {
      std::printf("FAIL %s: valid case rejected (exit %d): %s\n", name.c_str(), run->exit_status,
                  message.c_str());
      ++failed;
    } else if (!*expected_valid && accepted) {
      std::printf("FAIL %s: invalid case accepted\n", name.c_str());
      ++failed;
    } else if (!*expected_valid && message.rfind("error: line ", 0) != 0) {
      std::printf("FAIL %s: rejected without naming the line: %s\n", name.c_str(), message.c_str());
      ++failed;
    } else {
      ++passed;
    }
  }
  if (!valid_through_binary || !invalid_through_binary) {
    std::printf("FAIL: the suite has no %s case to run through the binary\n",
                valid_through_binary ? "invalid" : "valid");
    ++failed;
  }
  std::printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
