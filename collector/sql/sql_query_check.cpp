#include "collector/sql/sql_query_check.hpp"

#include <vector>

#include <fmt/format.h>

#include "collector/sql/query_series.hpp"
#include "collector/sql/sql_collector.hpp"

namespace mc {

namespace {

// EXPLAIN (FORMAT JSON) names every plan node's type; a writing statement
// has a ModifyTable node at its top or under a CTE.
bool plan_writes(const std::string& plan_json) {
  return plan_json.find("\"Node Type\": \"ModifyTable\"") != std::string::npos;
}

// EXPLAIN, then the result's columns; the first failure.
QueryError check_query(SqlConnection& connection, const SqlQueryConfig& query,
                       std::chrono::milliseconds tick) {
  std::chrono::milliseconds timeout = query_timeout(query, tick);
  std::string plan;
  QueryError error = connection.run_statements_read_only(
      {fmt::format("EXPLAIN (FORMAT JSON) {}", query.sql)}, timeout, [&](const ResultTable& table) {
        if (table.row_count() > 0 && table.column_count() > 0) {
          plan = table.cell(0, 0).value_or("");
        }
        return Status::ok();
      });
  if (!error.ok()) return error;
  if (plan_writes(plan)) {
    return {QueryFailure::sql,
            "the query writes (its plan modifies a table); the collector runs queries in a READ "
            "ONLY transaction, which refuses it",
            {},
            true};
  }
  // The result's columns without a row: a cursor's FETCH of 0 rows
  // describes them and runs nothing (the query stays as written, so a
  // trailing ';' or comment is no problem).
  QuerySeries series(query, query_interval(query, tick));
  return connection.run_statements_read_only(
      {fmt::format("DECLARE checked_query NO SCROLL CURSOR FOR {}", query.sql),
       "FETCH FORWARD 0 FROM checked_query"},
      timeout, [&](const ResultTable& table) { return series.check_columns(table); });
}

}  // namespace

Status check_sql_queries(const SqlConfig& config,
                         const ConnectionString::EnvironmentLookup& environment,
                         std::chrono::milliseconds tick,
                         const std::function<void(const SqlQueryCheck&)>& report) {
  std::vector<ConnectionString> dsns;
  for (const SqlDatabaseConfig& database : config.databases) {
    auto dsn = ConnectionString::resolve(database, environment);
    if (!dsn) return dsn.status();
    dsns.push_back(std::move(*dsn));
  }
  for (size_t i = 0; i < config.databases.size(); ++i) {
    const SqlDatabaseConfig& database = config.databases[i];
    const ConnectionString& dsn = dsns[i];
    SqlConnection connection;
    QueryError connected = connection.open(dsn.conninfo());
    connected.message = dsn.redact(connected.message);
    for (const SqlQueryConfig& query : database.queries) {
      SqlQueryCheck check{database.name, query.name, connected};
      if (connected.ok()) {
        // Reopened when a previous query's error broke the session.
        if (!connection.is_open()) check.error = connection.open(dsn.conninfo());
        if (check.error.ok()) check.error = check_query(connection, query, tick);
        check.error.message = dsn.redact(check.error.message);
      }
      report(check);
    }
  }
  return Status::ok();
}

}  // namespace mc
