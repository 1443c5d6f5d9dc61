// `metrics-collector check sql FILE` (or `check sql --config.file=FILE`):
// loads the config as the daemon does, connects to every SQL database it
// names and checks every query with EXPLAIN and its result's columns, in a
// READ ONLY transaction, fetching no row (see
// collector/sql/sql_query_check.hpp), so a typo in the SQL, a missing grant
// or a misnamed column is caught before deploy. One line per query on stdout:
//
//   ok      database=app query=connection_states
//   FAILED  database=app query=syntax reason=sql sqlstate=42601: ERROR:  syntax error ...
//             LINE 1: EXPLAIN (FORMAT JSON) SELEC 1 AS v
//
// (the database's error whole: its further lines follow, indented), then a
// summary line. Exit status: 0 when every query passes; 1 when any fails; 2
// for a usage error or what stops the daemon at start with 2 (a config that
// does not load, an unset DSN variable, an unusable DSN, a bad
// METRICS_TICK_DURATION), with the message on stderr.
#pragma once

#include <ostream>
#include <span>
#include <string_view>

namespace mc {

// `args` are the words after "check sql".
int run_check_sql_command(std::span<const std::string_view> args, std::ostream& out,
                          std::ostream& err);

}  // namespace mc
