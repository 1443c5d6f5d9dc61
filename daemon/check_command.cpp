#include "daemon/check_command.hpp"

#include <cstdlib>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "collector/sql/connection_string.hpp"
#include "collector/sql/sql_collector.hpp"
#include "common/config/config.hpp"
#include "common/config/web_config.hpp"
#include "common/exposition/parser.hpp"
#include "common/exposition/promtool_text_check.hpp"

namespace mc {
namespace {

constexpr std::string_view kUsage =
    "usage: metrics-collector check exposition [--format=openmetrics|prometheus] < file\n"
    "       metrics-collector check config [--web.config.file=FILE] FILE...\n"
    "       metrics-collector check sql FILE   (connects, EXPLAINs every query; "
    "docs/business-metrics.md)";

constexpr std::string_view kConfigHelp =
    "usage: metrics-collector check config [--web.config.file=FILE] FILE...\n"
    "\n"
    "Checks each config file as the daemon does at start: the file itself (every\n"
    "error at once, file:line:col), the SQL databases' DSNs (dsn_env variables set,\n"
    "dsn_file files readable, each DSN one libpq can parse), METRICS_TICK_DURATION,\n"
    "and the web config file when given. Warnings (Prometheus keys that are\n"
    "ignored) are printed and do not fail the check.\n"
    "\n"
    "Exit status: 0 when all is well; 2 when the daemon would refuse to start\n"
    "with these files and this environment (it exits 2 too); 2 for a usage error.\n";

constexpr std::string_view kWebConfigFlag = "--web.config.file=";

// Validation only: the samples are read and dropped.
class DiscardingHandler : public ExpositionHandler {
 public:
  void on_family(const FamilyView&) override {}
  void on_sample(const SampleView&) override {}
};

int usage_error(std::ostream& err, std::string_view problem) {
  err << "error: " << problem << "\n" << kUsage << "\n";
  return 2;
}

// The daemon's exit status when a config, its DSNs or the environment are bad.
constexpr int kDaemonRefusesToStart = 2;

// What the daemon resolves at start beyond the file: each database's DSN
// (SqlCollector::create does the same through ConnectionString::resolve).
std::vector<std::string> dsn_problems(const Config& config) {
  auto environment = [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
  std::vector<std::string> problems;
  for (const SqlDatabaseConfig& database : config.sql.databases) {
    auto dsn = ConnectionString::resolve(database, environment);
    if (!dsn) problems.push_back(dsn.error());
  }
  return problems;
}

// Every line of a (multi-line) message, each with `prefix`.
void print_lines(std::ostream& stream, std::string_view prefix, const std::string& message) {
  std::istringstream lines(message);
  for (std::string line; std::getline(lines, line);) stream << prefix << line << "\n";
}

// Like `promtool check config`, every file is checked; unlike it, a failure
// exits with the daemon's status for it (2), so that a deploy script can
// expect what the daemon will do.
int check_config(std::span<const std::string_view> args, std::ostream& out, std::ostream& err) {
  std::string web_config_file;
  std::vector<std::string_view> files;
  for (std::string_view arg : args) {
    if (arg == "--help" || arg == "-h") {
      out << kConfigHelp;
      return 0;
    }
    if (arg.starts_with(kWebConfigFlag)) {
      web_config_file = std::string(arg.substr(kWebConfigFlag.size()));
    } else if (arg.starts_with("-") && arg != "-") {
      return usage_error(err, "unknown flag \"" + std::string(arg) + "\"");
    } else {
      files.push_back(arg);
    }
  }
  if (files.empty()) return usage_error(err, "check config needs at least one file");
  int status = 0;
  // The environment and the web config are the daemon's, whatever the file.
  if (auto tick = tick_from_environment(std::getenv(kTickDurationVariable)); !tick) {
    err << "FAILED: " << tick.error() << "\n";
    status = kDaemonRefusesToStart;
  }
  if (!web_config_file.empty()) {
    if (auto web_config = load_web_config_file(web_config_file); !web_config) {
      print_lines(err, "FAILED: ", web_config.error());
      status = kDaemonRefusesToStart;
    } else {
      out << "SUCCESS: " << web_config_file << " is a valid web config\n";
    }
  }
  for (std::string_view file : files) {
    auto config = load_config_file(std::string(file));
    if (!config) {
      print_lines(err, "FAILED: ", config.error());
      status = kDaemonRefusesToStart;
      continue;
    }
    std::vector<std::string> problems = dsn_problems(*config);
    if (problems.empty()) {
      out << "SUCCESS: " << file << " is valid (" << config->scrape_configs.size()
          << " scrape configs, " << config->sql.databases.size() << " SQL databases)\n";
    } else {
      for (const std::string& problem : problems)
        err << "FAILED: " << file << ": " << problem << "\n";
      status = kDaemonRefusesToStart;
    }
    for (const std::string& warning : config->warnings) err << "WARNING: " << warning << "\n";
  }
  return status;
}

// Text 0.0.4 has two readers that disagree (promtool_text_check.hpp): the
// verdict is promtool's, and where the daemon's scraper (which follows
// Prometheus's) would decide otherwise, a note says so, since a page that
// passes here may still get `up 0`.
int report_text_verdicts(const Status& promtool, const Status& scraped, std::ostream& err) {
  if (!promtool) err << "error: " << promtool.message() << "\n";
  if (promtool.is_ok() && !scraped.is_ok()) {
    err << "note: promtool check metrics accepts this page, but the scraper refuses it (up 0), "
           "as Prometheus 2.42's scraper does: "
        << scraped.message() << "\n";
  } else if (!promtool.is_ok() && scraped.is_ok()) {
    err << "note: promtool check metrics rejects this page, but the scraper accepts it (up 1), "
           "as Prometheus 2.42's scraper does\n";
  }
  return promtool ? 0 : 1;
}

}  // namespace

int run_check_command(std::span<const std::string_view> args, std::istream& in, std::ostream& out,
                      std::ostream& err) {
  if (args.empty()) return usage_error(err, "missing subcommand");
  if (args[0] == "config") return check_config(args.subspan(1), out, err);
  if (args[0] != "exposition") {
    return usage_error(err, "unknown subcommand \"" + std::string(args[0]) + "\"");
  }
  ExpositionFormat format = ExpositionFormat::prometheus_text;
  for (std::string_view arg : args.subspan(1)) {
    if (arg == "--format=openmetrics") {
      format = ExpositionFormat::openmetrics;
    } else if (arg == "--format=prometheus") {
      format = ExpositionFormat::prometheus_text;
    } else {
      return usage_error(err, "unknown argument \"" + std::string(arg) + "\"");
    }
  }
  const std::string body{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) {
    err << "error: reading standard input failed\n";
    return 1;
  }
  DiscardingHandler handler;
  const Status scraped = parse_exposition(body, format, handler);
  if (format == ExpositionFormat::openmetrics) {
    if (!scraped) {
      err << "error: " << scraped.message() << "\n";
      return 1;
    }
    return 0;
  }
  return report_text_verdicts(check_text_as_promtool(body), scraped, err);
}

}  // namespace mc
