// SqlMetrics: the SQL collector's meta-metrics, in the daemon's prometheus-cpp
// registry (served on :9993/metrics and /metrics/self).
//
//   metrics_collector_sql_query_errors_total{database,query,reason}   reason: connect,
//                                              timeout, sql, conversion (all four from start)
//   metrics_collector_sql_query_duration_seconds{database,query,result}   histogram;
//                                              result: success, failure
//   metrics_collector_sql_database_up{database}    1 while a pool connection is open
//   metrics_collector_sql_query_last_success_timestamp_seconds{database,query}
//   metrics_collector_sql_query_last_run_successful{database,query}   1 when the last run
//                                              succeeded, 0 when it failed or none ran yet
//   metrics_collector_sql_ticks_skipped_total{database,query}   due while the last run ran
//   metrics_collector_sql_null_values_total{database,query,column}   NULL values skipped
//
// Thread-safety: the prometheus-cpp metrics are thread-safe; the per-query
// handles are filled in the constructor and only read afterwards.
#pragma once

#include <map>
#include <string>
#include <utility>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include "collector/sql/sql_connection.hpp"
#include "common/config/config.hpp"

namespace mc {

class SqlMetrics {
 public:
  SqlMetrics(prometheus::Registry& registry, const SqlConfig& config);

  struct Query {
    prometheus::Counter* errors_connect = nullptr;
    prometheus::Counter* errors_timeout = nullptr;
    prometheus::Counter* errors_sql = nullptr;
    prometheus::Counter* errors_conversion = nullptr;
    prometheus::Histogram* duration_success = nullptr;
    prometheus::Histogram* duration_failure = nullptr;
    prometheus::Gauge* last_success = nullptr;
    prometheus::Gauge* last_run_successful = nullptr;
    prometheus::Counter* skipped = nullptr;

    prometheus::Counter& errors(QueryFailure reason) const;
  };
  // REQUIRES: the database and query are in the config given to the constructor.
  Query& query(const std::string& database, const std::string& query) {
    return queries_.at({database, query});
  }
  prometheus::Gauge& database_up(const std::string& database) { return *up_.at(database); }
  // Creates the {database, query, column} child on first use.
  prometheus::Counter& null_values(const std::string& database, const std::string& query,
                                   const std::string& column);

 private:
  prometheus::Family<prometheus::Counter>& errors_;
  prometheus::Family<prometheus::Histogram>& duration_;
  prometheus::Family<prometheus::Gauge>& database_up_;
  prometheus::Family<prometheus::Gauge>& last_success_;
  prometheus::Family<prometheus::Gauge>& last_run_successful_;
  prometheus::Family<prometheus::Counter>& skipped_;
  prometheus::Family<prometheus::Counter>& null_values_;
  std::map<std::pair<std::string, std::string>, Query> queries_;
  std::map<std::string, prometheus::Gauge*> up_;
};

}  // namespace mc
