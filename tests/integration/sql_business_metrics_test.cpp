// The real daemon running SQL business metrics against a real, throwaway
// PostgreSQL 15 cluster: values and labels exactly as SQL computes them,
// every column type, NULLs, label escaping on :9993, and failing queries.
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "tests/support/child_process.hpp"
#include "tests/support/daemon_runner.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/postgres_server.hpp"
#include "tests/support/temp_dir.hpp"

namespace mc::test {
namespace {

using namespace std::chrono_literals;

constexpr auto kSettle = 15s;

std::string read_source_file(const std::string& relative) {
  std::ifstream in(std::string(MC_SOURCE_DIR) + "/" + relative);
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::vector<std::string>> rows_of(const std::string& psql_output) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream lines(psql_output);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    std::vector<std::string> fields;
    std::istringstream cells(line);
    std::string cell;
    while (std::getline(cells, cell, '|')) fields.push_back(cell);
    rows.push_back(fields);
  }
  return rows;
}

std::string value_of(const std::string& body, const std::string& series) {
  auto value = exposed_value(body, series);
  return value ? fmt::format("{}", *value) : "(absent)";
}

TEST_CASE("the example config serves values and labels exactly as SQL computes them", "[sql]") {
  MC_REQUIRE_POSTGRES();
  PostgresServer postgres;
  postgres.start();
  // docs/business-metrics.md's quick start: the role, the database, the
  // schema, the grant; the collector then connects as that role only.
  postgres.psql("CREATE ROLE metrics LOGIN PASSWORD 'change-me'");
  postgres.psql("CREATE DATABASE app");
  postgres.psql(read_source_file("examples/business-metrics.sql"), "app");
  postgres.psql("GRANT SELECT ON installations, connections, operations TO metrics", "app");
  ScopedEnvironment url(
      "DATABASE_URL",
      fmt::format("postgresql://metrics:change-me@localhost:{}/app", postgres.port()));
  ScopedEnvironment tick("METRICS_TICK_DURATION", "300ms");
  // `check sql` finds every query of the example fine, as the role.
  RunResult checked = run_program({MC_DAEMON_BINARY, "check", "sql",
                                   std::string(MC_SOURCE_DIR) + "/examples/business-metrics.yml"});
  INFO(checked.output);
  CHECK(checked.exit_status == 0);
  CHECK_THAT(checked.output, Catch::Contains(" databases checked, 0 failed\n"));
  DaemonRunner daemon(read_source_file("examples/business-metrics.yml"));

  std::string body;
  bool collected = wait_until(
      [&] {
        body = daemon.metrics();
        // The meta-metrics are set just after a run's commit; wait for both.
        return exposed_value(body, "business_active_installations") == 5.0 &&
               exposed_value(body, "business_operation_success_ratio{kind=\"deploy\"}") &&
               exposed_value(body,
                             "metrics_collector_sql_query_last_success_timestamp_seconds{"
                             "database=\"app\",query=\"connection_states\"}")
                       .value_or(0) > 0 &&
               exposed_value(body,
                             "metrics_collector_sql_query_duration_seconds_count{database=\"app\","
                             "query=\"operations\",result=\"success\"}")
                       .value_or(0) >= 1;
      },
      kSettle);
  INFO(body << "\n" << daemon.log());
  REQUIRE(collected);

  for (const auto& row : rows_of(postgres.psql(
           "SELECT project, count(*), count(*) FILTER (WHERE active) FROM installations "
           "GROUP BY project",
           "app"))) {
    REQUIRE(row.size() == 3);
    CHECK(value_of(body, fmt::format("business_installations{{project=\"{}\"}}", row[0])) ==
          row[1]);
    CHECK(value_of(body, fmt::format("business_installations_active{{project=\"{}\"}}", row[0])) ==
          row[2]);
  }
  // States from the enum; 'waiting' has no row and is declared, so it is 0.
  CHECK(exposed_value(body, "business_connections{state=\"active\"}") == 3);
  CHECK(exposed_value(body, "business_connections{state=\"idle\"}") == 3);
  CHECK(exposed_value(body, "business_connections{state=\"waiting\"}") == 0);
  for (const auto& row : rows_of(postgres.psql(
           "SELECT kind, CASE WHEN succeeded THEN 'success' ELSE 'failure' END, count(*), "
           "EXTRACT(EPOCH FROM sum(duration)) FROM operations GROUP BY 1, 2",
           "app"))) {
    REQUIRE(row.size() == 4);
    std::string labels =
        fmt::format("{{kind=\"{}\",result=\"{}\",source=\"operations-table\"}}", row[0], row[1]);
    CHECK(exposed_value(body, "business_operations_total" + labels) == std::stod(row[2]));
    CHECK(exposed_value(body, "business_operations_duration_seconds_total" + labels) ==
          std::stod(row[3]));
  }
  for (const auto& row : rows_of(postgres.psql(
           "SELECT kind, avg(succeeded::int)::float8 FROM operations GROUP BY kind", "app"))) {
    CHECK(exposed_value(body, fmt::format("business_operation_success_ratio{{kind=\"{}\"}}",
                                          row[0])) == Approx(std::stod(row[1])).epsilon(1e-12));
  }

  // TYPE and HELP, with how often the value is refreshed.
  CHECK_THAT(body, Catch::Contains("# TYPE business_operations_total counter"));
  CHECK_THAT(body, Catch::Contains("# TYPE business_connections gauge"));
  CHECK_THAT(body, Catch::Contains("# HELP business_connections Client connections by state. "
                                   "(refreshed every 0.3 seconds)"));
  CHECK_THAT(body, Catch::Contains("# HELP business_operation_success_ratio Share of the last "
                                   "hour's operations that succeeded, by kind. (refreshed every "
                                   "120 seconds)"));
  // Meta-metrics.
  CHECK(exposed_value(body, "metrics_collector_sql_database_up{database=\"app\"}") == 1);
  CHECK(exposed_value(body,
                      "metrics_collector_sql_query_last_success_timestamp_seconds{database="
                      "\"app\",query=\"connection_states\"}")
            .value_or(0) > 1.6e9);
  CHECK(exposed_value(body,
                      "metrics_collector_sql_query_errors_total{database=\"app\",query="
                      "\"operations\",reason=\"sql\"}") == 0);
  CHECK(exposed_value(body,
                      "metrics_collector_sql_query_duration_seconds_count{database=\"app\","
                      "query=\"operations\",result=\"success\"}")
            .value_or(0) >= 1);

  // A DBA sees the collector by its application_name.
  CHECK(postgres.psql("SELECT count(*) > 0 FROM pg_stat_activity WHERE application_name = "
                      "'metrics-collector'") == "t\n");

  // New rows show on the next ticks.
  postgres.psql("INSERT INTO installations (project) VALUES ('cygnus')", "app");
  CHECK(wait_until(
      [&] {
        body = daemon.metrics();
        return exposed_value(body, "business_active_installations") == 6.0 &&
               exposed_value(body, "business_installations_active{project=\"cygnus\"}") == 1.0;
      },
      kSettle));
}

TEST_CASE("every column type converts, NULLs are skipped and label values are escaped", "[sql]") {
  MC_REQUIRE_POSTGRES();
  PostgresServer postgres;
  postgres.start();
  postgres.psql("CREATE TYPE mood AS ENUM ('calm', 'busy')");
  TempDir dir;
  auto dsn_file = dir.write_file("dsn", postgres.url() + "\n");
  std::string config = fmt::format(R"(
sql:
  databases:
    - name: main
      dsn_file: {}
      queries:
        - name: types
          help: One of each type.
          sql: |
            SELECT 1.5::numeric AS n, 9007199254740993::bigint AS big, 2.25::float8 AS dbl,
                   true AS yes, false AS no, 7::smallint AS small, 42::integer AS int,
                   0.5::real AS r, 'Infinity'::float8 AS inf, '-Infinity'::float8 AS ninf,
                   'NaN'::float8 AS nan, 123456789.123456789::numeric AS long_numeric,
                   interval '1 day 2 hours 3.5 seconds' AS iv,
                   interval '1 year 2 months 3 days' AS months,
                   interval '-1 day +00:00:00.25' AS negative
          value_columns:
            - {{column: n, suffix: _numeric}}
            - {{column: big, suffix: _bigint}}
            - {{column: dbl, suffix: _double}}
            - {{column: yes, suffix: _true}}
            - {{column: no, suffix: _false}}
            - {{column: small, suffix: _smallint}}
            - {{column: int, suffix: _integer}}
            - {{column: r, suffix: _real}}
            - {{column: inf, suffix: _inf}}
            - {{column: ninf, suffix: _ninf}}
            - {{column: nan, suffix: _nan}}
            - {{column: long_numeric, suffix: _long_numeric}}
            - {{column: iv, suffix: _interval}}
            - {{column: months, suffix: _interval_months}}
            - {{column: negative, suffix: _interval_negative}}
        - name: labels
          help: Labels of every kind.
          sql: |
            SELECT E'say "hi" back\\slash\nnew line' AS text_label, 42 AS int_label,
                   'busy'::mood AS enum_label, 'ünïcode ✓' AS utf8, NULL::text AS missing, 1 AS v
          label_columns: [text_label, int_label, enum_label, utf8, missing]
          value_columns: [v]
        - name: nulls
          help: NULLs skip samples.
          sql: |
            SELECT * FROM (VALUES ('x', 1), ('y', NULL::int), ('z', NULL::int)) AS t(k, v)
          label_columns: [k]
          value_columns: [v]
          initial_label_values:
            - {{k: y}}
        - name: null_unlabelled
          help: A lone NULL.
          sql: SELECT NULL::float8 AS v
          value_columns: [v]
)",
                                   dsn_file.string());
  ScopedEnvironment tick("METRICS_TICK_DURATION", "300ms");
  DaemonRunner daemon(config);

  std::string body;
  bool collected = wait_until(
      [&] {
        body = daemon.metrics();
        return exposed_value(body, "types_numeric") && exposed_value(body, "nulls{k=\"x\"}") &&
               body.find("labels{") != std::string::npos &&
               exposed_value(body,
                             "metrics_collector_sql_null_values_total{column=\"v\","
                             "database=\"main\",query=\"null_unlabelled\"}")
                       .value_or(0) >= 1 &&
               // Counted just after each run's commit: wait for the counts too.
               exposed_value(body,
                             "metrics_collector_sql_null_values_total{column=\"v\",database="
                             "\"main\",query=\"nulls\"}")
                       .value_or(0) >= 2;
      },
      kSettle);
  INFO(body << "\n" << daemon.log());
  REQUIRE(collected);

  CHECK(exposed_value(body, "types_numeric") == 1.5);
  CHECK(exposed_value(body, "types_bigint") == 9007199254740992.0);  // nearest double
  CHECK(exposed_value(body, "types_double") == 2.25);
  CHECK(exposed_value(body, "types_true") == 1);
  CHECK(exposed_value(body, "types_false") == 0);
  CHECK(exposed_value(body, "types_smallint") == 7);
  CHECK(exposed_value(body, "types_integer") == 42);
  CHECK(exposed_value(body, "types_real") == 0.5);
  CHECK(exposed_value(body, "types_inf") == INFINITY);
  CHECK(exposed_value(body, "types_ninf") == -INFINITY);
  CHECK(std::isnan(exposed_value(body, "types_nan").value_or(0)));
  CHECK(exposed_value(body, "types_long_numeric") == 123456789.123456789);
  // Intervals in seconds, as EXTRACT(EPOCH FROM ...) computes them.
  auto epoch =
      rows_of(postgres.psql("SELECT EXTRACT(EPOCH FROM interval '1 day 2 hours 3.5 seconds'), "
                            "EXTRACT(EPOCH FROM interval '1 year 2 months 3 days'), "
                            "EXTRACT(EPOCH FROM interval '-1 day +00:00:00.25')"));
  REQUIRE(epoch.size() == 1);
  CHECK(exposed_value(body, "types_interval") == std::stod(epoch[0][0]));
  CHECK(exposed_value(body, "types_interval_months") == std::stod(epoch[0][1]));
  CHECK(exposed_value(body, "types_interval_negative") == std::stod(epoch[0][2]));
  CHECK_THAT(body, Catch::Contains("# TYPE types_interval gauge"));

  // Label values: text with quote, backslash and newline escaped; int and
  // enum as text; a NULL label is no label.
  CHECK(
      exposed_value(
          body,
          R"(labels{enum_label="busy",int_label="42",text_label="say \"hi\" back\\slash\nnew line",utf8="ünïcode ✓"})") ==
      1);

  // NULL: no sample, counted; a declared series reads 0 instead.
  CHECK(exposed_value(body, "nulls{k=\"x\"}") == 1);
  CHECK(exposed_value(body, "nulls{k=\"y\"}") == 0);
  CHECK_FALSE(exposed_value(body, "nulls{k=\"z\"}"));
  CHECK(exposed_value(body, "null_unlabelled") == 0);
  CHECK(exposed_value(body,
                      "metrics_collector_sql_null_values_total{column=\"v\",database="
                      "\"main\",query=\"nulls\"}")
            .value_or(0) >= 2);
}

TEST_CASE("a failing query does not stop the others, and each failure counts its reason", "[sql]") {
  MC_REQUIRE_POSTGRES();
  PostgresServer postgres;
  postgres.start();
  postgres.psql("CREATE TABLE written (x int)");
  ScopedEnvironment url("MC_TEST_DSN", postgres.url());
  ScopedEnvironment tick("METRICS_TICK_DURATION", "300ms");
  DaemonRunner daemon(R"(
sql:
  databases:
    - name: main
      dsn_env: MC_TEST_DSN
      queries:
        - name: good
          help: Works.
          sql: SELECT 7 AS v
          value_columns: [v]
        - name: syntax
          help: Misspelt.
          sql: SELEC 1 AS v
          value_columns: [v]
        - name: slow
          help: Runs past its timeout.
          sql: SELECT pg_sleep(5), 1 AS v
          value_columns: [v]
          timeout: 200ms
        - name: overrun
          help: Runs past its next tick, without timing out.
          sql: SELECT pg_sleep(0.8), 1 AS v
          value_columns: [v]
          interval: 300ms
          timeout: 5s
        - name: text_value
          help: A text column cannot be a value.
          sql: SELECT 'seven'::text AS v
          value_columns: [v]
        - name: duplicate_rows
          help: Two rows, same labels.
          sql: SELECT 'a' AS k, 1 AS v UNION ALL SELECT 'a', 2
          label_columns: [k]
          value_columns: [v]
        - name: missing_column
          help: Configured column absent.
          sql: SELECT 1 AS value
          value_columns: [v]
        - name: writes
          help: Tries to write.
          sql: WITH w AS (INSERT INTO written VALUES (1) RETURNING x) SELECT count(*) AS v FROM w
          value_columns: [v]
)");
  auto errors = [](const std::string& body, const std::string& query, const std::string& reason) {
    return exposed_value(body, fmt::format("metrics_collector_sql_query_errors_total{{database="
                                           "\"main\",query=\"{}\",reason=\"{}\"}}",
                                           query, reason))
        .value_or(0);
  };
  std::string body;
  bool settled = wait_until(
      [&] {
        body = daemon.metrics();
        return exposed_value(body, "good") == 7 && errors(body, "syntax", "sql") >= 1 &&
               errors(body, "slow", "timeout") >= 1 &&
               errors(body, "text_value", "conversion") >= 1 &&
               errors(body, "duplicate_rows", "conversion") >= 1 &&
               errors(body, "missing_column", "conversion") >= 1 &&
               errors(body, "writes", "sql") >= 1 &&
               exposed_value(body,
                             "metrics_collector_sql_ticks_skipped_total{database=\"main\","
                             "query=\"overrun\"}")
                       .value_or(0) >= 1;
      },
      kSettle);
  INFO(body << "\n" << daemon.log());
  REQUIRE(settled);
  // The failing unlabelled queries never succeeded: their series stay at 0.
  CHECK(exposed_value(body, "syntax") == 0);
  CHECK(exposed_value(body, "slow") == 0);
  CHECK(exposed_value(body, "text_value") == 0);
  CHECK(exposed_value(body, "overrun") == 1);
  CHECK(errors(body, "good", "sql") + errors(body, "good", "timeout") +
            errors(body, "good", "connect") + errors(body, "good", "conversion") ==
        0);
  CHECK(exposed_value(body,
                      "metrics_collector_sql_query_duration_seconds_count{database="
                      "\"main\",query=\"syntax\",result=\"failure\"}")
            .value_or(0) >= 1);

  std::string log = daemon.log();
  CHECK_THAT(log, Catch::Contains("query=syntax reason=sql sqlstate=42601") &&
                      Catch::Contains("syntax error at or near"));
  CHECK_THAT(log,
             Catch::Contains("query=slow reason=timeout") && Catch::Contains("statement timeout"));
  CHECK_THAT(log, Catch::Contains("query=text_value reason=conversion") &&
                      Catch::Contains("has type text"));
  CHECK_THAT(log, Catch::Contains("query=duplicate_rows reason=conversion") &&
                      Catch::Contains("same labels"));
  CHECK_THAT(log, Catch::Contains("query=missing_column reason=conversion") &&
                      Catch::Contains("column \\\"v\\\" is not in the result"));
  CHECK_THAT(log, Catch::Contains("tick skipped"));
  // READ ONLY: the collector cannot write, even if a query tries.
  CHECK_THAT(
      log, Catch::Contains("query=writes reason=sql") && Catch::Contains("read-only transaction"));
  CHECK(postgres.psql("SELECT count(*) FROM written") == "0\n");
}

}  // namespace
}  // namespace mc::test
