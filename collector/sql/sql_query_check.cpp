#include "collector/sql/sql_query_check.hpp"

#include <vector>

#include "collector/sql/sql_collector.hpp"

namespace mc {

namespace {

// EXPLAIN (FORMAT JSON) names every plan node's type; a writing statement
// has a ModifyTable node at its top or under a CTE.
bool plan_writes(const std::string& plan_json) {
  return plan_json.find("\"Node Type\": \"ModifyTable\"") != std::string::npos;
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
        if (!connection.is_open()) {
          check.error = connection.open(dsn.conninfo());
        }
        std::string plan;
        if (check.error.ok()) {
          check.error = connection.explain_read_only(query.sql, query_timeout(query, tick), plan);
        }
        if (check.error.ok() && plan_writes(plan)) {
          check.error = {QueryFailure::sql,
                         "the query writes (its plan modifies a table); the collector runs "
                         "queries in a READ ONLY transaction, which refuses it",
                         {},
                         true};
        }
        check.error.message = dsn.redact(check.error.message);
      }
      report(check);
    }
  }
  return Status::ok();
}

}  // namespace mc
