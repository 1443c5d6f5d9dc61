// ScrapeMetrics: the scraper's meta-metrics, in the daemon's prometheus-cpp
// registry (served on :9993/metrics and /metrics/self).
//
//   metrics_collector_scrapes_total{job}                  scrapes finished
//   metrics_collector_scrape_failures_total{instance,job,reason}
//                                                         failed scrapes by target and reason
//   metrics_collector_scrape_duration_seconds{job}        histogram of scrape time
//   metrics_collector_scrapes_skipped_total{job}          due while the last still ran
//   metrics_collector_scrapes_missed_total{job}           slots the scheduler passed late
//   metrics_collector_scrape_lag_seconds{job}             histogram: start after its slot
//   metrics_collector_targets{job}                        targets scraped now
//
// Jobs come and go with reloads: job() creates a job's children on first use
// and hands out a reference that stays valid for the life of this object, so
// the scrape path keeps pointers and never looks a job up. A job that leaves
// the config keeps its counters (as counters must not go back) and its target
// gauge drops to 0.
//
// Thread-safety: all of it (prometheus-cpp locks its families; job() locks).
#pragma once

#include <map>
#include <mutex>
#include <string>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

namespace mc {

class ScrapeMetrics {
 public:
  explicit ScrapeMetrics(prometheus::Registry& registry);

  struct Job {
    prometheus::Counter* scrapes = nullptr;
    prometheus::Counter* skipped = nullptr;
    prometheus::Counter* missed = nullptr;
    prometheus::Histogram* lag = nullptr;
    prometheus::Histogram* duration = nullptr;
    prometheus::Gauge* targets = nullptr;
  };
  Job& job(const std::string& name);
  // Creates the {instance, job, reason} child on first use.
  prometheus::Counter& failures(const std::string& job, const std::string& instance,
                                const std::string& reason);

 private:
  prometheus::Family<prometheus::Counter>& scrapes_;
  prometheus::Family<prometheus::Counter>& failures_;
  prometheus::Family<prometheus::Counter>& skipped_;
  prometheus::Family<prometheus::Counter>& missed_;
  prometheus::Family<prometheus::Histogram>& lag_;
  prometheus::Family<prometheus::Histogram>& duration_;
  prometheus::Family<prometheus::Gauge>& targets_;
  std::mutex mutex_;
  std::map<std::string, Job> jobs_;  // guarded by mutex_; nodes never move
};

}  // namespace mc
