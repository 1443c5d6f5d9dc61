// Command-line flags in Prometheus's style: `--name=value` or `--name value`,
// booleans as `--name` / `--no-name`. Unknown flags are errors.
#pragma once

#include <chrono>
#include <span>
#include <string>
#include <string_view>

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
  bool show_version = false;
  bool show_help = false;
};

Result<Flags> parse_flags(std::span<const std::string_view> args);
std::string flags_usage();

}  // namespace mc
