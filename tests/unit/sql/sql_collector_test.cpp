// What of the SQL collector can be checked without a database: the tick from
// METRICS_TICK_DURATION and the start-up errors of create(). Running queries
// is covered by tests/integration/sql_*_test.cpp against a real PostgreSQL.
#include "collector/sql/sql_collector.hpp"

#include <prometheus/registry.h>
#include <catch2/catch.hpp>

#include "common/store/head_storage.hpp"
#include "tests/support/store_reading.hpp"

using namespace std::chrono_literals;

TEST_CASE("the tick comes from METRICS_TICK_DURATION in Go syntax, 1m by default",
          "[sql_collector]") {
  CHECK(*mc::tick_from_environment(nullptr) == 1min);
  CHECK(*mc::tick_from_environment("") == 1min);
  CHECK(*mc::tick_from_environment("15s") == 15s);
  CHECK(*mc::tick_from_environment("1m30s") == 90s);
  CHECK(*mc::tick_from_environment("500ms") == 500ms);
  CHECK(*mc::tick_from_environment("1.5s") == 1500ms);
  CHECK(*mc::tick_from_environment("2h") == 2h);
  CHECK(*mc::tick_from_environment("1ms") == 1ms);
  CHECK(mc::tick_from_environment("5x").error() ==
        "METRICS_TICK_DURATION=\"5x\": unknown unit \"x\" in duration \"5x\"");
  CHECK(mc::tick_from_environment("15").error() ==
        "METRICS_TICK_DURATION=\"15\": missing unit in duration \"15\"");
  CHECK(mc::tick_from_environment("-1s").error() ==
        "METRICS_TICK_DURATION=\"-1s\": the tick must be positive");
  CHECK(mc::tick_from_environment("0").error() ==
        "METRICS_TICK_DURATION=\"0\": the tick must be positive");
  CHECK(mc::tick_from_environment("999us").error() ==
        "METRICS_TICK_DURATION=\"999us\": the tick must be at least 1ms");
  CHECK(mc::tick_from_environment("1d").error() ==
        "METRICS_TICK_DURATION=\"1d\": unknown unit \"d\" in duration \"1d\"");
}

// One database "app" with one unlabelled query "q" (SELECT 1 AS v).
static mc::SqlConfig one_query_config() {
  mc::SqlConfig config;
  config.databases.emplace_back();
  mc::SqlDatabaseConfig& database = config.databases.back();
  database.name = "app";
  mc::SqlQueryConfig query;
  query.name = "q";
  query.help = "h";
  query.sql = "SELECT 1 AS v";
  query.value_columns = {{"v", ""}};
  database.queries.push_back(query);
  return config;
}

TEST_CASE("create fails, naming the database, when its DSN cannot be had", "[sql_collector]") {
  mc::SqlConfig config = one_query_config();
  config.databases.back().dsn_env = "MC_SURELY_UNSET_DSN";

  mc::HeadStorage storage;
  prometheus::Registry registry;
  mc::SqlCollectorOptions options;
  options.environment = [](const std::string&) -> std::optional<std::string> {
    return std::nullopt;
  };
  auto collector = mc::SqlCollector::create(config, storage, registry, options);
  REQUIRE_FALSE(collector.is_ok());
  CHECK(collector.error() ==
        "sql database \"app\": environment variable MC_SURELY_UNSET_DSN is not set or empty");
}

TEST_CASE("start stores the zeros before any database answers, and stop is prompt",
          "[sql_collector]") {
  mc::SqlConfig config = one_query_config();
  // Nothing listens on port 1 of the loopback: connections are refused at once.
  config.databases.back().dsn = "host=127.0.0.1 port=1 dbname=none user=u password=hunter2";

  mc::HeadStorage storage;
  prometheus::Registry registry;
  auto collector = mc::SqlCollector::create(config, storage, registry);
  REQUIRE(collector.is_ok());
  (*collector)->start();
  auto latest = mc::test::latest_samples(storage);
  REQUIRE(latest.size() == 1);
  CHECK(latest.begin()->first == mc::Labels{{"__name__", "q"}});
  CHECK(latest.begin()->second.v == 0);
  auto started = std::chrono::steady_clock::now();
  (*collector)->stop();
  CHECK(std::chrono::steady_clock::now() - started < 5s);
}
