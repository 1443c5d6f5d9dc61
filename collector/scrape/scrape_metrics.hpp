// ScrapeMetrics: the scraper's meta-metrics, in the daemon's prometheus-cpp
// registry (served on :9993/metrics and /metrics/self).
//
//   metrics_collector_scrapes_total{job}                  scrapes finished
//   metrics_collector_scrape_failures_total{job,reason}   failed scrapes by reason
//   metrics_collector_scrape_duration_seconds{job}        histogram of scrape time
//   metrics_collector_scrapes_skipped_total{job}          due while the last still ran
//   metrics_collector_scrapes_missed_total{job}           slots the scheduler passed late
//   metrics_collector_scrape_lag_seconds{job}             histogram: start after its slot
//   metrics_collector_targets{job}                        configured targets
//
// Thread-safety: the prometheus-cpp metrics are thread-safe; the per-job maps
// are filled in the constructor and only read afterwards.
#pragma once

#include <map>
#include <string>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include "common/config/config.hpp"

namespace mc {

class ScrapeMetrics {
 public:
  ScrapeMetrics(prometheus::Registry& registry, const Config& config);

  struct Job {
    prometheus::Counter* scrapes = nullptr;
    prometheus::Counter* skipped = nullptr;
    prometheus::Counter* missed = nullptr;
    prometheus::Histogram* lag = nullptr;
    prometheus::Histogram* duration = nullptr;
    prometheus::Gauge* targets = nullptr;
  };
  Job& job(const std::string& name) { return jobs_.at(name); }
  // Creates the {job, reason} child on first use; thread-safe (prometheus-cpp locks).
  prometheus::Counter& failures(const std::string& job, const std::string& reason);

 private:
  prometheus::Family<prometheus::Counter>& scrapes_;
  prometheus::Family<prometheus::Counter>& failures_;
  prometheus::Family<prometheus::Counter>& skipped_;
  prometheus::Family<prometheus::Counter>& missed_;
  prometheus::Family<prometheus::Histogram>& lag_;
  prometheus::Family<prometheus::Histogram>& duration_;
  prometheus::Family<prometheus::Gauge>& targets_;
  std::map<std::string, Job> jobs_;
};

}  // namespace mc
