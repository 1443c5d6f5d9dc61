// ApiOptions: what the Prometheus HTTP API serves beyond the store and the
// query engine: the daemon's flags and config, its runtime state, and the
// settings /federate shares with /metrics. The daemon fills it; the handlers
// only read it.
//
// Thread-safety: the callbacks run on the server's worker threads, several at
// once; they must be safe for that.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "common/model/labels.hpp"

namespace mc::api {

// /api/v1/status/runtimeinfo's config state.
struct ConfigState {
  bool reload_success = true;
  int64_t last_config_time_ms = 0;  // the last successful load
};

struct ApiOptions {
  // global.external_labels, added by /federate to series that lack them.
  std::vector<Label> external_labels;
  // How far back /federate looks for a series' newest sample.
  std::chrono::milliseconds lookback_delta{std::chrono::minutes(5)};
  // Every flag and its value as given or defaulted, for status/flags.
  std::vector<std::pair<std::string, std::string>> flags;
  // The config in use as YAML, secrets as <secret> (status/config).
  std::function<std::string()> config_yaml;
  std::function<ConfigState()> config_state;
  // How long the store keeps data, per tier: "raw 7d, 5m 30d, 1h 1y".
  std::string storage_retention;
  int64_t start_time_ms = 0;
};

}  // namespace mc::api
