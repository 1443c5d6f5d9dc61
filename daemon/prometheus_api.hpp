// The Prometheus HTTP API as the daemon serves it (exporter/api): its options
// from the flags and the config, and the record of the config in use, which
// /api/v1/status/config and /status/runtimeinfo show.
//
// ConfigRecord is written after the config loads and after each reload (the
// main thread on SIGHUP, a worker for POST /-/reload) and read by request
// threads; record_reload() runs one reload at a time, so two
// reloads at once cannot leave the record describing the older one.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "common/config/config.hpp"
#include "common/util/status.hpp"
#include "daemon/flags.hpp"
#include "exporter/api/api_options.hpp"

namespace mc {

class ConfigRecord {
 public:
  // After the first load: `config` is in use since now.
  void loaded(const Config& config);
  // Runs `reload`; on success records `current()` (the config it applied),
  // else marks the last reload failed and keeps the config shown.
  Status record_reload(const std::function<Status()>& reload,
                       const std::function<const Config&()>& current);

  std::string yaml() const;
  api::ConfigState state() const;

 private:
  std::mutex reload_mutex_;  // one reload at a time, readers not held up
  mutable std::mutex mutex_;
  std::string yaml_;        // GUARDED_BY(mutex_)
  api::ConfigState state_;  // GUARDED_BY(mutex_)
};

// `record` must outlive the routes made from the options.
api::ApiOptions prometheus_api_options(const Flags& flags, const Config& config,
                                       const ConfigRecord& record);

}  // namespace mc
