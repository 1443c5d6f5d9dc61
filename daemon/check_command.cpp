#include "daemon/check_command.hpp"

#include <iterator>
#include <string>

#include "common/config/config.hpp"
#include "common/exposition/parser.hpp"

namespace mc {
namespace {

constexpr std::string_view kUsage =
    "usage: metrics-collector check exposition [--format=openmetrics|prometheus] < file\n"
    "       metrics-collector check config FILE...";

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

// Like `promtool check config`: every file is loaded; exit 1 if any is invalid.
int check_config(std::span<const std::string_view> files, std::ostream& out, std::ostream& err) {
  if (files.empty()) return usage_error(err, "check config needs at least one file");
  int status = 0;
  for (std::string_view file : files) {
    auto config = load_config_file(std::string(file));
    if (config) {
      out << "SUCCESS: " << file << " is valid (" << config->scrape_configs.size()
          << " scrape configs, " << config->sql.databases.size() << " SQL databases)\n";
    } else {
      err << "FAILED: " << config.error() << "\n";
      status = 1;
    }
  }
  return status;
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
  const Status status = parse_exposition(body, format, handler);
  if (!status) {
    err << "error: " << status.message() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace mc
