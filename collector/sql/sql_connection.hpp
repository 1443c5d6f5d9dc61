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
// Messages are libpq's, whole: the server's ERROR line and any LINE, DETAIL
// and HINT lines after it, joined by newlines (only trailing blanks are cut);
// the caller redacts them (ConnectionString::redact). `permanent` says that
// no retry fixes the error (see error_classes.hpp): conversion failures and
// server errors such as a syntax error, a missing table or a missing grant.
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
#include <utility>
#include <vector>

#include "collector/sql/result_table.hpp"
#include "common/util/status.hpp"

namespace mc {

enum class QueryFailure { none, connect, timeout, sql, conversion };
// "connect", "timeout", "sql", "conversion" ("none" for none): the `reason` label.
std::string_view query_failure_name(QueryFailure failure);

struct QueryError {
  QueryError() = default;
  QueryError(QueryFailure failure, std::string text, std::string state = {},
             bool no_retry_fixes = false)
      : reason(failure),
        message(std::move(text)),
        sqlstate(std::move(state)),
        permanent(no_retry_fixes) {}

  QueryFailure reason = QueryFailure::none;
  std::string message;
  std::string sqlstate;  // the server's error code, when it sent one
  bool permanent = false;
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

  // Runs `statements` one after another in one READ ONLY transaction with
  // statement_timeout = `timeout`, each through the extended protocol, which
  // takes one statement only (a second one after a ';' is an error, never
  // run), and gives the last one's rows to `consume`. For check sql, which
  // must not run what it only checks.
  QueryError run_statements_read_only(const std::vector<std::string>& statements,
                                      std::chrono::milliseconds timeout,
                                      const std::function<Status(const ResultTable&)>& consume);

  // Asks the server to cancel the running statement, if any. Any thread.
  void cancel();

 private:
  struct Session;      // the pqxx::connection
  struct Transaction;  // the pqxx::read_transaction of one call
  // BEGIN READ ONLY, SET LOCAL statement_timeout, `body`, COMMIT (or ROLLBACK
  // when `body` fails); every libpqxx exception becomes a QueryError here.
  QueryError in_read_only_transaction(std::chrono::milliseconds timeout,
                                      const std::function<QueryError(Transaction&)>& body);
  mutable std::mutex mutex_;  // guards session_ against cancel() from another thread
  std::unique_ptr<Session> session_;
};

}  // namespace mc
