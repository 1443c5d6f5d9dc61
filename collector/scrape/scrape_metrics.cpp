#include "collector/scrape/scrape_metrics.hpp"

#include "common/util/latency_buckets.hpp"

namespace mc {

ScrapeMetrics::ScrapeMetrics(prometheus::Registry& registry)
    : scrapes_(prometheus::BuildCounter()
                   .Name("metrics_collector_scrapes_total")
                   .Help("Scrapes finished, by job, successful or not.")
                   .Register(registry)),
      failures_(prometheus::BuildCounter()
                    .Name("metrics_collector_scrape_failures_total")
                    .Help("Failed scrapes by job, target (instance) and reason (timeout, "
                          "connection, tls, http_status, "
                          "parse, encoding, body_size, sample_limit, label_limit, store, "
                          "other).")
                    .Register(registry)),
      skipped_(prometheus::BuildCounter()
                   .Name("metrics_collector_scrapes_skipped_total")
                   .Help("Scrapes not started because the target's previous scrape still ran.")
                   .Register(registry)),
      missed_(prometheus::BuildCounter()
                  .Name("metrics_collector_scrapes_missed_total")
                  .Help("Slots of a target's schedule passed over without a scrape because the "
                        "scheduler reached them too late (after the next slot was due).")
                  .Register(registry)),
      lag_(prometheus::BuildHistogram()
               .Name("metrics_collector_scrape_lag_seconds")
               .Help("How long after its slot on the target's schedule a scrape started.")
               .Register(registry)),
      duration_(prometheus::BuildHistogram()
                    .Name("metrics_collector_scrape_duration_seconds")
                    .Help("Time from the start of a scrape to its commit in the store.")
                    .Register(registry)),
      targets_(prometheus::BuildGauge()
                   .Name("metrics_collector_targets")
                   .Help("Targets scraped, by job.")
                   .Register(registry)) {}

ScrapeMetrics::Job& ScrapeMetrics::job(const std::string& name) {
  // A scheduler on time starts within a millisecond or two; a busy machine
  // shows in the upper buckets long before slots are missed.
  static const prometheus::Histogram::BucketBoundaries kLagBuckets = {
      0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  std::lock_guard lock(mutex_);
  auto found = jobs_.find(name);
  if (found != jobs_.end()) return found->second;
  const prometheus::Labels labels = {{"job", name}};
  Job job;
  job.scrapes = &scrapes_.Add(labels);
  job.skipped = &skipped_.Add(labels);
  job.missed = &missed_.Add(labels);
  job.lag = &lag_.Add(labels, kLagBuckets);
  job.duration = &duration_.Add(labels, latency_buckets_seconds());
  job.targets = &targets_.Add(labels);
  return jobs_.emplace(name, job).first->second;
}

prometheus::Counter& ScrapeMetrics::failures(const std::string& job, const std::string& instance,
                                             const std::string& reason) {
  return failures_.Add({{"instance", instance}, {"job", job}, {"reason", reason}});
}

}  // namespace mc
