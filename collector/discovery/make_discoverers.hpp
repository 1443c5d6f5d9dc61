// make_discoverers: the discoverers of one scrape job's *_sd_configs, each
// with the name the DiscoveryManager knows it by ("file_sd_configs/0") and the
// config it came from, so that a reload can tell an unchanged discoverer
// (kept running, its groups kept) from a changed one (restarted).
//
// Creating a discoverer starts nothing; DiscoveryManager runs it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <netinet/in.h>

#include "collector/discovery/discoverer.hpp"
#include "collector/discovery/discovery_metrics.hpp"
#include "common/config/config.hpp"

namespace mc {

using SdConfig = std::variant<FileSdConfig, HttpSdConfig, DnsSdConfig, KubernetesSdConfig>;

struct NamedDiscoverer {
  std::string name;  // "<section>/<index>", unique within the job
  SdConfig config;
  std::unique_ptr<Discoverer> discoverer;
};

struct DiscovererContext {
  std::string config_directory;               // relative file_sd paths start here
  DiscoveryMetrics* metrics = nullptr;        // may be null
  std::optional<sockaddr_in> dns_nameserver;  // tests only: see DnsSdDiscoverer
};

std::vector<NamedDiscoverer> make_discoverers(const ScrapeConfig& job,
                                              const DiscovererContext& context);

// Whether the job has any *_sd_configs.
bool has_service_discovery(const ScrapeConfig& job);

}  // namespace mc
