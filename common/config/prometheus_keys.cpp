#include "common/config/prometheus_keys.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace mc {

namespace {

bool is_empty_list(const YAML::Node& value) { return value.IsSequence() && value.size() == 0; }

// tsdb: {} and the like change nothing; any entry would.
bool is_empty_list_or_map(const YAML::Node& value) {
  return (value.IsSequence() || value.IsMap()) && value.size() == 0;
}

bool is_zero(const YAML::Node& value) { return value.IsScalar() && value.Scalar() == "0"; }

constexpr std::string_view kNoRules = "metrics-collector evaluates no rules";

constexpr std::array kTopLevel = {
    ForeignKey{"rule_files", kNoRules, is_empty_list,
               "run the rules in a Prometheus that reads metrics-collector"},
    ForeignKey{"scrape_config_files", "it lists no files", is_empty_list,
               "list the jobs under scrape_configs"},
    // Alerts come from alerting rules, which rule_files would bring (an error).
    ForeignKey{"alerting", "with no rules there are no alerts to send", nullptr, ""},
    ForeignKey{"remote_write", "it is empty", is_empty_list,
               "have the receiver scrape /metrics, which serves every stored series"},
    ForeignKey{"remote_read", "it is empty", is_empty_list, ""},
    ForeignKey{"tracing", "metrics-collector sends no traces", nullptr, ""},
    ForeignKey{"runtime", "it tunes Go's runtime", nullptr, ""},
    ForeignKey{"otlp", "metrics-collector receives no OTLP", nullptr, ""},
};

constexpr std::array kGlobal = {
    ForeignKey{"evaluation_interval", kNoRules, nullptr, ""},
    ForeignKey{"query_log_file", "metrics-collector logs no PromQL queries", nullptr, ""},
};

constexpr std::string_view kUseStaticConfigs = "list the targets under static_configs";

constexpr std::array kScrapeConfig = {
    ForeignKey{"target_limit", "0 sets no limit", is_zero, ""},
    // Later versions' proxy keys; 2.42 has proxy_url only.
    ForeignKey{"no_proxy", "", nullptr, "set proxy_url only where a proxy is needed"},
    ForeignKey{"proxy_from_environment", "", nullptr, "set proxy_url"},
    ForeignKey{"proxy_connect_header", "", nullptr, "set proxy_url"},
    // Service discovery (discovery/install): only static_configs for now.
    ForeignKey{"azure_sd_configs", "it is empty", is_empty_list, kUseStaticConfigs},
    ForeignKey{"consul_sd_configs", "it is empty", is_empty_list, kUseStaticConfigs},
    ForeignKey{"digitalocean_sd_configs", "it is empty", is_empty_list, kUseStaticConfigs},
    ForeignKey{"docker_sd_configs", "it is empty", is_empty_list, kUseStaticConfigs},
    ForeignKey{"dockerswarm_sd_configs", "it is empty", is_empty_list, kUseStaticConfigs},
    ForeignKey{"ec2_sd_configs", "it is empty", is_empty_list, kUseStaticConfigs},
    ForeignKey{"eureka_sd_configs", "it is empty", is_empty_list, kUseStaticConfigs},
    ForeignKey{"gce_sd_configs", "it is empty", is_empty_list, kUseStaticConfigs},
    ForeignKey{"hetzner_sd_configs", "it is empty", is_empty_list, kUseStaticConfigs},
    ForeignKey{"ionos_sd_configs", "it is empty", is_empty_list, kUseStaticConfigs},
    ForeignKey{"kuma_sd_configs", "it is empty", is_empty_list, kUseStaticConfigs},
    ForeignKey{"lightsail_sd_configs", "it is empty", is_empty_list, kUseStaticConfigs},
    ForeignKey{"linode_sd_configs", "it is empty", is_empty_list, kUseStaticConfigs},
    ForeignKey{"marathon_sd_configs", "it is empty", is_empty_list, kUseStaticConfigs},
    ForeignKey{"nerve_sd_configs", "it is empty", is_empty_list, kUseStaticConfigs},
    ForeignKey{"nomad_sd_configs", "it is empty", is_empty_list, kUseStaticConfigs},
    ForeignKey{"openstack_sd_configs", "it is empty", is_empty_list, kUseStaticConfigs},
    ForeignKey{"ovhcloud_sd_configs", "it is empty", is_empty_list, kUseStaticConfigs},
    ForeignKey{"puppetdb_sd_configs", "it is empty", is_empty_list, kUseStaticConfigs},
    ForeignKey{"scaleway_sd_configs", "it is empty", is_empty_list, kUseStaticConfigs},
    ForeignKey{"serverset_sd_configs", "it is empty", is_empty_list, kUseStaticConfigs},
    ForeignKey{"triton_sd_configs", "it is empty", is_empty_list, kUseStaticConfigs},
    ForeignKey{"uyuni_sd_configs", "it is empty", is_empty_list, kUseStaticConfigs},
    ForeignKey{"vultr_sd_configs", "it is empty", is_empty_list, kUseStaticConfigs},
};

constexpr std::array kStorage = {
    ForeignKey{"tsdb", "it is empty", is_empty_list_or_map,
               "metrics-collector's store takes no out-of-order samples"},
    ForeignKey{"exemplars", "metrics-collector stores no exemplars", nullptr, ""},
};

}  // namespace

std::span<const ForeignKey> prometheus_top_level_keys() { return kTopLevel; }
std::span<const ForeignKey> prometheus_global_keys() { return kGlobal; }
std::span<const ForeignKey> prometheus_scrape_config_keys() { return kScrapeConfig; }
std::span<const ForeignKey> prometheus_storage_keys() { return kStorage; }

}  // namespace mc
