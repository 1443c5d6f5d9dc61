// The config's `sql:` section: what it turns into, its defaults, and the
// exact "file:line:col: message" of each error.
#include <catch2/catch.hpp>
#include <chrono>
#include <string>

#include "common/config/config.hpp"
#include "tests/support/config_parsing.hpp"

using namespace std::chrono_literals;
using mc::test::parse_config_error;
using mc::test::parse_config_ok;

namespace {

// A database with one query; `query_extra` is added to the query's mapping.
std::string one_query(const std::string& query_extra, const std::string& database_extra = "") {
  return "sql:\n  databases:\n    - name: app\n      dsn_env: DATABASE_URL\n" + database_extra +
         "      queries:\n        - name: q\n          help: Help.\n          sql: SELECT 1 AS v\n"
         "          value_columns: [v]\n" +
         query_extra;
}

}  // namespace

TEST_CASE("sql config: a full section fills every field", "[sql_config]") {
  auto config = parse_config_ok(R"(sql:
  databases:
    - name: app
      dsn_env: DATABASE_URL
      pool_size: 3
      connect_timeout: 5s
      static_labels:
        team: growth
        env: prod
      queries:
        - name: operations
          metric: business_operations
          help: Operations by kind.
          type: counter
          sql: SELECT kind, result, count(*) AS n, sum(d) AS d FROM ops GROUP BY 1, 2
          label_columns: [kind, result]
          value_columns:
            - {column: n, suffix: _total}
            - column: d
              suffix: _duration_seconds_total
          static_labels:
            env: staging
            source: ops
          interval: 5m
          timeout: 30s
          initial_label_values:
            - {result: ok, kind: deploy}
            - {kind: deploy, result: failed}
    - name: reporting
      dsn_file: /etc/mc/reporting.dsn
      queries:
        - name: rows
          help: Rows.
          sql: SELECT 1 AS v
          value_columns: [v]
    - name: inline
      dsn: "host=db user=me password=x"
      queries:
        - {name: one, help: One., sql: SELECT 1 AS v, value_columns: [v]}
)");
  REQUIRE(config.sql.databases.size() == 3);
  const mc::SqlDatabaseConfig& app = config.sql.databases[0];
  CHECK(app.name == "app");
  CHECK(app.dsn_env == "DATABASE_URL");
  CHECK(app.dsn.empty());
  CHECK(app.pool_size == 3);
  CHECK(app.connect_timeout == 5s);
  REQUIRE(app.queries.size() == 1);
  const mc::SqlQueryConfig& query = app.queries[0];
  CHECK(query.name == "operations");
  CHECK(query.metric == "business_operations");
  CHECK(query.help == "Operations by kind.");
  CHECK(query.type == mc::MetricType::counter);
  CHECK(query.label_columns == std::vector<std::string>{"kind", "result"});
  REQUIRE(query.value_columns.size() == 2);
  CHECK(query.value_columns[0].column == "n");
  CHECK(query.value_columns[0].suffix == "_total");
  CHECK(query.value_columns[1].column == "d");
  CHECK(query.value_columns[1].suffix == "_duration_seconds_total");
  // The query's static labels win over the database's; sorted by name.
  CHECK(query.static_labels ==
        std::vector<mc::Label>{{"env", "staging"}, {"source", "ops"}, {"team", "growth"}});
  CHECK(query.interval == 5min);
  CHECK(query.timeout == 30s);
  // Declared values in label_columns order, whatever order the mapping used.
  CHECK(query.initial_label_values ==
        std::vector<std::vector<std::string>>{{"deploy", "ok"}, {"deploy", "failed"}});
  CHECK(config.sql.databases[1].dsn_file == "/etc/mc/reporting.dsn");
  CHECK(config.sql.databases[2].dsn == "host=db user=me password=x");
}

TEST_CASE("sql config: defaults", "[sql_config]") {
  auto config = parse_config_ok(one_query(""));
  const mc::SqlDatabaseConfig& database = config.sql.databases.at(0);
  CHECK(database.pool_size == 1);
  CHECK(database.connect_timeout == 10s);
  const mc::SqlQueryConfig& query = database.queries.at(0);
  CHECK(query.metric == "q");  // the query's name
  CHECK(query.type == mc::MetricType::gauge);
  CHECK(query.interval == 0ms);  // the collector's tick
  CHECK(query.timeout == 0ms);   // min(10s, interval) at run time
  CHECK(query.value_columns.at(0).suffix.empty());
  CHECK(query.static_labels.empty());
  CHECK(query.initial_label_values.empty());
  // No sql section: no databases.
  CHECK(parse_config_ok("scrape_configs: []\n").sql.databases.empty());
  // A timeout past the interval is allowed: overruns skip ticks.
  CHECK(parse_config_ok(one_query("          interval: 1s\n          timeout: 5s\n"))
            .sql.databases[0]
            .queries[0]
            .timeout == 5s);
}

TEST_CASE("sql config: errors name the place and the problem", "[sql_config]") {
  CHECK(parse_config_error("sql:\n  databases:\n    - dsn_env: X\n      queries: []\n") ==
        "config.yml:3:7: sql.databases[0]: missing required field \"name\"");
  CHECK(parse_config_error("sql:\n  databases:\n    - name: a\n      queries: []\n") ==
        "config.yml:3:7: sql.databases[0]: give exactly one of \"dsn_env\", \"dsn_file\" or "
        "\"dsn\"");
  CHECK(parse_config_error("sql:\n  databases:\n    - name: a\n      dsn: x\n      dsn_env: Y\n") ==
        "config.yml:5:16: sql.databases[0]: give exactly one of \"dsn_env\", \"dsn_file\" or "
        "\"dsn\"");
  CHECK(parse_config_error("sql:\n  databases:\n    - name: a\n      dsn_env: X\n") ==
        "config.yml:3:7: sql.databases[0]: no queries");
  CHECK(parse_config_error("sql:\n  databasez: []\n") ==
        "config.yml:2:3: unknown field \"databasez\" in sql (did you mean \"databases\"?)");
  CHECK(parse_config_error(one_query("", "      pool_size: 0\n")) ==
        "config.yml:5:18: sql.databases[0].pool_size: expected an integer from 1 to 64, got "
        "\"0\"");
  CHECK(parse_config_error(one_query("", "      pool_size: two\n")) ==
        "config.yml:5:18: sql.databases[0].pool_size: expected an integer from 1 to 64, got "
        "\"two\"");
  CHECK(parse_config_error(one_query("          type: histogram\n")) ==
        "config.yml:10:17: sql.databases[0].queries[0].type: unknown metric type \"histogram\" "
        "(want gauge or counter)");
  CHECK(parse_config_error(one_query("          colour: red\n")) ==
        "config.yml:10:11: unknown field \"colour\" in sql.databases[0].queries[0]");
  CHECK(parse_config_error(one_query("          label_columns: [my-label]\n")) ==
        "config.yml:10:27: sql.databases[0].queries[0].label_columns[0]: \"my-label\" cannot be "
        "a label name (want [a-zA-Z_][a-zA-Z0-9_]*, not starting with \"__\"); rename the column "
        "with AS");
  CHECK(parse_config_error(one_query("          label_columns: [v]\n")) ==
        "config.yml:9:27: sql.databases[0].queries[0]: column \"v\" is both a label and a value "
        "column");
  CHECK(parse_config_error(one_query("          metric: 9lives\n")) ==
        "config.yml:10:19: sql.databases[0].queries[0]: \"9lives\" is not a valid metric name "
        "(want [a-zA-Z_:][a-zA-Z0-9_:]*)");
  CHECK(parse_config_error(one_query("          timeout: 0s\n")) ==
        "config.yml:10:20: sql.databases[0].queries[0]: timeout must be positive");
  CHECK(parse_config_error(one_query("          interval: soon\n")) ==
        "config.yml:10:21: sql.databases[0].queries[0].interval: not a valid duration string: "
        "\"soon\"");
  CHECK(parse_config_error("sql:\n  databases:\n    - name: a\n      dsn_env: X\n      queries:\n"
                           "        - {name: q, sql: SELECT 1, value_columns: [v]}\n") ==
        "config.yml:6:11: sql.databases[0].queries[0]: missing required field \"help\"");
  CHECK(parse_config_error("sql:\n  databases:\n    - name: a\n      dsn_env: X\n      queries:\n"
                           "        - {name: q, help: h, value_columns: [v]}\n") ==
        "config.yml:6:11: sql.databases[0].queries[0]: missing required field \"sql\"");
  CHECK(parse_config_error("sql:\n  databases:\n    - name: a\n      dsn_env: X\n      queries:\n"
                           "        - {name: q, help: h, sql: SELECT 1}\n") ==
        "config.yml:6:11: sql.databases[0].queries[0]: missing required field \"value_columns\" "
        "(at least one column)");
}

TEST_CASE("sql config: value columns and declared label values are checked", "[sql_config]") {
  std::string two_values =
      "sql:\n  databases:\n    - name: a\n      dsn_env: X\n      queries:\n"
      "        - name: q\n          help: h\n          sql: SELECT 1\n"
      "          value_columns: [a, b]\n";
  CHECK(parse_config_error(two_values) ==
        "config.yml:9:30: sql.databases[0].queries[0]: value columns \"a\" and \"b\" both make "
        "the metric \"q\"; give one a suffix");
  CHECK(parse_config_error(one_query("          initial_label_values:\n            - {x: 1}\n")) ==
        "config.yml:11:15: sql.databases[0].queries[0]: the query has no label_columns");
  std::string labelled = one_query("          label_columns: [kind, state]\n");
  CHECK(
      parse_config_error(labelled + "          initial_label_values:\n            - {kind: a}\n") ==
      "config.yml:12:15: sql.databases[0].queries[0].initial_label_values[0]: missing a value "
      "for label column \"state\"");
  CHECK(parse_config_error(
            labelled +
            "          initial_label_values:\n            - {kind: a, state: b, x: c}\n") ==
        "config.yml:12:35: sql.databases[0].queries[0].initial_label_values[0]: \"x\" is not a "
        "label column");
  CHECK(parse_config_error(labelled +
                           "          initial_label_values:\n            - {kind: a, state: b}\n"
                           "            - {state: b, kind: a}\n") ==
        "config.yml:13:15: sql.databases[0].queries[0].initial_label_values[1]: the same label "
        "values are declared twice");
  CHECK(parse_config_error(
            one_query("          label_columns: [kind]\n          static_labels: {kind: "
                      "x}\n")) ==
        "config.yml:6:11: sql database \"app\" query \"q\": \"kind\" is both a label column and "
        "a static label");
}

TEST_CASE("sql config: names are unique where series would collide", "[sql_config]") {
  std::string database =
      "    - name: app\n      dsn_env: X\n      queries:\n"
      "        - {name: q, help: h, sql: SELECT 1 AS v, value_columns: [v]}\n";
  CHECK(parse_config_error("sql:\n  databases:\n" + database + database) ==
        "config.yml:7:13: found multiple sql databases named \"app\"");
  CHECK(parse_config_error(
            one_query("        - {name: q, help: h, sql: SELECT 2 AS v, value_columns: "
                      "[v]}\n")) ==
        "config.yml:10:18: found multiple queries named \"q\" in sql database \"app\"");
  // Another query making the same metric with the same static labels collides...
  CHECK(parse_config_error(one_query("        - {name: r, metric: q, help: h, sql: SELECT 2 AS v, "
                                     "value_columns: [v]}\n")) ==
        "config.yml:10:77: sql database \"app\" query \"r\": metric \"q\" is made by another "
        "query too, with the same static labels; its series would collide");
  // ... while a static label that tells them apart is fine.
  auto config = parse_config_ok(
      one_query("          static_labels: {shard: a}\n"
                "        - {name: r, metric: q, help: h, sql: SELECT 2 AS v, value_columns: [v], "
                "static_labels: {shard: b}}\n"));
  CHECK(config.sql.databases[0].queries.size() == 2);
}
