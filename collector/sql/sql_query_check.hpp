// The SQL half of `metrics-collector check sql`: connects to every configured
// database and checks every configured query as the collector would run it
// (a READ ONLY transaction with the query's statement_timeout, the
// collector's role and grants), so a typo in the SQL, a missing table, column
// or function, a missing grant, or a configured column the result does not
// have shows before deploy instead of as a zero on a dashboard.
//
// Per query: EXPLAIN (FORMAT JSON), which plans and checks privileges but
// executes nothing; a plan that writes (a ModifyTable node: INSERT, UPDATE,
// DELETE, MERGE, also inside a WITH) fails too, since the READ ONLY
// transaction would refuse it on every run. Then the query as a cursor
// (`DECLARE ... CURSOR FOR <sql>`, `FETCH FORWARD 0`), which fetches no row,
// for the result's columns: every label and value column must be there and every value column
// of a type that converts (QuerySeries::check_columns). Both go through the
// extended protocol, so a second statement after a ';' is an error, never run.
//
// Not checked: what depends on the rows (a cast the data fails, two rows
// with the same labels, a label that is not UTF-8); those fail at run time.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "collector/sql/connection_string.hpp"
#include "collector/sql/sql_connection.hpp"
#include "common/config/config.hpp"
#include "common/util/status.hpp"

namespace mc {

struct SqlQueryCheck {
  std::string database;
  std::string query;
  // none when the query passes; else connect (the database could not be
  // reached: every query of it fails so), timeout, sql (the server refused
  // it, or the plan writes) or conversion (a configured column is missing or
  // of a type that does not convert).
  QueryError error;
};

// Resolves every database's DSN first, as the daemon does at start; fails
// (naming the database, never the password) without connecting anywhere when
// one cannot be had or used. Then checks database by database, query by query,
// calling `report` once per query as soon as its answer is known. Messages
// are redacted. `tick` (METRICS_TICK_DURATION) gives the statement timeout of
// queries that set neither timeout nor interval, as in the collector.
Status check_sql_queries(const SqlConfig& config,
                         const ConnectionString::EnvironmentLookup& environment,
                         std::chrono::milliseconds tick,
                         const std::function<void(const SqlQueryCheck&)>& report);

}  // namespace mc
