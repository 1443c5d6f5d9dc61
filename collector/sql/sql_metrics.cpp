#include "collector/sql/sql_metrics.hpp"
#include "common/util/latency_buckets.hpp"

namespace mc {

prometheus::Counter& SqlMetrics::Query::errors(QueryFailure reason) const {
  switch (reason) {
    case QueryFailure::connect:
      return *errors_connect;
    case QueryFailure::timeout:
      return *errors_timeout;
    case QueryFailure::conversion:
      return *errors_conversion;
    case QueryFailure::sql:
    case QueryFailure::none:
      break;
  }
  return *errors_sql;
}

SqlMetrics::SqlMetrics(prometheus::Registry& registry, const SqlConfig& config)
    : errors_(prometheus::BuildCounter()
                  .Name("metrics_collector_sql_query_errors_total")
                  .Help("SQL query runs that failed, by reason (connect, timeout, sql, "
                        "conversion).")
                  .Register(registry)),
      duration_(prometheus::BuildHistogram()
                    .Name("metrics_collector_sql_query_duration_seconds")
                    .Help("Time from the start of an SQL query run to its commit in the store, "
                          "by result (success, failure).")
                    .Register(registry)),
      database_up_(prometheus::BuildGauge()
                       .Name("metrics_collector_sql_database_up")
                       .Help("1 while at least one connection to the database is open, else 0.")
                       .Register(registry)),
      last_success_(prometheus::BuildGauge()
                        .Name("metrics_collector_sql_query_last_success_timestamp_seconds")
                        .Help("Unix time of the tick of the query's last successful run.")
                        .Register(registry)),
      last_run_successful_(prometheus::BuildGauge()
                               .Name("metrics_collector_sql_query_last_run_successful")
                               .Help("1 if the query's last run succeeded, 0 if it failed or "
                                     "has not run yet.")
                               .Register(registry)),
      skipped_(prometheus::BuildCounter()
                   .Name("metrics_collector_sql_ticks_skipped_total")
                   .Help("Ticks of a query skipped because its previous run still ran.")
                   .Register(registry)),
      null_values_(prometheus::BuildCounter()
                       .Name("metrics_collector_sql_null_values_total")
                       .Help("NULL values in value columns, skipped (no sample), by column.")
                       .Register(registry)) {
  for (const SqlDatabaseConfig& database : config.databases) {
    up_[database.name] = &database_up_.Add({{"database", database.name}});
    for (const SqlQueryConfig& query_config : database.queries) {
      const prometheus::Labels labels = {{"database", database.name}, {"query", query_config.name}};
      auto with = [&](const char* name, const char* value) {
        prometheus::Labels extended = labels;
        extended.emplace(name, value);
        return extended;
      };
      Query query;
      query.errors_connect = &errors_.Add(with("reason", "connect"));
      query.errors_timeout = &errors_.Add(with("reason", "timeout"));
      query.errors_sql = &errors_.Add(with("reason", "sql"));
      query.errors_conversion = &errors_.Add(with("reason", "conversion"));
      query.duration_success = &duration_.Add(with("result", "success"), latency_buckets_seconds());
      query.duration_failure = &duration_.Add(with("result", "failure"), latency_buckets_seconds());
      query.last_success = &last_success_.Add(labels);
      query.last_run_successful = &last_run_successful_.Add(labels);
      query.skipped = &skipped_.Add(labels);
      queries_.emplace(std::make_pair(database.name, query_config.name), query);
    }
  }
}

prometheus::Counter& SqlMetrics::null_values(const std::string& database, const std::string& query,
                                             const std::string& column) {
  return null_values_.Add({{"database", database}, {"query", query}, {"column", column}});
}

}  // namespace mc
