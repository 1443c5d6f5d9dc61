#include "daemon/prometheus_api.hpp"

#include "common/util/duration.hpp"
#include "common/util/wall_clock.hpp"
#include "exporter/api/api_config_yaml.hpp"

namespace mc {

namespace {

// "raw 7d, 5m 30d, 1h 1y": each tier's resolution and retention.
std::string retention_text(const StorageConfig& storage) {
  std::string text;
  for (const StorageTierConfig& tier : storage.tiers) {
    if (!text.empty()) text += ", ";
    text += tier.resolution.count() == 0 ? std::string("raw") : format_duration(tier.resolution);
    text += ' ';
    text += format_duration(tier.retention);
  }
  return text;
}

}  // namespace

void ConfigRecord::loaded(const Config& config) {
  std::string yaml = api::config_yaml(config);
  std::lock_guard lock(mutex_);
  yaml_ = std::move(yaml);
  state_ = api::ConfigState{true, wall_clock_ms()};
}

Status ConfigRecord::record_reload(const std::function<Status()>& reload,
                                   const std::function<const Config&()>& current) {
  std::lock_guard reloading(reload_mutex_);
  Status status = reload();
  if (!status) {
    std::lock_guard lock(mutex_);
    state_.reload_success = false;
    return status;
  }
  std::string yaml = api::config_yaml(current());
  std::lock_guard lock(mutex_);
  yaml_ = std::move(yaml);
  state_ = api::ConfigState{true, wall_clock_ms()};
  return status;
}

std::string ConfigRecord::yaml() const {
  std::lock_guard lock(mutex_);
  return yaml_;
}

api::ConfigState ConfigRecord::state() const {
  std::lock_guard lock(mutex_);
  return state_;
}

api::ApiOptions prometheus_api_options(const Flags& flags, const Config& config,
                                       const ConfigRecord& record) {
  api::ApiOptions options;
  options.external_labels = config.global.external_labels;
  options.lookback_delta = flags.query_lookback_delta;
  options.flags = flag_values(flags);
  options.config_yaml = [&record] { return record.yaml(); };
  options.config_state = [&record] { return record.state(); };
  options.storage_retention = retention_text(config.storage);
  options.start_time_ms = wall_clock_ms();
  return options;
}

}  // namespace mc
