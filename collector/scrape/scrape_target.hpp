// ScrapeTarget: one endpoint to scrape, as the config and discovery describe it.
//
// It holds the target's labels after the job's static labels are applied
// (`job`, `instance`, `__address__`, `__scheme__`, `__metrics_path__`, and any
// `__param_*`), the URL built from them, and the offset inside each interval at
// which it is scraped: a hash of the target spreads scrapes over the interval,
// as Prometheus does, so that many targets do not fire at the same instant.
//
// Thread-safety: immutable after construction.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "common/config/config.hpp"
#include "common/model/labels.hpp"

namespace mc {

class ScrapeTarget {
 public:
  ScrapeTarget(const ScrapeConfig& job, std::string address,
               const std::vector<Label>& group_labels);

  const std::string& job() const { return job_; }
  const std::string& url() const { return url_; }
  // The labels every sample of this target gets: job, instance and the group's labels.
  const Labels& labels() const { return labels_; }
  uint64_t hash() const { return labels_.hash(); }

  // The offset of this target's scrape inside each interval, in [0, interval).
  Duration offset(Duration interval) const;

 private:
  std::string job_;
  std::string url_;
  Labels labels_;
};

}  // namespace mc
