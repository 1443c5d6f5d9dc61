#include "collector/sql/sql_connection.hpp"

#include <pqxx/pqxx>

#include <fmt/format.h>

#include "collector/sql/error_classes.hpp"

namespace mc {

namespace {

// SQLSTATE 57014 query_canceled: statement_timeout, or cancel() at shutdown.
constexpr std::string_view kQueryCanceled = "57014";

// libpq ends messages with a newline; the lines before it (LINE, DETAIL,
// HINT, libpq's "Is the server running ...") are part of the message.
std::string tidy(std::string_view message) {
  std::string out(message);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

// Errors that mean the session is gone: connection exceptions (class 08),
// the server shutting down or the backend killed (57P01..57P03), and 'crash
// shutdown'-style admin errors.
bool means_connection_lost(const std::string& sqlstate) {
  return sqlstate.starts_with("08") || sqlstate == "57P01" || sqlstate == "57P02" ||
         sqlstate == "57P03";
}

// libpqxx 6.4 throws insufficient_privilege without its SQLSTATE (the other
// classes it maps carry theirs), and its transaction_rollback family is no
// sql_error at all; the code is put back from the exception's type, so a
// missing grant is classed like any other permanent error.
std::string sqlstate_of(const pqxx::sql_error& error) {
  if (!error.sqlstate().empty()) return error.sqlstate();
  if (dynamic_cast<const pqxx::insufficient_privilege*>(&error) != nullptr) return "42501";
  return {};
}

std::string sqlstate_of(const pqxx::transaction_rollback& error) {
  if (dynamic_cast<const pqxx::serialization_failure*>(&error) != nullptr) return "40001";
  if (dynamic_cast<const pqxx::deadlock_detected*>(&error) != nullptr) return "40P01";
  if (dynamic_cast<const pqxx::statement_completion_unknown*>(&error) != nullptr) return "40003";
  return "40000";
}

class PqxxResultTable final : public ResultTable {
 public:
  explicit PqxxResultTable(const pqxx::result& result) : result_(result) {}
  size_t row_count() const override { return result_.size(); }
  size_t column_count() const override { return static_cast<size_t>(result_.columns()); }
  std::string_view column_name(size_t column) const override {
    return result_.column_name(static_cast<pqxx::row::size_type>(column));
  }
  uint32_t column_type(size_t column) const override {
    return result_.column_type(static_cast<pqxx::row::size_type>(column));
  }
  std::optional<std::string_view> cell(size_t row, size_t column) const override {
    pqxx::field field = result_[static_cast<pqxx::result::size_type>(row)]
                               [static_cast<pqxx::row::size_type>(column)];
    if (field.is_null()) return std::nullopt;
    return std::string_view(field.c_str(), field.size());
  }

 private:
  const pqxx::result& result_;
};

}  // namespace

std::string_view query_failure_name(QueryFailure failure) {
  switch (failure) {
    case QueryFailure::none:
      return "none";
    case QueryFailure::connect:
      return "connect";
    case QueryFailure::timeout:
      return "timeout";
    case QueryFailure::sql:
      return "sql";
    case QueryFailure::conversion:
      return "conversion";
  }
  return "none";
}

struct SqlConnection::Session {
  explicit Session(const std::string& conninfo) : connection(conninfo) {}
  pqxx::connection connection;
};

struct SqlConnection::Transaction {
  pqxx::read_transaction& work;
};

SqlConnection::SqlConnection() = default;

SqlConnection::~SqlConnection() { close(); }

QueryError SqlConnection::open(const std::string& conninfo) {
  close();
  try {
    auto session = std::make_unique<Session>(conninfo);
    session->connection.set_variable("IntervalStyle", "iso_8601");
    std::lock_guard lock(mutex_);
    session_ = std::move(session);
    return {};
  } catch (const std::exception& error) {
    return {QueryFailure::connect, tidy(error.what())};
  }
}

bool SqlConnection::is_open() const {
  std::lock_guard lock(mutex_);
  return session_ != nullptr && session_->connection.is_open();
}

void SqlConnection::close() {
  std::unique_ptr<Session> closing;
  {
    std::lock_guard lock(mutex_);
    closing = std::move(session_);
  }
  // Destroying the connection closes it; libpqxx's destructor does not throw.
  closing.reset();
}

QueryError SqlConnection::run_read_only(std::string_view sql, std::chrono::milliseconds timeout,
                                        const std::function<Status(const ResultTable&)>& consume) {
  return in_read_only_transaction(timeout, [&](Transaction& transaction) -> QueryError {
    pqxx::result result = transaction.work.exec(std::string(sql));
    Status consumed = consume(PqxxResultTable(result));
    if (!consumed) return {QueryFailure::conversion, consumed.message(), {}, true};
    return {};
  });
}

QueryError SqlConnection::run_statements_read_only(
    const std::vector<std::string>& statements, std::chrono::milliseconds timeout,
    const std::function<Status(const ResultTable&)>& consume) {
  return in_read_only_transaction(timeout, [&](Transaction& transaction) -> QueryError {
    pqxx::result result;
    for (const std::string& statement : statements)
      result = transaction.work.exec_params(statement);
    Status consumed = consume(PqxxResultTable(result));
    if (!consumed) return {QueryFailure::conversion, consumed.message(), {}, true};
    return {};
  });
}

QueryError SqlConnection::in_read_only_transaction(
    std::chrono::milliseconds timeout, const std::function<QueryError(Transaction&)>& body) {
  if (session_ == nullptr) return {QueryFailure::connect, "not connected"};
  QueryError outcome;
  try {
    pqxx::read_transaction transaction(session_->connection);
    // SET LOCAL ends with the transaction, so the session keeps its own default.
    transaction.exec(fmt::format("SET LOCAL statement_timeout = {}", timeout.count()));
    Transaction wrapped{transaction};
    outcome = body(wrapped);
    if (!outcome.ok()) {
      transaction.abort();
      return outcome;
    }
    transaction.commit();
    return outcome;
  } catch (const pqxx::broken_connection& error) {
    outcome = {QueryFailure::connect, tidy(error.what())};
  } catch (const pqxx::in_doubt_error& error) {
    outcome = {QueryFailure::connect, tidy(error.what())};
  } catch (const pqxx::transaction_rollback& error) {
    // Serialization failure, deadlock: the next run may pass.
    outcome = {QueryFailure::sql, tidy(error.what()), sqlstate_of(error)};
  } catch (const pqxx::sql_error& error) {
    const std::string sqlstate = sqlstate_of(error);
    QueryFailure reason = QueryFailure::sql;
    if (sqlstate == kQueryCanceled) reason = QueryFailure::timeout;
    if (means_connection_lost(sqlstate)) reason = QueryFailure::connect;
    outcome = {reason, tidy(error.what()), sqlstate,
               reason == QueryFailure::sql && is_permanent_sqlstate(sqlstate)};
  } catch (const std::exception& error) {
    outcome = {QueryFailure::sql, tidy(error.what())};
  }
  // Whatever went wrong, a session that is no longer usable is dropped here,
  // so the next run reconnects instead of failing on a dead socket.
  if (outcome.reason == QueryFailure::connect || !session_->connection.is_open()) {
    outcome.reason = QueryFailure::connect;
    outcome.permanent = false;
    close();
  }
  return outcome;
}

void SqlConnection::cancel() {
  std::lock_guard lock(mutex_);
  if (session_ == nullptr) return;
  try {
    // PQcancel is safe while another thread waits for the statement.
    session_->connection.cancel_query();
  } catch (const std::exception&) {
    // Best effort: the statement ends at its statement_timeout anyway.
  }
}

}  // namespace mc
