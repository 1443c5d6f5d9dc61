#include "collector/discovery/make_discoverers.hpp"

#include "collector/discovery/dns_sd_discoverer.hpp"
#include "collector/discovery/file_sd_discoverer.hpp"
#include "collector/discovery/http_sd_discoverer.hpp"
#include "collector/discovery/kubernetes_discoverer.hpp"

namespace mc {

std::vector<NamedDiscoverer> make_discoverers(const ScrapeConfig& job,
                                              const DiscovererContext& context) {
  std::vector<NamedDiscoverer> discoverers;
  for (size_t i = 0; i < job.file_sd_configs.size(); ++i) {
    const auto& config = job.file_sd_configs[i];
    discoverers.push_back(
        {"file_sd_configs/" + std::to_string(i), config,
         std::make_unique<FileSdDiscoverer>(config, context.config_directory, context.metrics)});
  }
  for (size_t i = 0; i < job.http_sd_configs.size(); ++i) {
    const auto& config = job.http_sd_configs[i];
    discoverers.push_back({"http_sd_configs/" + std::to_string(i), config,
                           std::make_unique<HttpSdDiscoverer>(config, context.metrics)});
  }
  for (size_t i = 0; i < job.dns_sd_configs.size(); ++i) {
    const auto& config = job.dns_sd_configs[i];
    discoverers.push_back(
        {"dns_sd_configs/" + std::to_string(i), config,
         std::make_unique<DnsSdDiscoverer>(config, context.metrics, context.dns_nameserver)});
  }
  for (size_t i = 0; i < job.kubernetes_sd_configs.size(); ++i) {
    const auto& config = job.kubernetes_sd_configs[i];
    discoverers.push_back({"kubernetes_sd_configs/" + std::to_string(i), config,
                           make_kubernetes_discoverer(config, job.job_name)});
  }
  return discoverers;
}

bool has_service_discovery(const ScrapeConfig& job) {
  return !job.file_sd_configs.empty() || !job.http_sd_configs.empty() ||
         !job.dns_sd_configs.empty() || !job.kubernetes_sd_configs.empty();
}

}  // namespace mc
