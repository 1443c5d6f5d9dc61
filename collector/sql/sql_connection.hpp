// SqlConnection: one connection to PostgreSQL (libpqxx kept inside the .cpp),
// and the one way the SQL collector uses it: a query in a READ ONLY
// transaction with a statement_timeout, its rows handed to a callback.
//
// Every libpqxx exception stops here and becomes a QueryError with a reason:
//   connect     the connection could not be opened, or broke (the connection
//               is then closed; open() again to reconnect)
//   timeout     the statement ran past statement_timeout (SQLSTATE 57014)
//   sql         any other error the server or libpqxx reported
//   conversion  the callback could not turn the rows into samples
// Messages are libpq's; the caller redacts them (ConnectionString::redact).
//
// Session settings: IntervalStyle iso_8601 (what column_conversion parses),
// restored by libpqxx if it ever reconnects by itself.
//
// Thread-safety: one thread uses a connection; cancel() alone may be called
// from another thread, to stop a running statement (at shutdown).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "collector/sql/result_table.hpp"
#include "common/util/status.hpp"

namespace mc {

enum class QueryFailure { none, connect, timeout, sql, conversion };
// "connect", "timeout", "sql", "conversion" ("none" for none): the `reason` label.
std::string_view query_failure_name(QueryFailure failure);

struct QueryError {
  QueryFailure reason = QueryFailure::none;
  std::string message;
  bool ok() const { return reason == QueryFailure::none; }
};

class SqlConnection {
 public:
  SqlConnection();
  ~SqlConnection();
  SqlConnection(const SqlConnection&) = delete;
  SqlConnection& operator=(const SqlConnection&) = delete;

  // Opens (or reopens) the connection; `conninfo` is a libpq connection string.
  QueryError open(const std::string& conninfo);
  bool is_open() const;
  void close();

  // Runs `sql` in a READ ONLY transaction with statement_timeout = `timeout`
  // and gives the rows to `consume` inside the transaction; a failure of
  // `consume` is reported as QueryFailure::conversion.
  QueryError run_read_only(std::string_view sql, std::chrono::milliseconds timeout,
                           const std::function<Status(const ResultTable&)>& consume);

  // Asks the server to cancel the running statement, if any. Any thread.
  void cancel();

 private:
  struct Session;             // the pqxx::connection
  mutable std::mutex mutex_;  // guards session_ against cancel() from another thread
  std::unique_ptr<Session> session_;
};

}  // namespace mc
