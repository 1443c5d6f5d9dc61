// ConnectionString: a database's libpq connection string, taken from where the
// config says (an environment variable, a file, or inline), checked, and given
// the settings the SQL collector relies on, plus what may be shown of it.
//
// Passwords: the password never leaves this object except through
// conninfo(), which only libpq sees. description() names host, port, database
// and user only; redact() scrubs the password (as written and as decoded) from
// any text before it is logged or stored, e.g. a libpq error message.
//
// Thread-safety: immutable after construction; const methods from any thread.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/config/config.hpp"
#include "common/util/status.hpp"

namespace mc {

class ConnectionString {
 public:
  // Reads an environment variable; tests pass their own.
  using EnvironmentLookup = std::function<std::optional<std::string>(const std::string& name)>;

  // The DSN of `database` (dsn, dsn_env or dsn_file), parsed by libpq (URL or
  // key=value form). Errors name the database and the source, never the DSN.
  static Result<ConnectionString> resolve(const SqlDatabaseConfig& database,
                                          const EnvironmentLookup& environment);
  // Parses a DSN given as text, and refuses one libpq parses but would never
  // connect with (check_connection_options). Adds, unless the DSN sets them,
  // fallback_application_name=metrics-collector and connect_timeout (whole
  // seconds, at least 1); always sets client_encoding=UTF8, since label values
  // must be UTF-8.
  static Result<ConnectionString> parse(std::string_view dsn,
                                        std::chrono::milliseconds connect_timeout);

  // key='value' pairs for libpq; holds the password.
  const std::string& conninfo() const { return conninfo_; }
  // "host=127.0.0.1 port=5432 dbname=app user=metrics": safe to log.
  const std::string& description() const { return description_; }
  // `text` with every spelling of the password replaced by "xxxxx".
  std::string redact(std::string_view text) const;

 private:
  std::string conninfo_;
  std::string description_;
  std::vector<std::string> secrets_;  // the password decoded and as written in the DSN
};

}  // namespace mc
