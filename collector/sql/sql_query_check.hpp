// The SQL half of `metrics-collector check sql`: connects to every configured
// database and plans every configured query with EXPLAIN, in a READ ONLY
// transaction with the query's statement_timeout (as the collector runs it),
// so a typo in the SQL, a missing table, column or function, or a missing
// grant shows before deploy instead of as a zero on a dashboard. EXPLAIN
// executes nothing, and the statement goes through the extended protocol, so
// nothing after a ';' runs either.
//
// A plan that writes (a ModifyTable node: INSERT, UPDATE, DELETE, MERGE, also
// inside a WITH) is a failure too: EXPLAIN alone does not refuse it, but the
// collector's READ ONLY transaction would on every run.
//
// What EXPLAIN cannot see is not checked: the result's columns and their
// types (a missing value column or a text value fails at run time, counted as
// `conversion`), and errors that depend on the data (a failed cast).
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
  // none when the query plans; else connect (the database could not be
  // reached: every query of it fails so), timeout, or sql (the server refused
  // it, or the plan writes).
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
