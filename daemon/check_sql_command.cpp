#include "daemon/check_sql_command.hpp"

#include <cstdlib>
#include <optional>
#include <string>

#include "collector/sql/sql_collector.hpp"
#include "collector/sql/sql_query_check.hpp"
#include "common/config/config.hpp"

namespace mc {
namespace {

constexpr std::string_view kUsage =
    "usage: metrics-collector check sql FILE\n"
    "       metrics-collector check sql --config.file=FILE\n"
    "Connects to every SQL database of the config and checks every query with EXPLAIN\n"
    "and its result's columns (READ ONLY, no row fetched). Exit 0: all pass; 1: any\n"
    "fails; 2: usage, config or DSN error (as the daemon at start).\n";

int usage_error(std::ostream& err, std::string_view problem) {
  err << "error: " << problem << "\n" << kUsage;
  return 2;
}

std::optional<std::string> process_environment(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

// The message's first line after the header, the rest indented beneath it,
// so the query's line stays one line to grep and the DETAIL, HINT and LINE
// lines of the database's error are all there.
void write_message(std::ostream& out, std::string_view message) {
  size_t newline = message.find('\n');
  out << message.substr(0, newline) << "\n";
  while (newline != std::string_view::npos) {
    message.remove_prefix(newline + 1);
    newline = message.find('\n');
    out << "          " << message.substr(0, newline) << "\n";
  }
}

}  // namespace

int run_check_sql_command(std::span<const std::string_view> args, std::ostream& out,
                          std::ostream& err) {
  std::optional<std::string> file;
  for (std::string_view arg : args) {
    if (arg == "--help" || arg == "-h") {
      out << kUsage;
      return 0;
    }
    std::string_view value = arg;
    if (arg.starts_with("--config.file=")) {
      value = arg.substr(std::string_view("--config.file=").size());
    } else if (arg.starts_with("-")) {
      return usage_error(err, "unknown flag \"" + std::string(arg) + "\"");
    }
    if (file) return usage_error(err, "check sql takes one config file");
    if (value.empty()) return usage_error(err, "empty config file name");
    file = std::string(value);
  }
  if (!file) return usage_error(err, "check sql needs a config file");

  auto tick = tick_from_environment(std::getenv(kTickDurationVariable));
  if (!tick) {
    err << "FAILED: invalid environment variable: " << tick.error() << "\n";
    return 2;
  }
  auto config = load_config_file(*file);
  if (!config) {
    err << "FAILED: " << config.error() << "\n";
    return 2;
  }
  if (config->sql.databases.empty()) {
    out << "no SQL databases in " << *file << ", nothing to check\n";
    return 0;
  }

  int queries = 0;
  int failed = 0;
  Status resolved =
      check_sql_queries(config->sql, &process_environment, *tick, [&](const SqlQueryCheck& check) {
        ++queries;
        if (check.error.ok()) {
          out << "ok      database=" << check.database << " query=" << check.query << "\n";
          out.flush();
          return;
        }
        ++failed;
        out << "FAILED  database=" << check.database << " query=" << check.query
            << " reason=" << query_failure_name(check.error.reason);
        if (!check.error.sqlstate.empty()) out << " sqlstate=" << check.error.sqlstate;
        out << ": ";
        write_message(out, check.error.message);
        out.flush();
      });
  if (!resolved) {
    err << "FAILED: " << resolved.message() << "\n";
    return 2;
  }
  out << queries << " queries in " << config->sql.databases.size() << " databases checked, "
      << failed << " failed\n";
  return failed == 0 ? 0 : 1;
}

}  // namespace mc
