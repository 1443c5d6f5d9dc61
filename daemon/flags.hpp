// Command-line flags in Prometheus's style: `--name=value` or `--name value`,
// booleans as `--name` / `--no-name`. Unknown flags are errors.
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/util/logger.hpp"
#include "common/util/status.hpp"

namespace mc {

struct Flags {
  std::string config_file = "metrics-collector.yml";
  std::string listen_address = ":9993";
  log::Level log_level = log::Level::info;
  log::Format log_format = log::Format::logfmt;
  // The store's directory (blocks, write-ahead log); created when missing.
  std::string storage_path = "data";
  size_t scrape_workers = 2;
  // Exporter-toolkit web config (TLS, basic auth); empty: plain HTTP, no auth.
  std::string web_config_file;
  // POST /-/reload and /-/quit; off, they answer 403 (as Prometheus).
  bool enable_lifecycle = false;
  // The PromQL engine behind /api/v1/query (common/query/engine.hpp), with
  // Prometheus's defaults; the lookback also bounds /federate.
  std::chrono::milliseconds query_timeout{std::chrono::minutes(2)};
  uint64_t query_max_samples = 50'000'000;
  int query_max_concurrency = 20;
  std::chrono::milliseconds query_lookback_delta{std::chrono::minutes(5)};
  // Helper threads of the PromQL engine (common/query/query_workers.hpp);
  // -1 until parsed: one fewer than the cores.
  int query_workers = -1;
  bool show_version = false;
  bool show_help = false;
};

Result<Flags> parse_flags(std::span<const std::string_view> args);
std::string flags_usage();
// Every flag by name with its value, given or default, as Prometheus's
// /api/v1/status/flags lists them ("query.timeout" -> "2m").
std::vector<std::pair<std::string, std::string>> flag_values(const Flags& flags);
// --query.workers when not given: one fewer than the usable CPUs (the
// engine's own default, common/query/engine.hpp).
int default_query_workers();

}  // namespace mc
