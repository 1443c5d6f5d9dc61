// A failing query is visible where dashboards and log alerts look: the
// per-query last_run_successful gauge, error-level log lines for errors no
// retry fixes (with the database's error whole), warn for those that may
// pass; and a DSN no retry makes usable stops the daemon at start. All
// against the real daemon and a real, throwaway PostgreSQL 15, as a role with
// only the grants the docs give it.
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
constexpr const char* kReaderPassword = "R3ader-Pa55word";

std::optional<double> last_run_successful(const std::string& body, const std::string& query) {
  return exposed_value(body, fmt::format("metrics_collector_sql_query_last_run_successful{{"
                                         "database=\"app\",query=\"{}\"}}",
                                         query));
}

TEST_CASE("a failing query shows on its gauge and, when no retry fixes it, at error level",
          "[sql]") {
  MC_REQUIRE_POSTGRES();
  PostgresServer postgres;
  postgres.start();
  postgres.psql("CREATE DATABASE app");
  postgres.psql(fmt::format("CREATE ROLE reader LOGIN PASSWORD '{}'", kReaderPassword));
  postgres.psql(
      "CREATE TABLE installations (project text NOT NULL, active boolean NOT NULL);\n"
      "INSERT INTO installations VALUES ('atlas', true), ('atlas', true);\n"
      "CREATE TABLE salaries (name text, amount numeric);\n"
      "GRANT SELECT ON installations TO reader;\n",
      "app");
  ScopedEnvironment url("MC_TEST_DSN", fmt::format("postgresql://reader:{}@127.0.0.1:{}/app",
                                                   kReaderPassword, postgres.port()));
  ScopedEnvironment tick("METRICS_TICK_DURATION", "300ms");
  DaemonRunner daemon(R"(
sql:
  databases:
    - name: app
      dsn_env: MC_TEST_DSN
      queries:
        - name: good
          help: Works.
          sql: SELECT count(*) AS good FROM installations WHERE active
          value_columns: [good]
        - name: syntax
          help: Misspelt.
          sql: SELEC 1 AS syntax
          value_columns: [syntax]
        - name: missing_column
          help: A column that is not there.
          sql: SELECT count(projet) AS missing_column FROM installations
          value_columns: [missing_column]
        - name: revoked
          help: A table the role may not read.
          sql: SELECT sum(amount) AS revoked FROM salaries
          value_columns: [revoked]
        - name: cast
          help: A cast the data fails.
          sql: SELECT 'x'::int AS cast
          value_columns: [cast]
        - name: text_value
          help: A value that is not a number.
          sql: SELECT 'seven'::text AS text_value
          value_columns: [text_value]
        - name: slow
          help: Past its timeout.
          sql: SELECT pg_sleep(5), 1 AS slow
          value_columns: [slow]
          timeout: 200ms
        - name: later
          help: A table created while the daemon runs.
          sql: SELECT count(*) AS later FROM later
          value_columns: [later]
)");
  const std::vector<std::string> failing = {"syntax", "missing_column", "revoked",
                                            "cast",   "text_value",     "slow"};
  // Before any answer: the gauge is 0 and every declared series is its zero.
  std::string body = daemon.metrics();
  CHECK(last_run_successful(body, "later") == 0);
  CHECK(exposed_value(body, "later") == 0);

  bool settled = wait_until(
      [&] {
        body = daemon.metrics();
        if (last_run_successful(body, "good") != 1) return false;
        for (const std::string& query : failing) {
          if (exposed_value(body, fmt::format("metrics_collector_sql_query_duration_seconds_count{{"
                                              "database=\"app\",query=\"{}\",result=\"failure\"}}",
                                              query))
                  .value_or(0) < 1) {
            return false;
          }
        }
        return exposed_value(body,
                             "metrics_collector_sql_query_duration_seconds_count{database=\"app\","
                             "query=\"later\",result=\"failure\"}")
                   .value_or(0) >= 1;
      },
      kSettle);
  std::string log = daemon.log();
  INFO(body << "\n" << log);
  REQUIRE(settled);
  CHECK(exposed_value(body, "good") == 2);
  for (const std::string& query : failing) {
    INFO(query);
    CHECK(last_run_successful(body, query) == 0);
    CHECK(exposed_value(body, query) == 0);  // the zero the design asks for, kept
  }
  CHECK(last_run_successful(body, "later") == 0);

  // No retry fixes these: error level, the query named, the error whole (its
  // LINE and HINT lines as escaped newlines in the one record).
  CHECK_THAT(log, Catch::Contains(
                      R"(level=error msg="sql: query failed" database=app query=syntax reason=sql )"
                      R"(sqlstate=42601 err="ERROR:  syntax error at or near \"SELEC\"\nLINE 1: )"
                      R"(SELEC 1 AS syntax\n        ^")"));
  CHECK_THAT(log, Catch::Contains(R"(level=error msg="sql: query failed" database=app )"
                                  R"(query=missing_column reason=sql sqlstate=42703 err="ERROR:  )"
                                  R"(column \"projet\" does not exist\nLINE 1: )") &&
                      Catch::Contains(R"(\nHINT:  Perhaps you meant to reference the column )"
                                      R"(\"installations.project\".")"));
  CHECK_THAT(log, Catch::Contains(R"(level=error msg="sql: query failed" database=app )"
                                  R"(query=revoked reason=sql sqlstate=42501 err="ERROR:  )"
                                  R"(permission denied for table salaries")"));
  CHECK_THAT(log, Catch::Contains(R"(level=error msg="sql: query failed" database=app query=cast )"
                                  R"(reason=sql sqlstate=22P02 err="ERROR:  invalid input syntax )"
                                  R"(for type integer: \"x\"\nLINE 1: )"));
  CHECK_THAT(log, Catch::Contains(R"(level=error msg="sql: query failed" database=app )"
                                  R"(query=text_value reason=conversion sqlstate=none )"));
  CHECK_THAT(log, Catch::Contains(R"(level=error msg="sql: query failed" database=app )"
                                  R"(query=later reason=sql sqlstate=42P01 )"));
  // A timeout may pass next time: warn, as before.
  CHECK_THAT(log, Catch::Contains(R"(level=warn msg="sql: query failed" database=app query=slow )"
                                  R"(reason=timeout sqlstate=57014 )"));
  CHECK_THAT(log,
             !Catch::Contains(R"(level=error msg="sql: query failed" database=app query=slow)"));
  CHECK_THAT(log, !Catch::Contains(kReaderPassword));

  // Fixed while running (the table created, the grant given): the gauge goes
  // to 1 and the value is real, without a restart.
  postgres.psql(
      "CREATE TABLE later AS SELECT generate_series(1, 3) AS n;\n"
      "GRANT SELECT ON later TO reader;\n",
      "app");
  bool fixed = wait_until(
      [&] {
        body = daemon.metrics();
        return last_run_successful(body, "later") == 1 && exposed_value(body, "later") == 3;
      },
      kSettle);
  INFO(body);
  CHECK(fixed);
  // And broken again: back to 0, the last value stays (as documented).
  postgres.psql("REVOKE SELECT ON later FROM reader", "app");
  CHECK(wait_until([&] { return last_run_successful(daemon.metrics(), "later") == 0; }, kSettle));
  CHECK(exposed_value(daemon.metrics(), "later") == 3);
}

TEST_CASE("the log record of a multi-line database error is one line in JSON logs too", "[sql]") {
  MC_REQUIRE_POSTGRES();
  PostgresServer postgres;
  postgres.start();
  ScopedEnvironment url("MC_TEST_DSN", postgres.url());
  ScopedEnvironment tick("METRICS_TICK_DURATION", "300ms");
  DaemonRunner daemon(R"(
sql:
  databases:
    - name: app
      dsn_env: MC_TEST_DSN
      queries:
        - {name: syntax, help: h, sql: SELEC 1 AS v, value_columns: [v]}
)",
                      {"--log.format=json"});
  REQUIRE(wait_until(
      [&] { return daemon.log().find("\"sqlstate\":\"42601\"") != std::string::npos; }, kSettle));
  std::string log = daemon.log();
  INFO(log);
  CHECK_THAT(log, Catch::Contains(R"("level":"error","msg":"sql: query failed","database":"app",)"
                                  R"("query":"syntax","reason":"sql","sqlstate":"42601","err":)"
                                  R"("ERROR:  syntax error at or near \"SELEC\"\nLINE 1: SELEC 1 )"
                                  R"(AS v\n        ^"})"
                                  "\n"));
}

TEST_CASE("a DSN libpq parses but can never use stops the daemon at start with status 2", "[sql]") {
  TempDir dir;
  auto start_with = [&](const std::string& dsn) {
    ScopedEnvironment variable("MC_TEST_DSN", dsn);
    auto config = dir.write_file("config.yml", R"(
sql:
  databases:
    - name: reports
      dsn_env: MC_TEST_DSN
      queries:
        - {name: one, help: h, sql: SELECT 1 AS v, value_columns: [v]}
)");
    return run_program(
        {MC_DAEMON_BINARY, "--config.file=" + config.string(), "--web.listen-address=127.0.0.1:0",
         "--storage.path=" + (dir.path() / "data").string()},
        {}, 20s);
  };
  struct Case {
    std::string dsn;
    std::string says;
  };
  for (const Case& bad : std::vector<Case>{
           {"postgresql://metrics:S3cret-pw@127.0.0.1:notaport/app",
            R"(port \"notaport\" is not a port number)"},
           {"host=127.0.0.1 port=notaport user=metrics password=S3cret-pw",
            R"(port \"notaport\" is not a port number)"},
           {"host=127.0.0.1 sslmode=requir password=S3cret-pw",
            R"(sslmode \"requir\" is not one of disable, allow, prefer, require)"},
           {"host=db1,db2 port=5432,5433,5434 password=S3cret-pw", "3 ports for 2 hosts"},
       }) {
    RunResult result = start_with(bad.dsn);
    INFO(bad.dsn << "\n" << result.output);
    CHECK(result.exit_status == 2);
    CHECK_THAT(result.output,
               Catch::Contains(R"(level=error msg="error loading config")") &&
                   Catch::Contains(R"(sql database \"reports\": DSN from environment variable )"
                                   R"(MC_TEST_DSN: unusable connection string: )") &&
                   Catch::Contains(bad.says));
    CHECK_THAT(result.output, !Catch::Contains("S3cret-pw"));
  }
}

TEST_CASE("libpq itself refuses every DSN the start-up check refuses", "[sql]") {
  MC_REQUIRE_POSTGRES();  // for psql, libpq 15's own client
  // The same DSNs as tests/unit/sql/connection_options_check_test.cpp; libpq
  // refuses each before any network I/O, with its own words.
  for (const auto& [dsn, libpq_says] : std::vector<std::pair<std::string, std::string>>{
           {"host=127.0.0.1 port=notaport", "\"notaport\""},
           {"host=127.0.0.1 port=70000", "invalid port number"},
           {"host=127.0.0.1 port=0", "invalid port number"},
           {"host=127.0.0.1 port=1,", "could not match 2 port numbers to 1 hosts"},
           {"host=a,b port=1,2,3", "could not match 3 port numbers to 2 hosts"},
           {"host=127.0.0.1 sslmode=bogus", "invalid sslmode value"},
           {"host=127.0.0.1 port=1 gssencmode=x", "invalid gssencmode value"},
           {"host=127.0.0.1 port=1 channel_binding=x", "invalid channel_binding value"},
           {"host=127.0.0.1 port=1 target_session_attrs=x", "invalid target_session_attrs value"},
           {"host=127.0.0.1 port=1 ssl_min_protocol_version=x",
            "invalid ssl_min_protocol_version value"},
           {"hostaddr=db.internal", "could not parse network address"},
           {"host=a,b hostaddr=127.0.0.1", "could not match 2 host names to 1 hostaddr values"},
           {"host=127.0.0.1 port=1 connect_timeout=ten", "\"ten\""},
           {"host=127.0.0.1 port=1 keepalives_idle=x", "\"x\""},
       }) {
    RunResult result = run_program({"psql", "-w", "-X", "-d", dsn, "-c", "SELECT 1"}, {}, 20s);
    INFO(dsn << ": " << result.output);
    CHECK(result.exit_status == 2);
    CHECK_THAT(result.output, Catch::Contains(libpq_says));
  }
}

}  // namespace
}  // namespace mc::test
