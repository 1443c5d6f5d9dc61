// The SQL collector when its database is away: at start-up (zeros, errors
// counted, values once it comes up, no restart), mid-run (reconnects), and
// when it refuses the password (which never shows in logs or on :9993).
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "tests/support/child_process.hpp"
#include "tests/support/daemon_runner.hpp"
#include "tests/support/postgres_server.hpp"
#include "tests/support/temp_dir.hpp"

namespace mc::test {
namespace {

using namespace std::chrono_literals;

constexpr auto kSettle = 15s;

constexpr const char* kSchema =
    "CREATE TABLE installations (project text NOT NULL, active boolean NOT NULL);\n"
    "INSERT INTO installations VALUES ('atlas', true), ('atlas', true), ('borealis', false);\n";

// Two queries: one unlabelled, one with declared label values.
constexpr const char* kConfig = R"(
sql:
  databases:
    - name: app
      dsn_env: MC_TEST_DSN
      queries:
        - name: active
          metric: business_active_installations
          help: Active installations.
          sql: SELECT count(*) AS active FROM installations WHERE active
          value_columns: [active]
        - name: by_project
          metric: business_installations
          help: Installations by project.
          sql: SELECT project, count(*) AS n FROM installations GROUP BY project
          label_columns: [project]
          value_columns: [n]
          initial_label_values:
            - {project: atlas}
            - {project: borealis}
)";

double connect_errors(const std::string& body, const std::string& query) {
  return exposed_value(body, fmt::format("metrics_collector_sql_query_errors_total{{database="
                                         "\"app\",query=\"{}\",reason=\"connect\"}}",
                                         query))
      .value_or(-1);
}

std::optional<double> database_up(const std::string& body) {
  return exposed_value(body, "metrics_collector_sql_database_up{database=\"app\"}");
}

TEST_CASE("a database down at start: zeros and rising errors, then real values, no restart",
          "[sql]") {
  MC_REQUIRE_POSTGRES();
  PostgresServer postgres;  // made, not started
  ScopedEnvironment url("MC_TEST_DSN", postgres.url());
  ScopedEnvironment tick("METRICS_TICK_DURATION", "200ms");
  DaemonRunner daemon(kConfig);

  // :9993 serves at once, with every configured series at 0.
  std::string body = daemon.metrics();
  CHECK(exposed_value(body, "business_active_installations") == 0);
  CHECK(exposed_value(body, "business_installations{project=\"atlas\"}") == 0);
  CHECK(exposed_value(body, "business_installations{project=\"borealis\"}") == 0);

  // The collector keeps trying: connect errors rise, up says 0, zeros stay.
  REQUIRE(wait_until([&] { return connect_errors(daemon.metrics(), "active") >= 2; }, kSettle));
  double errors_before = connect_errors(daemon.metrics(), "active");
  REQUIRE(wait_until([&] { return connect_errors(daemon.metrics(), "active") > errors_before; },
                     kSettle));
  body = daemon.metrics();
  CHECK(database_up(body) == 0);
  CHECK(exposed_value(body, "business_active_installations") == 0);
  CHECK(exposed_value(body, "business_installations{project=\"atlas\"}") == 0);
  std::string log = daemon.log();
  CHECK_THAT(log, Catch::Contains("msg=\"sql: cannot connect to database\" database=app") &&
                      Catch::Contains("attempt=2") && Catch::Contains("retry_in="));
  // A database that is away may come back by itself: warn, not error, and
  // libpq's whole message (its "Is the server running" line too).
  CHECK_THAT(log, Catch::Contains("level=warn msg=\"sql: cannot connect to database\"") &&
                      !Catch::Contains("level=error") &&
                      Catch::Contains("Connection refused\\n\\tIs the server running"));
  CHECK(exposed_value(body,
                      "metrics_collector_sql_query_last_run_successful{database=\"app\","
                      "query=\"active\"}") == 0);

  // Up it comes: real values, without restarting the daemon.
  postgres.start();
  postgres.psql(kSchema);
  bool recovered = wait_until(
      [&] {
        body = daemon.metrics();
        return exposed_value(body, "business_active_installations") == 2 &&
               exposed_value(body, "business_installations{project=\"atlas\"}") == 2 &&
               exposed_value(body, "business_installations{project=\"borealis\"}") == 1;
      },
      kSettle);
  INFO(body << "\n" << daemon.log());
  CHECK(recovered);
  // Not from the same page: a page reads the daemon's own gauges before the
  // store, so one rendered while the worker connected and ran its first query
  // can hold database_up 0 beside the values that query stored.
  CHECK(wait_until([&] { return database_up(daemon.metrics()) == 1; }, kSettle));
  CHECK_THAT(daemon.log(), Catch::Contains("msg=\"sql: connected to database\" database=app"));
  CHECK(wait_until(
      [&] {
        return exposed_value(daemon.metrics(),
                             "metrics_collector_sql_query_last_run_successful{database=\"app\","
                             "query=\"active\"}") == 1;
      },
      kSettle));
}

TEST_CASE("a database restarted mid-run: errors counted, reconnected, values again", "[sql]") {
  MC_REQUIRE_POSTGRES();
  PostgresServer postgres;
  postgres.start();
  postgres.psql(kSchema);
  ScopedEnvironment url("MC_TEST_DSN", postgres.url());
  ScopedEnvironment tick("METRICS_TICK_DURATION", "200ms");
  DaemonRunner daemon(kConfig);
  REQUIRE(wait_until(
      [&] { return exposed_value(daemon.metrics(), "business_active_installations") == 2; },
      kSettle));

  postgres.stop();
  std::string body;
  bool noticed = wait_until(
      [&] {
        body = daemon.metrics();
        return database_up(body) == 0 && connect_errors(body, "active") >= 1;
      },
      kSettle);
  INFO(body << "\n" << daemon.log());
  REQUIRE(noticed);
  // The last values stay (until the lookback window passes them by).
  CHECK(exposed_value(body, "business_active_installations") == 2);

  postgres.start();
  postgres.psql("INSERT INTO installations VALUES ('cygnus', true)");
  // Values and up are waited for together: in one CI run under ASan a page
  // had the new values while up read other than 1 (not reproduced in 60 runs
  // under load since; the log was cut from CI's output). A connection that
  // drops again at once after a restart may show 0 for a tick; one that
  // stays up must end at 1, and a failure prints the page and the log whole.
  bool reconnected = wait_until(
      [&] {
        body = daemon.metrics();
        return exposed_value(body, "business_active_installations") == 3 &&
               exposed_value(body, "business_installations{project=\"cygnus\"}") == 1 &&
               database_up(body) == 1;
      },
      kSettle);
  INFO(body << "\n" << daemon.log());
  CHECK(reconnected);
  // Nothing of the password in the log or on :9993.
  CHECK_THAT(daemon.log(), !Catch::Contains(PostgresServer::kAdminPassword));
  CHECK_THAT(body, !Catch::Contains(PostgresServer::kAdminPassword));
}

TEST_CASE("a refused password is logged with its reason but never with the password", "[sql]") {
  MC_REQUIRE_POSTGRES();
  PostgresServer postgres;
  postgres.start();
  const std::string wrong_password = "Wr0ng-Pa55-Se'cret";
  // Inline DSN (key=value form), so the password is in the config file too.
  std::string config =
      fmt::format(R"(
sql:
  databases:
    - name: app
      dsn: "host=127.0.0.1 port={} dbname=postgres user={} password='{}'"
      queries:
        - name: one
          help: One.
          sql: SELECT 1 AS v
          value_columns: [v]
)",
                  postgres.port(), PostgresServer::kAdminUser, "Wr0ng-Pa55-Se\\\\'cret");
  ScopedEnvironment tick("METRICS_TICK_DURATION", "200ms");
  DaemonRunner daemon(config);
  REQUIRE(wait_until(
      [&] {
        return daemon.log().find("password authentication failed") != std::string::npos &&
               daemon.log().find("attempt=2") != std::string::npos &&
               connect_errors(daemon.metrics(), "one") >= 1;
      },
      kSettle));
  std::string log = daemon.log();
  INFO(log);
  // Retried (the password may be rotated), but at error level: a person must act.
  CHECK_THAT(log, Catch::Contains("level=error msg=\"sql: cannot connect to database\" "
                                  "database=app") &&
                      Catch::Contains("attempt=2"));
  CHECK_THAT(log, Catch::Contains("dsn=\"host=127.0.0.1 port="));
  CHECK_THAT(log, !Catch::Contains("Wr0ng-Pa55"));
  CHECK_THAT(daemon.metrics(), !Catch::Contains("Wr0ng-Pa55"));
  CHECK(exposed_value(daemon.metrics(), "one") == 0);
}

TEST_CASE("METRICS_TICK_DURATION takes Go durations, and a bad one stops the daemon with status 2",
          "[sql]") {
  TempDir dir;
  auto config = dir.write_file("config.yml", "scrape_configs: []\n");
  auto run_with_tick = [&](const std::string& tick) {
    ScopedEnvironment variable("METRICS_TICK_DURATION", tick);
    return run_program(
        {MC_DAEMON_BINARY, "--config.file=" + config.string(), "--web.listen-address=127.0.0.1:0",
         "--storage.path=" + (dir.path() / "data").string()},
        {}, 10s);
  };
  for (std::string bad : {"5x", "1.5", "-1s", "0", "1d", "ten seconds", "500ns"}) {
    auto result = run_with_tick(bad);
    INFO(bad << ": " << result.output);
    CHECK(result.exit_status == 2);
    CHECK_THAT(result.output,
               Catch::Contains(fmt::format("METRICS_TICK_DURATION=\\\"{}\\\"", bad)));
  }
  // Good values start the daemon; the tick shows in its start-up log line.
  for (const auto& [tick, shown] : std::vector<std::pair<std::string, std::string>>{
           {"1m30s", "tick=1m30s"}, {"1.5s", "tick=1s500ms"}, {"500ms", "tick=500ms"}}) {
    ScopedEnvironment variable("METRICS_TICK_DURATION", tick);
    DaemonRunner daemon(
        "sql:\n  databases:\n    - name: app\n      dsn: postgresql://127.0.0.1:1/none\n"
        "      queries:\n        - {name: q, help: h, sql: SELECT 1 AS v, value_columns: [v]}\n");
    INFO(tick);
    CHECK_THAT(daemon.log(), Catch::Contains(shown));
    CHECK(daemon.stop() == 0);
  }
}

}  // namespace
}  // namespace mc::test
