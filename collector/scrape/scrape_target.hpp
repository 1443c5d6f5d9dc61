// ScrapeTarget: one endpoint to scrape, as the config and discovery describe it
// and the job's relabel_configs make it, as Prometheus's PopulateLabels does.
//
// A target starts with its group's labels overridden by its own (from
// discovery: `__address__`, `__meta_*`), then
// `job`, `__scheme__`, `__metrics_path__`, `__scrape_interval__` and
// `__scrape_timeout__` where the group did not set them, and `__param_<name>`
// for each of the job's params (its first value). The job's relabel_configs
// run over that set: they may drop the target or rewrite any of it. What they
// leave gives the URL (scheme, address with the scheme's default port when it
// has none, path, params), the interval and timeout, and the labels every
// sample gets: `instance` defaults to the address, and every label starting
// with "__" is removed.
//
// The offset inside each interval at which the target is scraped is a hash of
// its labels, as Prometheus spreads scrapes over the interval.
//
// Thread-safety: immutable after construction.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/config/config.hpp"
#include "common/config/target_group.hpp"
#include "common/model/labels.hpp"
#include "common/util/status.hpp"

namespace mc {

class ScrapeTarget {
 public:
  // The target `address` of a group becomes after the job's relabel_configs:
  // nullopt when a rule drops it; an error, with Prometheus's words, when the
  // rules leave no usable target ("no address", a bad interval, a scheme
  // other than http and https).
  static Result<std::optional<ScrapeTarget>> build(const ScrapeConfig& job,
                                                   const std::vector<Label>& target_labels,
                                                   const std::vector<Label>& group_labels);
  // The same for a target given only by its address (static_configs).
  static Result<std::optional<ScrapeTarget>> build(const ScrapeConfig& job,
                                                   std::string_view address,
                                                   const std::vector<Label>& group_labels);

  // build() for a target the job's rules keep (tests and benchmarks, whose
  // jobs have none); throws std::invalid_argument when build() gives none.
  ScrapeTarget(const ScrapeConfig& job, std::string_view address,
               const std::vector<Label>& group_labels);

  const std::string& job() const { return job_; }
  const std::string& url() const { return url_; }
  // The labels every sample of this target gets: job, instance and the group's labels.
  const Labels& labels() const { return labels_; }
  uint64_t hash() const { return labels_.hash(); }
  // The job's unless relabeling changed __scrape_interval__ / __scrape_timeout__.
  Duration interval() const { return interval_; }
  Duration timeout() const { return timeout_; }

  // The offset of this target's scrape inside each interval, in [0, interval).
  Duration offset(Duration interval) const;

 private:
  ScrapeTarget() = default;

  std::string job_;
  std::string url_;
  Labels labels_;
  Duration interval_{0};
  Duration timeout_{0};
};

}  // namespace mc
