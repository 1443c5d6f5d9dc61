// TargetStatus: what the scrape side knows of its targets at one moment, for
// whoever shows it (the HTTP API's /api/v1/targets and /targets/metadata, the
// /targets and /service-discovery pages) without depending on the collector:
// the exporter sees only TargetStatusSource, the daemon hands it the scrape
// manager's.
//
// The fields are those of Prometheus 2.42's scrape.Target as its API reports
// them: the labels before relabeling (discoveredLabels), after it (labels, the
// "__" ones removed), the URL, and the last scrape's outcome.
//
// Thread-safety: the structs are values; a TargetStatusSource must be callable
// from any thread, several at once.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/model/labels.hpp"
#include "common/model/metric_metadata.hpp"

namespace mc {

// Unknown until the first scrape has finished.
enum class TargetHealth { unknown, up, down };

// "unknown", "up", "down", as Prometheus's TargetHealth strings.
std::string_view target_health_name(TargetHealth health);

struct TargetStatus {
  std::string scrape_pool;  // the job_name
  Labels discovered_labels;
  Labels labels;
  std::string scrape_url;
  // As the target's __scrape_interval__ / __scrape_timeout__ ("15s", "1m").
  std::string scrape_interval;
  std::string scrape_timeout;
  TargetHealth health = TargetHealth::unknown;
  std::string last_error;      // empty when the last scrape succeeded
  int64_t last_scrape_ms = 0;  // start of the last scrape, Unix ms; 0: never scraped
  double last_scrape_duration_seconds = 0;
};

// A target the job's relabel_configs dropped.
struct DroppedTarget {
  std::string scrape_pool;
  Labels discovered_labels;
};

// The metric families one target declared (TYPE, HELP or UNIT) in its scrapes.
struct TargetMetadata {
  Labels target;  // the target's labels
  std::vector<MetricMetadata> families;
};

class TargetStatusSource {
 public:
  virtual ~TargetStatusSource() = default;

  // Every scrape pool (job) by name, those without targets too.
  virtual std::vector<std::string> scrape_pools() const = 0;
  // Ordered by scrape pool, then by labels.
  virtual std::vector<TargetStatus> active_targets() const = 0;
  // Ordered by scrape pool, then as discovery listed them.
  virtual std::vector<DroppedTarget> dropped_targets() const = 0;
  // The metadata of each active target whose labels `wanted` accepts, in the
  // order of active_targets(); only family `metric` when it is not empty.
  virtual std::vector<TargetMetadata> target_metadata(
      const std::function<bool(const Labels&)>& wanted, std::string_view metric) const = 0;
};

}  // namespace mc
