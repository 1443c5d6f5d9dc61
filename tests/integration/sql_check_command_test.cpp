// `metrics-collector check sql` against a real, throwaway PostgreSQL 15: every
// query planned with EXPLAIN and its columns checked, as the collector's role,
// without running it; one line per query, the database's error whole, and
// the exit status a deploy script can act on.
#include <chrono>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "tests/support/child_process.hpp"
#include "tests/support/postgres_server.hpp"
#include "tests/support/temp_dir.hpp"

namespace mc::test {
namespace {

using namespace std::chrono_literals;

constexpr const char* kReaderPassword = "R3ader-Pa55word";

// An `app` database with a table the reader may read, one it may not (the
// grant revoked), and a reader role, as docs/business-metrics.md sets up.
void create_schema(PostgresServer& postgres) {
  postgres.psql("CREATE DATABASE app");
  postgres.psql(fmt::format("CREATE ROLE reader LOGIN PASSWORD '{}'", kReaderPassword));
  postgres.psql(
      "CREATE TABLE installations (project text NOT NULL, active boolean NOT NULL);\n"
      "CREATE TABLE salaries (name text, amount numeric);\n"
      "CREATE TABLE scratch (x int);\n"
      "GRANT ALL ON scratch TO reader;\n"
      "GRANT SELECT ON installations, salaries TO reader;\n"
      "REVOKE SELECT ON salaries FROM reader;\n",
      "app");
}

std::string reader_url(const PostgresServer& postgres) {
  return fmt::format("postgresql://reader:{}@127.0.0.1:{}/app", kReaderPassword, postgres.port());
}

RunResult check_sql(const std::filesystem::path& config) {
  return run_program({MC_DAEMON_BINARY, "check", "sql", config.string()}, {}, 60s);
}

constexpr const char* kQueries = R"(
      queries:
        - name: good
          help: Works.
          sql: SELECT project, count(*) AS n FROM installations WHERE active GROUP BY project
          label_columns: [project]
          value_columns: [n]
        - name: syntax
          help: Misspelt.
          sql: SELEC 1 AS v
          value_columns: [v]
        - name: missing_table
          help: No such table.
          sql: SELECT count(*) AS v FROM instalations
          value_columns: [v]
        - name: missing_column
          help: No such column.
          sql: SELECT count(projet) AS v FROM installations
          value_columns: [v]
        - name: revoked
          help: No grant.
          sql: SELECT sum(amount) AS v FROM salaries
          value_columns: [v]
        - name: writes
          help: Writes.
          sql: WITH w AS (INSERT INTO scratch VALUES (1) RETURNING x) SELECT count(*) AS v FROM w
          value_columns: [v]
        - name: two_statements
          help: Two statements; the second must not run.
          sql: SELECT 1 AS v; SELECT pg_sleep(30)
          value_columns: [v]
        - name: misnamed_value
          help: The value column is not in the result.
          sql: SELECT count(*) AS value FROM installations
          value_columns: [v]
        - name: misnamed_label
          help: The label column is not in the result.
          sql: SELECT project AS name, count(*) AS n FROM installations GROUP BY project
          label_columns: [project]
          value_columns: [n]
        - name: text_value
          help: A value column that does not convert.
          sql: SELECT project AS v FROM installations
          value_columns: [v]
        - name: semicolon_and_comment
          help: A trailing ';' and a comment still check as one statement.
          sql: |
            SELECT count(*) AS v FROM installations; -- all of them
          value_columns: [v]
        - name: no_rows_fetched
          help: The column check fetches no row, so this never sleeps.
          sql: SELECT pg_sleep(30) IS NULL AS v FROM generate_series(1, 3)
          value_columns: [v]
          timeout: 5s
)";

TEST_CASE("check sql plans every query as the collector's role and prints each error whole",
          "[sql]") {
  MC_REQUIRE_POSTGRES();
  PostgresServer postgres;
  postgres.start();
  create_schema(postgres);
  TempDir dir;
  ScopedEnvironment url("MC_TEST_DSN", reader_url(postgres));
  auto config = dir.write_file(
      "config.yml",
      std::string("sql:\n  databases:\n    - name: app\n      dsn_env: MC_TEST_DSN\n") + kQueries);
  auto started = std::chrono::steady_clock::now();
  RunResult result = check_sql(config);
  auto took = std::chrono::steady_clock::now() - started;
  INFO(result.output);
  CHECK(result.exit_status == 1);
  // Neither two_statements' pg_sleep(30) nor no_rows_fetched's ran (the
  // latter would also have hit its 5s timeout).
  CHECK(took < 20s);
  const std::string& out = result.output;
  CHECK_THAT(out, Catch::Contains("ok      database=app query=good\n"));
  CHECK_THAT(out, Catch::Contains("FAILED  database=app query=syntax reason=sql sqlstate=42601: "
                                  "ERROR:  syntax error at or near \"SELEC\"\n"
                                  "          LINE 1: EXPLAIN (FORMAT JSON) SELEC 1 AS v\n"));
  CHECK_THAT(out, Catch::Contains("FAILED  database=app query=missing_table reason=sql "
                                  "sqlstate=42P01: ERROR:  relation \"instalations\" does not "
                                  "exist\n"));
  // The HINT line of the server's error is kept.
  CHECK_THAT(out, Catch::Contains("FAILED  database=app query=missing_column reason=sql "
                                  "sqlstate=42703: ERROR:  column \"projet\" does not exist\n") &&
                      Catch::Contains("          HINT:  Perhaps you meant to reference the column "
                                      "\"installations.project\"."));
  CHECK_THAT(out, Catch::Contains("FAILED  database=app query=revoked reason=sql sqlstate=42501: "
                                  "ERROR:  permission denied for table salaries\n"));
  CHECK_THAT(out, Catch::Contains("FAILED  database=app query=writes reason=sql: the query "
                                  "writes"));
  CHECK_THAT(out, Catch::Contains("FAILED  database=app query=two_statements reason=sql "
                                  "sqlstate=42601: ERROR:  cannot insert multiple commands"));
  CHECK_THAT(out, Catch::Contains("FAILED  database=app query=misnamed_value reason=conversion: "
                                  "column \"v\" is not in the result (its columns: value)\n"));
  CHECK_THAT(out, Catch::Contains("FAILED  database=app query=misnamed_label reason=conversion: "
                                  "column \"project\" is not in the result (its columns: name, "
                                  "n)\n"));
  CHECK_THAT(out, Catch::Contains("FAILED  database=app query=text_value reason=conversion: "
                                  "value column \"v\" has type text; want a number"));
  CHECK_THAT(out, Catch::Contains("ok      database=app query=semicolon_and_comment\n"));
  CHECK_THAT(out, Catch::Contains("ok      database=app query=no_rows_fetched\n"));
  CHECK_THAT(out, Catch::Contains("12 queries in 1 databases checked, 9 failed\n"));
  CHECK_THAT(out, !Catch::Contains(kReaderPassword));
  // EXPLAIN ran nothing: the INSERT did not happen.
  CHECK(postgres.psql("SELECT count(*) FROM scratch", "app") == "0\n");
}

TEST_CASE("check sql exits 0 when every query plans, 1 when a database is away", "[sql]") {
  MC_REQUIRE_POSTGRES();
  PostgresServer postgres;
  postgres.start();
  create_schema(postgres);
  TempDir dir;
  ScopedEnvironment url("MC_TEST_DSN", reader_url(postgres));
  auto config = dir.write_file("config.yml", R"(
sql:
  databases:
    - name: app
      dsn_env: MC_TEST_DSN
      queries:
        - {name: one, help: h, sql: SELECT count(*) AS v FROM installations, value_columns: [v]}
        - {name: two, help: h, sql: "SELECT 1 AS v", value_columns: [v], timeout: 2s}
)");
  RunResult good = check_sql(config);
  INFO(good.output);
  CHECK(good.exit_status == 0);
  CHECK(good.output ==
        "ok      database=app query=one\nok      database=app query=two\n"
        "2 queries in 1 databases checked, 0 failed\n");

  postgres.stop();
  RunResult away = check_sql(config);
  INFO(away.output);
  CHECK(away.exit_status == 1);
  CHECK_THAT(away.output,
             Catch::Contains("FAILED  database=app query=one reason=connect: connection to "
                             "server at \"127.0.0.1\"") &&
                 Catch::Contains("FAILED  database=app query=two reason=connect: ") &&
                 Catch::Contains("Connection refused") && !Catch::Contains(kReaderPassword));
}

TEST_CASE("check sql exits 2 for what stops the daemon at start, and for usage errors", "[sql]") {
  TempDir dir;
  auto with_dsn = [&](const std::string& name, const std::string& database) {
    return dir.write_file(name, fmt::format(R"(
sql:
  databases:
    - name: app
      {}
      queries:
        - {{name: one, help: h, sql: SELECT 1 AS v, value_columns: [v]}}
)",
                                            database));
  };
  {
    ScopedEnvironment unset("MC_TEST_UNSET_DSN", "");
    RunResult result = check_sql(with_dsn("unset.yml", "dsn_env: MC_TEST_UNSET_DSN"));
    INFO(result.output);
    CHECK(result.exit_status == 2);
    CHECK_THAT(result.output, Catch::Contains("FAILED: sql database \"app\": environment variable "
                                              "MC_TEST_UNSET_DSN is not set or empty"));
  }
  {
    RunResult result = check_sql(
        with_dsn("port.yml", "dsn: \"postgresql://reader:S3cret-pw@127.0.0.1:notaport/app\""));
    INFO(result.output);
    CHECK(result.exit_status == 2);
    CHECK_THAT(result.output, Catch::Contains("FAILED: sql database \"app\": DSN from dsn: "
                                              "unusable connection string: port \"notaport\""));
    CHECK_THAT(result.output, !Catch::Contains("S3cret-pw"));
  }
  {
    RunResult result = check_sql(dir.write_file("bad.yml", "sql: {databases: [{name: 1}]}\n"));
    CHECK(result.exit_status == 2);
    CHECK_THAT(result.output, Catch::Contains("FAILED: ") && Catch::Contains("bad.yml:"));
  }
  {
    RunResult none = check_sql(dir.write_file("none.yml", "scrape_configs: []\n"));
    CHECK(none.exit_status == 0);
    CHECK_THAT(none.output, Catch::Contains("no SQL databases"));
  }
  CHECK(run_program({MC_DAEMON_BINARY, "check", "sql"}).exit_status == 2);
  CHECK(run_program({MC_DAEMON_BINARY, "check", "sql", "a.yml", "b.yml"}).exit_status == 2);
  CHECK(run_program({MC_DAEMON_BINARY, "check", "sql", "--bogus"}).exit_status == 2);
  RunResult help = run_program({MC_DAEMON_BINARY, "check", "sql", "--help"});
  CHECK(help.exit_status == 0);
  CHECK_THAT(help.output, Catch::Contains("usage: metrics-collector check sql FILE"));
  // --config.file= works as for the daemon.
  RunResult flag = run_program(
      {MC_DAEMON_BINARY, "check", "sql", "--config.file=" + (dir.path() / "none.yml").string()});
  CHECK(flag.exit_status == 0);
}

}  // namespace
}  // namespace mc::test
