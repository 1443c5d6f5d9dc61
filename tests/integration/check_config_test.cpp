// `metrics-collector check config` against the daemon itself: for the same
// files and environment it must agree with what the daemon does at start
// (exit 2 and the same reason when the daemon refuses; 0 when it starts).
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "tests/support/child_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace mc::test {
namespace {

// A config whose one database takes its DSN from MC_CHECK_TEST_DSN.
constexpr const char* kSqlConfig = R"(sql:
  databases:
    - name: app
      dsn_env: MC_CHECK_TEST_DSN
      queries:
        - name: up
          help: Whether the app answers.
          sql: SELECT 1 AS value
          value_columns: [value]
)";

// `env` in front of the program sets (NAME=value) or unsets (-u NAME) variables.
RunResult run_with_environment(std::vector<std::string> environment,
                               std::vector<std::string> argv) {
  std::vector<std::string> command{"/usr/bin/env"};
  command.insert(command.end(), environment.begin(), environment.end());
  command.insert(command.end(), argv.begin(), argv.end());
  return run_program(command, {}, std::chrono::seconds(30));
}

// Starts the daemon on a free port; it either exits by itself (refuses to
// start) or is stopped once it serves. Returns its exit status and output.
RunResult run_daemon(const TempDir& dir, const std::vector<std::string>& environment,
                     const std::string& config) {
  return run_with_environment(
      environment,
      {"timeout", "--signal=TERM", "5", MC_DAEMON_BINARY, "--config.file=" + config,
       "--storage.path=" + (dir.path() / "data").string(), "--web.listen-address=127.0.0.1:0"});
}

}  // namespace

TEST_CASE("check config --help prints the usage, not a missing file", "[check]") {
  auto result = run_program({MC_DAEMON_BINARY, "check", "config", "--help"});
  CHECK(result.exit_status == 0);
  CHECK_THAT(result.output, Catch::StartsWith("usage: metrics-collector check config"));
  CHECK_THAT(result.output, Catch::Contains("Exit status"));
}

TEST_CASE("check config and the daemon agree on an unset DSN variable", "[check]") {
  TempDir dir;
  auto config = dir.write_file("sql.yml", kSqlConfig).string();
  auto check = run_with_environment({"-u", "MC_CHECK_TEST_DSN"},
                                    {MC_DAEMON_BINARY, "check", "config", config});
  INFO(check.output);
  CHECK(check.exit_status == 2);
  CHECK_THAT(check.output,
             Catch::Contains("FAILED: " + config +
                             ": sql database \"app\": environment variable MC_CHECK_TEST_DSN is "
                             "not set or empty"));
  auto daemon = run_daemon(dir, {"-u", "MC_CHECK_TEST_DSN"}, config);
  INFO(daemon.output);
  CHECK(daemon.exit_status == 2);
  CHECK_THAT(daemon.output, Catch::Contains("MC_CHECK_TEST_DSN is not set or empty"));
}

TEST_CASE("check config passes a DSN variable that is set, as the daemon starts", "[check]") {
  TempDir dir;
  auto config = dir.write_file("sql.yml", kSqlConfig).string();
  // Nothing listens there: the daemon starts and retries; the check does not connect.
  const std::string dsn = "MC_CHECK_TEST_DSN=host=127.0.0.1 port=1 dbname=app";
  auto check = run_with_environment({dsn}, {MC_DAEMON_BINARY, "check", "config", config});
  INFO(check.output);
  CHECK(check.exit_status == 0);
  CHECK_THAT(check.output, Catch::StartsWith("SUCCESS: " + config));
  auto daemon = run_daemon(dir, {dsn}, config);
  INFO(daemon.output);
  CHECK(daemon.exit_status == 124);  // stopped by timeout: it was running
}

TEST_CASE("check config and the daemon agree on an unreadable DSN file", "[check]") {
  TempDir dir;
  auto config = dir.write_file("sql.yml", R"(sql:
  databases:
    - name: app
      dsn_file: )" + (dir.path() / "missing-dsn").string() +
                                              R"(
      queries:
        - name: up
          help: Whether the app answers.
          sql: SELECT 1 AS value
          value_columns: [value]
)")
                    .string();
  auto check = run_program({MC_DAEMON_BINARY, "check", "config", config});
  INFO(check.output);
  CHECK(check.exit_status == 2);
  CHECK_THAT(check.output, Catch::Contains("cannot read DSN file"));
  auto daemon = run_daemon(dir, {}, config);
  INFO(daemon.output);
  CHECK(daemon.exit_status == 2);
  CHECK_THAT(daemon.output, Catch::Contains("cannot read DSN file"));
}

TEST_CASE("check config and the daemon agree on a bad METRICS_TICK_DURATION", "[check]") {
  TempDir dir;
  auto config = dir.write_file("empty.yml", "scrape_configs: []\n").string();
  auto check = run_with_environment({"METRICS_TICK_DURATION=5x"},
                                    {MC_DAEMON_BINARY, "check", "config", config});
  INFO(check.output);
  CHECK(check.exit_status == 2);
  CHECK_THAT(check.output, Catch::Contains("FAILED: METRICS_TICK_DURATION=\"5x\""));
  auto daemon = run_daemon(dir, {"METRICS_TICK_DURATION=5x"}, config);
  INFO(daemon.output);
  CHECK(daemon.exit_status == 2);
}

TEST_CASE("check config reads the web config file the daemon would", "[check]") {
  TempDir dir;
  auto config = dir.write_file("empty.yml", "scrape_configs: []\n").string();
  auto missing = (dir.path() / "web.yml").string();
  auto check =
      run_program({MC_DAEMON_BINARY, "check", "config", "--web.config.file=" + missing, config});
  INFO(check.output);
  CHECK(check.exit_status == 2);
  CHECK_THAT(check.output, Catch::Contains("FAILED: cannot read web config file"));
  auto good = dir.write_file("good-web.yml", "# no TLS, no users\n").string();
  auto passes =
      run_program({MC_DAEMON_BINARY, "check", "config", "--web.config.file=" + good, config});
  INFO(passes.output);
  CHECK(passes.exit_status == 0);
}

TEST_CASE("check config and the daemon print every error; check config the warnings too",
          "[check]") {
  const std::string stock = MC_SOURCE_DIR "/tests/data/config/debian-prometheus.yml";
  auto result = run_program({MC_DAEMON_BINARY, "check", "config", stock});
  INFO(result.output);
  CHECK(result.exit_status == 0);
  CHECK_THAT(result.output, Catch::Contains("WARNING: " + stock +
                                            ":5:3: global: "
                                            "\"evaluation_interval\" is ignored"));
  TempDir dir;
  auto bad = dir.write_file(
      "bad.yml", "global:\n  scrape_interval: soon\nremote_write:\n  - url: http://x/\n");
  auto failed = run_program({MC_DAEMON_BINARY, "check", "config", bad.string()});
  INFO(failed.output);
  CHECK(failed.exit_status == 2);
  CHECK_THAT(failed.output, Catch::Contains("FAILED: " + bad.string() + ":2:20: "));
  CHECK_THAT(failed.output, Catch::Contains("FAILED: " + bad.string() + ":3:1: \"remote_write\""));
  // The daemon refuses the same file with the same errors, one log line each.
  auto daemon = run_daemon(dir, {}, bad.string());
  INFO(daemon.output);
  CHECK(daemon.exit_status == 2);
  CHECK_THAT(daemon.output, Catch::Contains("err=\"" + bad.string() + ":2:20: "));
  CHECK_THAT(daemon.output, Catch::Contains("err=\"" + bad.string() + ":3:1: \\\"remote_write"));
}

}  // namespace mc::test
