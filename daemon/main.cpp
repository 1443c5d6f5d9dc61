// metrics-collector: flags, then either a subcommand (check ..., store ...) or the daemon.
#include <exception>
#include <iostream>
#include <string_view>
#include <vector>

#include "common/util/build_version.hpp"
#include "common/util/malloc_thresholds.hpp"
#include "daemon/check_command.hpp"
#include "daemon/check_sql_command.hpp"
#include "daemon/daemon.hpp"
#include "daemon/flags.hpp"
#include "daemon/store_command.hpp"

namespace {

int run(int argc, char** argv) {
  std::vector<std::string_view> args(argv + 1, argv + argc);
  if (args.size() >= 2 && args[0] == "check" && args[1] == "sql") {
    return mc::run_check_sql_command(std::span(args).subspan(2), std::cout, std::cerr);
  }
  if (!args.empty() && args[0] == "check") {
    return mc::run_check_command(std::span(args).subspan(1), std::cin, std::cout, std::cerr);
  }
  if (!args.empty() && args[0] == "store") {
    return mc::run_store_command(std::span(args).subspan(1), std::cout, std::cerr);
  }
  auto flags = mc::parse_flags(args);
  if (!flags) {
    std::cerr << "metrics-collector: " << flags.error() << "\n\n" << mc::flags_usage();
    return 2;
  }
  if (flags->show_help) {
    std::cout << mc::flags_usage();
    return 0;
  }
  if (flags->show_version) {
    std::cout << "metrics-collector, version " << mc::build_version()
              << " (revision: " << mc::build_revision() << ")\n";
    return 0;
  }
  return mc::run_daemon(*flags);
}

}  // namespace

// An exception that reaches main is a bug, but it should say what it was and
// exit 1 rather than abort through std::terminate.
int main(int argc, char** argv) {
  mc::fix_malloc_thresholds();  // before any thread: memory flat across block cuts
  try {
    return run(argc, argv);
  } catch (const std::exception& error) {
    std::cerr << "metrics-collector: fatal: " << error.what() << "\n";
  } catch (...) {
    std::cerr << "metrics-collector: fatal: unknown exception\n";
  }
  return 1;
}
